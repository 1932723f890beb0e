#include "opendata/opendata.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "content/plan_csv.hpp"
#include "content/references.hpp"
#include "core/csv.hpp"
#include "core/dates.hpp"
#include "core/format.hpp"
#include "core/parallel.hpp"
#include "core/result_cache.hpp"
#include "core/text.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

json optional_date(const std::optional<DateTime>& date) { return date ? json(format_date_iso(*date)) : json(nullptr); }
json optional_rating(const std::optional<Rating>& rating) { return rating ? json(std::string(rating_id(*rating))) : json(nullptr); }
/// Whole numbers are written without ".0", so 100 stays 100 in JSON and CSV.
json number(double value) {
  if (std::fabs(value) < 1e15 && value == std::trunc(value)) return json(static_cast<long long>(value));
  return json(value);
}
json optional_number(const std::optional<double>& value) { return value ? number(*value) : json(nullptr); }
json optional_text(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }
/// A record with a Source's four columns added, as a plan's tables give them.
json with_source(json record, const Source& source) {
  record["source_document"] = optional_text(source.document);
  record["source_section"] = optional_text(source.section);
  record["source_page"] = optional_text(source.page);
  record["source_url"] = optional_text(source.url);
  return record;
}
/// A record's value as a CSV cell. Each field of a record is built with one JSON type, so a string
/// is a text column's value and is made safe for spreadsheets; a number is written as a number.
std::string csv_cell_of(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return spreadsheet_safe_text(value.get_ref<const std::string&>());
  if (value.is_array() && std::all_of(value.begin(), value.end(), [](const json& item) { return item.is_string(); })) {
    std::string lines;  // a list, one item to a line of the cell
    for (const auto& item : value) lines += (lines.empty() ? "" : "\n") + item.get<std::string>();
    return spreadsheet_safe_text(lines);
  }
  return value.dump();
}

/// The last folder of a page's URL: "/plans/council-plan/" → "council-plan".
std::string slug_of(const std::string& url) {
  auto trimmed = url.substr(0, url.size() - 1);
  return trimmed.substr(trimmed.rfind('/') + 1);
}

std::string latest_period_end(const Plan& plan) { return plan.periods.empty() ? "" : format_date_iso(plan.periods.back().end); }

/// The ids of the departments a field names (departments.csv's `id`), for joining to it.
json department_ids(const SiteModel& model, const std::string& names) {
  json ids = json::array();
  for (const auto& ref : model.department_names.find_all(names))
    if (std::find(ids.begin(), ids.end(), model.departments[ref.department].slug) == ids.end()) ids.push_back(model.departments[ref.department].slug);
  return ids;
}

/// Marks the files from `first` on as one item's: its name and the page that shows it.
void label_collection(std::vector<Dataset>& datasets, std::size_t first, const std::string& name, const std::string& page) {
  for (auto i = first; i < datasets.size(); ++i) {
    datasets[i].collection = name;
    datasets[i].page = page;
  }
}

json deliverable_record(const SiteModel& model, const Plan& plan, const Deliverable& d) {
  std::optional<std::size_t> rated_period;
  for (const auto& update : d.updates)
    if (update.rating) rated_period = update.period;
  json fields = json::object();
  for (const auto& [name, value] : d.fields) fields[name] = value;
  return with_source({{"id", d.id},
                      {"number", d.number.empty() ? json(nullptr) : json(d.number)},
                      {"priority", d.priority},
                      {"priority_title", plan.priority_title(d.priority)},
                      {"other_priorities", d.other_priorities},
                      {"title", d.title},
                      {"lead", d.lead},
                      {"department", d.department.empty() ? plan.department : d.department},
                      {"department_ids", department_ids(model, d.department.empty() ? plan.department : d.department)},
                      {"start", d.start ? json(plan_date_iso(*d.start)) : json(nullptr)},
                      {"start_as_published", d.start_as_published.empty() ? json(nullptr) : json(d.start_as_published)},
                      {"due", d.due ? json(plan_date_iso(*d.due)) : json(nullptr)},
                      {"due_as_published", d.due_as_published.empty() ? json(nullptr) : json(d.due_as_published)},
                      {"success_measures", d.success_measures},
                      {"council_plan", d.council_plan ? json(*d.council_plan) : json(nullptr)},
                      {"council_plan_deliverable",
                       d.council_plan_deliverable.empty() ? json(nullptr) : json(model.config.base_url + d.council_plan_deliverable.substr(1))},
                      {"original_due", optional_date(d.original_due)},
                      {"completed", optional_date(d.completed)},
                      {"stage", d.stage},
                      {"rating", optional_rating(d.rating)},
                      {"rating_period", rated_period ? json(plan.periods[*rated_period].id) : json(nullptr)},
                      {"travel", std::string(travel_id(d.travel))},
                      {"fields", std::move(fields)},
                      {"url", model.config.base_url + plan.url.substr(1) + "deliverables/" + d.id + "/"},
                      {"measures", d.measures}},
                     d.source);
}

/// A target's number (the bound, or the bottom of a range), or null for words only.
/// A target's number (a bound counts), or null for words only and for a range, which has two.
json target_number(const Target* target) {
  return target && target->is_numeric() && target->kind != Target::Kind::range ? number(target->value) : json(nullptr);
}
json target_words(const Target* target) { return target && !target->as_published.empty() ? json(target->as_published) : json(nullptr); }
/// A bound or a range as plainsight read it, in words it reads back the same ("95 or above",
/// "4 to 8"): target and target_as_published alone cannot say so when the council's words differ.
json target_read_as(const Target* target) {
  if (!target) return nullptr;
  switch (target->kind) {
    case Target::Kind::at_least:
      return number(target->value).dump() + " or above";
    case Target::Kind::at_most:
      return number(target->value).dump() + " or below";
    case Target::Kind::range:
      return number(target->value).dump() + " to " + number(target->high).dump();
    default:
      return nullptr;
  }
}

