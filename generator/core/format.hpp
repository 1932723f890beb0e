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

/// A measure's value as the site shows it, by unit: "56.9%" (percent), "£1,500,000" (gbp),
/// "12 days" (days), "1,234" (count, number). Shows up to two decimals, only as many as needed.
std::string format_in_unit(double value, const std::string& unit);

}  // namespace plainsight
