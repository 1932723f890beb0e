#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "content/front_matter.hpp"
#include "content/budget.hpp"
#include "content/pipeline.hpp"
#include "content/plan.hpp"
#include "content/site_config.hpp"

namespace plainsight {

enum class PageKind { home, section, page };

/// A file copied to the output as it is: a page bundle's files, or other files under content/.
struct Resource {
  std::filesystem::path source;
  std::string url;  ///< site path of the copy, such as "/plans/council-plan/plan.json"
};

/// Which part of which plan a page shows: plan pages are made from plan.json, not Markdown.
struct PlanItemRef {
  enum class Kind { overview, priority, deliverable, measure };
  std::size_t plan = 0;  ///< index into SiteModel::plans
  Kind kind = Kind::overview;
  std::size_t index = 0;  ///< into the plan's priorities, deliverables or measures
};

struct Page {
  PageKind kind = PageKind::page;
  std::string file;        ///< "content/news/2022-06-16-x.md"; empty for a section list made up for a folder
  std::string url;         ///< site path: "/", "/news/", "/news/x/"
  std::string section;     ///< the first folder under content/, "" at the top
  std::string parent_url;  ///< the list page that lists this page; "" for the home page
  FrontMatter meta;
  std::string body;
  int body_line = 1;
  /// The file's text before the body: when it is unchanged after an edit, only the body changed.
  std::string front_matter_source;
  std::vector<Resource> resources;
  std::optional<PlanItemRef> plan_item;
  std::optional<std::size_t> budget;    ///< index into SiteModel::budgets, for a page with type: budget
  std::optional<std::size_t> pipeline;  ///< index into SiteModel::pipelines, for a page with type: pipeline
};

/// Everything read from a site folder. Built once, then only read.
struct SiteModel {
  std::filesystem::path site_dir;
  SiteConfig config;
  std::vector<Page> pages;       ///< sorted by URL
  std::vector<Resource> files;   ///< files under content/ that are not Markdown and not in a bundle
  std::vector<Plan> plans;
  std::vector<Budget> budgets;
  std::vector<Pipeline> pipelines;
  ProcurementSettings procurement;
};

/// Lists are ordered by weight (pages without one last), then newest date first, then title.
bool comes_before(const Page& a, const Page& b);

/// Indexes of the pages a list page shows, in order.
std::vector<std::size_t> children_of(const SiteModel& model, const std::string& list_url);

/// Index of the page with this URL, or npos.
std::size_t find_page(const SiteModel& model, std::string_view url);

}  // namespace plainsight
