#pragma once
// The data types a page's `type:` may name (plan, budget, pipeline, …): each declares here, in
// one place, everything the build does with it. docs/architecture.md explains the phases.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/data_loader.hpp"
#include "markdown/markdown.hpp"
#include "opendata/opendata.hpp"
#include "search/index.hpp"

namespace plainsight {

/// The longest excerpt a search result shows, in characters.
constexpr std::size_t search_excerpt_length = 180;

/// A file that comes with one of a data type's pages besides its HTML.
struct PageFile {
  std::string bytes;
  std::string alternate_type;  ///< "application/atom+xml": the page's head links to it as an alternate; "" for no link
  std::string title;           ///< that link's title
};

/// One data type. A new one is its own files (model, loader, view, layouts) plus one line in
/// types/registry.cpp; tests/types/registry_test.cpp fails until every part below is there.
struct DataType {
  /// Its name in front matter, its files, how they are read, and the Markdown they hold.
  DataLoader loader;
  /// The theme layouts its pages use: the default theme has each, and a test checks it.
  std::vector<std::string_view> layouts;
  /// Its part of a page's view, as view[view_name] (docs/themes.md lists what each holds).
  std::string_view view_name;
  std::function<nlohmann::json(const SiteModel&, SnippetMarkdown, const DataRef&)> view;
  /// Ids its pages give elements beyond the theme's own (a contract's row), so that a link to
  /// /procurement/#<id> passes the link check.
  std::function<std::vector<std::string>(const SiteModel&, const DataRef&)> element_ids;
  /// Appends its files under /data/ for every item of this type in the model.
  std::function<void(const SiteModel&, std::vector<Dataset>&)> open_data;
  /// Files that one of its pages comes with besides its HTML (a pipeline's calendar, a plan's
  /// feed), by output path (no leading slash). Made from the model's data and never from a
  /// page's body, so that an edit to a body changes none of them. Optional.
  std::function<void(const SiteModel&, const Page&, const DataRef&, std::map<std::string, PageFile>&)> page_files = nullptr;
  /// The search documents of one of its pages. `page_document` is the page as any page is
  /// found (title, link, summary, text); the type may change it, drop it and add others.
  std::function<void(const SiteModel&, const DataRef&, SearchDocument page_document, std::vector<SearchDocument>&)> search;
  /// The search facets its documents carry, as (id, label), in the order the search page shows them.
  std::vector<std::pair<std::string, std::string>> facets;
};

/// Adds a "department" facet for each department `names` names, as the department's own title,
/// so that the search page lists each department once however the data spells it.
void add_department_facets(const SiteModel& model, std::string_view names, SearchDocument& document);

/// Every data type, in the order their open data comes out.
[[nodiscard]] const std::vector<DataType>& data_types();

/// The type with this name, or nullptr.
[[nodiscard]] const DataType* find_data_type(std::string_view name);

/// What load_site needs of every type.
[[nodiscard]] std::vector<DataLoader> data_loaders();

/// "type" and then every type's facets, each once, for the search index.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> search_facets_of_types();

}  // namespace plainsight
