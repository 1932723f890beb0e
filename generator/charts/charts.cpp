#include "charts/charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace {

constexpr std::array<const char*, 5> stack_ratings = {"strong", "good", "review", "action", ""};
constexpr std::array<const char*, 5> stack_labels = {"Strong", "Good", "Review", "Action", "No rating"};

/// Coordinates with two decimals, so output is identical on every machine and build.
std::string num(double value) {
  auto text = fmt::format("{:.2f}", std::fabs(value) < 0.005 ? 0.0 : value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string open_svg(const std::string& id, const std::string& title, const std::string& description, int width, int height,
                     const std::string& css_class) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {0}\" viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\" role=\"img\" "
      "aria-labelledby=\"{3}-title {3}-desc\"><title id=\"{3}-title\">{4}</title><desc id=\"{3}-desc\">{5}</desc>",
      css_class, width, height, escape_html(id), escape_html(title), escape_html(description));
}

struct Point {
  double x, y;
};
Point polar(double cx, double cy, double radius, double angle) { return {cx + radius * std::sin(angle), cy - radius * std::cos(angle)}; }

/// A ring segment from angle a0 to a1 (radians clockwise from the top), as path data.
std::string ring_path(double cx, double cy, double r0, double r1, double a0, double a1) {
  // An arc cannot end where it starts, so a segment that fills the whole ring is drawn in halves.
  if (a1 - a0 >= 2 * std::numbers::pi - 1e-9) {
    const double middle = (a0 + a1) / 2;
    return ring_path(cx, cy, r0, r1, a0, middle) + ring_path(cx, cy, r0, r1, middle, a1);
  }
  const int large = a1 - a0 > std::numbers::pi ? 1 : 0;
  const auto p1 = polar(cx, cy, r1, a0), p2 = polar(cx, cy, r1, a1), p3 = polar(cx, cy, r0, a1), p4 = polar(cx, cy, r0, a0);
  return fmt::format("M{} {}A{} {} 0 {} 1 {} {}L{} {}A{} {} 0 {} 0 {} {}Z", num(p1.x), num(p1.y), num(r1), num(r1), large, num(p2.x), num(p2.y),
                     num(p3.x), num(p3.y), num(r0), num(r0), large, num(p4.x), num(p4.y));
}

std::string segment_shape(const WheelSegment& item, const std::string& path) {
  return fmt::format("<path d=\"{}\" fill=\"{}\" class=\"segment rating-{}\"><title>{}</title></path>", path, rating_colour(item.rating),
                     item.rating.empty() ? "none" : item.rating, escape_html(item.label + ": " + item.rating_label));
}

/// A transparent copy of a segment that links to its page. Links may not sit inside an element
/// with role="img", so they form a layer of their own on top of the picture. The same links are
/// in the table beside the chart, where keyboard and screen reader users reach them; here they
/// serve the mouse, hidden from assistive technology and out of the tab order.
std::string segment_link(const WheelSegment& item, const std::string& path) {
  if (item.url.empty()) return {};
  return fmt::format("<a href=\"{}\" tabindex=\"-1\"><path d=\"{}\" fill=\"#ffffff\" fill-opacity=\"0\"><title>{}</title></path></a>",
                     escape_html(item.url), path, escape_html(item.label + ": " + item.rating_label));
}

double nice_step(double range) {
  const double raw = range / 4;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= factor * magnitude) return factor * magnitude;
  return 10 * magnitude;
}

/// A vertical scale of whole counts from zero, with gridlines and labels.
struct CountScale {
  double top, plot, max, step;
  [[nodiscard]] double y(double count) const { return top + plot - plot * count / max; }
};

CountScale count_scale(double highest, double top, double plot) {
  if (!std::isfinite(highest)) highest = 1;  // nothing can be drawn to an infinite scale
  const double step = std::max(1.0, std::ceil(nice_step(std::max(highest, 1.0))));
  return {top, plot, std::ceil(std::max(highest, 1.0) / step) * step, step};
}

/// How many steps from the lowest gridline to the highest. Ticks are counted, not added up:
/// `tick += step` stops moving once step is below the spacing of doubles at tick.
int step_count(double span, double step) {
  constexpr double most = 20;  // nice_step aims at about four
  const double steps = std::round(span / step);
  return steps >= 0 && steps <= most ? static_cast<int>(steps) : 0;
}

