#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "opendata/opendata.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

namespace {
using testing::contains;

const char* plan_json = R"({
  "title": "Test Plan",
  "periods": [{"id": "q3", "label": "Dec 2021", "end": "2021-12-31"}, {"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}],
  "priorities": [{"id": "green", "title": "A green county", "summary": "Cleaner air."}, {"id": "safe", "title": "Safe streets"}],
  "measures": [
    {"id": "co2", "priority": "green", "title": "Emissions, \"tonnes\"", "unit": "number", "direction": "lower", "target": 100,
     "values": [{"period": "q3", "value": 110, "target": 100}, {"period": "q4", "value": 96}], "benchmark": {"label": "England", "value": 90}},
    {"id": "lights", "priority": "safe", "title": "Street lights working", "unit": "percent", "direction": "higher", "target": 96,
     "values": [{"period": "q4", "value": 99}]}
  ],
  "deliverables": [
    {"id": "plant", "priority": "green", "title": "Plant trees", "due": "2022-03-31", "completed": "2022-03-01",
     "updates": [{"period": "q3", "rating": "good", "text": "Started."}, {"period": "q4", "rating": "strong", "text": "Done **early**."}],
     "measures": ["co2"]},
    {"id": "patrol", "priority": "safe", "title": "Patrols", "updates": [{"period": "q4", "rating": "review", "text": ""}]}
  ]
})";

const char* plan_template =
    "<h1>{{page.title}}</h1>{{#plan.overview}}{{{wheel}}}{{{measure_wheel}}}{{{deliverable_trend_chart}}}"
    "{{#priorities}}<a href=\"{{url}}\">{{title}}</a> {{rating_label}};{{/priorities}}"
    "{{#completed.rows}}<p class=\"done\">{{title}}</p>{{/completed.rows}}{{/plan.overview}}";
const char* deliverable_template =
    "<h1>{{page.title}}</h1>{{#plan.deliverable}}<p class=\"history\">{{history}}</p>"
    "{{#updates}}<div>{{period}}: {{rating_label}} {{{text_html}}}</div>{{/updates}}"
    "{{#measures.rows}}<a href=\"{{url}}\">{{title}}</a>{{/measures.rows}}{{/plan.deliverable}}";
const char* measure_template =
    "<h1>{{page.title}}</h1>{{#plan.measure}}<p>{{latest}} against {{target}}: {{rating_label}}, {{travel_label}}</p>"
    "{{{chart}}}{{/plan.measure}}";
const char* priority_template =
    "<h1>{{page.title}}</h1>{{#plan.priority}}{{{deliverable_wheel}}}{{#deliverables.rows}}{{title}}{{/deliverables.rows}}{{/plan.priority}}";
}  // namespace

