#include "render/finance_view.hpp"

#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "charts/charts.hpp"
#include "core/dates.hpp"
#include "core/format.hpp"
#include "render/view.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

std::string pounds(double amount) { return format_money(amount, "GBP", std::fabs(amount - std::round(amount)) > 1e-6 ? 2 : 0); }

std::string share(double part, double whole) { return whole > 0 ? format_percent(100 * part / whole, 1) : ""; }

json table(std::string caption, json rows, std::string heading = "") {
  return {{"caption", std::move(caption)}, {"rows", std::move(rows)}, {"heading", std::move(heading)}};
}

std::string chart_for(const std::string& id, const std::string& title, const std::string& description, std::vector<CategoryValue> items) {
  CategoryChart chart{id, title, description, std::move(items)};
  return chart.items.size() <= 5 ? donut_svg(chart) : horizontal_bars_svg(chart);
}

std::string start_text(const Project& project) {
  if (!project.start) return project.start_unknown;
  switch (project.start->precision) {
    case PublishedDate::Precision::day:
      return format_date_long(project.start->date);
    case PublishedDate::Precision::month: {
      auto text = format_date_long(project.start->date);
      return text.substr(text.find(' ') + 1);  // "1 April 2020" → "April 2020"
    }
    default:
      return project.start_text;  // a year as published, "2021" or a span such as "2019 - 2022"
  }
}

std::string lower_first(std::string_view text) {
  std::string result(text);
  if (!result.empty() && result[0] >= 'A' && result[0] <= 'Z') result[0] = static_cast<char>(result[0] - 'A' + 'a');
  return result;
}

/// "Adult Care and Public Health", "A, B and C".
std::string and_list(const std::vector<std::string>& items) {
  std::string result;
  for (std::size_t i = 0; i < items.size(); ++i) result += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return result;
}

}  // namespace

std::string quarter_id(const Project& project) {
  if (!project.start || project.start->precision == PublishedDate::Precision::year) return "";
  return fmt::format("{}-q{}", project.start->date.year, (project.start->date.month - 1) / 3 + 1);
}

std::string quarter_label(const Project& project) {
  if (!project.start || project.start->precision == PublishedDate::Precision::year) return "";
  static constexpr const char* names[] = {"Jan–Mar", "Apr–Jun", "Jul–Sep", "Oct–Dec"};
  return fmt::format("{} {}", names[(project.start->date.month - 1) / 3], project.start->date.year);
}

std::string budget_table_id(std::size_t table) { return "table-" + std::to_string(table + 1); }

json budget_table_view(const SiteModel& model, const Budget& budget, std::size_t t) {
  const auto& table_data = budget.tables[t];
  auto cells = [&](const BudgetTableRow& row) {
    json out = json::array();
    for (const auto& value : row.values) out.push_back({{"text", value ? pounds(*value * table_data.unit) : ""}});
    return out;
  };
  json rows = json::array();
  for (const auto& row : table_data.rows) {
    const bool heading = std::all_of(row.values.begin(), row.values.end(), [](const auto& v) { return !v.has_value(); });
    rows.push_back({{"label", row.label.empty() ? "(no name in the source)" : row.label},
                    {"cells", cells(row)},
                    {"is_heading", heading},
                    {"span", std::to_string(row.values.size())}});
  }
  json columns = json::array();
  for (const auto& name : table_data.columns) columns.push_back({{"name", name}});
  json discrepancies = json::array();
  for (const auto& d : table_data.discrepancies)
    discrepancies.push_back({{"row", d.row},
                             {"column", d.column},
                             {"note", d.note},
                             {"declared", pounds(d.declared)},
                             {"computed", pounds(d.computed)},
                             {"difference", pounds(d.declared - d.computed)}});
  return {{"id", budget_table_id(t)},
          {"department", table_data.department},
          {"departments", department_links(model, table_data.department)},
          {"caption", table_data.department + (table_data.title.empty() ? "" : ": " + table_data.title)},
          {"columns", std::move(columns)},
          {"rows", std::move(rows)},
          {"has_total", table_data.total.has_value()},
          {"total_label", table_data.total ? table_data.total->label : ""},
          {"total_cells", table_data.total ? cells(*table_data.total) : json::array()},
          {"has_discrepancies", !discrepancies.empty()},
          {"discrepancies", std::move(discrepancies)}};
}

