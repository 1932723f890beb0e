// Whole-site tests of the contracts calendars: /procurement/contracts.ics and one per department,
// built with the default theme from an inline site.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>

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
title: Highways and Transport
type: department
---
Roads.
-- content/departments/children/index.md --
---
title: Children's Services
type: department
---
Schools.
-- content/departments/libraries/index.md --
---
title: Libraries
type: department
---
Books; no contracts.
-- content/procurement/index.md --
---
title: Upcoming contracts
type: pipeline
date: 2020-03-16
---
Contracts.
-- content/procurement/pipeline.csv --
title,value,start,department,group,notes
Road resurfacing,"£2,000,000.00",01/04/2020,Highways and Transport,,
"Gritting; salt, grit and café supplies",,September 2020,Highways and Transport,,"Value TBA; see notes, later"
Bridge works,"£90,000.00",2021,Highways and Transport,,
Bus contracts,"£60,000.00",2019 - 2022,Highways and Transport,,
Foster care,"£30,000.00",01/06/2020,Children's Services,,
Foster care,"£30,000.00",01/06/2020,Children's Services,,
Minibuses,"£40,000.00",,Children's Services,,
)listing";

std::optional<SiteOutput> build(TempSite& site) {
  site.write_all(listing);
  site.use_default_theme();
  return site.generate();
}

/// The unfolded content lines of an iCalendar file.
std::vector<std::string> content_lines(std::string text) {
  for (auto fold = text.find("\r\n "); fold != std::string::npos; fold = text.find("\r\n ", fold)) text.erase(fold, 3);
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

std::vector<std::string> values_of(const std::vector<std::string>& lines, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& line : lines)
    if (line.starts_with(name + ":") || line.starts_with(name + ";")) values.push_back(line.substr(line.find(':') + 1));
  return values;
}

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("the pipeline's calendar has a day for each project dated to the day or month, each repeated row once") {
    TempSite site({});
    const auto output = build(site);
    REQUIRE(output);
    REQUIRE(output->files.contains("procurement/contracts.ics"));
    const auto lines = content_lines(output->files.at("procurement/contracts.ics"));
    // Resurfacing (a day), gritting (a month), foster care (once); bridge works (a year) and the
    // buses (a range of years) have no day to show, the minibuses no date.
    CHECK(values_of(lines, "DTSTART") == std::vector<std::string>{"20200401", "20200901", "20200601"});
    CHECK(values_of(lines, "SUMMARY") == std::vector<std::string>{"Road resurfacing: estimated procurement start",
                                                                  "Gritting\\; salt\\, grit and café supplies: estimated procurement start",
                                                                  "Foster care: estimated procurement start"});
    const auto descriptions = values_of(lines, "DESCRIPTION");
    REQUIRE(descriptions.size() == 3);
    CHECK(descriptions[0] == "Estimated procurement start: 1 April 2020.\\nEstimated value: £2\\,000\\,000.\\nDepartment: Highways and Transport.");
    CHECK(descriptions[1].starts_with(
        "Estimated procurement start: September 2020 (the month only: shown on its first day).\\nEstimated value: not published."));
    CHECK(descriptions[1].ends_with("\\nNotes: Value TBA\\; see notes\\, later"));
    const auto uids = values_of(lines, "UID");
    REQUIRE(uids.size() == 3);
    CHECK(uids[0] == values_of(lines, "URL")[0]);
    CHECK(uids[0].starts_with("https://"));
    CHECK(uids[0].ends_with("/procurement/#highways-and-transport-road-resurfacing"));
    CHECK(std::set<std::string>(uids.begin(), uids.end()).size() == 3);
    CHECK(values_of(lines, "DTSTAMP") == std::vector<std::string>(3, "20200316T000000Z"));  // the plan's date, never the clock
    CHECK(values_of(lines, "X-WR-CALNAME")[0].ends_with("Upcoming contracts"));

    const auto page = output->files.at("procurement/index.html");
    CHECK(page.find("<a href=\"/procurement/contracts.ics\" type=\"text/calendar\">Add these 3 dates to your calendar</a>") != std::string::npos);
  }

  TEST_CASE("each department with contracts has a calendar of its own, linked from its page") {
    TempSite site({});
    const auto output = build(site);
    REQUIRE(output);
    const auto highways = content_lines(output->files.at("departments/highways/contracts.ics"));
    CHECK(values_of(highways, "DTSTART") == std::vector<std::string>{"20200401", "20200901"});
    CHECK(values_of(highways, "X-WR-CALNAME")[0].ends_with("Highways and Transport contracts"));
    const auto children = content_lines(output->files.at("departments/children/contracts.ics"));
    CHECK(values_of(children, "DTSTART") == std::vector<std::string>{"20200601"});
    CHECK(output->files.at("departments/highways/index.html").find("href=\"/departments/highways/contracts.ics\"") != std::string::npos);
    CHECK_FALSE(output->files.contains("departments/libraries/contracts.ics"));
    CHECK(output->files.at("departments/libraries/index.html").find("contracts.ics") == std::string::npos);

    TempSite again({});
    CHECK(build(again)->files.at("procurement/contracts.ics") == output->files.at("procurement/contracts.ics"));
  }
}
