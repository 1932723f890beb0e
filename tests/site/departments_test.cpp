// Whole-site tests of departments: the names data uses resolve to department pages, which join a
// service plan, a budget, savings and contracts; with the default theme, as a site builds.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::contains;
using testing::TempSite;

namespace {

const char* listing = R"listing(
-- content/_index.md --
---
title: Home
---
Welcome.
-- content/departments/_index.md --
---
title: Departments
type: department
---
The departments.
-- content/departments/economy/index.md --
---
title: Economy, Transport and Environment
type: department
short_names: [ETE]
director: Mike Ashworth
divisions: [Highways, Public Transport Unit]
budget_in_text: ["exceeding £76.4m"]
---
Roads, buses and the countryside.
-- content/departments/children/index.md --
---
title: Children's Services
type: department
---
Schools and social care.
-- content/plans/ete-plan/index.md --
---
title: ETE Service Plan
type: plan
---
The plan.
-- content/plans/ete-plan/plan.json --
{
  "title": "ETE Service Plan 2020-21",
  "department": "ETE",
  "labels": {"deliverable": "Action", "deliverables": "Actions", "measure": "Key performance measure",
             "measures": "Key performance measures", "risk": "Key risk", "risks": "Key risks"},
  "periods": [{"id": "2019-20", "end": "2020-03-31", "heading": "Latest"}, {"id": "2020-21", "end": "2021-03-31", "heading": "Target"}],
  "priorities": [{"id": "value-for-money", "title": "Value for money", "kind": "council"},
                 {"id": "roads", "title": "Well kept roads", "kind": "department"}],
  "deliverables": [
    {"id": "savings", "number": "1", "priority": "value-for-money", "other_priorities": ["roads"], "title": "Achieve budget savings",
     "lead": "Angela Glithero", "start": "2019-03", "start_as_published": "March 2019", "due_as_published": "Ongoing",
     "success_measures": ["Savings delivered", "Budget balanced"], "council_plan": true,
     "council_plan_deliverable": "/plans/council-plan/deliverables/budget-savings/"},
    {"id": "buses", "priority": "roads", "title": "Retender bus services", "department": "Public Transport Unit"}
  ],
  "measures": [
    {"id": "potholes", "title": "Potholes repaired", "unit": "count", "direction": "none",
     "values": [{"period": "2019-20", "value": 1200, "value_as_published": "1,200 (Dec 2019)", "as_of": "2019-12"},
                {"period": "2020-21", "target_as_published": "Monitor"}]}
  ],
  "risks": [
    {"id": "winter", "priority": "roads", "title": "Severe winter", "text": "A hard winter damages roads.", "mitigations": "- Gritting\n- Reserves"},
    {"id": "vfm-none", "priority": "value-for-money", "none": "None"}
  ]
}
-- content/plans/council-plan/index.md --
---
title: Council Plan
type: plan
---
The Council Plan.
-- content/plans/council-plan/plan.json --
{
  "title": "Council Plan",
  "periods": [{"id": "2020-21", "end": "2021-03-31"}],
  "priorities": [{"id": "value-for-money", "title": "Value for money"}],
  "deliverables": [
    {"id": "budget-savings", "priority": "value-for-money", "title": "Achieved budget savings of £46.8m", "department": "All departments"},
    {"id": "roads", "priority": "value-for-money", "title": "Invested in roads", "department": "Economy, Transport & Environment / Children’s Services"},
    {"id": "typo", "priority": "value-for-money", "title": "A deliverable", "department": "Econmy, Transport and Environment"}
  ]
}
-- content/budgets/2020-21/index.md --
---
title: Budget 2020/21
type: budget
---
The budget.
-- content/budgets/2020-21/budget.json --
{
  "title": "Budget 2020/21", "year": "2020-21",
  "controllable": [{"department": "ETE", "title": "Approved Controllable Budget", "unit": 1000,
                    "columns": ["Employees", "Income", "Net Budget"], "sums": {"Net Budget": ["Employees", "Income"]},
                    "rows": [{"label": "Highways", "values": [80000, -3715, 76285]}],
                    "total": {"label": "Total", "values": [80000, -3715, 76285]}}],
  "savings": [{"item": "Staffing", "amount": 258000, "status": "planned", "department": "ETE"},
              {"item": "Placements", "amount": 10500000, "status": "planned", "department": "Children's Services", "note": "to March 2022"}]
}
-- content/procurement/index.md --
---
title: Upcoming contracts
type: pipeline
date: 2020-03-16
---
Contracts.
-- content/procurement/pipeline.csv --
title,value,start,department,group
Road resurfacing,"£2,000,000.00",01/04/2020,Highways,
Bus contracts,"£60,000.00",01/05/2020,Economy Transport and Environment,
Foster care,"£30,000.00",01/06/2020,Childrens Services,
)listing";

