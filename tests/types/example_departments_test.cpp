// The example site's departments against 001, the departmental service plans 2020-21: every
// action, KPI and key risk is there, and the figures the issue names are as the seed prints them.
#include <doctest/doctest.h>

#include <algorithm>

#include "content/loader.hpp"
#include "content/references.hpp"
#include "support/temp_site.hpp"
#include "types/data_type.hpp"

using namespace plainsight;
using testing::all_messages;

namespace {

const SiteModel& example_site() {
  static const auto model = [] {
    Diagnostics diagnostics;
    LoadOptions options;
    options.data_types = data_loaders();
    auto loaded = load_site(PLAINSIGHT_SOURCE_DIR, options, diagnostics);
    REQUIRE_MESSAGE(loaded, all_messages(diagnostics));
    CHECK_MESSAGE(diagnostics.error_count() == 0, all_messages(diagnostics));
    return std::move(*loaded);
  }();
  return model;
}

std::size_t department_index(const SiteModel& model, std::string_view title) {
  const auto found = std::find_if(model.departments.begin(), model.departments.end(), [&](const Department& d) { return d.title == title; });
  REQUIRE_MESSAGE(found != model.departments.end(), "no department " << title);
  return static_cast<std::size_t>(found - model.departments.begin());
}

const Plan& plan_of(const SiteModel& model, std::string_view url) {
  const auto found = std::find_if(model.plans.begin(), model.plans.end(), [&](const Plan& p) { return p.url == url; });
  REQUIRE_MESSAGE(found != model.plans.end(), "no plan at " << url);
  return *found;
}

const MeasureValue& value_in(const Plan& plan, std::string_view measure, std::string_view period) {
  const auto& m = plan.measures.at(plan.measure_index(measure));
  const auto p = std::find_if(plan.periods.begin(), plan.periods.end(), [&](const PlanPeriod& x) { return x.id == period; }) - plan.periods.begin();
  const auto* value = m.value_in(static_cast<std::size_t>(p));
  REQUIRE_MESSAGE(value, measure << " has nothing for " << period);
  return *value;
}

}  // namespace

