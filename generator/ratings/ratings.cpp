#include "ratings/ratings.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/text.hpp"

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

namespace {

/// "£155,000", "95%", "4.5": the number, with £, % and commas allowed around it; nullopt for
/// anything else.
std::optional<double> plain_number(std::string_view text) {
  std::string digits;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= '0' && c <= '9') || c == '.') {
      digits += c;
      any = any || c != '.';
    } else if (c == ',' && !digits.empty()) {
      continue;
    } else if (text.substr(i).starts_with("\xC2\xA3") && digits.empty()) {  // £
      ++i;
    } else if (c == '%' && i + 1 == text.size() && any) {
      continue;
    } else if (c == '-' && i == 0) {
      digits += c;
    } else {
      return std::nullopt;
    }
  }
  if (!any) return std::nullopt;
  try {
    std::size_t used = 0;
    const double value = std::stod(digits, &used);
    return used == digits.size() && std::isfinite(value) ? std::optional(value) : std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

/// The words without the spaces around them or a full stop at the end.
std::string_view trimmed(std::string_view text) {
  text = trim(text);
  while (!text.empty() && text.back() == '.') text = trim(text.substr(0, text.size() - 1));
  return text;
}

}  // namespace

Target parse_target(std::string_view words) {
  Target target;
  target.as_published = std::string(trimmed(words));
  target.kind = Target::Kind::words;
  const auto text = std::string_view(target.as_published);
  const auto lower = to_lower_ascii(text);
  static constexpr std::string_view at_most_before[] = {"less than ", "below ", "under ", "no more than ", "fewer than ", "at most ", "< "};
  static constexpr std::string_view at_least_before[] = {"more than ", "above ", "over ", "at least ", "greater than ", "> "};
  static constexpr std::string_view at_most_after[] = {" or less", " or below", " or fewer", " or under", " or lower"};
  static constexpr std::string_view at_least_after[] = {" or above", " or more", " or over", " or higher", " or greater"};
  auto bound = [&](Target::Kind kind, std::string_view number_text) {
    if (const auto number = plain_number(trimmed(number_text))) {
      target.kind = kind;
      target.value = *number;
    }
  };
  for (const auto prefix : at_most_before)
    if (lower.starts_with(prefix)) bound(Target::Kind::at_most, text.substr(prefix.size()));
  for (const auto prefix : at_least_before)
    if (lower.starts_with(prefix)) bound(Target::Kind::at_least, text.substr(prefix.size()));
  for (const auto suffix : at_most_after)
    if (lower.ends_with(suffix)) bound(Target::Kind::at_most, text.substr(0, text.size() - suffix.size()));
  for (const auto suffix : at_least_after)
    if (lower.ends_with(suffix)) bound(Target::Kind::at_least, text.substr(0, text.size() - suffix.size()));
  if (target.kind != Target::Kind::words) return target;
  // "4-8%", "4% - 8%", "4 to 8": a range, its unit written once or twice.
  for (const std::string_view separator : {" to ", " - ", "-", "\xE2\x80\x93"}) {  // the last is an en dash
    const auto at = lower.find(separator, 1);
    if (at == std::string::npos) continue;
    auto low_text = trimmed(text.substr(0, at)), high_text = trimmed(text.substr(at + separator.size()));
    std::string low_with_unit(low_text);
    if (high_text.ends_with('%') && !low_text.ends_with('%')) low_with_unit += '%';
    const auto low = plain_number(low_with_unit), high = plain_number(high_text);
    if (low && high && *low <= *high) {
      target.kind = Target::Kind::range;
      target.value = *low;
      target.high = *high;
      return target;
    }
  }
  if (const auto number = plain_number(text)) {
    target.kind = Target::Kind::number;
    target.value = *number;
  }
  return target;
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
  const auto& target = *input.target;
  if (!target.is_numeric()) {
    result.reason = "The target is \"" + target.as_published + "\", not a number to rate against";
    return result;
  }
  const double a = *input.value;
  auto rate = [&](double d, double strong_above) {
    d = std::round(d * 1e9) / 1e9;
    result.difference = d;
    if (d > strong_above)
      result.rating = Rating::strong;
    else if (d >= thresholds.good)
      result.rating = Rating::good;
    else if (d >= thresholds.review)
      result.rating = Rating::review;
    else
      result.rating = Rating::action;
  };
  auto relative = [](double gap, double t) { return t == 0 ? gap : gap / std::fabs(t); };
  if (target.kind == Target::Kind::range) {
    const double d = a < target.value ? relative(a - target.value, target.value) : a > target.high ? relative(target.high - a, target.high) : 0;
    rate(d, std::numeric_limits<double>::infinity());  // inside a range is as good as it gets
    return result;
  }
  const auto direction = target.kind == Target::Kind::at_most    ? Direction::lower
                         : target.kind == Target::Kind::at_least ? Direction::higher
                                                                 : input.direction;
  const double t = target.value;
  const bool high_percent_target = input.is_percent && t > thresholds.high_target;
  rate(relative(direction == Direction::higher ? a - t : t - a, t), high_percent_target ? thresholds.strong_high_target : thresholds.strong);
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
