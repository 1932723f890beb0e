#include "render/dataset_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "charts/charts.hpp"
#include "core/format.hpp"
#include "core/text.hpp"
#include "render/view.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

bool is_numeric(const TableField& field) { return field.type == FieldType::number || field.type == FieldType::integer; }

std::string field_label(const TableField& field) { return field.title.empty() ? field.name : field.title; }

/// A value as the page shows it: numbers grouped in thousands (as en-GB writes them), dates in
/// words, the rest as written.
std::string shown_value(const TableField& field, const TableValue& value) {
  if (value.missing) return "";
  if (value.number) return format_number(*value.number, decimals_of(*value.number));
  if (value.date) return format_date_long(*value.date);
  if (value.boolean) return *value.boolean ? "Yes" : "No";
  (void)field;
  return value.text;
}

/// A sum of the `t`th totals column: with no more decimals than its rows give, so that amounts
/// that cancel (1,234,567.89 and -1,234,567.00) leave no rounding noise (0.890000).
std::string total_text(const TabularDataset& dataset, std::size_t t, double value) {
  return format_number(value, decimals_of(value, dataset.total_decimals[t]));
}

json columns_of(const TabularDataset& dataset) {
  json columns = json::array();
  for (const auto& field : dataset.schema.fields)
    columns.push_back({{"name", field.name},
                       {"title", field_label(field)},
                       {"is_number", is_numeric(field)},
                       {"description", field.description},
                       {"has_description", !field.description.empty()}});
  return columns;
}

json row_view(const TabularDataset& dataset, std::size_t r) {
  json cells = json::array();
  const auto& row = dataset.rows[r];
  for (std::size_t c = 0; c < dataset.schema.fields.size(); ++c) {
    const auto& date = row.values[c].date;  // in words on the page; as a <time> for machines and sorting
    cells.push_back({{"text", shown_value(dataset.schema.fields[c], row.values[c])},
                     {"is_number", is_numeric(dataset.schema.fields[c])},
                     {"is_first", c == 0},
                     {"has_datetime", date.has_value()},
                     {"datetime", date ? format_date_iso(*date) : ""}});
  }
  return {{"id", dataset_row_id(r)}, {"cells", std::move(cells)}};
}

/// The total of column `c`, or "" when it has none.
std::string column_total(const TabularDataset& dataset, const std::vector<double>& sums, std::size_t c) {
  const auto found = std::find(dataset.totals.begin(), dataset.totals.end(), c);
  if (found == dataset.totals.end()) return "";
  const auto t = static_cast<std::size_t>(found - dataset.totals.begin());
  return total_text(dataset, t, sums[t]);
}

/// The totals under each column but the first, where the row's label is (with the first's total
/// beside it, when it has one: totals_first).
json totals_row(const TabularDataset& dataset, const std::vector<double>& sums) {
  json cells = json::array();
  for (std::size_t c = 1; c < dataset.schema.fields.size(); ++c)
    cells.push_back({{"text", column_total(dataset, sums, c)}, {"is_number", is_numeric(dataset.schema.fields[c])}});
  return cells;
}

std::string group_url(const SiteModel& model, const TabularDataset& dataset, std::size_t g, const DatasetGroup& group) {
  return site_url(model.config, dataset.url + slugify(dataset.schema.fields[dataset.group_by[g]].name) + "/" + group.slug + "/");
}

/// For each group_by column: its values with how many rows and their totals, largest first.
json summaries(const SiteModel& model, const TabularDataset& dataset) {
  json all = json::array();
  for (std::size_t g = 0; g < dataset.group_by.size(); ++g) {
    const auto& field = dataset.schema.fields[dataset.group_by[g]];
    json rows = json::array();
    for (const auto& group : dataset.groups[g]) {
      json sums = json::array();
      for (std::size_t t = 0; t < group.sums.size(); ++t) sums.push_back(total_text(dataset, t, group.sums[t]));
      rows.push_back({{"value", dataset_group_label(dataset, g, group)},
                      {"url", group.has_page ? group_url(model, dataset, g, group) : ""},
                      {"has_url", group.has_page},
                      {"count", format_number(static_cast<double>(group.rows.size()))},
                      {"sums", std::move(sums)}});
    }
    json sum_titles = json::array();
    for (const auto t : dataset.totals) sum_titles.push_back(field_label(dataset.schema.fields[t]));
    std::string chart;
    if (!dataset.totals.empty() && dataset.groups[g].size() > 1) {
      CategoryChart bars{"chart-" + slugify(field.name),
                         dataset.title + ": " + field_label(dataset.schema.fields[dataset.totals[0]]) + " by " + to_lower_ascii(field_label(field)),
                         "",
                         {}};
      for (std::size_t i = 0; i < dataset.groups[g].size() && i < 10; ++i)
        bars.items.push_back({dataset_group_label(dataset, g, dataset.groups[g][i]), dataset.groups[g][i].sums[0],
                              total_text(dataset, 0, dataset.groups[g][i].sums[0])});
      bars.description = fmt::format("The {} largest of {} values; every value is in the table below.", bars.items.size(), dataset.groups[g].size());
      chart = horizontal_bars_svg(bars);
    }
    all.push_back({{"id", "by-" + slugify(field.name)},
                   {"field", field_label(field)},
                   {"caption", dataset.title + " by " + to_lower_ascii(field_label(field))},
                   {"rows", std::move(rows)},
                   {"sum_titles", std::move(sum_titles)},
                   {"chart", chart},
                   {"has_chart", !chart.empty()}});
  }
  return all;
}

}  // namespace

