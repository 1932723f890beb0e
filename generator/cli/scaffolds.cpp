#include "cli/scaffolds.hpp"

#include <fmt/format.h>

#include "core/dates.hpp"
#include "core/text.hpp"

namespace plainsight::cli {

// The columns are those the Code lists for each dataset (Part 2: expenditure exceeding £500,
// Government Procurement Card transactions, and contracts over £5,000), in its order.
const std::vector<DatasetScaffold>& dataset_scaffolds() {
  static const std::vector<DatasetScaffold> scaffolds = {
      {"table", "a table of your own: rename and add the columns in schema.json",
       R"json({
  "fields": [
    {"name": "item", "title": "Item", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "Amount (£)", "type": "number", "groupChar": ","}
  ]
}
)json",
       "totals: [amount]\n"},
      {"spend-over-500", "spending over £500 (Transparency Code 2015): every item of expenditure over £500, published quarterly",
       R"json({
  "fields": [
    {"name": "date", "title": "Date the expenditure was incurred", "type": "date", "format": "%d/%m/%Y", "constraints": {"required": true}},
    {"name": "department", "title": "Department which incurred the expenditure", "type": "string", "constraints": {"required": true}},
    {"name": "beneficiary", "title": "Beneficiary", "type": "string", "constraints": {"required": true}},
    {"name": "purpose", "title": "Summary of the purpose of the expenditure", "type": "string"},
    {"name": "amount", "title": "Amount (£)", "type": "number", "groupChar": ",", "bareNumber": false, "constraints": {"required": true}},
    {"name": "irrecoverable_vat", "title": "VAT that cannot be recovered (£)", "type": "number", "groupChar": ",", "bareNumber": false},
    {"name": "merchant_category", "title": "Merchant category", "type": "string"}
  ]
}
)json",
       "group_by: [beneficiary, department]\ntotals: [amount]\n"},
      {"procurement-card", "procurement card transactions (Transparency Code 2015): every transaction, of any value, published quarterly",
       R"json({
  "fields": [
    {"name": "date", "title": "Date of the transaction", "type": "date", "format": "%d/%m/%Y", "constraints": {"required": true}},
    {"name": "department", "title": "Department which incurred the expenditure", "type": "string", "constraints": {"required": true}},
    {"name": "beneficiary", "title": "Beneficiary", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "title": "Amount (£)", "type": "number", "groupChar": ",", "bareNumber": false, "constraints": {"required": true}},
    {"name": "irrecoverable_vat", "title": "VAT that cannot be recovered (£)", "type": "number", "groupChar": ",", "bareNumber": false},
    {"name": "purpose", "title": "Summary of the purpose of the expenditure", "type": "string"},
    {"name": "merchant_category", "title": "Merchant category", "type": "string"}
  ]
}
)json",
       "group_by: [merchant_category, department]\ntotals: [amount]\n"},
      {"contracts-over-5000", "contracts over £5,000 (Transparency Code 2015): every contract, invitation to tender and quote, published quarterly",
       R"json({
  "fields": [
    {"name": "reference", "title": "Reference number", "type": "string", "constraints": {"required": true, "unique": true}},
    {"name": "title", "title": "Title of agreement", "type": "string", "constraints": {"required": true}},
    {"name": "department", "title": "Department responsible", "type": "string"},
    {"name": "description", "title": "Description of the goods and/or services", "type": "string"},
    {"name": "supplier", "title": "Supplier name and details", "type": "string"},
    {"name": "value", "title": "Sum to be paid over the contract, or estimated annual spending (£)", "type": "number", "groupChar": ",", "bareNumber": false},
    {"name": "irrecoverable_vat", "title": "VAT that cannot be recovered (£)", "type": "number", "groupChar": ",", "bareNumber": false},
    {"name": "start", "title": "Start date", "type": "date", "format": "%d/%m/%Y"},
    {"name": "end", "title": "End date", "type": "date", "format": "%d/%m/%Y"},
    {"name": "review", "title": "Review date", "type": "date", "format": "%d/%m/%Y"},
    {"name": "procedure", "title": "Invitation to quote or published invitation to tender", "type": "string"},
    {"name": "sme_or_vcse", "title": "Supplier is an SME or a voluntary or community sector organisation", "type": "boolean", "trueValues": ["Yes", "yes", "Y"], "falseValues": ["No", "no", "N"]},
    {"name": "registration_number", "title": "Charity Commission or company registration number", "type": "string"}
  ]
}
)json",
       "group_by: [supplier, department]\ntotals: [value]\n"},
  };
  return scaffolds;
}

