#pragma once
// Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/): the fields of a
// published table, their types and constraints, and the check of every value against them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/diagnostics.hpp"
#include "core/json_source.hpp"

namespace plainsight {

enum class FieldType { string, number, integer, date, boolean };

struct TableField {
  std::string name, title, description;
  FieldType type = FieldType::string;
  std::string format;  ///< a date's pattern ("%d/%m/%Y"), or "" for ISO dates
  /// Numbers: the character between thousands ("," lets "1,500" be read), and whether the
  /// number may come with other characters around it ("£1,500.00", "95%").
  std::string group_char;
  bool bare_number = true;
  std::vector<std::string> true_values = {"true", "True", "TRUE", "1"}, false_values = {"false", "False", "FALSE", "0"};
  // Constraints.
  bool required = false, unique = false;
  std::vector<std::string> enum_values;  ///< the values allowed, as written
  std::optional<double> minimum, maximum;
  std::optional<DateTime> earliest, latest;  ///< a date field's minimum and maximum
};

struct TableSchema {
  std::vector<TableField> fields;
  std::vector<std::string> missing_values = {""};
  [[nodiscard]] std::size_t field_index(std::string_view name) const;
};

/// Reads schema.json; every problem is reported at its place. nullopt when it is unusable.
[[nodiscard]] std::optional<TableSchema> load_table_schema(const JsonSource& source, Diagnostics& diagnostics);

/// One value read against its field: the text as written, and what it means.
struct TableValue {
  std::string text;
  bool missing = false;          ///< one of the schema's missing values
  std::optional<double> number;  ///< number and integer fields
  std::optional<DateTime> date;
  std::optional<bool> boolean;
};

/// Reads `text` as `field` says: nullopt, with `problem` saying what was expected, when it does
/// not fit (constraints other than uniqueness included).
[[nodiscard]] std::optional<TableValue> read_table_value(const TableField& field, const TableSchema& schema, std::string_view text,
                                                         std::string& problem);

/// The value as open data writes it: ISO dates, plain numbers, true/false; "" when missing.
[[nodiscard]] std::string normalised_value(const TableField& field, const TableValue& value);

/// "string", "number", "integer", "date", "boolean".
[[nodiscard]] std::string_view field_type_name(FieldType type);

}  // namespace plainsight