json measure_record(const SiteModel& model, const Plan& plan, const Measure& m) {
  json values = json::array();
  for (const auto& value : m.values) {
    const auto* target = m.target_in(value.period);
    values.push_back({{"period", plan.periods[value.period].id},
                      {"value", optional_number(value.value)},
                      {"value_as_published", value.value_as_published.empty() ? json(nullptr) : json(value.value_as_published)},
                      {"target", target_number(target)},
                      {"target_as_published", target_words(target)},
                      {"rating", optional_rating(m.rating_in(value.period, model.config.ratings).rating)},
                      {"published_rating", optional_rating(value.published_rating)},
                      {"as_of", optional_text(value.as_of)},
                      {"target_read_as", target_read_as(target)}});
  }
  const auto latest = m.latest ? &m.values[*m.latest] : nullptr;
  const auto* target = m.target_in(latest ? latest->period : m.last_period);
  return with_source({{"id", m.id},
                      {"number", m.number.empty() ? json(nullptr) : json(m.number)},
                      {"priority", m.priority.empty() ? json(nullptr) : json(m.priority)},
                      {"department", m.department.empty() ? plan.department : m.department},
                      {"department_ids", department_ids(model, m.department.empty() ? plan.department : m.department)},
                      {"title", m.title},
                      {"unit", m.unit},
                      {"direction", m.direction == Direction::higher  ? "higher"
                                    : m.direction == Direction::lower ? "lower"
                                                                      : "none"},
                      {"target", target_number(target)},
                      {"target_as_published", target_words(target)},
                      {"latest_value", latest ? number(*latest->value) : json(nullptr)},
                      {"latest_period", latest ? json(plan.periods[latest->period].id) : json(nullptr)},
                      {"as_of", latest && !latest->as_of.empty() ? json(latest->as_of) : json(nullptr)},
                      {"rating", optional_rating(m.rating.rating)},
                      {"rating_reason", m.rating.rating ? json(nullptr) : json(m.rating.reason)},
                      {"published_rating", optional_rating(m.published_rating)},
                      {"travel", std::string(travel_id(m.travel))},
                      {"status", m.status == MeasureStatus::none ? json(nullptr) : json(std::string(measure_status_id(m.status)))},
                      {"benchmark_label", m.benchmark ? json(m.benchmark->label) : json(nullptr)},
                      {"benchmark_value", m.benchmark ? number(m.benchmark->value) : json(nullptr)},
                      {"responsible", m.responsible},
                      {"url", model.config.base_url + plan.url.substr(1) + "measures/" + m.id + "/"},
                      {"values", std::move(values)},
                      {"note", optional_text(m.note.text)},
                      // plan.json's `target`: the plan's latest period's, which its value may not repeat.
                      {"last_period_target", target_number(m.target ? &*m.target : nullptr)},
                      {"last_period_target_as_published", target_words(m.target ? &*m.target : nullptr)}},
                     m.source);
}

/// A CSV of flat records, written a record at a time; nested values (values) are left to the
/// JSON. `fields` are the names of a deliverable's extra columns (its "fields"), each written as
/// a column "field: <name>".
class CsvWriter {
 public:
  explicit CsvWriter(std::vector<std::string> columns, std::vector<std::string> fields = {})
      : columns_(std::move(columns)), fields_(std::move(fields)) {
    auto header = columns_;
    for (const auto& field : fields_) header.push_back(std::string(plan_field_column_prefix) + field);
    text_ = csv_row(header);
  }
  void add(const json& record) {
    std::vector<std::string> row;
    for (const auto& column : columns_) row.push_back(csv_cell_of(record.value(column, json(nullptr))));
    for (const auto& field : fields_) row.push_back(csv_cell_of(record["fields"].value(field, json(nullptr))));
    text_ += csv_row(row);
  }
  std::string take() { return std::move(text_); }

 private:
  std::vector<std::string> columns_, fields_;
  std::string text_;
};

std::string to_csv(const json& records, const std::vector<std::string>& columns) {
  CsvWriter csv(columns);
  for (const auto& record : records) csv.add(record);
  return csv.take();
}

/// The JSON array that nlohmann's dump(2) writes of records, `depth` deep, written a record at a
/// time: the whole array's tree, many times the size of its text, is never held. (Its memory
/// would be fresh pages, which on a virtual machine cost more to touch than to fill.)
class JsonArrayWriter {
 public:
  /// `depth`: 1 for an array that is the whole file, 2 for one that is a member of its object.
  explicit JsonArrayWriter(std::size_t depth = 1) : indent_(2 * std::max<std::size_t>(depth, 1), ' ') {}
  void add(const json& record) {
    text_ += text_.empty() ? "[\n" : ",\n";
    // A text's line breaks are written as \n, so each line break in the dump starts a line of it.
    const auto dumped = record.dump(2);
    text_ += indent_;
    for (std::size_t from = 0; from < dumped.size();) {
      const auto end = std::min(dumped.find('\n', from), dumped.size());
      text_.append(dumped, from, end - from);
      if (end < dumped.size()) (text_ += '\n') += indent_;
      from = end + 1;
    }
  }
  /// The array; `take() + "\n"` is a whole file's.
  std::string take() {
    if (text_.empty()) return "[]";
    text_ += '\n';
    text_.append(indent_.size() - 2, ' ');
    return std::move(text_ += ']');
  }

