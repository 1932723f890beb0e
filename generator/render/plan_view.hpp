#pragma once

#include <nlohmann/json.hpp>

#include "content/model.hpp"
#include "feeds/atom.hpp"
#include "markdown/markdown.hpp"

namespace plainsight {

/// Which part of which plan a page shows: a plan's DataRef, read.
struct PlanItemRef {
  enum class Kind { overview, priority, deliverable, measure, browse_field, browse_value, changes, report };
  std::size_t plan = 0;  ///< index into SiteModel::plans
  Kind kind = Kind::overview;
  std::size_t index = 0;  ///< into the plan's priorities, deliverables, measures or browse fields; a changes page's period
  std::size_t value = 0;  ///< into a browse field's values

  [[nodiscard]] static PlanItemRef of(const DataRef& data) { return {data.index, static_cast<Kind>(data.part), data.item, data.entry}; }
  [[nodiscard]] DataRef data() const { return {"plan", plan, static_cast<int>(kind), index, value}; }
};

/// The `plan` part of the view of a plan's pages (docs/themes.md "Plan pages"): the plan's
/// common parts, and `overview`, `priority`, `deliverable` or `measure` for the page's item.
/// `markdown` holds the site's rendered Markdown, the plan's updates and notes among it.
nlohmann::json make_plan_view(const SiteModel& model, SnippetMarkdown markdown, const PlanItemRef& item);

/// The site path of a plan's "what changed" page for a period: changes/ for the latest period
/// that has one, changes/<period id>/ for an earlier one.
std::string plan_changes_path(const Plan& plan, std::size_t period);
/// The address that stays a period's "what changed" page: "/plans/x/changes/<period>/", for the
/// latest period a redirect to "/plans/x/changes/" until a later period takes its place.
std::string plan_changes_permalink(const Plan& plan, std::size_t period);

/// One Atom entry for each period of the plan that reports anything, newest first: the
/// counts by rating (the council's where it published them) and what changed since the period
/// before, linked to that period's "what changed" page. `title_prefix` starts each title.
std::vector<AtomEntry> plan_feed_entries(const SiteModel& model, const Plan& plan, const std::string& title_prefix = "");

/// The plan's feed (/plans/<plan>/feed.xml) of plan_feed_entries.
AtomFeed plan_feed(const SiteModel& model, const Plan& plan);

/// Every measure of a plan with each period's figure and target as published: the service
/// plans' KPI table. `columns` are the periods any measure has; each row has a cell per column.
nlohmann::json measure_values_table(const SiteModel& model, const Plan& plan, const std::string& caption);

/// The plan's risks under one priority (all of them for ""), as the `risk-item` partial shows
/// them: their element ids start with `id_prefix`, their headings are at `heading_level`.
nlohmann::json risk_rows(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan, const std::string& priority,
                         const std::string& id_prefix, int heading_level);

/// Deliverable rows of a plan, as the `deliverable-table` partial shows them, of the priority given
/// (all for "").
nlohmann::json plan_deliverable_rows(const SiteModel& model, const Plan& plan, const std::string& priority);

/// A measure's figures over time as an SVG line chart, with its target as a dashed line where
/// that is one number; `id` is the chart's element id, `table_place` where its table is ("below").
std::string measure_chart_svg(const Plan& plan, const Measure& m, const std::string& id, std::string_view table_place);

/// The plan's overview wheel (priorities inside, deliverables outside) when anything in it is
/// rated, its element ids starting with `id_prefix`; "" when nothing is rated.
std::string plan_wheel_svg(const SiteModel& model, const Plan& plan, const std::string& id_prefix);

/// The id of a risk's element on the plan's pages; a page showing several plans prefixes it
/// with plan_element_prefix.
std::string risk_element_id(const Risk& risk);

/// What element ids of a plan start with on a page that shows several plans: its path,
/// "/plans/ccp-2020-21/" → "plans-ccp-2020-21-".
std::string plan_element_prefix(const Plan& plan);

/// "Actual 2017-18": a period's column heading as the document prints it, or its label.
std::string period_heading(const PlanPeriod& period);

/// "Council priority", "Departmental priority", or "" for a plan's own priority.
std::string priority_kind_label(PriorityKind kind);

}  // namespace plainsight
