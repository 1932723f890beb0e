#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostics.hpp"
#include "core/published_values.hpp"

namespace plainsight {

/// A value band of the procurement pipeline (site.json "procurement"). Bands are inclusive at
/// the top, as the councils' tables are: £50,000 is in "£25,000 to £50,000".
struct ProcurementBand {
  std::string id, label;
  double from = 0;
  std::optional<double> to;   ///< inclusive; none for the top band
  bool to_exclusive = false;  ///< the band under the lowest ("Under £25,000") stops short of its `to`
};

struct ProcurementSettings {
  double threshold = 189330;  ///< the public contracts threshold for goods and services, 2020-21
  std::vector<ProcurementBand> bands;
  std::string ocid_prefix;
  /// Other spellings of a department's name → the name the site uses (site.json "department_aliases").
  std::map<std::string, std::string> department_aliases;
};

/// site.json's "procurement" with its defaults: £25,000 to £50,000; £50,000 to the threshold; above it.
ProcurementSettings procurement_settings(const nlohmann::json& settings, const std::string& ocid_prefix, const std::string& file,
                                         Diagnostics& diagnostics);

/// What a project's date is an estimate of: the tables say which above them.
enum class StartKind { procurement_start, contract_award };

struct Project {
  std::string id;  ///< stable: the reference, or a slug of department and title (numbered when repeated)
  std::string title, department, group, reference, category, notes;
  std::string department_as_published;  ///< before site.json's aliases; department is the name the site uses
  SourceLocation department_where;
  std::optional<double> value;
  std::string value_text;     ///< as published
  std::string value_unknown;  ///< "TBA", … when value is not known
  std::optional<PublishedDate> start, end;
  std::string start_text, start_unknown;  ///< start_text as published: "2019 - 2022" is kept, start is its first year
  StartKind start_kind = StartKind::procurement_start;
  std::string band;             ///< band id: as published when given (it wins), else from the value; "" if neither
  std::string band_from_value;  ///< the band the value falls in, or "" when the value is not known
  bool band_published = false;  ///< the band was given in the data
  std::string band_warning;     ///< when the value is outside the band it was published in: what is wrong, else ""
  std::string duplicate_of;     ///< the id of an earlier project with the same title and value, else ""
  int line = 0;                 ///< in the source file
};

struct Pipeline {
  std::string file, url;
  std::vector<Project> projects;
};

/// "procurement-start" or "contract-award", as pipeline.csv and open data write it.
std::string_view start_kind_id(StartKind kind);
/// "Estimated procurement start" or "Estimated contract award".
std::string_view start_kind_label(StartKind kind);

/// Reads pipeline.csv (or pipeline.json, a list of objects with the same fields) and parses
/// every value and date; a cell that is not one of the accepted forms is an error naming the
/// file, row (line) and column.
[[nodiscard]] std::optional<Pipeline> load_pipeline(std::string_view text, bool is_json, const std::string& file, const ProcurementSettings& settings,
                                                    Diagnostics& diagnostics);

/// The band a value falls in, or "": the first band whose `from` it is at or above and whose
/// `to` it is at or below, so a value on a boundary is in the lower band.
std::string band_of(double value, const ProcurementSettings& settings);

/// Whether a value may be listed in the band with this id: from ≤ value ≤ to. A value on a
/// boundary fits both bands that meet there ("£25,000 to £50,000" and "£50,000 to the threshold"
/// both name £50,000).
bool band_fits(double value, const std::string& band_id, const ProcurementSettings& settings);

}  // namespace plainsight
