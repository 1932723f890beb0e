#include "render/plan_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "charts/charts.hpp"
#include "content/references.hpp"
#include "core/format.hpp"
#include "core/text.hpp"
#include "render/view.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

constexpr std::array<Rating, 4> all_ratings = {Rating::strong, Rating::good, Rating::review, Rating::action};

void add_source(json& view, const Source& own, const Plan& plan) {
  view["source"] = source_text(own, plan.source);
  view["has_source"] = !view["source"].get<std::string>().empty();
}

std::string date_text(const std::optional<DateTime>& date) { return date ? format_date_long(*date) : ""; }
/// A start or due date as the document gives it: its words ("Ongoing", "April 2020"), or the date.
std::string schedule_text(const std::optional<PlanDate>& date, const std::string& as_published) {
  return !as_published.empty() ? as_published : date ? format_plan_date(*date) : "";
}

void add_rating(json& into, const std::optional<Rating>& rating, const std::string& reason = "No rating yet") {
  into["has_rating"] = rating.has_value();
  into["rating"] = rating ? std::string(rating_id(*rating)) : "none";
  into["rating_label"] = rating ? std::string(rating_label(*rating)) : reason;
}

std::string deliverable_url(const SiteModel& model, const Plan& plan, const Deliverable& d) {
  return site_url(model.config, plan.url + "deliverables/" + d.id + "/");
}
std::string measure_url(const SiteModel& model, const Plan& plan, const Measure& m) {
  return site_url(model.config, plan.url + "measures/" + m.id + "/");
}
std::string priority_url(const SiteModel& model, const Plan& plan, const std::string& id) { return site_url(model.config, plan.url + id + "/"); }

json table(std::string caption, json rows) { return {{"caption", std::move(caption)}, {"rows", std::move(rows)}}; }

json count_rows(const GroupRating& group, int total) {
  json rows = json::array();
  for (auto rating : all_ratings) {
    const int count = group.count(rating);
    rows.push_back({{"rating", std::string(rating_id(rating))},
                    {"label", std::string(rating_label(rating))},
                    {"count", std::to_string(count)},
                    {"percent", total ? format_percent(100.0 * count / total, 0) : "0%"}});
  }
  rows.push_back({{"rating", "none"},
                  {"label", "No rating"},
                  {"count", std::to_string(group.unrated)},
                  {"percent", total ? format_percent(100.0 * group.unrated / total, 0) : "0%"}});
  return rows;
}

/// Earlier ratings that differ from the latest, newest first: "Good in Dec 2021".
std::string earlier_ratings(const Plan& plan, const Deliverable& d) {
  std::vector<std::string> earlier;
  bool latest_seen = false;
  for (auto it = d.updates.rbegin(); it != d.updates.rend(); ++it) {
    if (!it->rating) continue;
    if (latest_seen && *it->rating != *d.rating) earlier.push_back(std::string(rating_label(*it->rating)) + " in " + plan.periods[it->period].label);
    latest_seen = true;
  }
  return fmt::format("{}", fmt::join(earlier, ", "));
}

json deliverable_row(const SiteModel& model, const Plan& plan, const Deliverable& d) {
  json row = {{"id", d.id},
              {"title", d.title},
              {"number", d.number},
              {"has_number", !d.number.empty()},
              {"lead", d.lead},
              {"start", schedule_text(d.start, d.start_as_published)},
              {"url", deliverable_url(model, plan, d)},
              {"department", d.department},
              {"due", schedule_text(d.due, d.due_as_published)},
              {"has_due", d.due.has_value() || !d.due_as_published.empty()},
              {"stage", d.stage},
              {"has_stage", !d.stage.empty()},
              {"completed", date_text(d.completed)},
              {"is_completed", d.completed.has_value()},
              {"travel", std::string(travel_id(d.travel))},
              {"travel_label", std::string(travel_label(d.travel))},
              {"history", ""},
              {"has_history", false},
              {"earlier_ratings", ""}};
  if (d.rating) {
    const auto earlier = earlier_ratings(plan, d);
    // As councils write it: "Strong (Good in Dec 2021)".
    row["history"] = std::string(rating_label(*d.rating)) + (earlier.empty() ? "" : " (" + earlier + ")");
    row["has_history"] = !earlier.empty();
    row["earlier_ratings"] = earlier;
  }
  add_rating(row, d.rating);
  return row;
}

std::string measure_latest_text(const Measure& m) { return m.latest ? format_in_unit(*m.values[*m.latest].value, m.unit) : ""; }

/// The target the latest figure is rated against, or the one for the plan's latest period.
const Target* shown_target(const Measure& m) { return m.target_in(m.latest ? m.values[*m.latest].period : m.last_period); }

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

/// The target beside the latest figure: its own period's, or else the plan's latest period's,
/// saying which period that is ("90% for 2020-21").
std::string target_beside_latest(const Plan& plan, const Measure& m) {
  if (const auto* target = shown_target(m)) return target_text(*target, m.unit);
  if (const auto* later = m.target_in(m.last_period); later && m.last_period < plan.periods.size())
    return target_text(*later, m.unit) + " for " + plan.periods[m.last_period].label;
  return {};
}

/// Whether the measure has no figure for the plan's latest reported period.
bool figure_is_stale(const Plan& plan, const Measure& m) {
  const auto latest = latest_reported_period(plan);
  return latest && (!m.latest || m.values[*m.latest].period != *latest);
}

json measure_row(const SiteModel& model, const Plan& plan, const Measure& m) {
  const auto target = target_beside_latest(plan, m);
  const bool stale = figure_is_stale(plan, m);
  const auto latest_period = stale ? plan.periods[*latest_reported_period(plan)].name() : std::string();
  json row = {
      {"id", m.id},
      {"title", m.title},
      {"url", measure_url(model, plan, m)},
      {"latest", measure_latest_text(m)},
      {"has_latest", m.latest.has_value()},
      {"latest_period", m.latest ? plan.periods[m.values[*m.latest].period].label : ""},
      {"target", target},
      {"has_target", !target.empty()},
      {"benchmark", m.benchmark ? format_in_unit(m.benchmark->value, m.unit) : ""},
      {"has_benchmark", m.benchmark.has_value()},
      {"benchmark_label", m.benchmark ? m.benchmark->label : ""},
      {"travel", std::string(travel_id(m.travel))},
      {"travel_label", std::string(travel_label(m.travel))},
      {"is_stale", stale},
      {"stale_label", stale ? "No figure for " + latest_period : ""},
      {"freshness", !stale     ? ""
                    : m.latest ? fmt::format("No figure for {}; the latest is for {}", latest_period, plan.periods[m.values[*m.latest].period].name())
                               : fmt::format("No figure for {}, nor for any period before", latest_period)}};
  add_rating(row, m.rating.rating, m.rating.reason);
  return row;
}