TEST_SUITE("site") {
  TEST_CASE("a plan becomes pages for the plan, each priority, deliverable and measure, and open data") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n[Patrols](/plans/test/deliverables/patrol/)\n"},
                   {"content/plans/test/index.md", "---\ntitle: Test Plan\ntype: plan\n---\nAbout the plan.\n"},
                   {"content/plans/test/plan.json", plan_json},
                   {"themes/default/templates/plan.mustache", plan_template},
                   {"themes/default/templates/priority.mustache", priority_template},
                   {"themes/default/templates/deliverable.mustache", deliverable_template},
                   {"themes/default/templates/measure.mustache", measure_template}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    const auto& files = output->files;
    for (const char* path :
         {"plans/test/index.html", "plans/test/green/index.html", "plans/test/safe/index.html", "plans/test/deliverables/plant/index.html",
          "plans/test/measures/co2/index.html", "data/index.html", "data/plans/test/measures.json", "data/plans/test/measures.csv",
          "data/plans/test/deliverables.csv", "data/plans/test/measure-values.csv", "data/datapackage.json"})
      CHECK_MESSAGE(files.contains(path), path);

    const auto& overview = files.at("plans/test/index.html");
    CHECK(contains(overview, "role=\"img\""));
    CHECK(contains(overview, "<a href=\"/plans/test/green/\">A green county</a> Strong;"));
    CHECK(contains(overview, "<a href=\"/plans/test/safe/\">Safe streets</a> Review;"));
    CHECK(contains(overview, "<p class=\"done\">Plant trees</p>"));
    CHECK(contains(overview, "<title>Mar 2022: 1 Strong</title>"));

    ASSERT_FILE_CONTAINS(*output, "plans/test/deliverables/plant/index.html", "<p class=\"history\">Strong (Good in Dec 2021)</p>");
    const auto& plant = files.at("plans/test/deliverables/plant/index.html");
    CHECK(plant.find("Mar 2022: Strong") < plant.find("Dec 2021: Good"));  // newest first
    CHECK(contains(plant, "Done <strong>early</strong>."));
    CHECK(contains(plant, "<a href=\"/plans/test/measures/co2/\">"));

    const auto& co2 = files.at("plans/test/measures/co2/index.html");
    CHECK(contains(co2, "<p>96 against 100: Good, Improving</p>"));
    CHECK(contains(co2, "Target 100"));

    const auto measures = nlohmann::json::parse(files.at("data/plans/test/measures.json"));
    CHECK(measures[0]["rating"] == "good");
    CHECK(measures[0]["travel"] == "improving");
    CHECK(measures[1]["rating"] == "strong");  // 99 against 96 is 3.1% better: strong, as the target is a percentage above 95
    CHECK(measures[0]["values"][0]["rating"] == "review");
    const auto& csv = files.at("data/plans/test/measures.csv");
    CHECK(csv.starts_with("id,priority,title,unit,direction,target,target_as_published,latest_value,"));
    CHECK_MESSAGE(contains(csv, "co2,green,\"Emissions, \"\"tonnes\"\"\",number,lower,100,,96,q4,,good,,,improving,,England,90,"), csv);
    CHECK(contains(files.at("data/index.html"), "Open data"));
    const auto package = nlohmann::json::parse(files.at("data/datapackage.json"));
    CHECK(package["resources"].size() == 10);  // deliverables (JSON, CSV), measures (JSON, CSV), values, updates, trend, periods, priorities, plan
    CHECK(package["resources"][0]["bytes"] == files.at("data/plans/test/deliverables.json").size());
  }

  TEST_CASE("a plan page without plan.json, and a plan.json with errors, fail the build with locations") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/plans/a/index.md", "---\ntitle: A\ntype: plan\n---\n"},
                   {"content/plans/b/index.md", "---\ntitle: B\ntype: plan\n---\n"},
                   {"content/plans/b/plan.json", "{\"title\": \"B\", \"periods\": [], \"priorities\": [{\"id\": \"x\"}]}"}});
    CHECK_FALSE(site.generate());
    const auto text = all_messages(site.diagnostics);
    CHECK(contains(text, "content/plans/a/index.md:1:1: error: a page with type: plan needs its data in plan.json"));
    CHECK_MESSAGE(contains(text, "content/plans/b/plan.json:1:46: error: missing \"title\""), text);
    // …and nothing else: the pages whose data did not load are not rendered into more errors.
    CHECK_MESSAGE(!contains(text, ".mustache"), text);
  }

  TEST_CASE("CSV fields are quoted as RFC 4180 asks") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a, b") == "\"a, b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_row({"a", "b,c"}) == "a,\"b,c\"\r\n");
  }
}

