#pragma once

#include <array>
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
  std::string risk = "Risk", risks = "Risks";
};

/// Where a plan's figures come from: the document, its section and page.
struct Source {
  std::string document, section, page, url;
  [[nodiscard]] bool empty() const { return document.empty(); }
};

struct PlanPeriod {
  std::string id, label;
  DateTime end;
  std::string heading;  ///< the column heading the document prints for it: "Actual", "Latest", "Target"
  /// Its label, or its id when it has none.
  [[nodiscard]] const std::string& name() const { return label.empty() ? id : label; }
};

/// Whose priority it is: the Council's, or one of a department's own (a service plan's Section Two).
enum class PriorityKind { plan, council, department };

struct PlanPriority {
  std::string id, title;
  MarkdownText summary;
  PriorityKind kind = PriorityKind::plan;
};

/// A date in a plan, to the precision published: a day, or a month ("2020-04": April 2020).
struct PlanDate {
  DateTime date;  ///< the first of the month when only the month is known
  bool month_only = false;
  auto operator<=>(const PlanDate&) const = default;
};

/// "31 March 2021", or "March 2021" for a month.
[[nodiscard]] std::string format_plan_date(const PlanDate& date);
/// "2021-03-31", or "2021-03" for a month.
[[nodiscard]] std::string plan_date_iso(const PlanDate& date);
/// Whether `a` is before `b`, to the precision of the less precise of the two.
[[nodiscard]] bool plan_date_before(const PlanDate& a, const PlanDate& b);

struct DeliverableUpdate {
  std::size_t period = 0;  ///< index into Plan::periods
  std::optional<Rating> rating;
  MarkdownText text;
};

struct Deliverable {
  std::string id, number, priority, title, lead, department, stage;
  std::vector<std::string> other_priorities;  ///< further priorities it serves, after `priority`
  std::optional<PlanDate> start, due;
  std::string start_as_published, due_as_published;  ///< the document's words: "April 2020", "Ongoing"
  std::optional<DateTime> original_due, completed;
  std::vector<std::string> success_measures;
  std::optional<bool> council_plan;      ///< whether the document marks it as a Council Plan deliverable
  std::string council_plan_deliverable;  ///< that deliverable's page, "/plans/x/deliverables/y/", where one matches
  SourceLocation department_where, council_plan_deliverable_where;
  std::vector<std::pair<std::string, std::string>> fields;  ///< extra columns, in the order given
  std::vector<DeliverableUpdate> updates;                   ///< in period order
  std::vector<std::string> measures;
  SourceLocation where;
  Source source;  ///< when it differs from the plan's

  // Derived when the plan is loaded.
  std::optional<Rating> rating;  ///< the latest update's
  Travel travel = Travel::unknown;
};

struct MeasureValue {
  std::size_t period = 0;
  std::optional<double> value;
  std::string as_of;                       ///< "2022-03", when it differs from the period
  std::optional<Target> target;            ///< this period's target, as published
  std::string value_as_published;          ///< "£6.046m (Feb 2020)", "183 (29%)", "Green"
  std::optional<Rating> published_rating;  ///< the rating the council published for this period
};

/// A field of the deliverables (`fields`) that the plan can be browsed by, such as "Portfolio":
/// each value it takes, in order, with the deliverables that have it. A field holding several
/// values separates them with ";".
struct BrowseField {
  struct Value {
    std::string text, slug;
    std::vector<std::size_t> deliverables;  ///< indexes into Plan::deliverables, in plan order
  };
  std::string name, slug;
  std::vector<Value> values;
};

/// One period's counts of deliverables or measures per rating and direction of travel: as the
/// council published them (Plan::trend), or as the ratings given here add up (counted_trend).
struct PeriodCounts {
  std::size_t period = 0;
  bool measures = false;                      ///< counts of measures; of deliverables otherwise
  std::array<std::optional<int>, 4> ratings;  ///< indexed by score − 1: action, review, good, strong
  std::optional<int> no_rating, improving, no_change, declining, completed;
  SourceLocation where;
};

/// How direction of travel is decided: by comparing ratings between periods (as 003 does) or values.
enum class TravelRule { ratings, values };

struct Benchmark {
  std::string label;
  double value = 0;
};

struct Measure {
  std::string id, number, priority, title, unit, responsible;
  std::string department;  ///< a division or department other than the plan's, when the document separates it
  SourceLocation department_where;
  MarkdownText note;
  Direction direction = Direction::higher;
  std::optional<Target> target;      ///< the plan's latest period's (`target`, shorthand); see target_in
  std::vector<MeasureValue> values;  ///< in period order
  MeasureStatus status = MeasureStatus::none;
  std::optional<Benchmark> benchmark;
  std::optional<Rating> published_rating;
  SourceLocation where;

  // Derived when the plan is loaded.
  std::optional<std::size_t> latest;  ///< index into values of the latest value that is a number
  MeasureRating rating;               ///< of the latest value
  Travel travel = Travel::unknown;
  std::size_t last_period = 0;  ///< the plan's latest period, which `target` is for
  Source source;                ///< when it differs from the plan's

