#pragma once
// A dataset (docs/datasets.md): any table the council publishes, as CSV described by a
// Frictionless Table Schema, with summaries by the columns it is grouped by.

#include <optional>
#include <string>
#include <vector>

#include "content/table_schema.hpp"
#include "core/diagnostics.hpp"

namespace plainsight {

struct DatasetRow {
  std::vector<TableValue> values;  ///< one per field of the schema
  SourceLocation where;            ///< its first cell
};

/// The rows that share one value of a grouping column, with their totals.
struct DatasetGroup {
  std::string value, slug;
  std::vector<std::size_t> rows;  ///< indexes into TabularDataset::rows, in data order
  std::vector<double> sums;       ///< one per TabularDataset::totals
  bool has_page = false;          ///< enough rows for a page of its own
};

struct TabularDataset {
  std::string schema_file;              ///< "content/spending/schema.json"
  std::vector<std::string> data_files;  ///< the CSV files, in the order read
  std::string url, title;
  std::string source;      ///< the document its figures come from (the page's `source`)
  std::string department;  ///< the department that publishes it, as its page names it
  SourceLocation department_where;
  TableSchema schema;
  std::vector<DatasetRow> rows;
  std::vector<std::size_t> group_by, totals;  ///< field indexes
  /// The total row the data itself holds (its first value is `total_label`), kept to show
  /// beside the computed totals; checked against them when the dataset loads.
  std::optional<DatasetRow> published_total;
  std::string total_label;
  std::vector<double> computed_totals;            ///< one per `totals`
  std::vector<int> total_decimals;                ///< one per `totals`: the most decimals a row gives, which its sums keep to
  std::vector<std::vector<DatasetGroup>> groups;  ///< per `group_by`, largest first
  std::size_t rows_per_page = 500;

  [[nodiscard]] std::size_t page_count() const { return rows.empty() ? 1 : (rows.size() + rows_per_page - 1) / rows_per_page; }
};

/// What the front matter of a dataset's page says about it.
struct DatasetSettings {
  std::vector<std::string> data_files = {"data.csv"};  ///< bundle file names
  std::vector<std::string> group_by, totals;
  std::string total_label;
  std::size_t group_page_rows = 10;  ///< a group value with at least this many rows gets a page
  SourceLocation where;              ///< the front matter's "data" (or its first line)
  /// Each setting's place in the front matter, for errors about it; empty: `where`.
  SourceLocation group_by_where, totals_where, total_row_where;

  [[nodiscard]] const SourceLocation& at(const SourceLocation& setting) const { return setting.file.empty() ? where : setting; }
};

struct DatasetFile {
  std::string path, text;
};

/// Reads every CSV against the schema: each value that does not fit its field is an error at its
/// file, line and column, all of them; a header that differs from the schema's fields is one
/// error naming both. Checks the total row against the computed totals and groups the rows.
[[nodiscard]] std::optional<TabularDataset> load_dataset(TableSchema schema, const std::vector<DatasetFile>& files, const DatasetSettings& settings,
                                                         Diagnostics& diagnostics);

}  // namespace plainsight
