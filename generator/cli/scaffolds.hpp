#pragma once
// What `plainsight new` starts from: the datasets (a generic table, and those the Local
// Government Transparency Code 2015 asks every English council to publish, with its columns)
// and a plan's plan.json.

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
nlohmann::json plan_scaffold(const std::string& title, const std::string& today);

}  // namespace plainsight::cli
