#include <doctest/doctest.h>

#include <filesystem>

#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;

namespace {
using testing::contains;
}  // namespace

TEST_SUITE("site") {
  TEST_CASE("a Derby-style delivery plan (themes, actions, portfolios) renders with the default theme and no code of its own (seeds/004)") {
    testing::TempSite site({}, true);
    const fs::path source = PLAINSIGHT_SOURCE_DIR;
    fs::copy(source / "tests/fixtures/sites/derby-delivery-plan", site.dir(), fs::copy_options::recursive);
    fs::copy(source / "themes", site.dir() / "themes", fs::copy_options::recursive);
    site.write("content/accessibility.md", "---\ntitle: Accessibility\n---\n");
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    CHECK(testing::all_messages(site.diagnostics) == "");
    const auto& overview = output->files.at("plans/delivery-plan-2019-20/index.html");
    CHECK(contains(overview, "By Theme"));
    CHECK(contains(overview, "Themes and how many actions and measures each has"));
    CHECK(contains(overview, "<caption>Actions by stage</caption>"));
    CHECK_FALSE(contains(overview, "Deliverable"));
    CHECK_FALSE(contains(overview, "Priority"));
    std::string action_page;
    for (const auto& [path, bytes] : output->files)
      if (path.starts_with("plans/delivery-plan-2019-20/deliverables/")) action_page = bytes;
    REQUIRE_FALSE(action_page.empty());
    CHECK(contains(action_page, "Action under"));
    CHECK(contains(action_page, "<dt>Portfolio</dt>"));
    CHECK(contains(action_page, "<dt>Accountable officer</dt>"));
  }
}
