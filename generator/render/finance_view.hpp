#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "content/model.hpp"
#include "feeds/icalendar.hpp"

namespace plainsight {

/// The `budget` part of the view of a budget page (docs/themes.md "Budget pages").
nlohmann::json make_budget_view(const SiteModel& model, const Budget& budget);

/// One controllable-budget table of a budget, as the `budget-table` partial shows it.
nlohmann::json budget_table_view(const SiteModel& model, const Budget& budget, std::size_t table);

/// The savings that `include` picks, as the `savings-table` partial shows them, with their total.
nlohmann::json savings_view(const SiteModel& model, const Budget& budget, const std::string& caption,
                            const std::function<bool(const SavingsLine&)>& include);

/// The id of a budget's controllable-budget table on its page: "table-1" for the first.
std::string budget_table_id(std::size_t table);

/// The `pipeline` part of the view of a procurement pipeline page (docs/themes.md "Pipeline pages").
nlohmann::json make_pipeline_view(const SiteModel& model, const Pipeline& pipeline);

/// The projects as a calendar (/procurement/contracts.ics): an all-day event on each start or
/// award date known to the day or the month (a month's on its first day, and the description
/// says so); a repeated row once. `name` names the calendar; its stamp is the newest date of the
/// pipelines' pages.
Calendar contracts_calendar(const SiteModel& model, const std::string& name, const std::vector<std::pair<const Pipeline*, const Project*>>& projects);

/// Every project of a pipeline, as contracts_calendar takes them.
std::vector<std::pair<const Pipeline*, const Project*>> every_project(const Pipeline& pipeline);

/// The output path of the contracts calendar of the page at page_url: "procurement/contracts.ics".
std::string contracts_calendar_path(std::string_view page_url);

/// The `calendar` part of a view: the calendar's link (`url`), how many dates it holds
/// (`events`) and a sentence for the link (`text`); `has_events` when it holds any.
nlohmann::json calendar_view(const SiteModel& model, std::string_view page_url, const Calendar& calendar);

/// "Apr–Jun 2020" for a project's start, or "" when its start is not known to the month.
std::string quarter_label(const Project& project);
/// "2020-q2" for sorting and filtering, or "".
std::string quarter_id(const Project& project);

}  // namespace plainsight