 private:
  std::string indent_;
  std::string text_;
};

/// The names of the deliverables' extra fields in an order that keeps each deliverable's own (a
/// name first seen goes before the next of its deliverable's names already placed), so a CSV
/// plan read back shows every deliverable's fields in the same order.
std::vector<std::string> field_columns(const Plan& plan) {
  std::vector<std::string> names;
  for (const auto& deliverable : plan.deliverables)
    for (auto field = deliverable.fields.begin(); field != deliverable.fields.end(); ++field) {
      if (std::find(names.begin(), names.end(), field->first) != names.end()) continue;
      auto before = names.end();
      for (auto later = std::next(field); later != deliverable.fields.end() && before == names.end(); ++later)
        before = std::find(names.begin(), names.end(), later->first);
      names.insert(before, field->first);
    }
  return names;
}

std::string date_of(const PublishedDate& date) {
  switch (date.precision) {
    case PublishedDate::Precision::day:
      return format_date_iso(date.date);
    case PublishedDate::Precision::month:
      return format_date_iso(date.date).substr(0, 7);
    default:
      return std::to_string(date.date.year);
  }
}

std::string precision_of(const PublishedDate& date) {
  switch (date.precision) {
    case PublishedDate::Precision::day:
      return "day";
    case PublishedDate::Precision::month:
      return "month";
    default:
      return "year";
  }
}

json project_record(const SiteModel& model, const Pipeline& pipeline, const Project& project) {
  return {{"id", project.id},
          {"title", project.title},
          {"department", project.department},
          {"department_as_published", project.department_as_published},
          {"group", project.group},
          {"reference", project.reference},
          {"category", project.category},
          {"value", optional_number(project.value)},
          {"value_as_published", project.value_text},
          {"value_not_known", project.value ? json(nullptr) : json(project.value_unknown)},
          {"start", project.start ? json(date_of(*project.start)) : json(nullptr)},
          {"start_precision", project.start ? json(precision_of(*project.start)) : json(nullptr)},
          {"start_as_published", project.start_text},
          {"start_kind", std::string(start_kind_id(project.start_kind))},
          {"end", project.end ? json(date_of(*project.end)) : json(nullptr)},
          {"band", project.band.empty() ? json(nullptr) : json(project.band)},
          {"band_from_value", project.band_from_value.empty() ? json(nullptr) : json(project.band_from_value)},
          {"band_warning", project.band_warning},
          {"duplicate_of", project.duplicate_of.empty() ? json(nullptr) : json(project.duplicate_of)},
          {"notes", project.notes},
          {"url", model.config.base_url + pipeline.url.substr(1) + "#" + project.id}};
}

/// What `whole.dump(2) + "\n"` writes once its member `key` holds `items`.
std::string json_text_with_array(json whole, const std::string& key, std::string items) {
  whole[key] = json::array();
  auto text = whole.dump(2) + "\n";
  // Only a member of the top object starts a line with two spaces: this is where [] was written.
  const auto empty = "\n  " + json(key).dump() + ": []";
  return text.replace(text.find(empty) + empty.size() - 2, 2, items);
}

/// The pipeline as an Open Contracting (OCDS 1.1.5) release package: one planning release per project.
std::string ocds_package(const SiteModel& model, const Pipeline& pipeline, const std::string& published) {
  const auto& config = model.config;
  const auto buyer_id = !config.org_id.empty() ? config.org_id : config.ocid_prefix.empty() ? slugify(config.council) : config.ocid_prefix;
  json buyer_party = {{"id", buyer_id}, {"name", config.council}, {"roles", {"buyer"}}};
  // The council's organisation identifier (site.json org_id), as OCDS and org-id.guide write it.
  if (const auto org = split_org_id(config.org_id))
    buyer_party["identifier"] = {{"scheme", org->scheme}, {"id", org->id}, {"legalName", config.council}};
  JsonArrayWriter releases(2);
  for (const auto& project : pipeline.projects) {
    json tender = {{"id", project.id}, {"title", project.title}, {"status", "planned"}};
    if (project.value) tender["value"] = {{"amount", number(*project.value)}, {"currency", "GBP"}};
    // The plan's date is either when procurement starts or when the contract is expected to be awarded.
    if (project.start)
      tender[project.start_kind == StartKind::contract_award ? "awardPeriod" : "tenderPeriod"] = {
          {"startDate", format_date_iso(project.start->date) + "T00:00:00Z"}};
    if (!project.duplicate_of.empty())
      tender["description"] =
          "Listed again in the forward plan with the same title and value as " + config.ocid_prefix + "-" + project.duplicate_of + ".";
    if (!project.category.empty()) tender["mainProcurementCategory"] = project.category;
    json release = {{"ocid", config.ocid_prefix + "-" + project.id},
                    {"id", project.id + "-planning"},
                    {"date", published},
                    {"tag", {"planning"}},
                    {"initiationType", "tender"},
                    {"parties", json::array({buyer_party})},
                    {"buyer", {{"id", buyer_id}, {"name", config.council}}},
                    {"tender", std::move(tender)}};
    if (project.value) release["planning"] = {{"budget", {{"amount", {{"amount", number(*project.value)}, {"currency", "GBP"}}}}}};
    releases.add(release);
  }
  json publisher = {{"name", config.council}};
  if (const auto org = split_org_id(config.org_id)) {
    publisher["scheme"] = org->scheme;
    publisher["uid"] = org->id;
  }
  const json package = {{"uri", config.base_url + "data/procurement/pipeline-ocds.json"},
                        {"version", "1.1"},
                        {"publishedDate", published},
                        {"publisher", publisher},
                        {"license", config.licence_url}};
  return json_text_with_array(package, "releases", releases.take());
}

}  // namespace

