#include "content/plan_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/csv.hpp"
#include "core/dates.hpp"
#include "core/text.hpp"
#include "ratings/ratings.hpp"

namespace plainsight {

const std::vector<std::string> plan_csv_columns = {"title",           "department",       "direction_of_travel", "browse_by",
                                                   "source_document", "source_section",   "source_page",         "source_url",
                                                   "label_priority",  "label_priorities", "label_deliverable",   "label_deliverables",
                                                   "label_measure",   "label_measures",   "label_risk",          "label_risks"};

namespace {

using nlohmann::json;

/// How a cell becomes a JSON value.
enum class CellType { text, list, number, count, boolean, date, plan_date };

struct Column {
  std::string_view name;
  std::string_view key;  ///< where its value goes in plan.json's item: "source/document" is nested
  CellType type = CellType::text;
  bool required = false;
};

struct TableSpec {
  std::string_view file;
  std::vector<Column> columns;
  std::vector<std::string_view> computed;  ///< published by the site, worked out from the rest: read past
  bool has_fields = false;                 ///< "field: <name>" columns
};

constexpr Column source_columns[] = {
    {"source_document", "source/document"}, {"source_section", "source/section"}, {"source_page", "source/page"}, {"source_url", "source/url"}};

std::vector<Column> with_source(std::vector<Column> columns) {
  columns.insert(columns.end(), std::begin(source_columns), std::end(source_columns));
  return columns;
}

const std::vector<TableSpec>& specs() {
  static const std::vector<TableSpec> tables = {
      {"plan.csv",
       with_source({{"title", "title", CellType::text, true},
                    {"department", "department"},
                    {"direction_of_travel", "direction_of_travel"},
                    {"browse_by", "browse_by", CellType::list},
                    {"label_priority", "labels/priority"},
                    {"label_priorities", "labels/priorities"},
                    {"label_deliverable", "labels/deliverable"},
                    {"label_deliverables", "labels/deliverables"},
                    {"label_measure", "labels/measure"},
                    {"label_measures", "labels/measures"},
                    {"label_risk", "labels/risk"},
                    {"label_risks", "labels/risks"}}),
       {}},
      {"periods.csv", {{"id", "id", CellType::text, true}, {"label", "label"}, {"end", "end", CellType::date, true}, {"heading", "heading"}}, {}},
      {"priorities.csv",
       {{"id", "id", CellType::text, true}, {"title", "title", CellType::text, true}, {"summary", "summary"}, {"kind", "kind"}},
       {}},
      {"deliverables.csv",
       with_source({{"id", "id", CellType::text, true},
                    {"number", "number"},
                    {"priority", "priority", CellType::text, true},
                    {"other_priorities", "other_priorities", CellType::list},
                    {"title", "title", CellType::text, true},
                    {"lead", "lead"},
                    {"department", "department"},
                    {"start", "start", CellType::plan_date},
                    {"start_as_published", "start_as_published"},
                    {"due", "due", CellType::plan_date},
                    {"due_as_published", "due_as_published"},
                    {"original_due", "original_due", CellType::date},
                    {"completed", "completed", CellType::date},
                    {"stage", "stage"},
                    {"success_measures", "success_measures", CellType::list},
                    {"council_plan", "council_plan", CellType::boolean},
                    {"council_plan_deliverable", "council_plan_deliverable"},
                    {"measures", "measures", CellType::list}}),
       {"priority_title", "rating", "rating_period", "travel", "url", "department_ids"},
       true},
      {"measures.csv",
       with_source({{"id", "id", CellType::text, true},
                    {"number", "number"},
                    {"priority", "priority"},
                    {"title", "title", CellType::text, true},
                    {"unit", "unit"},
                    {"direction", "direction"},
                    {"responsible", "responsible"},
                    {"department", "department"},
                    {"status", "status"},
                    {"benchmark_label", "benchmark/label"},
                    {"benchmark_value", "benchmark/value", CellType::number},
                    {"published_rating", "published_rating"},
                    {"note", "note"},
                    {"last_period_target", "target", CellType::number},
                    {"last_period_target_as_published", "target_as_published"}}),
       {"target", "target_as_published", "latest_value", "latest_period", "as_of", "rating", "rating_reason", "travel", "url", "department_ids"}},
      {"measure-values.csv",
       {{"measure", "measure", CellType::text, true},
        {"period", "period", CellType::text, true},
        {"value", "value", CellType::number},
        {"value_as_published", "value_as_published"},
        {"target", "target", CellType::number},
        {"target_as_published", "target_as_published"},
        {"published_rating", "published_rating"},
        {"as_of", "as_of"},
        {"target_read_as", "target_read_as"}},
       {"rating"}},
      {"updates.csv",
       {{"deliverable", "deliverable", CellType::text, true}, {"period", "period", CellType::text, true}, {"rating", "rating"}, {"text", "text"}},
       {}},
      {"trend.csv",
       {{"period", "period", CellType::text, true},
        {"kind", "kind", CellType::text, true},
        {"strong", "strong", CellType::count},
        {"good", "good", CellType::count},
        {"review", "review", CellType::count},
        {"action", "action", CellType::count},
        {"no_rating", "no_rating", CellType::count},
        {"improving", "improving", CellType::count},
        {"no_change", "no_change", CellType::count},
        {"declining", "declining", CellType::count},
        {"completed", "completed", CellType::count},
        {"counted_from", "counted_from"}},
       {"label", "end"}},
      {"risks.csv",
       {{"id", "id", CellType::text, true},
        {"department", "department"},
        {"priority", "priority", CellType::text, true},
        {"title", "title"},
        {"risk", "text"},
        {"mitigations", "mitigations"},
        {"none_identified", "none"}},
       {"department_ids", "priority_title"}},
  };
  return tables;
}

std::string folded(std::string_view text) { return to_lower_ascii(trim(text)); }

/// "1,234" or "-1,234,567.5": commas between groups of three digits, before any decimal point.
bool thousands_grouped(std::string_view text) {
  if (text.starts_with('-')) text.remove_prefix(1);
  const auto whole = text.substr(0, text.find('.'));
  const auto first = whole.find(',');
  if (first == std::string_view::npos || first == 0 || first > 3) return false;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    const bool comma_place = i >= first && (i - first) % 4 == 0;
    if (comma_place ? whole[i] != ',' : !std::isdigit(static_cast<unsigned char>(whole[i]))) return false;
  }
  return (whole.size() - first) % 4 == 0 && text.substr(whole.size()).find(',') == std::string_view::npos;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// One table, read and its header checked against its spec.
struct Table {
  std::string path;
  CsvTable csv;
  std::vector<std::pair<const Column*, std::size_t>> columns;  ///< each spec column present, with its index
  std::vector<std::pair<std::string, std::size_t>> fields;     ///< "field: <name>" columns: the name, the index
};

class Reader {
 public:
  Reader(std::string_view base_url, Diagnostics& diagnostics) : base_url_(base_url), diagnostics_(diagnostics) {}

