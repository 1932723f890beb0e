#include "core/dates.hpp"
#include "core/text.hpp"
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

  // The feed changes only when its entries do: its date is the newest entry's, never the build's.
  std::string updated = "2000-01-01T00:00:00Z";
  long long newest = 0;
  for (auto index : entries)
    if (const auto& date = last_changed(model.pages[index]); updated == "2000-01-01T00:00:00Z" || to_utc_minutes(date) > newest) {
      newest = to_utc_minutes(date);
      updated = format_date_rfc3339(date);
    }

  const auto feed_url = permalink(config, "/feed.xml");
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" +
                    escape_html(config.language) + "\" xml:base=\"" + escape_html(config.base_url) + "\">\n";
  xml += "  <title>" + escape_html(config.title) + " – News</title>\n";
  xml += "  <subtitle>" + escape_html(config.description) + "</subtitle>\n";
  xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + escape_html(feed_url) + "\"/>\n";
  xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(permalink(config, "/news/")) + "\"/>\n";
  xml += "  <id>" + escape_html(feed_url) + "</id>\n";
  xml += "  <updated>" + updated + "</updated>\n";
  xml += "  <author><name>" + escape_html(config.council.empty() ? config.title : config.council) + "</name></author>\n";
  for (auto index : entries) {
    const auto& page = model.pages[index];
    const auto link = permalink(config, page.url);
    xml += "  <entry>\n";
    xml += "    <title>" + escape_html(page.meta.title) + "</title>\n";
    xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(link) + "\"/>\n";
    xml += "    <id>" + escape_html(link) + "</id>\n";
    xml += "    <published>" + format_date_rfc3339(*page.meta.date) + "</published>\n";
    xml += "    <updated>" + format_date_rfc3339(last_changed(page)) + "</updated>\n";
    if (const auto summary = page_summary(page, markdown[index]); !summary.empty()) xml += "    <summary>" + escape_html(summary) + "</summary>\n";
    xml += "    <content type=\"html\">" + escape_html(markdown[index].html) + "</content>\n";
    xml += "  </entry>\n";
  }
  xml += "</feed>\n";
  return xml;
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
