#include "core/dates.hpp"
#include "core/text.hpp"
#include "feeds/atom.hpp"
#include "render/view.hpp"
#include "site/site_parts.hpp"

namespace plainsight::detail {
namespace {

constexpr std::size_t feed_entries = 20;

const DateTime& last_changed(const Page& page) { return page.meta.updated ? *page.meta.updated : *page.meta.date; }

}  // namespace

std::string atom_feed(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown) {
  const auto& config = model.config;
  std::vector<std::size_t> entries;
  for (auto index : children_of(model, "/news/"))
    if (model.pages[index].kind == PageKind::page && model.pages[index].meta.date) entries.push_back(index);
  std::sort(entries.begin(), entries.end(), [&](auto a, auto b) {
    const auto ta = to_utc_minutes(*model.pages[a].meta.date), tb = to_utc_minutes(*model.pages[b].meta.date);
    return ta != tb ? ta > tb : model.pages[a].url < model.pages[b].url;
  });
  if (entries.size() > feed_entries) entries.resize(feed_entries);
  AtomFeed feed{.url = permalink(config, "/feed.xml"),
                .title = config.title + " – News",
                .subtitle = config.description,
                .language = config.language,
                .base_url = config.base_url,
                .author = config.council.empty() ? config.title : config.council,
                .page_url = permalink(config, "/news/"),
                .entries = {}};
  for (auto index : entries) {
    const auto& page = model.pages[index];
    const auto link = permalink(config, page.url);
    feed.entries.push_back({.id = link,
                            .title = page.meta.title,
                            .url = link,
                            .published = *page.meta.date,
                            .updated = last_changed(page),
                            .summary = page_summary(page, markdown[index]),
                            .content_html = markdown[index].html});
  }
  return atom(feed);
}

std::string sitemap(const SiteModel& model) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const auto& page : model.pages) {
    xml += "  <url><loc>" + escape_html(permalink(model.config, page.url)) + "</loc>";
    if (page.meta.date || page.meta.updated)
      xml += "<lastmod>" + format_date_iso(page.meta.updated ? *page.meta.updated : *page.meta.date) + "</lastmod>";
    xml += "</url>\n";
  }
  xml += "</urlset>\n";
  return xml;
}

std::string robots_txt(const SiteModel& model) { return "User-agent: *\nAllow: /\n\nSitemap: " + permalink(model.config, "/sitemap.xml") + "\n"; }

std::string redirect_page(const SiteModel& model, const Page& target) {
  const auto url = escape_html(site_url(model.config, target.url));
  const auto title = escape_html(target.meta.title);
  return "<!doctype html>\n<html lang=\"" + escape_html(model.config.language) + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
         " has moved</title>\n<link rel=\"canonical\" href=\"" + escape_html(permalink(model.config, target.url)) +
         "\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url=" + url +
         "\">\n</head>\n<body>\n<main>\n<h1>" + title + " has moved</h1>\n<p>This page is now at <a href=\"" + url + "\">" + title +
         "</a>.</p>\n</main>\n</body>\n</html>\n";
}

}  // namespace plainsight::detail
