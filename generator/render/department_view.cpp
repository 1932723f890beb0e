#include "render/department_view.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "content/references.hpp"
#include "core/format.hpp"
#include "core/text.hpp"
#include "render/finance_view.hpp"
#include "render/plan_view.hpp"
#include "render/view.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

std::string count_text(std::size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

/// A service plan's actions grouped by priority, its KPI table and its risks.
json service_plan_view(const SiteModel& model, SnippetMarkdown markdown, const Plan& plan) {
  json priorities = json::array();
  for (const auto& priority : plan.priorities) {
    auto rows = plan_deliverable_rows(model, plan, priority.id);
    if (rows.empty()) continue;
    priorities.push_back({{"title", priority.title},
                          {"url", site_url(model.config, plan.url + priority.id + "/")},
                          {"kind", priority_kind_label(priority.kind)},
                          {"has_kind", priority.kind != PriorityKind::plan},
                          {"count", count_text(rows.size(), to_lower_ascii(plan.labels.deliverable), to_lower_ascii(plan.labels.deliverables))},
                          {"deliverables", {{"caption", plan.labels.deliverables + ": " + priority.title}, {"rows", std::move(rows)}}}});
  }
  // Element ids start with the plan's path: a department may have more than one service plan.
  const auto prefix = plan_element_prefix(plan);
  auto risks = risk_rows(model, markdown, plan, "", prefix, 4);
  // Charts for the measures with figures for more than one period: a single figure is no trend.
  json charts = json::array();
  for (const auto& m : plan.measures) {
    const auto figures = std::count_if(m.values.begin(), m.values.end(), [](const MeasureValue& v) { return v.value.has_value(); });
    if (figures < 2) continue;
    charts.push_back({{"title", m.title},
                      {"url", site_url(model.config, plan.url + "measures/" + m.id + "/")},
                      {"svg", measure_chart_svg(plan, m, prefix + "chart-" + m.id, "above")}});
  }
  const auto wheel = plan_wheel_svg(model, plan, prefix);
  return {{"title", plan.title},
          {"id", prefix + "plan"},
          {"id_prefix", prefix},
          {"wheel", wheel},
          {"has_wheel", !wheel.empty()},
          {"has_charts", !charts.empty()},
          {"charts", std::move(charts)},
          {"url", site_url(model.config, plan.url)},
          {"labels",
           {{"deliverable", plan.labels.deliverable},
            {"deliverables", plan.labels.deliverables},
            {"measure", plan.labels.measure},
            {"measures", plan.labels.measures},
            {"risks", plan.labels.risks}}},
          {"priorities", std::move(priorities)},
          {"has_measures", !plan.measures.empty()},
          {"measure_values", measure_values_table(model, plan, plan.title + ": " + to_lower_ascii(plan.labels.measures) + " as published")},
          {"has_risks", !risks.empty()},
          {"risks", std::move(risks)},
          {"source", source_text(plan.source)}};
}

json budget_part(const SiteModel& model, const Department& department, const DepartmentFacts& facts) {
  json tables = json::array();
  for (const auto& entry : facts.budget_tables) {
    auto view = budget_table_view(model, *entry.budget, entry.table);
    view["budget_title"] = entry.budget->title;
    view["budget_url"] = site_url(model.config, entry.budget->url + "#" + budget_table_id(entry.table));
    view["has_net"] = entry.net_published.has_value();
    view["net"] = entry.net_published ? format_money(*entry.net_published) : "";
    // The net budget as published, and where its rows add up otherwise, that too.
    view["net_differs"] =
        entry.net_published && entry.net_added && std::abs(*entry.net_published - *entry.net_added) > 0.5 * entry.budget->tables[entry.table].unit;
    view["net_added"] = entry.net_added ? format_money(*entry.net_added) : "";
    json notes = json::array();
    if (entry.net_published && entry.budget == facts.latest_budget)
      for (const auto& text : department.budget_in_text)
        if (auto difference = budget_text_difference(text, *entry.net_published); !difference.empty()) notes.push_back(difference);
    view["has_text_notes"] = !notes.empty();
    view["text_notes"] = std::move(notes);
    tables.push_back(std::move(view));
  }
  json savings = json::array();
  for (const auto& budget : model.budgets) {
    const auto mine = [&](const SavingsLine& line) {
      return std::any_of(facts.savings.begin(), facts.savings.end(), [&](const auto& entry) { return entry.second == &line; });
    };
    auto view = savings_view(model, budget, department.title + ": savings in " + budget.title, mine);
    if (!view["rows"].empty()) savings.push_back(std::move(view));
  }
  return {{"has_tables", !tables.empty()},
          {"tables", std::move(tables)},
          {"has_savings", !savings.empty()},
          {"savings", std::move(savings)},
          {"budget_in_text", department.budget_in_text},
          {"has_budget_in_text", !department.budget_in_text.empty()}};
}

/// "Adult Care" → "Adult%20Care", for a query string.
std::string query_escape(std::string_view text) {
  std::string escaped;
  for (const unsigned char c : text)
    escaped += std::isalnum(c) || c == '-' || c == '.' || c == '_' ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  return escaped;
}

/// The department's contracts in the forward plans: a repeated row is counted once, as the
/// pipeline's own totals count it.
json contracts_part(const SiteModel& model, const Department& department, const DepartmentFacts& facts) {
  double total = 0;
  std::size_t count = 0, unknown = 0;
  std::vector<std::pair<std::string, std::pair<std::size_t, double>>> bands;  // label → count, value
  std::vector<std::pair<const Pipeline*, const Project*>> known;
  json filters = json::array();
  for (const auto& [pipeline, project] : facts.contracts) {
    const auto filter_url = site_url(model.config, pipeline->url) + "?department=" + query_escape(project->department) + "#projects";
    if (std::none_of(filters.begin(), filters.end(), [&](const json& filter) { return filter["url"] == filter_url; }))
      filters.push_back({{"name", project->department}, {"url", filter_url}});
    if (!project->duplicate_of.empty()) continue;
    ++count;
    if (project->value) {
      total += *project->value;
      known.emplace_back(pipeline, project);
    } else {
      ++unknown;
    }
    std::string label = "Not banded";
    for (const auto& band : model.procurement.bands)
      if (band.id == project->band) label = band.label;
    auto found = std::find_if(bands.begin(), bands.end(), [&](const auto& entry) { return entry.first == label; });
    if (found == bands.end()) found = bands.insert(bands.end(), {label, {0, 0.0}});
    ++found->second.first;
    if (project->value) found->second.second += *project->value;
  }
  std::stable_sort(known.begin(), known.end(), [](const auto& a, const auto& b) { return *a.second->value > *b.second->value; });
  json biggest = json::array();
  for (std::size_t i = 0; i < known.size() && i < 5; ++i)
    biggest.push_back({{"title", known[i].second->title},
                       {"value", format_money(*known[i].second->value)},
                       {"url", site_url(model.config, known[i].first->url + "#" + known[i].second->id)}});
  json band_rows = json::array();
  for (const auto& [label, tally] : bands)
    band_rows.push_back({{"label", label}, {"count", std::to_string(tally.first)}, {"value", format_money(tally.second)}});
  for (std::size_t i = 0; i < filters.size(); ++i) filters[i]["last"] = i + 1 == filters.size();
  return {{"has_contracts", count > 0},
          {"count", std::to_string(count)},
          {"total", format_money(total)},
          {"unknown", std::to_string(unknown)},
          {"has_unknown", unknown > 0},
          {"bands", {{"caption", "Upcoming contracts by value band"}, {"rows", std::move(band_rows)}}},
          {"biggest", std::move(biggest)},
          {"filters", std::move(filters)},
          {"calendar", calendar_view(model, department.url, contracts_calendar(model, "", facts.contracts))}};
}

}  // namespace

