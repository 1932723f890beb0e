// Whole-site tests of the plans' and departments' Atom feeds, built with the default theme.
#include <doctest/doctest.h>

#include <regex>

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
-- content/departments/_index.md --
---
title: Departments
type: department
---
The departments.
-- content/departments/highways/index.md --
---
title: Highways
type: department
---
Roads.
-- content/plans/council/index.md --
---
title: Council Plan
type: plan
---
The plan.
-- content/plans/roads/index.md --
---
title: Roads plan
type: plan
---
The service plan.
-- content/plans/roads/plan.json --
{"title": "Highways Service Plan", "department": "Highways",
 "periods": [{"id": "2019-20", "label": "2019-20", "end": "2020-03-31"}, {"id": "2020-21", "label": "2020-21", "end": "2021-03-31"}],
 "priorities": [{"id": "roads", "title": "Roads"}],
 "measures": [{"id": "potholes", "priority": "roads", "title": "Potholes filled", "unit": "count",
               "values": [{"period": "2019-20", "value": 100}, {"period": "2020-21", "value": 120}]}]}
-- content/plans/empty/index.md --
---
title: Empty plan
type: plan
---
Nothing reported yet.
-- content/plans/empty/plan.json --
{"title": "Empty plan", "periods": [{"id": "q1", "label": "Jun 2021", "end": "2021-06-30"}],
 "priorities": [{"id": "p", "title": "P"}],
 "deliverables": [{"id": "d", "priority": "p", "title": "D"}]}
)listing";

std::string council_plan(bool with_june) {
  return std::string(R"({"title": "Council Plan",
 "periods": [{"id": "q2", "label": "Sep 2021", "end": "2021-09-30"}, {"id": "q3", "label": "Dec 2021", "end": "2021-12-31"},
             {"id": "q4", "label": "Mar 2022", "end": "2022-03-31"})") +
         (with_june ? R"(, {"id": "q5", "label": "Jun 2022", "end": "2022-06-30"})" : "") + R"(],
 "priorities": [{"id": "green", "title": "Green"}],
 "deliverables": [
   {"id": "trees", "priority": "green", "title": "Plant trees",
    "updates": [{"period": "q3", "rating": "good"}, {"period": "q4", "rating": "strong"})" +
         (with_june ? R"(, {"period": "q5", "rating": "strong"})" : "") + R"(]}]})";
}

std::optional<SiteOutput> build(TempSite& site, bool with_june) {
  site.write_all(listing);
  site.write("content/plans/council/plan.json", council_plan(with_june));
  site.use_default_theme();
  return site.generate();
}

std::vector<std::string> all_of(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex expression(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), expression); it != std::sregex_iterator(); ++it) found.push_back((*it)[1]);
  return found;
}

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("a plan's feed has an entry for each period it reports, newest first, linked to what changed, and its page links to it") {
    TempSite site({});
    const auto output = build(site, false);
    REQUIRE(output);
    REQUIRE(output->files.contains("plans/council/feed.xml"));
    const auto& feed = output->files.at("plans/council/feed.xml");
    const auto ids = all_of(feed, "<entry>\\s*<title>[^<]*</title>\\s*<link[^>]*/>\\s*<id>([^<]*)</id>");
    REQUIRE(ids.size() == 2);  // Sep 2021 reports nothing
    CHECK(ids[0].ends_with("/plans/council/#period-q4"));
    CHECK(ids[1].ends_with("/plans/council/#period-q3"));
    CHECK(all_of(feed, "<entry>\\s*<title>([^<]*)</title>") == std::vector<std::string>{"Council Plan: Mar 2022", "Council Plan: Dec 2021"});
    // The latest period's link is the address its page keeps when a later period comes: for now a redirect.
    CHECK(all_of(feed, "<entry>\\s*<title>[^<]*</title>\\s*<link rel=\"alternate\" type=\"text/html\" href=\"([^\"]*)\"")[0].ends_with(
        "/plans/council/changes/q4/"));
    CHECK(output->files.at("plans/council/changes/q4/index.html").find("url=/plans/council/changes/\"") != std::string::npos);
    CHECK(feed.find("Since Dec 2021: 1 deliverable rated higher and 0 lower (of 1 rated in both periods)") != std::string::npos);
    CHECK(feed.find("<updated>2022-03-31T00:00:00Z</updated>") != std::string::npos);
    const auto& page = output->files.at("plans/council/index.html");
    CHECK(page.find("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Council Plan: each period&#39;s report\" "
                    "href=\"/plans/council/feed.xml\">") != std::string::npos);
    CHECK_FALSE(output->files.contains("plans/empty/feed.xml"));
    CHECK(output->files.at("plans/empty/index.html").find("/plans/empty/feed.xml") == std::string::npos);
  }

  TEST_CASE("a new period adds an entry and leaves the others' ids as they were") {
    TempSite before_june({}), after_june({});
    const auto before = build(before_june, false), after = build(after_june, true);
    REQUIRE(before);
    REQUIRE(after);
    const std::string id_pattern = "<id>([^<]*#period-[^<]*)</id>";
    const auto old_ids = all_of(before->files.at("plans/council/feed.xml"), id_pattern);
    const auto new_ids = all_of(after->files.at("plans/council/feed.xml"), id_pattern);
    REQUIRE(new_ids.size() == 3);
    CHECK(new_ids[0].ends_with("#period-q5"));
    CHECK(std::vector<std::string>(new_ids.begin() + 1, new_ids.end()) == old_ids);
    // March's entry links where it did: that address is now March's own page, not a redirect.
    const std::string link_pattern = "<link rel=\"alternate\" type=\"text/html\" href=\"([^\"]*changes[^\"]*)\"";
    const auto old_links = all_of(before->files.at("plans/council/feed.xml"), link_pattern);
    const auto new_links = all_of(after->files.at("plans/council/feed.xml"), link_pattern);
    REQUIRE(new_links.size() == 3);
    CHECK(std::vector<std::string>(new_links.begin() + 1, new_links.end()) == old_links);
    CHECK(after->files.at("plans/council/changes/q4/index.html").find("<h1>What changed by Mar 2022</h1>") != std::string::npos);
  }

  TEST_CASE("a department's feed holds its service plans' reports") {
    TempSite site({});
    const auto output = build(site, false);
    REQUIRE(output);
    REQUIRE(output->files.contains("departments/highways/feed.xml"));
    const auto& feed = output->files.at("departments/highways/feed.xml");
    CHECK(all_of(feed, "<entry>\\s*<title>([^<]*)</title>") ==
          std::vector<std::string>{"Highways Service Plan: 2020-21", "Highways Service Plan: 2019-20"});
    CHECK(feed.find("<title>Highways: service plan reports</title>") != std::string::npos);
    CHECK(output->files.at("departments/highways/index.html").find("href=\"/departments/highways/feed.xml\"") != std::string::npos);
  }
}
