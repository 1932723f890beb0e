#include "core/dates.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

namespace plainsight {
namespace {

bool read_int(std::string_view text, std::size_t at, std::size_t digits, int& value) {
  if (at + digits > text.size()) return false;
  for (std::size_t i = at; i < at + digits; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  std::from_chars(text.data() + at, text.data() + at + digits, value);
  return true;
}

constexpr std::array<const char*, 12> month_names = {"January", "February", "March",     "April",   "May",      "June",
                                                     "July",    "August",   "September", "October", "November", "December"};

}  // namespace

bool is_valid_date(int year, int month, int day) {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const auto ymd = std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} / std::chrono::day{static_cast<unsigned>(day)};
  return ymd.ok();
}

std::optional<DateTime> parse_iso_date(std::string_view text) {
  DateTime date;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!read_int(text, 0, 4, date.year) || !read_int(text, 5, 2, date.month) || !read_int(text, 8, 2, date.day)) return std::nullopt;
  if (!is_valid_date(date.year, date.month, date.day)) return std::nullopt;
  if (text.size() == 10) return date;

  if (text[10] != 'T' && text[10] != ' ') return std::nullopt;
  if (!read_int(text, 11, 2, date.hour) || text.size() < 16 || text[13] != ':' || !read_int(text, 14, 2, date.minute)) return std::nullopt;
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!read_int(text, at + 1, 2, date.second)) return std::nullopt;
    at += 3;
  }
  if (date.hour > 23 || date.minute > 59 || date.second > 59) return std::nullopt;
  date.has_time = true;
  if (at == text.size()) return date;
  if (text[at] == 'Z' && at + 1 == text.size()) return date;
  if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() && text[at + 3] == ':') {
    int hours = 0, minutes = 0;
    if (!read_int(text, at + 1, 2, hours) || !read_int(text, at + 4, 2, minutes) || hours > 14 || minutes > 59) return std::nullopt;
    date.offset_minutes = (text[at] == '-' ? -1 : 1) * (hours * 60 + minutes);
    return date;
  }
  return std::nullopt;
}

std::string format_date_long(const DateTime& date) {
  return std::to_string(date.day) + ' ' + month_names.at(static_cast<std::size_t>(date.month - 1)) + ' ' + std::to_string(date.year);
}

std::string format_date_iso(const DateTime& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

std::string format_date_rfc3339(const DateTime& date) {
  char buffer[40];
  if (!date.has_time || date.offset_minutes == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month, date.day, date.hour, date.minute, date.second);
  } else {
    const int offset = date.offset_minutes < 0 ? -date.offset_minutes : date.offset_minutes;
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", date.year, date.month, date.day, date.hour, date.minute,
                  date.second, date.offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
  }
  return buffer;
}

long long to_utc_minutes(const DateTime& date) {
  const auto days = std::chrono::sys_days{std::chrono::year{date.year} / std::chrono::month{static_cast<unsigned>(date.month)} /
                                          std::chrono::day{static_cast<unsigned>(date.day)}}
                        .time_since_epoch()
                        .count();
  return static_cast<long long>(days) * 24 * 60 + date.hour * 60 + date.minute - date.offset_minutes;
}

std::string spreadsheet_date_as_iso(const std::string& text) {
  int day = 0, month = 0, year = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%2d/%2d/%4d%c", &day, &month, &year, &extra) == 3 && year >= 1000) {
    auto iso = fmt::format("{:04}-{:02}-{:02}", year, month, day);
    if (parse_iso_date(iso)) return iso;
  }
  return text;
}

}  // namespace plainsight
