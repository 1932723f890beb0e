#include <doctest/doctest.h>

#include "content/budget.hpp"
#include "core/files.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;

namespace {
std::optional<Budget> load(const std::string& text, Diagnostics& diagnostics) {
  const auto source = parse_json(text, "budget.json", diagnostics);
  return source ? load_budget(*source, diagnostics) : std::nullopt;
}

std::string table_json(const std::string& rows, const std::string& total, const std::string& known = "") {
  return R"({"title": "Budget", "total": 300, "income": [{"source": "Tax", "amount": 200}, {"source": "Grants", "amount": 100}],
  "controllable": [{"department": "Place", "unit": 1000, "columns": ["Staff", "Premises", "Gross", "Income", "Net"],
    "sums": {"Gross": ["Staff", "Premises"], "Net": ["Gross", "Income"]},
    "rows": [)" +
         rows + R"(],
    "total": )" +
         total + known + "}]}";
}
}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a budget whose totals add up loads, within rounding") {
    Diagnostics diagnostics;
    const auto budget = load(table_json(R"({"label": "Roads", "values": [10, 5, 15, -3, 12]}, {"label": "Parks", "values": [1, null, 1, 0, 1]})",
                                        R"({"label": "Total", "values": [11, 5, 16, -3, 13]})"),
                             diagnostics);
    REQUIRE_MESSAGE(budget, all_messages(diagnostics));
    CHECK(budget->income_total() == 300);
    CHECK(budget->tables[0].unit == 1000);
    CHECK(budget->tables[0].sums.size() == 2);
    diagnostics.clear();
    // £'000 tables are rounded: 10 + 5 published as 16 is within half a unit per figure.
    CHECK(
        load(table_json(R"({"label": "Roads", "values": [10, 5, 16, 0, 16]})", R"({"label": "Total", "values": [10, 5, 16, 0, 16]})"), diagnostics));
  }

  TEST_CASE("a declared total that does not add up names the table, row, column and both figures") {
    Diagnostics diagnostics;
    CHECK_FALSE(load(table_json(R"({"label": "Roads", "values": [10, 5, 18, -3, 15]})", R"({"label": "Total", "values": [10, 5, 18, -3, 20]})"),
                     diagnostics));
    const auto text = all_messages(diagnostics);
    CHECK(text.find("error: Place: row \"Roads\", column \"Gross\" declares £18,000 but its parts add up to £15,000") != std::string::npos);
    CHECK(text.find("error: Place: row \"Total\", column \"Net\" declares £20,000 but the rows add up to £15,000") != std::string::npos);
    CHECK(text.find("budget.json:4:") != std::string::npos);
  }

  TEST_CASE("a difference the published document really has can be acknowledged, and is then shown, not hidden") {
    Diagnostics diagnostics;
    const auto budget =
        load(table_json(R"({"label": "Roads", "values": [10, 5, 15, -3, 12]})", R"({"label": "Total", "values": [10, 5, 15, -3, 14]})",
                        R"(, "known_differences": [{"row": "Total", "column": "Net", "note": "As published."}])"),
             diagnostics);
    REQUIRE_MESSAGE(budget, all_messages(diagnostics));
    REQUIRE(budget->tables[0].discrepancies.size() == 1);
    CHECK(budget->tables[0].discrepancies[0].declared == 14000);
    CHECK(budget->tables[0].discrepancies[0].computed == 12000);
    diagnostics.clear();
    CHECK_FALSE(load(table_json(R"({"label": "Roads", "values": [10, 5, 15, -3, 12]})", R"({"label": "Total", "values": [10, 5, 15, -3, 12]})",
                                R"(, "known_differences": [{"row": "Total", "column": "Net", "note": "Stale."}])"),
                     diagnostics));
    CHECK(all_messages(diagnostics).find("there is no difference at row \"Total\", column \"Net\" to acknowledge") != std::string::npos);
  }

  TEST_CASE("the budget's total is checked against its income, and rows against the columns") {
    Diagnostics diagnostics;
    CHECK_FALSE(load(R"({"title": "B", "total": 500, "income": [{"source": "Tax", "amount": 200}]})", diagnostics));
    CHECK(all_messages(diagnostics).find("the declared total £500 does not match the income, which adds up to £200") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(load(table_json(R"({"label": "Roads", "values": [10, 5]})", "null"), diagnostics));
    CHECK(all_messages(diagnostics).find("row \"Roads\" has 2 values, but the table has 5 columns") != std::string::npos);
  }

  TEST_CASE("the example budget's figures add up, apart from the differences in the published documents (seeds/000, seeds/001)") {
    Diagnostics diagnostics;
    const auto file = std::string(PLAINSIGHT_SOURCE_DIR) + "/content/budgets/2020-21/budget.json";
    const auto budget = load(*read_file(file), diagnostics);
    REQUIRE_MESSAGE(budget, all_messages(diagnostics));
    CHECK(budget->total == 560200000.0);
    CHECK(budget->income_total() == doctest::Approx(560200000.0));
    std::size_t acknowledged = 0;
    for (const auto& table : budget->tables) acknowledged += table.discrepancies.size();
    CHECK(acknowledged == 5);  // Adult Social Care's total row (3 columns) and Children's Services' missing minus sign (2 cells)
    double per_head = 0;
    for (const auto& line : budget->spending) per_head += line.per_head.value_or(0);
    CHECK(per_head == 704);  // "£704 for every resident"
  }
}
