#include <doctest/doctest.h>

#include <cmath>

#include "core/format.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("money, numbers and percentages are formatted in en-GB style") {
    CHECK(format_money(1500000) == "£1,500,000");
    CHECK(format_money(560.2e6) == "£560,200,000");
    CHECK(format_money(-365386) == "\xE2\x88\x92£365,386");
    CHECK(format_money(704, "GBP", 2) == "£704.00");
    CHECK(format_money(12, "EUR") == "€12");
    CHECK(format_money(12, "CHF") == "12 CHF");
    CHECK(format_number(999) == "999");
    CHECK(format_number(1000) == "1,000");
    CHECK(format_number(-0.004, 2) == "0.00");
    CHECK(format_percent(56.9) == "56.9%");
    CHECK(format_percent(100, 0) == "100%");
    CHECK(format_number(std::nan("")) == "not a number");
  }

  TEST_CASE("a figure is shown with as many decimals as it was given, not cut to two") {
    CHECK(decimals_of(1500) == 0);
    CHECK(decimals_of(51.9) == 1);
    CHECK(decimals_of(0.004) == 3);
    CHECK(decimals_of(1250.567) == 3);
    CHECK(decimals_of(0.1 + 0.2) == 1);  // a sum's last-digit error is no decimal of its own
    CHECK(decimals_of(123456789.12) == 2);
    CHECK(decimals_of(1.0 / 3.0) == 6);  // at most six
    CHECK(format_in_unit(0.004, "number") == "0.004");
    CHECK(format_in_unit(1250.567, "count") == "1,250.567");
    CHECK(format_in_unit(51.9, "percent") == "51.9%");
    CHECK(format_in_unit(-2.125, "percent") ==
          "\xE2\x88\x92"
          "2.125%");
    CHECK(format_in_unit(1500, "gbp") == "£1,500");
    CHECK(format_in_unit(1500.5, "gbp") == "£1,500.50");
    CHECK(format_in_unit(0.125, "gbp") == "£0.125");
    CHECK(format_in_unit(1, "days") == "1 day");
  }
}
