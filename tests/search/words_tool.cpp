// Prints each search word of standard input and its stem, one "word<TAB>stem" a line: the
// C++ side of the test that the site's search script cuts and stems words the same way.
#include <iostream>
#include <iterator>
#include <string>

#include "search/terms.hpp"

int main() {
  const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  plainsight::Stemmer stemmer;
  for (const auto& word : plainsight::search_words(text)) std::cout << word << '\t' << stemmer.stem(word) << '\n';
}
