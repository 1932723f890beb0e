// Whole-site tests of a plan's "what changed" pages, its printable report and how fresh its
// measures' figures are, built with the default theme.
#include <doctest/doctest.h>

#include "support/temp_site.hpp"

using namespace plainsight;
using testing::TempSite;

namespace {

const char* listing = R"listing(
-- content/_index.md --
---
title: Home
---
Welcome.
-- content/plans/p/index.md --
---
title: The plan
type: plan
---
The plan.
-- content/plans/p/plan.json --
{"title": "The plan",
 "periods": [{"id": "q3", "label": "Dec 2021", "end": "2021-12-31"}, {"id": "q4", "label": "Mar 2022", "end": "2022-03-31"}],
 "priorities": [{"id": "green", "title": "Green"}],
 "deliverables": [{"id": "trees", "priority": "green", "title": "Plant trees",
                   "updates": [{"period": "q3", "rating": "review"}, {"period": "q4", "rating": "good", "text": "Planted **2,000** trees."}]}],
 "measures": [
   {"id": "fresh", "priority": "green", "title": "Fresh", "unit": "count", "values": [{"period": "q3", "value": 1}, {"period": "q4", "value": 2}]},
   {"id": "stale", "priority": "green", "title": "Stale", "unit": "count", "values": [{"period": "q3", "value": 5, "as_of": "2021-11"}]},
   {"id": "none", "priority": "green", "title": "None yet", "unit": "count", "status": "awaiting-data"}]}
)listing";

std::optional<SiteOutput> build(TempSite& site) {
  site.write_all(listing);
  site.use_default_theme();
  return site.generate();
}

bool has(const SiteOutput& output, const std::string& path, const std::string& text) {
  const auto file = output.files.find(path);
  return file != output.files.end() && file->second.find(text) != std::string::npos;
}

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("a plan's latest period has a page of what changed since the one before, linked from the plan") {
    TempSite site({});
    const auto output = build(site);
    REQUIRE(output);
    CHECK(has(*output, "plans/p/changes/index.html", "<h1>What changed by Mar 2022</h1>"));
    CHECK(has(*output, "plans/p/changes/index.html",
              "What the Mar 2022 report changed since Dec 2021: 1 deliverable rated higher and 0 lower (of 1 rated in both periods), 0 completed; "
              "no key measures rated in both periods, 1 with a figure for Mar 2022, 0 with a new target."));
    CHECK(has(*output, "plans/p/changes/index.html", "<a href=\"/plans/p/deliverables/trees/\">Plant trees</a>: Review to <strong>Good</strong>"));
    CHECK(has(*output, "plans/p/changes/index.html", "<a href=\"/plans/p/measures/fresh/\">Fresh</a>: 2"));
    CHECK(has(*output, "plans/p/index.html", "<a href=\"/plans/p/changes/\">What changed by Mar 2022</a>"));
    // The first period has nothing before it; the latest keeps changes/q4/, a redirect for now, for feeds to link to.
    for (const auto& [path, bytes] : output->files) CHECK_FALSE(path.starts_with("plans/p/changes/q3"));
    CHECK(has(*output, "plans/p/changes/q4/index.html", "<meta http-equiv=\"refresh\" content=\"0; url=/plans/p/changes/\">"));
  }

  TEST_CASE("a measure without a figure for the plan's latest period says so, and the plan counts them") {
    TempSite site({});
    const auto output = build(site);
    REQUIRE(output);
    CHECK(has(*output, "plans/p/measures/stale/index.html",
              "5 (Dec 2021, for November 2021). <strong>No figure for Mar 2022; the latest is for Dec 2021.</strong>"));
    CHECK(has(*output, "plans/p/measures/none/index.html", "<strong>No figure for Mar 2022, nor for any period before.</strong>"));
    CHECK_FALSE(has(*output, "plans/p/measures/fresh/index.html", "No figure for"));
    CHECK(has(*output, "plans/p/index.html", "<p>2 of the 3 key measures have no figure for Mar 2022, the latest period reported.</p>"));
    CHECK(has(*output, "plans/p/green/index.html", "<span class=\"muted\">No figure for Mar 2022</span>"));
  }

  TEST_CASE("a plan's latest report is on one page to print: each priority's deliverables with their rating and commentary, and its measures") {
    TempSite site({});
    const auto output = build(site);
    REQUIRE(output);
    const std::string report = "plans/p/report/index.html";
    CHECK(has(*output, report, "<h1>The plan: the Mar 2022 report</h1>"));
    CHECK(has(*output, report, "<section class=\"report-priority\" aria-labelledby=\"report-priority-green\">"));
    CHECK(has(*output, report, "<a href=\"/plans/p/deliverables/trees/\">Plant trees</a>"));
    CHECK(has(*output, report, "<p>Planted <strong>2,000</strong> trees.</p>"));
    CHECK(has(*output, report, "<span class=\"rating rating-good\"><span class=\"swatch\" aria-hidden=\"true\"></span>Good</span>"));
    CHECK(has(*output, report, "<a href=\"/plans/p/measures/stale/\">Stale</a>"));
    CHECK(has(*output, report, "aria-labelledby=\"report-wheel-overview-title report-wheel-overview-desc\""));
    CHECK(has(*output, "plans/p/index.html", "<a href=\"/plans/p/report/\">The Mar 2022 report on one page, to print</a>"));
  }
}