WheelSegment deliverable_segment(const SiteModel& model, const Plan& plan, const Deliverable& d, const std::optional<Rating>& rating) {
  return {plan.labels.deliverable + ": " + d.title, rating ? std::string(rating_id(*rating)) : "",
          rating ? std::string(rating_label(*rating)) : "No rating yet", deliverable_url(model, plan, d)};
}
WheelSegment deliverable_segment(const SiteModel& model, const Plan& plan, const Deliverable& d) {
  return deliverable_segment(model, plan, d, d.rating);
}

WheelSegment measure_segment(const SiteModel& model, const Plan& plan, const Measure& m, const std::optional<Rating>& rating,
                             const std::string& reason) {
  return {plan.labels.measure + ": " + m.title, rating ? std::string(rating_id(*rating)) : "", rating ? std::string(rating_label(*rating)) : reason,
          measure_url(model, plan, m)};
}
WheelSegment measure_segment(const SiteModel& model, const Plan& plan, const Measure& m) {
  return measure_segment(model, plan, m, m.rating.rating, m.rating.reason);
}

std::string counts_sentence(const GroupRating& group, const std::string& noun_plural) {
  return fmt::format("{} {}: {} strong, {} good, {} review, {} action, {} with no rating.", group.rated() + group.unrated, noun_plural,
                     group.count(Rating::strong), group.count(Rating::good), group.count(Rating::review), group.count(Rating::action), group.unrated);
}

template <typename Items, typename RatingOf>
GroupRating group_of(const Items& items, RatingOf rating_of) {
  std::vector<std::optional<Rating>> ratings;
  for (const auto& item : items) ratings.push_back(rating_of(item));
  return rate_group(ratings);
}

/// How many deliverables are at each stage, in the order stages first appear: for plans that
/// report stages instead of ratings.
json stage_counts(const std::vector<const Deliverable*>& deliverables) {
  std::vector<std::pair<std::string, int>> counts;
  for (const auto* d : deliverables) {
    const auto stage = d->stage.empty() ? std::string("Stage not given") : d->stage;
    auto found = std::find_if(counts.begin(), counts.end(), [&](const auto& entry) { return entry.first == stage; });
    if (found == counts.end())
      counts.emplace_back(stage, 1);
    else
      ++found->second;
  }
  json rows = json::array();
  for (const auto& [stage, count] : counts) rows.push_back({{"stage", stage}, {"count", std::to_string(count)}});
  return rows;
}

bool has_any_rating(const Plan& plan) {
  return std::any_of(plan.deliverables.begin(), plan.deliverables.end(), [](const Deliverable& d) { return d.rating.has_value(); }) ||
         std::any_of(plan.measures.begin(), plan.measures.end(), [](const Measure& m) { return m.rating.rating.has_value(); });
}

/// Each priority's row, and the two wheels: priorities with their deliverables, and measures.
/// With `period`, the ratings are that period's only (a report's), else each item's latest.
void add_overview_wheels(const SiteModel& model, const Plan& plan, json& view, const std::string& id_prefix = "",
                         std::optional<std::size_t> period = std::nullopt) {
  auto deliverable_rating = [&](const Deliverable& d) -> std::optional<Rating> {
    if (!period) return d.rating;
    for (const auto& update : d.updates)
      if (update.period == *period) return update.rating;
    return std::nullopt;
  };
  auto measure_rating = [&](const Measure& m) { return period ? m.council_rating_in(*period, model.config.ratings) : m.rating.rating; };
  const auto& labels = plan.labels;
  json priorities = json::array();
  WheelChart wheel{id_prefix + "wheel-overview", plan.title + ": " + labels.priorities + " and " + labels.deliverables, "", "", true, {}};
  WheelChart measure_wheel{id_prefix + "wheel-measures", plan.title + ": " + labels.measures, "", "", false, {}};
  for (const auto& priority : plan.priorities) {
    std::vector<const Deliverable*> members;
    for (const auto& d : plan.deliverables)
      if (d.priority == priority.id) members.push_back(&d);
    const auto group = group_of(members, [&](const Deliverable* d) { return deliverable_rating(*d); });
    WheelGroup wheel_group{{labels.priority + ": " + priority.title, group.overall ? std::string(rating_id(*group.overall)) : "",
                            group.overall ? std::string(rating_label(*group.overall)) : "No rating yet", priority_url(model, plan, priority.id)},
                           {}};
    for (const auto* d : members) wheel_group.outer.push_back(deliverable_segment(model, plan, *d, deliverable_rating(*d)));
    wheel.groups.push_back(std::move(wheel_group));

    WheelGroup measure_group;
    std::vector<const Measure*> measures;
    for (const auto& m : plan.measures)
      if (m.priority == priority.id) {
        measures.push_back(&m);
        measure_group.outer.push_back(period ? measure_segment(model, plan, m, measure_rating(m), "No rating for " + plan.periods[*period].name())
                                             : measure_segment(model, plan, m));
      }
    if (!measure_group.outer.empty()) measure_wheel.groups.push_back(std::move(measure_group));
    const auto measure_ratings = group_of(measures, [&](const Measure* m) { return measure_rating(*m); });
    json row = {{"title", priority.title},
                {"url", priority_url(model, plan, priority.id)},
                {"deliverable_count", std::to_string(members.size())},
                {"measure_count", std::to_string(measures.size())},
                {"strong", std::to_string(group.count(Rating::strong))},
                {"good", std::to_string(group.count(Rating::good))},
                {"review", std::to_string(group.count(Rating::review))},
                {"action", std::to_string(group.count(Rating::action))},
                {"unrated", std::to_string(group.unrated)},
                {"measures_summary", counts_sentence(measure_ratings, to_lower_ascii(labels.measures))}};
    add_rating(row, group.overall);
    priorities.push_back(std::move(row));
  }
  const auto deliverables = group_of(plan.deliverables, deliverable_rating);
  const auto measures = group_of(plan.measures, measure_rating);
  wheel.description = "Inner ring: " + std::to_string(plan.priorities.size()) + " " + to_lower_ascii(labels.priorities) +
                      ", each coloured by the rounded average rating of its " + to_lower_ascii(labels.deliverables) +
                      ". Outer ring: " + counts_sentence(deliverables, to_lower_ascii(labels.deliverables));
  wheel.centre_text = std::to_string(plan.deliverables.size()) + " " + to_lower_ascii(labels.deliverables);
  measure_wheel.description = counts_sentence(measures, to_lower_ascii(labels.measures));
  measure_wheel.centre_text = std::to_string(plan.measures.size()) + " " + to_lower_ascii(labels.measures);
  view["wheel"] = wheel_svg(wheel);
  view["wheel_description"] = wheel.description;
  view["measure_wheel"] = measure_wheel.groups.empty() ? "" : wheel_svg(measure_wheel);
  view["has_measure_wheel"] = !measure_wheel.groups.empty();
  view["measure_wheel_description"] = measure_wheel.description;
  view["priorities"] = std::move(priorities);
  view["deliverable_counts"] = table(labels.deliverables + " by rating", count_rows(deliverables, static_cast<int>(plan.deliverables.size())));
  view["measure_counts"] = table(labels.measures + " by rating", count_rows(measures, static_cast<int>(plan.measures.size())));
  add_rating(view, deliverables.overall);
}

