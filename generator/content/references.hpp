#pragma once
// What one part of the site says about another, resolved once every file has loaded: the
// departments that data names, and the Council Plan deliverables that service plans deliver.

#include <optional>
#include <string_view>

#include "content/model.hpp"
#include "core/diagnostics.hpp"

namespace plainsight {

/// Builds model.department_names and checks every department named in plans, budgets and
/// pipelines (a warning with "did you mean" for a name that is none), and every
/// council_plan_deliverable (an error when it is not a deliverable's page).
void resolve_references(SiteModel& model, Diagnostics& diagnostics);

struct PlanDeliverable {
  const Plan* plan = nullptr;
  const Deliverable* deliverable = nullptr;
};

/// The deliverable whose page is at `url` ("/plans/x/deliverables/y/"), if any.
[[nodiscard]] std::optional<PlanDeliverable> find_plan_deliverable(const SiteModel& model, std::string_view url);

/// Everything on the site that belongs to one department, found through the names it goes by.
struct DepartmentFacts {
  std::vector<const Plan*> service_plans;
  std::size_t actions = 0, measures = 0, risks = 0;  ///< in its service plans; risks leave out "None"
  struct Table {
    const Budget* budget = nullptr;
    std::size_t table = 0;                           ///< index into budget->tables
    std::optional<double> net_published, net_added;  ///< in pounds: the total row's net budget, and its rows added up
  };
  std::vector<Table> budget_tables;
  const Budget* latest_budget = nullptr;  ///< the latest year with a table of it
  std::optional<double> net_budget;       ///< in pounds: the latest year's net budget, as published
  std::vector<std::pair<const Budget*, const SavingsLine*>> savings;
  std::vector<std::pair<const Pipeline*, const Project*>> contracts;  ///< every row, repeats included
  std::vector<PlanDeliverable> council_plan_deliverables;
  std::vector<const TabularDataset*> datasets;  ///< the tables it publishes (datasets naming it)             ///< of plans that are not service plans
};

[[nodiscard]] DepartmentFacts facts_of_department(const SiteModel& model, std::size_t department);

}  // namespace plainsight
