#include "content/references.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/text.hpp"

namespace plainsight {

namespace {

class ReferenceCheck {
 public:
  ReferenceCheck(SiteModel& model, Diagnostics& diagnostics) : model_(model), diagnostics_(diagnostics) {}

  void run() {
    model_.department_names = DepartmentNames(model_.departments, model_.config.department_aliases);
    for (const auto& clash : model_.department_names.clashes()) {
      if (clash.alias)
        diagnostics_.error({model_.config.file},
                           "the department alias \"" + clash.name + "\" names no department (expected the title of a page with type: department)");
      else
        diagnostics_.error(model_.departments[clash.department].where,
                           "\"" + clash.name + "\" names two departments: this one and " + model_.departments[clash.other].url + " (keep it on one)");
    }
    for (const auto& plan : model_.plans) {
      service_plan_department(plan);
      for (const auto& d : plan.deliverables) {
        department(d.department, d.department_where);
        council_plan_deliverable(plan, d);
      }
      for (const auto& m : plan.measures) department(m.department, m.department_where);
      for (const auto& r : plan.risks) department(r.department, r.department_where);
    }
    for (const auto& budget : model_.budgets) {
      for (const auto& table : budget.tables) department(table.department, table.department_where);
      for (const auto& line : budget.savings) department(line.department, line.department_where);
    }
    for (const auto& dataset : model_.datasets) department(dataset.department, dataset.department_where);
    for (const auto& pipeline : model_.pipelines)
      for (const auto& project : pipeline.projects)
        department(project.department_as_published,
                   project.department_where.file.empty() ? SourceLocation{pipeline.file, project.line, 1} : project.department_where);
  }

 private:
  /// A department named in data: a warning when the site has departments and it is none of them.
  void department(const std::string& names, const SourceLocation& where) {
    if (model_.departments.empty() || trim(names).empty() || names_all_departments(names) || names_no_department(names)) return;
    std::vector<std::string> unknown;
    const auto found = model_.department_names.find_all(names, &unknown);
    if (found.empty() && unknown.empty())
      diagnostics_.warning(
          where, "\"" + names + "\" names no department (expected a department's name, several separated by /, \"All departments\" or \"None\")");
    for (const auto& name : unknown)
      diagnostics_.warning(where, "no department is called \"" + name + "\"" + did_you_mean(name, model_.department_names.spellings()) +
                                      " (expected the title, a short or other name, or a division of a page with type: department; see "
                                      "docs/departments.md)");
  }

  /// A service plan belongs to exactly one department.
  void service_plan_department(const Plan& plan) {
    if (plan.department.empty() || model_.department_names.find(plan.department)) return;
    const auto& spellings = model_.department_names.spellings();
    diagnostics_.error(plan.department_where,
                       "a service plan belongs to one department, and no department is called \"" + plan.department + "\"" +
                           did_you_mean(plan.department, spellings) +
                           (model_.departments.empty() ? " (add its page: content/departments/<name>/index.md with type: department)"
                                                       : " (expected a department's title, short or other name)"));
  }

  void council_plan_deliverable(const Plan& plan, const Deliverable& d) {
    if (d.council_plan_deliverable.empty()) return;
    if (const auto found = find_plan_deliverable(model_, d.council_plan_deliverable); found && found->plan != &plan) return;
    std::vector<std::string> known;
    for (const auto& other : model_.plans)
      if (&other != &plan)
        for (const auto& candidate : other.deliverables) known.push_back(other.url + "deliverables/" + candidate.id + "/");
    diagnostics_.error(d.council_plan_deliverable_where, "\"" + d.council_plan_deliverable + "\" is not a deliverable's page" +
                                                             did_you_mean(d.council_plan_deliverable, known) +
                                                             " (expected /plans/<plan>/deliverables/<id>/ of another plan)");
  }

