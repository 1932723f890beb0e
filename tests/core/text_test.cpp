#include <doctest/doctest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

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
    // Outside ASCII, letters stay; dashes and spaces break words; other symbols go.
    CHECK(slugify("Spending over £500") == "spending-over-500");
    CHECK(slugify("Outreach service 16 – 25 yrs") == "outreach-service-16-25-yrs");
    CHECK(slugify("Budget 2020–21") == "budget-2020-21");
    CHECK(slugify("“Quoted” ©\u00a0Council™ 👍") == "quoted-council");
    CHECK(slugify("Zürich Δέλτα Москва 東京") == "zürich-Δέλτα-Москва-東京");  // their case as written
    CHECK(slugify("e\u0301te\u0301") == "e\u0301te\u0301");                    // an accent as a mark of its own stays with its letter
    CHECK(slugify("bad \xff\xfe bytes") == "bad-bytes");
    // Letters, numbers and marks among the symbols' blocks stay.
    CHECK(slugify("CO₂ emissions") == "co₂-emissions");
    CHECK(slugify("Dose in µg, m², ½") == "dose-in-µg-m²-½");
    CHECK(slugify("Page Ⅻ ①") == "page-Ⅻ-①");
    CHECK(slugify("人々の声") == "人々の声");
    CHECK(slugify("می\u200cخواهم") == "می\u200cخواهم");  // the non-joiner is part of the spelling
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

  TEST_CASE("characters XML and HTML forbid are found, and replaced with U+FFFD wherever text is escaped") {
    const std::string replacement = "\xEF\xBF\xBD";
    CHECK(find_forbidden_character("tab\tline\ncr\r £ € 😀 \xC2\xA0") == std::string_view::npos);
    CHECK(find_forbidden_character("ab\x01") == 2);
    CHECK(find_forbidden_character(std::string("a\0b", 3)) == 1);
    CHECK(find_forbidden_character("a\x0C") == 1);             // form feed: not allowed in XML 1.0
    CHECK(find_forbidden_character("a\x7F") == 1);             // DEL
    CHECK(find_forbidden_character("£\xC2\x85") == 2);         // U+0085, a C1 control
    CHECK(find_forbidden_character("\xEF\xB7\x90") == 0);      // U+FDD0, a noncharacter
    CHECK(find_forbidden_character("\xEF\xBF\xBE") == 0);      // U+FFFE
    CHECK(find_forbidden_character("\xF0\x9F\xBF\xBF") == 0);  // U+1FFFF
    CHECK(find_forbidden_character("ab\xff") == 2);            // invalid UTF-8
    CHECK(find_forbidden_character("\xed\xa0\x80") == 0);      // a lone surrogate

    CHECK(escape_html("a\x01<b>\x1B[31m\x7F") == "a" + replacement + "&lt;b&gt;" + replacement + "[31m" + replacement);
    CHECK(escape_html("tab\tand\r\nlines £") == "tab\tand\r\nlines £");
    CHECK(escape_html("\xC2\x9F\xEF\xBF\xBF") == replacement + replacement);
    CHECK(escape_html("cut \xE2\x82") == "cut " + replacement + replacement);  // each bad byte, so no byte is lost silently
    CHECK(replace_forbidden_characters("<p>\x02x & y</p>") == "<p>" + replacement + "x & y</p>");
    CHECK(replace_forbidden_characters("plain <b>£</b>") == "plain <b>£</b>");
  }

  TEST_CASE("a character to escape or replace is found at any place in a long run of plain text") {
    // Plain ASCII is passed over eight bytes at a time: each character is tried at every place
    // in and around those words, with the bytes either side of each bound of the printable range.
    const std::string replacement = "\xEF\xBF\xBD";
    const std::string plain = "The quick brown fox jumps over a lazy dog";
    const std::vector<std::pair<std::string, std::string>> cases = {{"\x01", replacement},
                                                                    {"\x1F", replacement},
                                                                    {"\x7F", replacement},
                                                                    {"\xC2\x85", replacement},
                                                                    {"\xFF", replacement},
                                                                    {std::string(1, '\0'), replacement},
                                                                    {"<", "&lt;"},
                                                                    {">", "&gt;"},
                                                                    {"&", "&amp;"},
                                                                    {"\"", "&quot;"},
                                                                    {"'", "&#39;"},
                                                                    {" ", " "},
                                                                    {"~", "~"},
                                                                    {"\t", "\t"},
                                                                    {"\n", "\n"},
                                                                    {"£", "£"}};
    for (const auto& [character, escaped] : cases) {
      const bool forbidden = escaped == replacement;
      for (std::size_t at = 0; at <= plain.size(); ++at) {
        const auto before = plain.substr(0, at), after = plain.substr(at);
        const auto text = before + character + after;
        CHECK(find_forbidden_character(text) == (forbidden ? at : std::string_view::npos));
        CHECK(escape_html(text) == before + escaped + after);
        CHECK(replace_forbidden_characters(text) == before + (forbidden ? replacement : character) + after);
      }
    }
  }

  TEST_CASE("did_you_mean suggests only close words") {
    const std::vector<std::string> keys = {"title", "date", "summary", "layout"};
    CHECK(did_you_mean("tittle", keys) == " (did you mean \"title\"?)");
    CHECK(did_you_mean("sumary", keys) == " (did you mean \"summary\"?)");
    CHECK(did_you_mean("colour", keys) == "");
    CHECK(did_you_mean("title", keys) == "");  // the word itself is no suggestion
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("biuld", "build") == 1);
  }

  TEST_CASE("closest_match picks what a full comparison with every candidate picks, without one") {
    // The bounded search must agree with edit_distance on every pair: random short words over
    // a small alphabet meet every case (swaps, equal lengths, lengths far apart, ties).
    std::mt19937 random(12);
    auto word = [&] {
      std::string text(random() % 12, 'a');
      for (auto& c : text) c = static_cast<char>('a' + random() % 4);
      return text;
    };
    for (int round = 0; round < 2000; ++round) {
      const auto wanted = word();
      std::vector<std::string> candidates(random() % 8);
      for (auto& candidate : candidates) candidate = word();
      const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, wanted.size() / 3));
      std::string expected;
      std::size_t best = limit + 1;
      for (const auto& candidate : candidates)
        if (const auto distance = edit_distance(wanted, candidate); distance < best) best = distance, expected = candidate;
      CAPTURE(wanted);
      CHECK(closest_match(wanted, candidates) == expected);
    }
  }

  TEST_CASE("suggestions for thousands of broken links among thousands of pages stay within one budget") {
    // Comparing each in full with every page's URL took 41 s for 2,000 links on 2,000 pages.
    auto page_url = [](int i) { return "/news/2020-03-16-council-announces-new-funding-for-local-services-" + std::to_string(i) + "/"; };
    auto broken_url = [](int i) { return "/news/2020-03-16-council-announced-new-funding-for-local-service-" + std::to_string(i) + "/"; };
    std::vector<std::string> urls;
    for (int i = 0; i < 2000; ++i) urls.push_back(page_url(i));
    SuggestionBudget budget;
    int found = 0;
    for (int i = 0; i < 2000; ++i) found += closest_match(broken_url(i), urls, budget) == page_url(i);
    CHECK(found == 2000);
    // Ten times as many of each would be 100 times the work: the budget runs out part of the
    // way, and the rest go without a suggestion rather than take minutes.
    for (int i = 2000; i < 20000; ++i) urls.push_back(page_url(i));
    budget = {};
    found = 0;
    for (int i = 0; i < 20000; ++i) found += !closest_match(broken_url(i), urls, budget).empty();
    CHECK(found > 100);
    CHECK(budget.cells == 0);
  }

  TEST_CASE("shorten_text cuts at a word and never inside a character") {
    CHECK(shorten_text("short text", 50) == "short text");
    CHECK(shorten_text("one two three four", 10) == "one two…");
    CHECK(shorten_text("  spaced\n\n out  ", 50) == "spaced out");
    CHECK(shorten_text("££££££££££", 4) == "££££…");
    // Exactly as long as allowed, once spaces are collapsed: kept whole; one more, cut.
    CHECK(shorten_text("ab  cd\n\nef", 8) == "ab cd ef");
    CHECK(shorten_text("ab  cd\n\nefg", 8) == "ab cd…");
    CHECK(shorten_text("abcd efgh  " + std::string(100000, 'x'), 12) == "abcd efgh…");
    CHECK(shorten_text("ab ££", 5) == "ab ££");
    CHECK(shorten_text("ab £££", 5) == "ab ££…");
  }

  TEST_CASE("split_lines handles LF, CRLF and a missing final newline") {
    const auto lines = split_lines("a\r\nb\nc");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "a");
    CHECK(lines[2] == "c");
  }
}
