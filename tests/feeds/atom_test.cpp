#include <doctest/doctest.h>

#include "feeds/atom.hpp"

using namespace plainsight;

TEST_SUITE("feeds") {
  TEST_CASE("an Atom feed is updated when its newest entry is, never when it is built, and escapes what it holds") {
    AtomFeed feed{.url = "https://council.example/plans/p/feed.xml",
                  .title = "Plan <&> \"one\"",
                  .subtitle = "",
                  .language = "en-GB",
                  .base_url = "https://council.example/",
                  .author = "Council",
                  .page_url = "https://council.example/plans/p/",
                  .entries = {{.id = "https://council.example/plans/p/#period-q3",
                               .title = "Dec 2021",
                               .url = "https://council.example/plans/p/changes/q3/",
                               .published = {.year = 2021, .month = 12, .day = 31},
                               .updated = {.year = 2021, .month = 12, .day = 31},
                               .summary = "",
                               .content_html = "<p>4 Strong & 50 Good</p>"},
                              {.id = "https://council.example/plans/p/#period-q4",
                               .title = "Mar 2022",
                               .url = "https://council.example/plans/p/changes/",
                               .published = {.year = 2022, .month = 3, .day = 31},
                               .updated = {.year = 2022, .month = 3, .day = 31},
                               .summary = "",
                               .content_html = ""}}};
    const auto xml = atom(feed);
    CHECK(xml == atom(feed));
    CHECK(xml.find("  <updated>2022-03-31T00:00:00Z</updated>\n  <author>") != std::string::npos);  // the newest entry's
    CHECK(xml.find("<title>Plan &lt;&amp;&gt; &quot;one&quot;</title>") != std::string::npos);
    CHECK(xml.find("<content type=\"html\">&lt;p&gt;4 Strong &amp; 50 Good&lt;/p&gt;</content>") != std::string::npos);
    CHECK(xml.find("<subtitle>") == std::string::npos);  // none given
    CHECK(xml.find("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://council.example/plans/p/feed.xml\"/>") != std::string::npos);
    CHECK(xml.find("<id>https://council.example/plans/p/#period-q3</id>") != std::string::npos);
  }
}
