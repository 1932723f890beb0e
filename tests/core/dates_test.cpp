#include <doctest/doctest.h>

#include "core/dates.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("parse_iso_date accepts real dates and times") {
    const auto date = parse_iso_date("2022-03-31");
    REQUIRE(date);
    CHECK(format_date_long(*date) == "31 March 2022");
    CHECK(format_date_iso(*date) == "2022-03-31");
    CHECK(format_date_rfc3339(*date) == "2022-03-31T00:00:00Z");
    const auto timed = parse_iso_date("2022-06-16T09:30:00+01:00");
    REQUIRE(timed);
    CHECK(format_date_rfc3339(*timed) == "2022-06-16T09:30:00+01:00");
    CHECK(to_utc_minutes(*timed) < to_utc_minutes(*parse_iso_date("2022-06-16T09:00Z")));
  }

  TEST_CASE("parse_iso_date rejects dates that do not exist and other formats") {
    for (const char* text :
         {"2022-02-30", "2023-02-29", "2022-13-01", "2022-04-31", "31/03/2022", "2022-3-1", "2022-03-31T25:00", "2022-03-31junk", ""})
      CHECK_MESSAGE(!parse_iso_date(text), text);
    CHECK(parse_iso_date("2024-02-29"));
  }
}
