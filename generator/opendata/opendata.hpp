#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/model.hpp"

namespace plainsight {

class ByteReader;
class ByteWriter;

/// One downloadable file under /data/.
struct Dataset {
  std::string path;        ///< output path, "data/plans/council-plan-2021-25/measures.csv"
  std::string title;       ///< "Council Plan 2021-25: key measures"
  std::string format;      ///< "CSV" or "JSON"
  std::string media_type;  ///< "text/csv", "application/json"
  std::string description;
  std::string date;  ///< ISO date the data is for (the end of its latest period)
  std::string bytes;
  std::string source = {};  ///< the document its figures come from, when known
  /// A CSV's Table Schema, when its exporter knows it; otherwise one is read from its values.
  nlohmann::json schema = nullptr;
  std::string collection = {};      ///< the item it is one file of: a plan's, a budget's or a dataset's title
  std::string page = {};            ///< the site path of that item's page
  std::string coverage_start = {};  ///< the earliest date its rows are for, when it has dates (with `date`, the latest)
};

/// A dataset as the build's kept results hold it (ResultCache), and read back: false when the
/// bytes do not read back. Its texts are written in place (ByteWriter::text_in_place): the
/// dataset must stay as it is until the writer is put.
void write_dataset(ByteWriter& out, const Dataset& dataset);
bool read_dataset(ByteReader& in, Dataset& dataset);

/// The Table Schema of a CSV the site publishes, from its values: a column of numbers is
/// `integer` or `number`, of ISO dates `date`, of true and false `boolean`, anything else `string`.
nlohmann::json csv_table_schema(std::string_view csv);

/// A plan's deliverables, measures and their values (with computed ratings), as JSON and CSV.
/// Each export is deterministic: the same model gives the same bytes.
void export_plan(const SiteModel& model, const Plan& plan, std::vector<Dataset>& datasets);
/// A budget's income, spending, controllable budgets and savings, as JSON and CSV.
void export_budget(const SiteModel& model, const Budget& budget, std::vector<Dataset>& datasets);
/// A procurement pipeline as JSON, CSV and an OCDS 1.1.5 release package.
void export_pipeline(const SiteModel& model, const Pipeline& pipeline, std::vector<Dataset>& datasets);

/// A dataset's rows as CSV (ISO dates, plain numbers) and JSON, and its Table Schema.
void export_dataset(const TabularDataset& dataset, std::vector<Dataset>& datasets);

/// schema.org JSON-LD, ready for a <script type="application/ld+json">: for the /data/ page
/// (`page` empty) a DataCatalog of every item's Dataset; for an item's page, its Dataset; ""
/// when no published file is that page's. Dates come from the data, never the clock.
std::string open_data_jsonld(const SiteModel& model, const std::vector<Dataset>& datasets, const std::string& page = {});

/// Every department with its names, net budget and counts, as departments.json and departments.csv.
void export_departments(const SiteModel& model, std::vector<Dataset>& datasets);

/// Text for a CSV cell that a spreadsheet shows as written: text starting with =, +, -, @, a tab
/// or a carriage return would be run as a formula (=HYPERLINK(…) sends the reader elsewhere), so
/// it gets a leading ', as OWASP's guidance on CSV injection says. For text columns only: numbers
/// keep their minus sign. Text that already starts with ' and one of those (or a second ') gets
/// one more ', so that unquote_spreadsheet_text (core/csv.hpp) reverses it exactly.
std::string spreadsheet_safe_text(std::string_view text);
/// A CSV field quoted as RFC 4180 asks when it contains a comma, quote or line break.
std::string csv_field(const std::string& text);
/// One CSV line (CRLF, as RFC 4180 says) from fields.
std::string csv_row(const std::vector<std::string>& fields);

/// /data/datapackage.json (Frictionless Data Package) describing the datasets. The CSVs
/// without a schema of their own are read back for theirs on up to `jobs` threads.
std::string data_package(const SiteModel& model, const std::vector<Dataset>& datasets, unsigned jobs = 1);

}  // namespace plainsight
