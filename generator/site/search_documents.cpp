// The search index's documents, made from the model rather than by reading back the HTML.
#include <algorithm>

#include "core/format.hpp"
#include "core/text.hpp"
#include "render/view.hpp"
#include "site/site_parts.hpp"
#include "types/data_type.hpp"

namespace plainsight::detail {
namespace {

/// Plain text of HTML that cmark-gfm wrote: tags become spaces, entities their characters.
std::string html_text(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  for (std::size_t at = 0; at < html.size(); ++at) {
    const char c = html[at];
    if (c == '<') {
      const auto end = html.find('>', at);
      if (end == std::string_view::npos) break;
      at = end;
      text += ' ';
    } else if (c == '&') {
      const auto end = html.find(';', at);
      const auto entity = end == std::string_view::npos ? std::string_view{} : html.substr(at + 1, end - at - 1);
      static const std::pair<std::string_view, std::string_view> named[] = {{"amp", "&"},   {"lt", "<"},  {"gt", ">"},
                                                                            {"quot", "\""}, {"#39", "'"}, {"nbsp", " "}};
      const auto found = std::find_if(std::begin(named), std::end(named), [&](const auto& pair) { return pair.first == entity; });
      if (found != std::end(named)) {
        text += found->second;
        at = end;
      } else {
        text += c;
      }
    } else {
      text += c;
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