/// For each period, how many deliverables and measures had each rating and which way they
/// moved: as the council's report counts them where it does, otherwise as the ratings here add up.
void add_overview_trend(const SiteModel& model, const Plan& plan, json& view) {
  const auto& labels = plan.labels;
  const auto counted = counted_trend(plan, model.config.ratings);
  auto find = [](const std::vector<PeriodCounts>& list, std::size_t period, bool measures) -> const PeriodCounts* {
    for (const auto& counts : list)
      if (counts.period == period && counts.measures == measures) return &counts;
    return nullptr;
  };
  auto cell = [](const std::optional<int>& count) { return count ? std::to_string(*count) : std::string("N/A"); };
  json differences = json::array();
  for (const bool measures : {false, true}) {
    const auto& noun = measures ? labels.measures : labels.deliverables;
    StackedBarChart chart{measures ? "trend-measures" : "trend-deliverables", noun + " by rating, over time", "", {}};
    json rows = json::array();
    for (std::size_t p = 0; p < plan.periods.size(); ++p) {
      const auto* published = find(plan.trend, p, measures);
      const auto* computed = find(counted, p, measures);
      // Where the council published counts, only its periods: counts made from a few ratings of
      // an earlier year would read as the council's trend.
      const auto* shown = published ? published : plan.trend.empty() ? computed : nullptr;
      if (!shown) continue;
      json row = {{"period", plan.periods[p].label},
                  {"strong", cell(shown->ratings[3])},
                  {"good", cell(shown->ratings[2])},
                  {"review", cell(shown->ratings[1])},
                  {"action", cell(shown->ratings[0])},
                  {"no_rating", shown->no_rating ? std::to_string(*shown->no_rating) : std::string("–")},
                  {"improving", cell(shown->improving)},
                  {"no_change", cell(shown->no_change)},
                  {"declining", cell(shown->declining)},
                  {"completed", measures ? std::string() : cell(shown->completed)},
                  {"counted_from", published ? "The council's report" : "The ratings on this site"}};
      rows.push_back(std::move(row));
      BarStack bar{plan.periods[p].label, {}};
      for (std::size_t r = 0; r < 4; ++r) bar.counts[3 - r] = shown->ratings[r].value_or(0);
      bar.counts[4] = shown->no_rating.value_or(0);
      chart.bars.push_back(bar);
      if (published && computed)
        for (const auto& difference : count_differences(*published, *computed))
          differences.push_back(plan.periods[p].label + ", " + to_lower_ascii(noun) + ": " + difference + ".");
    }
    chart.description = "Stacked bars for " + std::to_string(chart.bars.size()) + " periods; the figures are in the table below.";
    const std::string key = measures ? "measure" : "deliverable";
    view[key + "_trend"] = table(noun + " by rating and direction of travel, by period", std::move(rows));
    view["has_" + key + "_trend"] = !chart.bars.empty();
    view[key + "_trend_chart"] = chart.bars.empty() ? "" : stacked_bars_svg(chart);
    view["has_" + key + "_trend_chart"] = !chart.bars.empty();
  }
  view["has_trend"] = view["has_deliverable_trend"].get<bool>() || view["has_measure_trend"].get<bool>();
  view["has_trend_differences"] = !differences.empty();
  view["trend_differences"] = std::move(differences);
  view["travel_rule"] = plan.travel_rule == TravelRule::ratings
                            ? "Direction of travel compares each rating with the one for the period before, as the council's report does."
                            : "Direction of travel compares each figure with the one for the period before.";
}

json overview(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan) {
  json view = json::object();
  add_overview_wheels(model, plan, view);
  add_overview_trend(model, plan, view);
  add_source(view, {}, plan);
  json completed = json::array();
  std::vector<const Deliverable*> all_deliverables;
  for (const auto& d : plan.deliverables) {
    all_deliverables.push_back(&d);
    if (d.completed) completed.push_back(deliverable_row(model, plan, d));
  }
  view["deliverable_total"] = std::to_string(plan.deliverables.size());
  const auto stale = std::count_if(plan.measures.begin(), plan.measures.end(), [&](const Measure& m) { return figure_is_stale(plan, m); });
  view["has_stale_measures"] = stale > 0;
  view["stale_measures"] =
      stale == 0 ? ""
                 : fmt::format("{} of the {} {} {} no figure for {}, the latest period reported.", stale, plan.measures.size(),
                               to_lower_ascii(plan.labels.measures), stale == 1 ? "has" : "have", plan.periods[*latest_reported_period(plan)].name());
  view["measure_total"] = std::to_string(plan.measures.size());
  view["has_completed"] = !completed.empty();
  view["completed"] = table("Completed " + to_lower_ascii(plan.labels.deliverables), std::move(completed));
  view["has_ratings"] = has_any_rating(plan);
  view["stages"] = table(plan.labels.deliverables + " by stage", stage_counts(all_deliverables));
  // A service plan's KPIs as its document tables them, those listed for no one priority, and its risks.
  json whole_plan_measures = json::array();
  for (const auto& m : plan.measures)
    if (m.priority.empty()) whole_plan_measures.push_back(measure_row(model, plan, m));
  view["has_plan_measures"] = !whole_plan_measures.empty();
  view["plan_measures"] = table(plan.labels.measures + " for the whole plan", std::move(whole_plan_measures));
  view["has_measure_values"] = !plan.department.empty() && !plan.measures.empty();
  view["measure_values"] = measure_values_table(model, plan, plan.labels.measures + ": figures and targets as published");
  view["risks"] = risk_rows(model, markdown, plan, "", "", 3);
  view["has_risks"] = !plan.risks.empty();
  view["report"] = json::array();  // the latest period's whole report on one page, when there is one
  if (const auto latest = latest_reported_period(plan))
    view["report"].push_back(
        {{"url", site_url(model.config, plan.url + "report/")}, {"title", "The " + plan.periods[*latest].name() + " report on one page, to print"}});
  view["changes"] = json::array();  // the latest period's "what changed" page, when there is one
  if (const auto periods = periods_with_changes(plan); !periods.empty())
    view["changes"].push_back({{"url", site_url(model.config, plan_changes_path(plan, periods.back()))},
                               {"title", "What changed by " + plan.periods[periods.back()].name()}});
  return view;
}

