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

AddedPeriod add_period(nlohmann::ordered_json& plan, const std::string& label, const std::string& end) {
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
  if (!plan.is_object() || !plan.contains("periods") || !plan["periods"].is_array()) return {.id = "", .error = "the plan has no \"periods\" list"};
  auto& periods = plan["periods"];
  for (const auto& period : periods) {
    if (!period.is_object()) continue;
    const auto id = period.value("id", std::string()), existing_label = period.value("label", std::string());
    if (id == added.id || existing_label == label)
      return {.id = "", .error = fmt::format("the plan has a period {} ({}) already", existing_label.empty() ? id : existing_label, id)};
  }
  if (!periods.empty() && periods.back().is_object()) {
    const auto last_end = periods.back().value("end", std::string());
    if (const auto last = parse_iso_date(last_end); last && to_utc_minutes(*last) >= to_utc_minutes(*date))
      return {.id = "",
              .error = fmt::format("the plan's last period, {}, ends on {}: a new period must end after it",
                                   periods.back().value("label", std::string()), last_end)};
  }
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

}  // namespace plainsight::cli
