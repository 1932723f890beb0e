#include <doctest/doctest.h>

#include <vector>

#include "ratings/ratings.hpp"

using namespace plainsight;

namespace {
std::optional<Rating> rate(double value, double target, Direction direction = Direction::higher, bool percent = false) {
  return rate_measure({value, target, direction, percent, MeasureStatus::none}).rating;
}
}  // namespace

TEST_SUITE("ratings") {
  TEST_CASE("the rule at every boundary, higher is better") {
    CHECK(rate(105, 100) == Rating::good);  // exactly 5% better is not more than 5%
    CHECK(rate(105.01, 100) == Rating::strong);
    CHECK(rate(100, 100) == Rating::good);
    CHECK(rate(98, 100) == Rating::good);  // exactly 2% worse is still good
    CHECK(rate(97.99, 100) == Rating::review);
    CHECK(rate(90, 100) == Rating::review);  // exactly 10% worse is still review
    CHECK(rate(89.99, 100) == Rating::action);
    CHECK(rate(57.75, 55) == Rating::good);   // 5% of 55, where floating point is not exact
    CHECK(rate(53.9, 55) == Rating::good);    // 2% of 55
    CHECK(rate(49.5, 55) == Rating::review);  // 10% of 55
  }

  TEST_CASE("lower is better") {
    CHECK(rate(95, 100, Direction::lower) == Rating::good);
    CHECK(rate(94, 100, Direction::lower) == Rating::strong);
    CHECK(rate(102, 100, Direction::lower) == Rating::good);
    CHECK(rate(103, 100, Direction::lower) == Rating::review);
    CHECK(rate(110, 100, Direction::lower) == Rating::review);
    CHECK(rate(111, 100, Direction::lower) == Rating::action);
  }

  TEST_CASE("a percentage target above 95 needs only 2% to be strong") {
    CHECK(rate(98, 96, Direction::higher, true) == Rating::strong);   // d = 2.08%
    CHECK(rate(97.92, 96, Direction::higher, true) == Rating::good);  // d = exactly 2%
    CHECK(rate(98, 96, Direction::higher, false) == Rating::good);    // not a percentage
    CHECK(rate(98, 95, Direction::higher, true) == Rating::good);     // target not above 95: d = 3.2% < 5%
  }

  TEST_CASE("a zero target is measured in the measure's own units") {
    CHECK(rate(0, 0, Direction::lower) == Rating::good);
    CHECK(rate(1, 0, Direction::lower) == Rating::action);
    CHECK(rate(0.05, 0, Direction::lower) == Rating::review);
    CHECK(rate(0.02, 0, Direction::lower) == Rating::good);
    CHECK(rate(2, 0, Direction::higher) == Rating::strong);
    CHECK(rate_measure({3, 0, Direction::higher, false, MeasureStatus::none}).difference == 3);
  }

  TEST_CASE("a negative target uses its size") {
    CHECK(rate(-90, -100) == Rating::strong);  // -90 is 10% better than -100
  }

  TEST_CASE("missing data gives no rating and says why") {
    CHECK(rate_measure({std::nullopt, 55, Direction::higher, false, MeasureStatus::none}).reason == "No data yet");
    CHECK(rate_measure({50, std::nullopt, Direction::higher, false, MeasureStatus::none}).reason == "No target");
    CHECK(rate_measure({50, 55, Direction::none, false, MeasureStatus::none}).reason == "Monitored, not rated");
    const auto awaiting = rate_measure({50, 55, Direction::higher, false, MeasureStatus::awaiting_data});
    CHECK_FALSE(awaiting.rating);
    CHECK(awaiting.reason == "Awaiting data");
    CHECK(rate_measure({50, 55, Direction::higher, false, MeasureStatus::tbc}).reason == "Target to be confirmed");
  }

  TEST_CASE("thresholds come from the site") {
    RatingThresholds lenient;
    lenient.review = -0.5;
    CHECK(rate_measure({60, 100, Direction::higher, false, MeasureStatus::none}, lenient).rating == Rating::review);
  }

  TEST_CASE("a group's rating is the rounded mean of its members' scores, with its counts") {
    const std::vector<std::optional<Rating>> members = {Rating::strong, Rating::good, Rating::review, std::nullopt, Rating::good};
    const auto group = rate_group(members);
    CHECK(group.overall == Rating::good);  // (4+3+2+3)/4 = 3
    CHECK(group.count(Rating::good) == 2);
    CHECK(group.unrated == 1);
    CHECK(group.rated() == 4);
    const std::vector<std::optional<Rating>> half = {Rating::strong, Rating::good};
    CHECK(rate_group(half).overall == Rating::strong);  // 3.5 rounds up
    const std::vector<std::optional<Rating>> lowish = {Rating::review, Rating::action, Rating::action};
    CHECK(rate_group(lowish).overall == Rating::action);  // 1.33
    const std::vector<std::optional<Rating>> none = {std::nullopt};
    CHECK_FALSE(rate_group(none).overall);
  }

  TEST_CASE("direction of travel") {
    CHECK(travel_of_values(50, 52, Direction::higher) == Travel::improving);
    CHECK(travel_of_values(50, 52, Direction::lower) == Travel::declining);
    CHECK(travel_of_values(50, 50, Direction::lower) == Travel::no_change);
    CHECK(travel_of_values(std::nullopt, 50, Direction::higher) == Travel::unknown);
    CHECK(travel_of_values(40, 50, Direction::none) == Travel::unknown);
    CHECK(travel_of_ratings(Rating::good, Rating::strong) == Travel::improving);
    CHECK(travel_of_ratings(Rating::good, Rating::review) == Travel::declining);
    CHECK(travel_of_ratings(Rating::good, Rating::good) == Travel::no_change);
    CHECK(travel_label(Travel::no_change) == "No change");
  }

  TEST_CASE("words parse both ways") {
    for (auto rating : {Rating::strong, Rating::good, Rating::review, Rating::action}) CHECK(parse_rating(rating_id(rating)) == rating);
    CHECK_FALSE(parse_rating("Strong"));
    CHECK(parse_measure_status("awaiting-data") == MeasureStatus::awaiting_data);
    CHECK_FALSE(parse_measure_status("AD"));
  }
}

