#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace plainsight {

/// Inline SVG charts, as pure functions from data to markup. Every chart has role="img", a
/// <title> and a <desc>; the page puts a table or sentence with the same figures beside it.
/// Ratings are the ids "strong", "good", "review", "action", or "" for no rating (grey).

/// The fill for a rating id; each meets 3:1 contrast against white (WCAG 2.2 non-text contrast).
const char* rating_colour(const std::string& rating);

struct WheelSegment {
  std::string label;         ///< "Deliverable: Put in place a new strategy"
  std::string rating;        ///< rating id or ""
  std::string rating_label;  ///< "Good", or why there is none: "No data yet"
  std::string url;           ///< where the segment leads; "" for none
};

/// One inner segment (a priority) and the outer segments (its deliverables) that sit around it.
struct WheelGroup {
  WheelSegment inner;
  std::vector<WheelSegment> outer;
};

struct WheelChart {
  std::string id;  ///< unique in the page; prefixes the ids of <title> and <desc>
  std::string title;
  std::string description;
  std::string centre_text;  ///< a short line in the middle, such as "66 deliverables"
  bool show_inner = true;   ///< false: a single ring of the outer segments
  std::vector<WheelGroup> groups;
};

/// A ring chart with one segment per item, each a link to its page with a <title> tooltip.
std::string wheel_svg(const WheelChart& chart);

struct BarStack {
  std::string label;            ///< the period: "Mar 2022"
  std::array<int, 5> counts{};  ///< strong, good, review, action, no rating
};

struct StackedBarChart {
  std::string id, title, description;
  std::vector<BarStack> bars;
};

/// Vertical bars, one per period, stacked by rating, with the numbers written in each part.
std::string stacked_bars_svg(const StackedBarChart& chart);

struct LinePoint {
  std::string label;  ///< the period
  std::optional<double> value;
};

struct LineChart {
  std::string id, title, description;
  std::vector<LinePoint> points;
  std::optional<double> target;
  std::string unit;  ///< as in plan.json: percent, gbp, count, days, number
};

/// Values over time with the target as a dashed line; gaps where a value is missing.
std::string line_chart_svg(const LineChart& chart);

struct CategoryValue {
  std::string label;
  double value = 0;
  std::string value_text;  ///< as the site writes it: "£342,700,000"
};

struct CategoryChart {
  std::string id, title, description;
  std::vector<CategoryValue> items;
};

/// Horizontal bars, one per category, labelled with the category and its value: for many
/// categories or long names.
std::string horizontal_bars_svg(const CategoryChart& chart);

/// A ring divided by share, for five categories or fewer (more are drawn as horizontal bars);
/// each part is labelled in a key beside it.
std::string donut_svg(const CategoryChart& chart);

/// Vertical columns, one per category (such as a quarter), labelled with their values.
std::string columns_svg(const CategoryChart& chart);

}  // namespace plainsight
