#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace plainsight {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

struct Utf8Sequence {
  std::size_t length = 1;
  char32_t code = 0;
  bool valid = false;
};

/// The UTF-8 sequence starting at i; an invalid one is one byte long.
Utf8Sequence utf8_sequence_at(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return {1, c, true};
  std::size_t length = 0;
  char32_t code = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2, code = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3, code = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4, code = c & 0x07u;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return {};
    code = (code << 6) | (next & 0x3Fu);
  }
  const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {length, code, true};
}

bool is_forbidden(const Utf8Sequence& sequence) {
  const auto code = sequence.code;
  if (!sequence.valid) return true;
  if (code < 0x20) return code != '\t' && code != '\n' && code != '\r';
  return (code >= 0x7F && code <= 0x9F) || (code >= 0xFDD0 && code <= 0xFDEF) || (code & 0xFFFE) == 0xFFFE;
}

/// The ASCII characters that are copied as they are: printable ones, tab and line breaks, but
/// not those in `escaped`.
struct PlainAscii {
  std::array<bool, 128> plain{};
  std::string_view escaped;
};
PlainAscii plain_ascii_except(std::string_view escaped) {
  PlainAscii ascii{.escaped = escaped};
  for (int c = 0x20; c < 0x7F; ++c) ascii.plain[c] = escaped.find(static_cast<char>(c)) == std::string_view::npos;
  ascii.plain['\t'] = ascii.plain['\n'] = ascii.plain['\r'] = true;
  return ascii;
}

/// Whether the eight bytes at `at` are printable ASCII (0x20 to 0x7E) and none of `escaped`,
/// tested a word at a time: most text is, and a byte at a time was a tenth of reading a long
/// page. A byte below n sets its high bit in (word - n * ones) & ~word, once no byte has it set.
bool eight_plain_bytes(const char* at, std::string_view escaped) {
  constexpr std::uint64_t ones = 0x0101010101010101, highs = ones * 0x80;
  std::uint64_t word;
  std::memcpy(&word, at, sizeof word);
  const auto has_zero_byte = [](std::uint64_t x) { return ((x - ones) & ~x & highs) != 0; };
  if ((word & highs) != 0 || ((word - ones * 0x20) & ~word & highs) != 0 || has_zero_byte(word ^ (ones * 0x7F))) return false;
  for (const char c : escaped)
    if (has_zero_byte(word ^ (ones * static_cast<unsigned char>(c)))) return false;
  return true;
}

/// The first character at or after i that needs escaping or replacing; text.size() if none does.
std::size_t next_to_escape_or_replace(std::string_view text, std::size_t i, const PlainAscii& ascii) {
  while (i < text.size()) {
    if (text.size() - i >= 8 && eight_plain_bytes(text.data() + i, ascii.escaped)) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (!ascii.plain[c]) break;
      ++i;
      continue;
    }
    const auto sequence = utf8_sequence_at(text, i);
    if (is_forbidden(sequence)) break;
    i += sequence.length;
  }
  return i;
}

/// Appends text[i…] up to the next character that needs escaping or replacing; returns where it stopped.
std::size_t append_allowed(std::string& out, std::string_view text, std::size_t i, const PlainAscii& ascii) {
  const auto end = next_to_escape_or_replace(text, i, ascii);
  out.append(text.substr(i, end - i));
  return end;
}