TEST_SUITE("site") {
  TEST_CASE("Markdown in a plan's data is rendered with the pages' options and its links are checked at the JSON string's line and column") {
    const std::string plan = R"({
  "title": "Test Plan",
  "periods": [{"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}],
  "priorities": [{"id": "green", "title": "A green county", "summary": "See [the news](/news/)."}],
  "measures": [{"id": "co2", "priority": "green", "title": "Emissions", "unit": "number", "note": "Up [here](#nowhere)."}],
  "deliverables": [{"id": "plant", "priority": "green", "title": "Plant trees",
    "updates": [{"period": "q4", "rating": "good", "text": "Caf\u00e9 \"news\": read [it](/no-such-page/) and [that](/plans/test/green/).\n\nThen [this](/gone/)."}]}]
})";
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/news/_index.md", "---\ntitle: News\n---\n"},
                   {"content/plans/test/index.md", "---\ntitle: Test Plan\ntype: plan\n---\n"},
                   {"content/plans/test/plan.json", plan}});
    CHECK_FALSE(site.generate());
    const auto text = all_messages(site.diagnostics);
    auto place_of = [&](std::string_view part) {
      const auto offset = plan.find(part);
      const auto line = std::count(plan.begin(), plan.begin() + static_cast<std::ptrdiff_t>(offset), '\n') + 1;
      const auto column = offset - plan.rfind('\n', offset);
      return "content/plans/test/plan.json:" + std::to_string(line) + ":" + std::to_string(column) + ": error: broken link: ";
    };
    CHECK_MESSAGE(contains(text, place_of("[it](/no-such-page/)") + "/no-such-page/ is not a page or file of this site"), text);
    CHECK_MESSAGE(contains(text, place_of("[this](/gone/)") + "/gone/ is not a page or file of this site"), text);  // after \n\n
    CHECK_MESSAGE(contains(text, place_of("[here](#nowhere)") + "/plans/test/measures/co2/ has no heading with the id \"nowhere\""), text);
    CHECK_MESSAGE(!contains(text, "/news/"), text);  // a link that is fine
    CHECK_MESSAGE(!contains(text, "/plans/test/green/ is not"), text);
    CHECK(site.diagnostics.error_count() == 3);
  }

  TEST_CASE("headings in a page's data Markdown take ids of their own, and links to them are not broken") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n[risks](/plans/test/deliverables/plant/#risks-1)\n"},
                   {"content/plans/test/index.md", "---\ntitle: Test Plan\ntype: plan\n---\n"},
                   {"content/plans/test/plan.json", R"({"title": "T", "periods": [{"id": "q3", "label": "Dec 2021", "end": "2021-12-31"},
  {"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}], "priorities": [{"id": "green", "title": "Green"}],
  "deliverables": [{"id": "plant", "priority": "green", "title": "Plant", "updates": [
    {"period": "q3", "text": "## Risks\n\nSee [below](#risks-1)."}, {"period": "q4", "text": "## Risks\n\nFewer."}]}]})"},
                   {"themes/default/templates/deliverable.mustache",
                    "<main id=\"main\">{{#plan.deliverable}}{{#updates}}{{{text_html}}}{{/updates}}{{/plan.deliverable}}</main>"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    ASSERT_FILE_CONTAINS(*output, "plans/test/deliverables/plant/index.html", "<h2 id=\"risks\">Risks</h2>");
    ASSERT_FILE_CONTAINS(*output, "plans/test/deliverables/plant/index.html", "<h2 id=\"risks-1\">Risks</h2>");
  }

  TEST_CASE("a heading in a plan's Markdown does not take an id the theme uses") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/plans/test/index.md", "---\ntitle: Test Plan\ntype: plan\n---\n"},
                   {"content/plans/test/plan.json", R"({"title": "T", "periods": [{"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}],
  "priorities": [{"id": "green", "title": "Green"}],
  "deliverables": [{"id": "plant", "priority": "green", "title": "Plant", "updates": [{"period": "q4", "text": "## Main\n\nWent well."}]}]})"},
                   {"themes/default/templates/deliverable.mustache",
                    "<main id=\"main\">{{#plan.deliverable}}{{#updates}}{{{text_html}}}{{/updates}}{{/plan.deliverable}}</main>"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    ASSERT_FILE_CONTAINS(*output, "plans/test/deliverables/plant/index.html", "<h2 id=\"main-1\">Main</h2>");
  }
}

