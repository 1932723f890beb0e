#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/json_source.hpp"

namespace plainsight {

/// A plan kept as CSV tables (docs/plans.md "A plan as spreadsheet tables"): the tables the site
/// publishes under /data/plans/<plan>/, read back. plan.csv marks such a bundle.
inline constexpr std::string_view plan_csv_marker = "plan.csv";

/// A deliverable's extra field ("fields" in plan.json) is the column "field: <name>".
inline constexpr std::string_view plan_field_column_prefix = "field: ";

/// plan.csv's columns, in the order the site publishes them.
extern const std::vector<std::string> plan_csv_columns;

/// The tables a CSV plan may have beside plan.csv, by file name.
[[nodiscard]] const std::vector<std::string>& plan_table_files();

struct PlanTableFile {
  std::string path;   ///< relative to the site: "content/plans/x/periods.csv"
  std::string bytes;  ///< as read: UTF-8 (with or without a byte order mark) or Windows-1252
};

/// Reads a plan's CSV tables (named as plan_table_files says; plan.csv, periods.csv and
/// priorities.csv are needed) into the JSON that plan.json would hold, every value placed at its
/// CSV cell, for load_plan to check. Each problem of the tables themselves (a missing or unknown
/// column, a value that is not a number, an update for a deliverable that is not in
/// deliverables.csv) is reported at its file, line and column; returns nullopt when there was any.
/// Columns the site computes (ratings, URLs, titles of priorities) are read past. `base_url`
/// turns a published council_plan_deliverable address back into a site path.
[[nodiscard]] std::optional<JsonSource> plan_source_from_csv(const std::vector<PlanTableFile>& files, std::string_view base_url,
                                                             Diagnostics& diagnostics);

}  // namespace plainsight