std::string spreadsheet_safe_text(std::string_view text) {
  constexpr std::string_view formula_starts = "=+-@\t\r";
  // A text that already starts with the quote and one of those gets one more, so that
  // unquote_spreadsheet_text gives back exactly what was written.
  const bool quoted_formula = text.size() > 1 && text[0] == '\'' && (formula_starts.find(text[1]) != std::string_view::npos || text[1] == '\'');
  if (text.empty() || (formula_starts.find(text.front()) == std::string_view::npos && !quoted_formula)) return std::string(text);
  return "'" + std::string(text);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csv_field(fields[i]);
  return line + "\r\n";
}

/// trend.csv: one row per period and kind, published counts where the council gave them.
std::string trend_csv(const SiteModel& model, const Plan& plan) {
  const auto counted = counted_trend(plan, model.config.ratings);
  json rows = json::array();
  auto count = [](const std::optional<int>& value) { return value ? json(*value) : json(nullptr); };
  for (std::size_t p = 0; p < plan.periods.size(); ++p)
    for (const bool measures : {false, true}) {
      const PeriodCounts* shown = nullptr;
      bool published = false;
      for (const auto& counts : plan.trend)
        if (counts.period == p && counts.measures == measures) shown = &counts, published = true;
      // Where the council published counts, only its periods: counts made from a few ratings of
      // an earlier year would read as the council's trend.
      if (!shown && plan.trend.empty())
        for (const auto& counts : counted)
          if (counts.period == p && counts.measures == measures) shown = &counts;
      if (!shown) continue;
      rows.push_back({{"period", plan.periods[p].id},
                      {"label", plan.periods[p].label},
                      {"end", format_date_iso(plan.periods[p].end)},
                      {"kind", measures ? "measures" : "deliverables"},
                      {"strong", count(shown->ratings[3])},
                      {"good", count(shown->ratings[2])},
                      {"review", count(shown->ratings[1])},
                      {"action", count(shown->ratings[0])},
                      {"no_rating", count(shown->no_rating)},
                      {"improving", count(shown->improving)},
                      {"no_change", count(shown->no_change)},
                      {"declining", count(shown->declining)},
                      {"completed", count(shown->completed)},
                      {"counted_from", published ? "published" : "ratings"}});
    }
  return to_csv(rows, {"period", "label", "end", "kind", "strong", "good", "review", "action", "no_rating", "improving", "no_change", "declining",
                       "completed", "counted_from"});
}

