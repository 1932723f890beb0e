#include <doctest/doctest.h>

#include "content/plan.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::contains;

namespace {

std::optional<Plan> load(const std::string& text, Diagnostics& diagnostics) {
  const auto source = parse_json(text, "plan.json", diagnostics);
  if (!source) return std::nullopt;
  return load_plan(*source, {}, diagnostics);
}

const char* service_plan = R"json({
  "title": "CCP Service Plan 2020-21",
  "department": "CCP",
  "labels": {"deliverable": "Action", "deliverables": "Actions", "risk": "Key risk", "risks": "Key risks"},
  "periods": [{"id": "2018-19", "end": "2019-03-31", "heading": "Actual"}, {"id": "2019-20", "end": "2020-03-31", "heading": "Latest"},
              {"id": "2020-21", "end": "2021-03-31", "heading": "Target"}],
  "priorities": [{"id": "value-for-money", "title": "Value for money", "kind": "council"},
                 {"id": "high-performing-services", "title": "High-performing council services", "kind": "council"},
                 {"id": "protecting-local-people", "title": "Protecting local people", "kind": "department"}],
  "deliverables": [
    {"id": "non-structural-reform", "number": "5", "priority": "value-for-money", "other_priorities": ["high-performing-services"],
     "title": "Develop the approach to non-structural reform", "lead": "Emma Alexander",
     "start": "2019-04", "start_as_published": "April 2019", "due_as_published": "June 2020 (Phase 2)",
     "success_measures": ["Overarching framework in place"], "council_plan": false},
    {"id": "pay-award", "number": "10", "priority": "value-for-money", "title": "Facilitate the pay award for 2020/21",
     "start_as_published": "Start and completion dates are dependent upon national negotiations", "council_plan": true}
  ],
  "measures": [
    {"id": "surplus", "title": "Percentage of land and buildings identified as surplus", "unit": "percent", "direction": "lower",
     "values": [{"period": "2018-19", "value_as_published": "N/Av"}, {"period": "2019-20", "value": 7.5, "value_as_published": "7.5"},
                {"period": "2020-21", "target": 2.5, "target_as_published": "2.5"}]},
    {"id": "complaints", "title": "Number of complaints - CCP", "direction": "none",
     "values": [{"period": "2019-20", "value_as_published": "AD"}, {"period": "2020-21", "target_as_published": "Monitor"}]}
  ],
  "risks": [
    {"id": "services-to-schools", "priority": "value-for-money", "title": "Services to schools", "text": "Academies reduce funding.",
     "mitigations": "An annual review of services to schools."},
    {"id": "protecting-none", "priority": "protecting-local-people", "none": "None"}
  ]
})json";

}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a service plan keeps its actions' numbers, dates in words, success measures, priorities and risks as published") {
    Diagnostics diagnostics;
    const auto plan = load(service_plan, diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(diagnostics.error_count() == 0);
    CHECK(plan->department == "CCP");
    CHECK(plan->labels.risks == "Key risks");
    CHECK(plan->periods[1].heading == "Latest");
    CHECK(plan->priorities[2].kind == PriorityKind::department);
    const auto& reform = plan->deliverables[0];
    CHECK(reform.number == "5");
    CHECK(reform.other_priorities == std::vector<std::string>{"high-performing-services"});
    REQUIRE(reform.start);
    CHECK(reform.start->month_only);
    CHECK(format_plan_date(*reform.start) == "April 2019");
    CHECK(plan_date_iso(*reform.start) == "2019-04");
    CHECK_FALSE(reform.due);
    CHECK(reform.due_as_published == "June 2020 (Phase 2)");
    CHECK(reform.success_measures == std::vector<std::string>{"Overarching framework in place"});
    CHECK(reform.council_plan == false);
    CHECK(plan->deliverables[1].council_plan == true);
    CHECK(plan->deliverables[1].start_as_published == "Start and completion dates are dependent upon national negotiations");
    // A KPI listed for the whole section has no priority; its words are kept, not errors.
    CHECK(plan->measures[0].priority.empty());
    CHECK(plan->measures[0].values[0].value_as_published == "N/Av");
    CHECK(plan->measures[1].target_in(2)->as_published == "Monitor");
    REQUIRE(plan->risks.size() == 2);
    CHECK(plan->risks[0].title == "Services to schools");
    CHECK(plan->risks[0].mitigations.text == "An annual review of services to schools.");
    CHECK(plan->risks[1].none == "None");
  }

  TEST_CASE("a service plan's mistakes are reported at their place, all at once, with did you mean") {
    std::string text = service_plan;
    auto replace = [&](const std::string& from, const std::string& to) {
      const auto at = text.find(from);
      REQUIRE(at != std::string::npos);
      text.replace(at, from.size(), to);
    };
    replace(R"("other_priorities": ["high-performing-services"])", R"("other_priorities": ["high-performing-service"])");
    replace(R"("council_plan": true)", R"("council_plan": "✓")");
    replace(R"("start": "2019-04")", R"("start": "2019-13")");
    replace(R"("council_plan": false})", R"("council_plan": false, "council_plan_deliverable": "/plans/p/deliverables/d/"})");
    replace(R"({"period": "2019-20", "value_as_published": "AD"})",
            R"({"period": "2019-20", "value_as_published": "AD"}, {"period": "2019-20", "value": 3})");
    replace(R"("none": "None")", R"("mitigations": "Watch.")");
    replace(R"("id": "services-to-schools", "priority": "value-for-money")", R"("id": "services-to-schools", "priority": "value-for-mony")");
    Diagnostics diagnostics;
    CHECK_FALSE(load(text, diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(contains(messages, "unknown priority \"high-performing-service\" (did you mean \"high-performing-services\"?)"));
    CHECK(contains(messages, "unknown priority \"value-for-mony\" (did you mean \"value-for-money\"?)"));
    CHECK(contains(messages, "expected true (the document marks it as a Council Plan deliverable"));
    CHECK(contains(messages, "\"2019-13\" is not a valid month for \"start\""));
    CHECK(contains(messages, "\"council_plan\" is false (the document marks it ✗, not a Council Plan deliverable), so it links to none"));
    CHECK(contains(messages, "period \"2019-20\" appears twice"));
    CHECK(contains(messages, "this risk has no text"));
    for (const auto& diagnostic : diagnostics.sorted()) CHECK(diagnostic.where.line > 1);
  }

  TEST_CASE("a measure needs a priority in a plan that is not a service plan") {
    std::string text = service_plan;
    text.replace(text.find(R"("department": "CCP",)"), 20, "");
    Diagnostics diagnostics;
    (void)load(text, diagnostics);
    CHECK(contains(all_messages(diagnostics), "missing \"priority\""));
  }
}
