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

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("every example plan's published CSVs, put back into its bundle on their own, build the same site file for file") {
    TempSite site({}, true);
    testing::copy_example_site(site);
    const auto json_out = site.dir() / "from-json";
    REQUIRE(site.run({"build", "--out", json_out.string()}) == 0);
    std::size_t plans = 0;
    for (const auto& bundle : fs::directory_iterator(site.dir() / "content/plans")) {
      if (!fs::exists(bundle.path() / "plan.json")) continue;
      fs::remove(bundle.path() / "plan.json");
      const auto published = json_out / "data/plans" / bundle.path().filename();
      for (const auto& table : fs::directory_iterator(published))
        if (table.path().extension() == ".csv") fs::copy_file(table.path(), bundle.path() / table.path().filename());
      ++plans;
    }
    CHECK(plans == 6);
    const auto csv_out = site.dir() / "from-csv";
    REQUIRE_MESSAGE(site.run({"build", "--out", csv_out.string()}) == 0, site.err);
    CHECK(contains(site.out, "4 warnings"));  // the council's counts that differ, now placed in trend.csv
    CHECK(
        contains(site.err, "content/plans/council-plan-2021-25/trend.csv:8:1: warning: Mar 2022, Deliverables: the report counts 56 with no change"));
    auto from_json = testing::files_under(json_out), from_csv = testing::files_under(csv_out);
    std::erase_if(from_json, [](const auto& file) { return bundle_copy(file.first); });
    std::erase_if(from_csv, [](const auto& file) { return bundle_copy(file.first); });
    REQUIRE(from_json.size() == from_csv.size());
    std::size_t pages = 0;
    for (const auto& [path, bytes] : from_json) {
      const auto other = from_csv.find(path);
      REQUIRE_MESSAGE(other != from_csv.end(), path);
      CHECK_MESSAGE(other->second == bytes, path);
      pages += path.ends_with(".html");
    }
    CHECK(pages > 600);
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
}