/// Copies text, replacing forbidden characters and escaping those in `escaped` by `escape`.
template <class Escape>
std::string copy_replacing(std::string_view text, const PlainAscii& plain, Escape escape) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; (i = append_allowed(out, text, i, plain)) < text.size();) {
    const auto sequence = utf8_sequence_at(text, i);
    // append_allowed stopped at a character to escape (ASCII, one byte) or one to replace.
    out += is_forbidden(sequence) ? replacement_character : escape(text[i]);
    i += sequence.length;
  }
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) {
  static const auto plain = plain_ascii_except("&<>\"'");
  return copy_replacing(text, plain, [](char c) -> std::string_view {
    switch (c) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '>':
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}

std::string replace_forbidden_characters(std::string_view text) {
  static const auto plain = plain_ascii_except("");
  return copy_replacing(text, plain, [](char) { return std::string_view{}; });
}

std::size_t find_forbidden_character(std::string_view text) {
  static const auto plain = plain_ascii_except("");
  const auto at = next_to_escape_or_replace(text, 0, plain);
  return at < text.size() ? at : std::string_view::npos;
}

namespace {

/// What a character is to a slug: part of a word (a letter, digit or number of any script, or
/// a mark that goes with one), a break between words (a space or dash), or nothing (other
/// punctuation and symbols: £, curly quotes, ©, emoji). Outside ASCII, by Unicode block.
enum class SlugPart { word, space, none };

bool in_ranges(char32_t code, std::span<const std::pair<char32_t, char32_t>> ranges) {
  return std::any_of(ranges.begin(), ranges.end(), [code](const auto& range) { return code >= range.first && code <= range.second; });
}

SlugPart slug_part(char32_t code) {
  if (code < 0x80) {
    if ((code >= 'a' && code <= 'z') || (code >= 'A' && code <= 'Z') || (code >= '0' && code <= '9') || code == '_') return SlugPart::word;
    return code == ' ' || code == '-' || code == '\t' || code == '\n' ? SlugPart::space : SlugPart::none;
  }
  if (code == 0xA0 || code == 0x202F || code == 0x205F || code == 0x3000 || (code >= 0x2000 && code <= 0x200A) ||
      (code >= 0x2010 && code <= 0x2015) || code == 0x2212)
    return SlugPart::space;  // no-break and other spaces; hyphens and dashes (2020–21), minus
  // Letters, numbers and marks inside the blocks of symbols below.
  static constexpr std::pair<char32_t, char32_t> words[] = {
      {0xAA, 0xAA},      // ª
      {0xB2, 0xB3},      // ² ³
      {0xB5, 0xB5},      // µ
      {0xB9, 0xBA},      // ¹ º
      {0xBC, 0xBE},      // ¼ ½ ¾
      {0x200C, 0x200D},  // zero-width non-joiner and joiner, part of a word's spelling (Persian)
      {0x2070, 0x209F},  // superscripts and subscripts (CO₂)
      {0x2100, 0x2115},  // letterlike symbols (ℓ, ℃), but № ℗ ℠ ™
      {0x2118, 0x211F},  // ℘ to ℟
      {0x2121, 0x2121},  // ℡
      {0x2123, 0x214F},  // ℣ to ⅏
      {0x2150, 0x218F},  // number forms (⅓, Ⅻ)
      {0x2460, 0x24FF},  // enclosed alphanumerics (①)
      {0x3005, 0x3007},  // 々 〆 〇
      {0x3021, 0x3029},  // Hangzhou numerals
      {0x3031, 0x3035},  // kana repeat marks
      {0x3038, 0x303C},  // 〸 to 〼
      {0xFE20, 0xFE2F},  // combining half marks
  };
  static constexpr std::pair<char32_t, char32_t> symbols[] = {
      {0x80, 0xBF},        // controls, Latin-1 punctuation and symbols (£, ©, «)
      {0xD7, 0xD7},        // ×
      {0xF7, 0xF7},        // ÷
      {0x2000, 0x2BFF},    // general punctuation, currency (€), letterlike (™), arrows, maths, shapes, dingbats
      {0x2E00, 0x2E7F},    // supplemental punctuation
      {0x3000, 0x303F},    // CJK punctuation
      {0xE000, 0xF8FF},    // private use
      {0xFE00, 0xFE6F},    // variation selectors, vertical and small forms
      {0xFEFF, 0xFEFF},    // byte order mark
      {0xFF01, 0xFF0F},    // fullwidth punctuation: ！ to ／
      {0xFF1A, 0xFF20},    // ： to ＠
      {0xFF3B, 0xFF40},    // ［ to ｀
      {0xFF5B, 0xFF65},    // ｛ to ･
      {0xFFF0, 0xFFFF},    // specials, the replacement character among them
      {0x1F000, 0x1FAFF},  // emoji and pictographs
      {0xE0000, 0xE007F},  // tags
  };
  return in_ranges(code, words) || !in_ranges(code, symbols) ? SlugPart::word : SlugPart::none;
}

}  // namespace

std::string slugify(std::string_view text) {
  std::string out;
  bool pending_hyphen = false;
  for (std::size_t i = 0; i < text.size();) {
    const auto sequence = utf8_sequence_at(text, i);
    const auto part = sequence.valid ? slug_part(sequence.code) : SlugPart::none;
    if (part == SlugPart::word) {
      if (pending_hyphen && !out.empty()) out += '-';
      pending_hyphen = false;
      const auto c = text[i];
      if (sequence.length == 1)
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      else
        out += text.substr(i, sequence.length);
    } else if (part == SlugPart::space) {
      pending_hyphen = true;
    }
    i += sequence.length;
  }
  return out;
}

LineColumn line_column_at(std::string_view text, std::size_t offset) {
  LineColumn at;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
      ++at.column;
    }
  }
  return at;
}

