#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace plainsight {

/// The four ratings of a council's performance framework, with their scores.
enum class Rating { action = 1, review = 2, good = 3, strong = 4 };

std::optional<Rating> parse_rating(std::string_view word);  ///< "strong" → Rating::strong
std::string_view rating_id(Rating rating);                  ///< "strong"
std::string_view rating_label(Rating rating);               ///< "Strong"
int rating_score(Rating rating);                            ///< strong 4, good 3, review 2, action 1

enum class Direction { higher, lower, none };
std::optional<Direction> parse_direction(std::string_view word);

/// Why a measure has no rating, as councils publish it.
enum class MeasureStatus { none, awaiting_data, not_available, tbc, monitor };
std::optional<MeasureStatus> parse_measure_status(std::string_view word);  ///< "awaiting-data", …
std::string_view measure_status_id(MeasureStatus status);
std::string_view measure_status_label(MeasureStatus status);  ///< "Awaiting data (AD)"

/// DESIGN.md "Ratings"; site.json's "ratings" may change any of them.
struct RatingThresholds {
  double strong = 0.05;              ///< better than target by more than this → strong
  double strong_high_target = 0.02;  ///< … or by more than this when a percentage target is above high_target
  double high_target = 95;
  double good = -0.02;    ///< from here up to the strong threshold → good
  double review = -0.10;  ///< from here up to good → review; below → action
};

/// A target as the council published it: a number, or words that may hold a numeric bound
/// ("Less than £155,000", "95% or above", "4-8%") or none ("Monitor", "TBC").
struct Target {
  enum class Kind { number, at_most, at_least, range, words };
  Kind kind = Kind::number;
  double value = 0;          ///< the number, the bound, or the bottom of a range
  double high = 0;           ///< the top of a range
  std::string as_published;  ///< the council's words; "" for a target given as a number

  Target() = default;
  Target(double number) : value(number) {}  // NOLINT: a number is a target
  [[nodiscard]] bool is_numeric() const { return kind != Kind::words; }
};

/// Reads a target's words: "Less than £155,000" → at most 155000, "95% or above" → at least 95,
/// "4-8%" → 4 to 8, "52.0%" → 52; anything else ("Monitor", "To be above the national
/// average", "Establish baseline in 20/21") is words only, never rated against.
Target parse_target(std::string_view words);

struct MeasureInput {
  std::optional<double> value;  ///< the latest value
  std::optional<Target> target;
  Direction direction = Direction::higher;
  bool is_percent = false;
  MeasureStatus status = MeasureStatus::none;
};

struct MeasureRating {
  std::optional<Rating> rating;
  std::optional<double> difference;  ///< d, the relative difference from target (positive is better)
  std::string reason;                ///< why there is no rating, in words, when there is none
};

/// d = (a − t)/|t| when higher is better, (t − a)/|t| when lower is better; with a target of
/// 0 the difference is taken in the measure's own units, d = a − t (or t − a). d is rounded to
/// 9 decimal places first, so that "exactly 5% better" is exactly on the boundary. A bound read
/// from words sets the direction ("less than" is lower-is-better); a value inside a range is
/// good (d = 0), one outside is short of its nearest end by d; words alone give no rating.
MeasureRating rate_measure(const MeasureInput& input, const RatingThresholds& thresholds = {});

/// A group's rating: the mean of its members' scores rounded half up, with the counts behind it.
struct GroupRating {
  std::optional<Rating> overall;
  std::array<int, 4> counts{};  ///< indexed by score − 1: action, review, good, strong
  int unrated = 0;
  [[nodiscard]] int count(Rating rating) const { return counts[static_cast<std::size_t>(rating_score(rating) - 1)]; }
  [[nodiscard]] int rated() const { return counts[0] + counts[1] + counts[2] + counts[3]; }
};
GroupRating rate_group(std::span<const std::optional<Rating>> members);

/// Direction of travel against the previous period.
enum class Travel { improving, no_change, declining, unknown };
std::string_view travel_id(Travel travel);     ///< "improving", "no-change", "declining", "unknown"
std::string_view travel_label(Travel travel);  ///< "Improving", "No change", …
Travel travel_of_values(std::optional<double> previous, std::optional<double> latest, Direction direction);
Travel travel_of_ratings(std::optional<Rating> previous, std::optional<Rating> latest);

}  // namespace plainsight
