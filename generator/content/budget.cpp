#include "content/budget.hpp"

#include <algorithm>
#include <cmath>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

const std::vector<std::string> budget_keys = {"title",  "year",     "currency",     "total",   "population",
                                              "income", "spending", "controllable", "savings", "source"};

std::string money(double amount, double unit) {
  return format_money(amount * unit, "GBP", std::fabs(amount * unit - std::round(amount * unit)) > 1e-6 ? 2 : 0);
}

/// Rounding in a published table: each figure may be out by half a unit.
bool matches(double declared, double computed, std::size_t terms) {
  return std::fabs(declared - computed) <= 0.5 * static_cast<double>(terms) + 1e-6;
}

class BudgetReader {
 public:
  BudgetReader(const JsonSource& source, Diagnostics& diagnostics) : source_(source), read_(source, diagnostics), diagnostics_(diagnostics) {}

  std::optional<Budget> read() {
    const auto errors_before = diagnostics_.error_count();
    const auto* root = read_.object(source_.value, "", "a budget");
    if (!root) return std::nullopt;
    read_.only_keys(*root, "", budget_keys);
    budget_.file = source_.file;
    budget_.title = read_.text(*root, "", "title", true);
    budget_.year = read_.text(*root, "", "year");
    budget_.source = read_.text(*root, "", "source");
    if (auto currency = read_.text(*root, "", "currency"); !currency.empty()) budget_.currency = currency;
    budget_.total = read_.number(*root, "", "total");
    budget_.population = read_.number(*root, "", "population");
    each(*root, "income", [&](const json& item, const std::string& at) {
      read_.only_keys(item, at, {"source", "amount"});
      const auto amount = read_.number(item, at, "amount");
      if (!amount && !item.contains("amount")) read_.error(at, "missing \"amount\" (expected a number of pounds)");
      budget_.income.push_back({read_.text(item, at, "source", true), amount.value_or(0)});
    });
    each(*root, "spending", [&](const json& item, const std::string& at) {
      read_.only_keys(item, at, {"service", "amount", "per_head"});
      budget_.spending.push_back({read_.text(item, at, "service", true), read_.number(item, at, "amount"), read_.number(item, at, "per_head")});
    });
    each(*root, "savings", [&](const json& item, const std::string& at) {
      read_.only_keys(item, at, {"item", "amount", "status", "department", "note"});
      budget_.savings.push_back({read_.text(item, at, "item", true), read_.text(item, at, "status"), read_.text(item, at, "department"),
                                 read_.text(item, at, "note"), read_.number(item, at, "amount").value_or(0), read_.at(at + "/department")});
    });
    each(*root, "controllable", [&](const json& item, const std::string& at) { read_table(item, at); });
    // Income is often published in £m to one decimal place, so allow 0.1% for rounding.
    if (budget_.total && !budget_.income.empty() && std::fabs(*budget_.total - budget_.income_total()) > 0.001 * std::fabs(*budget_.total))
      read_.error("/total", "the declared total " + money(*budget_.total, 1) + " does not match the income, which adds up to " +
                                money(budget_.income_total(), 1));
    if (diagnostics_.error_count() > errors_before) return std::nullopt;
    return std::move(budget_);
  }