std::string dataset_row_id(std::size_t row) { return "row-" + std::to_string(row + 1); }

std::string dataset_data_folder(const TabularDataset& dataset) {
  auto path = dataset.url;
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  return "data/" + path;
}

std::vector<std::size_t> dataset_page_rows(const TabularDataset& dataset, const DatasetPart& part) {
  std::vector<std::size_t> rows;
  if (part.kind == DatasetPart::Kind::rows) {
    const auto first = part.index * dataset.rows_per_page;
    for (auto r = first; r < dataset.rows.size() && r < first + dataset.rows_per_page; ++r) rows.push_back(r);
  } else {
    const auto& all = dataset.groups[part.index][part.value].rows;
    const auto first = std::min(part.page * dataset.rows_per_page, all.size());
    rows.assign(all.begin() + static_cast<std::ptrdiff_t>(first),
                all.begin() + static_cast<std::ptrdiff_t>(std::min(first + dataset.rows_per_page, all.size())));
  }
  return rows;
}

json make_dataset_view(const SiteModel& model, const DatasetPart& part) {
  const auto& dataset = model.datasets[part.dataset];
  const auto shown = dataset_page_rows(dataset, part);
  std::string heading;
  // A page of the dataset's rows, or of one group's: which it is, and how many pages there are.
  const bool group = part.kind == DatasetPart::Kind::group;
  const auto page = group ? part.page : part.index;
  const auto total_rows = group ? dataset.groups[part.index][part.value].rows.size() : dataset.rows.size();
  const auto page_count = total_rows == 0 ? 1 : (total_rows + dataset.rows_per_page - 1) / dataset.rows_per_page;
  const auto first_url = group ? dataset.url + slugify(dataset.schema.fields[dataset.group_by[part.index]].name) + "/" +
                                     dataset.groups[part.index][part.value].slug + "/"
                               : dataset.url;
  if (group)
    heading = field_label(dataset.schema.fields[dataset.group_by[part.index]]) + ": " +
              dataset_group_label(dataset, part.index, dataset.groups[part.index][part.value]);
  json rows = json::array();
  std::vector<double> sums(dataset.totals.size(), 0.0);
  for (const auto r : shown) {
    rows.push_back(row_view(dataset, r));
    for (std::size_t t = 0; t < dataset.totals.size(); ++t)
      if (const auto& number = dataset.rows[r].values[dataset.totals[t]].number) sums[t] += *number;
  }
  json pages = json::array();
  if (page_count > 1)
    for (std::size_t p = 0; p < page_count; ++p)
      pages.push_back({{"number", std::to_string(p + 1)},
                       {"url", site_url(model.config, p == 0 ? first_url : first_url + "page/" + std::to_string(p + 1) + "/")},
                       {"current", p == page}});
  const bool whole = page_count == 1;
  json published = json::array();
  if (dataset.published_total)
    for (std::size_t t = 0; t < dataset.totals.size(); ++t)
      if (const auto& number = dataset.published_total->values[dataset.totals[t]].number)
        published.push_back(
            {{"field", field_label(dataset.schema.fields[dataset.totals[t]])}, {"value", format_number(*number, decimals_of(*number))}});
  const auto folder = "/" + dataset_data_folder(dataset);
  std::string caption = dataset.title + (heading.empty() ? "" : ", " + heading);
  if (!pages.empty())
    caption += fmt::format(" (rows {} to {} of {})", page * dataset.rows_per_page + 1, page * dataset.rows_per_page + shown.size(),
                           format_number(static_cast<double>(total_rows)));
  return {{"title", dataset.title},
          {"url", site_url(model.config, dataset.url)},
          {"is_group", part.kind == DatasetPart::Kind::group},
          {"heading", heading},
          {"row_count", format_number(static_cast<double>(dataset.rows.size()))},
          {"shown_count", format_number(static_cast<double>(shown.size()))},
          {"group_row_count", format_number(static_cast<double>(total_rows))},
          {"columns", columns_of(dataset)},
          {"table", {{"caption", caption}, {"rows", std::move(rows)}}},
          {"has_totals", !dataset.totals.empty()},
          {"totals_label", whole ? "Total" : "Total on this page"},
          {"totals", totals_row(dataset, sums)},
          {"totals_first", column_total(dataset, sums, 0)},
          {"has_totals_first", !column_total(dataset, sums, 0).empty()},
          {"has_published_total", !published.empty()},
          {"published_total", std::move(published)},
          {"total_label", dataset.total_label},
          {"has_pages", !pages.empty()},
          {"pages", std::move(pages)},
          {"summaries", part.kind == DatasetPart::Kind::rows && part.index == 0 ? summaries(model, dataset) : json::array()},
          {"downloads",
           {{{"format", "CSV"}, {"url", site_url(model.config, folder + "/data.csv")}},
            {{"format", "JSON"}, {"url", site_url(model.config, folder + "/data.json")}},
            {{"format", "Table Schema"}, {"url", site_url(model.config, folder + "/schema.json")}}}}};
}

std::string dataset_group_label(const TabularDataset& dataset, std::size_t group_by, const DatasetGroup& group) {
  const auto field = dataset.group_by[group_by];
  const auto& value = dataset.rows[group.rows.front()].values[field];
  return value.missing ? group.value : std::string(trim(shown_value(dataset.schema.fields[field], value)));
}

}  // namespace plainsight
