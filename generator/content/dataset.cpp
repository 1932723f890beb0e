#include "content/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/csv.hpp"
#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {

namespace {

std::string names_of(const std::vector<std::string>& names) { return fmt::format("{}", fmt::join(names, ", ")); }

/// The field a front matter setting names, or npos (reported).
std::size_t field_named(const TableSchema& schema, const std::string& name, const char* setting, const SourceLocation& where,
                        Diagnostics& diagnostics) {
  const auto index = schema.field_index(name);
  if (index != std::string::npos) return index;
  std::vector<std::string> known;
  for (const auto& field : schema.fields) known.push_back(field.name);
  diagnostics.error(where, std::string("\"") + setting + "\" names \"" + name + "\", which is no field of schema.json" + did_you_mean(name, known));
  return index;
}

/// The field without its minimum and maximum: what a total is read as, since a total of rows each
/// within a field's bounds need not be within them.
TableField without_bounds(TableField field) {
  field.minimum.reset();
  field.maximum.reset();
  return field;
}

}  // namespace

std::optional<TabularDataset> load_dataset(TableSchema schema, const std::vector<DatasetFile>& files, const DatasetSettings& settings,
                                           Diagnostics& diagnostics) {
  const auto errors_before = diagnostics.error_count();
  TabularDataset dataset;
  dataset.schema = std::move(schema);
  dataset.total_label = settings.total_label;
  const auto& fields = dataset.schema.fields;
  for (const auto& name : settings.group_by) {
    const auto index = field_named(dataset.schema, name, "group_by", settings.at(settings.group_by_where), diagnostics);
    if (index == std::string::npos) continue;
    if (slugify(name).empty())  // its values' pages are at /<dataset>/<field>/<value>/
      diagnostics.error(
          settings.at(settings.group_by_where),
          "\"group_by\" names \"" + name + "\", which has no letter or digit to make the address of its pages: give the field a name with one");
    else
      dataset.group_by.push_back(index);
  }
  for (const auto& name : settings.totals) {
    const auto index = field_named(dataset.schema, name, "totals", settings.at(settings.totals_where), diagnostics);
    if (index == std::string::npos) continue;
    if (fields[index].type != FieldType::number && fields[index].type != FieldType::integer)
      diagnostics.error(settings.at(settings.totals_where), "\"totals\" names \"" + name + "\", which is a " +
                                                                std::string(field_type_name(fields[index].type)) +
                                                                " field (expected a number or integer field)");
    else
      dataset.totals.push_back(index);
  }
  std::vector<std::set<std::string>> seen(fields.size());
  for (const auto& file : files) {
    dataset.data_files.push_back(file.path);
    // Excel's plain "CSV" is Windows-1252: read as a plan's tables are, with a warning.
    const auto text = spreadsheet_csv_text(file.text, file.path, diagnostics);
    const auto table = text ? parse_csv(*text, file.path, diagnostics) : std::nullopt;
    if (!table) continue;
    std::vector<std::string> expected;
    for (const auto& field : fields) expected.push_back(field.name);
    if (table->header != expected) {
      diagnostics.error({file.path, 1, 1}, "the header is " + names_of(table->header) + "; schema.json's fields are " + names_of(expected) +
                                               " (the columns must be those fields, in that order)");
      continue;
    }
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
      const auto& cells = table->rows[r];
      DatasetRow row;
      row.where = {file.path, cells.empty() ? table->row_lines[r] : cells.front().line, 1};
      const bool is_total =
          !dataset.total_label.empty() && !cells.empty() && to_lower_ascii(trim(cells.front().text)) == to_lower_ascii(dataset.total_label);
      bool ok = true;
      for (std::size_t c = 0; c < fields.size(); ++c) {
        std::string problem;
        // In the total row only the totals are read; its other cells (its label) are kept as written.
        const bool checked = !is_total || std::find(dataset.totals.begin(), dataset.totals.end(), c) != dataset.totals.end();
        auto value = !checked   ? std::optional(TableValue{cells[c].text, cells[c].text.empty(), {}, {}, {}})
                     : is_total ? read_table_value(without_bounds(fields[c]), dataset.schema, cells[c].text, problem)
                                : read_table_value(fields[c], dataset.schema, cells[c].text, problem);
        if (!value) {
          diagnostics.error({file.path, cells[c].line, cells[c].column}, problem);
          ok = false;
          continue;
        }
        if (!is_total && fields[c].unique && !value->missing && !seen[c].insert(value->text).second) {
          diagnostics.error({file.path, cells[c].line, cells[c].column},
                            "\"" + value->text + "\" is given twice in \"" + fields[c].name + "\", whose values must be unique");
          ok = false;
        }
        row.values.push_back(std::move(*value));
      }
      if (!ok) continue;
      if (is_total) {
        if (dataset.published_total)
          diagnostics.error(row.where, "a second total row (\"" + dataset.total_label + "\"); the data may hold one");
        else
          dataset.published_total = std::move(row);
      } else {
        dataset.rows.push_back(std::move(row));
      }
    }
  }
  // Totals: computed from the rows, and checked against the total row the data publishes (once
  // every row has been read: a row with an error would only make them differ again).
  const bool rows_read = diagnostics.error_count() == errors_before;
  auto amount = [](double value) { return format_number(value, std::fabs(value - std::round(value)) < 1e-9 ? 0 : 2); };
  for (const auto t : dataset.totals) {
    double sum = 0;
    int decimals = 0;
    for (const auto& row : dataset.rows)
      if (const auto& number = row.values[t].number) {
        sum += *number;
        decimals = std::max(decimals, decimals_of(*number));
      }
    dataset.computed_totals.push_back(sum);
    dataset.total_decimals.push_back(decimals);
    if (!dataset.published_total || !rows_read) continue;
    const auto& published = dataset.published_total->values[t];
    if (published.number && std::fabs(*published.number - sum) > 0.005)
      diagnostics.error(dataset.published_total->where,
                        fmt::format("the total row gives {} for \"{}\", but its rows add up to {} (a difference of {})", amount(*published.number),
                                    fields[t].name, amount(sum), amount(*published.number - sum)));
  }
  if (!settings.total_label.empty() && !dataset.published_total && diagnostics.error_count() == errors_before)
    diagnostics.error(settings.at(settings.total_row_where), "\"total_row\" is \"" + settings.total_label + "\", and no row's first value is that");
  // Groups, largest first by the first total (else by how many rows), then by value.
  for (const auto g : dataset.group_by) {
    std::map<std::string, DatasetGroup> by_value;
    for (std::size_t r = 0; r < dataset.rows.size(); ++r) {
      const auto& value = dataset.rows[r].values[g];
      // Spaces around a name are no part of it: "Acme Ltd " is Acme Ltd's.
      const auto text = value.missing ? std::string("(none)") : std::string(trim(normalised_value(fields[g], value)));
      auto& group = by_value[text];
      if (group.rows.empty()) group = {text, slugify(text), {}, std::vector<double>(dataset.totals.size(), 0.0), false};
      group.rows.push_back(r);
      for (std::size_t t = 0; t < dataset.totals.size(); ++t)
        if (const auto& number = dataset.rows[r].values[dataset.totals[t]].number) group.sums[t] += *number;
    }
    std::vector<DatasetGroup> groups;
    std::map<std::string, std::string> value_of_slug;  // the value that took each slug first
    for (auto& [text, group] : by_value) {
      group.has_page = group.rows.size() >= settings.group_page_rows;
      // A value with no letter or digit is "value"; one whose slug another value took first is
      // numbered from 2, and said when it has a page: its address is not the one its value makes.
      const bool has_own_slug = !group.slug.empty();
      const auto base = has_own_slug ? group.slug : std::string("value");
      group.slug = base;
      for (int number = 2; value_of_slug.contains(group.slug); ++number) group.slug = base + "-" + std::to_string(number);
      value_of_slug.emplace(group.slug, text);
      if (group.slug != base && has_own_slug && group.has_page)
        diagnostics.warning(dataset.rows[group.rows.front()].where,
                            fmt::format("\"{}\" values \"{}\" and \"{}\" both make the address \"{}\", so the page of \"{}\" is at \"{}\"; "
                                        "if they are one value, write them the same way",
                                        fields[g].name, value_of_slug.at(base), text, base, text, group.slug));
      groups.push_back(std::move(group));
    }
    std::stable_sort(groups.begin(), groups.end(), [](const DatasetGroup& a, const DatasetGroup& b) {
      if (!a.sums.empty() && a.sums[0] != b.sums[0]) return a.sums[0] > b.sums[0];
      return a.rows.size() > b.rows.size();
    });
    dataset.groups.push_back(std::move(groups));
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return dataset;
}

}  // namespace plainsight
