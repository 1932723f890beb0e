#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace plainsight {

enum class Severity { warning, error };

/// A place in a source file; line and column start at 1, 0 means "unknown".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
};

/// "file:line:column: error: message", leaving out the parts that are unknown.
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Collects every problem of a build so they can all be reported at once.
/// Safe to add to from several threads.
class Diagnostics {
 public:
  void error(SourceLocation where, std::string message);
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
};

}  // namespace plainsight
