#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/dates.hpp"

namespace plainsight {

/// Values as councils publish them in spreadsheets: "£1,500,000.00", "(365,386)", "01/04/2020",
/// and words for "not known yet" such as TBA.

/// The word, when the text says the figure is not known yet ("TBA", "TBC", "Unknown", "N/A",
/// "NIL", or a blank cell): returned in its usual capitals; nullopt otherwise.
std::optional<std::string> not_yet_known_word(std::string_view text);

/// "£1,500,000.00", "1500000", "36,000.00", "-5", "(365,386)" (negative) → the number.
/// nullopt when the text is not an amount.
std::optional<double> parse_amount(std::string_view text);

/// A date as published, to the precision it was given: "dd/mm/yyyy" (or d/m/yyyy), "yyyy-mm-dd";
/// a month: "mm/yyyy", "yyyy-mm", "April 2020", "Sept 2021"; a year: "2021", or a span of years
/// "2019 - 2022" or "2021/2022", which gives its first year. The date is the first day of the
/// month or year when only those are known.
struct PublishedDate {
  enum class Precision { day, month, year };
  DateTime date;
  Precision precision = Precision::day;
};
std::optional<PublishedDate> parse_published_date(std::string_view text);

}  // namespace plainsight
