#include "core/json_source.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <unordered_set>
#include <vector>

#include "core/text.hpp"

namespace plainsight {
namespace {

/// Walks text that nlohmann has already accepted, recording where each value starts.
class PositionWalker {
 public:
  PositionWalker(std::string_view text, JsonSource& source, Diagnostics& diagnostics) : text_(text), source_(source), diagnostics_(diagnostics) {}

  void walk() {
    struct Frame {
      std::string pointer;
      bool is_object;
      std::size_t next_index = 0;
      std::unordered_set<std::string> keys = {};
    };
    std::vector<Frame> stack;
    std::string pending_pointer;  // pointer of the value about to start
    while (true) {
      skip_space();
      if (at_ >= text_.size()) return;
      const char c = text_[at_];
      if (!stack.empty() && (c == ',')) {
        ++at_;
        continue;
      }
      if (!stack.empty() && (c == '}' || c == ']')) {
        ++at_;
        stack.pop_back();
        continue;
      }
      if (!stack.empty()) {
        auto& frame = stack.back();
        if (frame.is_object) {
          const auto key_at = location(at_);
          auto key = read_string();
          skip_space();
          ++at_;  // ':'
          if (!frame.keys.insert(key).second)
            diagnostics_.error(key_at, "duplicate key \"" + key + "\" (each key may appear once in an object; the earlier value would be lost)");
          pending_pointer = json_pointer_append(frame.pointer, key);
          skip_space();
        } else {
          pending_pointer = frame.pointer + '/' + std::to_string(frame.next_index++);
        }
      }
      record(pending_pointer);
      const char v = text_[at_];
      if (v == '{' || v == '[') {
        ++at_;
        stack.push_back({pending_pointer, v == '{'});
        skip_space();
        if (at_ < text_.size() && (text_[at_] == '}' || text_[at_] == ']')) {
          ++at_;
          stack.pop_back();
        }
      } else if (v == '"') {
        read_string();
      } else {
        while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '}' && text_[at_] != ']' && !is_space(text_[at_])) ++at_;
      }
      if (stack.empty()) return;
    }
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_space() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }
  void record(const std::string& pointer) { source_.positions.emplace(pointer, location(at_)); }

  /// The line and column of `offset`, counted on from the last one asked for: offsets only
  /// grow, so the whole walk counts each byte once (from the start each time, it was quadratic).
  SourceLocation location(std::size_t offset) {
    const auto step = text_.substr(counted_to_, offset - counted_to_);
    const auto moved = line_column_at(step, step.size());
    if (moved.line > 1)
      counted_ = {counted_.line + moved.line - 1, moved.column};
    else
      counted_.column += moved.column - 1;
    counted_to_ = offset;
    return {source_.file, counted_.line, counted_.column};
  }

  std::string read_string() {
    const auto start = at_;
    ++at_;
    bool escaped = false;
    while (at_ < text_.size() && text_[at_] != '"') {
      escaped = escaped || text_[at_] == '\\';
      at_ += text_[at_] == '\\' ? 2 : 1;
    }
    ++at_;
    if (!escaped) return std::string(text_.substr(start + 1, at_ - start - 2));
    // Let nlohmann decode escapes; the string is known to be valid.
    return nlohmann::json::parse(text_.substr(start, at_ - start)).get<std::string>();
  }

  std::string_view text_;
  JsonSource& source_;
  Diagnostics& diagnostics_;
  std::size_t at_ = 0;
  std::size_t counted_to_ = 0;  ///< the offset counted_ is the line and column of
  LineColumn counted_;
};

/// The deepest nesting and where it first exceeds max_depth, without recursion.
std::size_t find_excess_depth(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::string_view::npos;
}

/// nlohmann reports the byte just after the token it could not use; point at the token's start.
std::size_t start_of_token_before(std::string_view text, std::size_t byte) {
  if (byte == 0 || byte > text.size()) return std::min(byte, text.size());
  std::size_t at = byte - 1;
  if (text[at] == '"' && at > 0) {
    const auto opening = text.rfind('"', at - 1);
    return opening == std::string_view::npos ? at : opening;
  }
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'; };
  while (at > 0 && is_word(text[at]) && is_word(text[at - 1])) --at;
  return at;
}

}  // namespace

