#include <doctest/doctest.h>

#include "content/site_config.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

TEST_SUITE("content") {
  TEST_CASE("site.json settings are read, with defaults") {
    TempSite site({{"site.json", R"({"title": "T", "base_url": "https://example.org/portal", "paginate": 5,
                                     "markdown": {"unsafe_html": true}, "menu": [{"title": "News", "url": "/news/"}]})"}},
                  true);
    Diagnostics diagnostics;
    const auto config = load_site_config(site.dir(), diagnostics);
    REQUIRE(config);
    CHECK(config->base_url == "https://example.org/portal/");
    CHECK(config->base_path == "/portal/");
    CHECK(config->paginate == 5);
    CHECK(config->unsafe_html);
    CHECK(config->language == "en-GB");
    REQUIRE(config->menu.size() == 1);
    CHECK(config->menu[0].where.line == 2);
  }

  TEST_CASE("site.json errors name the line and column") {
    TempSite site({{"site.json", "{\"title\": \"T\",\n \"base_url\": \"example.org\",\n \"paginat\": 5,\n \"paginate\": \"ten\"}"}}, true);
    Diagnostics diagnostics;
    CHECK_FALSE(load_site_config(site.dir(), diagnostics));
    const auto text = all_messages(diagnostics);
    CHECK(text.find("site.json:2:14: error: base_url must be an absolute http or https URL") != std::string::npos);
    CHECK(text.find("site.json:3:13: error: unknown setting \"paginat\" (did you mean \"paginate\"?)") != std::string::npos);
    CHECK(text.find("site.json:4:14: error: paginate must be a whole number") != std::string::npos);
  }

  TEST_CASE("a missing site.json says what a site folder holds") {
    TempSite site({}, true);
    Diagnostics diagnostics;
    CHECK_FALSE(load_site_config(site.dir(), diagnostics));
    CHECK(all_messages(diagnostics).find("cannot read site.json") != std::string::npos);
  }
}
