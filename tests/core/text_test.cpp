#include <doctest/doctest.h>

#include "core/text.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("escape_html escapes everything that could open markup or end an attribute") {
    CHECK(escape_html("<script>alert('x') & \"y\"</script>") == "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    CHECK(escape_html("plain £ text") == "plain £ text");
  }

  TEST_CASE("slugify makes stable ids from headings") {
    CHECK(slugify("Our values") == "our-values");
    CHECK(slugify("Budget 2020/21") == "budget-202021");
    CHECK(slugify("  A -- B  ") == "a-b");
    CHECK(slugify("Café & Bar") == "café-bar");
    CHECK(slugify("!!!") == "");
  }

  TEST_CASE("line_column_at counts lines from 1 and columns in characters") {
    const std::string text = "ab\n£cd\n";
    CHECK(line_column_at(text, 0).line == 1);
    CHECK(line_column_at(text, 3).line == 2);
    CHECK(line_column_at(text, 3).column == 1);
    CHECK(line_column_at(text, 5).column == 2);  // after the two bytes of £
  }

  TEST_CASE("find_invalid_utf8 finds bad, truncated and overlong sequences") {
    CHECK(find_invalid_utf8("fine £ € 😀") == std::string_view::npos);
    CHECK(find_invalid_utf8("ab\xff") == 2);
    CHECK(find_invalid_utf8("ab\xe2\x82") == 2);
    CHECK(find_invalid_utf8("\xc0\xaf") == 0);
    CHECK(find_invalid_utf8("\xed\xa0\x80") == 0);  // a UTF-16 surrogate
  }

  TEST_CASE("did_you_mean suggests only close words") {
    const std::vector<std::string> keys = {"title", "date", "summary", "layout"};
    CHECK(did_you_mean("tittle", keys) == " (did you mean \"title\"?)");
    CHECK(did_you_mean("sumary", keys) == " (did you mean \"summary\"?)");
    CHECK(did_you_mean("colour", keys) == "");
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("biuld", "build") == 1);
  }

  TEST_CASE("shorten_text cuts at a word and never inside a character") {
    CHECK(shorten_text("short text", 50) == "short text");
    CHECK(shorten_text("one two three four", 10) == "one two…");
    CHECK(shorten_text("  spaced\n\n out  ", 50) == "spaced out");
    CHECK(shorten_text("££££££££££", 4) == "££££…");
  }

  TEST_CASE("split_lines handles LF, CRLF and a missing final newline") {
    const auto lines = split_lines("a\r\nb\nc");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "a");
    CHECK(lines[2] == "c");
  }
}