 private:
  template <typename Each>
  void each(const json& parent, const char* key, Each each_item) {
    const auto* list = read_.array(parent, "", key, false);
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto at = std::string("/") + key + "/" + std::to_string(i);
      if (read_.object((*list)[i], at, "an item")) each_item((*list)[i], at);
    }
  }

  std::optional<BudgetTableRow> read_row(const json& item, const std::string& at, std::size_t width) {
    read_.only_keys(item, at, {"label", "values"});
    BudgetTableRow row{read_.text(item, at, "label"), {}};
    const auto* values = read_.array(item, at, "values", true);
    if (!values) return std::nullopt;
    if (values->size() != width) {
      read_.error(at + "/values", "row \"" + row.label + "\" has " + std::to_string(values->size()) + " values, but the table has " +
                                      std::to_string(width) + " columns");
      return std::nullopt;
    }
    for (std::size_t c = 0; c < values->size(); ++c) {
      const auto& value = (*values)[c];
      if (value.is_null())
        row.values.emplace_back();
      else if (value.is_number() && std::isfinite(value.get<double>()))
        row.values.emplace_back(value.get<double>());
      else {
        read_.error(at + "/values/" + std::to_string(c), "expected a number or null, found " + json_type_name(value));
        return std::nullopt;
      }
    }
    return row;
  }

  void read_table(const json& item, const std::string& at) {
    read_.only_keys(item, at, {"department", "title", "unit", "columns", "sums", "rows", "total", "known_differences"});
    BudgetTable table;
    table.department = read_.text(item, at, "department", true);
    table.department_where = read_.at(at + "/department");
    table.title = read_.text(item, at, "title");
    table.unit = read_.number(item, at, "unit").value_or(1);
    if (const auto* columns = read_.array(item, at, "columns", true))
      for (std::size_t c = 0; c < columns->size(); ++c) {
        if ((*columns)[c].is_string())
          table.columns.push_back((*columns)[c].get<std::string>());
        else
          read_.error(at + "/columns/" + std::to_string(c), "a column heading must be text");
      }
    auto column_index = [&](const std::string& name, const std::string& where) -> std::optional<std::size_t> {
      const auto found = std::find(table.columns.begin(), table.columns.end(), name);
      if (found != table.columns.end()) return static_cast<std::size_t>(found - table.columns.begin());
      read_.error(where, "no column \"" + name + "\" in this table" + did_you_mean(name, table.columns));
      return std::nullopt;
    };
    if (item.contains("sums") && !item["sums"].is_null()) {
      if (const auto* sums = read_.object(item["sums"], at + "/sums", "sums {\"Total column\": [\"part\", …]}"))
        for (const auto& [name, parts] : sums->items()) {
          const auto where = json_pointer_append(at + "/sums", name);
          const auto total = column_index(name, where);
          if (!parts.is_array()) {
            read_.error(where, "expected a list of the columns that add up to \"" + name + "\"");
            continue;
          }
          std::vector<std::size_t> indexes;
          for (const auto& part : parts)
            if (auto index = part.is_string() ? column_index(part.get<std::string>(), where) : std::nullopt) indexes.push_back(*index);
          if (total) table.sums.emplace_back(*total, std::move(indexes));
        }
    }
    std::vector<std::string> row_pointers;
    if (const auto* rows = read_.array(item, at, "rows", true))
      for (std::size_t r = 0; r < rows->size(); ++r) {
        const auto row_at = at + "/rows/" + std::to_string(r);
        if (!read_.object((*rows)[r], row_at, "a row {\"label\": …, \"values\": […]}")) continue;
        if (auto row = read_row((*rows)[r], row_at, table.columns.size())) {
          table.rows.push_back(std::move(*row));
          row_pointers.push_back(row_at);
        }
      }
    if (item.contains("total") && !item["total"].is_null() && read_.object(item["total"], at + "/total", "a total row"))
      table.total = read_row(item["total"], at + "/total", table.columns.size());
    struct Acknowledged {
      std::string row, column, note, pointer;
      bool used = false;
    };
    std::vector<Acknowledged> acknowledged;
    if (const auto* known = read_.array(item, at, "known_differences", false))
      for (std::size_t k = 0; k < known->size(); ++k) {
        const auto known_at = at + "/known_differences/" + std::to_string(k);
        if (!read_.object((*known)[k], known_at, "{\"row\": …, \"column\": …, \"note\": …}")) continue;
        read_.only_keys((*known)[k], known_at, {"row", "column", "note"});
        acknowledged.push_back({read_.text((*known)[k], known_at, "row", true), read_.text((*known)[k], known_at, "column", true),
                                read_.text((*known)[k], known_at, "note", true), known_at});
      }
    check_totals(table, at, row_pointers,
                 [&](const std::string& pointer, const std::string& row, const std::string& column, double declared, double computed,
                     const std::string& message) {
                   for (auto& known : acknowledged)
                     if (known.row == row && known.column == column) {
                       // One cell may disagree both with its parts and with its column; it is one difference.
                       if (!known.used) table.discrepancies.push_back({row, column, known.note, declared * table.unit, computed * table.unit});
                       known.used = true;
                       return;
                     }
                   read_.error(pointer, message + " (if the published document really says this, list it under \"known_differences\" with a note)");
                 });
    for (const auto& known : acknowledged)
      if (!known.used)
        read_.error(known.pointer, "there is no difference at row \"" + known.row + "\", column \"" + known.column + "\" to acknowledge");
    budget_.tables.push_back(std::move(table));
  }

  /// Calls mismatch(pointer, row, column, declared, computed, message) for every declared total
  /// that its parts do not add up to.
  template <typename Mismatch>
  void check_totals(const BudgetTable& table, const std::string& at, const std::vector<std::string>& row_pointers, Mismatch mismatch) {
    const auto name = table.department + (table.title.empty() ? "" : ", " + table.title);
    auto describe = [&](const BudgetTableRow& row, std::size_t column, double declared, double computed, const char* parts) {
      return name + ": row \"" + row.label + "\", column \"" + table.columns[column] + "\" declares " + money(declared, table.unit) + " but " +
             parts + " add up to " + money(computed, table.unit);
    };
    auto check_row = [&](const BudgetTableRow& row, const std::string& pointer) {
      for (const auto& [total_column, parts] : table.sums) {
        if (!row.values[total_column]) continue;
        double computed = 0;
        for (auto part : parts) computed += row.values[part].value_or(0);
        const double declared = *row.values[total_column];
        if (!matches(declared, computed, parts.size()))
          mismatch(pointer + "/values/" + std::to_string(total_column), row.label, table.columns[total_column], declared, computed,
                   describe(row, total_column, declared, computed, "its parts"));
      }
    };
    for (std::size_t r = 0; r < table.rows.size(); ++r) check_row(table.rows[r], row_pointers[r]);
    if (!table.total) return;
    check_row(*table.total, at + "/total");
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      if (!table.total->values[c]) continue;
      double computed = 0;
      for (const auto& row : table.rows) computed += row.values[c].value_or(0);
      const double declared = *table.total->values[c];
      if (!matches(declared, computed, table.rows.size()))
        mismatch(at + "/total/values/" + std::to_string(c), table.total->label, table.columns[c], declared, computed,
                 describe(*table.total, c, declared, computed, "the rows"));
    }
  }

  const JsonSource& source_;
  JsonReader read_;
  Diagnostics& diagnostics_;
  Budget budget_;
};

}  // namespace

double Budget::income_total() const {
  double sum = 0;
  for (const auto& line : income) sum += line.amount;
  return sum;
}

std::optional<Budget> load_budget(const JsonSource& source, Diagnostics& diagnostics) { return BudgetReader(source, diagnostics).read(); }

}  // namespace plainsight
