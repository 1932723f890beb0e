#include "content/table_schema.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

const std::vector<std::string> schema_keys = {"fields", "missingValues", "primaryKey", "foreignKeys", "$schema"};
const std::vector<std::string> field_keys = {"name",        "title",      "type",       "format",      "description", "constraints", "groupChar",
                                             "decimalChar", "bareNumber", "trueValues", "falseValues", "example",     "rdfType"};
const std::vector<std::string> constraint_keys = {"required", "unique", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern"};
const std::vector<std::string> type_names = {"string", "number", "integer", "date", "boolean"};

/// "2020-04-01" or, with a pattern of %d, %m, %Y, %y, %b (Jan) and %B (January), "01/04/2020".
std::optional<DateTime> parse_date(std::string_view text, std::string_view pattern) {
  if (pattern.empty() || pattern == "default") return text.size() == 10 ? parse_iso_date(text) : std::nullopt;
  static constexpr std::string_view months[] = {"january", "february", "march",     "april",   "may",      "june",
                                                "july",    "august",   "september", "october", "november", "december"};
  int day = 0, month = 0, year = 0;
  std::size_t at = 0;
  // Up to `most` digits, or exactly `most` with `exactly`: a year of %Y is four ("20" is no year 20).
  auto digits = [&](std::size_t most, bool exactly = false) {
    std::size_t start = at;
    while (at < text.size() && at - start < most && text[at] >= '0' && text[at] <= '9') ++at;
    int value = -1;
    if (at > start && (!exactly || at - start == most)) std::from_chars(text.data() + start, text.data() + at, value);
    return value;
  };
  for (std::size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] != '%' || p + 1 == pattern.size()) {
      if (at >= text.size() || text[at] != pattern[p]) return std::nullopt;
      ++at;
      continue;
    }
    switch (pattern[++p]) {
      case 'd':
        day = digits(2);
        break;
      case 'm':
        month = digits(2);
        break;
      case 'Y':
        year = digits(4, true);
        break;
      case 'y':
        year = digits(2);
        if (year >= 0) year += 2000;
        break;
      case 'b':
      case 'B': {
        const auto rest = to_lower_ascii(text.substr(at));
        for (int m = 0; m < 12 && month == 0; ++m) {
          const auto name = pattern[p] == 'b' ? months[m].substr(0, 3) : months[m];
          if (rest.starts_with(name)) month = m + 1, at += name.size();
        }
        break;
      }
      default:
        return std::nullopt;
    }
  }
  if (at != text.size() || !is_valid_date(year, month, day)) return std::nullopt;
  return DateTime{year, month, day};
}

/// Whether `text` holds the word CR or DR (in any case): a credit or debit mark.
bool has_credit_mark(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i;
    while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
    if (end == i) {
      ++i;
      continue;
    }
    const auto word = to_lower_ascii(text.substr(i, end - i));
    if (word == "cr" || word == "dr") return true;
    i = end;
  }
  return false;
}