TEST_SUITE("types") {
  TEST_CASE("the four departments of 001 each have their whole service plan, budget and contracts") {
    const auto& model = example_site();
    REQUIRE(model.departments.size() == 4);
    struct Expected {
      const char* title;
      std::size_t actions, measures, risks, none;  // risks: those the document lists; none: its "None" entries
      double net_budget;                           // Appendix A's net controllable budget, as published
    };
    // Seed lines: CCP 55-427, ETE 714-1018, Adult Social Care and Health 1320-1628 (with Public
    // Health's risk table at 1489), Children's Services 1744-2050.
    for (const auto& expected :
         {Expected{"Commissioning, Communities and Policy", 51, 39, 5, 2, 59625880},
          Expected{"Economy, Transport and Environment", 52, 36, 5, 2, 76285000}, Expected{"Adult Social Care and Health", 23, 60, 4, 6, 254435767},
          Expected{"Children's Services", 29, 62, 7, 0, 114929535}}) {
      CAPTURE(expected.title);
      const auto facts = facts_of_department(model, department_index(model, expected.title));
      REQUIRE(facts.service_plans.size() == 1);
      const auto& plan = *facts.service_plans.front();
      CHECK(facts.actions == expected.actions);
      CHECK(facts.measures == expected.measures);
      CHECK(facts.risks == expected.risks);
      CHECK(plan.risks.size() == expected.risks + expected.none);
      REQUIRE(facts.net_budget);
      CHECK(*facts.net_budget == doctest::Approx(expected.net_budget));
      CHECK(!facts.contracts.empty());
      CHECK(!facts.savings.empty());
    }
  }

  TEST_CASE("the example service plans keep 001's words and figures as printed") {
    const auto& model = example_site();
    const auto& ccp = plan_of(model, "/plans/ccp-service-plan-2020-21/");
    const auto& pay = ccp.deliverables.at(ccp.deliverable_index("pay-award-2020-21"));
    CHECK(pay.number == "10");
    CHECK(pay.start_as_published == "Start and completion dates are dependent upon national negotiations");
    CHECK_FALSE(pay.start);
    CHECK(pay.council_plan == false);
    CHECK(value_in(ccp, "capital-receipts", "2019-20").value_as_published == "£6.046m (Feb 2020)");
    CHECK(value_in(ccp, "capital-receipts", "2019-20").as_of == "2020-02");
    CHECK(value_in(ccp, "capital-receipts", "2020-21").target->value == 33000000);

    const auto& ete = plan_of(model, "/plans/ete-service-plan-2020-21/");
    CHECK(value_in(ete, "departmental-budget-savings", "2019-20").value_as_published == "£737,000");
    CHECK(value_in(ete, "departmental-budget-savings", "2020-21").target->as_published == "£1.576m");

    // Adult Care prints targets for 2019-20 and 2020-21, and no 2019-20 figure.
    const auto& adults = plan_of(model, "/plans/adult-social-care-and-health-service-plan-2020-21/");
    CHECK_FALSE(value_in(adults, "departmental-budget-savings", "2019-20").value);
    CHECK(value_in(adults, "departmental-budget-savings", "2019-20").target->value == 5732000);
    CHECK(value_in(adults, "departmental-budget-savings", "2020-21").target->value == 14305000);
    CHECK(std::count_if(adults.risks.begin(), adults.risks.end(),
                        [](const Risk& r) { return r.department == "Public Health" && r.none == "None"; }) == 5);

    const auto& children = plan_of(model, "/plans/childrens-services-service-plan-2020-21/");
    const auto& agency = value_in(children, "agency-social-worker-spending", "2020-21");
    CHECK(agency.target->as_published == "Less than £155,000");
    CHECK(agency.target->kind == Target::Kind::at_most);
    CHECK(value_in(children, "agency-social-worker-spending", "2019-20").value_as_published == "£425,623 (Nov 19)");
  }

  TEST_CASE("where a department's own words give another budget than its table, both are kept to show") {
    const auto& model = example_site();
    // ETE's overview says "exceeding £76.4 million"; Appendix A's net budget is £76,285 thousand.
    const auto& ete = model.departments.at(department_index(model, "Economy, Transport and Environment"));
    REQUIRE(ete.budget_in_text.size() == 1);
    CHECK(budget_text_difference(ete.budget_in_text.front(), 76285000) != "");
    // CCP's overview says "exceeding £59 million" (true) and, under Budget, £59,625,879: a pound
    // short of its table's £59,625,880.
    const auto& ccp = model.departments.at(department_index(model, "Commissioning, Communities and Policy"));
    REQUIRE(ccp.budget_in_text.size() == 2);
    CHECK(budget_text_difference(ccp.budget_in_text[0], 59625880) == "");
    CHECK(budget_text_difference(ccp.budget_in_text[1], 59625880) != "");
  }

  TEST_CASE("ETE's three capital programmes are datasets whose totals are 001's, and its page lists them") {
    const auto& model = example_site();
    auto dataset = [&](std::string_view url) -> const TabularDataset& {
      const auto found = std::find_if(model.datasets.begin(), model.datasets.end(), [&](const TabularDataset& d) { return d.url == url; });
      REQUIRE_MESSAGE(found != model.datasets.end(), "no dataset at " << url);
      return *found;
    };
    // Appendix C: 58 vehicles, £2,512,000 of capital and £535,500 a year, as its total row says.
    const auto& vehicles = dataset("/capital-programmes/vehicle-replacement-2020-21/");
    CHECK(vehicles.rows.size() == 16);
    CHECK(vehicles.computed_totals == std::vector<double>{2512000, 535500, 58});
    REQUIRE(vehicles.published_total);
    // Appendix D: the closed landfill flares, £60,000 in 2020-21.
    CHECK(dataset("/capital-programmes/waste-management-capital-programme-2020-21/").computed_totals == std::vector<double>{60000});
    // Appendix E: the schemes against their sub-total, and the funding to a total net of £2,501,549.
    CHECK(dataset("/capital-programmes/derelict-land-reclamation-2020-21/").computed_totals == std::vector<double>{125549, 11000, 136549, 135000});
    CHECK(dataset("/capital-programmes/derelict-land-reclamation-2020-21-funding/").computed_totals == std::vector<double>{2501549});
    const auto facts = facts_of_department(model, department_index(model, "Economy, Transport and Environment"));
    CHECK(facts.datasets.size() == 4);
  }
}
