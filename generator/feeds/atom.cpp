#include "feeds/atom.hpp"

#include "core/text.hpp"

namespace plainsight {

std::string atom(const AtomFeed& feed) {
  std::string updated = "2000-01-01T00:00:00Z";  // a feed with no entries
  long long newest = 0;
  for (const auto& entry : feed.entries)
    if (updated == "2000-01-01T00:00:00Z" || to_utc_minutes(entry.updated) > newest) {
      newest = to_utc_minutes(entry.updated);
      updated = format_date_rfc3339(entry.updated);
    }
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" +
                    escape_html(feed.language) + "\" xml:base=\"" + escape_html(feed.base_url) + "\">\n";
  xml += "  <title>" + escape_html(feed.title) + "</title>\n";
  if (!feed.subtitle.empty()) xml += "  <subtitle>" + escape_html(feed.subtitle) + "</subtitle>\n";
  xml += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + escape_html(feed.url) + "\"/>\n";
  xml += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(feed.page_url) + "\"/>\n";
  xml += "  <id>" + escape_html(feed.url) + "</id>\n";
  xml += "  <updated>" + updated + "</updated>\n";
  xml += "  <author><name>" + escape_html(feed.author) + "</name></author>\n";
  for (const auto& entry : feed.entries) {
    xml += "  <entry>\n";
    xml += "    <title>" + escape_html(entry.title) + "</title>\n";
    xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + escape_html(entry.url) + "\"/>\n";
    xml += "    <id>" + escape_html(entry.id) + "</id>\n";
    xml += "    <published>" + format_date_rfc3339(entry.published) + "</published>\n";
    xml += "    <updated>" + format_date_rfc3339(entry.updated) + "</updated>\n";
    if (!entry.summary.empty()) xml += "    <summary>" + escape_html(entry.summary) + "</summary>\n";
    if (!entry.content_html.empty()) xml += "    <content type=\"html\">" + escape_html(entry.content_html) + "</content>\n";
    xml += "  </entry>\n";
  }
  xml += "</feed>\n";
  return xml;
}

}  // namespace plainsight