/// A number as the field allows it: plain ("-1500.5"), with its group character ("1,500"), and
/// when not bare, with other characters around it ("£1,500", "95%"). Around it, a minus before
/// it ("-£500") or brackets ("(£500)", as accounts write a credit) make it negative; a sign
/// after it ("500-") or a credit or debit mark ("1,000 CR") is not read past as other text
/// would be, but refused, with `problem` saying why: read past, it would be a payment.
std::optional<double> parse_number(std::string_view text, const TableField& field, std::string& problem) {
  std::size_t start = 0, end = text.size();
  bool negative = false;
  if (!field.bare_number) {
    while (start < end && !((text[start] >= '0' && text[start] <= '9') || text[start] == '.')) ++start;
    while (end > start && !(text[end - 1] >= '0' && text[end - 1] <= '9')) --end;
    const auto before = text.substr(0, start), after = text.substr(end);
    if (has_credit_mark(before) || has_credit_mark(after)) {
      problem = "a credit or debit mark is not read: write a credit as -1500 or (1500)";
      return std::nullopt;
    }
    // A sign is what stands just before the number, past spaces and a currency symbol ("-£500",
    // "£-500", "(£500)"); a hyphen in words further off ("Year-end £500") is no sign.
    auto near = trim(before);
    auto take = [&](std::string_view ending) {
      if (!near.ends_with(ending)) return false;
      near = trim(near.substr(0, near.size() - ending.size()));
      return true;
    };
    auto take_currency = [&] { take("£") || take("€") || take("$"); };
    take_currency();
    const bool minus = take("-") || take("\u2212");  // or the minus sign pages print
    take_currency();
    const bool opens = take("(");
    const bool second_sign = near.ends_with('-') || near.ends_with('(') || near.ends_with("\u2212");
    const auto following = trim(after);
    const bool closes = following.starts_with(')');
    if (following.starts_with('-') || following.starts_with("\u2212") || opens != closes || (opens && minus) || second_sign) {
      problem = "a sign is read only before the number, or as brackets around it: -1500, -£1500 or (1500)";
      return std::nullopt;
    }
    negative = minus || opens;
  }
  std::string digits;
  for (std::size_t i = start; i < end; ++i) {
    if (!field.group_char.empty() && text.substr(i).starts_with(field.group_char)) {
      i += field.group_char.size() - 1;
      continue;
    }
    digits += text[i];
  }
  if (digits.empty() || digits.size() > 40) return std::nullopt;
  // A double keeps 15 significant digits exactly: more would be shown and published changed
  // (12345678901234567890 as …567,168), so such a value is refused rather than rounded.
  const auto significant = digits.substr(std::min(digits.find_first_of("123456789"), digits.size()));
  if (std::count_if(significant.begin(), significant.end(), [](char c) { return c >= '0' && c <= '9'; }) > 15 &&
      significant.find_first_of("eE") == std::string::npos) {
    problem = "more than 15 significant digits, which a number cannot keep exactly: make the field a string if it is a reference";
    return std::nullopt;
  }
  double value = 0;
  const auto [end_of, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end_of != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
  return negative ? -value : value;
}

class SchemaReader {
 public:
  SchemaReader(const JsonSource& source, Diagnostics& diagnostics) : read_(source, diagnostics), diagnostics_(diagnostics) {}

  std::optional<TableSchema> read(const json& root) {
    const auto* schema = read_.object(root, "", "a Table Schema {\"fields\": [...]}");
    if (!schema) return std::nullopt;
    read_.only_keys(*schema, "", schema_keys);
    TableSchema result;
    if (schema->contains("missingValues")) result.missing_values = strings(*schema, "", "missingValues");
    const auto* fields = read_.array(*schema, "", "fields", true);
    if (!fields) return std::nullopt;
    std::set<std::string> names;
    for (std::size_t i = 0; i < fields->size(); ++i) {
      const auto at = "/fields/" + std::to_string(i);
      const auto* item = read_.object((*fields)[i], at, "a field {\"name\": …, \"type\": …}");
      if (!item) continue;
      auto field = read_field(*item, at);
      if (!field.name.empty() && !names.insert(to_lower_ascii(field.name)).second)
        read_.error(at + "/name", "the field \"" + field.name + "\" is named twice (each column needs its own name)");
      result.fields.push_back(std::move(field));
    }
    if (result.fields.empty()) read_.error("/fields", "a Table Schema needs at least one field");
    if (diagnostics_.error_count() > errors_before_) return std::nullopt;
    return result;
  }

 private:
  std::vector<std::string> strings(const json& object, const std::string& at, const char* key) {
    std::vector<std::string> values;
    const auto* list = read_.array(object, at, key, false);
    if (!list) return values;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].is_string())
        values.push_back((*list)[i].get<std::string>());
      else
        read_.error(json_pointer_append(at, key) + "/" + std::to_string(i), "expected text in quotes, found " + json_type_name((*list)[i]));
    }
    return values;
  }

  TableField read_field(const json& item, const std::string& at) {
    read_.only_keys(item, at, field_keys);
    TableField field;
    field.name = read_.text(item, at, "name", true);
    field.title = read_.text(item, at, "title");
    field.description = read_.text(item, at, "description");
    if (const auto type = read_.text(item, at, "type"); !type.empty()) {
      const auto found = std::find(type_names.begin(), type_names.end(), type);
      if (found == type_names.end())
        read_.error(at + "/type",
                    "unknown type \"" + type + "\"" + did_you_mean(type, type_names) + " (expected string, number, integer, date or boolean)");
      else
        field.type = static_cast<FieldType>(found - type_names.begin());
    }
    field.format = read_.text(item, at, "format");
    if (field.format == "default" || field.format == "any") field.format.clear();
    if (field.type == FieldType::date && !field.format.empty() && field.format.find('%') == std::string::npos)
      read_.error(at + "/format", "a date's format is a pattern such as \"%d/%m/%Y\" (or \"default\" for 2020-04-01)");
    field.group_char = read_.text(item, at, "groupChar");
    if (item.contains("decimalChar") && read_.text(item, at, "decimalChar") != ".")
      read_.error(at + "/decimalChar", "only \".\" is read as the decimal point");
    if (item.contains("bareNumber")) {
      if (item["bareNumber"].is_boolean())
        field.bare_number = item["bareNumber"].get<bool>();
      else
        read_.error(at + "/bareNumber", "expected true or false");
    }
    if (item.contains("trueValues")) field.true_values = strings(item, at, "trueValues");
    if (item.contains("falseValues")) field.false_values = strings(item, at, "falseValues");
    if (item.contains("constraints") && !item["constraints"].is_null()) read_constraints(item["constraints"], at + "/constraints", field);
    return field;
  }

  void read_constraints(const json& value, const std::string& at, TableField& field) {
    const auto* constraints = read_.object(value, at, "constraints {\"required\": true, …}");
    if (!constraints) return;
    read_.only_keys(*constraints, at, constraint_keys);
    auto flag = [&](const char* key) {
      const auto found = constraints->find(key);
      if (found == constraints->end() || found->is_null()) return false;
      if (found->is_boolean()) return found->get<bool>();
      read_.error(json_pointer_append(at, key), std::string("\"") + key + "\" must be true or false");
      return false;
    };
    field.required = flag("required");
    field.unique = flag("unique");
    if (const auto* values = read_.array(*constraints, at, "enum", false))
      for (std::size_t i = 0; i < values->size(); ++i) {
        const auto& entry = (*values)[i];
        field.enum_values.push_back(entry.is_string() ? entry.get<std::string>() : entry.dump());
      }
    for (const char* key : {"minimum", "maximum"}) {
      if (!constraints->contains(key) || (*constraints)[key].is_null()) continue;
      const auto pointer = json_pointer_append(at, key);
      if (field.type == FieldType::date) {
        const auto date = read_.date(*constraints, at, key);
        (std::string_view(key) == "minimum" ? field.earliest : field.latest) = date;
      } else if (field.type == FieldType::number || field.type == FieldType::integer) {
        (std::string_view(key) == "minimum" ? field.minimum : field.maximum) = read_.number(*constraints, at, key);
      } else {
        read_.error(pointer, std::string("\"") + key + "\" applies to numbers and dates, and this field's type is " +
                                 std::string(field_type_name(field.type)));
      }
    }
    for (const char* key : {"minLength", "maxLength", "pattern"})
      if (constraints->contains(key))
        read_.error(json_pointer_append(at, key), std::string("\"") + key + "\" is not checked by plainsight yet; leave it out");
  }

  JsonReader read_;
  Diagnostics& diagnostics_;
  std::size_t errors_before_ = diagnostics_.error_count();
};

