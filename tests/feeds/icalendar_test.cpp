#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "feeds/icalendar.hpp"

using namespace plainsight;

namespace {

/// The content lines, unfolded as RFC 5545 3.1 says: a CRLF followed by a space is removed.
std::vector<std::string> content_lines(const std::string& text) {
  std::string unfolded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 2;
      continue;
    }
    unfolded += text[i];
  }
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < unfolded.size();) {
    const auto end = unfolded.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    lines.push_back(unfolded.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

bool has_line(const std::vector<std::string>& lines, const std::string& line) { return std::find(lines.begin(), lines.end(), line) != lines.end(); }

}  // namespace

TEST_SUITE("feeds") {
  TEST_CASE("an iCalendar file has CRLF line ends, folds at 75 octets between UTF-8 characters, and escapes text") {
    const std::string title = "Supply of road salt; grit, and £ signs – " + std::string(40, 'x') + " ééééé";
    const Calendar calendar{.name = "Council: contracts",
                            .description = "",
                            .stamp = {.year = 2020, .month = 3, .day = 16},
                            .events = {{.uid = "https://council.example/procurement/#salt",
                                        .day = {.year = 2020, .month = 12, .day = 31},
                                        .summary = title,
                                        .description = "Line one.\nBack\\slash.",
                                        .url = "https://council.example/procurement/#salt"}}};
    const auto text = icalendar(calendar);
    CHECK(text == icalendar(calendar));
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        CHECK(i > 0);
        CHECK(text[i - 1] == '\r');       // no bare LF
        CHECK(i + 1 - line_start <= 77);  // 75 octets and the CRLF
        line_start = i + 1;
      }
      if (text[i] == '\r') CHECK(text[i + 1] == '\n');  // no bare CR
      // A fold never splits a character: the octet after "CRLF space" is never a continuation byte.
      if (i >= 3 && text.compare(i - 3, 3, "\r\n ") == 0) CHECK((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80);
    }
    CHECK(text.find("\r\n ") != std::string::npos);  // the summary is long enough to fold
    const auto lines = content_lines(text);
    CHECK(lines.front() == "BEGIN:VCALENDAR");
    CHECK(lines.back() == "END:VCALENDAR");
    CHECK(has_line(lines, "VERSION:2.0"));
    CHECK(has_line(lines, "X-WR-CALNAME:Council: contracts"));
    CHECK(has_line(lines, "SUMMARY:Supply of road salt\\; grit\\, and £ signs – " + std::string(40, 'x') + " ééééé"));
    CHECK(has_line(lines, "DESCRIPTION:Line one.\\nBack\\\\slash."));
    CHECK(has_line(lines, "UID:https://council.example/procurement/#salt"));
    CHECK(has_line(lines, "DTSTAMP:20200316T000000Z"));
    CHECK(has_line(lines, "DTSTART;VALUE=DATE:20201231"));
    CHECK(has_line(lines, "DTEND;VALUE=DATE:20210101"));  // the next day, over the year's end
  }

  TEST_CASE("an all-day event ends on the next day, at the end of a month and on 29 February") {
    auto end_of = [](DateTime day) {
      const auto lines = content_lines(icalendar(
          {.name = "x", .description = "", .stamp = day, .events = {{.uid = "a", .day = day, .summary = "s", .description = "", .url = ""}}}));
      const auto found = std::find_if(lines.begin(), lines.end(), [](const std::string& line) { return line.starts_with("DTEND"); });
      return found == lines.end() ? std::string() : *found;
    };
    CHECK(end_of({.year = 2020, .month = 2, .day = 28}) == "DTEND;VALUE=DATE:20200229");
    CHECK(end_of({.year = 2020, .month = 2, .day = 29}) == "DTEND;VALUE=DATE:20200301");
    CHECK(end_of({.year = 2021, .month = 4, .day = 30}) == "DTEND;VALUE=DATE:20210501");
    CHECK(end_of({.year = 2021, .month = 1, .day = 5}) == "DTEND;VALUE=DATE:20210106");
  }

  TEST_CASE("control characters other than line breaks are left out of text") {
    const auto text = icalendar({.name = "a\x01"
                                         "b\r\nc",
                                 .description = "",
                                 .stamp = {.year = 2020, .month = 1, .day = 1},
                                 .events = {}});
    CHECK(has_line(content_lines(text), "X-WR-CALNAME:ab\\nc"));
  }
}
