#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "site/site_parts.hpp"

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

const std::vector<std::string>& theme_reserved_ids() {
  // Ids the default theme's layouts use; a heading in a page's Markdown never takes one.
  static const std::vector<std::string> ids = {"main",     "top",        "site-search", "search-label", "toc",     "toc-title",      "footnotes",
                                               "overview", "by-priority", "measures",   "deliverables", "trend",   "completed",      "data",
                                               "details",  "progress",   "over-time",   "ratings-legend", "income", "spending",      "controllable",
                                               "savings",  "projects",   "by-department", "by-band",    "by-quarter", "pipeline-contents",
                                               "plan-contents-title"};
  return ids;
}

void check_links(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, const std::set<std::string>& outputs,
                 Diagnostics& diagnostics, const std::vector<std::size_t>* only) {
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
  for (std::size_t n = 0, count = only ? only->size() : model.pages.size(); n < count; ++n) {
    const auto i = only ? (*only)[n] : n;
    const auto& page = model.pages[i];
    for (const auto& link : markdown[i].links) {
      std::string_view url = link.url;
      if (url.empty() || is_external(url)) continue;
      const SourceLocation where{page.file, page.body_line + link.line - 1, link.column};
      const auto hash = url.find('#');
      const auto fragment = hash == std::string_view::npos ? std::string_view{} : url.substr(hash + 1);
      auto path = url.substr(0, std::min(hash, url.find('?')));

      std::size_t target = i;
      std::string resolved = page.url;
      if (!path.empty()) {
        resolved = resolve(page.url, path);
        target = find_page(model, resolved);
        if (target == std::string::npos && !resolved.ends_with('/')) {
          target = find_page(model, resolved + '/');
          if (target != std::string::npos) resolved += '/';
        }
        if (target == std::string::npos && !outputs.contains(resolved)) {
          diagnostics.error(where, "broken link: " + std::string(link.url) + " is not a page or file of this site" + suggest_page(resolved));
          continue;
        }
      }
      if (fragment.empty() || target == std::string::npos) continue;
      if (target == i && (fragment.starts_with("fn-") || fragment.starts_with("fnref-"))) continue;
      const auto& ids_of = markdown[target].headings;
      const bool found = std::any_of(ids_of.begin(), ids_of.end(), [&](const Heading& h) { return h.id == fragment; }) ||
                         std::find(theme_reserved_ids().begin(), theme_reserved_ids().end(), fragment) != theme_reserved_ids().end();
      if (!found) {
        std::vector<std::string> ids;
        for (const auto& heading : ids_of) ids.push_back(heading.id);
        diagnostics.error(where, "broken link: " + resolved + " has no heading with the id \"" + std::string(fragment) + "\"" + did_you_mean(fragment, ids, budget));
      }
    }
  }
}

}  // namespace plainsight::detail