std::string format_plain(double value) {
  if (std::fabs(value - std::round(value)) < 1e-9 && std::fabs(value) < 1e15) return fmt::format("{}", static_cast<long long>(std::llround(value)));
  const auto shortest = fmt::format("{}", value);
  // Never 1e-05: open data's numbers are plain, as a spreadsheet and Table Schema read them.
  return shortest.find_first_of("eE") == std::string::npos ? shortest : fmt::format("{:.{}f}", value, decimals_of(value, 20));
}

}  // namespace

std::size_t TableSchema::field_index(std::string_view name) const {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return i;
  return std::string::npos;
}

std::string_view field_type_name(FieldType type) { return type_names[static_cast<std::size_t>(type)]; }

std::optional<TableSchema> load_table_schema(const JsonSource& source, Diagnostics& diagnostics) {
  return SchemaReader(source, diagnostics).read(source.value);
}

std::optional<TableValue> read_table_value(const TableField& field, const TableSchema& schema, std::string_view text, std::string& problem) {
  TableValue value;
  value.text = std::string(text);
  if (std::find(schema.missing_values.begin(), schema.missing_values.end(), text) != schema.missing_values.end()) {
    value.missing = true;
    if (field.required) {
      problem = "\"" + field.name + "\" is required, and this row has no value for it";
      return std::nullopt;
    }
    return value;
  }
  const auto trimmed = trim(text);
  switch (field.type) {
    case FieldType::string:
      break;
    case FieldType::number:
    case FieldType::integer: {
      std::string why;
      value.number = parse_number(trimmed, field, why);
      const bool whole = value.number && std::fabs(*value.number - std::round(*value.number)) < 1e-9;
      if (!value.number || (field.type == FieldType::integer && !whole)) {
        const bool grouped = field.group_char.empty() && text.find(',') != std::string_view::npos;
        const auto kind = field.type == FieldType::integer ? "a whole number" : "a number";
        problem = why.empty() ? fmt::format("\"{}\" is not {} for \"{}\" (expected {}{})", text, kind, field.name,
                                            field.type == FieldType::integer ? "a whole number such as 1500" : "a number such as 1500.50",
                                            grouped ? "; give the field \"groupChar\": \",\" to read 1,500" : "")
                              : fmt::format("\"{}\" is not {} for \"{}\" ({})", text, kind, field.name, why);
        return std::nullopt;
      }
      if (field.minimum && *value.number < *field.minimum) problem = "is less than the minimum, " + format_plain(*field.minimum);
      if (field.maximum && *value.number > *field.maximum) problem = "is more than the maximum, " + format_plain(*field.maximum);
      break;
    }
    case FieldType::date:
      value.date = parse_date(trimmed, field.format);
      if (!value.date) {
        problem = fmt::format("\"{}\" is not a date for \"{}\" (expected {})", text, field.name,
                              field.format.empty() ? "YYYY-MM-DD, such as 2020-04-01" : "the format " + field.format);
        return std::nullopt;
      }
      if (field.earliest && *value.date < *field.earliest) problem = "is before the minimum, " + format_date_iso(*field.earliest);
      if (field.latest && *value.date > *field.latest) problem = "is after the maximum, " + format_date_iso(*field.latest);
      break;
    case FieldType::boolean:
      if (std::find(field.true_values.begin(), field.true_values.end(), trimmed) != field.true_values.end())
        value.boolean = true;
      else if (std::find(field.false_values.begin(), field.false_values.end(), trimmed) != field.false_values.end())
        value.boolean = false;
      else {
        problem = fmt::format("\"{}\" is not true or false for \"{}\" (expected one of {} or {})", text, field.name,
                              fmt::join(field.true_values, ", "), fmt::join(field.false_values, ", "));
        return std::nullopt;
      }
      break;
  }
  if (!problem.empty()) {
    problem = "\"" + std::string(text) + "\" " + problem + " (\"" + field.name + "\")";
    return std::nullopt;
  }
  if (!field.enum_values.empty() && std::find(field.enum_values.begin(), field.enum_values.end(), value.text) == field.enum_values.end()) {
    problem = fmt::format("\"{}\" is not one of the values \"{}\" allows: {}{}", text, field.name, fmt::join(field.enum_values, ", "),
                          did_you_mean(value.text, field.enum_values));
    return std::nullopt;
  }
  return value;
}

std::string normalised_value(const TableField& field, const TableValue& value) {
  if (value.missing) return {};
  if (value.number) return format_plain(*value.number);
  if (value.date) return format_date_iso(*value.date);
  if (value.boolean) return *value.boolean ? "true" : "false";
  (void)field;
  return value.text;
}

}  // namespace plainsight
