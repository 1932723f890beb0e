#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "content/budget.hpp"
#include "content/dataset.hpp"
#include "content/department.hpp"
#include "content/front_matter.hpp"
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

/// The data a page shows: set for a page whose data type (docs/architecture.md) loaded, and for
/// the pages made from that data, such as a plan's deliverables.
struct DataRef {
  std::string type;       ///< the data type's name: "plan", also on a deliverable's page
  std::size_t index = 0;  ///< which of the type's items in the model: model.plans[index]
  int part = 0;           ///< which part of that item the page shows; 0: the whole
  std::size_t item = 0;   ///< which entry of that part: the deliverable's index
  std::size_t entry = 0;  ///< which entry of that entry, for a page two levels down (a field's value)
  std::size_t page = 0;   ///< which page of it, when its rows are split into pages (0: the first)
};

/// Markdown written inside a data file (a deliverable's update): rendered with the pages'
/// options in the Markdown phase, and its links checked as a page's are.
struct MarkdownSnippet {
  std::string text;
  SourceLocation where;  ///< the JSON string it was read from
  std::string literal;   ///< that string as written, escapes included, to place a link exactly; may be ""
  std::string page_url;  ///< the page that shows it: relative links and #ids are resolved there
};

/// A page's body that the load did not read: the kept results had its file's front matter, and
/// have the body's HTML under its hash. The file is read only when they do not after all.
struct UnreadBody {
  std::uint64_t file_hash = 0;  ///< of the whole file, when its front matter was read
  std::uint64_t hash = 0;       ///< of the body
  std::size_t size = 0;         ///< the body is the file's last `size` bytes
};

struct Page {
  PageKind kind = PageKind::page;
  std::string file;        ///< "content/news/2022-06-16-x.md"; empty for a section list made up for a folder
  std::string url;         ///< site path: "/", "/news/", "/news/x/"
  std::string section;     ///< the first folder under content/, "" at the top
  std::string parent_url;  ///< the list page that lists this page; "" for the home page
  FrontMatter meta;
  std::string body;
  std::optional<UnreadBody> unread_body;  ///< when set, `body` is empty and was not read
  int body_line = 1;
  /// The file's text before the body: when it is unchanged after an edit, only the body changed.
  std::string front_matter_source;
  /// A hash of the front matter as the build's cache keeps it, when the load had a cache; 0 when not.
  std::uint64_t front_matter_hash = 0;
  std::vector<Resource> resources;
  std::optional<DataRef> data;
};

/// Everything read from a site folder. Built once, then only read.
struct SiteModel {
  std::filesystem::path site_dir;
  SiteConfig config;
  std::vector<Page> pages;             ///< sorted by URL
  std::vector<Resource> files;         ///< files under content/ that are not Markdown and not in a bundle
  bool content_through_links = false;  ///< a link below content/ was followed: a page's file may be another's too
  std::vector<Plan> plans;
  std::vector<Budget> budgets;
  std::vector<Pipeline> pipelines;
  std::vector<TabularDataset> datasets;
  std::vector<Department> departments;
  DepartmentNames department_names;  ///< resolves the names data files give departments
  std::string departments_url;       ///< the page that lists them, when there is one
  ProcurementSettings procurement;
  /// Markdown inside data files; MarkdownText::snippet indexes this.
  std::vector<MarkdownSnippet> snippets;
};

/// Lists are ordered by weight (pages without one last), then newest date first, then title.
bool comes_before(const Page& a, const Page& b);

/// Indexes of the pages a list page shows, in order.
std::vector<std::size_t> children_of(const SiteModel& model, const std::string& list_url);

/// Index of the page with this URL, or npos.
std::size_t find_page(const SiteModel& model, std::string_view url);

}  // namespace plainsight
