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

  TEST_CASE("aliases repeat values within a budget, a bomb of aliases or an alias inside itself is an error at the alias") {
    Diagnostics diagnostics;
    auto document = parse_markdown_document("---\ntitle: T\nparams:\n  a: &a [1, 2]\n  b: *a\n  c: &s x\n  d: *s\n---\n", "ok.md", diagnostics);
    CHECK(all_messages(diagnostics) == "");
    CHECK(document.front_matter.params["b"] == nlohmann::json::array({"1", "2"}));
    CHECK(document.front_matter.params["d"] == "x");

    // Each level repeats the one before ten times: 10^9 values from 540 bytes. Expanding them
    // took 8 s and 2.8 GB at l6; at l8 it would not finish.
    std::string bomb = "---\ntitle: Bomb\nparams:\n  l0: &l0 [a,a,a,a,a,a,a,a,a,a]\n";
    for (int level = 1; level <= 8; ++level) {
      bomb += "  l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
      for (int i = 0; i < 10; ++i) bomb += (i ? ",*l" : "*l") + std::to_string(level - 1);
      bomb += "]\n";
    }
    diagnostics.clear();
    document = parse_markdown_document(bomb + "---\n", "bomb.md", diagnostics);
    CHECK(all_messages(diagnostics) ==
          "bomb.md:8:40: error: front matter holds more than 100,000 values once its aliases are expanded (an alias such as *name "
          "repeats all that &name holds); write fewer, or put large data in a data file\n");
    CHECK(document.front_matter.params.empty());

    for (const char* itself : {"---\nparams:\n  a: &a [*a]\n---\n", "---\nparams:\n  a: &a {x: [1, *a]}\n---\n"}) {
      CAPTURE(itself);
      diagnostics.clear();
      parse_markdown_document(itself, "self.md", diagnostics);
      CHECK(all_messages(diagnostics).find("self.md:3:") != std::string::npos);
      CHECK(all_messages(diagnostics).find("error: the alias *a is inside what &a names, so it would repeat itself without end") !=
            std::string::npos);
    }
  }

  TEST_CASE("a key given twice in a nested map, and a quote never closed, are errors at their place") {
    Diagnostics diagnostics;
    parse_markdown_document("---\ntitle: T\nparams:\n  a:\n    b: 1\n    c: 2\n    b: 3\n  list: [{x: 1, x: 2}]\n---\n", "twice.md", diagnostics);
    CHECK(all_messages(diagnostics) ==
          "twice.md:7:5: error: \"b\" is given twice in this map (first on line 5); keep one of them\n"
          "twice.md:8:17: error: \"x\" is given twice in this map (first on line 8); keep one of them\n");

    for (const auto& [yaml, where] : std::vector<std::pair<std::string, std::string>>{
             {"title: \"Crèche", "open.md:2:8: error: this quoted text has no closing \""},
             {"title: T\nsummary: 'it''s\ndate: 2020-01-01", "open.md:3:10: error: this quoted text has no closing '"},
             {"title: T\nparams:\n  a: \"x\\\"", "open.md:4:6: error: this quoted text has no closing \""}}) {
      const auto& shown = yaml;  // clang 14 cannot capture a structured binding
      CAPTURE(shown);
      diagnostics.clear();
      const auto document = parse_markdown_document("---\n" + yaml + "\n---\nBody\n", "open.md", diagnostics);
      CHECK(all_messages(diagnostics).find(where) == 0);
      CHECK(diagnostics.error_count() == 1);
      CHECK(document.body == "Body\n");
    }
    diagnostics.clear();
    const auto closed =
        parse_markdown_document("---\ntitle: \"two\n  lines \\\" \"\nsummary: 'it''s'\nparams:\n  q: |\n    \"open\n---\n", "closed.md", diagnostics);
    CHECK(all_messages(diagnostics) == "");
    CHECK(closed.front_matter.title == "two lines \"");
    CHECK(closed.front_matter.summary == "it's");
  }
}

TEST_SUITE("content") {
  TEST_CASE("front matter kept as bytes reads back the same, kind of number and all") {
    Diagnostics diagnostics;
    auto document = parse_markdown_document(
        "---\ntitle: A title\ndate: 2022-03-31T09:30:00+01:00\nupdated: 2022-04-01\nsummary: Short\nsource: Report 003\n"
        "weight: -2.5\naliases: [/old/, /older/]\ntype: notice\nlayout: wide\ntags: [a, b]\ntoc: false\nmenu: main\n"
        "params:\n  count: 5\n  below: -5\n  share: 0.1\n  on: true\n  none: ~\n  nested: {list: [1, \"two\", {three: 3}]}\n---\nBody\n",
        "content/a.md", diagnostics);
    REQUIRE(all_messages(diagnostics) == "");
    auto& original = document.front_matter;
    original.fields["divisions"] = nlohmann::json::array({"Adults", std::uint64_t{7}});
    ByteWriter out;
    write_front_matter(out, original);
    FrontMatter copy;
    ByteReader in(out.bytes());
    REQUIRE(read_front_matter(in, copy));
    CHECK(in.done());
    CHECK(copy.title == original.title);
    CHECK(copy.date == original.date);
    CHECK(copy.updated == original.updated);
    CHECK(copy.summary == original.summary);
    CHECK(copy.source == original.source);
    CHECK(copy.draft == original.draft);
    CHECK(copy.weight == original.weight);
    CHECK(copy.aliases == original.aliases);
    CHECK(copy.type == original.type);
    CHECK(copy.layout == original.layout);
    CHECK(copy.tags == original.tags);
    CHECK(copy.toc == original.toc);
    CHECK(copy.menu == original.menu);
    CHECK(copy.params == original.params);
    CHECK(copy.params.dump() == original.params.dump());
    CHECK(copy.params["count"].type() == original.params["count"].type());
    CHECK(copy.params["below"].type() == original.params["below"].type());
    CHECK(copy.fields == original.fields);
    REQUIRE(copy.locations.size() == original.locations.size());
    CHECK(copy.locations.at("toc").line == original.locations.at("toc").line);
    CHECK(copy.locations.at("toc").file == "content/a.md");

    for (std::size_t cut = 0; cut < out.bytes().size(); cut += 7) {  // cut short anywhere: refused, never read past
      FrontMatter partial;
      ByteReader short_read(std::string_view(out.bytes()).substr(0, cut));
      CHECK_FALSE((read_front_matter(short_read, partial) && short_read.done()));
    }
  }
}
