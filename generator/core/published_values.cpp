#include "core/published_values.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "core/text.hpp"

namespace plainsight {
namespace {

bool digits(std::string_view text, std::size_t count) {
  return text.size() == count && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view text) {
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

std::optional<std::string> not_yet_known_word(std::string_view text) {
  text = trim(text);
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.empty()) return std::string{};
  for (const char* word : {"TBA", "TBC", "N/A", "NIL"})
    if (upper == word) return std::string(word);
  if (upper == "UNKNOWN") return std::string("Unknown");
  return std::nullopt;
}

std::optional<double> parse_amount(std::string_view text) {
  text = trim(text);
  bool negative = false;
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    negative = true;
    text = trim(text.substr(1, text.size() - 2));
  }
  if (!text.empty() && (text.front() == '-' || text.starts_with("\xE2\x88\x92"))) {
    negative = !negative;
    text.remove_prefix(text.front() == '-' ? 1 : 3);
  }
  if (text.starts_with("\xC2\xA3")) text.remove_prefix(2);  // £
  text = trim(text);
  std::string plain;
  bool seen_dot = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      plain += c;
    } else if (c == ',' && !seen_dot && !plain.empty()) {
      // A thousands separator must be followed by exactly three digits.
      if (i + 4 > text.size() || !digits(text.substr(i + 1, 3), 3)) return std::nullopt;
      if (i + 4 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 4]))) return std::nullopt;
    } else if (c == '.' && !seen_dot && !plain.empty()) {
      seen_dot = true;
      plain += c;
    } else {
      return std::nullopt;
    }
  }
  if (plain.empty() || plain.back() == '.') return std::nullopt;
  double value = 0;
  const auto result = std::from_chars(plain.data(), plain.data() + plain.size(), value);
  if (result.ec != std::errc{} || !std::isfinite(value)) return std::nullopt;
  return negative ? -value : value;
}

std::optional<PublishedDate> parse_published_date(std::string_view text) {
  using Precision = PublishedDate::Precision;
  text = trim(text);
  auto make = [](int year, int month, int day, Precision precision) -> std::optional<PublishedDate> {
    if (!is_valid_date(year, month, day)) return std::nullopt;
    return PublishedDate{DateTime{year, month, day}, precision};
  };
  if (text.size() == 10 && text[4] == '-') {
    if (auto iso = parse_iso_date(text)) return PublishedDate{*iso, Precision::day};
    return std::nullopt;
  }
  if (digits(text, 4)) return make(to_int(text), 1, 1, Precision::year);
  // yyyy-mm
  if (text.size() == 7 && text[4] == '-' && digits(text.substr(0, 4), 4) && digits(text.substr(5), 2))
    return make(to_int(text.substr(0, 4)), to_int(text.substr(5)), 1, Precision::month);
  // A span of years: "2019 - 2022", "2021/2022", "2021-22" is left alone (ambiguous with yyyy-mm).
  for (const std::string_view separator : {" - ", "/", "-"}) {
    const auto at = text.find(separator);
    if (at == 4 && digits(text.substr(0, 4), 4) && digits(text.substr(4 + separator.size()), 4))
      return make(to_int(text.substr(0, 4)), 1, 1, Precision::year);
  }
  // "April 2020", "Sept 2021", "Jun 2020"
  if (const auto space = text.find(' '); space != std::string_view::npos && digits(text.substr(space + 1), 4)) {
    static constexpr std::array<std::string_view, 12> months = {"january", "february", "march",     "april",   "may",      "june",
                                                                "july",    "august",   "september", "october", "november", "december"};
    auto name = to_lower_ascii(text.substr(0, space));
    if (name.ends_with('.')) name.pop_back();
    for (std::size_t m = 0; m < months.size(); ++m)
      if (name.size() >= 3 && months[m].starts_with(name)) return make(to_int(text.substr(space + 1)), static_cast<int>(m) + 1, 1, Precision::month);
    return std::nullopt;
  }
  // dd/mm/yyyy and mm/yyyy (one-digit days and months are common in spreadsheets)
  const auto first = text.find('/');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('/', first + 1);
  if (second == std::string_view::npos) {
    const auto month = text.substr(0, first), year = text.substr(first + 1);
    if ((digits(month, 1) || digits(month, 2)) && digits(year, 4)) return make(to_int(year), to_int(month), 1, Precision::month);
    return std::nullopt;
  }
  const auto day = text.substr(0, first), month = text.substr(first + 1, second - first - 1), year = text.substr(second + 1);
  if ((digits(day, 1) || digits(day, 2)) && (digits(month, 1) || digits(month, 2)) && digits(year, 4))
    return make(to_int(year), to_int(month), to_int(day), Precision::day);
  return std::nullopt;
}

}  // namespace plainsight