json priority_view(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan, const PlanPriority& priority) {
  const auto& labels = plan.labels;
  json deliverables = json::array(), measures = json::array();
  WheelChart d_wheel{"wheel-deliverables", priority.title + ": " + labels.deliverables, "", "", false, {WheelGroup{}}};
  WheelChart m_wheel{"wheel-measures", priority.title + ": " + labels.measures, "", "", false, {WheelGroup{}}};
  std::vector<std::optional<Rating>> d_ratings, m_ratings;
  std::vector<const Deliverable*> members;
  for (const auto& d : plan.deliverables)
    if (d.priority == priority.id) {
      members.push_back(&d);
      deliverables.push_back(deliverable_row(model, plan, d));
      d_wheel.groups[0].outer.push_back(deliverable_segment(model, plan, d));
      d_ratings.push_back(d.rating);
    }
  for (const auto& m : plan.measures)
    if (m.priority == priority.id) {
      measures.push_back(measure_row(model, plan, m));
      m_wheel.groups[0].outer.push_back(measure_segment(model, plan, m));
      m_ratings.push_back(m.rating.rating);
    }
  const auto d_group = rate_group(d_ratings), m_group = rate_group(m_ratings);
  d_wheel.description = counts_sentence(d_group, to_lower_ascii(labels.deliverables));
  d_wheel.centre_text = std::to_string(d_ratings.size()) + " " + to_lower_ascii(labels.deliverables);
  m_wheel.description = counts_sentence(m_group, to_lower_ascii(labels.measures));
  m_wheel.centre_text = std::to_string(m_ratings.size()) + " " + to_lower_ascii(labels.measures);
  json view = {{"title", priority.title},
               {"summary_html", snippet_html(markdown, priority.summary)},
               {"deliverables", table(labels.deliverables + ": " + priority.title, std::move(deliverables))},
               {"has_deliverables", !d_ratings.empty()},
               {"measures", table(labels.measures + ": " + priority.title, std::move(measures))},
               {"has_measures", !m_ratings.empty()},
               {"deliverable_wheel", d_ratings.empty() ? "" : wheel_svg(d_wheel)},
               {"deliverable_wheel_description", d_wheel.description},
               {"measure_wheel", m_ratings.empty() ? "" : wheel_svg(m_wheel)},
               {"measure_wheel_description", m_wheel.description},
               {"deliverable_counts", table(labels.deliverables + " by rating", count_rows(d_group, static_cast<int>(d_ratings.size())))},
               {"measure_counts", table(labels.measures + " by rating", count_rows(m_group, static_cast<int>(m_ratings.size())))},
               {"has_ratings", has_any_rating(plan)},
               {"stages", table(labels.deliverables + " by stage", stage_counts(members))}};
  add_rating(view, d_group.overall);
  add_source(view, {}, plan);
  json also = json::array();
  for (const auto& d : plan.deliverables)
    if (std::find(d.other_priorities.begin(), d.other_priorities.end(), priority.id) != d.other_priorities.end())
      also.push_back(deliverable_row(model, plan, d));
  view["has_also_deliverables"] = !also.empty();
  view["also_deliverables"] =
      table(labels.deliverables + " listed under another " + to_lower_ascii(labels.priority) + " that also serve " + priority.title, std::move(also));
  view["risks"] = risk_rows(model, markdown, plan, priority.id, "", 3);
  view["has_risks"] = !view["risks"].empty();
  view["kind"] = priority_kind_label(priority.kind);
  view["has_kind"] = priority.kind != PriorityKind::plan;
  return view;
}

json deliverable_view(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan, const Deliverable& d) {
  auto view = deliverable_row(model, plan, d);
  const auto& priority = plan.priorities[plan.priority_index(d.priority)];
  view["priority_title"] = priority.title;
  view["priority_url"] = priority_url(model, plan, priority.id);
  view["lead"] = d.lead;
  view["has_lead"] = !d.lead.empty();
  view["has_department"] = !d.department.empty();
  view["departments"] = department_links(model, d.department.empty() ? plan.department : d.department);
  view["has_departments"] = !view["departments"].empty();
  view["number"] = d.number;
  view["has_number"] = !d.number.empty();
  view["start"] = schedule_text(d.start, d.start_as_published);
  view["has_start"] = !view["start"].get<std::string>().empty();
  view["original_due"] = date_text(d.original_due);
  view["has_original_due"] = d.original_due.has_value() && (!d.due || plan_date_before(PlanDate{*d.original_due, false}, *d.due) ||
                                                            plan_date_before(*d.due, PlanDate{*d.original_due, false}));
  view["success_measures"] = d.success_measures;
  view["has_success_measures"] = !d.success_measures.empty();
  json priorities = json::array();
  for (const auto& id : d.other_priorities) priorities.push_back({{"title", plan.priority_title(id)}, {"url", priority_url(model, plan, id)}});
  view["has_other_priorities"] = !priorities.empty();
  view["other_priorities"] = std::move(priorities);
  view["has_council_plan"] = d.council_plan.has_value();
  view["council_plan"] = d.council_plan.value_or(false) ? "Yes" : "No";
  view["council_plan_deliverable"] = json::object();
  view["has_council_plan_deliverable"] = false;
  if (const auto linked = find_plan_deliverable(model, d.council_plan_deliverable)) {
    view["has_council_plan_deliverable"] = true;
    view["council_plan_deliverable"] = {
        {"title", linked->deliverable->title}, {"plan", linked->plan->title}, {"url", site_url(model.config, d.council_plan_deliverable)}};
  }
  json fields = json::array();
  for (const auto& [name, value] : d.fields) fields.push_back({{"name", name}, {"value", value}});
  view["has_fields"] = !fields.empty();
  view["fields"] = std::move(fields);
  json updates = json::array();
  for (auto it = d.updates.rbegin(); it != d.updates.rend(); ++it) {
    if (!it->rating && it->text.empty()) continue;  // a row still to fill in (`plainsight new period`)
    json update = {{"period", plan.periods[it->period].label}, {"text_html", snippet_html(markdown, it->text)}, {"has_text", !it->text.empty()}};
    add_rating(update, it->rating, "Not rated");
    updates.push_back(std::move(update));
  }
  add_source(view, d.source, plan);
  view["has_updates"] = !updates.empty();
  view["updates"] = std::move(updates);
  json measures = json::array();
  for (const auto& id : d.measures) measures.push_back(measure_row(model, plan, plan.measures[plan.measure_index(id)]));
  view["has_measures"] = !measures.empty();
  view["measures"] = table(plan.labels.measures + " that show progress", std::move(measures));
  return view;
}