  SiteModel& model_;
  Diagnostics& diagnostics_;
};

}  // namespace

void resolve_references(SiteModel& model, Diagnostics& diagnostics) { ReferenceCheck(model, diagnostics).run(); }

std::optional<PlanDeliverable> find_plan_deliverable(const SiteModel& model, std::string_view url) {
  constexpr std::string_view part = "/deliverables/";
  const auto marker = url.rfind(part);
  if (marker == std::string_view::npos || !url.ends_with('/') || url.size() <= marker + part.size() + 1) return std::nullopt;
  const auto plan_url = url.substr(0, marker + 1);
  const auto id = url.substr(marker + part.size(), url.size() - marker - part.size() - 1);
  for (const auto& plan : model.plans) {
    if (plan.url != plan_url) continue;
    const auto index = plan.deliverable_index(id);
    if (index < plan.deliverables.size()) return PlanDeliverable{&plan, &plan.deliverables[index]};
  }
  return std::nullopt;
}

DepartmentFacts facts_of_department(const SiteModel& model, std::size_t department) {
  DepartmentFacts facts;
  const auto& names = model.department_names;
  // Hundreds of rows give the same few names: each is read once.
  struct Named {
    bool all = false;  ///< "all departments"
    bool department = false;
  };
  std::unordered_map<std::string_view, Named> named;
  auto read = [&](std::string_view text) {
    const auto [entry, added] = named.try_emplace(text);
    if (added) {
      const auto found = names.find_all(text);
      entry->second = {names_all_departments(text),
                       std::any_of(found.begin(), found.end(), [&](const DepartmentRef& ref) { return ref.department == department; })};
    }
    return entry->second;
  };
  auto names_it = [&](std::string_view text) { return read(text).department; };
  for (const auto& plan : model.plans) {
    if (!plan.department.empty()) {
      const auto owner = model.department_names.find(plan.department);
      if (!owner || owner->department != department) continue;
      facts.service_plans.push_back(&plan);
      facts.actions += plan.deliverables.size();
      facts.measures += plan.measures.size();
      facts.risks += static_cast<std::size_t>(std::count_if(plan.risks.begin(), plan.risks.end(), [](const Risk& r) { return r.none.empty(); }));
      continue;
    }
    // "All departments" is everyone's, and no one's to list as its own.
    for (const auto& d : plan.deliverables)
      if (const auto of = read(d.department); !of.all && of.department) facts.council_plan_deliverables.push_back({&plan, &d});
  }
  for (const auto& budget : model.budgets) {
    for (std::size_t t = 0; t < budget.tables.size(); ++t) {
      const auto& table = budget.tables[t];
      if (!names_it(table.department)) continue;
      DepartmentFacts::Table entry{&budget, t, std::nullopt, std::nullopt};
      // The net budget is the last column whose name says so.
      for (std::size_t c = table.columns.size(); c-- > 0;) {
        if (to_lower_ascii(table.columns[c]).find("net") == std::string::npos) continue;
        if (table.total && c < table.total->values.size() && table.total->values[c]) entry.net_published = *table.total->values[c] * table.unit;
        double sum = 0;
        for (const auto& row : table.rows)
          if (c < row.values.size() && row.values[c]) sum += *row.values[c];
        entry.net_added = sum * table.unit;
        break;
      }
      facts.budget_tables.push_back(entry);
    }
    for (const auto& line : budget.savings)
      if (names_it(line.department)) facts.savings.emplace_back(&budget, &line);
  }
  // The department's net budget is its latest year's, as published.
  for (const auto& table : facts.budget_tables)
    if (!facts.latest_budget || table.budget->year > facts.latest_budget->year) facts.latest_budget = table.budget;
  for (const auto& table : facts.budget_tables)
    if (table.budget == facts.latest_budget && table.net_published) facts.net_budget = facts.net_budget.value_or(0) + *table.net_published;
  for (const auto& dataset : model.datasets)
    if (names_it(dataset.department)) facts.datasets.push_back(&dataset);
  for (const auto& pipeline : model.pipelines)
    for (const auto& project : pipeline.projects) {
      if (!names_it(project.department_as_published)) continue;
      facts.contracts.emplace_back(&pipeline, &project);
    }
  return facts;
}

}  // namespace plainsight
