#pragma once
// The example site's plans, loaded as the tests of their data need them.

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "content/plan.hpp"
#include "core/files.hpp"

namespace plainsight::testing {

/// content/plans/<name>/plan.json of the example site, loaded; problems go to `diagnostics`.
inline std::optional<Plan> load_example_plan(const std::string& name, Diagnostics& diagnostics) {
  const auto file = std::string(PLAINSIGHT_SOURCE_DIR) + "/content/plans/" + name + "/plan.json";
  const auto text = read_file(file);
  REQUIRE_MESSAGE(text, "cannot read " << file);
  const auto source = parse_json(*text, file, diagnostics);
  if (!source) return std::nullopt;
  return load_plan(*source, {}, diagnostics);
}

inline const Measure& measure_of(const Plan& plan, std::string_view id) {
  const auto i = plan.measure_index(id);
  REQUIRE_MESSAGE(i < plan.measures.size(), "no measure " << id);
  return plan.measures[i];
}

inline std::size_t period_of(const Plan& plan, std::string_view id) {
  const auto found = std::find_if(plan.periods.begin(), plan.periods.end(), [&](const PlanPeriod& p) { return p.id == id; });
  REQUIRE_MESSAGE(found != plan.periods.end(), "no period " << id);
  return static_cast<std::size_t>(found - plan.periods.begin());
}

/// The entry of `measure` for `period`; fails when there is none.
inline const MeasureValue& value_of(const Plan& plan, std::string_view measure, std::string_view period) {
  const auto* value = measure_of(plan, measure).value_in(period_of(plan, period));
  REQUIRE_MESSAGE(value, measure << " has no entry for " << period);
  return *value;
}

}  // namespace plainsight::testing