json measure_view(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan, const Measure& m) {
  auto view = measure_row(model, plan, m);
  view["priority_title"] = plan.priority_title(m.priority);
  view["priority_url"] = m.priority.empty() ? "" : priority_url(model, plan, m.priority);
  view["has_priority"] = !m.priority.empty();
  view["number"] = m.number;
  view["has_number"] = !m.number.empty();
  view["departments"] = department_links(model, m.department.empty() ? plan.department : m.department);
  view["has_departments"] = !view["departments"].empty();
  view["responsible"] = m.responsible;
  view["has_responsible"] = !m.responsible.empty();
  view["note_html"] = snippet_html(markdown, m.note);
  view["has_note"] = !m.note.empty();
  view["direction_text"] = m.direction == Direction::higher  ? "Higher is better"
                           : m.direction == Direction::lower ? "Lower is better"
                                                             : "Monitored only";
  view["has_status"] = m.status != MeasureStatus::none;
  view["status_text"] = std::string(measure_status_label(m.status));
  const auto published = m.latest && m.values[*m.latest].published_rating ? m.values[*m.latest].published_rating : m.published_rating;
  view["has_published_rating"] = published.has_value();
  view["published_rating_label"] = published ? std::string(rating_label(*published)) : "";
  view["latest_as_of"] = "";
  if (m.latest && !m.values[*m.latest].as_of.empty()) {
    if (auto date = parse_iso_date(m.values[*m.latest].as_of + "-01")) {
      static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                               "July",    "August",   "September", "October", "November", "December"};
      view["latest_as_of"] = std::string(months[date->month - 1]) + " " + std::to_string(date->year);
    }
  }
  view["has_latest_as_of"] = !view["latest_as_of"].get<std::string>().empty();
  json values = json::array();
  const auto* line_target = shown_target(m);
  const bool has_line = line_target && line_target->kind != Target::Kind::words && line_target->kind != Target::Kind::range;
  bool differs = false;
  for (const auto& value : m.values) {
    const auto* target = m.target_in(value.period);
    if (!m.filled_in(value)) continue;
    const auto rating = m.rating_in(value.period, model.config.ratings);
    const auto value_text = value.value ? format_in_unit(*value.value, m.unit) : std::string();
    const auto& period = plan.periods[value.period];
    json row = {{"period", period_heading(period)},
                {"value", !value.value_as_published.empty() ? value.value_as_published
                          : value.value                     ? value_text
                                                            : "No figure"},
                {"has_value_as_published", !value.value_as_published.empty() && value.value && value.value_as_published != value_text},
                {"value_as_read", value_text},
                {"value_notes", join_words(published_value_notes(value.value_as_published))},
                {"has_value_notes", !published_value_notes(value.value_as_published).empty()},
                {"target", target ? target_text(*target, m.unit) : "Not published"},
                {"has_published_rating", value.published_rating.has_value()},
                {"published_rating_label", value.published_rating ? std::string(rating_label(*value.published_rating)) : ""}};
    add_rating(row, rating.rating, !value.value ? "Figure not published" : rating.reason.empty() ? "Not rated" : rating.reason);
    const bool this_differs = value.published_rating && rating.rating && value.published_rating != rating.rating;
    row["rating_differs"] = this_differs;
    differs = differs || this_differs;
    values.push_back(std::move(row));
  }
  view["ratings_differ"] = differs;
  view["target_line"] = has_line ? target_text(*line_target, m.unit) : "";
  view["has_target_line"] = has_line;
  add_source(view, m.source, plan);
  view["has_values"] = !values.empty();
  view["values"] = std::move(values);
  view["chart"] = m.latest ? measure_chart_svg(plan, m, "chart-" + m.id, "below") : "";
  view["has_chart"] = m.latest.has_value();
  json deliverables = json::array();
  for (const auto& d : plan.deliverables)
    if (std::find(d.measures.begin(), d.measures.end(), m.id) != d.measures.end()) deliverables.push_back(deliverable_row(model, plan, d));
  view["has_deliverables"] = !deliverables.empty();
  view["deliverables"] = table(plan.labels.deliverables + " it tracks", std::move(deliverables));
  return view;
}

std::string browse_url(const SiteModel& model, const Plan& plan, const BrowseField& field, const BrowseField::Value* value = nullptr) {
  return site_url(model.config, plan.url + "by/" + field.slug + "/" + (value ? value->slug + "/" : std::string()));
}

/// The fields the plan can be browsed by, each with its page: "Actions by portfolio".
json browse_links(const SiteModel& model, const Plan& plan) {
  json links = json::array();
  for (const auto& field : plan.browse)
    links.push_back(
        {{"name", field.name}, {"title", plan.labels.deliverables + " by " + to_lower_ascii(field.name)}, {"url", browse_url(model, plan, field)}});
  return links;
}

/// A browse page: a field's values with how many deliverables each has, and, for one value, its deliverables.
json browse_view(const SiteModel& model, const Plan& plan, const PlanItemRef& item) {
  const auto& field = plan.browse[item.index];
  json values = json::array();
  for (std::size_t v = 0; v < field.values.size(); ++v) {
    const auto& value = field.values[v];
    values.push_back({{"text", value.text},
                      {"url", browse_url(model, plan, field, &value)},
                      {"count", std::to_string(value.deliverables.size())},
                      {"count_text", std::to_string(value.deliverables.size()) + " " +
                                         to_lower_ascii(value.deliverables.size() == 1 ? plan.labels.deliverable : plan.labels.deliverables)},
                      {"current", item.kind == PlanItemRef::Kind::browse_value && v == item.value}});
  }
  json view = {{"field", field.name},
               {"field_lower", to_lower_ascii(field.name)},
               {"field_url", browse_url(model, plan, field)},
               {"values", std::move(values)},
               {"is_value", item.kind == PlanItemRef::Kind::browse_value},
               {"value", ""},
               {"deliverables", table(plan.labels.deliverables, json::array())}};
  if (item.kind == PlanItemRef::Kind::browse_value) {
    const auto& value = field.values[item.value];
    json rows = json::array();
    for (const auto d : value.deliverables) rows.push_back(deliverable_row(model, plan, plan.deliverables[d]));
    view["value"] = value.text;
    view["deliverables"] = table(plan.labels.deliverables + ": " + field.name + " " + value.text, std::move(rows));
  }
  return view;
}

}  // namespace

