#include <doctest/doctest.h>

#include <filesystem>

#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;

namespace {
using testing::contains;
}  // namespace

TEST_SUITE("site") {
  TEST_CASE(
      "the second example, Derby City's delivery plan (themes, focus areas, actions, portfolios), renders with the default theme and no code of its "
      "own (seeds/004)") {
    testing::TempSite site({}, true);
    const fs::path source = PLAINSIGHT_SOURCE_DIR;
    fs::copy(source / "examples/derby-city", site.dir(), fs::copy_options::recursive);
    fs::copy(source / "themes", site.dir() / "themes", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    CHECK(testing::all_messages(site.diagnostics) == "");
    const auto& overview = output->files.at("plans/delivery-plan-2019-20/index.html");
    CHECK(contains(overview, "By Theme"));
    CHECK(contains(overview, "Themes and how many actions and measures each has"));
    CHECK(contains(overview, "<caption>Actions by stage</caption>"));
    CHECK_FALSE(contains(overview, "Deliverable"));
    CHECK_FALSE(contains(overview, "Priority"));
    CHECK(contains(overview, "<td>Cllr Chris Poulter (Leader of the Council)</td>"));
    int actions = 0;
    for (const auto& [path, bytes] : output->files)
      if (path.starts_with("plans/delivery-plan-2019-20/deliverables/") && path.ends_with("/index.html")) ++actions;
    CHECK(actions == 70);  // every action of 004

    // 004 line 148: two steps, each with its month; 004 gives months, not days, so there is no due date.
    const auto& assembly_rooms = output->files.at("plans/delivery-plan-2019-20/deliverables/assembly-rooms/index.html");
    CHECK(contains(assembly_rooms, "Action under"));
    CHECK(contains(assembly_rooms, "<dt>Focus area</dt><dd>Culture</dd>"));
    CHECK(contains(assembly_rooms, "<dt>Portfolio</dt><dd>Regeneration, Planning and Transportation</dd>"));
    CHECK(contains(assembly_rooms, "<dt>Cabinet member</dt><dd>Cllr Matthew Holmes (Deputy Leader of the Council)</dd>"));
    CHECK(contains(assembly_rooms, "<dt>Accountable officer</dt><dd>Catherine Williams</dd>"));
    CHECK(contains(assembly_rooms, "<dt>Timescale</dt><dd>June 2019; September 2019</dd>"));
    CHECK(contains(
        assembly_rooms,
        "<dt>Milestones</dt><dd>June 2019: Consult public and stakeholders on the detailed design; September 2019: Secure planning consent</dd>"));
    CHECK(contains(assembly_rooms, "<dt>Start</dt><dd>Not published</dd>"));
    CHECK_FALSE(contains(assembly_rooms, "<dt>Due</dt>"));  // a month is not a day: the timescale says it

    // Browsable by focus area and portfolio: each of 004's eight portfolios, and an action with two
    // focus areas (line 203, "Health and wellbeing Housing") under both.
    const auto& portfolios = output->files.at("plans/delivery-plan-2019-20/by/portfolio/index.html");
    for (const auto* portfolio :
         {"strategy-and-policy", "regeneration-planning-and-transportation", "governance-and-licensing", "adults-health-and-housing",
          "children-and-young-people", "finance-and-procurement", "leisure-culture-and-tourism", "communities-neighbourhoods-and-streetpride"}) {
      CAPTURE(portfolio);
      CHECK(contains(portfolios, std::string("by/portfolio/") + portfolio + "/"));
      CHECK(output->files.contains(std::string("plans/delivery-plan-2019-20/by/portfolio/") + portfolio + "/index.html"));
    }
    for (const auto* focus : {"health-and-wellbeing", "housing"})
      CHECK(contains(output->files.at(std::string("plans/delivery-plan-2019-20/by/focus-area/") + focus + "/index.html"),
                     "deliverables/independent-at-home/"));

    // 004 line 161: "Summer 2020" is kept in words and gives no due date.
    const auto& a52 = output->files.at("plans/delivery-plan-2019-20/deliverables/a52-improvement/index.html");
    CHECK(contains(a52, "<dt>Timescale</dt><dd>Summer 2020</dd>"));
    CHECK_FALSE(contains(a52, "<dt>Due</dt>"));
  }
}
