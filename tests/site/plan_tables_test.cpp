// Whole-site tests of plans kept as CSV tables (docs/plans.md "A plan as spreadsheet tables").
#include <doctest/doctest.h>

#include <filesystem>

#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;
using testing::contains;
using testing::TempSite;

namespace {

/// Whether `path` is a file a plan's bundle publishes as it is (its plan.json or its tables),
/// rather than a page or file the site makes.
bool bundle_copy(const std::string& path) {
  return path.starts_with("plans/") && !path.starts_with("plans/index") && std::count(path.begin(), path.end(), '/') == 2 &&
         (path.ends_with("/plan.json") || path.ends_with(".csv"));
}

/// Checks that two builds wrote the same files with the same bytes, but for the plans' bundles'
/// own files, and that they are the whole site.
void same_files(const fs::path& from_json, const fs::path& from_csv) {
  auto json_files = testing::files_under(from_json), csv_files = testing::files_under(from_csv);
  std::erase_if(json_files, [](const auto& file) { return bundle_copy(file.first); });
  std::erase_if(csv_files, [](const auto& file) { return bundle_copy(file.first); });
  CHECK(json_files.size() == csv_files.size());
  std::size_t pages = 0;
  for (const auto& file : json_files) {
    const auto& path = file.first;  // not a structured binding: clang 14 cannot capture one in doctest's checks
    const auto other = csv_files.find(path);
    REQUIRE_MESSAGE(other != csv_files.end(), path);
    CHECK_MESSAGE(other->second == file.second, path);
    pages += path.ends_with(".html");
  }
  CHECK(pages > 600);
}

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("every example plan's published CSVs, put back into its bundle on their own, build the same site file for file") {
    TempSite json_site({}, true), csv_site({}, true);
    testing::copy_example_site(json_site);
    testing::copy_example_site(csv_site);
    REQUIRE(json_site.run({"build", "--out", (json_site.dir() / "out").string()}) == 0);
    std::size_t plans = 0;
    for (const auto& bundle : fs::directory_iterator(csv_site.dir() / "content/plans")) {
      if (!fs::exists(bundle.path() / "plan.json")) continue;
      fs::remove(bundle.path() / "plan.json");
      for (const auto& table : fs::directory_iterator(json_site.dir() / "out/data/plans" / bundle.path().filename()))
        if (table.path().extension() == ".csv") fs::copy_file(table.path(), bundle.path() / table.path().filename());
      ++plans;
    }
    CHECK(plans == 6);
    REQUIRE_MESSAGE(csv_site.run({"build", "--out", (csv_site.dir() / "out").string()}) == 0, csv_site.err);
    CHECK(contains(csv_site.out, "4 warnings"));  // the council's counts that differ, now placed in trend.csv
    CHECK(contains(csv_site.err,
                   "content/plans/council-plan-2021-25/trend.csv:8:1: warning: Mar 2022, Deliverables: the report counts 56 with no change"));
    same_files(json_site.dir() / "out", csv_site.dir() / "out");

    // A quarter added to either builds the same site too.
    for (auto* site : {&json_site, &csv_site}) {
      REQUIRE(site->run({"new", "period", "council-plan-2021-25", "Jun 2022", "--end", "2022-06-30"}) == 0);
      CHECK(contains(site->out, "Added Jun 2022 (2022-23-q1, ending 30 June 2022) to "));
      CHECK(contains(site->out, "fill in the update of 66 deliverables"));
      REQUIRE_MESSAGE(site->run({"build", "--out", (site->dir() / "next").string()}) == 0, site->err);
    }
    const auto folder = std::string("content/plans/council-plan-2021-25/");
    CHECK(contains(csv_site.read(folder + "periods.csv"), "\r\n2022-23-q1,Jun 2022,2022-06-30,\r\n"));
    CHECK(contains(csv_site.read(folder + "updates.csv"), "\r\napprenticeships,2022-23-q1,,\r\n"));
    CHECK(contains(csv_site.read(folder + "measure-values.csv"), "\r\nresidents-value-for-money,2022-23-q1,,"));
    same_files(json_site.dir() / "next", csv_site.dir() / "next");
  }

