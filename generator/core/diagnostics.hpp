#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace plainsight {

enum class Severity { warning, error };

/// A place in a source file; line and column start at 1, 0 means "unknown".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// A second place that a problem involves ("the other page is here").
struct DiagnosticNote {
  SourceLocation where;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
  std::vector<DiagnosticNote> notes = {};
};

/// "file:line:column: error: message", leaving out the parts that are unknown. With `colour`,
/// the place is bold and "error"/"warning" red/yellow, for a terminal.
std::string format_diagnostic(const Diagnostic& diagnostic, bool colour = false);

/// "file:line:column: note: message", as format_diagnostic writes a problem.
std::string format_note(const DiagnosticNote& note, bool colour = false);

/// The line of `text` that `where` points at, quoted with a caret under its column, as a
/// terminal shows it under the message ("    3 | aliases: [x]\n      |           ^\n"); a long
/// line is cut to the part around the column. "" when the line is not in the text.
std::string quote_source_line(std::string_view text, const SourceLocation& where);

/// The same, with where each line of `text` starts (line_starts, core/json_source.hpp), so that
/// quoting every problem of a file with thousands takes time in proportion to them.
std::string quote_source_line(std::string_view text, const std::vector<std::size_t>& starts, const SourceLocation& where);

/// Collects every problem of a build so they can all be reported at once, each once: the same
/// problem at the same place (a layout that fails for every page) is kept and counted once.
/// Safe to add to from several threads.
class Diagnostics {
 public:
  void error(SourceLocation where, std::string message);
  /// An error that involves a second place, shown after it as a note.
  void error(SourceLocation where, std::string message, DiagnosticNote note);
  void warning(SourceLocation where, std::string message);
  void add(Diagnostic diagnostic);

  void clear();

  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] std::size_t warning_count() const;
  /// All diagnostics sorted by file, line, column, so output is stable across runs.
  [[nodiscard]] std::vector<Diagnostic> sorted() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Diagnostic> items_;
  std::unordered_multimap<std::size_t, std::size_t> by_hash_;  ///< each item's index, under a hash of what makes it the same
};

}  // namespace plainsight