  std::optional<JsonSource> read(const std::vector<PlanTableFile>& files) {
    std::map<std::string, const PlanTableFile*> by_name;
    for (const auto& file : files) by_name[file.path.substr(file.path.rfind('/') + 1)] = &file;
    std::map<std::string_view, Table> tables;
    const auto marker_file = by_name.find(std::string(plan_csv_marker));
    if (marker_file == by_name.end()) {
      error({files.empty() ? std::string(plan_csv_marker) : files.front().path, 1, 1},
            "no plan.csv (a plan kept as CSV tables needs it; see docs/plans.md)");
      return std::nullopt;
    }
    const auto& marker = *marker_file->second;
    for (const auto& spec : specs()) {
      const auto found = by_name.find(std::string(spec.file));
      if (found == by_name.end()) {
        if (spec.file == "periods.csv" || spec.file == "priorities.csv")
          error({marker.path, 1, 1}, "no " + std::string(spec.file) + " beside plan.csv (a plan kept as CSV tables needs plan.csv, periods.csv and " +
                                         "priorities.csv; see docs/plans.md)");
        continue;
      }
      if (auto table = read_table(spec, *found->second))
        tables.emplace(spec.file, std::move(*table));
      else
        broken_.emplace(spec.file);
    }
    // The tables that could be read are read on, for their own errors; load_plan's checks wait
    // until every table reads.
    source_.file = marker.path;
    source_.value = json::object();
    auto& root = source_.value;
    position("", {marker.path, 1, 1});
    // A plan.csv that could not be read has its errors reported: the other tables are read for theirs.
    if (const auto plan = tables.find("plan.csv"); plan != tables.end() && plan->second.csv.rows.size() == 1)
      root = row_object(plan->second, 0, "");
    else if (plan != tables.end())
      error({plan->second.path, plan->second.csv.rows.empty() ? 1 : plan->second.csv.row_lines[1], 1},
            "plan.csv has " + std::to_string(plan->second.csv.rows.size()) + " rows (expected one: the plan's title and settings)");
    plan_department_ = root.value("department", "");
    for (const auto& [file, key] : {std::pair{"periods.csv", "periods"},
                                    {"priorities.csv", "priorities"},
                                    {"deliverables.csv", "deliverables"},
                                    {"measures.csv", "measures"},
                                    {"risks.csv", "risks"},
                                    {"trend.csv", "trend"}}) {
      const auto table = tables.find(file);
      if (table == tables.end()) continue;
      auto& list = root[key] = json::array();
      position("/" + std::string(key), {table->second.path, 1, 1});
      for (std::size_t r = 0; r < table->second.csv.rows.size(); ++r) {
        const auto pointer = "/" + std::string(key) + "/" + std::to_string(list.size());
        auto item = row_object(table->second, r, pointer);
        if (key == std::string_view("trend")) {
          const auto counted_from = item.value("counted_from", "published");
          item.erase("counted_from");
          if (counted_from == "ratings") continue;  // the site's own count, made again from the ratings
          if (counted_from != "published")
            error(cell_at(table->second, r, "counted_from"),
                  "unknown counted_from \"" + counted_from + "\" (expected published, the council's own count, or ratings)");
        }
        if (key == std::string_view("measures")) measure_target(item);
        if (key == std::string_view("deliverables")) site_path(item, "council_plan_deliverable");
        if (item.contains("department") && item["department"] == plan_department_) item.erase("department");
        list.push_back(std::move(item));
      }
    }
    attach(tables, "updates.csv", "deliverables", "deliverable", "updates");
    attach(tables, "measure-values.csv", "measures", "measure", "values");
    if (failed_) return std::nullopt;
    return std::move(source_);
  }