void export_plan(const SiteModel& model, const Plan& plan, std::vector<Dataset>& datasets) {
  const auto first = datasets.size();
  const auto base = "data/plans/" + slug_of(plan.url) + "/";
  const auto date = latest_period_end(plan);
  JsonArrayWriter deliverables;
  CsvWriter deliverables_csv({"id", "priority", "priority_title", "title", "lead", "department", "start", "due", "original_due", "completed", "stage",
                              "rating", "rating_period", "travel", "url",
                              // Added with service plans, after the columns that were there before.
                              "number", "other_priorities", "start_as_published", "due_as_published", "success_measures", "council_plan",
                              "council_plan_deliverable", "department_ids",
                              // Added with plans kept as CSV tables: all that plan.json says of a deliverable.
                              "measures", "source_document", "source_section", "source_page", "source_url"},
                             field_columns(plan));
  for (const auto& d : plan.deliverables) {
    const auto record = deliverable_record(model, plan, d);
    deliverables.add(record);
    deliverables_csv.add(record);
  }
  JsonArrayWriter measures;
  CsvWriter measures_csv({"id", "priority", "title", "unit", "direction", "target", "target_as_published", "latest_value", "latest_period", "as_of",
                          "rating", "rating_reason", "published_rating", "travel", "status", "benchmark_label", "benchmark_value", "responsible",
                          "url", "number", "department", "department_ids",
                          // Added with plans kept as CSV tables.
                          "note", "source_document", "source_section", "source_page", "source_url", "last_period_target",
                          "last_period_target_as_published"});
  CsvWriter values_csv(
      {"measure", "period", "value", "value_as_published", "target", "target_as_published", "rating", "published_rating", "as_of", "target_read_as"});
  for (const auto& m : plan.measures) {
    const auto record = measure_record(model, plan, m);
    for (auto value : record.at("values")) {
      value["measure"] = m.id;
      values_csv.add(value);
    }
    measures.add(record);
    measures_csv.add(record);
  }
  const auto& labels = plan.labels;
  auto add = [&](std::string name, std::string what, std::string format, std::string description, std::string bytes) {
    const bool is_csv = format == "CSV";
    datasets.push_back({base + name, plan.title + ": " + what, format, is_csv ? "text/csv" : "application/json", std::move(description), date,
                        std::move(bytes), source_text(plan.source)});
  };
  json periods = json::array(), priorities = json::array();
  for (const auto& period : plan.periods)
    periods.push_back({{"id", period.id},
                       {"label", period.label},
                       {"end", format_date_iso(period.end)},
                       {"heading", period.heading.empty() ? json(nullptr) : json(period.heading)}});
  for (const auto& priority : plan.priorities)
    priorities.push_back({{"id", priority.id},
                          {"title", priority.title},
                          {"summary", priority.summary.empty() ? json(nullptr) : json(priority.summary.text)},
                          {"kind", priority.kind == PriorityKind::council      ? json("council")
                                   : priority.kind == PriorityKind::department ? json("department")
                                                                               : json(nullptr)}});
  const auto d_text = "Every " + labels.deliverable + " with its dates and latest rating.";
  const auto m_text = "Every " + labels.measure + " with its target, latest value and the rating plainsight computes from them.";
  add("deliverables.json", labels.deliverables, "JSON", d_text, deliverables.take() + "\n");
  add("deliverables.csv", labels.deliverables, "CSV", d_text, deliverables_csv.take());
  add("measures.json", labels.measures, "JSON", m_text + " Includes every value.", measures.take() + "\n");
  add("measures.csv", labels.measures, "CSV", m_text, measures_csv.take());
  add("measure-values.csv", labels.measures + " values over time", "CSV",
      "One row per " + labels.measure +
          " and period: the value and target as read and as published, the rating computed against that "
          "period's own target, and the rating the council published.",
      values_csv.take());
  json updates = json::array();
  for (const auto& d : plan.deliverables)
    for (const auto& update : d.updates)
      updates.push_back({{"deliverable", d.id},
                         {"period", plan.periods[update.period].id},
                         {"rating", optional_rating(update.rating)},
                         {"text", update.text.text}});
  add("updates.csv", labels.deliverable + " updates", "CSV", "Every " + labels.deliverable + "'s rating and commentary (Markdown) for each period.",
      to_csv(updates, {"deliverable", "period", "rating", "text"}));
  if (!plan.risks.empty()) {
    json risks = json::array();
    for (const auto& risk : plan.risks)
      risks.push_back({{"id", risk.id},
                       {"department", risk.department.empty() ? plan.department : risk.department},
                       {"department_ids", department_ids(model, risk.department.empty() ? plan.department : risk.department)},
                       {"priority", risk.priority},
                       {"priority_title", plan.priority_title(risk.priority)},
                       {"title", risk.title.empty() ? json(nullptr) : json(risk.title)},
                       {"risk", risk.none.empty() ? json(risk.text.text) : json(nullptr)},
                       {"mitigations", risk.mitigations.empty() ? json(nullptr) : json(risk.mitigations.text)},
                       {"none_identified", risk.none.empty() ? json(nullptr) : json(risk.none)}});
    const auto r_text = "Every " + labels.risk +
                        " with the priority it threatens and its mitigations (Markdown); none_identified keeps the council's "
                        "words where it lists no risk under a priority.";
    add("risks.json", labels.risks, "JSON", r_text, risks.dump(2) + "\n");
    add("risks.csv", labels.risks, "CSV", r_text,
        to_csv(risks, {"id", "department", "department_ids", "priority", "priority_title", "title", "risk", "mitigations", "none_identified"}));
  }
  add("trend.csv", "ratings and direction of travel by period", "CSV",
      "For each period, how many " + labels.deliverables + " and " + labels.measures +
          " had each rating and which way they moved: as the council's report counts them where it does (counted_from: published), "
          "otherwise as the ratings given here add up (counted_from: ratings).",
      trend_csv(model, plan));
  // Added with the quarterly workflow, after the tables that were there before.
  add("periods.csv", "reporting periods", "CSV",
      "The plan's reporting periods, oldest first: the id other tables name, the label shown, the day it ends, and the column heading the "
      "document prints for it.",
      to_csv(periods, {"id", "label", "end", "heading"}));
  add("priorities.csv", labels.priorities, "CSV",
      "Every " + labels.priority + " with its summary (Markdown) and, in a service plan, whether it is the Council's or the department's own.",
      to_csv(priorities, {"id", "title", "summary", "kind"}));
  const auto& l = plan.labels;
  json settings = json::array({with_source({{"title", plan.title},
                                            {"department", optional_text(plan.department)},
                                            {"direction_of_travel", plan.travel_rule == TravelRule::values ? "values" : "ratings"},
                                            {"browse_by",
                                             [&] {
                                               json names = json::array();
                                               for (const auto& field : plan.browse) names.push_back(field.name);
                                               return names;
                                             }()},
                                            {"label_priority", l.priority},
                                            {"label_priorities", l.priorities},
                                            {"label_deliverable", l.deliverable},
                                            {"label_deliverables", l.deliverables},
                                            {"label_measure", l.measure},
                                            {"label_measures", l.measures},
                                            {"label_risk", l.risk},
                                            {"label_risks", l.risks}},
                                           plan.source)});
  add("plan.csv", "the plan itself", "CSV",
      "One row: the plan's title, its department (for a service plan), how direction of travel is decided, the fields its " + labels.deliverables +
          " can be browsed by (one to a line), the document it comes from, and the words it uses for its parts.",
      to_csv(settings, plan_csv_columns));
  label_collection(datasets, first, plan.title, plan.url);
}