json savings_view(const SiteModel& model, const Budget& budget, const std::string& caption, const std::function<bool(const SavingsLine&)>& include) {
  json rows = json::array();
  double total = 0;
  bool any_department = false;
  for (const auto& line : budget.savings) {
    if (!include(line)) continue;
    rows.push_back({{"item", line.item},
                    {"amount", pounds(line.amount)},
                    {"status", line.status},
                    {"note", line.note},
                    {"has_note", !line.note.empty()},
                    {"departments", department_links(model, line.department)},
                    {"has_departments", !line.department.empty()}});
    any_department = any_department || !line.department.empty();
    total += line.amount;
  }
  return {{"caption", caption}, {"rows", std::move(rows)}, {"total", pounds(total)}, {"has_departments", any_department}};
}

json make_budget_view(const SiteModel& model, const Budget& budget) {
  const double income_total = budget.income_total();
  json income = json::array();
  std::vector<CategoryValue> income_items;
  for (const auto& line : budget.income) {
    income.push_back({{"source", line.source}, {"amount", pounds(line.amount)}, {"share", share(line.amount, income_total)}});
    income_items.push_back({line.source, line.amount, pounds(line.amount)});
  }
  const auto population = budget.population ? budget.population : model.config.population;
  json spending = json::array();
  std::vector<CategoryValue> spending_items;
  double per_head_total = 0, amount_total = 0;
  bool all_per_head = !budget.spending.empty(), all_amounts = !budget.spending.empty();
  for (const auto& line : budget.spending) {
    auto per_head = line.per_head;
    if (!per_head && line.amount && population) per_head = *line.amount / *population;
    json row = {{"service", line.service},
                {"amount", line.amount ? pounds(*line.amount) : ""},
                {"has_amount", line.amount.has_value()},
                {"per_head", per_head ? format_money(*per_head, "GBP", std::fabs(*per_head - std::round(*per_head)) > 1e-6 ? 2 : 0) : ""},
                {"has_per_head", per_head.has_value()}};
    spending.push_back(std::move(row));
    if (per_head)
      per_head_total += *per_head;
    else
      all_per_head = false;
    if (line.amount)
      amount_total += *line.amount;
    else
      all_amounts = false;
    if (per_head) spending_items.push_back({line.service, *per_head, format_money(*per_head)});
  }

  json tables = json::array();
  for (std::size_t t = 0; t < budget.tables.size(); ++t) tables.push_back(budget_table_view(model, budget, t));

  auto savings = savings_view(model, budget, "Savings planned", [](const SavingsLine&) { return true; });

  return {{"title", budget.title},
          {"year", budget.year},
          {"source", budget.source},
          {"has_source", !budget.source.empty()},
          {"has_total", budget.total.has_value()},
          {"total", budget.total ? pounds(*budget.total) : ""},
          {"has_income", !income.empty()},
          {"income", table("Where the money comes from", std::move(income))},
          {"income_total", pounds(income_total)},
          {"income_chart", income_items.empty() ? ""
                                                : chart_for("chart-income", "Where the money comes from",
                                                            "Income by source; the figures are in the table below.", income_items)},
          {"has_spending", !spending.empty()},
          {"spending", table("How the money is spent", std::move(spending))},
          {"has_spending_per_head_total", all_per_head},
          {"spending_per_head_total", all_per_head ? format_money(per_head_total) : ""},
          {"has_spending_amount_total", all_amounts},
          {"spending_amount_total", all_amounts ? pounds(amount_total) : ""},
          {"spending_chart", spending_items.empty()
                                 ? ""
                                 : chart_for("chart-spending", "Spending per head of population, by service",
                                             "Pounds per resident for each service; the figures are in the table below.", spending_items)},
          {"has_spending_chart", !spending_items.empty()},
          {"has_tables", !tables.empty()},
          {"tables", std::move(tables)},
          {"has_savings", !savings["rows"].empty()},
          {"savings", std::move(savings)}};
}

