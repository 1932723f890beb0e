#pragma once
// The datasets `plainsight new dataset` can start: a generic table, and the datasets the Local
// Government Transparency Code 2015 asks every English council to publish, with its columns.

#include <string>
#include <string_view>
#include <vector>

namespace plainsight::cli {

struct DatasetScaffold {
  std::string_view id;            ///< for --schema: "spend-over-500"
  std::string_view description;   ///< one line for --help and the page's summary
  std::string_view schema;        ///< schema.json
  std::string_view front_matter;  ///< lines after type: dataset (group_by, totals)
};

/// Every scaffold, the generic one first.
const std::vector<DatasetScaffold>& dataset_scaffolds();

}  // namespace plainsight::cli
