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

/// "/plans/x/" → "x".
std::string slug_of_url(const std::string& url) {
  const auto trimmed = url.substr(0, url.size() - 1);
  return trimmed.substr(trimmed.rfind('/') + 1);
}

std::string count_text(std::size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

/// A service plan's actions grouped by priority, its KPI table and its risks.
json service_plan_view(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, const Plan& plan) {
  json priorities = json::array();
  for (const auto& priority : plan.priorities) {
    auto rows = plan_deliverable_rows(model, plan, priority.id);
    if (rows.empty()) continue;
    priorities.push_back({{"title", priority.title},
                          {"url", site_url(model.config, plan.url + priority.id + "/")},
                          {"kind", priority.kind == PriorityKind::department ? "Departmental priority" : "Council priority"},
                          {"count", count_text(rows.size(), to_lower_ascii(plan.labels.deliverable), to_lower_ascii(plan.labels.deliverables))},
                          {"deliverables", {{"caption", plan.labels.deliverables + ": " + priority.title}, {"rows", std::move(rows)}}}});
  }
  auto risks = risk_rows(model, markdown, plan, "");
  // Charts for the measures with figures for more than one period: a single figure is no trend.
  const auto prefix = slug_of_url(plan.url) + "-";
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
          {"measure_values", measure_values_table(model, plan, plan.labels.measures + ": figures and targets as published")},
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
    if (entry.net_published)
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
    auto view = savings_view(model, budget, "Savings in " + budget.title, mine);
    if (!view["rows"].empty()) savings.push_back(std::move(view));
  }
  return {{"has_tables", !tables.empty()},
          {"tables", std::move(tables)},
          {"has_savings", !savings.empty()},
          {"savings", std::move(savings)},
          {"budget_in_text", department.budget_in_text},
          {"has_budget_in_text", !department.budget_in_text.empty()}};
}

json contracts_part(const SiteModel& model, const DepartmentFacts& facts) {
  double total = 0;
  std::size_t unknown = 0;
  std::vector<std::pair<std::string, std::pair<std::size_t, double>>> bands;  // label → count, value
  std::vector<const Project*> known;
  for (const auto& [pipeline, project] : facts.contracts) {
    if (project->duplicate_of.empty() && project->value) {
      total += *project->value;
      known.push_back(project);
    } else if (!project->value) {
      ++unknown;
    }
    std::string label = "Not banded";
    for (const auto& band : model.procurement.bands)
      if (band.id == project->band) label = band.label;
    auto found = std::find_if(bands.begin(), bands.end(), [&](const auto& entry) { return entry.first == label; });
    if (found == bands.end()) found = bands.insert(bands.end(), {label, {0, 0.0}});
    ++found->second.first;
    if (project->value && project->duplicate_of.empty()) found->second.second += *project->value;
  }
  std::stable_sort(known.begin(), known.end(), [](const Project* a, const Project* b) { return *a->value > *b->value; });
  json biggest = json::array();
  for (std::size_t i = 0; i < known.size() && i < 5; ++i)
    biggest.push_back({{"title", known[i]->title},
                       {"value", format_money(*known[i]->value)},
                       {"url", site_url(model.config, facts.contracts.front().first->url + "#" + known[i]->id)}});
  json band_rows = json::array();
  for (const auto& [label, tally] : bands)
    band_rows.push_back({{"label", label}, {"count", std::to_string(tally.first)}, {"value", format_money(tally.second)}});
  json filters = json::array();
  if (!facts.contracts.empty())
    for (const auto& name : facts.contract_department_names) {
      std::string query;
      for (const unsigned char c : name)
        query += std::isalnum(c) || c == '-' || c == '.' || c == '_' ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
      filters.push_back({{"name", name}, {"url", site_url(model.config, facts.contracts.front().first->url) + "?department=" + query + "#projects"}});
    }
  return {{"has_contracts", !facts.contracts.empty()},
          {"count", std::to_string(facts.contracts.size())},
          {"total", format_money(total)},
          {"unknown", std::to_string(unknown)},
          {"has_unknown", unknown > 0},
          {"bands", {{"caption", "Contracts by value band"}, {"rows", std::move(band_rows)}}},
          {"biggest", std::move(biggest)},
          {"filters", std::move(filters)}};
}

}  // namespace

json make_department_view(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, std::size_t index) {
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
          {"contracts", contracts_part(model, facts)},
          {"has_council_plan", !council_plan.empty()},
          {"council_plan", std::move(council_plan)}};
}

json make_departments_view(const SiteModel& model) {
  json rows = json::array();
  for (std::size_t d = 0; d < model.departments.size(); ++d) {
    const auto& department = model.departments[d];
    const auto facts = facts_of_department(model, d);
    std::optional<double> net;
    for (const auto& table : facts.budget_tables)
      if (table.net_published) net = net.value_or(0) + *table.net_published;
    rows.push_back({{"title", department.title},
                    {"url", site_url(model.config, department.url)},
                    {"director", department.director},
                    {"net_budget", net ? format_money(*net) : "Not published"},
                    {"actions", std::to_string(facts.actions)},
                    {"measures", std::to_string(facts.measures)},
                    {"risks", std::to_string(facts.risks)},
                    {"contracts", std::to_string(facts.contracts.size())}});
  }
  return {{"caption", "The council's departments"}, {"rows", std::move(rows)}, {"has_rows", !model.departments.empty()}};
}

}  // namespace plainsight
