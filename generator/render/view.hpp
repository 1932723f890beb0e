#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/model.hpp"
#include "core/hash.hpp"
#include "markdown/markdown.hpp"
#include "render/theme.hpp"

namespace plainsight {

/// What a list page shows on one of its pages: /news/, /news/page/2/, …
struct ListSlice {
  std::vector<std::size_t> items;  ///< page indexes, in order
  int current = 1;
  int total = 1;
};

/// The site-wide part of every view: `site` and `recent_news` (see docs/themes.md).
nlohmann::json make_site_view(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown);

/// The whole view of one page, site part included.
nlohmann::json make_page_view(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, const nlohmann::json& site_view,
                              std::size_t index, const ListSlice& list);

/// A hash standing for make_page_view's view, made without making it: everything that view
/// reads of the page, of its list's pages and of its breadcrumbs' pages goes in, so equal keys
/// mean equal views. `markdown_keys[i]` is markdown_key(markdown[i]); `site_view_key` is
/// hash_json of the site view. Must read what make_page_view reads (tests/render/view_test.cpp).
std::uint64_t page_view_key(const SiteModel& model, const std::vector<std::uint64_t>& markdown_keys, std::uint64_t site_view_key, std::size_t index,
                            const ListSlice& list);

/// A hash of what a page's view takes from its rendered Markdown.
std::uint64_t markdown_key(const RenderedMarkdown& markdown);

/// Feeds JSON to a hasher without writing it out as text: each value's kind, and the length of
/// each text and list, go first, so that different values never feed the same bytes.
void hash_json(const nlohmann::json& value, ContentHasher& hasher);

/// The view of /404.html.
nlohmann::json make_not_found_view(const SiteModel& model, const nlohmann::json& site_view);

/// The layout for a page (docs/themes.md "Which layout a page gets"), or "" when its front
/// matter names a layout the theme does not have.
std::string choose_layout(const Page& page, const Theme& theme, const std::vector<std::string_view>& data_layouts = {});

/// A site path as a link: the base path is added when the site lives below the host's root.
std::string site_url(const SiteConfig& config, std::string_view path);
/// An absolute URL for feeds, sitemaps and canonical links.
std::string permalink(const SiteConfig& config, std::string_view path);
/// The URL of page `number` of a list: the list itself, then list/page/2/, …
std::string paginated_url(const std::string& list_url, int number);
/// The departments a field names, each linked to its page where it is one: [{name, url, has_url,
/// last}]. "A / B" gives two; "All departments" links to the list of departments.
nlohmann::json department_links(const SiteModel& model, std::string_view names);

/// The HTML of Markdown from a data file. Empty for text that was never registered.
std::string snippet_html(SnippetMarkdown snippets, const MarkdownText& text);
/// The front matter's summary, or the first paragraph shortened.
std::string page_summary(const Page& page, const RenderedMarkdown& markdown);

}  // namespace plainsight