 private:
  void error(SourceLocation where, std::string message) {
    diagnostics_.error(std::move(where), std::move(message));
    failed_ = true;
  }
  void position(const std::string& pointer, SourceLocation where) { source_.positions[pointer] = std::move(where); }

  std::optional<Table> read_table(const TableSpec& spec, const PlanTableFile& file) {
    const auto text = spreadsheet_csv_text(file.bytes, file.path, diagnostics_);
    if (!text) return failed_ = true, std::nullopt;
    auto csv = parse_csv(*text, file.path, diagnostics_);
    if (!csv) return failed_ = true, std::nullopt;
    Table table{file.path, std::move(*csv), {}, {}};
    bool readable = true;
    auto refuse = [&](SourceLocation where, std::string message) {
      error(std::move(where), std::move(message));
      readable = false;
    };
    std::vector<std::string> known;
    for (const auto& column : spec.columns) known.emplace_back(column.name);
    for (std::size_t c = 0; c < table.csv.header.size(); ++c) {
      const auto& heading = table.csv.header[c];
      const auto name = folded(heading);
      if (name.empty()) {  // a column once used, or a stray comma: harmless while it is empty
        const auto filled = std::find_if(table.csv.rows.begin(), table.csv.rows.end(), [&](const auto& row) { return !trim(row[c].text).empty(); });
        if (filled != table.csv.rows.end())
          refuse({file.path, (*filled)[c].line, (*filled)[c].column}, "this column has no name in the header (expected a name for it, or no values)");
        continue;
      }
      if (const auto column = std::find_if(spec.columns.begin(), spec.columns.end(), [&](const Column& col) { return col.name == name; });
          column != spec.columns.end()) {
        table.columns.emplace_back(&*column, c);
      } else if (spec.has_fields && name.starts_with(plan_field_column_prefix) && !trim(heading.substr(plan_field_column_prefix.size())).empty()) {
        table.fields.emplace_back(std::string(trim(heading.substr(plan_field_column_prefix.size()))), c);
      } else if (std::find(spec.computed.begin(), spec.computed.end(), name) == spec.computed.end()) {
        refuse({file.path, 1, table.csv.header_columns[c]},
               "unknown column \"" + heading + "\"" + did_you_mean(name, known, suggestions_) + " (" + std::string(spec.file) + " has the columns " +
                   joined(known) + (spec.has_fields ? ", and \"field: <name>\" for a field of your own" : "") + "; see docs/plans.md)");
      }
    }
    for (const auto& column : spec.columns)
      if (column.required && table.csv.column(column.name) == std::string::npos)
        refuse({file.path, 1, 1},
               "missing the column \"" + std::string(column.name) + "\" (" + std::string(spec.file) + " needs " + joined(required_names(spec)) + ")");
    if (!readable) return std::nullopt;
    return table;
  }

