#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/json_source.hpp"

namespace plainsight {

struct IncomeLine {
  std::string source;
  double amount = 0;
};

struct SpendingLine {
  std::string service;
  std::optional<double> amount;
  std::optional<double> per_head;
};

struct BudgetTableRow {
  std::string label;
  std::vector<std::optional<double>> values;  ///< one per column, in the table's unit
};

/// A department's budget by division (rows) and spending category (columns), as published.
/// A declared total that does not match its parts, acknowledged in budget.json with a note so
/// that a document can be published as it is; the page shows it.
struct BudgetDiscrepancy {
  std::string row, column, note;
  double declared = 0, computed = 0;  ///< in pounds
};

struct BudgetTable {
  std::string department, title;
  SourceLocation department_where;
  double unit = 1;  ///< 1 for pounds, 1000 for £'000
  std::vector<std::string> columns;
  std::vector<std::pair<std::size_t, std::vector<std::size_t>>> sums;  ///< total column → the columns it adds up
  std::vector<BudgetTableRow> rows;
  std::optional<BudgetTableRow> total;
  std::vector<BudgetDiscrepancy> discrepancies;
};

struct SavingsLine {
  std::string item, status;
  std::string department;  ///< the department that makes the saving, as named in budget.json
  std::string note;
  double amount = 0;
  SourceLocation department_where;
};

struct Budget {
  std::string file, url, title, year, currency = "GBP", source;
  std::optional<double> total, population;
  std::vector<IncomeLine> income;
  std::vector<SpendingLine> spending;
  std::vector<BudgetTable> tables;
  std::vector<SavingsLine> savings;

  [[nodiscard]] double income_total() const;
};

/// Validates budget.json and checks every declared total against the computed one: the
/// budget's total against its income, each table's sum columns in every row, and each column
/// against the table's total row. A mismatch names the table, row, column and both figures.
[[nodiscard]] std::optional<Budget> load_budget(const JsonSource& source, Diagnostics& diagnostics);

}  // namespace plainsight