std::size_t find_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // most text is ASCII
      ++i;
      continue;
    }
    const auto sequence = utf8_sequence_at(text, i);
    if (!sequence.valid) return i;
    i += sequence.length;
  }
  return std::string_view::npos;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a swap of two neighbouring letters ("biuld") counts as one edit.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

namespace {

/// edit_distance(a, b) when it is at most `bound`, else bound + 1, in O(bound × length) time:
/// only cells within `bound` of the diagonal can be that close, and once a whole row is
/// farther, the rest cannot come back. `rows` is reused from call to call; `cells` counts the
/// work done.
std::size_t distance_within(std::string_view a, std::string_view b, std::size_t bound, std::vector<std::size_t>& rows, std::uint64_t& cells) {
  const auto length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  ++cells;
  if (length_gap > bound) return bound + 1;
  const std::size_t far = bound + 1, width = b.size() + 1;
  rows.resize(3 * width);  // the rows i - 2, i - 1 and i, in turn; only the band is ever read
  auto row = [&](std::size_t i) { return rows.data() + (i % 3) * width; };
  for (std::size_t j = 0; j <= std::min(b.size(), bound); ++j) row(0)[j] = j;
  if (bound < b.size()) row(0)[bound + 1] = far;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    auto* d = row(i);
    const auto* up = row(i - 1);
    const auto* up2 = i > 1 ? row(i - 2) : nullptr;
    const auto first = i > bound ? i - bound : 0, last = std::min(b.size(), i + bound);
    // The cells just outside the band are read by this row and the next.
    d[first == 0 ? 0 : first - 1] = first == 0 ? i : far;
    if (last < b.size()) d[last + 1] = far;
    std::size_t nearest = first == 0 ? d[0] : far;
    for (std::size_t j = std::max<std::size_t>(first, 1); j <= last; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[j] = std::min({up[j] + 1, d[j - 1] + 1, up[j - 1] + cost, far});
      if (up2 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[j] = std::min(d[j], up2[j - 2] + 1);
      nearest = std::min(nearest, d[j]);
    }
    cells += last + 1 - first;
    if (nearest > bound) return far;
  }
  return std::min(row(a.size())[b.size()], far);
}

}  // namespace

std::string closest_match(std::string_view word, std::span<const std::string> candidates, SuggestionBudget& budget) {
  const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  std::string best;
  std::size_t best_distance = limit + 1;
  std::vector<std::size_t> rows;
  std::uint64_t cells = 0;
  // Each letter the candidate has more of than the word (or fewer) takes an edit at least:
  // a count that rules out most candidates before any table is filled.
  std::array<int, 256> letters{};
  for (const char c : word) ++letters[static_cast<unsigned char>(c)];
  auto letters_apart = [&](std::string_view candidate) {
    std::size_t extra = 0;
    for (const char c : candidate) extra += letters[static_cast<unsigned char>(c)]-- <= 0 ? 1 : 0;
    for (const char c : candidate) ++letters[static_cast<unsigned char>(c)];
    cells += candidate.size();
    return std::max(extra, word.size() + extra - candidate.size());
  };
  for (const auto& candidate : candidates) {
    if (cells >= budget.cells) break;  // what is found so far is close enough to suggest
    // Only a candidate closer than the best so far matters, so the bound shrinks as it goes.
    const auto bound = best_distance - 1;
    if (candidate.size() + bound < word.size() || word.size() + bound < candidate.size() || letters_apart(candidate) > bound) continue;
    const auto distance = distance_within(word, candidate, bound, rows, cells);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
      if (distance == 0) break;
    }
  }
  budget.cells -= std::min(cells, budget.cells);
  return best;
}