  /// The target published for a period: its value's own, or `target` for the plan's latest period.
  [[nodiscard]] const Target* target_in(std::size_t period) const;
  /// The value given for a period, or nullptr.
  [[nodiscard]] const MeasureValue* value_in(std::size_t period) const;
  /// Whether anything is given for the value's period: a figure, the council's words, a target
  /// or a rating. The row `new period` adds is not, until it is filled in, and is shown nowhere.
  [[nodiscard]] bool filled_in(const MeasureValue& value) const;
  /// A period's value rated against that period's target only.
  [[nodiscard]] MeasureRating rating_in(std::size_t period, const RatingThresholds& thresholds) const;
  /// The computed rating, or else the one the council published for that period: what
  /// direction of travel and the counts made from ratings compare.
  [[nodiscard]] std::optional<Rating> council_rating_in(std::size_t period, const RatingThresholds& thresholds) const;
};

/// A key risk of a service plan, under the priority it threatens.
struct Risk {
  std::string id, priority, title;
  std::string department;  ///< a division other than the plan's department, when the document separates it
  MarkdownText text, mitigations;
  std::string none;  ///< instead of a risk: the council's words when it lists none under the priority ("None")
  SourceLocation where, department_where;
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
  std::vector<Risk> risks;
  std::string department;  ///< a service plan's department, as named in plan.json; "" for other plans
  SourceLocation department_where;
  Source source;
  std::vector<PeriodCounts> trend;  ///< the council's own counts, in period order, deliverables first
  TravelRule travel_rule = TravelRule::ratings;
  std::vector<BrowseField> browse;  ///< `browse_by`, with the values found

  [[nodiscard]] std::size_t priority_index(std::string_view id) const;
  [[nodiscard]] std::size_t measure_index(std::string_view id) const;
  [[nodiscard]] std::size_t deliverable_index(std::string_view id) const;
  /// The priority's title, or "" for an id that is not one.
  [[nodiscard]] std::string priority_title(std::string_view id) const;
};

/// "Council Plan Performance Report 2021-22, Appendix 3, page 4": `own` when it names a
/// document, otherwise `fallback` (the plan's); "" when neither does.
[[nodiscard]] std::string source_text(const Source& own, const Source& fallback = {});

/// What a figure's published text says about it, in words: "provisional" for "492 (p)", "a
/// projection" for "End year projection at Jan 2020", "for the academic year" for "(2018/19 a/y)",
/// "a RAG rating, not a figure" for "Green". Empty when it says none of these.
[[nodiscard]] std::vector<std::string> published_value_notes(std::string_view as_published);

/// A target as the site shows it: the council's words, or the number in the measure's unit.
[[nodiscard]] std::string target_text(const Target& target, const std::string& unit);

/// The counts the plan's own ratings give, for each period in which anything is rated:
/// deliverables first, then measures. Direction of travel compares each item with the period
/// before, by the plan's rule; completed counts deliverables completed by the period's end.
[[nodiscard]] std::vector<PeriodCounts> counted_trend(const Plan& plan, const RatingThresholds& thresholds);

/// "the report counts 10 Review; the ratings given here add up to 11", for each count that
/// differs. Ratings, or directions of travel, are not compared where the plan has fewer of them
/// than the report counted.
[[nodiscard]] std::vector<std::string> count_differences(const PeriodCounts& published, const PeriodCounts& counted);

/// What changed in a plan from the period before `period` to `period` (docs/plans.md "What changed").
struct PlanChanges {
  struct RatingChange {
    std::size_t item = 0;  ///< index into the plan's deliverables or measures
    Rating before = Rating::good, after = Rating::good;
  };
  struct TargetChange {
    std::size_t measure = 0;
    std::string before, after;  ///< as the site shows targets (target_text)
  };
  std::size_t period = 0, previous = 0;
  std::vector<RatingChange> deliverables_up, deliverables_down, measures_up, measures_down;
  std::size_t deliverables_compared = 0, measures_compared = 0;  ///< rated in both periods
  std::vector<std::size_t> completed;                            ///< deliverables completed after the previous period's end, by this one's
  std::vector<std::size_t> deliverables_added;                   ///< with their first update in this period
  std::vector<std::size_t> deliverables_dropped;                 ///< with an update in the previous period and none in this one
  std::vector<std::size_t> new_figures;                          ///< measures with a figure for this period
  std::vector<std::size_t> measures_added;                       ///< with their first figure in this period
  std::vector<std::size_t> measures_dropped;                     ///< with a figure in the previous period and none in this one
  std::vector<TargetChange> targets;                             ///< targets published for both periods that differ
};

/// Whether anything is reported for a period: a deliverable's update or a measure's figure.
[[nodiscard]] bool period_reported(const Plan& plan, std::size_t period);

/// The last period that reports anything, or nullopt: what a measure's latest figure is
/// judged against (a service plan's last period, a target year, reports nothing).
[[nodiscard]] std::optional<std::size_t> latest_reported_period(const Plan& plan);

/// The periods that have a "what changed" page: each reported period after the first, with the
/// period before it (which need not be reported).
[[nodiscard]] std::vector<std::size_t> periods_with_changes(const Plan& plan);

/// What changed from period − 1 to `period` (period ≥ 1). Ratings are the updates' and, for
/// measures, council_rating_in: the same ratings the counts and directions of travel use.
[[nodiscard]] PlanChanges plan_changes(const Plan& plan, std::size_t period, const RatingThresholds& thresholds);

/// Validates plan.json and computes ratings and directions of travel. Every problem is reported
/// with its line and column; returns nullopt when there was any.
[[nodiscard]] std::optional<Plan> load_plan(const JsonSource& source, const RatingThresholds& thresholds, Diagnostics& diagnostics);

}  // namespace plainsight