void export_budget(const SiteModel& model, const Budget& budget, std::vector<Dataset>& datasets) {
  const auto first = datasets.size();
  const auto base = "data/budgets/" + slug_of(budget.url) + "/";
  json income = json::array(), spending = json::array(), cells = json::array(), savings = json::array();
  for (const auto& line : budget.income) income.push_back({{"source", line.source}, {"amount", number(line.amount)}});
  for (const auto& line : budget.spending)
    spending.push_back({{"service", line.service}, {"amount", optional_number(line.amount)}, {"per_head", optional_number(line.per_head)}});
  for (const auto& table : budget.tables) {
    auto add_row = [&](const BudgetTableRow& row, bool is_total) {
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        if (row.values[c])
          cells.push_back({{"department", table.department},
                           {"division", row.label},
                           {"category", table.columns[c]},
                           {"amount", number(*row.values[c] * table.unit)},
                           {"is_total_row", is_total}});
    };
    for (const auto& row : table.rows) add_row(row, false);
    if (table.total) add_row(*table.total, true);
  }
  for (const auto& line : budget.savings)
    savings.push_back({{"item", line.item},
                       {"department", line.department.empty() ? json(nullptr) : json(line.department)},
                       {"department_ids", department_ids(model, line.department)},
                       {"amount", number(line.amount)},
                       {"status", line.status},
                       {"note", line.note.empty() ? json(nullptr) : json(line.note)}});
  const json whole = {{"title", budget.title},
                      {"year", budget.year},
                      {"currency", budget.currency},
                      {"total", optional_number(budget.total)},
                      {"income", income},
                      {"spending", spending},
                      {"controllable", cells},
                      {"savings", savings},
                      {"url", model.config.base_url + budget.url.substr(1)}};
  const std::string date = budget.year.size() >= 4 ? budget.year.substr(0, 4) + "-04-01" : "";
  auto add = [&](std::string name, std::string what, std::string format, std::string description, std::string bytes) {
    datasets.push_back({base + name, budget.title + ": " + what, format, format == "CSV" ? "text/csv" : "application/json", std::move(description),
                        date, std::move(bytes), budget.source});
  };
  add("budget.json", "the whole budget", "JSON", "Income, spending, controllable budgets by division and category, and savings.",
      whole.dump(2) + "\n");
  add("income.csv", "income by source", "CSV", "Where the money comes from.", to_csv(income, {"source", "amount"}));
  add("spending.csv", "spending by service", "CSV", "Spending by service, in pounds and per resident where published.",
      to_csv(spending, {"service", "amount", "per_head"}));
  if (!cells.empty())
    add("controllable.csv", "approved controllable budgets", "CSV",
        "Every figure of every department's table: department, division, spending category, amount in pounds.",
        to_csv(cells, {"department", "division", "category", "amount", "is_total_row"}));
  if (!savings.empty())
    add("savings.csv", "savings", "CSV", "Savings and their status.",
        to_csv(savings, {"item", "amount", "status", "department", "note", "department_ids"}));
  label_collection(datasets, first, budget.title, budget.url);
}

void export_pipeline(const SiteModel& model, const Pipeline& pipeline, std::vector<Dataset>& datasets) {
  const auto first = datasets.size();
  const auto& meta = model.pages[find_page(model, pipeline.url)].meta;
  const auto published_date = meta.updated ? meta.updated : meta.date;
  const auto published = published_date ? format_date_rfc3339(*published_date) : "";
  const auto base = "data/" + slug_of(pipeline.url) + "/";
  const auto date = published.substr(0, 10);
  const std::string what = "the forward plan of procurement projects";
  const std::string described =
      "Every project with its value and date as published and as parsed, what the date means, its band, and the row it repeats if any.";
  JsonArrayWriter projects;
  CsvWriter projects_csv({"id",
                          "title",
                          "department",
                          "department_as_published",
                          "group",
                          "reference",
                          "category",
                          "value",
                          "value_as_published",
                          "value_not_known",
                          "start",
                          "start_precision",
                          "start_as_published",
                          "start_kind",
                          "end",
                          "band",
                          "band_from_value",
                          "band_warning",
                          "duplicate_of",
                          "notes",
                          "url"});
  for (const auto& project : pipeline.projects) {
    const auto record = project_record(model, pipeline, project);
    projects.add(record);
    projects_csv.add(record);
  }
  datasets.push_back({base + "pipeline.json", "Upcoming contracts: " + what, "JSON", "application/json", described, date, projects.take() + "\n"});
  datasets.push_back({base + "pipeline.csv", "Upcoming contracts: " + what, "CSV", "text/csv", described, date, projects_csv.take()});
  datasets.push_back({base + "pipeline-ocds.json", "Upcoming contracts: Open Contracting release package", "OCDS JSON", "application/json",
                      "One OCDS 1.1.5 planning release per project, for procurement tools that read the Open Contracting Data Standard.", date,
                      ocds_package(model, pipeline, published)});
  // The page names the document the forward plans come from (front matter `source`).
  for (auto i = first; i < datasets.size(); ++i) datasets[i].source = meta.source;
  label_collection(datasets, first, meta.title, pipeline.url);
}

namespace {
/// A dataset's texts, as write_dataset() writes them and read_dataset() reads them back.
constexpr std::array dataset_texts = {&Dataset::path,        &Dataset::title, &Dataset::format,        &Dataset::media_type,
                                      &Dataset::description, &Dataset::date,  &Dataset::bytes,         &Dataset::source,
                                      &Dataset::collection,  &Dataset::page,  &Dataset::coverage_start};
}  // namespace

void write_dataset(ByteWriter& out, const Dataset& dataset) {
  for (const auto text : dataset_texts) out.text_in_place(dataset.*text);
  out.text(dataset.schema.is_null() ? "" : dataset.schema.dump());
}

bool read_dataset(ByteReader& in, Dataset& dataset) {
  for (const auto text : dataset_texts) dataset.*text = in.text();
  const auto schema = in.text();
  dataset.schema = schema.empty() ? json(nullptr) : json::parse(schema, nullptr, false);
  return !in.failed() && !dataset.schema.is_discarded();
}

