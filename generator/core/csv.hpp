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
/// breaks; CRLF, LF or CR; a UTF-8 byte order mark is skipped; blank lines, and lines of empty
/// cells, are ignored, as are unnamed columns at the end of the header that hold nothing. A row
/// with more or fewer cells than the header, two headings of the same name (in any case), an
/// unclosed quote or invalid UTF-8 is an error naming the line and column.
/// A CSV file as saved from a spreadsheet, as UTF-8 text: "CSV UTF-8" (with or without its byte
/// order mark) as it is; anything else that is not UTF-8 is read as Windows-1252 (Excel's plain
/// "CSV" on Windows), with a warning, since characters outside it were lost when it was saved.
/// The five bytes Windows-1252 leaves undefined make it neither: an error naming the line and
/// column, saying how to save the file. The byte order mark is kept for parse_csv to skip.
[[nodiscard]] std::optional<std::string> spreadsheet_csv_text(std::string_view bytes, const std::string& file, Diagnostics& diagnostics);

/// A text cell as a spreadsheet-safe CSV holds it (opendata's spreadsheet_safe_text) read back:
/// one leading ' dropped before =, +, -, @, a tab, a carriage return or a second '.
[[nodiscard]] std::string unquote_spreadsheet_text(std::string_view text);

[[nodiscard]] std::optional<CsvTable> parse_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics);

}  // namespace plainsight