namespace {

/// "5 deliverables rated higher and 3 lower (of 66 rated in both periods), 14 completed; …":
/// the changes in a sentence, for the page's lead and the feed.
std::string changes_sentence(const Plan& plan, const PlanChanges& changes) {
  auto ratings = [&](const std::string& noun, const std::string& noun_plural, std::size_t compared, std::size_t up, std::size_t down) {
    if (compared == 0) return fmt::format("no {} rated in both periods", to_lower_ascii(noun_plural));
    return fmt::format("{} {} rated higher and {} lower (of {} rated in both periods)", up, to_lower_ascii(up == 1 ? noun : noun_plural), down,
                       compared);
  };
  return fmt::format(
      "{}, {} completed; {}, {} with a figure for {}, {} with a new target",
      ratings(plan.labels.deliverable, plan.labels.deliverables, changes.deliverables_compared, changes.deliverables_up.size(),
              changes.deliverables_down.size()),
      changes.completed.size(),
      ratings(plan.labels.measure, plan.labels.measures, changes.measures_compared, changes.measures_up.size(), changes.measures_down.size()),
      changes.new_figures.size(), plan.periods[changes.period].name(), changes.targets.size());
}

/// The "what changed" page of a period (PlanChanges), with links to the other periods' pages.
json changes_view(const SiteModel& model, const Plan& plan, std::size_t period) {
  const auto changes = plan_changes(plan, period, model.config.ratings);
  auto deliverable_item = [&](std::size_t i) {
    return json{{"title", plan.deliverables[i].title}, {"url", deliverable_url(model, plan, plan.deliverables[i])}};
  };
  auto measure_item = [&](std::size_t i) { return json{{"title", plan.measures[i].title}, {"url", measure_url(model, plan, plan.measures[i])}}; };
  auto rating_items = [&](const std::vector<PlanChanges::RatingChange>& list, bool deliverables) {
    json items = json::array();
    for (const auto& change : list) {
      auto item = deliverables ? deliverable_item(change.item) : measure_item(change.item);
      item["before"] = std::string(rating_label(change.before));
      item["after"] = std::string(rating_label(change.after));
      item["after_id"] = std::string(rating_id(change.after));
      items.push_back(std::move(item));
    }
    return items;
  };
  auto plain_items = [&](const std::vector<std::size_t>& list, bool deliverables) {
    json items = json::array();
    for (const auto i : list) items.push_back(deliverables ? deliverable_item(i) : measure_item(i));
    return items;
  };
  json completed = json::array();
  for (const auto i : changes.completed) {
    auto item = deliverable_item(i);
    item["date"] = date_text(plan.deliverables[i].completed);
    completed.push_back(std::move(item));
  }
  json figures = json::array();
  for (const auto i : changes.new_figures) {
    const auto& measure = plan.measures[i];
    const auto* value = measure.value_in(period);
    auto item = measure_item(i);
    item["value"] = !value->value_as_published.empty() ? value->value_as_published : format_in_unit(*value->value, measure.unit);
    figures.push_back(std::move(item));
  }
  json targets = json::array();
  for (const auto& change : changes.targets) {
    auto item = measure_item(change.measure);
    item["before"] = change.before;
    item["after"] = change.after;
    targets.push_back(std::move(item));
  }
  // The council's own directions of travel for the period, beside what the ratings here give.
  json differences = json::array();
  const auto counted = counted_trend(plan, model.config.ratings);
  for (const auto& published : plan.trend)
    for (const auto& made : counted)
      if (published.period == period && made.period == period && made.measures == published.measures)
        for (const auto& difference : count_differences(published, made))
          differences.push_back((published.measures ? plan.labels.measures : plan.labels.deliverables) + ": " + difference);
  json periods = json::array();
  for (const auto p : periods_with_changes(plan))
    periods.push_back({{"label", plan.periods[p].name()}, {"url", site_url(model.config, plan_changes_path(plan, p))}, {"current", p == period}});
  json view = {{"summary", changes_sentence(plan, changes)},
               {"period", plan.periods[period].name()},
               {"previous", plan.periods[changes.previous].name()},
               {"deliverables_up", rating_items(changes.deliverables_up, true)},
               {"deliverables_down", rating_items(changes.deliverables_down, true)},
               {"measures_up", rating_items(changes.measures_up, false)},
               {"measures_down", rating_items(changes.measures_down, false)},
               {"completed", std::move(completed)},
               {"deliverables_added", plain_items(changes.deliverables_added, true)},
               {"deliverables_dropped", plain_items(changes.deliverables_dropped, true)},
               {"new_figures", std::move(figures)},
               {"measures_added", plain_items(changes.measures_added, false)},
               {"measures_dropped", plain_items(changes.measures_dropped, false)},
               {"targets", std::move(targets)},
               {"differences", std::move(differences)},
               {"periods", std::move(periods)}};
  for (const auto* list : {"deliverables_up", "deliverables_down", "measures_up", "measures_down", "completed", "deliverables_added",
                           "deliverables_dropped", "new_figures", "measures_added", "measures_dropped", "targets", "differences"}) {
    view[std::string("has_") + list] = !view[list].empty();
    view[std::string(list) + "_count"] = std::to_string(view[list].size());
  }
  view["has_other_periods"] = view["periods"].size() > 1;
  return view;
}

}  // namespace