  static std::vector<std::string> required_names(const TableSpec& spec) {
    std::vector<std::string> names;
    for (const auto& column : spec.columns)
      if (column.required) names.emplace_back(column.name);
    return names;
  }

  static SourceLocation cell_location(const Table& table, std::size_t row, std::size_t column) {
    const auto& cell = table.csv.rows[row][column];
    return {table.path, cell.line, cell.column};
  }
  SourceLocation cell_at(const Table& table, std::size_t row, std::string_view name) const {
    const auto column = table.csv.column(name);
    return column == std::string::npos ? SourceLocation{table.path, table.csv.row_lines[row], 1} : cell_location(table, row, column);
  }

  /// A row as plan.json would give the item, each value's position its cell. Empty cells are left out.
  json row_object(const Table& table, std::size_t row, const std::string& pointer) {
    json item = json::object();
    position(pointer, {table.path, table.csv.row_lines[row], 1});
    auto place = [&](std::string_view key, json value, SourceLocation where) {
      auto* parent = &item;
      auto at = pointer;
      for (auto slash = key.find('/'); slash != std::string_view::npos; slash = key.find('/')) {
        const std::string part(key.substr(0, slash));
        at = json_pointer_append(at, part);
        if (!parent->contains(part)) position(at, where);
        parent = &(*parent)[part];
        key.remove_prefix(slash + 1);
      }
      position(json_pointer_append(at, key), where);
      (*parent)[std::string(key)] = std::move(value);
    };
    for (const auto& [column, index] : table.columns) {
      auto text = cell_text(table.csv.rows[row][index].text);
      if (text.empty()) continue;
      const auto where = cell_location(table, row, index);
      if (auto value = cell_value(*column, std::move(text), where)) place(column->key, std::move(*value), where);
    }
    for (const auto& [name, index] : table.fields) {
      auto text = cell_text(table.csv.rows[row][index].text);
      if (text.empty()) continue;
      const auto where = cell_location(table, row, index);
      const auto fields_at = pointer + "/fields";
      if (!item.contains("fields")) position(fields_at, where);
      position(json_pointer_append(fields_at, name), where);
      item["fields"][name] = std::move(text);
    }
    return item;
  }

  /// The cell's text: line breaks as \n, and the quote a spreadsheet-safe CSV puts before a formula dropped.
  static std::string cell_text(std::string_view raw) {
    const auto unquoted = unquote_spreadsheet_text(raw);
    std::string text;
    text.reserve(unquoted.size());
    for (std::size_t i = 0; i < unquoted.size(); ++i)
      if (!(unquoted[i] == '\r' && i + 1 < unquoted.size() && unquoted[i + 1] == '\n')) text += unquoted[i];
    return text;
  }

