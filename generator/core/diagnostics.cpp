#include "core/diagnostics.hpp"

#include <algorithm>
#include <functional>
#include <tuple>

namespace plainsight {
namespace {

/// Text from content, shown on a terminal: a control character (an escape sequence, a carriage
/// return that hides the line) is written as \xNN instead, but for `kept` (a line break in a
/// message, a tab in a quoted line).
void append_shown(std::string& out, std::string_view text, std::string_view kept) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && kept.find(c) == std::string_view::npos) || byte == 0x7f) {
      constexpr const char* hex = "0123456789ABCDEF";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
}

}  // namespace

namespace {

/// "place: label: message", the place bold and the label in `label_colour` when `colour`.
std::string format_line(const SourceLocation& where, std::string_view label, std::string_view label_colour, std::string_view message, bool colour) {
  constexpr std::string_view bold = "\033[1m", plain = "\033[0m";
  std::string out;
  if (!where.file.empty()) {
    if (colour) out += bold;
    append_shown(out, where.file, "");
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ':';
    if (colour) out += plain;
    out += ' ';
  }
  if (colour) out += label_colour;
  out += label;
  out += ':';
  if (colour) out += plain;
  out += ' ';
  append_shown(out, message, "\n");
  return out;
}

}  // namespace

std::string format_diagnostic(const Diagnostic& diagnostic, bool colour) {
  const bool error = diagnostic.severity == Severity::error;
  return format_line(diagnostic.where, error ? "error" : "warning", error ? "\033[1;31m" : "\033[1;33m", diagnostic.message, colour);
}

std::string format_note(const DiagnosticNote& note, bool colour) { return format_line(note.where, "note", "\033[1;36m", note.message, colour); }

std::string quote_source_line(std::string_view text, const SourceLocation& where) {
  if (where.line <= 0) return {};
  std::vector<std::size_t> starts{0};  // only as far as the line wanted
  while (starts.size() < static_cast<std::size_t>(where.line)) {
    const auto end = text.find('\n', starts.back());
    if (end == std::string_view::npos) return {};
    starts.push_back(end + 1);
  }
  return quote_source_line(text, starts, where);
}

std::string quote_source_line(std::string_view text, const std::vector<std::size_t>& starts, const SourceLocation& where) {
  if (where.line <= 0 || static_cast<std::size_t>(where.line) > starts.size()) return {};
  const auto start = starts[static_cast<std::size_t>(where.line) - 1];
  auto line = text.substr(start, text.find('\n', start) == std::string_view::npos ? std::string_view::npos : text.find('\n', start) - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // The column counts characters: find its byte, then show at most this many bytes either side.
  constexpr std::size_t reach = 100;
  auto is_continuation = [&](std::size_t at) { return at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80; };
  std::size_t column_at = 0;
  for (int column = 1; column < where.column && column_at < line.size(); ++column) do
      ++column_at;
    while (is_continuation(column_at));
  auto from = column_at > reach ? column_at - reach : 0;
  while (is_continuation(from)) ++from;
  auto to = std::min(line.size(), column_at + reach);
  while (is_continuation(to)) ++to;
  const std::string number = std::to_string(where.line);
  std::string out = std::string(number.size() < 5 ? 5 - number.size() : 0, ' ') + number + " | " + (from > 0 ? "…" : "");
  append_shown(out, line.substr(from, to - from), "\t");
  if (to < line.size()) out += "…";
  out += '\n';
  if (where.column <= 0) return out;
  // Under the column: a tab stays a tab so that the caret lines up, any other character is a space.
  std::string under = std::string(std::max<std::size_t>(number.size(), 5), ' ') + " | " + (from > 0 ? " " : "");
  for (auto at = from; at < column_at; ++at) {
    if (is_continuation(at)) continue;
    const auto byte = static_cast<unsigned char>(line[at]);
    under += line[at] == '\t' ? "\t" : (byte < 0x20 || byte == 0x7f) ? "    " : " ";  // a control character is shown as \xNN
  }
  return out + under + "^\n";
}

void Diagnostics::error(SourceLocation where, std::string message) { add({Severity::error, std::move(where), std::move(message)}); }

void Diagnostics::error(SourceLocation where, std::string message, DiagnosticNote note) {
  Diagnostic diagnostic{Severity::error, std::move(where), std::move(message)};
  diagnostic.notes.push_back(std::move(note));
  add(std::move(diagnostic));
}

void Diagnostics::warning(SourceLocation where, std::string message) { add({Severity::warning, std::move(where), std::move(message)}); }

namespace {

/// Problems are the same when sorted() would show them as one.
bool same_problem(const Diagnostic& a, const Diagnostic& b) {
  return a.severity == b.severity && a.message == b.message &&
         std::tie(a.where.file, a.where.line, a.where.column) == std::tie(b.where.file, b.where.line, b.where.column);
}

std::size_t problem_hash(const Diagnostic& d) {
  const std::hash<std::string> text;
  return text(d.message) ^ (text(d.where.file) * 31) ^ (static_cast<std::size_t>(d.where.line) << 20) ^ static_cast<std::size_t>(d.where.column) ^
         static_cast<std::size_t>(d.severity);
}

}  // namespace

void Diagnostics::add(Diagnostic diagnostic) {
  const auto hash = problem_hash(diagnostic);
  std::lock_guard lock(mutex_);
  for (auto [it, end] = by_hash_.equal_range(hash); it != end; ++it)
    if (same_problem(items_[it->second], diagnostic)) return;
  by_hash_.emplace(hash, items_.size());
  items_.push_back(std::move(diagnostic));
}

void Diagnostics::clear() {
  std::lock_guard lock(mutex_);
  items_.clear();
  by_hash_.clear();
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::size_t Diagnostics::warning_count() const {
  std::lock_guard lock(mutex_);
  return items_.size() -
         static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> copy;
  {
    std::lock_guard lock(mutex_);
    copy = items_;
  }
  std::stable_sort(copy.begin(), copy.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column, a.message, a.severity) <
           std::tie(b.where.file, b.where.line, b.where.column, b.message, b.severity);
  });
  return copy;
}

}  // namespace plainsight