TEST_SUITE("site") {
  TEST_CASE("a plan's source is named under its figures and in the open data, an item's own source wins") {
    TempSite site(
        {{"content/_index.md", "---\ntitle: Home\n---\n"},
         {"content/plans/test/index.md", "---\ntitle: Test Plan\ntype: plan\n---\n"},
         {"content/plans/test/plan.json", R"({"title": "T", "source": {"document": "Performance Report", "section": "Appendix 3", "page": 4},
  "periods": [{"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}], "priorities": [{"id": "green", "title": "Green"}],
  "measures": [{"id": "m", "priority": "green", "title": "M", "unit": "count", "values": [{"period": "q4", "value": 3}]},
               {"id": "n", "priority": "green", "title": "N", "unit": "count", "source": {"document": "Service plan", "page": "12"}}],
  "deliverables": [{"id": "d", "priority": "green", "title": "D"}]})"},
         {"themes/default/templates/measure.mustache", "{{#plan.measure}}<p>Source: {{source}}</p>{{/plan.measure}}"},
         {"themes/default/templates/deliverable.mustache",
          "{{#plan.deliverable}}<p>Start: {{#has_start}}{{start}}{{/has_start}}{{^has_start}}Not published{{/has_start}}; Source: "
          "{{source}}</p>{{/plan.deliverable}}"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    ASSERT_FILE_CONTAINS(*output, "plans/test/measures/m/index.html", "<p>Source: Performance Report, Appendix 3, page 4</p>");
    ASSERT_FILE_CONTAINS(*output, "plans/test/measures/n/index.html", "<p>Source: Service plan, page 12</p>");
    ASSERT_FILE_CONTAINS(*output, "plans/test/deliverables/d/index.html",
                         "<p>Start: Not published; Source: Performance Report, Appendix 3, page 4</p>");
    const auto package = nlohmann::json::parse(output->files.at("data/datapackage.json"));
    CHECK(package["resources"][0]["sources"] == nlohmann::json::parse(R"([{"title": "Performance Report, Appendix 3, page 4"}])"));
  }
}

TEST_SUITE("site") {
  TEST_CASE("a plan can be browsed by a field of its deliverables, a field with several values listing each") {
    const std::string plan = R"({"title": "Delivery Plan", "labels": {"deliverable": "Action", "deliverables": "Actions"},
  "periods": [{"id": "y", "label": "2019/20", "end": "2020-03-31"}], "priorities": [{"id": "big", "title": "Big ambitions"}],
  "browse_by": ["Focus area", "Portfolio"],
  "deliverables": [
    {"id": "a", "priority": "big", "title": "Reopen the Assembly Rooms", "fields": {"Focus area": "Culture", "Portfolio": "Regeneration"}},
    {"id": "b", "priority": "big", "title": "Homes and health", "fields": {"Focus area": "Health and wellbeing; Housing", "Portfolio": "Adults"}},
    {"id": "c", "priority": "big", "title": "More homes", "fields": {"Focus area": "Housing", "Portfolio": "Adults"}}]})";
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n[Housing](/plans/dp/by/focus-area/housing/)\n"},
                   {"content/plans/dp/index.md", "---\ntitle: Delivery Plan\ntype: plan\n---\n"},
                   {"content/plans/dp/plan.json", plan},
                   {"themes/default/templates/plan-browse.mustache",
                    "<h1>{{page.title}}</h1>{{#plan.browse}}{{#deliverables.rows}}<p>{{title}}</p>{{/deliverables.rows}}"
                    "{{#values}}<li>{{text}} {{count}}{{#current}} (here){{/current}}</li>{{/values}}{{/plan.browse}}"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    ASSERT_FILE_CONTAINS(*output, "plans/dp/by/focus-area/index.html",
                         "<h1>Actions by focus area</h1><li>Culture 1</li><li>Health and wellbeing 1</li><li>Housing 2</li>");
    ASSERT_FILE_CONTAINS(*output, "plans/dp/by/focus-area/housing/index.html",
                         "<h1>Focus area: Housing</h1><p>Homes and health</p><p>More homes</p>");
    ASSERT_FILE_CONTAINS(*output, "plans/dp/by/focus-area/housing/index.html", "<li>Housing 2 (here)</li>");
    ASSERT_FILE_CONTAINS(*output, "plans/dp/by/portfolio/adults/index.html", "<p>Homes and health</p><p>More homes</p>");
    CHECK_FALSE(output->files.contains("plans/dp/by/portfolio/culture/index.html"));

    site.write("content/plans/dp/plan.json", std::string(plan).replace(plan.find("\"Portfolio\"]"), 11, "\"Lead\""));
    CHECK_FALSE(site.generate());
    CHECK_MESSAGE(contains(all_messages(site.diagnostics), "plan.json:3:31: error: no deliverable has the field \"Lead\""),
                  all_messages(site.diagnostics));
  }
}
