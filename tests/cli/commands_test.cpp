#include <doctest/doctest.h>

#include <regex>

#include <filesystem>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/scaffolds.hpp"
#include "core/text.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::TempSite;

namespace {
using testing::contains;

int run(const std::vector<std::string>& args, std::string& out, std::string& err) {
  std::ostringstream out_stream, err_stream;
  const int code = cli::run(args, out_stream, err_stream);
  out = out_stream.str();
  err = err_stream.str();
  return code;
}
}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("--version, --help and usage errors") {
    std::string out, err;
    CHECK(run({"--version"}, out, err) == 0);
    CHECK(out.starts_with("plainsight "));
    CHECK(run({"--help"}, out, err) == 0);
    CHECK(contains(out, "plainsight build"));
    for (const char* command : {"build", "check", "new"}) {
      CHECK(run({command, "--help"}, out, err) == 0);
      CHECK(contains(out, std::string("plainsight ") + command));
    }
    CHECK(run({}, out, err) == 2);
    CHECK(run({"biuld"}, out, err) == 2);
    CHECK(contains(err, "unknown command \"biuld\" (did you mean \"build\"?)"));
    CHECK(run({"build", "--colour"}, out, err) == 2);
    CHECK(contains(err, "unknown option --colour"));
    CHECK(run({"build", "--jobs", "many"}, out, err) == 2);
    CHECK(run({"build", "--site"}, out, err) == 2);
    CHECK(run({"build", "--base-url", "www.example.gov.uk"}, out, err) == 2);
    CHECK(contains(err, "--base-url must be an absolute http or https URL"));
  }

  TEST_CASE("an error quotes its line with a caret under the column, without colour when not on a terminal") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/date.md", "---\ntitle: Date\ndate: 2022-02-30\n---\n"}});
    CHECK(site.run({"check"}) == 1);
    CHECK_MESSAGE(contains(site.err, "content/date.md:3:7: error: \"2022-02-30\" is not a valid date"), site.err);
    CHECK_MESSAGE(contains(site.err, "\n    3 | date: 2022-02-30\n      |       ^\n"), site.err);
    CHECK_FALSE(contains(site.err, "\033["));
    // An error that involves two files names the second in a note.
    site.write("content/about.md", "---\ntitle: About\n---\n");
    site.write("content/about/index.md", "---\ntitle: About too\n---\n");
    CHECK(site.run({"check"}) == 1);
    CHECK_MESSAGE(contains(site.err, "content/about.md:1:1: error: two pages claim the URL /about/"), site.err);
    CHECK_MESSAGE(contains(site.err, "content/about/index.md:1:1: note: the other page that claims /about/\n    1 | ---\n"), site.err);
  }

  TEST_CASE("each command takes only its own options") {
    std::string out, err;
    const std::vector<std::vector<std::string>> wrong = {
        {"check", "--port", "99"}, {"check", "--out", "/x"}, {"check", "--base-url", "https://x.example/"},
        {"serve", "--out", "/x"},  {"serve", "--jobs", "2"}, {"new", "--drafts"},
        {"new", "--port", "1"},    {"build", "--poll"}};
    for (const auto& args : wrong) {
      CAPTURE(args[0] + " " + args[1]);
      CHECK(run(args, out, err) == 2);
      CHECK(contains(err, "plainsight " + args[0] + ": " + args[1] + " is not an option of " + args[0]));
    }
    CHECK(run({"check", "--sit", "."}, out, err) == 2);
    CHECK(contains(err, "plainsight check: unknown option --sit (did you mean \"--site\"?)"));
    CHECK(run({"serve", "--help"}, out, err) == 0);
  }

  TEST_CASE("an exception nothing expected is a bug: exit 3 and a request to report it, a folder that cannot be read is exit 1") {
    std::ostringstream err;
    CHECK(cli::run_reporting_failures([]() -> int { throw std::logic_error("index out of range"); }, err) == cli::internal_error);
    CHECK(cli::internal_error == 3);
    CHECK(contains(err.str(), "plainsight: internal error: index out of range"));
    CHECK(contains(err.str(), "This is a bug in plainsight, not a problem with your site. Please report it"));
    err.str("");
    CHECK(cli::run_reporting_failures([]() -> int { throw 42; }, err) == 3);
    CHECK(contains(err.str(), "internal error: an exception of unknown type"));
    err.str("");
    CHECK(cli::run_reporting_failures(
              []() -> int { throw std::filesystem::filesystem_error("cannot open", "/x/site", std::make_error_code(std::errc::permission_denied)); },
              err) == 1);
    CHECK(contains(err.str(), "/x/site"));
    CHECK_FALSE(contains(err.str(), "bug"));
    CHECK(cli::run_reporting_failures([] { return 2; }, err) == 2);
    std::string out, help_err;
    CHECK(run({"--help"}, out, help_err) == 0);
    CHECK(contains(out, "3 an internal error: a bug in plainsight, to report"));
  }

  TEST_CASE("build writes the site and ends with one line saying what it built") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/about.md", "---\ntitle: About\n---\n"}});
    CHECK(site.run({"build"}) == 0);
    CHECK_MESSAGE(site.out.starts_with("Built 3 pages, 1 data file, a search index of 8 files and 5 other files into "), site.out);
    CHECK(contains(site.out, "(0 warnings; 17 written, 0 unchanged, 0 removed)"));
    CHECK(site.exists("public/about/index.html"));
    CHECK(site.run({"build"}) == 0);
    CHECK_MESSAGE(site.out.starts_with("Nothing changed since the last build: "), site.out);
    CHECK(contains(site.out, "is up to date (17 files checked in "));
    // An output file deleted or edited by hand is not up to date: it is written again, alone.
    std::filesystem::remove(site.dir() / "public/about/index.html");
    site.write("public/index.html", "edited by hand");
    CHECK(site.run({"build"}) == 0);
    CHECK_MESSAGE(contains(site.out, "(0 warnings; 2 written, 15 unchanged, 0 removed)"), site.out);
    CHECK(contains(site.read("public/index.html"), "<h1>Home</h1>"));
    site.write("content/about.md", "---\ntitle: About us\n---\n");
    CHECK(site.run({"build", "--quiet"}) == 0);
    CHECK(site.out.empty());
    CHECK(contains(site.read("public/about/index.html"), "About us"));
  }

  TEST_CASE("when nothing changed, the last build's warnings are shown again") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/untitled.md", "No front matter title here.\n"}});
    CHECK(site.run({"build"}) == 0);
    CHECK(contains(site.err, "content/untitled.md:1:1: warning: no title in the front matter"));
    CHECK(site.run({"build"}) == 0);
    CHECK(contains(site.err, "content/untitled.md:1:1: warning: no title in the front matter"));
    CHECK_MESSAGE(contains(site.out, "; the last build's 1 warning is shown again)"), site.out);
  }

  TEST_CASE("an edit to a linked file is not taken for nothing changed") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/notices/current.md", "---\ntitle: Notice\n---\nFirst.\n"}});
    std::filesystem::create_symlink("notices/current.md", site.dir() / "content/notice.md");
    CHECK(site.run({"build"}) == 0);
    CHECK(contains(site.read("public/notice/index.html"), "First."));
    site.write("content/notices/current.md", "---\ntitle: Notice\n---\nSecond.\n");
    CHECK(site.run({"build"}) == 0);
    CHECK_FALSE(contains(site.out, "Nothing changed"));
    CHECK(contains(site.read("public/notice/index.html"), "Second."));
  }

  TEST_CASE("an edit to a theme whose folder is a link to elsewhere in the site is not taken for nothing changed") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    std::filesystem::rename(site.dir() / "themes/default", site.dir() / "house-style");
    std::filesystem::create_directory_symlink("../house-style", site.dir() / "themes/default");
    CHECK(site.run({"build"}) == 0);
    site.write("house-style/templates/home.mustache", "<!DOCTYPE html><title>{{page.title}}</title><p>Edited theme</p>\n");
    CHECK(site.run({"build"}) == 0);
    CHECK_FALSE(contains(site.out, "Nothing changed"));
    CHECK(contains(site.read("public/index.html"), "Edited theme"));
  }

  TEST_CASE("an output folder that cannot be written is reported, not a crash") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"a-file", "not a folder"}});
    CHECK(site.run({"build", "--out", (site.dir() / "a-file" / "public").string()}) == 1);
    CHECK_MESSAGE(contains(site.err, "plainsight: cannot write the output: "), site.err);
    CHECK(site.read("a-file") == "not a folder");
  }

  TEST_CASE("build --out writes elsewhere and refuses the site folder itself") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    const auto elsewhere = (site.dir() / "elsewhere").string();
    CHECK(site.run({"build", "--out", elsewhere}) == 0);
    CHECK(std::filesystem::exists(site.dir() / "elsewhere" / "index.html"));
    CHECK(site.run({"build", "--out", (site.dir() / "with-slash/").string()}) == 0);  // a new folder, named with a slash
    CHECK(std::filesystem::exists(site.dir() / "with-slash" / "index.html"));
    CHECK(site.run({"build", "--out", (site.dir() / "with-slash/").string()}) == 0);
    CHECK(contains(site.out, "Nothing changed"));
    CHECK(site.run({"build", "--out", site.dir().string()}) == 2);
    // Inside the sources the output would replace them: refused, and nothing is touched.
    CHECK(site.run({"build", "--out", (site.dir() / "content").string()}) == 2);
    CHECK(contains(site.err, "must not be the site folder, contain it, or be inside its content or theme folders"));
    CHECK(site.read("content/_index.md") == "---\ntitle: Home\n---\n");
  }

  TEST_CASE("check validates in strict mode and writes nothing") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    CHECK(site.run({"check"}) == 0);
    CHECK(site.out.starts_with("Checked 2 pages"));
    CHECK_FALSE(site.exists("public"));
    site.write("themes/default/templates/home.mustache", "{{page.nothing}}");
    CHECK(site.run({"check"}) == 1);
    CHECK(contains(site.err, "the template uses \"page.nothing\""));
  }

  TEST_CASE("new news makes a dated draft that builds with --drafts") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    CHECK(site.run({"new", "news", "Budget \"approved\": 2020/21"}) == 0);
    CHECK(contains(site.out, "as a draft"));
    std::filesystem::path made;
    for (const auto& entry : std::filesystem::directory_iterator(site.dir() / "content" / "news")) made = entry.path();
    CHECK(made.filename().string().ends_with("-budget-approved-202021.md"));
    CHECK(site.run({"new", "news", "Budget \"approved\": 2020/21"}) == 1);  // it exists now
    CHECK(site.run({"build", "--drafts"}) == 0);
    CHECK(contains(site.read("public/news/budget-approved-202021/index.html"), "Budget &quot;approved&quot;: 2020/21"));
    CHECK(site.run({"new", "page", "Contact us"}) == 0);
    CHECK(site.exists("content/contact-us.md"));
    CHECK(site.run({"new", "blog", "x"}) == 2);
  }

  TEST_CASE("new page writes any one-line title as YAML that reads back the same, and refuses control characters") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    const std::vector<std::pair<std::string, std::string>> titles = {{"Colon: x #y", "Colon: x #y"},
                                                                     {"\\back\\slash \"q\" 'a'", "\\back\\slash &quot;q&quot; &#39;a&#39;"},
                                                                     {"- %x &a *b !t @c `d {e} [f]", "- %x &amp;a *b !t @c `d {e} [f]"},
                                                                     {"Line\u2028sep \u00A0£", "Line\u2028sep \u00A0£"}};
    for (const auto& [title, html] : titles) {
      const auto& shown = title;  // clang 14 cannot capture a structured binding
      CAPTURE(shown);
      CHECK(site.run({"new", "page", title}) == 0);
      CHECK_MESSAGE(site.run({"build"}) == 0, site.err);
      CHECK(contains(site.read("public/" + slugify(title) + "/index.html"), "<h1>" + html + "</h1>"));
      std::filesystem::remove(site.dir() / "content" / (slugify(title) + ".md"));
    }
    for (const char* title : {"Tab\there", "Two\nlines", "CR\r", "Esc\x1B[2J", "Del\x7F", "Nel\xC2\x85", "Latin-1 caf\xE9"}) {
      CAPTURE(title);
      CHECK(site.run({"new", "page", title}) == 2);
      CHECK(contains(site.err, "the title holds a tab, a line break or another control character"));
    }
    CHECK(std::distance(std::filesystem::directory_iterator(site.dir() / "content"), std::filesystem::directory_iterator()) == 1);
  }

  TEST_CASE("new dataset starts a bundle with the Transparency Code's columns that passes check, and refuses what it cannot do") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    site.use_default_theme();
    for (const char* kind : {"spend-over-500", "procurement-card", "contracts-over-5000"}) {
      CAPTURE(kind);
      const std::string title = std::string("Test ") + kind;
      CHECK(site.run({"new", "dataset", title, "--schema", kind}) == 0);
      CHECK(contains(site.out, "Transparency Code 2015"));
      const auto folder = "content/" + slugify(title) + "/";
      CHECK(contains(site.read(folder + "index.md"), "type: dataset\n"));
      CHECK(contains(site.read(folder + "schema.json"), "\"name\": \"irrecoverable_vat\""));
      CHECK(site.read(folder + "data.csv")
                .starts_with(std::string_view(kind) == "contracts-over-5000" ? "reference,title,department," : "date,department,beneficiary,"));
    }
    CHECK(site.read("content/test-spend-over-500/data.csv") == "date,department,beneficiary,purpose,amount,irrecoverable_vat,merchant_category\n");
    CHECK(site.run({"new", "dataset", "Grants"}) == 0);
    CHECK(site.read("content/grants/data.csv") == "item,amount\n");
    CHECK_MESSAGE(site.run({"check"}) == 0, site.err);
    // A row added as the Code's columns ask is read and shown.
    site.write("content/test-spend-over-500/data.csv",
               site.read("content/test-spend-over-500/data.csv") + "01/04/2020,Highways,Acme Ltd,Road salt,\"£1,500.00\",0,Materials\n");
    CHECK_MESSAGE(site.run({"build"}) == 0, site.err);
    CHECK(contains(site.read("public/test-spend-over-500/index.html"), "<td class=\"number\">1,500</td>"));
    CHECK(site.run({"new", "dataset", "Grants"}) == 1);  // its folder exists
    CHECK(site.run({"new", "dataset", "X", "--schema", "spend-over-50"}) == 2);
    CHECK(contains(site.err, "did you mean \"spend-over-500\"?"));
    CHECK(site.run({"new", "page", "X", "--schema", "spend-over-500"}) == 2);
  }

  TEST_CASE("new plan and new department start pages that pass check, and the department's list when there is none") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    site.use_default_theme();
    CHECK(site.run({"new", "plan", "Road \"Safety\" Plan"}) == 0);
    CHECK(contains(site.out, "plan.json, with this quarter as its first period"));
    CHECK(contains(site.read("content/plans/road-safety-plan/index.md"), "title: \"Road \\\"Safety\\\" Plan\"\ntype: plan\n"));
    const auto plan = nlohmann::json::parse(site.read("content/plans/road-safety-plan/plan.json"));
    CHECK(plan["title"] == "Road \"Safety\" Plan");
    REQUIRE(plan["periods"].size() == 1);
    CHECK(std::regex_match(plan["periods"][0]["id"].get<std::string>(), std::regex(R"(\d{4}-\d{2}-q[1-4])")));
    CHECK(std::regex_match(plan["periods"][0]["end"].get<std::string>(), std::regex(R"(\d{4}-(03-31|06-30|09-30|12-31))")));

    CHECK_FALSE(site.exists("content/departments/_index.md"));
    CHECK(site.run({"new", "department", "Highways"}) == 0);
    CHECK(contains(site.out, "content/departments/_index.md, the list of departments"));
    CHECK(contains(site.read("content/departments/highways/index.md"), "type: department\n"));
    CHECK(contains(site.read("content/departments/_index.md"), "type: department\n"));
    CHECK(site.run({"new", "department", "Libraries"}) == 0);
    CHECK_FALSE(contains(site.out, "the list of departments"));  // it is there already
    CHECK_MESSAGE(site.run({"check"}) == 0, site.err);
    CHECK_MESSAGE(site.run({"build"}) == 0, site.err);
    CHECK(contains(site.read("public/departments/index.html"), "href=\"/departments/highways/\""));
    CHECK(contains(site.read("public/plans/road-safety-plan/index.html"), "First priority"));

    CHECK(site.run({"new", "plan", "Road Safety Plan"}) == 1);  // its folder exists
    CHECK(site.run({"new", "department", "Highways"}) == 1);
    CHECK(site.run({"new", "plan", "X", "--schema", "table"}) == 2);
    // A name a department already answers to would make a second that fails check: refused.
    site.write("content/departments/libraries/index.md", "---\ntitle: Libraries\ntype: department\nshort_names: [LIB]\ndivisions: [Archives]\n---\n");
    CHECK(site.run({"new", "department", "LIB"}) == 1);
    CHECK(contains(site.err, "\"LIB\" already names the department Libraries"));
    CHECK(site.run({"new", "department", "Archives"}) == 1);
    CHECK(
        contains(site.err, "plainsight: \"Archives\" already names \"Archives\", a division of Libraries (content/departments/libraries/index.md)"));
    CHECK_FALSE(site.exists("content/departments/archives"));
    CHECK_MESSAGE(site.run({"check"}) == 0, site.err);
  }

  TEST_CASE("a new plan's period is the financial-year quarter of the day it is made") {
    CHECK(cli::plan_scaffold("P", "2026-11-29")["periods"][0] ==
          nlohmann::ordered_json::parse(R"({"id": "2026-27-q3", "label": "Dec 2026", "end": "2026-12-31"})"));
    CHECK(cli::plan_scaffold("P", "2027-02-01")["periods"][0] ==
          nlohmann::ordered_json::parse(R"({"id": "2026-27-q4", "label": "Mar 2027", "end": "2027-03-31"})"));
    CHECK(cli::plan_scaffold("P", "2027-04-01")["periods"][0] ==
          nlohmann::ordered_json::parse(R"({"id": "2027-28-q1", "label": "Jun 2027", "end": "2027-06-30"})"));
    CHECK(cli::plan_scaffold("P", "2099-09-30")["periods"][0] ==
          nlohmann::ordered_json::parse(R"({"id": "2099-00-q2", "label": "Sep 2099", "end": "2099-09-30"})"));
  }

  TEST_CASE("new period adds a period to fill in to a plan, keeps the last period's targets its own, and refuses a period twice") {
    nlohmann::ordered_json plan = nlohmann::ordered_json::parse(R"({
      "title": "P",
      "periods": [{"id": "2021-22-q3", "label": "Dec 2021", "end": "2021-12-31"}, {"id": "2021-22", "label": "Mar 2022", "end": "2022-03-31"}],
      "priorities": [{"id": "p", "title": "P"}],
      "deliverables": [{"id": "d", "priority": "p", "title": "D", "updates": [{"period": "2021-22", "rating": "good", "text": "Done"}]},
                       {"id": "e", "priority": "p", "title": "E"}],
      "measures": [{"id": "m", "priority": "p", "title": "M", "unit": "percent", "target": 55, "published_rating": "review",
                    "values": [{"period": "2021-22", "value": 51.9}]},
                   {"id": "n", "priority": "p", "title": "N", "unit": "count", "target": 3}]})");
    const auto added = cli::add_period(plan, "Jun 2022", "2022-06-30");
    REQUIRE(added.error.empty());
    CHECK(added.id == "2022-23-q1");
    CHECK(added.deliverables == 2);
    CHECK(added.measures == 2);
    CHECK(plan["periods"].back() == nlohmann::ordered_json::parse(R"({"id": "2022-23-q1", "label": "Jun 2022", "end": "2022-06-30"})"));
    CHECK(plan["deliverables"][0]["updates"].back() == nlohmann::ordered_json::parse(R"({"period": "2022-23-q1", "rating": null, "text": ""})"));
    CHECK(plan["deliverables"][1]["updates"].size() == 1);
    CHECK(plan["measures"][0]["values"] ==
          nlohmann::ordered_json::parse(
              R"([{"period": "2021-22", "value": 51.9, "target": 55, "published_rating": "review"}, {"period": "2022-23-q1", "value": null}])"));
    CHECK_FALSE(plan["measures"][0].contains("target"));
    CHECK_FALSE(plan["measures"][0].contains("published_rating"));  // March's, not June's
    CHECK(plan["measures"][1]["values"] ==
          nlohmann::ordered_json::parse(R"([{"period": "2021-22", "target": 3}, {"period": "2022-23-q1", "value": null}])"));

    CHECK(cli::add_period(plan, "Jun 2022", "2022-07-31").error.find("already") != std::string::npos);
    CHECK(cli::add_period(plan, "Q1", "2022-06-30").error.find("already") != std::string::npos);  // its id, 2022-23-q1
    CHECK(cli::add_period(plan, "May 2022", "2022-05-31").error.find("must end after it") != std::string::npos);
    CHECK(cli::add_period(plan, "Summer 2022", "2022-08-15").id == "summer-2022");  // not a quarter's end
    CHECK_FALSE(cli::add_period(plan, "X", "2022-13-01").error.empty());
    CHECK(cli::add_period(plan, "Été 2027", "2027-08-15").error.find("letters a-z") != std::string::npos);  // ids are a-z, 0-9 and hyphens
  }

  TEST_CASE("new period in a plan kept as CSV tables adds the rows to fill in and moves the last period's target onto its row") {
    std::map<std::string, cli::EditableTable> tables = {
        {"periods.csv", {{"id", "label", "end"}, {{"2021-22-q3", "Dec 2021", "2021-12-31"}, {"2021-22", "Mar 2022", "2022-03-31"}}}},
        {"deliverables.csv", {{"id", "priority", "title"}, {{"d", "p", "D"}, {"e", "p", "E"}}}},
        {"measures.csv",
         {{"id", "title", "last_period_target", "last_period_target_as_published", "published_rating"},
          {{"m", "M", "95", "95% or above", "review"}, {"n", "N", "3", "", ""}}}},
        {"measure-values.csv", {{"measure", "period", "value"}, {{"m", "2021-22", "94"}}}}};
    const auto added = cli::add_period_to_tables(tables, "Jun 2022", "2022-06-30");
    REQUIRE(added.error.empty());
    CHECK(added.id == "2022-23-q1");
    CHECK(added.deliverables == 2);
    CHECK(added.measures == 2);
    CHECK(tables["periods.csv"].rows.back() == std::vector<std::string>{"2022-23-q1", "Jun 2022", "2022-06-30"});
    // updates.csv was not there: it is made, with a row to fill in for each deliverable.
    CHECK(tables["updates.csv"].header == std::vector<std::string>{"deliverable", "period", "rating", "text"});
    CHECK(tables["updates.csv"].rows == std::vector<std::vector<std::string>>{{"d", "2022-23-q1", "", ""}, {"e", "2022-23-q1", "", ""}});
    const auto& values = tables["measure-values.csv"];
    CHECK(values.header ==
          std::vector<std::string>{"measure", "period", "value", "value_as_published", "target", "target_as_published", "published_rating"});
    CHECK(values.rows == std::vector<std::vector<std::string>>{{"m", "2021-22", "94", "", "95", "95% or above", "review"},
                                                               {"n", "2021-22", "", "", "3", "", ""},
                                                               {"m", "2022-23-q1", "", "", "", "", ""},
                                                               {"n", "2022-23-q1", "", "", "", "", ""}});
    CHECK(tables["measures.csv"].rows[0] == std::vector<std::string>{"m", "M", "", "", ""});  // March's, not June's
    // A row that gives a target of its own keeps it: the measure's number and words go together or not at all.
    std::map<std::string, cli::EditableTable> own = {
        {"periods.csv", {{"id", "end"}, {{"q4", "2022-03-31"}}}},
        {"measures.csv", {{"id", "last_period_target", "last_period_target_as_published"}, {{"m", "", "95% or above"}}}},
        {"measure-values.csv", {{"measure", "period", "target"}, {{"m", "q4", "60"}}}}};
    REQUIRE(cli::add_period_to_tables(own, "Jun 2022", "2022-06-30").error.empty());
    CHECK(own["measure-values.csv"].rows[0] == std::vector<std::string>{"m", "q4", "60", "", "", "", ""});
    CHECK(own["measures.csv"].rows[0] == std::vector<std::string>{"m", "", ""});
    CHECK(cli::add_period_to_tables(tables, "Jun 2022", "2022-07-31").error.find("already") != std::string::npos);
    CHECK(cli::add_period_to_tables(tables, "May 2022", "2022-05-31").error.find("must end after it") != std::string::npos);
  }

  TEST_CASE("new period on a site: the plan still passes check, rated as before until the new period is filled in") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    site.use_default_theme();
    REQUIRE(site.run({"new", "plan", "Road Safety Plan"}) == 0);
    auto plan = nlohmann::json::parse(site.read("content/plans/road-safety-plan/plan.json"));
    const auto first = plan["periods"][0];
    plan["deliverables"] = nlohmann::json::parse(R"([{"id": "d", "priority": "first-priority", "title": "Fit speed cameras", "updates": []}])");
    plan["deliverables"][0]["updates"].push_back({{"period", first["id"]}, {"rating", "good"}, {"text", "Ten fitted."}});
    site.write("content/plans/road-safety-plan/plan.json", plan.dump(2));
    REQUIRE_MESSAGE(site.run({"build"}) == 0, site.err);
    const auto before = site.read("public/plans/road-safety-plan/report/index.html");
    CHECK(contains(before, "Ten fitted."));

    // A period ending a year after the first's end: a quarter's end, so its id is that quarter's.
    const auto end = std::to_string(std::stoi(first["end"].get<std::string>().substr(0, 4)) + 1) + first["end"].get<std::string>().substr(4);
    CHECK(site.run({"new", "period", "road-safety-plan", "Next year", "--end", end}) == 0);
    CHECK(contains(site.out, "fill in the update of 1 deliverable and the value of 0 measures"));
    CHECK_MESSAGE(site.run({"check"}) == 0, site.err);
    REQUIRE_MESSAGE(site.run({"build"}) == 0, site.err);
    // Nothing is reported for the new period yet: the report is still the last one's.
    CHECK(contains(site.read("public/plans/road-safety-plan/report/index.html"), "Ten fitted."));
    CHECK(site.run({"new", "period", "road-safety-plan", "Next year", "--end", end}) == 1);
    CHECK(contains(site.err, "already"));
    CHECK(site.run({"new", "period", "road-safty-plan", "X", "--end", "2030-03-31"}) == 1);
    CHECK(contains(site.err, "did you mean \"road-safety-plan\"?"));
    CHECK(site.run({"new", "period", "road-safety-plan", "X"}) == 2);  // no --end
    CHECK(site.run({"new", "page", "X", "--end", "2030-03-31"}) == 2);
  }

  TEST_CASE("a period new period added is shown in no chart or table of figures until its value is filled in") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    site.use_default_theme();
    REQUIRE(site.run({"new", "plan", "Road Safety Plan"}) == 0);
    auto plan = nlohmann::json::parse(site.read("content/plans/road-safety-plan/plan.json"));
    const auto first = plan["periods"][0];
    plan["measures"] = nlohmann::json::array();
    plan["measures"].push_back({{"id", "crashes"},
                                {"priority", "first-priority"},
                                {"title", "Crashes"},
                                {"unit", "number"},
                                {"direction", "lower"},
                                {"values", {{{"period", first["id"]}, {"value", 12}}}}});
    site.write("content/plans/road-safety-plan/plan.json", plan.dump(2));
    const auto end = std::to_string(std::stoi(first["end"].get<std::string>().substr(0, 4)) + 1) + first["end"].get<std::string>().substr(4);
    REQUIRE(site.run({"new", "period", "road-safety-plan", "Next year", "--end", end}) == 0);
    REQUIRE_MESSAGE(site.run({"build"}) == 0, site.err);
    const auto measure = site.read("public/plans/road-safety-plan/measures/crashes/index.html");
    CHECK(contains(measure, ">1 figure; the values are in the table"));
    CHECK_FALSE(contains(measure, "Next year"));
    CHECK_FALSE(contains(site.read("public/plans/road-safety-plan/index.html"), "Next year"));
  }
}