std::string count_grid(const CountScale& scale, int left, int right, int font_size) {
  std::string svg;
  for (int i = 0, steps = step_count(scale.max, scale.step); i <= steps; ++i) {
    const double tick = i * scale.step;
    const double y = scale.y(tick);
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>", left, right, num(y));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{}\" fill=\"#0b0c0c\">{}</text>", left - 6, num(y + 4), font_size,
                       format_number(tick));
  }
  return svg;
}

}  // namespace

const char* rating_colour(const std::string& rating) {
  if (rating == "strong") return "#00703c";
  if (rating == "good") return "#5a8f00";
  if (rating == "review") return "#b25c00";
  if (rating == "action") return "#d4351c";
  return "#8a8f92";
}

std::string wheel_svg(const WheelChart& chart) {
  constexpr int size = 320;
  constexpr double c = size / 2.0, inner_r0 = 58, inner_r1 = 100, outer_r0 = 104, outer_r1 = 154;
  std::size_t slots = 0;
  for (const auto& group : chart.groups) slots += std::max<std::size_t>(group.outer.size(), 1);
  std::string shapes, links;
  if (slots > 0) {
    const double per_slot = 2 * std::numbers::pi / static_cast<double>(slots);
    double angle = 0;
    auto add = [&](const WheelSegment& item, const std::string& path) {
      shapes += segment_shape(item, path);
      links += segment_link(item, path);
    };
    for (const auto& group : chart.groups) {
      const double width = per_slot * static_cast<double>(std::max<std::size_t>(group.outer.size(), 1));
      if (chart.show_inner) add(group.inner, ring_path(c, c, inner_r0, inner_r1, angle, angle + width));
      for (std::size_t i = 0; i < group.outer.size(); ++i) {
        const double start = angle + per_slot * static_cast<double>(i);
        add(group.outer[i], ring_path(c, c, chart.show_inner ? outer_r0 : inner_r0, outer_r1, start, start + per_slot));
      }
      angle += width;
    }
  }
  std::string svg =
      fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart wheel\" viewBox=\"0 0 {0} {0}\" width=\"{0}\" height=\"{0}\">", size);
  svg += open_svg(chart.id, chart.title, chart.description, size, size, "wheel-picture");
  svg += "<g stroke=\"#ffffff\" stroke-width=\"1.5\">" + shapes + "</g>";
  if (!chart.centre_text.empty())
    svg += fmt::format("<text x=\"{0}\" y=\"{0}\" text-anchor=\"middle\" dominant-baseline=\"middle\" font-size=\"15\" fill=\"#0b0c0c\">{1}</text>",
                       num(c), escape_html(chart.centre_text));
  svg += "</svg>";
  if (!links.empty()) svg += "<g class=\"links\" aria-hidden=\"true\">" + links + "</g>";
  return svg + "</svg>";
}

std::string stacked_bars_svg(const StackedBarChart& chart) {
  constexpr int height = 260, top = 16, bottom = 40, left = 44, bar_width = 56, gap = 28;
  const int width = left + static_cast<int>(chart.bars.size()) * (bar_width + gap) + gap;
  int highest = 1;
  for (const auto& bar : chart.bars) {
    int total = 0;
    for (int count : bar.counts) total += count;
    highest = std::max(highest, total);
  }
  const double plot = height - top - bottom;
  const auto scale = count_scale(highest, top, plot);
  const double scale_max = scale.max;
  std::string svg = open_svg(chart.id, chart.title, chart.description, width, height, "bars");
  svg += count_grid(scale, left, width - 8, 12);
  for (std::size_t b = 0; b < chart.bars.size(); ++b) {
    const auto& bar = chart.bars[b];
    const double x = left + gap + static_cast<double>(b) * (bar_width + gap);
    double y = top + plot;
    for (std::size_t r = 0; r < bar.counts.size(); ++r) {
      if (bar.counts[r] == 0) continue;
      const double h = plot * bar.counts[r] / scale_max;
      y -= h;
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" class=\"rating-{}\"><title>{}: {} {}</title></rect>",
          num(x), num(y), bar_width, num(h), rating_colour(stack_ratings[r]), *stack_ratings[r] ? stack_ratings[r] : "none", escape_html(bar.label),
          bar.counts[r], stack_labels[r]);
      if (h >= 14)
        svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#ffffff\">{}</text>", num(x + bar_width / 2.0),
                           num(y + h / 2 + 4), bar.counts[r]);
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#0b0c0c\">{}</text>", num(x + bar_width / 2.0),
                       height - bottom + 18, escape_html(bar.label));
  }
  return svg + "</svg>";
}

