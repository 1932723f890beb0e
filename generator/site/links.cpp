#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_set>

#include "core/json_source.hpp"
#include "core/text.hpp"
#include "site/site_parts.hpp"
#include "types/data_type.hpp"

namespace plainsight::detail {
namespace {

bool is_external(std::string_view url) {
  if (url.starts_with("//")) return true;
  const auto colon = url.find(':');
  return colon != std::string_view::npos && url.find_first_of("/?#") > colon;
}

/// Resolves "../x/" or "x.pdf" against the URL of the page the link is on.
std::string resolve(const std::string& page_url, std::string_view path) {
  if (path.starts_with('/')) return std::string(path);
  std::vector<std::string> parts;
  auto add = [&](std::string_view text) {
    for (std::size_t start = 0; start <= text.size();) {
      const auto slash = std::min(text.find('/', start), text.size());
      const auto part = text.substr(start, slash - start);
      if (part == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.emplace_back(part);
      }
      start = slash + 1;
    }
  };
  add(page_url);
  add(path);
  std::string url = "/";
  for (const auto& part : parts) url += part + '/';
  if (!path.ends_with('/') && !parts.empty()) url.pop_back();
  return url;
}

}  // namespace

void check_links(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, const LinkTargets& targets, Diagnostics& diagnostics,
                 const std::vector<std::size_t>* only) {
  // "Did you mean": the pages' URLs listed once, one suggestion per broken URL however many
  // pages link to it, and one budget for them all.
  std::vector<std::string> urls;
  std::map<std::string, std::string, std::less<>> suggestion_for;
  SuggestionBudget budget;
  auto suggest_page = [&](const std::string& resolved) -> const std::string& {
    if (urls.empty())
      for (const auto& candidate : model.pages) urls.push_back(candidate.url);
    auto found = suggestion_for.find(resolved);
    if (found == suggestion_for.end()) found = suggestion_for.emplace(resolved, did_you_mean(resolved, urls, budget)).first;
    return found->second;
  };
  // The page that shows each snippet, or npos.
  std::vector<std::size_t> snippet_page(model.snippets.size());
  std::multimap<std::size_t, std::size_t> snippets_on;
  for (std::size_t k = 0; k < model.snippets.size(); ++k) {
    snippet_page[k] = find_page(model, model.snippets[k].page_url);
    snippets_on.emplace(snippet_page[k], k);
  }
  // The ids of a page's elements: the headings of its body and of the data Markdown it shows,
  // and those its data type gives; the theme's own are on every page.
  std::map<std::size_t, std::vector<std::string>> ids_of_page;
  std::map<std::size_t, std::unordered_set<std::string_view>> id_set_of_page;
  auto ids_on = [&](std::size_t page) -> const std::vector<std::string>& {
    auto found = ids_of_page.find(page);
    if (found != ids_of_page.end()) return found->second;
    std::vector<std::string> ids;
    for (const auto& heading : markdown[page].headings) ids.push_back(heading.id);
    for (auto [it, end] = snippets_on.equal_range(page); it != end; ++it)
      for (const auto& heading : markdown[model.pages.size() + it->second].headings) ids.push_back(heading.id);
    if (const auto& data = model.pages[page].data)
      for (auto& id : find_data_type(data->type)->element_ids(model, *data)) ids.push_back(std::move(id));
    auto& kept = ids_of_page.emplace(page, std::move(ids)).first->second;
    id_set_of_page.emplace(page, std::unordered_set<std::string_view>(kept.begin(), kept.end()));
    return kept;
  };
  const std::unordered_set<std::string_view> theme_ids(targets.theme_ids.begin(), targets.theme_ids.end());
  auto is_id_on = [&](std::size_t page, std::string_view id) {
    ids_on(page);
    return id_set_of_page.at(page).contains(id) || theme_ids.contains(id);
  };

  // Pages by URL, looked up once per link: hundreds of thousands on a large site.
  std::unordered_map<std::string_view, std::size_t> page_at;
  page_at.reserve(model.pages.size());
  for (std::size_t i = 0; i < model.pages.size(); ++i) page_at.emplace(model.pages[i].url, i);
  auto page_of = [&](std::string_view url) {
    const auto found = page_at.find(url);
    return found == page_at.end() ? std::string::npos : found->second;
  };

  // The links of Markdown shown on model.pages[on]; `where` gives each link's place in its file.
  auto check = [&](std::size_t on, const std::vector<MarkdownLink>& links, const auto& where_of) {
    const auto& page_url = model.pages[on].url;
    std::string resolved_here, with_slash;  // a relative link resolved; a link given a closing slash
    for (const auto& link : links) {
      std::string_view url = link.url;
      if (url.empty() || is_external(url)) continue;
      const auto hash = url.find('#');
      const auto fragment = hash == std::string_view::npos ? std::string_view{} : url.substr(hash + 1);
      auto path = url.substr(0, std::min(hash, url.find('?')));

      // Most links are to a page by its full path: found without a string made for them.
      std::size_t target = on;
      std::string_view resolved = page_url;
      if (!path.empty()) {
        if (path.starts_with('/')) {
          resolved = path;
        } else {
          resolved_here = resolve(page_url, path);
          resolved = resolved_here;
        }
        target = page_of(resolved);
        if (target == std::string::npos && !resolved.ends_with('/')) {
          with_slash.assign(resolved);
          with_slash += '/';
          target = page_of(with_slash);
          if (target != std::string::npos) resolved = with_slash;
        }
        if (target == std::string::npos && !targets.outputs.contains(std::string(resolved))) {
          diagnostics.error(where_of(link),
                            "broken link: " + std::string(link.url) + " is not a page or file of this site" + suggest_page(std::string(resolved)));
          continue;
        }
      }
      if (fragment.empty() || target == std::string::npos) continue;
      if (target == on && (fragment.starts_with("fn-") || fragment.starts_with("fnref-"))) continue;
      if (!is_id_on(target, fragment))
        diagnostics.error(where_of(link), "broken link: " + std::string(resolved) + " has no heading with the id \"" + std::string(fragment) + "\"" +
                                              did_you_mean(fragment, ids_on(target), budget));
    }
  };

  for (std::size_t n = 0, count = only ? only->size() : model.pages.size(); n < count; ++n) {
    const auto i = only ? (*only)[n] : n;
    const auto& page = model.pages[i];
    check(i, markdown[i].links, [&](const MarkdownLink& link) { return SourceLocation{page.file, page.body_line + link.line - 1, link.column}; });
  }
  if (only) return;  // an edit of pages' bodies leaves the data files' Markdown as it was
  for (std::size_t k = 0; k < model.snippets.size(); ++k) {
    const auto& snippet = model.snippets[k];
    // A data type registers Markdown only with a page it made: anything else is a bug.
    if (snippet_page[k] == std::string::npos)
      throw std::logic_error("Markdown from " + snippet.where.file + " for a page that is not there: " + snippet.page_url);
    const auto line_starts_of_text = line_starts(snippet.text);
    check(snippet_page[k], markdown[model.pages.size() + k].links, [&](const MarkdownLink& link) {
      if (snippet.literal.empty() || link.line < 1 || static_cast<std::size_t>(link.line) > line_starts_of_text.size()) return snippet.where;
      const auto offset = line_starts_of_text[static_cast<std::size_t>(link.line - 1)] + static_cast<std::size_t>(std::max(1, link.column) - 1);
      return json_string_location(snippet.where, snippet.literal, offset);
    });
  }
}

}  // namespace plainsight::detail