  TEST_CASE("a plan's folder holds plan.json or its tables, not both") {
    TempSite site({{"content/plans/p/index.md", "---\ntitle: P\ntype: plan\n---\nP.\n"},
                   {"content/plans/p/plan.json",
                    R"({"title": "P", "periods": [{"id": "q4", "end": "2022-03-31"}], "priorities": [{"id": "a", "title": "A"}]})"},
                   {"content/plans/p/plan.csv", "title\nP\n"}});
    CHECK_FALSE(site.generate());
    CHECK(contains(testing::all_messages(site.diagnostics),
                   "content/plans/p/index.md:1:1: error: this plan's folder has both plan.json and plan.csv: keep one"));
  }

  TEST_CASE("a broken link in a CSV plan's Markdown is reported at its table's cell") {
    TempSite site({{"content/plans/p/index.md", "---\ntitle: P\ntype: plan\n---\nP.\n"},
                   {"content/plans/p/plan.csv", "title\nP\n"},
                   {"content/plans/p/periods.csv", "id,end\nq4,2022-03-31\n"},
                   {"content/plans/p/priorities.csv", "id,title\na,A\n"},
                   {"content/plans/p/deliverables.csv", "id,priority,title\nd,a,D\n"},
                   {"content/plans/p/updates.csv", "deliverable,period,rating,text\nd,q4,good,See [the list](/nowhere/).\n"}});
    CHECK_FALSE(site.generate());
    CHECK(contains(testing::all_messages(site.diagnostics), "content/plans/p/updates.csv:2:11: error:"));
    CHECK(contains(testing::all_messages(site.diagnostics), "/nowhere/"));
  }

  TEST_CASE("only the tables beside plan.csv are read, not copies in a folder below") {
    TempSite site({{"content/plans/p/index.md", "---\ntitle: P\ntype: plan\n---\nP.\n"},
                   {"content/plans/p/plan.csv", "title\nP\n"},
                   {"content/plans/p/periods.csv", "id,end\nq4,2022-03-31\n"},
                   {"content/plans/p/priorities.csv", "id,title\na,A\n"},
                   {"content/plans/p/old/priorities.csv", "id,title\nb,B\n"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    CHECK(output->files.contains("plans/p/a/index.html"));
    CHECK_FALSE(output->files.contains("plans/p/b/index.html"));
  }

  TEST_CASE("new period refuses a plan whose tables do not pass check, and reads their dates as the build does") {
    TempSite site({{"content/plans/p/index.md", "---\ntitle: P\ntype: plan\n---\nP.\n"},
                   {"content/plans/p/plan.csv", "title\nP\n"},
                   {"content/plans/p/periods.csv", "id,label,end\nq4,Mar 2022,31/03/2022\n"},
                   {"content/plans/p/priorities.csv", "id,title\na,A\n"},
                   {"content/plans/p/measures.csv", "priority,title,last_period_target\na,M,70\n"}});
    CHECK(site.run({"new", "period", "p", "Jun 2022", "--end", "2022-06-30"}) != 0);
    CHECK(contains(site.err, "content/plans/p/measures.csv:1:1: error: missing the column \"id\""));
    CHECK(contains(site.err, "put them right before adding a period"));
    CHECK_FALSE(site.exists("content/plans/p/updates.csv"));
    site.write("content/plans/p/measures.csv", "id,priority,title,last_period_target\nm,a,M,70\n");
    CHECK(site.run({"new", "period", "p", "Dec 2021", "--end", "2021-12-31"}) != 0);
    CHECK(contains(site.err, "the plan's last period, Mar 2022, ends on 31/03/2022: a new period must end after it"));
    REQUIRE(site.run({"new", "period", "p", "Jun 2022", "--end", "2022-06-30"}) == 0);
    CHECK(site.read("content/plans/p/measure-values.csv") ==
          "measure,period,value,value_as_published,target,target_as_published,published_rating\r\nm,q4,,,70,,\r\nm,2022-23-q1,,,,,\r\n");
    CHECK(site.run({"check"}) == 0);
  }
}
