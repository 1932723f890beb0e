#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace plainsight {

struct CsvCell {
  std::string text;
  int line = 0;    ///< where the cell starts in the file, from 1
  int column = 0;  ///< in characters, from 1
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<int> header_columns;         ///< file column of each heading
  std::vector<std::vector<CsvCell>> rows;  ///< data rows, each as long as the header
  std::vector<int> row_lines;              ///< the line each data row starts on
  /// Index of a heading (matched without regard to case or surrounding spaces), or npos.
  [[nodiscard]] std::size_t column(std::string_view name) const;
};

/// RFC 4180 CSV with a header row: quoted fields may hold commas, doubled quotes and line
/// breaks; CRLF or LF; a UTF-8 byte order mark is skipped; blank lines are ignored. A row
/// with more or fewer cells than the header, two headings of the same name (in any case), an
/// unclosed quote or invalid UTF-8 is an error naming the line and column.
[[nodiscard]] std::optional<CsvTable> parse_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics);

}  // namespace plainsight
