#pragma once

#include <string>

namespace plainsight {

/// Numbers are formatted here, in en-GB style, before they reach a template (Mustache has no
/// number type).

/// "1,500,000" or "1,500,000.50"; negative numbers use a minus sign.
std::string format_number(double value, int decimals = 0);
/// "£1,500,000", "−£365,386"; currency is an ISO 4217 code (GBP, EUR, USD have symbols).
std::string format_money(double amount, const std::string& currency = "GBP", int decimals = 0);
/// "56.9%" from 56.9.
std::string format_percent(double value, int decimals = 1);

/// The fewest decimals, up to `most`, that show `value` as it is (0.004 needs 3, 51.9 one): a
/// figure is shown as the council gave it, never cut to two decimals.
int decimals_of(double value, int most = 6);

/// A measure's value as the site shows it, by unit: "56.9%" (percent), "£1,500,000" (gbp,
/// with pence as two decimals at least), "12 days" (days), "1,234" (count, number), with only as
/// many decimals as it needs (decimals_of).
std::string format_in_unit(double value, const std::string& unit);

}  // namespace plainsight
