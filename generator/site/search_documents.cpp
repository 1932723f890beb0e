// The search index's documents, made from the model rather than by reading back the HTML.
#include "core/format.hpp"
#include "core/text.hpp"
#include "render/view.hpp"
#include "site/site_parts.hpp"
#include "types/data_type.hpp"

namespace plainsight::detail {

std::vector<SearchDocument> search_documents(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown) {
  std::vector<SearchDocument> documents;
  for (std::size_t i = 0; i < model.pages.size(); ++i) {
    const auto& page = model.pages[i];
    if (page.meta.layout == "search" || page.meta.layout == "sitemap") continue;  // pages about the site, not in it
    const auto url = site_url(model.config, page.url);
    const bool news = page.section == "news" && page.kind == PageKind::page;
    SearchDocument document{page.meta.title, url, news ? "News" : "Page", page_summary(page, markdown[i]), "", "", {}, markdown[i].html};
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
