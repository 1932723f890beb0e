#pragma once

#include <nlohmann/json.hpp>

#include "content/model.hpp"

namespace plainsight {

/// Which part of a dataset a page shows: a dataset's DataRef, read.
struct DatasetPart {
  enum class Kind { rows, group };
  std::size_t dataset = 0;  ///< index into SiteModel::datasets
  Kind kind = Kind::rows;
  std::size_t index = 0;  ///< the page of rows (0 for the dataset's own page), or the group_by column
  std::size_t value = 0;  ///< the group's index, for a group's page
  std::size_t page = 0;   ///< which page of the group's rows
  [[nodiscard]] static DatasetPart of(const DataRef& data) { return {data.index, static_cast<Kind>(data.part), data.item, data.entry, data.page}; }
  [[nodiscard]] DataRef data() const { return {"dataset", dataset, static_cast<int>(kind), index, value, page}; }
};

/// The `dataset` part of a dataset's pages (docs/themes.md "Dataset pages").
nlohmann::json make_dataset_view(const SiteModel& model, const DatasetPart& part);

/// The rows a page shows: a page of the dataset's, or of one group's, at most rows_per_page.
std::vector<std::size_t> dataset_page_rows(const TabularDataset& dataset, const DatasetPart& part);

/// The element id of a row on its page: "row-12" for the twelfth row of the data.
std::string dataset_row_id(std::size_t row);

/// A group's value as its rows show it ("1 April 2020", "Yes", "1,500"); "(none)" for rows
/// without one.
std::string dataset_group_label(const TabularDataset& dataset, std::size_t group_by, const DatasetGroup& group);

/// Where the dataset's open data is, below /data/: "data/capital/vehicles/".
std::string dataset_data_folder(const TabularDataset& dataset);

}  // namespace plainsight
