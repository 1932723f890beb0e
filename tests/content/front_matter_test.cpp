#include <doctest/doctest.h>

#include "content/front_matter.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;

TEST_SUITE("content") {
  TEST_CASE("front matter is read into typed fields") {
    Diagnostics diagnostics;
    const auto document = parse_markdown_document(
        "---\ntitle: \"Budget: approved\"\ndate: 2020-03-16\nweight: 5\ndraft: false\naliases: [/old/]\ntags: [budget, money]\n"
        "params:\n  colour: green\n  list: [1, 2]\n---\nBody\n",
        "a.md", diagnostics);
    CHECK(all_messages(diagnostics) == "");
    const auto& fm = document.front_matter;
    CHECK(fm.title == "Budget: approved");
    REQUIRE(fm.date);
    CHECK(fm.date->day == 16);
    CHECK(fm.weight == 5.0);
    CHECK(fm.aliases == std::vector<std::string>{"/old/"});
    CHECK(fm.tags.size() == 2);
    CHECK(fm.params["colour"] == "green");
    CHECK(fm.params["list"][1] == "2");
    CHECK(document.body == "Body\n");
    CHECK(document.body_line == 12);
  }

  TEST_CASE("a file without front matter is all body") {
    Diagnostics diagnostics;
    const auto document = parse_markdown_document("# Title\n", "a.md", diagnostics);
    CHECK(document.body == "# Title\n");
    CHECK(document.body_line == 1);
  }

  TEST_CASE("CRLF line endings and a byte order mark are accepted") {
    Diagnostics diagnostics;
    const auto document = parse_markdown_document("\xEF\xBB\xBF---\r\ntitle: Windows\r\n---\r\nBody\r\n", "a.md", diagnostics);
    CHECK(all_messages(diagnostics) == "");
    CHECK(document.front_matter.title == "Windows");
    CHECK(document.body == "Body\r\n");
  }

  TEST_CASE("every front matter problem is reported with its line and column") {
    Diagnostics diagnostics;
    parse_markdown_document("---\ntittle: x\ndate: 2022-02-30\nweight: heavy\ndraft: maybe\nmenu: side\n---\n", "content/a.md", diagnostics);
    const auto text = all_messages(diagnostics);
    CHECK(text.find("content/a.md:2:1: error: unknown front matter key \"tittle\" (did you mean \"title\"?)") != std::string::npos);
    CHECK(text.find("content/a.md:3:7: error: \"2022-02-30\" is not a valid date for \"date\" (expected YYYY-MM-DD") != std::string::npos);
    CHECK(text.find("content/a.md:4:9: error: \"weight\" must be a number") != std::string::npos);
    CHECK(text.find("content/a.md:5:8: error: \"draft\" must be true or false") != std::string::npos);
    CHECK(text.find("content/a.md:6:7: error: \"menu\" must be \"main\"") != std::string::npos);
    CHECK(diagnostics.error_count() == 5);
  }

  TEST_CASE("invalid YAML, tabs and an unclosed block are errors") {
    Diagnostics diagnostics;
    parse_markdown_document("---\ntitle: [unclosed\n---\n", "y.md", diagnostics);
    CHECK(all_messages(diagnostics).find("y.md:3:1: error: invalid YAML front matter") != std::string::npos);
    diagnostics.clear();
    parse_markdown_document("---\ntitle: x\n\tdate: 2020-01-01\n---\n", "t.md", diagnostics);
    CHECK(all_messages(diagnostics).find("t.md:3:1: error: tab character in front matter") != std::string::npos);
    diagnostics.clear();
    parse_markdown_document("---\ntitle: x\n", "u.md", diagnostics);
    CHECK(all_messages(diagnostics).find("u.md:1:1: error: front matter starts with --- but has no closing --- line") != std::string::npos);
    diagnostics.clear();
    const auto document = parse_markdown_document("---\ntitle: First\nsummary: s\ntitle: Second\n---\n", "d.md", diagnostics);
    CHECK(all_messages(diagnostics).find("d.md:4:1: error: \"title\" is given twice (first on line 2); keep one of them") != std::string::npos);
    CHECK(document.front_matter.title == "First");
  }
}