std::string closest_match(std::string_view word, std::span<const std::string> candidates) {
  SuggestionBudget budget;
  return closest_match(word, candidates, budget);
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates, SuggestionBudget& budget) {
  const auto match = closest_match(word, candidates, budget);
  // The word itself is no suggestion: a name declared on a row that failed is among the candidates.
  return match.empty() || match == word ? std::string{} : " (did you mean \"" + match + "\"?)";
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  SuggestionBudget budget;
  return did_you_mean(word, candidates, budget);
}

std::optional<CostlyMarkdown> find_costly_markdown(std::string_view markdown) {
  // Steps of the library's work, as measured: `![[]()` repeated 160,000 times is 1.3e10 steps
  // and 40 s; a 10,000-cell row is 1e8 steps and 0.2 s. The limit keeps a page under a second.
  constexpr std::uint64_t most_steps = 250'000'000;
  std::uint64_t bracket_steps = 0, cell_steps = 0;
  std::uint64_t open_brackets = 0;  // the library's stack of brackets: it walks it at every ]
  for (std::size_t line_start = 0; line_start < markdown.size();) {
    const auto line_end = std::min(markdown.find('\n', line_start), markdown.size());
    const auto line = markdown.substr(line_start, line_end - line_start);
    if (trim(line).empty()) open_brackets = 0;  // a blank line ends the paragraph, and its stack
    std::uint64_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '[')
        ++open_brackets;
      else if (line[i] == ']')
        bracket_steps += open_brackets > 0 ? open_brackets-- : 0;
      else if (line[i] == '|')
        ++pipes;
    }
    cell_steps += pipes * pipes;  // each cell of a row is appended to the end of a linked list
    if (bracket_steps > most_steps)
      return CostlyMarkdown{line_start,
                            "too many [ brackets left open before the links that follow them: the Markdown library (cmark-gfm "
                            "0.29.0.gfm.6) would take minutes over this (0.29.0.gfm.7 fixes it); close each [ with ], or write \\[ "
                            "for a bracket that is text"};
    if (cell_steps > most_steps)
      return CostlyMarkdown{line_start,
                            "table rows with too many cells: the Markdown library (cmark-gfm 0.29.0.gfm.6) takes time that grows "
                            "with the square of the cells in a row (0.29.0.gfm.12 fixes it); split the table into narrower ones"};
    line_start = line_end + 1;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    auto line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string join_nonempty(std::initializer_list<std::string> parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string shorten_text(std::string_view text, std::size_t max_chars) {
  // The words with one space between them, copied a word at a time and only as far as the first
  // character past max_chars: a long paragraph is cut there anyway.
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };  // as trim()'s
  const auto starts_character = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  std::string collapsed;
  collapsed.reserve(std::min(text.size(), 4 * max_chars + 8));
  std::size_t collapsed_chars = 0;
  const auto trimmed = trim(text);
  for (auto at = trimmed.begin(); at != trimmed.end() && collapsed_chars <= max_chars;) {
    const auto word_end = std::find_if(at, trimmed.end(), is_space);
    if (!collapsed.empty()) {
      collapsed += ' ';
      ++collapsed_chars;
    }
    collapsed.append(at, word_end);
    collapsed_chars += static_cast<std::size_t>(std::count_if(at, word_end, starts_character));
    at = std::find_if_not(word_end, trimmed.end(), is_space);
  }
  // Count characters rather than bytes so a cut never splits a UTF-8 sequence.
  std::size_t chars = 0, cut = collapsed.size(), last_space = std::string::npos;
  for (std::size_t i = 0; i < collapsed.size(); ++i) {
    if ((static_cast<unsigned char>(collapsed[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) {
      cut = i;
      break;
    }
    if (collapsed[i] == ' ') last_space = i;
    ++chars;
  }
  if (cut == collapsed.size()) return collapsed;
  if (last_space != std::string::npos && last_space > cut / 2) cut = last_space;
  collapsed.resize(cut);
  while (!collapsed.empty() && (collapsed.back() == ' ' || collapsed.back() == ',' || collapsed.back() == '.')) collapsed.pop_back();
  return collapsed + "…";
}

}  // namespace plainsight