SourceLocation JsonSource::at(std::string_view pointer) const {
  std::string key(pointer);
  while (true) {
    if (auto found = positions.find(key); found != positions.end()) return found->second;
    if (key.empty()) return {file, 0, 0};
    key.erase(key.rfind('/'));
  }
}

std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts = {0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  return starts;
}

std::string_view json_string_literal_at(std::string_view text, const std::vector<std::size_t>& starts, const SourceLocation& where) {
  if (where.line < 1 || static_cast<std::size_t>(where.line) > starts.size() || where.column < 1) return {};
  auto at = starts[static_cast<std::size_t>(where.line - 1)];
  for (int column = 1; column < where.column && at < text.size() && text[at] != '\n'; ++column) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;  // the rest of a character
  }
  if (at >= text.size() || text[at] != '"') return {};
  for (auto end = at + 1; end < text.size(); ++end) {
    if (text[end] == '\\')
      ++end;
    else if (text[end] == '"')
      return text.substr(at, end - at + 1);
  }
  return {};
}

SourceLocation json_string_location(const SourceLocation& literal_start, std::string_view literal, std::size_t offset) {
  SourceLocation here = literal_start;
  ++here.column;  // past the opening quote
  std::size_t decoded = 0;
  for (std::size_t at = 1; at + 1 < literal.size() && decoded < offset;) {
    if (literal[at] != '\\') {
      const auto c = static_cast<unsigned char>(literal[at]);
      const std::size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      decoded += length;
      at += length;
      ++here.column;
      continue;
    }
    std::size_t raw = 2, bytes = 1;  // \n, \", \/ …: two characters for one byte
    if (at + 1 < literal.size() && literal[at + 1] == 'u') {
      const auto code = std::strtoul(std::string(literal.substr(at + 2, 4)).c_str(), nullptr, 16);
      raw = 6;
      bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
      if (code >= 0xD800 && code < 0xDC00 && literal.substr(at + 6, 2) == "\\u") raw = 12, bytes = 4;  // a surrogate pair
    }
    decoded += bytes;
    at += raw;
    here.column += static_cast<int>(raw);
  }
  return here;
}

std::string json_pointer_append(std::string_view pointer, std::string_view name) {
  std::string out(pointer);
  out += '/';
  for (char c : name) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "a list";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "true or false";
    default:
      return "a number";
  }
}

std::optional<JsonSource> parse_json(std::string_view text, const std::string& file, Diagnostics& diagnostics, int max_depth) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte order mark some editors add
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto lc = line_column_at(text, bad);
    diagnostics.error({file, lc.line, lc.column}, "invalid UTF-8 (save the file as UTF-8)");
    return std::nullopt;
  }
  if (trim(text).empty()) {
    diagnostics.error({file, 1, 1}, "empty file (expected a JSON object)");
    return std::nullopt;
  }
  if (const auto deep = find_excess_depth(text, max_depth); deep != std::string_view::npos) {
    const auto lc = line_column_at(text, deep);
    diagnostics.error({file, lc.line, lc.column}, "JSON nested more than " + std::to_string(max_depth) + " levels deep");
    return std::nullopt;
  }
  JsonSource source{file, {}, {}};
  try {
    source.value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // nlohmann reports a 1-based byte position; show line and column instead.
    const auto lc = line_column_at(text, start_of_token_before(text, error.byte));
    std::string message = error.what();
    if (const auto colon = message.find(": ", message.find("column")); colon != std::string::npos) message = message.substr(colon + 2);
    diagnostics.error({file, lc.line, lc.column}, "invalid JSON: " + message);
    return std::nullopt;
  } catch (const nlohmann::json::out_of_range& error) {
    // A number too large for a double ("1e309"): nlohmann names it but not where it is.
    const std::string message = error.what();
    const auto open = message.find('\''), close = message.rfind('\'');
    const auto number = open != std::string::npos && close > open ? message.substr(open + 1, close - open - 1) : std::string{};
    const auto at = number.empty() ? std::string_view::npos : text.find(number);
    const auto lc = line_column_at(text, at == std::string_view::npos ? 0 : at);
    diagnostics.error({file, lc.line, lc.column}, "the number " + number + " is too large (expected a number no bigger than about 1.8e308)");
    return std::nullopt;
  }
  PositionWalker(text, source, diagnostics).walk();
  return source;
}

}  // namespace plainsight