json make_pipeline_view(const SiteModel& model, const Pipeline& pipeline) {
  struct Tally {
    int count = 0, unknown = 0;
    double value = 0;
  };
  auto tally_json = [](const std::string& label, const Tally& tally) {
    return json{{"label", label},
                {"count", std::to_string(tally.count)},
                {"value", pounds(tally.value)},
                {"unknown", std::to_string(tally.unknown)},
                {"has_unknown", tally.unknown > 0},
                {"url", ""}};
  };
  auto add = [](Tally& tally, const Project& project) {
    ++tally.count;
    if (project.value)
      tally.value += *project.value;
    else
      ++tally.unknown;
  };
  auto band_label = [&](const std::string& id) {
    for (const auto& band : model.procurement.bands)
      if (band.id == id) return band.label;
    return std::string("Not known");
  };
  std::map<std::string, const Project*> by_id;
  for (const auto& project : pipeline.projects) by_id.emplace(project.id, &project);
  Tally all, repeated;
  int band_warnings = 0;
  std::vector<std::string> department_order;
  std::map<std::string, Tally> by_department, by_band;
  std::map<std::string, std::set<StartKind>> kinds_by_department;
  std::map<std::string, std::pair<std::string, Tally>> by_quarter;  // id → label, tally
  Tally no_quarter;
  json projects = json::array();
  for (const auto& project : pipeline.projects) {
    if (!by_department.contains(project.department)) department_order.push_back(project.department);
    kinds_by_department[project.department].insert(project.start_kind);
    if (!project.band_warning.empty()) ++band_warnings;
    const auto quarter = quarter_id(project);
    // A row that repeats an earlier one is listed, but counted once: in no total or tally.
    if (!project.duplicate_of.empty())
      add(repeated, project);
    else {
      add(all, project);
      add(by_department[project.department], project);
      add(by_band[project.band], project);
      if (quarter.empty())
        add(no_quarter, project);
      else {
        auto& entry = by_quarter[quarter];
        entry.first = quarter_label(project);
        add(entry.second, project);
      }
    }
    const auto original = by_id.find(project.duplicate_of);
    projects.push_back({{"id", project.id},
                        {"title", project.title},
                        {"reference", project.reference},
                        {"has_reference", !project.reference.empty()},
                        {"department", project.department},
                        {"department_url",
                         [&] {
                           const auto refs = model.department_names.find_all(project.department_as_published);
                           return refs.empty() ? std::string() : site_url(model.config, model.departments[refs.front().department].url);
                         }()},
                        {"department_as_published", project.department_as_published},
                        {"has_other_department_name", project.department_as_published != project.department},
                        {"group", project.group},
                        {"has_group", !project.group.empty()},
                        {"value", project.value ? pounds(*project.value) : "Not yet known (" + project.value_unknown + ")"},
                        {"has_value", project.value.has_value()},
                        {"value_sort", project.value ? fmt::format("{:.2f}", *project.value) : ""},
                        {"start", project.start ? start_text(project) : "Not yet known (" + project.start_unknown + ")"},
                        {"start_kind", lower_first(start_kind_label(project.start_kind))},
                        {"start_iso", project.start ? format_date_iso(project.start->date) : ""},
                        {"has_start", project.start.has_value()},
                        {"quarter", quarter},
                        {"quarter_label", quarter.empty() ? "No quarter" : quarter_label(project)},
                        {"band", project.band.empty() ? "unknown" : project.band},
                        {"band_label", band_label(project.band)},
                        {"band_warning", project.band_warning},
                        {"has_band_warning", !project.band_warning.empty()},
                        {"is_duplicate", !project.duplicate_of.empty()},
                        {"duplicate_of", project.duplicate_of},
                        {"duplicate_title", original == by_id.end() ? "" : original->second->title},
                        {"notes", project.notes},
                        {"has_notes", !project.notes.empty()}});
  }
  json departments = json::array(), bands = json::array(), quarters = json::array();
  std::map<StartKind, std::vector<std::string>> departments_by_kind;
  for (const auto& name : department_order) {
    auto row = tally_json(name, by_department[name]);
    if (const auto ref = model.department_names.find(name)) row["url"] = site_url(model.config, model.departments[ref->department].url);
    std::vector<std::string> kinds;
    for (const auto kind : kinds_by_department[name]) {
      kinds.push_back(lower_first(start_kind_label(kind)));
      departments_by_kind[kind].push_back(name);
    }
    row["date_means"] =
        kinds.size() == 1 ? std::string(start_kind_label(*kinds_by_department[name].begin())) : "Varies by project: " + and_list(kinds);
    departments.push_back(std::move(row));
  }
  for (const auto& band : model.procurement.bands) {
    if (band.id == "below" && !by_band.contains(band.id)) continue;
    auto row = tally_json(band.label, by_band[band.id]);
    row["id"] = band.id;
    bands.push_back(std::move(row));
  }
  if (by_band.contains("")) {
    auto row = tally_json("Value and band not known", by_band[""]);
    row["id"] = "unknown";
    bands.push_back(std::move(row));
  }
  std::vector<CategoryValue> timeline;
  for (const auto& [id, entry] : by_quarter) {
    auto row = tally_json(entry.first, entry.second);
    row["id"] = id;
    quarters.push_back(std::move(row));
    timeline.push_back({entry.first, static_cast<double>(entry.second.count), std::to_string(entry.second.count)});
  }
  if (no_quarter.count) {
    auto row = tally_json("Date not known to the quarter", no_quarter);
    row["id"] = "";
    quarters.push_back(std::move(row));
  }
  // What the dates mean, department by department, as the plans say above their tables.
  std::vector<std::string> meanings;
  for (const auto& [kind, names] : departments_by_kind)
    meanings.push_back(fmt::format("the {} for {}", lower_first(start_kind_label(kind)), and_list(names)));
  const auto date_note = departments_by_kind.size() > 1 ? "The plans do not all date the same step: the dates are " + and_list(meanings) + "."
                         : departments_by_kind.empty()  ? std::string()
                                                        : "Every date is " + meanings.front() + ".";
  const auto summary =
      fmt::format("{} across {} projects, {} without an estimate of value.", pounds(all.value), format_number(all.count), format_number(all.unknown));
  const auto repeated_note = repeated.count == 0
                                 ? std::string()
                                 : fmt::format(
                                       "{} {} the title and value of an earlier row: {} marked in the table and counted once, so the totals "
                                       "here leave out {}.",
                                       format_number(repeated.count), repeated.count == 1 ? "row of the plans repeats" : "rows of the plans repeat",
                                       repeated.count == 1 ? "it is" : "they are", pounds(repeated.value));
  const auto band_note = band_warnings == 0 ? std::string()
                                            : fmt::format(
                                                  "{} {} listed in a value band that {} value does not fit; each is kept in the band the plan "
                                                  "gives, with a warning in its row.",
                                                  format_number(band_warnings), band_warnings == 1 ? "project is" : "projects are",
                                                  band_warnings == 1 ? "its" : "their");
  CategoryChart chart{
      "chart-timeline", "Projects by quarter of the estimated date",
      fmt::format("Number of projects whose estimated date falls in each quarter, for {} of {} projects with a date to the month; the "
                  "figures are in the table below.",
                  all.count - no_quarter.count, all.count),
      timeline};
  auto department_table = table("Projects by department", std::move(departments), "Department");
  department_table["has_date_means"] = true;
  auto band_table = table("Projects by value band", std::move(bands), "Value band");
  auto quarter_table = table("Projects by quarter of the estimated date", std::move(quarters), "Quarter");
  band_table["has_date_means"] = quarter_table["has_date_means"] = false;
  return {{"summary", summary},
          {"total_value", pounds(all.value)},
          {"count", std::to_string(pipeline.projects.size())},
          {"distinct_count", std::to_string(all.count)},
          {"unknown_count", std::to_string(all.unknown)},
          {"repeated_note", repeated_note},
          {"has_repeated", repeated.count > 0},
          {"repeated_value", pounds(repeated.value)},
          {"band_note", band_note},
          {"has_band_warnings", band_warnings > 0},
          {"date_note", date_note},
          {"has_date_note", !date_note.empty()},
          {"departments", std::move(department_table)},
          {"bands", band_table},
          {"quarters", quarter_table},
          {"timeline", timeline.empty() ? "" : columns_svg(chart)},
          {"has_timeline", !timeline.empty()},
          {"projects", std::move(projects)},
          {"threshold", pounds(model.procurement.threshold)},
          {"calendar", calendar_view(model, pipeline.url, contracts_calendar(model, "", every_project(pipeline)))}};
}

