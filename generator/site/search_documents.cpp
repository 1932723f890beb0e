// The search index's documents, made from the model rather than by reading back the HTML.
#include <algorithm>
#include <cstring>

#include "core/format.hpp"
#include "core/text.hpp"
#include "render/view.hpp"
#include "site/site_parts.hpp"
#include "types/data_type.hpp"

namespace plainsight::detail {
namespace {

/// Plain text of HTML that cmark-gfm wrote: tags become spaces, entities their characters. The
/// text between them is copied in runs, found with memchr: this is most of the index's input.
std::string html_text(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  auto next_of = [&](char c, std::size_t from) {
    const void* found = from < html.size() ? std::memchr(html.data() + from, c, html.size() - from) : nullptr;
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - html.data()) : html.size();
  };
  std::size_t next_tag = next_of('<', 0), next_entity = next_of('&', 0);
  for (std::size_t at = 0; at < html.size();) {
    if (next_tag < at) next_tag = next_of('<', at);
    if (next_entity < at) next_entity = next_of('&', at);
    const auto special = std::min(next_tag, next_entity);
    text.append(html.substr(at, special - at));
    if (special == html.size()) break;
    if (special == next_tag) {
      const auto end = html.find('>', special);
      if (end == std::string_view::npos) break;
      text += ' ';
      at = end + 1;
      continue;
    }
    const auto end = html.find(';', special);
    const auto entity = end == std::string_view::npos ? std::string_view{} : html.substr(special + 1, end - special - 1);
    static const std::pair<std::string_view, std::string_view> named[] = {{"amp", "&"},   {"lt", "<"},  {"gt", ">"},
                                                                          {"quot", "\""}, {"#39", "'"}, {"nbsp", " "}};
    const auto found = std::find_if(std::begin(named), std::end(named), [&](const auto& pair) { return pair.first == entity; });
    if (found != std::end(named)) {
      text += found->second;
      at = end + 1;
    } else {
      text += '&';
      at = special + 1;
    }
  }
  return text;
}

}  // namespace

std::vector<SearchDocument> search_documents(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown) {
  std::vector<SearchDocument> documents;
  for (std::size_t i = 0; i < model.pages.size(); ++i) {
    const auto& page = model.pages[i];
    if (page.meta.layout == "search" || page.meta.layout == "sitemap") continue;  // pages about the site, not in it
    const auto url = site_url(model.config, page.url);
    const bool news = page.section == "news" && page.kind == PageKind::page;
    SearchDocument document{page.meta.title, url, news ? "News" : "Page", page_summary(page, markdown[i]), "", html_text(markdown[i].html), {}};
    for (const auto& tag : page.meta.tags) document.text += ". " + tag;
    if (news && page.meta.date) document.detail = format_date_long(*page.meta.date);
    if (page.data)
      find_data_type(page.data->type)->search(model, *page.data, std::move(document), documents);
    else
      documents.push_back(std::move(document));
  }
  return documents;
}

}  // namespace plainsight::detail
