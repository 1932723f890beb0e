#include <doctest/doctest.h>

#include "content/plan.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;

namespace {

const char* valid_plan = R"({
  "title": "Plan",
  "periods": [{"id": "q3", "label": "Dec 2021", "end": "2021-12-31"}, {"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}],
  "priorities": [{"id": "green", "title": "A green county"}],
  "measures": [
    {"id": "co2", "priority": "green", "title": "Emissions", "unit": "number", "direction": "lower", "target": 100,
     "values": [{"period": "q4", "value": 96}, {"period": "q3", "value": 110}], "published_rating": "good"},
    {"id": "trees", "priority": "green", "title": "Trees", "unit": "count", "target": 50, "status": "awaiting-data"}
  ],
  "deliverables": [
    {"id": "plant", "priority": "green", "title": "Plant trees", "start": "2021-04-01", "due": "2022-03-31",
     "updates": [{"period": "q4", "rating": "strong", "text": "Done."}, {"period": "q3", "rating": "good", "text": ""}],
     "measures": ["co2"], "fields": {"Portfolio": "Environment", "Accountable officer": "Jo Bloggs"}}
  ]
})";

std::optional<Plan> load(const std::string& text, Diagnostics& diagnostics) {
  const auto source = parse_json(text, "plan.json", diagnostics);
  if (!source) return std::nullopt;
  return load_plan(*source, {}, diagnostics);
}

}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a valid plan is loaded with its ratings and directions of travel") {
    Diagnostics diagnostics;
    const auto plan = load(valid_plan, diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    const auto& co2 = plan->measures[0];
    REQUIRE(co2.values.size() == 2);
    CHECK(co2.values[0].period == 0);  // sorted by period
    REQUIRE(co2.latest);
    CHECK(co2.values[*co2.latest].value == 96);
    CHECK(co2.rating.rating == Rating::good);  // 4% better: good
    CHECK(co2.rating.rating == co2.published_rating);
    // The target is the latest period's: Dec 2021's figure has no target of its own, so no rating,
    // and no direction of travel by ratings (the council's rule).
    CHECK(co2.rating_in(0, {}).rating == std::nullopt);
    CHECK(co2.rating_in(0, {}).reason == "No target published for this period");
    CHECK(co2.travel == Travel::unknown);
    CHECK(plan->measures[1].rating.reason == "Awaiting data");
    const auto& plant = plan->deliverables[0];
    CHECK(plant.rating == Rating::strong);
    CHECK(plant.travel == Travel::improving);
    REQUIRE(plant.fields.size() == 2);
    CHECK(plant.fields[0].first == "Portfolio");  // in the order written, not sorted
    CHECK(plant.fields[1].second == "Jo Bloggs");
    CHECK(plan->labels.priority == "Priority");
  }

  TEST_CASE("each value is rated against its own period's target only, numbers or words") {
    Diagnostics diagnostics;
    const auto plan = load(R"({"title": "P", "periods": [{"id": "a", "end": "2020-03-31"}, {"id": "b", "end": "2021-03-31"},
      {"id": "c", "end": "2022-03-31"}], "priorities": [{"id": "p", "title": "P"}],
      "measures": [
        {"id": "co2", "priority": "p", "title": "CO2e reduction", "unit": "percent", "target": 63.0,
         "values": [{"period": "a", "value": 55.3}, {"period": "b", "value": 63.2, "target": 52.0, "target_as_published": "52.0%",
                    "value_as_published": "63.2%", "published_rating": "good"}]},
        {"id": "cost", "priority": "p", "title": "Cost", "unit": "gbp", "direction": "lower",
         "values": [{"period": "c", "value": 150000, "target": "Less than £155,000"}]},
        {"id": "band", "priority": "p", "title": "Band", "unit": "percent",
         "values": [{"period": "b", "value": 9, "target": "4-8%"}, {"period": "c", "value": 6, "target": "4-8%"}]},
        {"id": "watch", "priority": "p", "title": "Watch", "unit": "count", "values": [{"period": "c", "value": 3, "target": "Monitor"}]}
      ]})",
                           diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    const auto& co2 = plan->measures[0];
    CHECK(co2.rating_in(0, {}).rating == std::nullopt);    // 2019-20: no target was published
    CHECK(co2.rating_in(1, {}).rating == Rating::strong);  // 63.2 against that year's 52, not the next year's 63
    CHECK(co2.target_in(1)->as_published == "52.0%");
    CHECK(co2.target_in(2)->value == 63.0);  // `target` is the latest period's
    CHECK(co2.target_in(0) == nullptr);
    CHECK(co2.values[1].published_rating == Rating::good);  // kept beside the computed one, which differs
    CHECK(co2.values[1].value_as_published == "63.2%");
    CHECK(plan->measures[1].rating.rating == Rating::good);              // 150,000 is 3.2% under the bound of 155,000
    CHECK(plan->measures[2].rating_in(1, {}).rating == Rating::action);  // 9 is 12.5% above the top of 4-8
    CHECK(plan->measures[2].rating_in(2, {}).rating == Rating::good);    // inside the range
    CHECK(plan->measures[3].rating.rating == std::nullopt);
    CHECK(plan->measures[3].rating.reason == "The target is \"Monitor\", not a number to rate against");
    CHECK(target_text(*plan->measures[3].target_in(2), "count") == "Monitor");
  }

  TEST_CASE("every plan.json mistake is reported with its line and column") {
    const std::string text = R"({
  "title": "Plan",
  "periods": [{"id": "q4", "end": "2022-03-31"}, {"id": "q3", "end": "2021-12-31"}],
  "priorities": [{"id": "green", "title": "Green"}, {"id": "green", "title": "Again"}],
  "measures": [
    {"id": "co2", "priority": "gren", "title": "Emissions", "values": [{"period": "q4", "value": "51.9%"}]}
  ],
  "deliverables": [
    {"id": "plant", "priority": "green", "title": "Plant", "start": "2022-01-01", "due": "2021-12-31",
     "updates": [{"period": "q4", "rating": "excellent"}], "measures": ["co3"]}
  ]
})";
    Diagnostics diagnostics;
    CHECK_FALSE(load(text, diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(messages.find("plan.json:3:70: error: periods must be listed oldest first") != std::string::npos);
    CHECK(messages.find("plan.json:4:60: error: duplicate priority id \"green\"") != std::string::npos);
    CHECK(messages.find("plan.json:6:31: error: unknown priority \"gren\" (did you mean \"green\"?)") != std::string::npos);
    CHECK(messages.find("plan.json:6:98: error: a value must be a number or null, found a string") != std::string::npos);
    CHECK(messages.find("plan.json:9:90: error: due date 2021-12-31 is before the start date 2022-01-01") != std::string::npos);
    CHECK(messages.find("plan.json:10:45: error: \"excellent\" is not a rating") != std::string::npos);
    CHECK(messages.find("plan.json:10:73: error: unknown measure \"co3\" (did you mean \"co2\"?)") != std::string::npos);
    CHECK(diagnostics.error_count() == 7);
  }

  TEST_CASE("a period with no end date is one error, however many updates name it, and a plan is never left out without one") {
    for (const std::string end : {R"("end": null)", R"("label": "Mar 2022")"}) {
      CAPTURE(end);
      const auto text = R"({"title": "P", "periods": [{"id": "q4", )" + end + R"(}],
  "priorities": [{"id": "green", "title": "Green"}],
  "deliverables": [{"id": "plant", "priority": "green", "title": "Plant", "updates": [{"period": "q4", "rating": "good"}]},
                   {"id": "grow", "priority": "green", "title": "Grow", "updates": [{"period": "q4", "rating": "good"}]}]})";
      Diagnostics diagnostics;
      CHECK_FALSE(load(text, diagnostics));
      INFO(all_messages(diagnostics));
      CHECK(all_messages(diagnostics).find("plan.json:1:28: error: missing \"end\"") != std::string::npos);
      CHECK(diagnostics.error_count() == 1);
    }
  }

  TEST_CASE("browse_by values that would share a URL are an error naming both, and a value with no letter or digit is one too") {
    const std::string text = R"({"title": "P", "periods": [{"id": "q4", "end": "2022-03-31"}],
  "priorities": [{"id": "green", "title": "Green"}],
  "browse_by": ["Portfolio"],
  "deliverables": [{"id": "a", "priority": "green", "title": "A", "fields": {"Portfolio": "Adult Social Care; Adult social care"}},
                   {"id": "b", "priority": "green", "title": "B", "fields": {"Portfolio": "£; Environment"}}]})";
    Diagnostics diagnostics;
    CHECK_FALSE(load(text, diagnostics));
    const auto messages = all_messages(diagnostics);
    INFO(messages);
    CHECK(messages.find("plan.json:3:17: error: the values of \"Portfolio\" include \"Adult Social Care\" and \"Adult social care\", which would "
                        "have one URL, \"adult-social-care\"") != std::string::npos);
    CHECK(messages.find("plan.json:3:17: error: the values of \"Portfolio\" include \"£\", which has no letter or digit to make a URL of") !=
          std::string::npos);
    CHECK(diagnostics.error_count() == 2);
  }

  TEST_CASE("a period named by its label rather than its id is told the id to write") {
    const std::string text = R"({"title": "P", "periods": [{"id": "2022-23-q1", "label": "Jun 2022", "end": "2022-06-30"}],
  "priorities": [{"id": "green", "title": "Green"}],
  "deliverables": [{"id": "plant", "priority": "green", "title": "Plant", "updates": [{"period": "jun 2022", "rating": "good"}]}]})";
    Diagnostics diagnostics;
    CHECK_FALSE(load(text, diagnostics));
    INFO(all_messages(diagnostics));
    CHECK(all_messages(diagnostics)
              .find("plan.json:3:98: error: unknown period \"jun 2022\": that is the label of the period \"2022-23-q1\" "
                    "(expected its id)") != std::string::npos);
  }

  TEST_CASE("unknown fields and wrong types are reported") {
    Diagnostics diagnostics;
    CHECK_FALSE(
        load(R"({"title": "P", "periods": [], "priorities": [{"id": "Big Priority", "title": "x", "colour": "red"}], "measures": {}})", diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(messages.find("the priority id \"Big Priority\" may use only lower-case letters") != std::string::npos);
    CHECK(messages.find("unknown field \"colour\"") != std::string::npos);
    CHECK(messages.find("\"measures\" must be a list in [ ], found an object") != std::string::npos);
  }
}

TEST_SUITE("content") {
  TEST_CASE("what a figure's published text says about it is put in words") {
    CHECK(published_value_notes("492 (p)") == std::vector<std::string>{"provisional"});
    CHECK(published_value_notes("\u00a39m (End year projection at Jan 2020)") == std::vector<std::string>{"a projection"});
    CHECK(published_value_notes("57.6% (2018/19 a/y)") == std::vector<std::string>{"for the academic year"});
    CHECK(published_value_notes(" Green ") == std::vector<std::string>{"a RAG rating, not a figure"});
    CHECK(published_value_notes("51.9% (Dec 2021)").empty());
    CHECK(published_value_notes("").empty());
  }

  TEST_CASE("what changed from one period to the next: ratings up and down, completions, new and dropped items, targets and figures") {
    const char* text = R"({
  "title": "Plan",
  "periods": [{"id": "q2", "label": "Sep 2021", "end": "2021-09-30"}, {"id": "q3", "label": "Dec 2021", "end": "2021-12-31"},
              {"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}],
  "priorities": [{"id": "green", "title": "A green county"}],
  "measures": [
    {"id": "co2", "priority": "green", "title": "Emissions", "unit": "number", "direction": "lower",
     "values": [{"period": "q3", "value": 110, "target": 100}, {"period": "q4", "value": 96, "target": 95}]},
    {"id": "bins", "priority": "green", "title": "Bins", "unit": "percent",
     "values": [{"period": "q3", "value": 90, "target": 95}, {"period": "q4", "value_as_published": "N/Av", "target": 95}]},
    {"id": "new", "priority": "green", "title": "New", "unit": "count", "values": [{"period": "q4", "value": 3}]}
  ],
  "deliverables": [
    {"id": "up", "priority": "green", "title": "Up", "updates": [{"period": "q3", "rating": "good"}, {"period": "q4", "rating": "strong"}]},
    {"id": "down", "priority": "green", "title": "Down", "updates": [{"period": "q3", "rating": "good"}, {"period": "q4", "rating": "action"}]},
    {"id": "same", "priority": "green", "title": "Same", "completed": "2022-02-01",
     "updates": [{"period": "q2", "rating": "good"}, {"period": "q3", "rating": "good"}, {"period": "q4", "rating": "good"}]},
    {"id": "early", "priority": "green", "title": "Completed before", "completed": "2021-12-31", "updates": [{"period": "q3", "rating": "good"}]},
    {"id": "added", "priority": "green", "title": "Added", "updates": [{"period": "q4", "rating": "review"}]}
  ]
})";
    Diagnostics diagnostics;
    const auto plan = load(text, diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(period_reported(*plan, 0));
    CHECK(periods_with_changes(*plan) == std::vector<std::size_t>{1, 2});

    const auto changes = plan_changes(*plan, 2, {});
    CHECK(changes.previous == 1);
    REQUIRE(changes.deliverables_up.size() == 1);
    CHECK(changes.deliverables_up[0].item == 0);
    CHECK(changes.deliverables_up[0].before == Rating::good);
    CHECK(changes.deliverables_up[0].after == Rating::strong);
    REQUIRE(changes.deliverables_down.size() == 1);
    CHECK(changes.deliverables_down[0].item == 1);
    CHECK(changes.deliverables_down[0].after == Rating::action);
    CHECK(changes.completed == std::vector<std::size_t>{2});  // "early" was completed by December's end
    CHECK(changes.deliverables_added == std::vector<std::size_t>{4});
    CHECK(changes.deliverables_dropped == std::vector<std::size_t>{3});
    CHECK(changes.new_figures == std::vector<std::size_t>{0, 2});  // "N/Av" is not a figure
    CHECK(changes.measures_added == std::vector<std::size_t>{2});
    CHECK(changes.measures_dropped == std::vector<std::size_t>{1});
    REQUIRE(changes.targets.size() == 1);
    CHECK(changes.targets[0].measure == 0);
    CHECK(changes.targets[0].before == "100");
    CHECK(changes.targets[0].after == "95");
    // Emissions: 110 against 100 (lower is better) is Review; 96 against 95 is Good.
    REQUIRE(changes.measures_up.size() == 1);
    CHECK(changes.measures_up[0].before == Rating::review);
    CHECK(changes.measures_up[0].after == Rating::good);
    CHECK(changes.measures_down.empty());

    const auto first = plan_changes(*plan, 1, {});
    CHECK(first.deliverables_added == std::vector<std::size_t>{0, 1, 3});
    CHECK(first.deliverables_up.empty());
  }

  TEST_CASE("a figure's month that does not read as YYYY-MM is an error at its place, not dropped") {
    for (const char* month : {"Apr-21", "2021-13", "2021-4", "2021-04-30"}) {
      Diagnostics diagnostics;
      const auto text = std::string(R"({"title": "P", "periods": [{"id": "q4", "end": "2022-03-31"}], "priorities": [{"id": "a", "title": "A"}],
  "measures": [{"id": "m", "priority": "a", "title": "M", "values": [{"period": "q4", "value": 1, "as_of": ")") +
                        month + R"("}]}]})";
      CHECK_FALSE(load(text, diagnostics));
      CHECK_MESSAGE(testing::contains(all_messages(diagnostics), std::string("plan.json:2:108: error: \"") + month + "\" is not a month"),
                    all_messages(diagnostics));
    }
  }
}