nlohmann::ordered_json plan_scaffold(const std::string& title, const std::string& today) {
  const int year = std::stoi(today.substr(0, 4)), month = std::stoi(today.substr(5, 2));
  const int quarter = month >= 4 ? (month - 4) / 3 + 1 : 4;  // April to March
  const int first_year = month >= 4 ? year : year - 1;
  const int end_month = quarter == 4 ? 3 : 3 + quarter * 3, end_year = quarter == 4 ? first_year + 1 : first_year;
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int end_day = end_month == 6 || end_month == 9 ? 30 : 31;
  return {{"title", title},
          {"periods",
           {{{"id", fmt::format("{}-{:02}-q{}", first_year, (first_year + 1) % 100, quarter)},
             {"label", fmt::format("{} {}", months[end_month - 1], end_year)},
             {"end", fmt::format("{:04}-{:02}-{:02}", end_year, end_month, end_day)}}}},
          {"priorities", {{{"id", "first-priority"}, {"title", "First priority"}, {"summary", "Say what the council means to achieve."}}}},
          {"deliverables", nlohmann::ordered_json::array()},
          {"measures", nlohmann::ordered_json::array()}};
}

namespace {

struct PeriodRow {
  std::string id, label, end;
};

/// The id a new period `label` ending on `end` gets, or why it cannot follow `periods`.
AddedPeriod check_new_period(const std::vector<PeriodRow>& periods, const std::string& label, const std::string& end) {
  AddedPeriod added;
  const auto date = parse_iso_date(end);
  if (!date || date->has_time) return {.id = "", .error = "--end " + end + " is not a date (expected YYYY-MM-DD)"};
  const bool quarter_end = (date->month == 3 || date->month == 12) ? date->day == 31 : (date->month == 6 || date->month == 9) && date->day == 30;
  if (quarter_end) {
    const int quarter = date->month >= 4 ? (date->month - 4) / 3 + 1 : 4, first_year = date->month >= 4 ? date->year : date->year - 1;
    added.id = fmt::format("{}-{:02}-q{}", first_year, (first_year + 1) % 100, quarter);
  } else {
    added.id = slugify(label);
  }
  // The loader's rule for ids: a–z, 0–9 and hyphens ("Été 2027" would not do).
  if (added.id.empty() || added.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
    return {.id = "",
            .error =
                "the period needs an id of letters a-z, digits and hyphens: give a label such as \"Summer 2027\", or end it on a quarter's "
                "last day"};
  for (const auto& period : periods)
    if (period.id == added.id || period.label == label)
      return {.id = "", .error = fmt::format("the plan has a period {} ({}) already", period.label.empty() ? period.id : period.label, period.id)};
  if (!periods.empty())
    if (const auto last = parse_iso_date(spreadsheet_date_as_iso(periods.back().end)); last && to_utc_minutes(*last) >= to_utc_minutes(*date))
      return {
          .id = "",
          .error = fmt::format("the plan's last period, {}, ends on {}: a new period must end after it", periods.back().label, periods.back().end)};
  return added;
}

}  // namespace

AddedPeriod add_period(nlohmann::ordered_json& plan, const std::string& label, const std::string& end) {
  if (!plan.is_object() || !plan.contains("periods") || !plan["periods"].is_array()) return {.id = "", .error = "the plan has no \"periods\" list"};
  auto& periods = plan["periods"];
  std::vector<PeriodRow> existing;
  for (const auto& period : periods)
    if (period.is_object())
      existing.push_back({period.value("id", std::string()), period.value("label", std::string()), period.value("end", std::string())});
  auto added = check_new_period(existing, label, end);
  if (!added.error.empty()) return added;
  // A measure's `target` and `published_rating` are the plan's last period's: they stay that
  // period's, written beside its value.
  const auto previous = periods.empty() || !periods.back().is_object() ? std::string() : periods.back().value("id", std::string());
  if (!previous.empty() && plan.contains("measures") && plan["measures"].is_array())
    for (auto& measure : plan["measures"]) {
      if (!measure.is_object()) continue;
      const bool has_target = measure.contains("target") && !measure["target"].is_null();
      const bool has_rating = measure.contains("published_rating") && !measure["published_rating"].is_null();
      if (!has_target && !has_rating) continue;
      auto& values = measure["values"];
      if (values.is_null()) values = nlohmann::ordered_json::array();
      if (!values.is_array()) continue;
      auto value =
          std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.is_object() && v.value("period", std::string()) == previous; });
      if (value == values.end()) {
        values.push_back({{"period", previous}});
        value = values.end() - 1;
      }
      for (const auto* key : {"target", "published_rating"})
        if (measure.contains(key) && !measure[key].is_null() && (!value->contains(key) || (*value)[key].is_null())) (*value)[key] = measure[key];
      // Erased last: erasing a key of an ordered object moves its other members, `values` among them.
      measure.erase("target");
      measure.erase("published_rating");
    }
  periods.push_back({{"id", added.id}, {"label", label}, {"end", end}});
  for (const auto* list : {"deliverables", "measures"}) {
    if (!plan.contains(list) || !plan[list].is_array()) continue;
    const bool deliverables = std::string_view(list) == "deliverables";
    for (auto& item : plan[list]) {
      if (!item.is_object()) continue;
      auto& rows = item[deliverables ? "updates" : "values"];
      if (rows.is_null()) rows = nlohmann::ordered_json::array();
      if (!rows.is_array()) continue;
      if (deliverables) {
        rows.push_back({{"period", added.id}, {"rating", nullptr}, {"text", ""}});
        ++added.deliverables;
      } else {
        rows.push_back({{"period", added.id}, {"value", nullptr}});
        ++added.measures;
      }
    }
  }
  return added;
}

