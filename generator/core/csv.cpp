#include "core/csv.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/text.hpp"

namespace plainsight {
namespace {

std::string folded(std::string_view text) { return to_lower_ascii(trim(text)); }

}  // namespace

std::size_t CsvTable::column(std::string_view name) const {
  const auto wanted = folded(name);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (folded(header[i]) == wanted) return i;
  return std::string::npos;
}

std::optional<CsvTable> parse_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto lc = line_column_at(text, bad);
    diagnostics.error({file, lc.line, lc.column}, "invalid UTF-8 (save the file as UTF-8 CSV)");
    return std::nullopt;
  }
  std::vector<std::vector<CsvCell>> records;
  std::vector<CsvCell> record;
  CsvCell cell;
  int line = 1, column = 1;
  bool in_quotes = false, cell_started = false, quoted_cell = false;
  int quote_line = 0, quote_column = 0;
  auto end_cell = [&] {
    record.push_back(std::move(cell));
    cell = CsvCell{};
    cell_started = false;
    quoted_cell = false;
  };
  auto end_record = [&] {
    end_cell();
    // A line with nothing on it is not a record.
    const bool blank = record.size() == 1 && record[0].text.empty();
    if (!blank) records.push_back(std::move(record));
    record.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!cell_started) {
      cell.line = line;
      cell.column = column;
      cell_started = true;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.text += '"';
          ++i;
          column += 2;
          continue;
        }
        in_quotes = false;
      } else {
        cell.text += c;
        if (c == '\n') ++line, column = 0;
      }
    } else if (c == '"' && cell.text.empty() && !quoted_cell) {
      in_quotes = true;
      quoted_cell = true;
      quote_line = line;
      quote_column = column;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the record
    } else if (c == '\n') {
      end_record();
      ++line;
      column = 1;
      continue;
    } else if (quoted_cell) {
      diagnostics.error({file, line, column}, "unexpected text after a closing quote (a quote inside a quoted field is written twice: \"\")");
      return std::nullopt;
    } else {
      cell.text += c;
    }
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
  }
  if (in_quotes) {
    diagnostics.error({file, quote_line, quote_column}, "this quoted field never closes (expected a closing \")");
    return std::nullopt;
  }
  if (cell_started || !record.empty()) end_record();
  if (records.empty()) {
    diagnostics.error({file, 1, 1}, "empty file (expected a header row naming the columns)");
    return std::nullopt;
  }
  CsvTable table;
  bool ok = true;
  // Columns are found by name, so a second column of the same name would never be read.
  std::map<std::string, int> first_column_named;
  for (auto& heading : records[0]) {
    table.header.emplace_back(trim(heading.text));
    table.header_columns.push_back(heading.column);
    if (table.header.back().empty()) continue;
    if (const auto [first, added] = first_column_named.emplace(folded(heading.text), heading.column); !added) {
      diagnostics.error({file, heading.line, heading.column}, "the header names \"" + table.header.back() + "\" twice (first at column " +
                                                                  std::to_string(first->second) + "); rename or remove one of the columns");
      ok = false;
    }
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    auto& row = records[r];
    // Trailing empty cells beyond the header (a stray comma) are harmless; anything else is not.
    while (row.size() > table.header.size() && trim(row.back().text).empty()) row.pop_back();
    if (row.size() != table.header.size()) {
      diagnostics.error({file, row.front().line, 1},
                        "row has " + std::to_string(row.size()) + " cells, but the header has " + std::to_string(table.header.size()) + " columns");
      ok = false;
      continue;
    }
    table.row_lines.push_back(row.front().line);
    table.rows.push_back(std::move(row));
  }
  if (!ok) return std::nullopt;
  return table;
}

}  // namespace plainsight
