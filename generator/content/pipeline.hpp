#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostics.hpp"
#include "core/published_values.hpp"

namespace plainsight {

/// A value band of the procurement pipeline (site.json "procurement").
struct ProcurementBand {
  std::string id, label;
  double from = 0;
  std::optional<double> to;  ///< exclusive; none for the top band
};

struct ProcurementSettings {
  double threshold = 189330;  ///< the public contracts threshold for goods and services, 2020-21
  std::vector<ProcurementBand> bands;
  std::string ocid_prefix;
};

/// site.json's "procurement" with its defaults: £25,000 to £50,000; £50,000 to the threshold; above it.
ProcurementSettings procurement_settings(const nlohmann::json& settings, const std::string& ocid_prefix, const std::string& file,
                                         Diagnostics& diagnostics);

struct Project {
  std::string id;  ///< stable: the reference, or a slug of department and title (numbered when repeated)
  std::string title, department, group, reference, category, notes;
  std::optional<double> value;
  std::string value_text;     ///< as published
  std::string value_unknown;  ///< "TBA", … when value is not known
  std::optional<PublishedDate> start, end;
  std::string start_text, start_unknown;
  std::string band;  ///< band id, from the value, or as published when the value is not known; "" if neither
  int line = 0;      ///< in the source file
};

struct Pipeline {
  std::string file, url;
  std::vector<Project> projects;
};

/// Reads pipeline.csv (or pipeline.json, a list of objects with the same fields) and parses
/// every value and date; a cell that is not one of the accepted forms is an error naming the
/// file, row (line) and column.
[[nodiscard]] std::optional<Pipeline> load_pipeline(std::string_view text, bool is_json, const std::string& file, const ProcurementSettings& settings,
                                                    Diagnostics& diagnostics);

/// The band a value falls in, or "".
std::string band_of(double value, const ProcurementSettings& settings);

}  // namespace plainsight
