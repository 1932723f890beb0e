#include <doctest/doctest.h>

#include "search/terms.hpp"

using namespace plainsight;
using Words = std::vector<std::string>;

TEST_SUITE("search") {
  TEST_CASE("words are cut as the search script cuts them") {
    CHECK(search_words("The Council's £1,500,000 budget – 56.9% of 2021-22") ==
          Words{"the", "council's", "1500000", "budget", "56.9", "of", "2021", "22"});
    CHECK(search_words("council’s ‘gritting’ contract") == Words{"council's", "gritting", "contract"});
    CHECK(search_words("Café in Ærøskøbing") == Words{"café", "in", "Ærøskøbing"});
    CHECK(search_words("end. Start, 3.") == Words{"end", "start", "3"});
    CHECK(search_words("'quoted' words'") == Words{"quoted", "words"});
    CHECK(search_words("") == Words{});
    CHECK(search_words(std::string(65, 'a') + " kept") == Words{"kept"});  // no 65-letter words
    CHECK(search_words("a\xff"
                       "b") == Words{"a", "b"});  // invalid UTF-8 is a break
    CHECK(search_words("a\xc0\xaf"
                       "b") == Words{"a", "b"});  // so is an overlong form
    CHECK(search_words("a\xed\xa0\x80"
                       "b") == Words{"a", "b"});  // and a surrogate
  }

  TEST_CASE("English words are stemmed with Snowball, anything else is kept as it is") {
    Stemmer stemmer;
    CHECK(stemmer.stem("libraries") == "librari");
    CHECK(stemmer.stem("library") == "librari");
    CHECK(stemmer.stem("gritting") == "grit");
    CHECK(stemmer.stem("recycled") == stemmer.stem("recycling"));
    CHECK(stemmer.stem("council's") == "council");
    CHECK(stemmer.stem("contracts") == "contract");
    CHECK(stemmer.stem("café") == "café");
    CHECK(stemmer.stem("56.9") == "56.9");
    CHECK(stemmer.stem("a") == "a");
  }

  TEST_CASE("the text of HTML: tags are spaces, the entities cmark-gfm writes are their characters, others stay as written") {
    CHECK(html_text("<p>Roads &amp; <em>paths</em></p>") == " Roads &  paths  ");
    CHECK(html_text("&lt;b&gt; &quot;x&quot; it&#39;s&nbsp;here") == "<b> \"x\" it's here");
    CHECK(html_text("AT&T &copy; &unknown") == "AT&T &copy; &unknown");  // not one of cmark-gfm's: kept
    CHECK(html_text("before <a href=\"x\"") == "before ");               // a tag that does not close ends the text
    CHECK(html_text("") == "");
  }
}
