#include "search/terms.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <cstring>

namespace plainsight {
namespace {

constexpr std::size_t longest_word = 64;

/// Decodes the code point at `at` (advancing it); 0 for bytes that are not UTF-8.
char32_t next_code_point(std::string_view text, std::size_t& at) {
  const auto lead = static_cast<unsigned char>(text[at++]);
  if (lead < 0x80) return lead;
  if (lead < 0xC0 || lead >= 0xF8) return 0;  // a stray continuation byte, or no UTF-8 at all: a break
  const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  char32_t code = lead & (0x3F >> extra);
  for (int i = 0; i < extra; ++i) {
    if (at >= text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (static_cast<unsigned char>(text[at++]) & 0x3F);
  }
  // Overlong forms, surrogates and values past Unicode are not UTF-8 either.
  static constexpr char32_t shortest[] = {0, 0x80, 0x800, 0x10000};
  if (code < shortest[extra] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return code;
}

bool is_ascii_alnum(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

bool is_word_character(char32_t c) {
  if (c < 0x80) return is_ascii_alnum(c);
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;                            // Latin-1 punctuation and signs
  if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F)) return false;  // punctuation, symbols, arrows
  return c != 0xFEFF;
}

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

}  // namespace

void visit_search_words(std::string_view text, const std::function<void(std::string_view word)>& visit) {
  std::string word;
  char32_t previous = 0;
  auto finish = [&] {
    while (!word.empty() && word.back() == '\'') word.pop_back();
    if (!word.empty() && word.size() <= longest_word) visit(word);
    word.clear();
  };
  for (std::size_t at = 0; at < text.size();) {
    const auto start = at;
    const auto c = next_code_point(text, at);
    if (is_word_character(c)) {
      if (c < 0x80)
        word += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      else
        word.append(text.substr(start, at - start));
      previous = c;
      continue;
    }
    // Joiners count only between the right characters: look one character ahead.
    std::size_t ahead = at;
    const char32_t following = at < text.size() ? next_code_point(text, ahead) : 0;
    if (!word.empty() && is_apostrophe(c) && is_word_character(previous) && !is_digit(previous) && is_word_character(following) &&
        !is_digit(following)) {
      word += '\'';
      previous = '\'';
      continue;
    }
    if (!word.empty() && is_digit(previous) && is_digit(following) && (c == ',' || c == '.')) {
      if (c == '.') word += '.';
      previous = c;
      continue;
    }
    finish();
    previous = c;
  }
  finish();
}

std::vector<std::string> search_words(std::string_view text) {
  std::vector<std::string> words;
  visit_search_words(text, [&](std::string_view word) { words.emplace_back(word); });
  return words;
}

struct Stemmer::Impl {
  sb_stemmer* stemmer = sb_stemmer_new("english", "UTF_8");
  ~Impl() { sb_stemmer_delete(stemmer); }
};

Stemmer::Stemmer() : impl_(std::make_unique<Impl>()) {}
Stemmer::~Stemmer() = default;

std::string Stemmer::stem(std::string_view word) {
  const bool plain = std::all_of(word.begin(), word.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; });
  if (!plain || !impl_->stemmer) return std::string(word);
  const auto* stemmed = sb_stemmer_stem(impl_->stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (!stemmed) return std::string(word);
  return {reinterpret_cast<const char*>(stemmed), static_cast<std::size_t>(sb_stemmer_length(impl_->stemmer))};
}

/// Plain text of HTML that cmark-gfm wrote: tags become spaces, entities their characters. The
/// text between them is copied in runs, found with memchr: this is most of the index's input.
std::string html_text(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  auto next_of = [&](char c, std::size_t from) {
    const void* found = from < html.size() ? std::memchr(html.data() + from, c, html.size() - from) : nullptr;
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - html.data()) : html.size();
  };
  std::size_t next_tag = next_of('<', 0), next_entity = next_of('&', 0);
  for (std::size_t at = 0; at < html.size();) {
    if (next_tag < at) next_tag = next_of('<', at);
    if (next_entity < at) next_entity = next_of('&', at);
    const auto special = std::min(next_tag, next_entity);
    text.append(html.substr(at, special - at));
    if (special == html.size()) break;
    if (special == next_tag) {
      const auto end = html.find('>', special);
      if (end == std::string_view::npos) break;
      text += ' ';
      at = end + 1;
      continue;
    }
    const auto end = html.find(';', special);
    const auto entity = end == std::string_view::npos ? std::string_view{} : html.substr(special + 1, end - special - 1);
    static const std::pair<std::string_view, std::string_view> named[] = {{"amp", "&"},   {"lt", "<"},  {"gt", ">"},
                                                                          {"quot", "\""}, {"#39", "'"}, {"nbsp", " "}};
    const auto found = std::find_if(std::begin(named), std::end(named), [&](const auto& pair) { return pair.first == entity; });
    if (found != std::end(named)) {
      text += found->second;
      at = end + 1;
    } else {
      text += '&';
      at = special + 1;
    }
  }
  return text;
}

}  // namespace plainsight
