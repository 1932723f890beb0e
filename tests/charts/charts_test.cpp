#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "charts/charts.hpp"
#include "core/files.hpp"

using namespace plainsight;

namespace {

/// Compares with tests/charts/golden/NAME; PLAINSIGHT_UPDATE_GOLDEN=1 rewrites the file instead.
void check_golden(const std::string& name, const std::string& svg) {
  const auto path = std::string(PLAINSIGHT_SOURCE_DIR) + "/tests/charts/golden/" + name;
  if (std::getenv("PLAINSIGHT_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << svg << '\n';
  const auto expected = read_file(path);
  REQUIRE_MESSAGE(expected, "missing golden file " << path << " (run with PLAINSIGHT_UPDATE_GOLDEN=1)");
  CHECK(*expected == svg + '\n');
}

WheelChart example_wheel() {
  WheelChart chart{
      "wheel-test", "Plan: priorities and deliverables", "Inner ring: 2 priorities. Outer ring: 4 deliverables.", "4 deliverables", true, {}};
  chart.groups.push_back({{"Priority: Communities", "good", "Good", "/plans/p/communities/"},
                          {{"Deliverable: Thriving communities", "good", "Good", "/plans/p/deliverables/a/"},
                           {"Deliverable: <Equality> & more", "strong", "Strong", "/plans/p/deliverables/b/"},
                           {"Deliverable: Libraries", "", "No rating yet", "/plans/p/deliverables/c/"}}});
  chart.groups.push_back({{"Priority: Green", "action", "Action", "/plans/p/green/"}, {{"Deliverable: Carbon", "action", "Action", ""}}});
  return chart;
}

}  // namespace

TEST_SUITE("charts") {
  TEST_CASE("the overview wheel: priorities inside, deliverables outside, links and tooltips") {
    const auto svg = wheel_svg(example_wheel());
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("<title id=\"wheel-test-title\">Plan: priorities and deliverables</title>") != std::string::npos);
    CHECK(svg.find("<desc id=\"wheel-test-desc\">") != std::string::npos);
    CHECK(svg.find("<a href=\"/plans/p/deliverables/b/\" tabindex=\"-1\">") > svg.find("</svg><g class=\"links\" aria-hidden=\"true\">"));
    CHECK(svg.find("<title>Deliverable: &lt;Equality&gt; &amp; more: Strong</title>") != std::string::npos);
    CHECK(svg.find("fill=\"#8a8f92\" class=\"segment rating-none\"") != std::string::npos);
    check_golden("wheel-overview.svg", svg);
  }

  TEST_CASE("a single-ring wheel, and one segment filling the whole ring") {
    WheelChart chart{"wheel-one", "One measure", "1 measure: 1 good.", "", false, {{{}, {{"Measure: Only", "good", "Good", "/m/"}}}}};
    check_golden("wheel-single.svg", wheel_svg(chart));
    chart.groups.clear();
    const auto empty = wheel_svg(chart);
    CHECK(empty.find("<path") == std::string::npos);
  }

  TEST_CASE("stacked bars of ratings over time") {
    StackedBarChart chart{"trend", "Deliverables by rating", "Two periods.", {{"Dec 2021", {5, 40, 15, 2, 4}}, {"Mar 2022", {6, 48, 11, 1, 0}}}};
    const auto svg = stacked_bars_svg(chart);
    CHECK(svg.find("<title>Mar 2022: 48 Good</title>") != std::string::npos);
    check_golden("bars-trend.svg", svg);
  }

  TEST_CASE("a line chart with its target and a gap for a missing value") {
    LineChart chart{
        "chart-m", "Residents who can influence decisions", "Three figures.", {{"2019-20", 51.1}, {"2020-21", std::nullopt}, {"2021-22", 51.9}}, 55.0,
        "percent"};
    const auto svg = line_chart_svg(chart);
    CHECK(svg.find("Target 55%") != std::string::npos);
    CHECK(svg.find("<title>2021-22: 51.9%</title>") != std::string::npos);
    CHECK(svg.find("stroke-dasharray") != std::string::npos);
    check_golden("line-measure.svg", svg);
  }

  TEST_CASE("a line chart of values closer than a step can move still has a few finite ticks") {
    // `tick += step` did not move below the spacing of doubles: these looped, taking all memory.
    const std::vector<std::pair<double, double>> pairs = {
        {-0.3, -0.30000000000000004}, {-1e20, -99999999999999983616.0}, {-1e20, -1e20}, {-5e-324, 0}, {1e-320, 2e-320}, {-1.7e308, 1.7e308}};
    for (const auto& pair : pairs) {
      const auto [a, b] = pair;
      CAPTURE(pair.first);  // clang 14 cannot capture a structured binding
      CAPTURE(pair.second);
      LineChart chart{"chart-close", "Close values", "Two figures.", {{"2020-21", a}, {"2021-22", b}}, std::nullopt, "number"};
      const auto svg = line_chart_svg(chart);
      std::size_t gridlines = 0;
      for (auto at = svg.find("stroke=\"#b1b4b6\""); at != std::string::npos; at = svg.find("stroke=\"#b1b4b6\"", at + 1)) ++gridlines;
      CHECK(gridlines >= 2);
      CHECK(gridlines <= 21);
      CHECK(svg.find("nan") == std::string::npos);
      CHECK_MESSAGE(svg.find("inf") == std::string::npos, svg);
    }
    LineChart infinite{"chart-odd", "Not finite", "A value that cannot be drawn.", {{"a", 1.0}, {"b", HUGE_VAL}, {"c", std::nan("")}},
                       HUGE_VAL,    "number"};
    const auto svg = line_chart_svg(infinite);
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    CHECK(svg.find("<circle") == svg.rfind("<circle"));  // only the finite value is drawn
  }

  TEST_CASE("horizontal bars, a donut for five or fewer categories, and columns") {
    CategoryChart income{"chart-income",
                         "Where the money comes from",
                         "Six sources.",
                         {{"Council Tax", 342.7e6, "£342,700,000"},
                          {"Business Rates Top Up Grant", 94.9e6, "£94,900,000"},
                          {"General Grants", 74e6, "£74,000,000"},
                          {"Business Rates", 20.1e6, "£20,100,000"},
                          {"Use of Reserves", 14.8e6, "£14,800,000"},
                          {"Revenue Support Grant", 13.7e6, "£13,700,000"}}};
    const auto bars = horizontal_bars_svg(income);
    CHECK(bars.find("<title>Council Tax: £342,700,000</title>") != std::string::npos);
    check_golden("hbars-income.svg", bars);
    CHECK(donut_svg(income) == bars);  // six categories are too many for a donut
    income.items.resize(5);
    const auto donut = donut_svg(income);
    CHECK(donut.find("class=\"chart donut\"") != std::string::npos);
    check_golden("donut-income.svg", donut);
    CategoryChart quarters{"chart-timeline",
                           "Projects by quarter",
                           "Three quarters.",
                           {{"Jan–Mar 2020", 34, "34"}, {"Apr–Jun 2020", 77, "77"}, {"Jul–Sep 2020", 0, "0"}}};
    check_golden("columns-quarters.svg", columns_svg(quarters));
  }

  TEST_CASE("rating colours meet WCAG 2.2 non-text contrast, 3:1, against the white page and differ") {
    auto luminance = [](const std::string& hex) {
      double sum = 0;
      const double weights[] = {0.2126, 0.7152, 0.0722};
      for (int i = 0; i < 3; ++i) {
        const double c = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
        sum += weights[i] * (c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
      }
      return sum;
    };
    for (const char* rating : {"strong", "good", "review", "action", ""}) {
      const double contrast = (1.0 + 0.05) / (luminance(rating_colour(rating)) + 0.05);
      CHECK_MESSAGE(contrast >= 3.0, rating << ": " << contrast);
    }
    CHECK(std::string(rating_colour("strong")) != rating_colour("good"));
    CHECK(std::string(rating_colour("")) == rating_colour("unknown"));
  }
}
