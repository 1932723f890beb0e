#pragma once

#include <nlohmann/json.hpp>

#include "content/model.hpp"
#include "markdown/markdown.hpp"

namespace plainsight {

/// The `department` part of a department's page (docs/themes.md "Department pages"): who runs
/// it, its service plans' actions, KPIs and risks, its budget and savings, its contracts and
/// its Council Plan deliverables.
nlohmann::json make_department_view(const SiteModel& model, SnippetMarkdown markdown, std::size_t department);

/// The `departments` part of the list of departments: one row each, with its counts.
nlohmann::json make_departments_view(const SiteModel& model);

}  // namespace plainsight
