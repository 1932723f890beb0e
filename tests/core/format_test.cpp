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
}
