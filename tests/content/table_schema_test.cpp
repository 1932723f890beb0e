#include <doctest/doctest.h>

#include "content/table_schema.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::contains;

namespace {

std::optional<TableSchema> schema_of(const std::string& text, Diagnostics& diagnostics) {
  const auto source = parse_json(text, "schema.json", diagnostics);
  if (!source) return std::nullopt;
  return load_table_schema(*source, diagnostics);
}

const char* every_type = R"({
  "missingValues": ["", "N/A"],
  "fields": [
    {"name": "supplier", "type": "string", "constraints": {"required": true}},
    {"name": "amount", "type": "number", "groupChar": ",", "bareNumber": false, "constraints": {"minimum": 0}},
    {"name": "count", "type": "integer", "constraints": {"maximum": 10}},
    {"name": "paid", "type": "date", "format": "%d/%m/%Y", "constraints": {"minimum": "2020-01-01"}},
    {"name": "month", "type": "date", "format": "%B %Y"},
    {"name": "iso", "type": "date"},
    {"name": "recurring", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"]},
    {"name": "category", "type": "string", "constraints": {"enum": ["goods", "services", "works"]}}
  ]
})";

/// The value read for `text` in field `name`, or the problem.
std::string read(const TableSchema& schema, const std::string& name, const std::string& text) {
  std::string problem;
  const auto& field = schema.fields.at(schema.field_index(name));
  const auto value = read_table_value(field, schema, text, problem);
  return value ? (value->missing ? "missing" : normalised_value(field, *value)) : "error: " + problem;
}

}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a Table Schema's values are read by their type, normalised as open data writes them") {
    Diagnostics diagnostics;
    const auto schema = schema_of(every_type, diagnostics);
    REQUIRE_MESSAGE(schema, all_messages(diagnostics));
    CHECK(read(*schema, "supplier", "Acme Ltd") == "Acme Ltd");
    CHECK(read(*schema, "amount", "£1,500.50") == "1500.5");
    CHECK(read(*schema, "amount", "1500") == "1500");
    CHECK(read(*schema, "amount", "N/A") == "missing");
    CHECK(read(*schema, "count", "7") == "7");
    CHECK(read(*schema, "paid", "01/04/2020") == "2020-04-01");
    CHECK(read(*schema, "month", "April 2020").starts_with("error"));  // %B %Y has no day: not a date
    CHECK(read(*schema, "iso", "2020-04-01") == "2020-04-01");
    CHECK(read(*schema, "recurring", "Y") == "true");
    CHECK(read(*schema, "recurring", "N") == "false");
    CHECK(read(*schema, "category", "works") == "works");
  }

  TEST_CASE("a value that does not fit its field says what was expected") {
    Diagnostics diagnostics;
    const auto schema = schema_of(every_type, diagnostics);
    REQUIRE(schema);
    CHECK(read(*schema, "supplier", "") == "error: \"supplier\" is required, and this row has no value for it");
    CHECK(read(*schema, "amount", "lots") == "error: \"lots\" is not a number for \"amount\" (expected a number such as 1500.50)");
    CHECK(read(*schema, "amount", "-5") == "error: \"-5\" is less than the minimum, 0 (\"amount\")");
    CHECK(read(*schema, "count", "2.5") == "error: \"2.5\" is not a whole number for \"count\" (expected a whole number such as 1500)");
    CHECK(read(*schema, "count", "11") == "error: \"11\" is more than the maximum, 10 (\"count\")");
    CHECK(read(*schema, "paid", "31/02/2020") == "error: \"31/02/2020\" is not a date for \"paid\" (expected the format %d/%m/%Y)");
    CHECK(read(*schema, "paid", "01/01/2019") == "error: \"01/01/2019\" is before the minimum, 2020-01-01 (\"paid\")");
    CHECK(read(*schema, "iso", "1 April 2020") == "error: \"1 April 2020\" is not a date for \"iso\" (expected YYYY-MM-DD, such as 2020-04-01)");
    CHECK(read(*schema, "recurring", "yes") == "error: \"yes\" is not true or false for \"recurring\" (expected one of Y or N)");
    CHECK(read(*schema, "category", "work") ==
          "error: \"work\" is not one of the values \"category\" allows: goods, services, works (did you mean \"works\"?)");
    // Without groupChar, a thousands separator is refused, with the way to allow it.
    Diagnostics plain_diagnostics;
    const auto plain = schema_of(R"({"fields": [{"name": "n", "type": "number"}]})", plain_diagnostics);
    REQUIRE(plain);
    CHECK(contains(read(*plain, "n", "1,500"), "give the field \"groupChar\": \",\" to read 1,500"));
  }

  TEST_CASE("a number's sign is read before it or as brackets, and a sign after it or a credit mark is refused, never read past") {
    Diagnostics diagnostics;
    const auto schema = schema_of(R"({"fields": [{"name": "net", "type": "number", "groupChar": ",", "bareNumber": false},
                                                 {"name": "bare", "type": "number"}]})",
                                  diagnostics);
    REQUIRE_MESSAGE(schema, all_messages(diagnostics));
    CHECK(read(*schema, "net", "-£500.00") == "-500");
    CHECK(read(*schema, "net", "£-500.00") == "-500");
    CHECK(read(*schema, "net", "(250.00)") == "-250");
    CHECK(read(*schema, "net", "£(250.00)") == "-250");
    CHECK(read(*schema, "net", "(£1,250.50)") == "-1250.5");
    CHECK(read(*schema, "net", "£1,500.50") == "1500.5");
    CHECK(read(*schema, "net", "95%") == "95");
    CHECK(read(*schema, "net", "EUR 95") == "95");  // letters around a number are read past, but for CR and DR
    CHECK(read(*schema, "net", "1,000 CR") ==
          "error: \"1,000 CR\" is not a number for \"net\" (a credit or debit mark is not read: write a credit as -1500 or (1500))");
    CHECK(read(*schema, "net", "dr 1,000").starts_with("error: \"dr 1,000\" is not a number for \"net\" (a credit or debit mark"));
    // Words around the number are read past, a hyphen or bracket in them no sign.
    CHECK(read(*schema, "net", "Year-end £500") == "500");
    CHECK(read(*schema, "net", "Pre-paid 300") == "300");
    CHECK(read(*schema, "net", "£5,000 + VAT") == "5000");
    CHECK(read(*schema, "net", "£500 (est.)") == "500");
    CHECK(read(*schema, "net", "\u2212£250") == "-250");  // the minus sign the pages print
    CHECK(read(*schema, "net", "- £250") == "-250");
    for (const std::string sign : {"500-", "(250.00", "250.00)", "--5", "-(5)", "(-5)", "5 \u2212"})
      CHECK_MESSAGE(read(*schema, "net", sign) == "error: \"" + sign +
                                                      "\" is not a number for \"net\" (a sign is read only before the number, or as "
                                                      "brackets around it: -1500, -£1500 or (1500))",
                    sign);
    CHECK(read(*schema, "bare", "-5") == "-5");
    // Beyond what a number keeps exactly: refused, never rounded.
    CHECK(read(*schema, "bare", "123456789012345") == "123456789012345");
    CHECK(read(*schema, "bare", "0.000123456789012345") == "0.000123456789012345");
    CHECK(read(*schema, "bare", "12345678901234567890") ==
          "error: \"12345678901234567890\" is not a number for \"bare\" (more than 15 significant digits, which a number cannot keep exactly: "
          "make the field a string if it is a reference)");
    CHECK(read(*schema, "net", "£1,234,567,890,123,456.00").starts_with("error: "));
  }

  TEST_CASE("a date's %Y is four digits: a two-digit year is refused, not read as the year 20") {
    Diagnostics diagnostics;
    const auto schema = schema_of(every_type, diagnostics);
    REQUIRE(schema);
    CHECK(read(*schema, "paid", "03/04/2020") == "2020-04-03");
    CHECK(read(*schema, "paid", "03/04/20") == "error: \"03/04/20\" is not a date for \"paid\" (expected the format %d/%m/%Y)");
    CHECK(read(*schema, "paid", "3/4/2020") == "2020-04-03");  // a day and month may be one digit
  }

  TEST_CASE("a schema's own mistakes are reported at their place, all at once") {
    Diagnostics diagnostics;
    CHECK_FALSE(schema_of(R"({"fields": [
      {"name": "a", "type": "text"},
      {"name": "A", "type": "string"},
      {"name": "d", "type": "date", "format": "dd/mm/yyyy"},
      {"name": "s", "type": "string", "constraints": {"minimum": 1, "pattern": "x"}},
      {"title": "no name"}
    ]})",
                          diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(contains(messages, "schema.json:2:"));
    CHECK(contains(messages, "error: unknown type \"text\" (expected string, number, integer, date or boolean)"));
    CHECK(contains(messages, "the field \"A\" is named twice"));
    CHECK(contains(messages, "a date's format is a pattern such as \"%d/%m/%Y\""));
    CHECK(contains(messages, "\"minimum\" applies to numbers and dates"));
    CHECK(contains(messages, "\"pattern\" is not checked by plainsight yet"));
    CHECK(contains(messages, "missing \"name\""));
  }
}
