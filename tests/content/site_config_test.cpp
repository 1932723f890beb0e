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

  TEST_CASE("menu and licence URLs must be site paths, http(s) URLs or mailto: addresses") {
    TempSite site({{"site.json",
                    "{\"title\": \"T\", \"base_url\": \"https://example.org/\",\n"
                    " \"licence_url\": \"javascript:alert(1)\",\n"
                    " \"menu\": [{\"title\": \"A\", \"url\": \"JavaScript:alert(1)\"},\n"
                    "          {\"title\": \"B\", \"url\": \"//evil.example/\"},\n"
                    "          {\"title\": \"C\", \"url\": \"/\\t/evil.example/\"},\n"
                    "          {\"title\": \"D\", \"url\": \"data:text/html,x\"},\n"
                    "          {\"title\": \"E\", \"url\": \"news/\"},\n"
                    "          {\"title\": \"F\", \"url\": \"/\\\\evil.example/\"}]}"}},
                  true);
    Diagnostics diagnostics;
    CHECK_FALSE(load_site_config(site.dir(), diagnostics));
    const auto text = all_messages(diagnostics);
    CAPTURE(text);
    CHECK(text.find("site.json:2:17: error: licence_url must be a path on this site such as \"/news/\", an http or https URL, or a mailto: address "
                    "(\"javascript:\" is not allowed)") != std::string::npos);
    CHECK(text.find("site.json:3:33: error: url must be a path on this site such as \"/news/\", an http or https URL, or a mailto: address "
                    "(\"JavaScript:\" is not allowed)") != std::string::npos);
    CHECK(text.find("site.json:4:33: error: url must be a path on this site") != std::string::npos);
    CHECK(text.find("site.json:5:33: error: url must not hold spaces, control characters or backslashes") != std::string::npos);
    CHECK(text.find("site.json:6:33: error: url must be a path on this site such as \"/news/\", an http or https URL, or a mailto: address "
                    "(\"data:\" is not allowed)") != std::string::npos);
    CHECK(text.find("site.json:7:33: error: url must be a path on this site") != std::string::npos);
    CHECK(text.find("site.json:8:33: error: url must not hold spaces, control characters or backslashes") != std::string::npos);
    CHECK(diagnostics.error_count() == 7);

    site.write("site.json", R"({"title": "T", "base_url": "https://example.org/", "licence_url": "HTTPS://example.org/licence",
      "menu": [{"title": "A", "url": "/news/"}, {"title": "B", "url": "https://example.com/x?y=1#z"},
               {"title": "C", "url": "mailto:info@example.org"}, {"title": "D", "url": "/a:b/"}]})");
    Diagnostics valid;
    CHECK_MESSAGE(load_site_config(site.dir(), valid), all_messages(valid));
  }

  TEST_CASE("org_id is an org-id.guide identifier, and department aliases map other spellings to one name") {
    TempSite site({{"site.json", R"({"title": "T", "base_url": "https://example.org/", "org_id": "GB-LAE-DBY",
                                     "department_aliases": {"Adult Care": "Adult Social Care and Health", "Children’s Services": "Children's Services"}})"}},
                  true);
    Diagnostics diagnostics;
    const auto config = load_site_config(site.dir(), diagnostics);
    REQUIRE_MESSAGE(config, all_messages(diagnostics));
    CHECK(config->org_id == "GB-LAE-DBY");
    CHECK(department_name(*config, "Adult Care") == "Adult Social Care and Health");
    CHECK(department_name(*config, "Children’s Services") == "Children's Services");
    CHECK(department_name(*config, "Public Health") == "Public Health");
    const auto org = split_org_id("GB-LAE-DBY");
    REQUIRE(org);
    CHECK(org->scheme == "GB-LAE");
    CHECK(org->id == "DBY");
    CHECK(split_org_id("GB-COH-01234567-X")->id == "01234567-X");
    CHECK_FALSE(split_org_id("DBY"));
    CHECK_FALSE(split_org_id("GB-LAE-"));
    CHECK_FALSE(split_org_id("gb-lae-DBY"));

    TempSite bad({{"site.json",
                   "{\"title\": \"T\", \"base_url\": \"https://example.org/\",\n \"org_id\": \"Derbyshire\",\n"
                   " \"department_aliases\": {\"A\": \"B\", \"B\": \"C\", \"D\": 5}}"}},
                 true);
    Diagnostics errors;
    CHECK_FALSE(load_site_config(bad.dir(), errors));
    const auto text = all_messages(errors);
    CHECK_MESSAGE(text.find("site.json:2:12: error: org_id must be an organisation identifier") != std::string::npos, text);
    CHECK(text.find("error: \"B\" is itself an alias") != std::string::npos);
    CHECK(text.find("error: the alias \"D\" needs the department's name") != std::string::npos);
  }

  TEST_CASE("a missing site.json says what a site folder holds") {
    TempSite site({}, true);
    Diagnostics diagnostics;
    CHECK_FALSE(load_site_config(site.dir(), diagnostics));
    CHECK(all_messages(diagnostics).find("cannot read site.json") != std::string::npos);
  }
}