std::string line_chart_svg(const LineChart& chart) {
  constexpr int width = 560, height = 260, top = 20, bottom = 40, left = 72, right = 16, inset = 36;
  // A value that is not finite cannot be placed, so it is drawn as a gap.
  const auto drawn = [](const LinePoint& point) { return point.value && std::isfinite(*point.value); };
  std::vector<double> values;
  for (const auto& point : chart.points)
    if (drawn(point)) values.push_back(*point.value);
  if (chart.target && std::isfinite(*chart.target)) values.push_back(*chart.target);
  double low = values.empty() ? 0 : *std::min_element(values.begin(), values.end());
  double high = values.empty() ? 1 : *std::max_element(values.begin(), values.end());
  low = std::min(low, 0.0);  // bars of meaning start at zero, so the scale does too
  // The distance between the ends must be a double too: values beyond this are drawn at the edge.
  constexpr double farthest = std::numeric_limits<double>::max() / 8;
  low = std::max(low, -farthest);
  high = std::min(high, farthest);
  // Values too close to tell apart at their size (-0.3 and -0.30000000000000004), or too
  // small to divide into steps, get the scale that equal values get: one unit, or their
  // size where one unit is lost in it (-1e20 + 1 is -1e20).
  const double size = std::max(std::fabs(low), std::fabs(high));
  const auto too_narrow = [&] { return !(high - low > std::max(size * 1e-9, std::numeric_limits<double>::min())); };
  if (too_narrow()) high = low + 1;
  if (too_narrow()) high = low + size;
  const double step = nice_step(high - low);
  low = std::floor(low / step) * step;
  high = std::ceil(high / step) * step;
  const double plot_w = width - left - right - 2 * inset, plot_h = height - top - bottom;
  auto y_of = [&](double v) { return top + plot_h - plot_h * ((std::clamp(v, low, high) - low) / (high - low)); };
  const auto n = chart.points.size();
  auto x_of = [&](std::size_t i) { return left + inset + (n <= 1 ? plot_w / 2 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1)); };

  std::string svg = open_svg(chart.id, chart.title, chart.description, width, height, "line");
  for (int i = 0, steps = step_count(high - low, step); i <= steps; ++i) {
    const double tick = low + i * step;
    const double y = y_of(tick);
    svg += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>", left, width - right, num(y));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#0b0c0c\">{}</text>", left - 6, num(y + 4),
                       escape_html(format_in_unit(tick, chart.unit)));
  }
  if (chart.target && std::isfinite(*chart.target)) {
    const double y = y_of(*chart.target);
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"6 4\" class=\"target\"/>", left,
        width - right, num(y));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#0b0c0c\">Target {}</text>", width - right, num(y - 6),
                       escape_html(format_in_unit(*chart.target, chart.unit)));
  }
  std::string path;
  bool pen_down = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& point = chart.points[i];
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#0b0c0c\">{}</text>", num(x_of(i)),
                       height - bottom + 18, escape_html(point.label));
    if (!drawn(point)) {
      pen_down = false;
      continue;
    }
    path += fmt::format("{}{} {}", pen_down ? "L" : "M", num(x_of(i)), num(y_of(*point.value)));
    pen_down = true;
  }
  if (!path.empty()) svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"3\"/>";
  for (std::size_t i = 0; i < n; ++i) {
    if (!drawn(chart.points[i])) continue;
    svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#1d70b8\"><title>{}: {}</title></circle>", num(x_of(i)),
                       num(y_of(*chart.points[i].value)), escape_html(chart.points[i].label),
                       escape_html(format_in_unit(*chart.points[i].value, chart.unit)));
  }
  return svg + "</svg>";
}

namespace {
/// Five colours for categories (not ratings), each meeting 3:1 against white.
constexpr std::array<const char*, 5> category_colours = {"#1d70b8", "#4c2c92", "#00703c", "#b25c00", "#505a5f"};
}  // namespace

