#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace plainsight {

/// The words of a text as search sees them, in order. The rules are mirrored exactly by the
/// site's search script (themes/default/static/js/search.js), so that a query is cut into the
/// same words as the index: letters and digits; any character from U+00C0 up counts as a letter
/// except general punctuation; an apostrophe (' or ’) between letters is kept as ';  a comma
/// between digits is dropped ("1,500" is "1500") and a point between digits kept ("56.9");
/// ASCII letters in lower case; words longer than 64 bytes are left out.
std::vector<std::string> search_words(std::string_view text);

/// The same words, each passed to `visit` in turn without a string made for it.
void visit_search_words(std::string_view text, const std::function<void(std::string_view word)>& visit);

/// Plain text of HTML that cmark-gfm wrote: tags become spaces, entities their characters.
std::string html_text(std::string_view html);

/// English stemming with Snowball (libstemmer's "english", Porter2), so that "libraries" and
/// "library" are one term. Words with anything other than a-z and apostrophes are kept as
/// they are. Not safe to share between threads: make one per thread.
class Stemmer {
 public:
  Stemmer();
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  [[nodiscard]] std::string stem(std::string_view word);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plainsight
