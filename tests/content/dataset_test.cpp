#include <doctest/doctest.h>

#include <map>

#include "content/dataset.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::contains;

namespace {

TableSchema spending_schema() {
  Diagnostics diagnostics;
  const auto source = parse_json(R"({"fields": [
    {"name": "supplier", "type": "string", "constraints": {"required": true}},
    {"name": "service", "type": "string"},
    {"name": "amount", "type": "number", "groupChar": ","},
    {"name": "reference", "type": "string", "constraints": {"unique": true}}
  ]})",
                                 "schema.json", diagnostics);
  REQUIRE(source);
  auto schema = load_table_schema(*source, diagnostics);
  REQUIRE(schema);
  return *schema;
}

DatasetSettings settings(std::vector<std::string> group_by, std::vector<std::string> totals, std::string total_label = {}) {
  DatasetSettings result;
  result.group_by = std::move(group_by);
  result.totals = std::move(totals);
  result.total_label = std::move(total_label);
  result.group_page_rows = 2;
  result.where = {"content/spend/index.md", 3, 1};
  return result;
}

}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a dataset's rows are read, totalled against its total row and grouped, largest first") {
    Diagnostics diagnostics;
    const auto dataset = load_dataset(spending_schema(),
                                      {{"data.csv",
                                        "supplier,service,amount,reference\n"
                                        "Acme,Roads,\"1,000\",A1\n"
                                        "Bolt,Roads,250.5,A2\n"
                                        "Acme,Schools,\"2,000\",A3\n"
                                        "Total,,\"3,250.5\",\n"}},
                                      settings({"supplier", "service"}, {"amount"}, "Total"), diagnostics);
    REQUIRE_MESSAGE(dataset, all_messages(diagnostics));
    CHECK(dataset->rows.size() == 3);
    REQUIRE(dataset->published_total);
    CHECK(dataset->computed_totals == std::vector<double>{3250.5});
    REQUIRE(dataset->groups.size() == 2);
    const auto& suppliers = dataset->groups[0];
    REQUIRE(suppliers.size() == 2);
    CHECK(suppliers[0].value == "Acme");
    CHECK(suppliers[0].sums == std::vector<double>{3000});
    CHECK(suppliers[0].rows == std::vector<std::size_t>{0, 2});
    CHECK(suppliers[0].has_page);  // two rows, and pages start at two here
    CHECK_FALSE(suppliers[1].has_page);
    CHECK(dataset->groups[1][0].value == "Schools");  // £2,000 before Roads' £1,250.50
  }

  TEST_CASE("group values that make the same address are numbered apart, and a renamed page is a warning at its value's first row") {
    Diagnostics diagnostics;
    const auto dataset = load_dataset(spending_schema(),
                                      {{"data.csv",
                                        "supplier,service,amount,reference\n"
                                        "Acme,Adult Social Care,1,A1\n"
                                        "Acme,Adult social care,1,A2\n"
                                        "Acme,Adult social care,1,A3\n"
                                        "Acme,value 2,1,A4\n"
                                        "Acme,value-2,1,A5\n"
                                        "Acme,£,1,A6\n"
                                        "Acme,–,1,A7\n"
                                        "Acme,Value,1,A8\n"}},
                                      settings({"service"}, {"amount"}), diagnostics);
    REQUIRE_MESSAGE(dataset, all_messages(diagnostics));
    std::map<std::string, std::string> slug_of;
    for (const auto& group : dataset->groups[0]) slug_of[group.value] = group.slug;
    CHECK(slug_of["Adult Social Care"] == "adult-social-care");
    CHECK(slug_of["Adult social care"] == "adult-social-care-2");
    CHECK(slug_of["value 2"] == "value-2");
    CHECK(slug_of["value-2"] == "value-2-2");  // was given value-2 twice
    CHECK(slug_of["Value"] == "value");
    CHECK(slug_of["£"] == "value-3");  // after value-2, which "value 2" took
    CHECK(slug_of["–"] == "value-4");
    // Only the renamed value with a page (two rows here) is said; the others have no page to find.
    CHECK(diagnostics.warning_count() == 1);
    CHECK(contains(all_messages(diagnostics),
                   "data.csv:3:1: warning: \"service\" values \"Adult Social Care\" and \"Adult social care\" both make "
                   "the address \"adult-social-care\", so the page of \"Adult social care\" is at \"adult-social-care-2\""));
  }

  TEST_CASE("the total row is held to its field's type, not to the minimum and maximum each row keeps to") {
    Diagnostics diagnostics;
    const auto source = parse_json(R"({"fields": [{"name": "item", "type": "string"},
                                                  {"name": "amount", "type": "integer", "constraints": {"minimum": 0, "maximum": 5000}}]})",
                                   "schema.json", diagnostics);
    REQUIRE(source);
    auto schema = load_table_schema(*source, diagnostics);
    REQUIRE(schema);
    const auto dataset =
        load_dataset(*schema, {{"data.csv", "item,amount\nA,3000\nB,4000\nTotal,7000\n"}}, settings({}, {"amount"}, "Total"), diagnostics);
    REQUIRE_MESSAGE(dataset, all_messages(diagnostics));
    CHECK(dataset->computed_totals == std::vector<double>{7000});
    // A row is still held to them, and the total to its type.
    CHECK_FALSE(load_dataset(*schema, {{"data.csv", "item,amount\nA,6000\nTotal,6000\n"}}, settings({}, {"amount"}, "Total"), diagnostics));
    CHECK(contains(all_messages(diagnostics), "data.csv:2:3: error: \"6000\" is more than the maximum, 5000"));
    Diagnostics typed;
    CHECK_FALSE(load_dataset(*schema, {{"data.csv", "item,amount\nA,1\nTotal,lots\n"}}, settings({}, {"amount"}, "Total"), typed));
    CHECK(contains(all_messages(typed), "data.csv:3:7: error: \"lots\" is not a whole number"));
  }

  TEST_CASE("a CSV saved as Excel's plain CSV, Windows-1252, is read as it is for a plan's tables, with a warning") {
    Diagnostics diagnostics;
    const auto dataset = load_dataset(spending_schema(), {{"data.csv", "supplier,service,amount,reference\nCaf\xE9 Ltd,Roads,\"1,000\",A1\n"}},
                                      settings({}, {"amount"}), diagnostics);
    REQUIRE_MESSAGE(dataset, all_messages(diagnostics));
    CHECK(dataset->rows[0].values[0].text == "Café Ltd");
    CHECK(contains(all_messages(diagnostics), "data.csv:1:1: warning: this file is not UTF-8, so it was read as Windows-1252"));
  }

  TEST_CASE("a group_by field whose name makes no address for its pages is an error at the setting") {
    Diagnostics diagnostics;
    const auto source =
        parse_json(R"({"fields": [{"name": "£", "type": "string"}, {"name": "amount", "type": "number"}]})", "schema.json", diagnostics);
    REQUIRE(source);
    auto schema = load_table_schema(*source, diagnostics);
    REQUIRE(schema);
    CHECK_FALSE(load_dataset(*schema, {{"data.csv", "£,amount\nA,1\n"}}, settings({"£"}, {"amount"}), diagnostics));
    CHECK(contains(all_messages(diagnostics), "content/spend/index.md:3:1: error: \"group_by\" names \"£\", which has no letter or digit"));
  }

  TEST_CASE("every value that does not fit is an error at its file, line and column, and a total that does not add up gives both") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_dataset(spending_schema(),
                             {{"a.csv",
                               "supplier,service,amount,reference\n"
                               ",Roads,ten,A1\n"
                               "Bolt,Roads,5,A1\n"},
                              {"b.csv", "supplier,amount\nAcme,1\n"}},
                             settings({"suplier"}, {"service"}), diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(contains(messages, "a.csv:2:1: error: \"supplier\" is required"));
    CHECK(contains(messages, "a.csv:2:8: error: \"ten\" is not a number for \"amount\""));
    CHECK(contains(messages, "a.csv:3:14: error: \"A1\" is given twice in \"reference\""));
    CHECK(contains(messages, "b.csv:1:1: error: the header is supplier, amount; schema.json's fields are supplier, service, amount, reference"));
    CHECK(contains(messages, "\"group_by\" names \"suplier\", which is no field of schema.json (did you mean \"supplier\"?)"));
    CHECK(contains(messages, "\"totals\" names \"service\", which is a string field"));

    Diagnostics totals;
    CHECK_FALSE(load_dataset(spending_schema(), {{"data.csv", "supplier,service,amount,reference\nAcme,Roads,10,A1\nTOTAL,,11,\n"}},
                             settings({}, {"amount"}, "Total"), totals));
    CHECK(
        contains(all_messages(totals), "data.csv:3:1: error: the total row gives 11 for \"amount\", but its rows add up to 10 (a difference of 1)"));
  }
}