TEST_SUITE("ratings") {
  TEST_CASE("a target's words are kept, and a numeric bound is read only where there is one") {
    const auto less = parse_target("Less than \u00a3155,000");
    CHECK(less.kind == Target::Kind::at_most);
    CHECK(less.value == 155000);
    CHECK(less.as_published == "Less than \u00a3155,000");
    const auto above = parse_target("95% or above");
    CHECK(above.kind == Target::Kind::at_least);
    CHECK(above.value == 95);
    const auto range = parse_target("4-8%");
    CHECK(range.kind == Target::Kind::range);
    CHECK(range.value == 4);
    CHECK(range.high == 8);
    CHECK(parse_target("4% to 8%").kind == Target::Kind::range);
    CHECK(parse_target("52.0%").kind == Target::Kind::number);
    CHECK(parse_target("52.0%").value == 52);
    for (const char* words : {"Monitor", "TBC", "Establish baseline in 20/21", "To be above the national average", "8-4", "", "-"}) {
      CAPTURE(words);
      CHECK(parse_target(words).kind == Target::Kind::words);
    }
  }

  TEST_CASE("a bound sets the direction, a range rates inside as good, words give no rating") {
    CHECK(rate_measure({150000.0, parse_target("Less than \u00a3155,000"), Direction::higher, false, MeasureStatus::none}).rating == Rating::good);
    CHECK(rate_measure({180000.0, parse_target("Less than \u00a3155,000"), Direction::higher, false, MeasureStatus::none}).rating == Rating::action);
    CHECK(rate_measure({97.0, parse_target("95% or above"), Direction::lower, true, MeasureStatus::none}).rating == Rating::good);
    CHECK(rate_measure({6.0, parse_target("4-8%"), Direction::higher, true, MeasureStatus::none}).rating == Rating::good);
    CHECK(rate_measure({3.8, parse_target("4-8%"), Direction::higher, true, MeasureStatus::none}).rating == Rating::review);  // 5% short
    const auto words = rate_measure({3.0, parse_target("Monitor"), Direction::higher, false, MeasureStatus::none});
    CHECK(words.rating == std::nullopt);
    CHECK(words.reason == "The target is \"Monitor\", not a number to rate against");
  }
}
