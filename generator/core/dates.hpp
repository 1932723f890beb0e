#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace plainsight {

/// A calendar date with an optional time of day, as written in front matter and data.
struct DateTime {
  int year = 0, month = 0, day = 0;
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;  // from UTC, when has_time

  auto operator<=>(const DateTime&) const = default;
};

/// Parses "2022-03-31", "2022-03-31T09:30", "2022-03-31T09:30:00Z" or with "+01:00".
/// Rejects dates that do not exist (31 April, 29 February 2023).
/// "31/03/2022", as a spreadsheet in a UK locale saves a date, as "2022-03-31"; any other text
/// as it is.
std::string spreadsheet_date_as_iso(const std::string& text);

std::optional<DateTime> parse_iso_date(std::string_view text);

bool is_valid_date(int year, int month, int day);

std::string format_date_long(const DateTime& date);     ///< "31 March 2022"
std::string format_date_iso(const DateTime& date);      ///< "2022-03-31"
std::string format_date_rfc3339(const DateTime& date);  ///< "2022-03-31T00:00:00Z"
/// Minutes since the epoch, for ordering dates written with different offsets.
long long to_utc_minutes(const DateTime& date);

}  // namespace plainsight
