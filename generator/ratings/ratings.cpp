#include "ratings/ratings.hpp"

#include <cmath>

namespace plainsight {

std::optional<Rating> parse_rating(std::string_view word) {
  if (word == "strong") return Rating::strong;
  if (word == "good") return Rating::good;
  if (word == "review") return Rating::review;
  if (word == "action") return Rating::action;
  return std::nullopt;
}

std::string_view rating_id(Rating rating) {
  switch (rating) {
    case Rating::strong:
      return "strong";
    case Rating::good:
      return "good";
    case Rating::review:
      return "review";
    default:
      return "action";
  }
}

std::string_view rating_label(Rating rating) {
  switch (rating) {
    case Rating::strong:
      return "Strong";
    case Rating::good:
      return "Good";
    case Rating::review:
      return "Review";
    default:
      return "Action";
  }
}

int rating_score(Rating rating) { return static_cast<int>(rating); }

std::optional<Direction> parse_direction(std::string_view word) {
  if (word == "higher") return Direction::higher;
  if (word == "lower") return Direction::lower;
  if (word == "none") return Direction::none;
  return std::nullopt;
}

std::optional<MeasureStatus> parse_measure_status(std::string_view word) {
  if (word == "awaiting-data") return MeasureStatus::awaiting_data;
  if (word == "not-available") return MeasureStatus::not_available;
  if (word == "tbc") return MeasureStatus::tbc;
  if (word == "monitor") return MeasureStatus::monitor;
  return std::nullopt;
}

std::string_view measure_status_id(MeasureStatus status) {
  switch (status) {
    case MeasureStatus::awaiting_data:
      return "awaiting-data";
    case MeasureStatus::not_available:
      return "not-available";
    case MeasureStatus::tbc:
      return "tbc";
    case MeasureStatus::monitor:
      return "monitor";
    default:
      return "";
  }
}

std::string_view measure_status_label(MeasureStatus status) {
  switch (status) {
    case MeasureStatus::awaiting_data:
      return "Awaiting data";
    case MeasureStatus::not_available:
      return "Not available";
    case MeasureStatus::tbc:
      return "Target to be confirmed";
    case MeasureStatus::monitor:
      return "Monitored, no target";
    default:
      return "";
  }
}

MeasureRating rate_measure(const MeasureInput& input, const RatingThresholds& thresholds) {
  MeasureRating result;
  if (input.status != MeasureStatus::none) {
    result.reason = std::string(measure_status_label(input.status));
    return result;
  }
  if (input.direction == Direction::none) {
    result.reason = "Monitored, not rated";
    return result;
  }
  if (!input.value) {
    result.reason = "No data yet";
    return result;
  }
  if (!input.target) {
    result.reason = "No target";
    return result;
  }
  const double a = *input.value, t = *input.target;
  const double gap = input.direction == Direction::higher ? a - t : t - a;
  const double d = std::round((t == 0 ? gap : gap / std::fabs(t)) * 1e9) / 1e9;
  result.difference = d;
  const bool high_percent_target = input.is_percent && t > thresholds.high_target;
  const double strong_above = high_percent_target ? thresholds.strong_high_target : thresholds.strong;
  if (d > strong_above)
    result.rating = Rating::strong;
  else if (d >= thresholds.good)
    result.rating = Rating::good;
  else if (d >= thresholds.review)
    result.rating = Rating::review;
  else
    result.rating = Rating::action;
  return result;
}

GroupRating rate_group(std::span<const std::optional<Rating>> members) {
  GroupRating group;
  int total = 0;
  for (const auto& member : members) {
    if (!member) {
      ++group.unrated;
      continue;
    }
    ++group.counts[static_cast<std::size_t>(rating_score(*member) - 1)];
    total += rating_score(*member);
  }
  if (const int rated = group.rated(); rated > 0) {
    // Round half up in integers: (2·total + rated) / (2·rated) = floor(mean + 0.5).
    group.overall = static_cast<Rating>((2 * total + rated) / (2 * rated));
  }
  return group;
}

std::string_view travel_id(Travel travel) {
  switch (travel) {
    case Travel::improving:
      return "improving";
    case Travel::no_change:
      return "no-change";
    case Travel::declining:
      return "declining";
    default:
      return "unknown";
  }
}

std::string_view travel_label(Travel travel) {
  switch (travel) {
    case Travel::improving:
      return "Improving";
    case Travel::no_change:
      return "No change";
    case Travel::declining:
      return "Declining";
    default:
      return "Not compared";
  }
}

Travel travel_of_values(std::optional<double> previous, std::optional<double> latest, Direction direction) {
  if (!previous || !latest || direction == Direction::none) return Travel::unknown;
  if (*latest == *previous) return Travel::no_change;
  const bool went_up = *latest > *previous;
  return went_up == (direction == Direction::higher) ? Travel::improving : Travel::declining;
}

Travel travel_of_ratings(std::optional<Rating> previous, std::optional<Rating> latest) {
  if (!previous || !latest) return Travel::unknown;
  if (*latest == *previous) return Travel::no_change;
  return rating_score(*latest) > rating_score(*previous) ? Travel::improving : Travel::declining;
}

}  // namespace plainsight
