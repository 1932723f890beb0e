#include "feeds/icalendar.hpp"

#include <fmt/format.h>

namespace plainsight {
namespace {

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \n.
std::string escape_text(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\\n";
    } else if ((static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) || c == '\t') {
      out += c;  // other control characters are not allowed in TEXT
    }
  }
  return out;
}

/// Appends one content line, folded so that no line passes 75 octets: a fold is CRLF and a
/// space, and falls between UTF-8 characters.
void append_line(std::string& out, std::string_view line) {
  std::size_t width = 75;
  while (line.size() > width) {
    std::size_t cut = width;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    width = 74;  // the space that starts a continued line counts
  }
  out.append(line);
  out += "\r\n";
}

std::string date_value(const DateTime& date) { return fmt::format("{:04}{:02}{:02}", date.year, date.month, date.day); }

/// The day after, for DTEND: an all-day event ends where the next day starts.
DateTime next_day(const DateTime& date) {
  if (is_valid_date(date.year, date.month, date.day + 1)) return {.year = date.year, .month = date.month, .day = date.day + 1};
  if (date.month < 12) return {.year = date.year, .month = date.month + 1, .day = 1};
  return {.year = date.year + 1, .month = 1, .day = 1};
}

}  // namespace

std::string icalendar(const Calendar& calendar) {
  std::string out;
  const auto stamp = date_value(calendar.stamp) + "T000000Z";
  append_line(out, "BEGIN:VCALENDAR");
  append_line(out, "VERSION:2.0");
  append_line(out, "PRODID:-//plainsight//plainsight//EN");
  append_line(out, "CALSCALE:GREGORIAN");
  append_line(out, "METHOD:PUBLISH");
  append_line(out, "X-WR-CALNAME:" + escape_text(calendar.name));
  if (!calendar.description.empty()) append_line(out, "X-WR-CALDESC:" + escape_text(calendar.description));
  for (const auto& event : calendar.events) {
    append_line(out, "BEGIN:VEVENT");
    append_line(out, "UID:" + escape_text(event.uid));
    append_line(out, "DTSTAMP:" + stamp);
    append_line(out, "DTSTART;VALUE=DATE:" + date_value(event.day));
    append_line(out, "DTEND;VALUE=DATE:" + date_value(next_day(event.day)));
    append_line(out, "SUMMARY:" + escape_text(event.summary));
    if (!event.description.empty()) append_line(out, "DESCRIPTION:" + escape_text(event.description));
    if (!event.url.empty()) append_line(out, "URL:" + event.url);
    append_line(out, "TRANSP:TRANSPARENT");  // a date to know, not time taken
    append_line(out, "END:VEVENT");
  }
  append_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace plainsight