/// The listing built with the repository's default theme, as a site builds.
std::optional<SiteOutput> build_with_default_theme(TempSite& site) {
  site.write_all(listing);
  site.use_default_theme();
  return site.generate();
}

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("a department's page joins its service plan, budget, savings, contracts and Council Plan deliverables") {
    TempSite site({});
    const auto output = build_with_default_theme(site);
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK_MESSAGE(site.diagnostics.error_count() == 0, all_messages(site.diagnostics));
    const auto messages = all_messages(site.diagnostics);
    // Names that are no department are warnings at their place, with the closest name.
    CHECK(contains(messages, "content/plans/council-plan/plan.json:8:91: warning"));
    CHECK(contains(messages, "no department is called \"Econmy, Transport and Environment\" (did you mean \"Economy, Transport and Environment\"?)"));
    CHECK(contains(messages, "content/procurement/pipeline.csv:3:39: warning: no department is called \"Economy Transport and Environment\""));
    CHECK(contains(messages, "no department is called \"Childrens Services\" (did you mean \"Children's Services\"?)"));
    CHECK(site.diagnostics.warning_count() == 3);

    const auto page = "departments/economy/index.html";
    ASSERT_FILE_CONTAINS(*output, page, "<h1>Economy, Transport and Environment</h1>");
    ASSERT_FILE_CONTAINS(*output, page, "Mike Ashworth");
    // The service plan: actions by priority with dates as published, KPIs with words kept, risks with "None".
    ASSERT_FILE_CONTAINS(*output, page,
                         "1. <a href=\"/plans/ete-plan/deliverables/savings/\">Achieve budget savings</a></th><td>Angela Glithero</td><td>March "
                         "2019</td><td>Ongoing</td>");
    ASSERT_FILE_CONTAINS(*output, page, "<th scope=\"col\">Latest 2019-20</th><th scope=\"col\">Target 2020-21</th>");
    ASSERT_FILE_CONTAINS(*output, page, "<td>1,200 (Dec 2019)</td><td><span class=\"sub\">Target: Monitor</span></td>");
    ASSERT_FILE_CONTAINS(*output, page, "<li id=\"plans-ete-plan-risk-winter\">");
    ASSERT_FILE_CONTAINS(*output, page, "<li>Gritting</li>");
    ASSERT_FILE_CONTAINS(*output, page, "<strong>Value for money:</strong> None");
    // The budget as published, and where its own words say otherwise, both.
    ASSERT_FILE_CONTAINS(*output, page, "<strong>£76,285,000</strong>");
    ASSERT_FILE_CONTAINS(*output, page,
                         "the overview says “exceeding £76.4m”, more than £76,400,000; the budget table&#39;s net budget is £76,285,000");
    ASSERT_FILE_CONTAINS(*output, page, "<th scope=\"row\">Staffing</th>");
    // Contracts listed under a division or another spelling are the department's; the link filters the table.
    ASSERT_FILE_CONTAINS(*output, page, "The forward plan lists 1 procurement projects");
    ASSERT_FILE_CONTAINS(*output, page, "href=\"/procurement/?department=Highways#projects\"");
    ASSERT_FILE_CONTAINS(*output, page, "<a href=\"/plans/council-plan/deliverables/roads/\">Invested in roads</a>");
    CHECK_FALSE(contains(output->files.at(page), "Achieved budget savings of £46.8m"));  // "All departments" is no one's own

    // Wherever a department is named, it links to its page.
    const auto action = "plans/ete-plan/deliverables/buses/index.html";
    ASSERT_FILE_CONTAINS(*output, action, "<a href=\"/departments/economy/\">Public Transport Unit</a>");
    const auto savings = "plans/ete-plan/deliverables/savings/index.html";
    ASSERT_FILE_CONTAINS(*output, savings, "<li>Savings delivered</li><li>Budget balanced</li>");
    ASSERT_FILE_CONTAINS(*output, savings,
                         "<dd>Yes</dd>\n  <dt>Council Plan deliverable</dt><dd><a href=\"/plans/council-plan/deliverables/budget-savings/\">Achieved "
                         "budget savings of £46.8m</a>");
    ASSERT_FILE_CONTAINS(
        *output, savings,
        "under <a href=\"/plans/ete-plan/value-for-money/\">Value for money</a> and <a href=\"/plans/ete-plan/roads/\">Well kept roads</a>");
    ASSERT_FILE_CONTAINS(*output, "plans/ete-plan/roads/index.html", "Also serving this");
    ASSERT_FILE_CONTAINS(
        *output, "plans/council-plan/deliverables/roads/index.html",
        "<a href=\"/departments/economy/\">Economy, Transport &amp; Environment</a>, <a href=\"/departments/children/\">Children’s Services</a>");
    ASSERT_FILE_CONTAINS(*output, "procurement/index.html", "<a href=\"/departments/economy/\">Highways</a>");
    ASSERT_FILE_CONTAINS(*output, "budgets/2020-21/index.html", "<a href=\"/departments/economy/\">ETE</a>");

    // The list of departments, with counts.
    ASSERT_FILE_CONTAINS(
        *output, "departments/index.html",
        "<a href=\"/departments/economy/\">Economy, Transport and Environment</a></th><td>Mike Ashworth</td><td class=\"number\">£76,285,000</td>"
        "<td class=\"number\">2</td><td class=\"number\">1</td><td class=\"number\">1</td><td class=\"number\">1</td>");

    // Open data: departments, risks, actions and savings with their department.
    const auto departments = output->files.at("data/departments.csv");
    CHECK(contains(departments, "id,name,short_names,other_names,divisions,director,net_budget,service_plans,actions,kpis,risks,contracts,url\r\n"));
    CHECK(contains(departments,
                   "economy,\"Economy, Transport and Environment\",ETE,,\"Highways\nPublic Transport Unit\",Mike Ashworth,76285000,1,2,1,1,1,"));
    CHECK(contains(output->files.at("data/plans/ete-plan/risks.csv"), "vfm-none,ETE,economy,value-for-money,Value for money,,,,None\r\n"));
    CHECK(
        contains(output->files.at("data/plans/ete-plan/deliverables.csv"),
                 "savings,value-for-money,Value for money,Achieve budget savings,Angela Glithero,ETE,2019-03,,,,,,,unknown,"
                 "https://example.org/plans/ete-plan/deliverables/savings/,1,roads,March 2019,Ongoing,\"Savings delivered\nBudget balanced\",true,"));
    CHECK(
        contains(output->files.at("data/budgets/2020-21/savings.csv"), "Placements,10500000,planned,Children's Services,to March 2022,children\r\n"));
    const auto package = nlohmann::json::parse(output->files.at("data/datapackage.json"));
    std::vector<std::string> paths;
    for (const auto& resource : package["resources"]) paths.push_back(resource["path"].get<std::string>());
    for (const char* path : {"departments.csv", "departments.json", "plans/ete-plan/risks.csv", "plans/ete-plan/risks.json"})
      CHECK_MESSAGE(std::find(paths.begin(), paths.end(), path) != paths.end(), path);
  }

  TEST_CASE("search finds key risks as their own result type, and lists each department once however the data spells it") {
    TempSite site({});
    const auto output = build_with_default_theme(site);
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    std::string records;
    for (const auto& [path, text] : output->files)
      if (path.starts_with("search/")) records += text;
    CHECK(contains(records, "Severe winter"));
    CHECK(contains(records, "\"Risk\""));
    const auto meta = nlohmann::json::parse(output->files.at("search/index/meta.json"));
    std::vector<std::string> departments, types;
    for (const auto& facet : meta["facets"])
      for (const auto& value : facet["values"]) (facet["id"] == "department" ? departments : types).push_back(value[0].get<std::string>());
    CHECK(departments == std::vector<std::string>{"Children's Services", "Economy, Transport and Environment"});
    CHECK(std::find(types.begin(), types.end(), "Risk") != types.end());
  }
}