std::string horizontal_bars_svg(const CategoryChart& chart) {
  constexpr int width = 640, bar_height = 22, gap = 30, top = 8, label_height = 16;
  const int height = top + static_cast<int>(chart.items.size()) * (bar_height + gap + label_height) - gap + 8;
  double highest = 0;
  for (const auto& item : chart.items) highest = std::max(highest, std::fabs(item.value));
  if (highest <= 0) highest = 1;
  std::string svg = open_svg(chart.id, chart.title, chart.description, width, std::max(height, 40), "hbars");
  double y = top;
  for (const auto& item : chart.items) {
    // The label sits above its bar, so long names need no room beside it.
    svg += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{}</text>", num(y + 12), escape_html(item.label));
    const double w = std::max(1.0, (width - 170) * std::fabs(item.value) / highest);
    svg += fmt::format("<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#1d70b8\"><title>{}: {}</title></rect>", num(y + label_height),
                       num(w), bar_height, escape_html(item.label), escape_html(item.value_text));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{}</text>", num(w + 6), num(y + label_height + 16),
                       escape_html(item.value_text));
    y += bar_height + gap + label_height;
  }
  return svg + "</svg>";
}

std::string donut_svg(const CategoryChart& chart) {
  if (chart.items.size() > category_colours.size()) return horizontal_bars_svg(chart);
  constexpr double c = 120, r0 = 62, r1 = 108;
  std::size_t longest = 0;
  for (const auto& item : chart.items) longest = std::max(longest, item.label.size() + item.value_text.size() + 2);
  // The key beside the ring is as wide as its longest line (about 7 units a character at 13px).
  const int width = std::max(480, 290 + static_cast<int>(longest) * 7), height = 240;
  double total = 0;
  for (const auto& item : chart.items) total += std::max(0.0, item.value);
  std::string svg = open_svg(chart.id, chart.title, chart.description, width, height, "donut");
  svg += "<g stroke=\"#ffffff\" stroke-width=\"1.5\">";
  double angle = 0;
  for (std::size_t i = 0; i < chart.items.size() && total > 0; ++i) {
    const auto& item = chart.items[i];
    const double sweep = 2 * std::numbers::pi * std::max(0.0, item.value) / total;
    if (sweep <= 0) continue;
    svg += fmt::format("<path d=\"{}\" fill=\"{}\"><title>{}: {}</title></path>", ring_path(c, c, r0, r1, angle, angle + sweep), category_colours[i],
                       escape_html(item.label), escape_html(item.value_text));
    angle += sweep;
  }
  svg += "</g>";
  for (std::size_t i = 0; i < chart.items.size(); ++i) {
    const double y = 40 + 36.0 * static_cast<double>(i);
    svg += fmt::format("<rect x=\"260\" y=\"{}\" width=\"16\" height=\"16\" fill=\"{}\" stroke=\"#0b0c0c\"/>", num(y), category_colours[i]);
    svg += fmt::format("<text x=\"284\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{}: {}</text>", num(y + 13), escape_html(chart.items[i].label),
                       escape_html(chart.items[i].value_text));
  }
  return svg + "</svg>";
}

std::string columns_svg(const CategoryChart& chart) {
  constexpr int height = 260, top = 24, bottom = 76, left = 64, column_width = 34, gap = 14;
  const int width = std::max(200, left + static_cast<int>(chart.items.size()) * (column_width + gap) + gap);
  double highest = 1;
  for (const auto& item : chart.items) highest = std::max(highest, item.value);
  const double plot = height - top - bottom;
  const auto scale = count_scale(highest, top, plot);
  const double scale_max = scale.max;
  std::string svg = open_svg(chart.id, chart.title, chart.description, width, height, "columns");
  svg += count_grid(scale, left, width - 4, 11);
  for (std::size_t i = 0; i < chart.items.size(); ++i) {
    const auto& item = chart.items[i];
    const double x = left + gap + static_cast<double>(i) * (column_width + gap);
    const double h = plot * std::max(0.0, item.value) / scale_max;
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#1d70b8\"><title>{}: {}</title></rect>", num(x),
                       num(top + plot - h), column_width, num(h), escape_html(item.label), escape_html(item.value_text));
    if (item.value > 0)
      svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#0b0c0c\">{}</text>", num(x + column_width / 2.0),
                         num(top + plot - h - 4), escape_html(item.value_text));
    // Labels are turned to fit many quarters side by side.
    svg += fmt::format("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#0b0c0c\" transform=\"rotate(-45 {0} {1})\">{2}</text>",
                       num(x + column_width / 2.0), num(height - bottom + 14), escape_html(item.label));
  }
  return svg + "</svg>";
}

}  // namespace plainsight