std::vector<std::pair<const Pipeline*, const Project*>> every_project(const Pipeline& pipeline) {
  std::vector<std::pair<const Pipeline*, const Project*>> projects;
  for (const auto& project : pipeline.projects) projects.emplace_back(&pipeline, &project);
  return projects;
}

std::string contracts_calendar_path(std::string_view page_url) {
  auto path = std::string(page_url.substr(page_url.starts_with('/') ? 1 : 0));
  if (!path.empty() && !path.ends_with('/')) path += '/';
  return path + "contracts.ics";
}

json calendar_view(const SiteModel& model, std::string_view page_url, const Calendar& calendar) {
  const auto events = calendar.events.size();
  return {{"url", site_url(model.config, "/" + contracts_calendar_path(page_url))},
          {"events", std::to_string(events)},
          {"has_events", events > 0},
          {"text", fmt::format("Add {} to your calendar", events == 1 ? std::string("this date") : fmt::format("these {} dates", events))}};
}

Calendar contracts_calendar(const SiteModel& model, const std::string& name,
                            const std::vector<std::pair<const Pipeline*, const Project*>>& projects) {
  Calendar calendar{.name = name,
                    .description = "Estimated procurement starts and contract awards in the council's forward plans of procurement.",
                    .stamp = {},
                    .events = {}};
  for (const auto& [pipeline, project] : projects) {
    if (const auto page = find_page(model, pipeline->url); page != std::string::npos) {
      const auto& meta = model.pages[page].meta;
      if (const auto published = meta.updated ? meta.updated : meta.date; published && *published > calendar.stamp) calendar.stamp = *published;
    }
    if (!project->start || project->start->precision == PublishedDate::Precision::year || !project->duplicate_of.empty()) continue;
    const bool month_only = project->start->precision == PublishedDate::Precision::month;
    auto kind = std::string(start_kind_label(project->start_kind));
    auto when = format_date_long(project->start->date);  // "1 April 2021"
    if (month_only) when = when.substr(when.find(' ') + 1) + " (the month only: shown on its first day)";
    const auto value = project->value                ? pounds(*project->value)
                       : project->value_text.empty() ? std::string("not published")
                                                     : "not known yet (published as " + project->value_text + ")";
    auto description = fmt::format("{}: {}.\nEstimated value: {}.\nDepartment: {}.", kind, when, value, project->department);
    if (!project->category.empty()) description += "\nCategory: " + project->category + ".";
    if (!project->reference.empty()) description += "\nReference: " + project->reference + ".";
    if (!project->notes.empty()) description += "\nNotes: " + project->notes;
    kind[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(kind[0])));
    const auto url = permalink(model.config, pipeline->url + "#" + project->id);
    calendar.events.push_back(
        {.uid = url,
         .day = {.year = project->start->date.year, .month = project->start->date.month, .day = month_only ? 1 : project->start->date.day},
         .summary = project->title + ": " + kind,
         .description = std::move(description),
         .url = url});
  }
  return calendar;
}

}  // namespace plainsight
