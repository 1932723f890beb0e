#pragma once
// Pieces of the build shared by the files of the site module; not part of its interface.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "content/model.hpp"
#include "core/diagnostics.hpp"
#include "markdown/markdown.hpp"
#include "search/index.hpp"

namespace plainsight::detail {

/// What a link may point at besides pages and their headings.
struct LinkTargets {
  std::set<std::string> outputs;       ///< the site path of every file the build makes ("/css/site.css")
  std::vector<std::string> theme_ids;  ///< ids the theme gives its own elements, on every page
};

/// Checks every link written in Markdown, in pages and in data files (SiteModel::snippets), to
/// a page, file or #id of this site. `only`, when given, limits the check to those pages' bodies.
void check_links(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, const LinkTargets& targets, Diagnostics& diagnostics,
                 const std::vector<std::size_t>* only = nullptr);

std::string atom_feed(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown);
std::string sitemap(const SiteModel& model);
std::string robots_txt(const SiteModel& model);
/// Every page, plan item, budget line and procurement project, as the search index's documents.
std::vector<SearchDocument> search_documents(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown);

/// A small page that sends browsers and search engines on from an old URL.
std::string redirect_page(const SiteModel& model, const Page& target);

}  // namespace plainsight::detail