namespace plainsight {

void JsonReader::error(std::string_view pointer, std::string message) const {
  ++errors_;
  diagnostics_.error(source_.at(pointer), std::move(message));
}

const nlohmann::json* JsonReader::object(const nlohmann::json& value, std::string_view pointer, const char* what) const {
  if (value.is_object()) return &value;
  error(pointer, std::string("expected ") + what + " (an object in { }), found " + json_type_name(value));
  return nullptr;
}

const nlohmann::json* JsonReader::array(const nlohmann::json& parent, std::string_view pointer, const char* key, bool required) const {
  const auto found = parent.find(key);
  if (found == parent.end() || found->is_null()) {
    if (required) error(pointer, std::string("missing \"") + key + "\" (expected a list in [ ])");
    return nullptr;
  }
  if (!found->is_array()) {
    error(json_pointer_append(pointer, key), std::string("\"") + key + "\" must be a list in [ ], found " + json_type_name(*found));
    return nullptr;
  }
  return &*found;
}

std::string JsonReader::text(const nlohmann::json& object, std::string_view pointer, const char* key, bool required) const {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) error(pointer, std::string("missing \"") + key + "\" (expected text)");
    return {};
  }
  if (!found->is_string()) {
    error(json_pointer_append(pointer, key), std::string("\"") + key + "\" must be text in quotes, found " + json_type_name(*found));
    return {};
  }
  auto value = found->get<std::string>();
  if (required && trim(value).empty()) error(json_pointer_append(pointer, key), std::string("\"") + key + "\" must not be empty");
  return value;
}

std::optional<double> JsonReader::number(const nlohmann::json& object, std::string_view pointer, const char* key) const {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::nullopt;
  if (!found->is_number()) {
    error(json_pointer_append(pointer, key), std::string("\"") + key + "\" must be a number (or null), found " + json_type_name(*found));
    return std::nullopt;
  }
  const auto value = found->get<double>();
  if (!std::isfinite(value)) {
    error(json_pointer_append(pointer, key), std::string("\"") + key + "\" is too large to be a number");
    return std::nullopt;
  }
  return value;
}

std::optional<DateTime> JsonReader::date(const nlohmann::json& object, std::string_view pointer, const char* key) const {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::nullopt;
  const auto at = json_pointer_append(pointer, key);
  if (!found->is_string()) {
    error(at, std::string("\"") + key + "\" must be a date such as \"2022-03-31\", found " + json_type_name(*found));
    return std::nullopt;
  }
  auto date = parse_iso_date(found->get<std::string>());
  if (!date) error(at, "\"" + found->get<std::string>() + "\" is not a valid date for \"" + key + "\" (expected YYYY-MM-DD, such as 2022-03-31)");
  return date;
}

void JsonReader::only_keys(const nlohmann::json& object, std::string_view pointer, const std::vector<std::string>& known) const {
  for (const auto& [key, value] : object.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      error(json_pointer_append(pointer, key), "unknown field \"" + key + "\"" + did_you_mean(key, known));
}

}  // namespace plainsight
