#include "core/csv.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "core/text.hpp"

namespace plainsight {
namespace {

std::string folded(std::string_view text) { return to_lower_ascii(trim(text)); }

void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

/// Whether the text holds a character of several bytes written correctly in UTF-8: then it is
/// UTF-8 with a mistake in it, not Windows-1252 (where such pairs of bytes are very unlikely).
bool has_utf8_sequence(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > text.size()) continue;
    if (find_invalid_utf8(text.substr(i, length)) == std::string_view::npos) return true;
  }
  return false;
}

/// How many characters the line ending at `at` takes: \n; \r\n; \r\r\n, which a program that
/// writes \r\n through a text stream on Windows leaves; or a lone \r, as the old Mac "CSV
/// (Macintosh)" ends lines.
std::size_t line_end_length(std::string_view text, std::size_t at) {
  if (text[at] == '\n') return 1;
  auto end = at;
  while (end < text.size() && text[end] == '\r') ++end;
  return end < text.size() && text[end] == '\n' ? end - at + 1 : 1;
}

}  // namespace

std::size_t CsvTable::column(std::string_view name) const {
  const auto wanted = folded(name);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (folded(header[i]) == wanted) return i;
  return std::string::npos;
}

std::optional<std::string> spreadsheet_csv_text(std::string_view bytes, const std::string& file, Diagnostics& diagnostics) {
  // UTF-8 as it is; a byte order mark, or any character written in UTF-8, says the file is
  // UTF-8, so a stray byte in it is an error at its place (parse_csv's), not a reason to read
  // the whole file otherwise.
  if (find_invalid_utf8(bytes) == std::string_view::npos || bytes.starts_with("\xEF\xBB\xBF") || has_utf8_sequence(bytes)) return std::string(bytes);
  // Windows-1252's 0x80–0x9F; 0 where it defines no character. 0xA0–0xFF are U+00A0–U+00FF.
  static constexpr char16_t high_controls[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                                                 0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                                                 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string text;
  text.reserve(bytes.size() + bytes.size() / 8);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    char32_t code = byte;
    if (byte >= 0x80 && byte < 0xA0) code = high_controls[byte - 0x80];
    if (code == 0) {
      const auto where = line_column_at(text, text.size());  // in characters, as decoded so far
      diagnostics.error(
          {file, where.line, where.column},
          "this file is neither UTF-8 nor Windows-1252 (byte " + fmt::format("0x{:02X}", byte) +
              "): save it from Excel as \"CSV UTF-8 (Comma delimited)\", or from LibreOffice with the character set \"Unicode (UTF-8)\"");
      return std::nullopt;
    }
    append_utf8(text, code);
  }
  diagnostics.warning({file, 1, 1},
                      "this file is not UTF-8, so it was read as Windows-1252 (Excel's plain \"CSV\"); characters that encoding lacks were lost "
                      "when it was saved: save it as \"CSV UTF-8 (Comma delimited)\" instead");
  return text;
}

std::string unquote_spreadsheet_text(std::string_view text) {
  constexpr std::string_view quoted_starts = "=+-@\t\r'";
  if (text.size() > 1 && text[0] == '\'' && quoted_starts.find(text[1]) != std::string_view::npos) text.remove_prefix(1);
  return std::string(text);
}

std::optional<CsvTable> parse_csv(std::string_view text, const std::string& file, Diagnostics& diagnostics) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto lc = line_column_at(text, bad);
    diagnostics.error({file, lc.line, lc.column},
                      "invalid UTF-8: retype the character here, or save the file again as \"CSV UTF-8 (Comma delimited)\"");
    return std::nullopt;
  }
  // A NUL byte is no character of any text: a damaged or binary file, not one to publish from.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    const auto lc = line_column_at(text, nul);
    diagnostics.error({file, lc.line, lc.column}, "a NUL byte, which no text holds: is this file damaged, or not CSV? (expected text)");
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
    // A line with nothing on it is not a record, nor is one of empty cells: a spreadsheet saves
    // a row whose contents were cleared, rather than deleted, as ",,,".
    const bool blank = std::all_of(record.begin(), record.end(), [](const CsvCell& each) { return trim(each.text).empty(); });
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
        if (c == '\n' || (c == '\r' && line_end_length(text, i) == 1)) ++line, column = 0;  // a lone \r is a line's end too
      }
    } else if (c == '"' && cell.text.empty() && !quoted_cell) {
      in_quotes = true;
      quoted_cell = true;
      quote_line = line;
      quote_column = column;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\n' || c == '\r') {
      i += line_end_length(text, i) - 1;
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
  // Unnamed columns at the end of the header with nothing in them (a stray comma on every line)
  // are no columns.
  auto empty_column = [&](std::size_t c) {
    return std::all_of(records.begin() + 1, records.end(), [&](const auto& row) { return c >= row.size() || trim(row[c].text).empty(); });
  };
  while (!table.header.empty() && table.header.back().empty() && empty_column(table.header.size() - 1)) {
    table.header.pop_back();
    table.header_columns.pop_back();
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
