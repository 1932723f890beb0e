#pragma once

#include <nlohmann/json.hpp>

#include "content/model.hpp"

namespace plainsight {

/// The `plan` part of the view of a plan's pages (docs/themes.md "Plan pages"): the plan's
/// common parts, and `overview`, `priority`, `deliverable` or `measure` for the page's item.
nlohmann::json make_plan_view(const SiteModel& model, const PlanItemRef& item);

}  // namespace plainsight
