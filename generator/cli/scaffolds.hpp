#pragma once
// What `plainsight new` starts from: the datasets (a generic table, and those the Local
// Government Transparency Code 2015 asks every English council to publish, with its columns)
// and a plan's plan.json.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace plainsight::cli {

struct DatasetScaffold {
  std::string_view id;            ///< for --schema: "spend-over-500"
  std::string_view description;   ///< one line for --help and the page's summary
  std::string_view schema;        ///< schema.json
  std::string_view front_matter;  ///< lines after type: dataset (group_by, totals)
};

/// Every scaffold, the generic one first.
const std::vector<DatasetScaffold>& dataset_scaffolds();

/// A plan.json that passes check: the financial-year quarter `today` ("2026-11-29") falls in as
/// its only period ("2026-27-q3", "Dec 2026"), and one priority to rename.
nlohmann::ordered_json plan_scaffold(const std::string& title, const std::string& today);

/// What `plainsight new period` did to a plan.json: the new period's id and how many rows it
/// added to fill in, or why it could not.
struct AddedPeriod {
  std::string id, error;
  std::size_t deliverables = 0, measures = 0;
};

/// Adds a period to a plan.json (parsed with its keys in order): `label` ("Jun 2022") ending on
/// `end` ("2022-06-30"), after the plan's last period, with an update to fill in (no rating, no
/// text) for every deliverable and a value (none yet) for every measure. Its id is the
/// financial-year quarter that ends on `end` ("2022-23-q1"), or else the label's slug. A
/// measure's `target`, which is for the plan's last period, moves beside that period's value so
/// that it stays that period's. A period whose id or label the plan has already, or that does
/// not end after the last, is an error.
AddedPeriod add_period(nlohmann::ordered_json& plan, const std::string& label, const std::string& end);

/// A CSV table of a plan, its cells as written, to add rows and columns to.
struct EditableTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// The index of the column `name` (matched without regard to case), added at the end when
  /// `add` and missing; npos when missing and not added.
  std::size_t column(std::string_view name, bool add);
  /// A row with `cells` by column name (each column must be there) and the rest empty.
  void append(const std::vector<std::pair<std::string_view, std::string>>& cells);
};

/// add_period for a plan kept as CSV tables, by file name ("periods.csv", ...): the period
/// appended to periods.csv, and a row to fill in to updates.csv for every deliverable in
/// deliverables.csv and to measure-values.csv for every measure in measures.csv (either made
/// when missing). A measure's last_period_target, last_period_target_as_published and
/// published_rating in measures.csv, which are the last period's, move onto that period's row
/// of measure-values.csv.
AddedPeriod add_period_to_tables(std::map<std::string, EditableTable>& tables, const std::string& label, const std::string& end);

}  // namespace plainsight::cli
