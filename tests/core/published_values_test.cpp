#include <doctest/doctest.h>

#include "core/published_values.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("amounts as councils publish them") {
    CHECK(parse_amount("£1,500,000.00") == 1500000.0);
    CHECK(parse_amount("36,000.00") == 36000.0);
    CHECK(parse_amount(" £545,084.00 ") == 545084.0);
    CHECK(parse_amount("1500000") == 1500000.0);
    CHECK(parse_amount("(365,386)") == -365386.0);
    CHECK(parse_amount("-5") == -5.0);
    CHECK(parse_amount("0.5") == 0.5);
    for (const char* bad : {"", "£", "1,50", "1,5000", "12abc", "1.2.3", "£-", ",100", "1e5", "TBA", "£ 1 000"})
      CHECK_MESSAGE(!parse_amount(bad), bad);
  }

  TEST_CASE("words that say a figure is not known yet") {
    CHECK(not_yet_known_word("TBA") == "TBA");
    CHECK(not_yet_known_word(" tbc ") == "TBC");
    CHECK(not_yet_known_word("unknown") == "Unknown");
    CHECK(not_yet_known_word("n/a") == "N/A");
    CHECK(not_yet_known_word("NIL") == "NIL");
    CHECK(not_yet_known_word("") == "");  // a blank cell
    CHECK_FALSE(not_yet_known_word("soon"));
    CHECK_FALSE(not_yet_known_word("£5"));
  }

  TEST_CASE("dates as councils publish them, to the precision given") {
    using Precision = PublishedDate::Precision;
    auto check = [](const char* text, int year, int month, int day, Precision precision) {
      const auto date = parse_published_date(text);
      REQUIRE_MESSAGE(date, text);
      CHECK_MESSAGE(date->date.year == year, text);
      CHECK_MESSAGE(date->date.month == month, text);
      CHECK_MESSAGE(date->date.day == day, text);
      CHECK_MESSAGE(date->precision == precision, text);
    };
    check("01/04/2020", 2020, 4, 1, Precision::day);
    check("1/3/2021", 2021, 3, 1, Precision::day);
    check("16/8/2019", 2019, 8, 16, Precision::day);
    check("2020-04-30", 2020, 4, 30, Precision::day);
    check("04/2020", 2020, 4, 1, Precision::month);
    check("2020-11", 2020, 11, 1, Precision::month);
    check("April 2020", 2020, 4, 1, Precision::month);
    check("Sept 2021", 2021, 9, 1, Precision::month);
    check("Jun 2020", 2020, 6, 1, Precision::month);
    check("2021", 2021, 1, 1, Precision::year);
    check("2019 - 2022", 2019, 1, 1, Precision::year);
    check("2021/2022", 2021, 1, 1, Precision::year);
    for (const char* bad : {"31/09/2020", "30/02/2023", "13/2020", "2020-13", "Smarch 2020", "01-04-2020", "next year", "1/2/20", "2021-22"})
      CHECK_MESSAGE(!parse_published_date(bad), bad);
  }
}
