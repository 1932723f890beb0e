#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char* plan_page = "---\ntitle: P\ntype: plan\n---\n";
}  // namespace

TEST_SUITE("site") {
  TEST_CASE("hostile input never crashes: each gets an error with its place, or is accepted") {
    struct Case {
      const char* name;
      std::string path, text, expected;  // expected "" means the site builds
    };
    const std::string big_line(10 * 1024 * 1024, 'x');
    const std::vector<Case> cases = {
        {"empty Markdown file", "content/empty.md", "", ""},
        {"front matter only", "content/only.md", "---\ntitle: Only\n---", ""},
        {"a 10 MB line", "content/long.md", "---\ntitle: Long\n---\n" + big_line + "\n", ""},
        {"NUL bytes in Markdown", "content/nul.md", std::string("---\ntitle: Nul\n---\nab\0cd\n", 24), ""},
        {"a file name with spaces and non-ASCII letters", "content/Crèche provision 2020.md", "---\ntitle: Crèche\n---\n", ""},
        {"front matter that is a list", "content/list.md", "---\n- a\n- b\n---\n", "content/list.md:2:1: error: front matter must be"},
        {"a title that is a map", "content/map.md", "---\ntitle: {a: 1}\n---\n", "content/map.md:2:8: error: \"title\" must be text"},
        {"an empty plan.json", "content/plans/p/plan.json", "", "content/plans/p/plan.json:1:1: error: empty file"},
        {"JSON nested 10,000 deep", "content/plans/p/plan.json", std::string(10000, '[') + std::string(10000, ']'),
         "content/plans/p/plan.json:1:257: error: JSON nested more than 256 levels deep"},
        {"a plan title nested 10,000 deep", "content/plans/p/plan.json", "{\"title\": " + std::string(10000, '[') + std::string(10000, ']') + "}",
         "content/plans/p/plan.json:1:266: error: JSON nested more than 256 levels deep"},
        {"truncated plan.json", "content/plans/p/plan.json", "{\"title\": \"P\", \"periods\": [", "content/plans/p/plan.json:1:28: error: invalid JSON"},
        {"plan.json that is a list", "content/plans/p/plan.json", "[]", "content/plans/p/plan.json:1:1: error: expected a plan"},
        {"a value too large for a number", "content/plans/p/plan.json",
         R"({"title": "P", "periods": [{"id": "y", "end": "2022-03-31"}], "priorities": [{"id": "a", "title": "A"}],
             "measures": [{"id": "m", "priority": "a", "title": "M", "target": 1e309, "values": []}]})",
         "content/plans/p/plan.json:2:80: error: the number 1e309 is too large"},
        {"a negative value and a NaN-like string", "content/plans/p/plan.json",
         R"({"title": "P", "periods": [{"id": "y", "end": "2022-03-31"}], "priorities": [{"id": "a", "title": "A"}],
             "measures": [{"id": "m", "priority": "a", "title": "M", "target": -5, "values": [{"period": "y", "value": "NaN"}]}]})",
         "error: a value must be a number or null, found a string"},
        {"a pipeline CSV with a missing column", "content/procurement/pipeline.csv", "title,value,start,department\nGas,5,TBC\n",
         "content/procurement/pipeline.csv:2:1: error: row has 3 cells, but the header has 4 columns"},
        {"a negative pipeline value", "content/procurement/pipeline.csv", "title,value,start,department\nGas,(5),TBC,Corporate\n",
         "content/procurement/pipeline.csv:2:5: error: value \"(5)\" of \"Gas\" is not an amount"},
    };
    for (const auto& item : cases) {
      CAPTURE(std::string(item.name));
      TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
      if (item.path.starts_with("content/plans/")) site.write("content/plans/p/index.md", plan_page);
      if (item.path.starts_with("content/procurement/")) site.write("content/procurement/index.md", "---\ntitle: C\ntype: pipeline\ndate: 2020-03-16\n---\n");
      site.write(item.path, item.text);
      const auto output = site.generate();
      const auto messages = all_messages(site.diagnostics);
      if (item.expected.empty()) CHECK_MESSAGE(output, messages);
      else {
        CHECK_FALSE(output);
        CHECK_MESSAGE(contains(messages, item.expected), messages);
      }
    }
  }

  TEST_CASE("a 50,000-row pipeline builds") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/procurement/index.md", "---\ntitle: C\ntype: pipeline\ndate: 2020-03-16\n---\n"}});
    std::string csv = "title,value,start,department\n";
    for (int i = 0; i < 50000; ++i) csv += "Contract " + std::to_string(i) + ",\"£" + std::to_string(25000 + i) + ".00\",01/04/2020,Dept " + std::to_string(i % 7) + "\n";
    site.write("content/procurement/pipeline.csv", csv);
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK(output->files.contains("procurement/index.html"));
    CHECK(nlohmann::json::parse(output->files.at("data/procurement/pipeline.json")).size() == 50000);
    CHECK(nlohmann::json::parse(output->files.at("data/procurement/pipeline-ocds.json"))["releases"].size() == 50000);
  }
}
