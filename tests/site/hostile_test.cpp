#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

namespace {
using testing::contains;

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
        {"truncated plan.json", "content/plans/p/plan.json", "{\"title\": \"P\", \"periods\": [",
         "content/plans/p/plan.json:1:28: error: invalid JSON"},
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
      if (item.path.starts_with("content/procurement/"))
        site.write("content/procurement/index.md", "---\ntitle: C\ntype: pipeline\ndate: 2020-03-16\n---\n");
      site.write(item.path, item.text);
      const auto output = site.generate();
      const auto messages = all_messages(site.diagnostics);
      if (item.expected.empty())
        CHECK_MESSAGE(output, messages);
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
    for (int i = 0; i < 50000; ++i)
      csv += "Contract " + std::to_string(i) + ",\"£" + std::to_string(25000 + i) + ".00\",01/04/2020,Dept " + std::to_string(i % 7) + "\n";
    site.write("content/procurement/pipeline.csv", csv);
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK(output->files.contains("procurement/index.html"));
    CHECK(nlohmann::json::parse(output->files.at("data/procurement/pipeline.json")).size() == 50000);
    CHECK(nlohmann::json::parse(output->files.at("data/procurement/pipeline-ocds.json"))["releases"].size() == 50000);
  }

  // Inputs that took minutes, gigabytes or a crash (issue 12, "Unbounded work"). Each is big
  // enough that the old code would hang here visibly; they now take well under a second.

  TEST_CASE("40,000 equal headings on a page get their ids in linear time") {
    std::string page = "---\ntitle: H\n---\n";
    for (int i = 0; i < 40000; ++i) page += "# x\n";  // 100 s before
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/h.md", page}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    const auto& html = output->files.at("h/index.html");
    CHECK(contains(html, "<h1 id=\"x\">x</h1>"));
    CHECK(contains(html, "<h1 id=\"x-39999\">x</h1>"));
  }

  TEST_CASE("an 8,000-project pipeline.json loads as fast as the same CSV") {
    // The JSON took 28 s where the CSV took 0.56 s; 24,000 projects would take minutes.
    std::string json = "[\n", csv = "title,value,start,department,notes\n";
    for (int i = 0; i < 24000; ++i) {
      const auto n = std::to_string(i);
      json += std::string(i ? ",\n" : "") + "  {\"title\": \"Contract " + n + "\", \"value\": \"£" + std::to_string(25000 + i) +
              ".00\", \"start\": \"01/04/2020\", \"department\": \"Dept " + std::to_string(i % 7) + "\", \"notes\": \"Some notes\"}";
      csv += "Contract " + n + ",\"£" + std::to_string(25000 + i) + ".00\",01/04/2020,Dept " + std::to_string(i % 7) + ",Some notes\n";
    }
    json += "\n]\n";
    std::vector<std::string> published;
    for (const auto& [name, text] : {std::pair{"pipeline.json", json}, std::pair{"pipeline.csv", csv}}) {
      TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                     {"content/procurement/index.md", "---\ntitle: C\ntype: pipeline\ndate: 2020-03-16\n---\n"},
                     {std::string("content/procurement/") + name, text}});
      const auto output = site.generate();
      REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
      published.push_back(output->files.at("data/procurement/pipeline.json"));
    }
    CHECK(nlohmann::json::parse(published[0]).size() == 24000);
    CHECK(published[0] == published[1]);
  }

  TEST_CASE("a partial that includes itself is an error from build and check, not a crash") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"partials/nav.mustache", "<nav>{{> nav}}</nav>"}});
    for (const char* command : {"check", "build"}) {
      CAPTURE(command);
      CHECK(site.run({command}) == 1);  // SIGSEGV before
      CHECK(contains(site.err, "partials/nav.mustache:1:6: error: partial \"nav\" includes itself (nav → nav) outside any {{#section}}"));
    }
  }

  TEST_CASE("200,000 task list items build in one pass") {
    std::string page = "---\ntitle: Tasks\n---\n";
    for (int i = 0; i < 200000; ++i) page += i % 2 ? "- [x] done " + std::to_string(i) + "\n" : "- [ ] to do " + std::to_string(i) + "\n";
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/tasks.md", page}});
    const auto output = site.generate();  // 13 s before
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK(contains(output->files.at("tasks/index.html"), "aria-label=\"Not done\" /> to do 199998"));
  }

  TEST_CASE("2,000 broken links on 2,000 pages are reported with suggestions, quickly") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    for (int i = 0; i < 2000; ++i) {
      const auto n = std::to_string(10000 + i);
      site.write("content/reports/council-announces-new-funding-for-local-services-" + n + ".md",
                 "---\ntitle: Report " + n + "\n---\nSee [the other](/reports/council-annuonces-new-funding-for-local-services-" + n + "/).\n");
    }
    CHECK_FALSE(site.generate());  // 41 s before
    const auto messages = all_messages(site.diagnostics);
    CHECK(site.diagnostics.error_count() == 2000);
    CHECK(contains(messages,
                   "content/reports/council-announces-new-funding-for-local-services-11999.md:4:5: error: broken link: "
                   "/reports/council-annuonces-new-funding-for-local-services-11999/ is not a page or file of this site "
                   "(did you mean \"/reports/council-announces-new-funding-for-local-services-11999/\"?)"));
  }

  TEST_CASE("Markdown the Markdown library would take minutes over is an error at its line") {
    std::string brackets, row;
    for (int i = 0; i < 160000; ++i) brackets += "![[]()";  // over 40 s in cmark-gfm 0.29.0.gfm.6
    for (int i = 0; i < 100000; ++i) row += "| c ";
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/brackets.md", "---\ntitle: B\n---\nIntro.\n\n" + brackets + "\n"},
                   {"content/table.md", "---\ntitle: T\n---\n" + row + "|\n" + row + "|\n" + row + "|\n"},
                   {"content/plans/p/index.md", plan_page},
                   {"content/plans/p/plan.json", R"({"title": "P", "periods": [{"id": "y", "end": "2022-03-31"}],
 "priorities": [{"id": "a", "title": "A", "summary": ")" +
                                                     brackets + R"("}]})"}});
    CHECK_FALSE(site.generate());
    const auto messages = all_messages(site.diagnostics);
    CHECK(contains(messages,
                   "content/brackets.md:6:1: error: too many [ brackets left open before the links that follow them: the Markdown library "
                   "(cmark-gfm 0.29.0.gfm.6) would take minutes over this (0.29.0.gfm.7 fixes it)"));
    CHECK(contains(messages, "content/table.md:4:1: error: table rows with too many cells"));
    CHECK(contains(messages, "content/plans/p/plan.json:2:54: error: too many [ brackets left open"));
  }

  TEST_CASE("with unsafe_html, a page's raw HTML reaches the site without what runs script") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/raw.md",
                    "---\ntitle: Raw\n---\n<img src=\"/x.png\" alt=\"X\" onerror=\"alert(1)\">\n\n"
                    "<a href=\"javascript:alert(2)\" onclick=\"alert(3)\">link</a> and [md](javascript:alert(4))\n\n"
                    "<details open ontoggle=alert(5)><summary>More</summary>Text</details>\n"}});
    site.write("site.json", testing::minimal_site_json(R"(, "markdown": {"unsafe_html": true})"));
    const auto output = site.generate(testing::Templates::lenient);
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    const auto& html = output->files.at("raw/index.html");
    CHECK(contains(html, "<img src=\"/x.png\" alt=\"X\">"));
    CHECK(contains(html, "<a>link</a> and <a href=\"\">md</a>"));
    CHECK(contains(html, "<details open><summary>More</summary>Text</details>"));
    CHECK_FALSE(contains(html, "alert"));
  }
}
