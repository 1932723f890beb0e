#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "content/markdown_text.hpp"
#include "core/dates.hpp"
#include "core/diagnostics.hpp"
#include "core/json_source.hpp"
#include "ratings/ratings.hpp"

namespace plainsight {

/// The words a plan uses for its parts (a Derby-style plan says "Theme" and "Action").
struct PlanLabels {
  std::string priority = "Priority", priorities = "Priorities";
  std::string deliverable = "Deliverable", deliverables = "Deliverables";
  std::string measure = "Key measure", measures = "Key measures";
};

struct PlanPeriod {
  std::string id, label;
  DateTime end;
};

struct PlanPriority {
  std::string id, title;
  MarkdownText summary;
};

struct DeliverableUpdate {
  std::size_t period = 0;  ///< index into Plan::periods
  std::optional<Rating> rating;
  MarkdownText text;
};

struct Deliverable {
  std::string id, priority, title, lead, department, stage;
  std::optional<DateTime> start, due, original_due, completed;
  std::vector<std::pair<std::string, std::string>> fields;  ///< extra columns, in the order given
  std::vector<DeliverableUpdate> updates;                   ///< in period order
  std::vector<std::string> measures;
  SourceLocation where;

  // Derived when the plan is loaded.
  std::optional<Rating> rating;  ///< the latest update's
  Travel travel = Travel::unknown;
};

struct MeasureValue {
  std::size_t period = 0;
  std::optional<double> value;
  std::string as_of;  ///< "2022-03", when it differs from the period
};

struct Benchmark {
  std::string label;
  double value = 0;
};

struct Measure {
  std::string id, priority, title, unit, responsible;
  MarkdownText note;
  Direction direction = Direction::higher;
  std::optional<double> target;
  std::vector<MeasureValue> values;  ///< in period order
  MeasureStatus status = MeasureStatus::none;
  std::optional<Benchmark> benchmark;
  std::optional<Rating> published_rating;
  SourceLocation where;

  // Derived when the plan is loaded.
  std::optional<std::size_t> latest;  ///< index into values of the latest value that is a number
  MeasureRating rating;               ///< of the latest value
  Travel travel = Travel::unknown;
  [[nodiscard]] std::optional<Rating> rating_in(std::size_t period, const RatingThresholds& thresholds) const;
};

struct Plan {
  std::string file;  ///< "content/plans/x/plan.json"
  std::string url;   ///< the plan page's site path, "/plans/x/"
  std::string title;
  PlanLabels labels;
  std::vector<PlanPeriod> periods;
  std::vector<PlanPriority> priorities;
  std::vector<Deliverable> deliverables;
  std::vector<Measure> measures;

  [[nodiscard]] std::size_t priority_index(std::string_view id) const;
  [[nodiscard]] std::size_t measure_index(std::string_view id) const;
  [[nodiscard]] std::size_t deliverable_index(std::string_view id) const;
};

/// Validates plan.json and computes ratings and directions of travel. Every problem is reported
/// with its line and column; returns nullopt when there was any.
[[nodiscard]] std::optional<Plan> load_plan(const JsonSource& source, const RatingThresholds& thresholds, Diagnostics& diagnostics);

}  // namespace plainsight