namespace {

/// "Deliverables: 6 Strong, 48 Good, 11 Review and 1 Action; 2 not rated; 16 completed."
std::string period_counts_sentence(const PeriodCounts& counts, const std::string& noun_plural) {
  std::vector<std::string> parts;
  for (auto rating : all_ratings)
    if (const auto& count = counts.ratings[static_cast<std::size_t>(rating_score(rating) - 1)]; count && *count > 0)
      parts.push_back(std::to_string(*count) + " " + std::string(rating_label(rating)));
  auto sentence = noun_plural + ": " + (parts.empty() ? std::string("none rated") : join_words(parts));
  if (counts.no_rating && *counts.no_rating > 0) sentence += "; " + std::to_string(*counts.no_rating) + " not rated";
  if (counts.completed && *counts.completed > 0) sentence += "; " + std::to_string(*counts.completed) + " completed so far";
  return sentence + ".";
}

/// The whole report of the latest reported period on one page, to print: the overview's
/// wheels and counts, and each priority's deliverables with their rating and commentary for the
/// period and its measures with their figures.
json report_view(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan) {
  json view = json::object();
  const auto latest = *latest_reported_period(plan);  // a plan has a report page only when it reports something
  add_overview_wheels(model, plan, view, "report-", latest);
  const auto& period = plan.periods[latest];
  view["period"] = period.name();
  const auto with_changes = periods_with_changes(plan);
  const bool has_changes = !with_changes.empty() && with_changes.back() == latest;
  view["has_changes"] = has_changes;
  view["changes"] =
      has_changes ? "Since " + plan.periods[latest - 1].name() + ": " + changes_sentence(plan, plan_changes(plan, latest, model.config.ratings)) + "."
                  : "";
  view["changes_url"] = has_changes ? site_url(model.config, plan_changes_path(plan, latest)) : "";
  json priorities = json::array();
  for (const auto& priority : plan.priorities) {
    json deliverables = json::array();
    for (const auto& d : plan.deliverables) {
      if (d.priority != priority.id) continue;
      const auto update = std::find_if(d.updates.begin(), d.updates.end(), [&](const DeliverableUpdate& u) { return u.period == latest; });
      const bool reported = update != d.updates.end();
      json row = {{"title", d.title},
                  {"number", d.number},
                  {"url", deliverable_url(model, plan, d)},
                  {"commentary_html", reported ? snippet_html(markdown, update->text) : ""},
                  {"has_commentary", reported && !update->text.empty()},
                  {"completed", date_text(d.completed)},
                  {"has_completed", d.completed.has_value()}};
      add_rating(row, reported ? update->rating : std::nullopt, "No rating for " + period.name());
      deliverables.push_back(std::move(row));
    }
    json measures = json::array();
    for (const auto& m : plan.measures)
      if (m.priority == priority.id) measures.push_back(measure_row(model, plan, m));
    priorities.push_back(
        {{"title", priority.title},
         {"id", "report-priority-" + priority.id},
         {"deliverables", table(plan.labels.deliverables + ": " + priority.title, std::move(deliverables))},
         {"has_deliverables",
          std::any_of(plan.deliverables.begin(), plan.deliverables.end(), [&](const Deliverable& d) { return d.priority == priority.id; })},
         {"measures", table(plan.labels.measures + ": " + priority.title, std::move(measures))},
         {"has_measures", std::any_of(plan.measures.begin(), plan.measures.end(), [&](const Measure& m) { return m.priority == priority.id; })}});
  }
  view["report_priorities"] = std::move(priorities);
  return view;
}

}  // namespace

std::vector<AtomEntry> plan_feed_entries(const SiteModel& model, const Plan& plan, const std::string& title_prefix) {
  const auto counted = counted_trend(plan, model.config.ratings);
  const auto with_changes = periods_with_changes(plan);
  std::vector<AtomEntry> entries;
  for (std::size_t p = 0; p < plan.periods.size(); ++p) {
    if (!period_reported(plan, p)) continue;
    const auto& period = plan.periods[p];
    std::string html;
    for (const bool measures : {false, true}) {
      // The council's counts where it published them for the period, otherwise the ratings'.
      const PeriodCounts* counts = nullptr;
      for (const auto* trend : {&plan.trend, &counted})
        for (const auto& c : *trend)
          if (!counts && c.period == p && c.measures == measures) counts = &c;
      if (counts) html += "<p>" + escape_html(period_counts_sentence(*counts, measures ? plan.labels.measures : plan.labels.deliverables)) + "</p>";
    }
    auto link = plan.url;  // the period's "what changed" page, or the plan's for its first period
    if (std::find(with_changes.begin(), with_changes.end(), p) != with_changes.end()) {
      const auto changes = plan_changes(plan, p, model.config.ratings);
      link = plan_changes_permalink(plan, p);  // a feed's links are kept: never one that will show a later period
      html += "<p>" + escape_html("Since " + plan.periods[changes.previous].name() + ": " + changes_sentence(plan, changes) + ".") + " <a href=\"" +
              escape_html(permalink(model.config, link)) + "\">What changed by " + escape_html(period.name()) + "</a></p>";
    }
    entries.push_back({.id = permalink(model.config, plan.url) + "#period-" + period.id,
                       .title = title_prefix + plan.title + ": " + period.name(),
                       .url = permalink(model.config, link),
                       .published = period.end,
                       .updated = period.end,
                       .summary = "",
                       .content_html = std::move(html)});
  }
  std::reverse(entries.begin(), entries.end());
  return entries;
}

AtomFeed plan_feed(const SiteModel& model, const Plan& plan) {
  return {.url = permalink(model.config, plan.url + "feed.xml"),
          .title = plan.title,
          .subtitle = "Each period's report: how many are rated how, and what changed.",
          .language = model.config.language,
          .base_url = model.config.base_url,
          .author = model.config.council.empty() ? model.config.title : model.config.council,
          .page_url = permalink(model.config, plan.url),
          .entries = plan_feed_entries(model, plan)};
}

std::string plan_changes_path(const Plan& plan, std::size_t period) {
  const auto periods = periods_with_changes(plan);
  return !periods.empty() && periods.back() == period ? plan.url + "changes/" : plan_changes_permalink(plan, period);
}

std::string plan_changes_permalink(const Plan& plan, std::size_t period) { return plan.url + "changes/" + plan.periods[period].id + "/"; }

std::string plan_wheel_svg(const SiteModel& model, const Plan& plan, const std::string& id_prefix) {
  if (!has_any_rating(plan)) return {};
  json view;
  add_overview_wheels(model, plan, view, id_prefix);
  return view["wheel"].get<std::string>();
}

std::string measure_chart_svg(const Plan& plan, const Measure& m, const std::string& id, std::string_view table_place) {
  // The dashed line is the latest figure's target, when that is one number.
  const auto* line_target = shown_target(m);
  const bool has_line = line_target && line_target->kind != Target::Kind::words && line_target->kind != Target::Kind::range;
  LineChart chart{id, m.title + ": values over time", "", {}, has_line ? std::optional(line_target->value) : std::nullopt, m.unit};
  std::size_t figures = 0;
  for (const auto& value : m.values)
    if (m.filled_in(value)) {
      chart.points.push_back({plan.periods[value.period].label, value.value});
      figures += value.value.has_value();
    }
  chart.description = fmt::format("{} {}{}; the values are in the table {}.", figures, figures == 1 ? "figure" : "figures",
                                  has_line ? ", with the target of " + target_text(*line_target, m.unit) + " as a dashed line" : "", table_place);
  return line_chart_svg(chart);
}

