#include "core/format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace plainsight {
namespace {

constexpr const char* minus_sign = "\xE2\x88\x92";  // U+2212, read correctly by screen readers

std::string group_thousands(const std::string& digits) {
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) out += ',' + digits.substr(i, 3);
  return out;
}

std::string unsigned_number(double magnitude, int decimals) {
  const auto text = fmt::format("{:.{}f}", magnitude, decimals);
  const auto dot = text.find('.');
  const auto whole = group_thousands(text.substr(0, dot));
  return dot == std::string::npos ? whole : whole + text.substr(dot);
}

bool is_negative(double value, int decimals) {
  // "-0" after rounding is shown as 0.
  return value < 0 && std::round(-value * std::pow(10, decimals)) > 0;
}

}  // namespace

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "not a number";
  return (is_negative(value, decimals) ? minus_sign : "") + unsigned_number(std::fabs(value), decimals);
}

std::string format_money(double amount, const std::string& currency, int decimals) {
  if (!std::isfinite(amount)) return "not a number";
  std::string symbol;
  if (currency == "GBP")
    symbol = "£";
  else if (currency == "EUR")
    symbol = "€";
  else if (currency == "USD")
    symbol = "$";
  const auto digits = unsigned_number(std::fabs(amount), decimals);
  const auto body = symbol.empty() ? digits + ' ' + currency : symbol + digits;
  return (is_negative(amount, decimals) ? minus_sign : "") + body;
}

std::string format_percent(double value, int decimals) { return format_number(value, decimals) + "%"; }

int decimals_of(double value, int most) {
  if (!std::isfinite(value)) return 0;
  int decimals = 0;
  // Relative to the value's size: a double holds some 15 significant digits, and a sum of figures
  // of two decimals may be off from them in its last.
  for (double scaled = std::fabs(value); decimals < most && std::fabs(scaled - std::round(scaled)) > 1e-12 * std::max(1.0, scaled); scaled *= 10)
    ++decimals;
  return decimals;
}

std::string format_in_unit(double value, const std::string& unit) {
  const int decimals = decimals_of(value);
  if (unit == "percent") return format_percent(value, decimals);
  if (unit == "gbp") return format_money(value, "GBP", decimals == 0 ? 0 : std::max(decimals, 2));
  if (unit == "days") return format_number(value, decimals) + (value == 1 ? " day" : " days");
  return format_number(value, decimals);
}

}  // namespace plainsight
