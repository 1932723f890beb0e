#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace plainsight {

/// Escapes &, <, >, " and ' so text is safe in HTML and XML content and attributes, and
/// replaces each character XML and HTML forbid (see find_forbidden_character) with U+FFFD.
std::string escape_html(std::string_view text);

/// Where the first character starts that makes XML 1.0 not well-formed or is a parse error in
/// HTML: C0 controls other than tab, line feed and carriage return, DEL, C1 controls (U+0080 to
/// U+009F), noncharacters (U+FDD0 to U+FDEF, U+FFFE, U+FFFF and their kin in every plane), or
/// invalid UTF-8. npos if there is none.
std::size_t find_forbidden_character(std::string_view text);
/// The text with each forbidden character (each byte of invalid UTF-8) replaced by U+FFFD,
/// for markup that is already escaped.
std::string replace_forbidden_characters(std::string_view text);

/// A URL-safe id from a heading or title: lower-case ASCII letters and digits, other
/// letters kept as they are, spaces, hyphens and dashes become single hyphens, other
/// punctuation and symbols (£, curly quotes, emoji) and invalid UTF-8 go.
std::string slugify(std::string_view text);

struct LineColumn {
  int line = 1;
  int column = 1;
};
/// The 1-based line and column of a byte offset; columns count characters, not bytes.
LineColumn line_column_at(std::string_view text, std::size_t offset);

/// Where the first invalid UTF-8 sequence starts, or npos if the text is valid.
std::size_t find_invalid_utf8(std::string_view text);

std::size_t edit_distance(std::string_view a, std::string_view b);

/// How much work searches for a close word may still do, shared by many searches (a build's
/// broken links against its pages) so that all their suggestions together stay under a
/// second. A search that runs out suggests the closest it has found so far, if any.
struct SuggestionBudget {
  std::uint64_t cells = 1'000'000'000;  ///< letters compared or table cells filled: about 1 ns each
};
/// The closest candidate to a mistyped word, or "" when none is close enough to suggest (an
/// edit distance of at most a third of its length, and 3). Candidates of a length too far
/// off cost nothing, and others only the cells near the table's diagonal.
std::string closest_match(std::string_view word, std::span<const std::string> candidates, SuggestionBudget& budget);
std::string closest_match(std::string_view word, std::span<const std::string> candidates);
/// " (did you mean "x"?)" or "".
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates, SuggestionBudget& budget);
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

/// Markdown that cmark-gfm 0.29.0.gfm.6, the version Debian ships, would take minutes over:
/// `[` brackets left open before many links (`![[]()` repeated; fixed in 0.29.0.gfm.7,
/// CVE-2023-22486) and table rows of very many cells (fixed in 0.29.0.gfm.12, CVE-2023-37463).
/// It is here rather than in markdown/ because the content loader reports it, and the loader
/// does not link the Markdown library.
struct CostlyMarkdown {
  std::size_t offset = 0;  ///< the start of the line where the work goes over the limit
  std::string message;
};
std::optional<CostlyMarkdown> find_costly_markdown(std::string_view markdown);

std::string_view trim(std::string_view text);
/// ASCII letters in lower case; other bytes as they are.
std::string to_lower_ascii(std::string_view text);
std::vector<std::string_view> split_lines(std::string_view text);

/// The parts that are not empty, with `separator` between them.
std::string join_nonempty(std::initializer_list<std::string> parts, std::string_view separator);

/// Collapses whitespace and cuts at a word boundary to at most max_chars characters, adding "…".
std::string shorten_text(std::string_view text, std::size_t max_chars);

}  // namespace plainsight