  std::optional<json> cell_value(const Column& column, std::string text, const SourceLocation& where) {
    switch (column.type) {
      case CellType::text:
        // Spaces around a one-line cell are a spreadsheet's, not the council's ("good ", " q4"); a
        // text of several lines keeps its layout.
        return text.find('\n') == std::string::npos ? std::string(trim(text)) : text;
      case CellType::list: {
        json items = json::array();
        std::size_t start = 0;
        while (start <= text.size()) {
          auto end = text.find('\n', start);
          if (end == std::string::npos) end = text.size();
          if (const auto line = trim(std::string_view(text).substr(start, end - start)); !line.empty()) items.push_back(std::string(line));
          start = end + 1;
        }
        return items;
      }
      case CellType::number:
      case CellType::count: {
        auto digits = std::string(trim(text));
        // A spreadsheet may write thousands with commas, 1,234,567.5; a decimal comma ("1,5")
        // is not read as anything.
        if (thousands_grouped(digits)) std::erase(digits, ',');
        double value = 0;
        const auto [end, problem] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        const bool whole = value == std::trunc(value) && std::fabs(value) < 1e15;
        if (problem != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value) || (column.type == CellType::count && !whole)) {
          error(where, "\"" + text + "\" is not " + (column.type == CellType::count ? "a whole number" : "a number") + " (expected " +
                           std::string(column.name) + " as a plain number, such as " + (column.type == CellType::count ? "12" : "1234.5") +
                           ", or the cell left empty)");
          return std::nullopt;
        }
        if (whole) return json(static_cast<long long>(value));
        return json(value);
      }
      case CellType::boolean: {
        const auto word = folded(text);
        if (word == "true" || word == "yes") return json(true);
        if (word == "false" || word == "no") return json(false);
        error(where,
              "\"" + text + "\" is not true or false (expected " + std::string(column.name) + " as true, false, yes or no, or the cell left empty)");
        return std::nullopt;
      }
      case CellType::date:
      case CellType::plan_date:
        return spreadsheet_date_as_iso(std::string(trim(text)));
    }
    return std::nullopt;
  }

  /// The site's address of a page, as the published table gives it, back to its site path.
  void site_path(json& item, const char* key) const {
    const auto found = item.find(key);
    if (found == item.end() || base_url_.empty() || base_url_.back() != '/') return;
    if (const auto& address = found->get_ref<const std::string&>(); address.starts_with(base_url_)) *found = "/" + address.substr(base_url_.size());
  }

  /// plan.json's measure `target` is a number or the council's words: the words when given.
  static void measure_target(json& item) {
    if (const auto words = item.find("target_as_published"); words != item.end()) {
      item["target"] = *words;
      item.erase("target_as_published");
    }
  }

  /// Puts each row of `file` into the list `into` of the item of `parents` its `parent_column` names.
  void attach(std::map<std::string_view, Table>& tables, std::string_view file, const char* parents, const char* parent_column, const char* into) {
    const auto table = tables.find(file);
    if (table == tables.end() || broken_.contains(std::string(parents) + ".csv")) return;
    auto& root = source_.value;
    std::map<std::string, std::size_t> index;
    std::vector<std::string> ids;
    if (root.contains(parents))
      for (std::size_t i = 0; i < root[parents].size(); ++i)
        if (root[parents][i].contains("id")) {
          index.emplace(root[parents][i]["id"].get<std::string>(), i);
          ids.push_back(root[parents][i]["id"].get<std::string>());
        }
    const auto parents_file = std::string(parents) + ".csv";
    for (std::size_t r = 0; r < table->second.csv.rows.size(); ++r) {
      const auto where = cell_at(table->second, r, parent_column);
      const auto id = std::string(trim(cell_text(table->second.csv.rows[r][table->second.csv.column(parent_column)].text)));
      const auto parent = index.find(id);
      if (parent == index.end()) {
        error(where, "unknown " + std::string(parent_column) + " \"" + id + "\"" + did_you_mean(id, ids, suggestions_) +
                         " (expected the id of one in " + parents_file + ")");
        continue;
      }
      auto& list = root[parents][parent->second][into];
      if (list.is_null()) list = json::array();
      const auto pointer = "/" + std::string(parents) + "/" + std::to_string(parent->second) + "/" + into + "/" + std::to_string(list.size());
      auto item = row_object(table->second, r, pointer);
      item.erase(parent_column);
      if (file == "measure-values.csv") value_target(item, table->second, r);
      list.push_back(std::move(item));
    }
  }