std::size_t EditableTable::column(std::string_view name, bool add) {
  const auto wanted = to_lower_ascii(trim(name));
  for (std::size_t c = 0; c < header.size(); ++c)
    if (to_lower_ascii(trim(header[c])) == wanted) return c;
  if (!add) return std::string::npos;
  header.emplace_back(name);
  for (auto& row : rows) row.resize(header.size());
  return header.size() - 1;
}

void EditableTable::append(const std::vector<std::pair<std::string_view, std::string>>& cells) {
  std::vector<std::string> row(header.size());
  for (const auto& [name, text] : cells) row.at(column(name, false)) = text;
  rows.push_back(std::move(row));
}

AddedPeriod add_period_to_tables(std::map<std::string, EditableTable>& tables, const std::string& label, const std::string& end) {
  auto& periods = tables.at("periods.csv");
  const auto id_column = periods.column("id", false), end_column = periods.column("end", false), label_column = periods.column("label", true);
  if (id_column == std::string::npos || end_column == std::string::npos)
    return {.id = "", .error = "periods.csv needs the columns id and end (run plainsight check to see what it has)"};
  std::vector<PeriodRow> existing;
  for (const auto& row : periods.rows) existing.push_back({row[id_column], row[label_column], row[end_column]});
  auto added = check_new_period(existing, label, end);
  if (!added.error.empty()) return added;
  auto& updates = tables["updates.csv"];
  auto& values = tables["measure-values.csv"];
  for (const auto* name : {"deliverable", "period", "rating", "text"}) updates.column(name, true);
  for (const auto* name : {"measure", "period", "value", "value_as_published", "target", "target_as_published", "published_rating"})
    values.column(name, true);
  // A measure's last_period_target (and its words) and published_rating are the plan's last
  // period's: they stay that period's, written on its row of measure-values.csv.
  if (const auto measures = tables.find("measures.csv"); measures != tables.end() && !existing.empty()) {
    auto& table = measures->second;
    const auto measure_id = table.column("id", false);
    // The target's number and words move together, and only onto a row that gives no target.
    const std::vector<std::vector<std::pair<const char*, const char*>>> moves = {
        {{"last_period_target", "target"}, {"last_period_target_as_published", "target_as_published"}}, {{"published_rating", "published_rating"}}};
    for (auto& measure : table.rows) {
      if (measure_id == std::string::npos) break;
      const auto& id = measure[measure_id];
      auto row = std::find_if(values.rows.begin(), values.rows.end(), [&](const auto& r) {
        return r[values.column("measure", false)] == id && r[values.column("period", false)] == existing.back().id;
      });
      for (const auto& group : moves) {
        const bool given = std::any_of(group.begin(), group.end(), [&](const auto& move) {
          const auto from = table.column(move.first, false);
          return from != std::string::npos && !measure[from].empty();
        });
        if (!given) continue;
        if (row == values.rows.end()) {
          values.append({{"measure", id}, {"period", existing.back().id}});
          row = values.rows.end() - 1;
        }
        const bool row_has_it =
            std::any_of(group.begin(), group.end(), [&](const auto& move) { return !(*row)[values.column(move.second, false)].empty(); });
        for (const auto& [from, to] : group) {
          const auto from_column = table.column(from, false);
          if (from_column == std::string::npos) continue;
          if (!row_has_it) (*row)[values.column(to, false)] = measure[from_column];
          measure[from_column].clear();
        }
      }
    }
  }
  periods.append({{"id", added.id}, {"label", label}, {"end", end}});
  if (const auto deliverables = tables.find("deliverables.csv"); deliverables != tables.end())
    if (const auto id = deliverables->second.column("id", false); id != std::string::npos)
      for (const auto& deliverable : deliverables->second.rows) {
        updates.append({{"deliverable", deliverable[id]}, {"period", added.id}});
        ++added.deliverables;
      }
  if (const auto measures = tables.find("measures.csv"); measures != tables.end())
    if (const auto id = measures->second.column("id", false); id != std::string::npos)
      for (const auto& measure : measures->second.rows) {
        values.append({{"measure", measure[id]}, {"period", added.id}});
        ++added.measures;
      }
  return added;
}

}  // namespace plainsight::cli
