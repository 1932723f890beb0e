// Budgets (docs/budgets.md): a page with type: budget reads budget.json.
#include <fmt/format.h>

#include "core/format.hpp"
#include "core/json_source.hpp"
#include "core/text.hpp"
#include "render/finance_view.hpp"
#include "types/data_type.hpp"

namespace plainsight {
namespace {

void read(const SiteModel&, const Page&, DataFile& file, Diagnostics& diagnostics) {
  const auto source = parse_json(file.text, file.path, diagnostics);
  if (!source) return;
  if (auto budget = load_budget(*source, diagnostics)) file.contents = std::move(*budget);
  std::string().swap(file.text);  // load needs only the budget, and every file is read before any is loaded
}

void load(DataLoadContext& context, std::size_t page_index, DataFile& file) {
  auto* budget = std::any_cast<Budget>(&file.contents);
  if (!budget) return;
  auto& page = context.model.pages[page_index];
  budget->url = page.url;
  page.data = DataRef{"budget", context.model.budgets.size()};
  context.model.budgets.push_back(std::move(*budget));
}

/// The page itself, and each of its lines: income, spending, controllable budgets and savings.
void search(const SiteModel& model, const DataRef& data, SearchDocument page_document, std::vector<SearchDocument>& documents) {
  const auto& budget = model.budgets[data.index];
  const auto url = page_document.url;
  page_document.type = "Budget";
  documents.push_back(std::move(page_document));
  auto line = [&](std::string title, std::string anchor, std::string excerpt, std::string department = {}) {
    SearchDocument document{std::move(title), url + "#" + anchor, "Budget line", std::move(excerpt), budget.title, "", {}};
    add_department_facets(model, department, document);
    documents.push_back(std::move(document));
  };
  for (const auto& income : budget.income)
    line(income.source, "income", fmt::format("Income in {}: {}", budget.year, format_money(income.amount, budget.currency)));
  for (const auto& spending : budget.spending)
    line(spending.service, "spending",
         spending.amount ? fmt::format("Spending in {}: {}", budget.year, format_money(*spending.amount, budget.currency))
                         : fmt::format("Spending in {}", budget.year));
  for (std::size_t t = 0; t < budget.tables.size(); ++t)
    for (const auto& row : budget.tables[t].rows)
      line(row.label, budget_table_id(t), "Approved controllable budget: " + budget.tables[t].department, budget.tables[t].department);
  for (const auto& saving : budget.savings)
    line(saving.item, "savings", join_nonempty({"Saving of " + format_money(saving.amount, budget.currency), saving.status}, " · "),
         saving.department);
}

}  // namespace

DataType budget_data_type() {
  return {
      .loader = {.type = "budget",
                 .files = {"budget.json"},
                 .guide = "docs/budgets.md",
                 .front_matter_keys = {},
                 .check_page = {},
                 .read = read,
                 .load = load},
      .layouts = {"budget"},
      .view_name = "budget",
      .view = [](const SiteModel& model, SnippetMarkdown, const DataRef& data) { return make_budget_view(model, model.budgets[data.index]); },
      .element_ids =
          [](const SiteModel& model, const DataRef& data) {
            std::vector<std::string> ids;
            for (std::size_t t = 0; t < model.budgets[data.index].tables.size(); ++t) ids.push_back(budget_table_id(t));
            return ids;
          },
      .open_data =
          [](const SiteModel& model, std::vector<Dataset>& datasets) {
            for (const auto& budget : model.budgets) export_budget(model, budget, datasets);
          },
      .search = search,
      .facets = {{"department", "Department"}},
  };
}

}  // namespace plainsight
