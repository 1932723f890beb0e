#include "core/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace plainsight {
namespace {

/// Text from content, shown on a terminal: a control character (an escape sequence, a carriage
/// return that hides the line) is written as \xNN instead.
void append_shown(std::string& out, std::string_view text, bool keep_newlines) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && !(keep_newlines && c == '\n')) || byte == 0x7f) {
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

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string out;
  const auto& where = diagnostic.where;
  if (!where.file.empty()) {
    append_shown(out, where.file, false);
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  out += diagnostic.severity == Severity::error ? "error: " : "warning: ";
  append_shown(out, diagnostic.message, true);
  return out;
}

void Diagnostics::error(SourceLocation where, std::string message) {
  add({Severity::error, std::move(where), std::move(message)});
}

void Diagnostics::warning(SourceLocation where, std::string message) {
  add({Severity::warning, std::move(where), std::move(message)});
}

void Diagnostics::add(Diagnostic diagnostic) {
  std::lock_guard lock(mutex_);
  items_.push_back(std::move(diagnostic));
}

void Diagnostics::clear() {
  std::lock_guard lock(mutex_);
  items_.clear();
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::error;
  }));
}

std::size_t Diagnostics::warning_count() const {
  std::lock_guard lock(mutex_);
  return items_.size() - static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
           return d.severity == Severity::error;
         }));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> copy;
  {
    std::lock_guard lock(mutex_);
    copy = items_;
  }
  std::stable_sort(copy.begin(), copy.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column, a.message) <
           std::tie(b.where.file, b.where.line, b.where.column, b.message);
  });
  copy.erase(std::unique(copy.begin(), copy.end(),
                         [](const Diagnostic& a, const Diagnostic& b) {
                           return a.severity == b.severity && a.message == b.message &&
                                  std::tie(a.where.file, a.where.line, a.where.column) ==
                                      std::tie(b.where.file, b.where.line, b.where.column);
                         }),
             copy.end());
  return copy;
}

}  // namespace plainsight