json csv_table_schema(std::string_view csv) {
  Diagnostics unused;
  const auto table = parse_csv(csv, "data.csv", unused);
  json fields = json::array();
  if (!table) return {{"fields", fields}};
  auto all = [&](std::size_t column, auto fits) {
    bool any = false;
    for (const auto& row : table->rows) {
      const auto& text = row[column].text;
      if (text.empty()) continue;
      if (!fits(std::string_view(text))) return false;
      any = true;
    }
    return any;
  };
  auto is_number = [](std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && text.front() != '+' && text.front() != '.';
  };
  for (std::size_t c = 0; c < table->header.size(); ++c) {
    std::string type = "string";
    if (all(c, [&](std::string_view text) { return is_number(text) && text.find_first_of(".eE") == std::string_view::npos; }))
      type = "integer";
    else if (all(c, is_number))
      type = "number";
    else if (all(c, [](std::string_view text) { return text.size() == 10 && parse_iso_date(text).has_value(); }))
      type = "date";
    else if (all(c, [](std::string_view text) { return text == "true" || text == "false"; }))
      type = "boolean";
    fields.push_back({{"name", table->header[c]}, {"type", type}});
  }
  return {{"fields", fields}};
}

std::string data_package(const SiteModel& model, const std::vector<Dataset>& datasets, unsigned jobs) {
  std::vector<json> read_back(datasets.size());
  parallel_for(datasets.size(), jobs, [&](std::size_t d) {
    if (datasets[d].format == "CSV" && datasets[d].schema.is_null()) read_back[d] = csv_table_schema(datasets[d].bytes);
  });
  json resources = json::array();
  for (std::size_t d = 0; d < datasets.size(); ++d) {
    const auto& dataset = datasets[d];
    auto name = dataset.path.substr(5);
    for (auto& c : name)
      if (c == '/' || c == '.') c = '-';
    resources.push_back({{"name", name},
                         {"path", dataset.path.substr(5)},
                         {"title", dataset.title},
                         {"description", dataset.description},
                         {"format", dataset.format == "CSV" ? "csv" : "json"},
                         {"mediatype", dataset.media_type},
                         {"encoding", "utf-8"},
                         {"bytes", dataset.bytes.size()}});
    if (!dataset.source.empty()) resources.back()["sources"] = json::array({{{"title", dataset.source}}});
    // Every CSV is a table whose fields name its columns with their types, for validators to check.
    if (dataset.format == "CSV") {
      resources.back()["type"] = "table";
      resources.back()["schema"] = dataset.schema.is_null() ? std::move(read_back[d]) : dataset.schema;
    }
  }
  json package = {{"name", "open-data"},
                  {"title", model.config.title + ": open data"},
                  {"homepage", model.config.base_url + "data/"},
                  {"licenses", {{{"title", model.config.licence}, {"path", model.config.licence_url}}}},
                  {"resources", std::move(resources)}};
  return package.dump(2) + "\n";
}

void export_departments(const SiteModel& model, std::vector<Dataset>& datasets) {
  const auto first = datasets.size();
  if (model.departments.empty()) return;
  json departments = json::array();
  std::string date;
  for (std::size_t d = 0; d < model.departments.size(); ++d) {
    const auto& department = model.departments[d];
    const auto facts = facts_of_department(model, d);
    for (const auto* plan : facts.service_plans) date = std::max(date, latest_period_end(*plan));
    departments.push_back({{"id", department.slug},
                           {"name", department.title},
                           {"short_names", department.short_names},
                           {"other_names", department.other_names},
                           {"divisions", department.divisions},
                           {"director", department.director.empty() ? json(nullptr) : json(department.director)},
                           {"net_budget", optional_number(facts.net_budget)},
                           {"service_plans", facts.service_plans.size()},
                           {"actions", facts.actions},
                           {"kpis", facts.measures},
                           {"risks", facts.risks},
                           {"contracts", std::count_if(facts.contracts.begin(), facts.contracts.end(),
                                                       [](const auto& entry) { return entry.second->duplicate_of.empty(); })},
                           {"url", model.config.base_url + department.url.substr(1)}});
  }
  const auto description = std::string(
      "Each department with the names it goes by, its divisions, its latest net controllable budget as published (in pounds, null "
      "where none is published) and how many actions, key performance measures, key risks (not counting \"None\") and forward-plan "
      "contracts the site holds for it (a repeated row counted once).");
  // Its figures come from the departments' own documents and from the budgets and plans they name.
  std::vector<std::string> sources;
  auto add_source = [&](const std::string& source) {
    if (!source.empty() && std::find(sources.begin(), sources.end(), source) == sources.end()) sources.push_back(source);
  };
  for (const auto& department : model.departments) add_source(department.source);
  for (const auto& plan : model.plans)
    if (!plan.department.empty()) add_source(source_text(plan.source));
  for (const auto& budget : model.budgets) add_source(budget.source);
  std::string source;
  for (const auto& each : sources) source += (source.empty() ? "" : "; ") + each;
  auto add = [&](std::string name, std::string format, std::string bytes) {
    datasets.push_back(
        {"data/" + name, "Departments", format, format == "CSV" ? "text/csv" : "application/json", description, date, std::move(bytes), source});
  };
  add("departments.json", "JSON", departments.dump(2) + "\n");
  add("departments.csv", "CSV",
      to_csv(departments, {"id", "name", "short_names", "other_names", "divisions", "director", "net_budget", "service_plans", "actions", "kpis",
                           "risks", "contracts", "url"}));
  label_collection(datasets, first, "Departments", model.departments_url);
}