json measure_values_table(const SiteModel& model, const Plan& plan, const std::string& caption) {
  std::vector<bool> used(plan.periods.size(), false);
  for (const auto& m : plan.measures)
    for (const auto& value : m.values) used[value.period] = used[value.period] || m.filled_in(value);
  json columns = json::array();
  for (std::size_t p = 0; p < plan.periods.size(); ++p)
    if (used[p]) {
      columns.push_back({{"heading", period_heading(plan.periods[p])}});
    }
  json rows = json::array();
  for (const auto& m : plan.measures) {
    json cells = json::array();
    for (std::size_t p = 0; p < plan.periods.size(); ++p) {
      if (!used[p]) continue;
      const auto* value = m.value_in(p);
      const auto* target = m.target_in(p);
      std::string figure;
      if (value) figure = !value->value_as_published.empty() ? value->value_as_published : value->value ? format_in_unit(*value->value, m.unit) : "";
      cells.push_back({{"value", figure},
                       {"has_value", !figure.empty()},
                       {"target", target ? target_text(*target, m.unit) : ""},
                       {"has_target", target != nullptr},
                       {"is_empty", figure.empty() && target == nullptr}});
    }
    rows.push_back({{"title", m.title},
                    {"number", m.number},
                    {"has_number", !m.number.empty()},
                    {"url", measure_url(model, plan, m)},
                    {"responsible", m.responsible},
                    {"cells", std::move(cells)}});
  }
  const bool any_responsible = std::any_of(plan.measures.begin(), plan.measures.end(), [](const Measure& m) { return !m.responsible.empty(); });
  return {{"caption", caption},
          {"label", plan.labels.measure},
          {"columns", std::move(columns)},
          {"rows", std::move(rows)},
          {"has_responsible", any_responsible}};
}

std::string risk_element_id(const Risk& risk) { return "risk-" + risk.id; }

std::string plan_element_prefix(const Plan& plan) {
  std::string prefix;
  for (const char c : plan.url) prefix += c == '/' ? '-' : c;
  while (prefix.starts_with('-')) prefix.erase(0, 1);
  return prefix;
}

std::string period_heading(const PlanPeriod& period) { return period.heading.empty() ? period.label : period.heading + " " + period.label; }

std::string priority_kind_label(PriorityKind kind) {
  return kind == PriorityKind::council ? "Council priority" : kind == PriorityKind::department ? "Departmental priority" : "";
}

json risk_rows(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan, const std::string& priority, const std::string& id_prefix,
               int heading_level) {
  json rows = json::array();
  for (const auto& risk : plan.risks) {
    if (!priority.empty() && risk.priority != priority) continue;
    rows.push_back({{"id", id_prefix + risk_element_id(risk)},
                    {"level", std::to_string(heading_level)},
                    {"sublevel", std::to_string(heading_level + 1)},
                    {"priority_title", plan.priority_title(risk.priority)},
                    {"priority_url", priority_url(model, plan, risk.priority)},
                    {"title", risk.title},
                    {"has_title", !risk.title.empty()},
                    {"text_html", snippet_html(markdown, risk.text)},
                    {"mitigations_html", snippet_html(markdown, risk.mitigations)},
                    {"has_mitigations", !risk.mitigations.empty()},
                    {"none", risk.none},
                    {"is_none", !risk.none.empty()},
                    {"departments", department_links(model, risk.department)},
                    {"has_departments", !risk.department.empty()}});
  }
  return rows;
}

json plan_deliverable_rows(const SiteModel& model, const Plan& plan, const std::string& priority) {
  json rows = json::array();
  for (const auto& d : plan.deliverables)
    if (priority.empty() || d.priority == priority) rows.push_back(deliverable_row(model, plan, d));
  return rows;
}

json make_plan_view(const SiteModel& model, SnippetMarkdown markdown, const PlanItemRef& item) {
  const auto& plan = model.plans[item.plan];
  const auto& l = plan.labels;
  json view = {{"title", plan.title},
               {"url", site_url(model.config, plan.url)},
               {"labels",
                {{"priority", l.priority},
                 {"priorities", l.priorities},
                 {"deliverable", l.deliverable},
                 {"deliverables", l.deliverables},
                 {"measure", l.measure},
                 {"measures", l.measures},
                 {"risk", l.risk},
                 {"risks", l.risks}}},
               {"legend", json::array()},
               {"is_service_plan", !plan.department.empty()},
               {"departments", department_links(model, plan.department)}};
  // The same words for use inside a sentence: "how many deliverables".
  view["labels_lower"] = json::object();
  for (const auto& [key, value] : view["labels"].items()) view["labels_lower"][key] = to_lower_ascii(value.get<std::string>());
  for (auto rating : all_ratings)
    view["legend"].push_back({{"rating", std::string(rating_id(rating))},
                              {"label", std::string(rating_label(rating))},
                              {"colour", rating_colour(std::string(rating_id(rating)))}});
  view["legend"].push_back({{"rating", "none"}, {"label", "No rating or no data"}, {"colour", rating_colour("")}});
  switch (item.kind) {
    case PlanItemRef::Kind::overview:
      view["overview"] = overview(model, markdown, plan);
      break;
    case PlanItemRef::Kind::priority:
      view["priority"] = priority_view(model, markdown, plan, plan.priorities[item.index]);
      break;
    case PlanItemRef::Kind::deliverable:
      view["deliverable"] = deliverable_view(model, markdown, plan, plan.deliverables[item.index]);
      break;
    case PlanItemRef::Kind::measure:
      view["measure"] = measure_view(model, markdown, plan, plan.measures[item.index]);
      break;
    case PlanItemRef::Kind::browse_field:
    case PlanItemRef::Kind::browse_value:
      view["browse"] = browse_view(model, plan, item);
      break;
    case PlanItemRef::Kind::changes:
      view["changes"] = changes_view(model, plan, item.index);
      break;
    case PlanItemRef::Kind::report:
      view["report"] = report_view(model, markdown, plan);
      break;
  }
  view["browse_fields"] = browse_links(model, plan);
  view["has_browse_fields"] = !plan.browse.empty();
  return view;
}

}  // namespace plainsight
