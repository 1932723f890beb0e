#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dates.hpp"
#include "core/diagnostics.hpp"

namespace plainsight {

/// A parsed JSON file that remembers where every value came from, so that errors found
/// later (an unknown id, a wrong type) can name the line and column.
struct JsonSource {
  std::string file;
  nlohmann::json value;
  /// JSON pointer ("/deliverables/3/due") → where that value starts.
  std::map<std::string, SourceLocation, std::less<>> positions;

  /// The location of the value at `pointer`, or of its nearest ancestor that has one.
  [[nodiscard]] SourceLocation at(std::string_view pointer) const;
};

/// Parses JSON, reporting syntax errors, invalid UTF-8, duplicate keys and nesting deeper
/// than max_depth with their line and column. Returns nullopt when the text is unusable.
[[nodiscard]] std::optional<JsonSource> parse_json(std::string_view text, const std::string& file, Diagnostics& diagnostics, int max_depth = 256);

/// Appends an escaped member name to a JSON pointer (RFC 6901).
std::string json_pointer_append(std::string_view pointer, std::string_view name);

/// Where each line of `text` begins, for json_string_literal_at.
std::vector<std::size_t> line_starts(std::string_view text);

/// The JSON string literal, quotes included, that starts at `where` (a line and a column in
/// characters, as JsonSource records them) in `text`; "" when no string starts there.
std::string_view json_string_literal_at(std::string_view text, const std::vector<std::size_t>& starts, const SourceLocation& where);

/// Where byte `offset` of a JSON string's value is in its file: `literal` is the string as
/// written (quotes and escapes included), starting at `literal_start`. Escapes and characters
/// of several bytes are counted as the file shows them.
SourceLocation json_string_location(const SourceLocation& literal_start, std::string_view literal, std::size_t offset);

/// "a string", "a number", … for messages such as "expected a string, found a number".
std::string json_type_name(const nlohmann::json& value);

}  // namespace plainsight

namespace plainsight {

/// Reads typed fields out of a JsonSource, reporting each problem at the value's line and
/// column. Every getter returns what it could read and never throws.
class JsonReader {
 public:
  JsonReader(const JsonSource& source, Diagnostics& diagnostics) : source_(source), diagnostics_(diagnostics) {}

  void error(std::string_view pointer, std::string message) const;
  /// How many errors this reader has reported.
  [[nodiscard]] std::size_t errors() const { return errors_; }
  [[nodiscard]] SourceLocation at(std::string_view pointer) const { return source_.at(pointer); }

  /// The object at pointer, or nullptr (reported) when it is something else.
  const nlohmann::json* object(const nlohmann::json& value, std::string_view pointer, const char* what) const;
  const nlohmann::json* array(const nlohmann::json& parent, std::string_view pointer, const char* key, bool required) const;

  std::string text(const nlohmann::json& object, std::string_view pointer, const char* key, bool required = false) const;
  std::optional<double> number(const nlohmann::json& object, std::string_view pointer, const char* key) const;
  std::optional<DateTime> date(const nlohmann::json& object, std::string_view pointer, const char* key) const;
  /// Reports keys that are not in `known`, with a suggestion.
  void only_keys(const nlohmann::json& object, std::string_view pointer, const std::vector<std::string>& known) const;

 private:
  const JsonSource& source_;
  Diagnostics& diagnostics_;
  mutable std::size_t errors_ = 0;
};

}  // namespace plainsight