void export_dataset(const TabularDataset& dataset, std::vector<Dataset>& datasets) {
  const auto first = datasets.size();
  auto folder = dataset.url;
  while (!folder.empty() && folder.front() == '/') folder.erase(0, 1);
  const auto base = "data/" + folder;
  const auto& fields = dataset.schema.fields;
  std::vector<std::string> header;
  for (const auto& field : fields) header.push_back(field.name);
  std::string csv = csv_row(header);
  json rows = json::array();
  std::string earliest, latest;
  for (const auto& row : dataset.rows) {
    std::vector<std::string> cells;
    json record = json::object();
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const auto& value = row.values[c];
      const auto text = normalised_value(fields[c], value);
      cells.push_back(fields[c].type == FieldType::string ? spreadsheet_safe_text(text) : text);
      if (value.missing)
        record[fields[c].name] = nullptr;
      else if (value.number)
        record[fields[c].name] = number(*value.number);
      else if (value.boolean)
        record[fields[c].name] = *value.boolean;
      else
        record[fields[c].name] = text;
      if (value.date) {
        latest = std::max(latest, text);
        earliest = earliest.empty() ? text : std::min(earliest, text);
      }
    }
    csv += csv_row(cells);
    rows.push_back(std::move(record));
  }
  // The schema of the published CSV: its values are normalised, so no formats are needed to read them.
  json schema_fields = json::array();
  for (const auto& field : fields) {
    json entry = {{"name", field.name}, {"type", std::string(field_type_name(field.type))}};
    if (!field.title.empty()) entry["title"] = field.title;
    if (!field.description.empty()) entry["description"] = field.description;
    json constraints = json::object();
    if (field.required) constraints["required"] = true;
    if (field.unique) constraints["unique"] = true;
    if (!field.enum_values.empty()) constraints["enum"] = field.enum_values;
    if (!constraints.empty()) entry["constraints"] = std::move(constraints);
    schema_fields.push_back(std::move(entry));
  }
  const json schema = {{"fields", std::move(schema_fields)}};
  auto add = [&](const std::string& name, const std::string& what, const std::string& format, const std::string& media, std::string bytes) {
    datasets.push_back({base + name, dataset.title + what, format, media,
                        fmt::format("{} rows of {}, with the columns its Table Schema describes.", dataset.rows.size(), dataset.title), latest,
                        std::move(bytes), dataset.source});
  };
  add("data.csv", "", "CSV", "text/csv", std::move(csv));
  datasets.back().schema = schema;
  add("data.json", "", "JSON", "application/json", rows.dump(2) + "\n");
  add("schema.json", ": Table Schema", "JSON", "application/schema+json", schema.dump(2) + "\n");
  label_collection(datasets, first, dataset.title, dataset.url);
  for (auto i = first; i < datasets.size(); ++i) datasets[i].coverage_start = earliest;
}

namespace {

json publisher_jsonld(const SiteModel& model) {
  json publisher = {{"@type", "GovernmentOrganization"}, {"name", model.config.council.empty() ? model.config.title : model.config.council}};
  if (!model.config.org_id.empty()) publisher["identifier"] = model.config.org_id;
  return publisher;
}

/// The Dataset of one item (a plan, a budget, a dataset …): its files are its distributions.
json dataset_jsonld(const SiteModel& model, const std::vector<const Dataset*>& files) {
  const auto& first = *files.front();
  std::string earliest, latest;
  json distributions = json::array();
  for (const auto* file : files) {
    distributions.push_back(
        {{"@type", "DataDownload"}, {"name", file->title}, {"contentUrl", model.config.base_url + file->path}, {"encodingFormat", file->media_type}});
    for (const auto& date : {file->coverage_start, file->date})
      if (!date.empty()) {
        if (earliest.empty() || date < earliest) earliest = date;
        if (latest.empty() || date > latest) latest = date;
      }
  }
  // The item's page says what it is; a file's description says what the file holds.
  const auto page = first.page.empty() ? std::string::npos : find_page(model, first.page);
  const auto summary = page == std::string::npos ? std::string() : model.pages[page].meta.summary;
  json dataset = {{"@type", "Dataset"},
                  {"name", first.collection},
                  {"description", summary.empty() ? first.description : summary},
                  {"url", model.config.base_url + (first.page.empty() ? std::string("data/") : first.page.substr(1))},
                  {"license", model.config.licence_url},
                  {"isAccessibleForFree", true},
                  {"publisher", publisher_jsonld(model)},
                  {"distribution", std::move(distributions)}};
  if (!latest.empty()) dataset["temporalCoverage"] = earliest == latest ? latest : earliest + "/" + latest;
  return dataset;
}

/// JSON that a browser reads inside <script> as it is: "</" could end the element.
std::string script_safe(const json& value) {
  auto text = value.dump(1);
  for (std::size_t at = 0; (at = text.find("</", at)) != std::string::npos; at += 3) text.replace(at, 2, "<\\/");
  return text;
}

}  // namespace

std::string open_data_jsonld(const SiteModel& model, const std::vector<Dataset>& datasets, const std::string& page) {
  // The items, in the order their files were published.
  std::vector<std::vector<const Dataset*>> items;
  for (const auto& file : datasets) {
    if (file.collection.empty() || (!page.empty() && file.page != page)) continue;
    auto found = std::find_if(items.begin(), items.end(), [&](const auto& item) { return item.front()->collection == file.collection; });
    if (found == items.end())
      items.push_back({&file});
    else
      found->push_back(&file);
  }
  if (items.empty()) return {};
  json value;
  if (!page.empty()) {
    value = dataset_jsonld(model, items.front());
  } else {
    json all = json::array();
    for (const auto& item : items) all.push_back(dataset_jsonld(model, item));
    value = {{"@type", "DataCatalog"},
             {"name", model.config.title + ": open data"},
             {"description", model.config.description},
             {"url", model.config.base_url + "data/"},
             {"license", model.config.licence_url},
             {"publisher", publisher_jsonld(model)},
             {"dataset", std::move(all)}};
  }
  value["@context"] = "https://schema.org";
  return script_safe(value);
}

}  // namespace plainsight