  /// A value's target: a bound or a range as target_read_as says ("95 or above"), shown in the
  /// council's words. A table without that column (one made by hand), or a row whose
  /// target_read_as was left behind when its target was changed, gives a target as a number and
  /// as words that state a bound with that number ("95% or above") as the bound.
  void value_target(json& item, const Table& table, std::size_t row) {
    bool has_read_as = table.csv.column("target_read_as") != std::string::npos;
    if (const auto read_as = item.find("target_read_as"); read_as != item.end()) {
      const auto read = read_as->get<std::string>();
      if (reads_target_of(item, parse_target(read))) {
        item["target"] = read;
        item.erase("target_read_as");
        return;
      }
      diagnostics_.warning(
          cell_at(table, row, "target_read_as"),
          fmt::format("target_read_as \"{}\" is not how this row's target{} reads, so the target is read from {}; empty "
                      "target_read_as (the published table fills it in again)",
                      read, given_target(item), item.contains("target") || item.contains("target_as_published") ? "them" : "nothing: there is none"));
      item.erase("target_read_as");
      has_read_as = false;
    }
    const auto number = item.find("target");
    const auto words = item.find("target_as_published");
    if (has_read_as || number == item.end() || words == item.end() || !number->is_number()) return;
    const auto bound = parse_target(words->get<std::string>());
    if ((bound.kind == Target::Kind::at_least || bound.kind == Target::Kind::at_most) && bound.value == number->get<double>()) {
      item["target"] = *words;
      item.erase("target_as_published");
    }
  }

  /// Whether `read` (a target_read_as) is a reading of the target the row gives: a bound or a
  /// range whose number is the row's target and whose words, where they state a number, a bound
  /// or a range, state the same; not when the target was changed and target_read_as left as it was.
  static bool reads_target_of(const json& item, const Target& read) {
    if (read.kind != Target::Kind::at_least && read.kind != Target::Kind::at_most && read.kind != Target::Kind::range) return false;
    const auto number = item.find("target");
    const auto words = item.find("target_as_published");
    if (number == item.end() && words == item.end()) return false;
    if (number != item.end() && number->is_number() && number->get<double>() != read.value) return false;  // a range's: its bottom
    if (words == item.end() || !words->is_string()) return true;
    const auto said = parse_target(words->get<std::string>());
    switch (said.kind) {
      case Target::Kind::words:
        return true;
      case Target::Kind::number:
        return said.value == read.value;
      default:
        return said.kind == read.kind && said.value == read.value && (said.kind != Target::Kind::range || said.high == read.high);
    }
  }

  /// " (3, \"3% or less\")": the target and target_as_published a row gives, for messages.
  static std::string given_target(const json& item) {
    std::vector<std::string> given;
    if (const auto number = item.find("target"); number != item.end())
      given.push_back(number->is_string() ? number->get<std::string>() : number->dump());
    if (const auto words = item.find("target_as_published"); words != item.end()) given.push_back("\"" + words->get<std::string>() + "\"");
    return given.empty() ? "" : " (" + joined(given) + ")";
  }

  std::string_view base_url_;
  Diagnostics& diagnostics_;
  JsonSource source_;
  std::string plan_department_;
  std::set<std::string, std::less<>> broken_;  ///< tables that could not be read
  SuggestionBudget suggestions_;               ///< one for all the tables' unknown names
  bool failed_ = false;
};

}  // namespace

const std::vector<std::string>& plan_table_files() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& spec : specs()) all.emplace_back(spec.file);
    return all;
  }();
  return names;
}

std::optional<JsonSource> plan_source_from_csv(const std::vector<PlanTableFile>& files, std::string_view base_url, Diagnostics& diagnostics) {
  return Reader(base_url, diagnostics).read(files);
}

}  // namespace plainsight
