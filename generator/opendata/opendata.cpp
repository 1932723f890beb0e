#include "opendata/opendata.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/format.hpp"

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
std::string text_of(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string plan_slug(const Plan& plan) {
  auto trimmed = plan.url.substr(0, plan.url.size() - 1);
  return trimmed.substr(trimmed.rfind('/') + 1);
}

std::string latest_period_end(const Plan& plan) { return plan.periods.empty() ? "" : format_date_iso(plan.periods.back().end); }

json deliverable_record(const SiteModel& model, const Plan& plan, const Deliverable& d) {
  std::optional<std::size_t> rated_period;
  for (const auto& update : d.updates)
    if (update.rating) rated_period = update.period;
  json fields = json::object();
  for (const auto& [name, value] : d.fields) fields[name] = value;
  return {{"id", d.id},
          {"priority", d.priority},
          {"priority_title", plan.priorities[plan.priority_index(d.priority)].title},
          {"title", d.title},
          {"lead", d.lead},
          {"department", d.department},
          {"start", optional_date(d.start)},
          {"due", optional_date(d.due)},
          {"original_due", optional_date(d.original_due)},
          {"completed", optional_date(d.completed)},
          {"stage", d.stage},
          {"rating", optional_rating(d.rating)},
          {"rating_period", rated_period ? json(plan.periods[*rated_period].id) : json(nullptr)},
          {"travel", std::string(travel_id(d.travel))},
          {"fields", std::move(fields)},
          {"url", model.config.base_url + plan.url.substr(1) + "deliverables/" + d.id + "/"}};
}

json measure_record(const SiteModel& model, const Plan& plan, const Measure& m) {
  json values = json::array();
  for (const auto& value : m.values)
    values.push_back({{"period", plan.periods[value.period].id}, {"value", optional_number(value.value)},
                      {"rating", optional_rating(m.rating_in(value.period, model.config.ratings))}});
  const auto latest = m.latest ? &m.values[*m.latest] : nullptr;
  return {{"id", m.id},
          {"priority", m.priority},
          {"title", m.title},
          {"unit", m.unit},
          {"direction", m.direction == Direction::higher ? "higher" : m.direction == Direction::lower ? "lower" : "none"},
          {"target", optional_number(m.target)},
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
          {"values", std::move(values)}};
}

/// A CSV of flat records; nested values (fields, values) are left to the JSON.
std::string to_csv(const json& records, const std::vector<std::string>& columns) {
  std::string csv = csv_row(columns);
  for (const auto& record : records) {
    std::vector<std::string> row;
    for (const auto& column : columns) row.push_back(text_of(record.value(column, json(nullptr))));
    csv += csv_row(row);
  }
  return csv;
}

}  // namespace

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

std::vector<Dataset> export_datasets(const SiteModel& model) {
  std::vector<Dataset> datasets;
  for (const auto& plan : model.plans) {
    const auto base = "data/plans/" + plan_slug(plan) + "/";
    const auto date = latest_period_end(plan);
    json deliverables = json::array(), measures = json::array(), values = json::array();
    for (const auto& d : plan.deliverables) deliverables.push_back(deliverable_record(model, plan, d));
    for (const auto& m : plan.measures) {
      auto record = measure_record(model, plan, m);
      for (const auto& value : record["values"]) values.push_back({{"measure", m.id}, {"period", value["period"]}, {"value", value["value"]}, {"rating", value["rating"]}});
      measures.push_back(std::move(record));
    }
    const auto& labels = plan.labels;
    auto add = [&](std::string name, std::string what, std::string format, std::string description, std::string bytes) {
      const bool is_csv = format == "CSV";
      datasets.push_back({base + name, plan.title + ": " + what, format, is_csv ? "text/csv" : "application/json", std::move(description), date,
                          std::move(bytes)});
    };
    const auto d_text = "Every " + labels.deliverable + " with its dates and latest rating.";
    const auto m_text = "Every " + labels.measure + " with its target, latest value and the rating plainsight computes from them.";
    add("deliverables.json", labels.deliverables, "JSON", d_text, deliverables.dump(2) + "\n");
    add("deliverables.csv", labels.deliverables, "CSV", d_text,
        to_csv(deliverables, {"id", "priority", "priority_title", "title", "lead", "department", "start", "due", "original_due", "completed",
                              "stage", "rating", "rating_period", "travel", "url"}));
    add("measures.json", labels.measures, "JSON", m_text + " Includes every value.", measures.dump(2) + "\n");
    add("measures.csv", labels.measures, "CSV", m_text,
        to_csv(measures, {"id", "priority", "title", "unit", "direction", "target", "latest_value", "latest_period", "as_of", "rating",
                          "rating_reason", "published_rating", "travel", "status", "benchmark_label", "benchmark_value", "responsible", "url"}));
    add("measure-values.csv", labels.measures + " values over time", "CSV", "One row per " + labels.measure + " and period, with the computed rating.",
        to_csv(values, {"measure", "period", "value", "rating"}));
  }
  return datasets;
}

std::string data_package(const SiteModel& model, const std::vector<Dataset>& datasets) {
  json resources = json::array();
  for (const auto& dataset : datasets) {
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
  }
  json package = {{"name", "open-data"},
                  {"title", model.config.title + ": open data"},
                  {"homepage", model.config.base_url + "data/"},
                  {"licenses", {{{"name", "OGL-UK-3.0"}, {"title", model.config.licence}, {"path", model.config.licence_url}}}},
                  {"resources", std::move(resources)}};
  return package.dump(2) + "\n";
}

}  // namespace plainsight