json make_department_view(const SiteModel& model, SnippetMarkdown markdown, std::size_t index) {
  const auto& department = model.departments[index];
  const auto facts = facts_of_department(model, index);
  json plans = json::array();
  for (const auto* plan : facts.service_plans) plans.push_back(service_plan_view(model, markdown, *plan));
  json council_plan = json::array();
  for (const auto& entry : facts.council_plan_deliverables)
    council_plan.push_back({{"title", entry.deliverable->title},
                            {"url", site_url(model.config, entry.plan->url + "deliverables/" + entry.deliverable->id + "/")},
                            {"plan", entry.plan->title},
                            {"plan_url", site_url(model.config, entry.plan->url)},
                            {"priority", entry.plan->priority_title(entry.deliverable->priority)},
                            {"measures", [&] {
                               json measures = json::array();
                               for (const auto& id : entry.deliverable->measures) {
                                 const auto m = entry.plan->measure_index(id);
                                 measures.push_back({{"title", entry.plan->measures[m].title},
                                                     {"url", site_url(model.config, entry.plan->url + "measures/" + id + "/")}});
                               }
                               return measures;
                             }()}});
  return {{"title", department.title},
          {"short_names", fmt::format("{}", fmt::join(department.short_names, ", "))},
          {"has_short_names", !department.short_names.empty()},
          {"other_names", fmt::format("{}", fmt::join(department.other_names, "; "))},
          {"has_other_names", !department.other_names.empty()},
          {"director", department.director},
          {"director_title", department.director_title},
          {"has_director", !department.director.empty()},
          {"divisions", department.divisions},
          {"has_divisions", !department.divisions.empty()},
          {"staff", department.staff},
          {"has_staff", !department.staff.empty()},
          {"service_plans", std::move(plans)},
          {"has_service_plans", !facts.service_plans.empty()},
          {"budget", budget_part(model, department, facts)},
          {"contracts", contracts_part(model, department, facts)},
          {"datasets",
           [&] {
             json tables = json::array();
             for (const auto* dataset : facts.datasets)
               tables.push_back({{"title", dataset->title},
                                 {"url", site_url(model.config, dataset->url)},
                                 {"rows", format_number(static_cast<double>(dataset->rows.size()))}});
             return tables;
           }()},
          {"has_datasets", !facts.datasets.empty()},
          {"has_council_plan", !council_plan.empty()},
          {"council_plan", std::move(council_plan)}};
}

json make_departments_view(const SiteModel& model) {
  json rows = json::array();
  for (std::size_t d = 0; d < model.departments.size(); ++d) {
    const auto& department = model.departments[d];
    const auto facts = facts_of_department(model, d);
    rows.push_back({{"title", department.title},
                    {"url", site_url(model.config, department.url)},
                    {"director", department.director},
                    {"net_budget", facts.net_budget ? format_money(*facts.net_budget) : "Not published"},
                    {"actions", std::to_string(facts.actions)},
                    {"measures", std::to_string(facts.measures)},
                    {"risks", std::to_string(facts.risks)},
                    {"contracts", std::to_string(std::count_if(facts.contracts.begin(), facts.contracts.end(),
                                                               [](const auto& entry) { return entry.second->duplicate_of.empty(); }))}});
  }
  return {{"caption", "The council's departments"}, {"rows", std::move(rows)}, {"has_rows", !model.departments.empty()}};
}

}  // namespace plainsight
