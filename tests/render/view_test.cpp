#include <doctest/doctest.h>

#include "content/loader.hpp"
#include "render/view.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::TempSite;

TEST_SUITE("render") {
  TEST_CASE("URLs carry the base path, permalinks are absolute") {
    SiteConfig config;
    REQUIRE(set_base_url(config, "https://example.org/portal"));
    CHECK(site_url(config, "/news/") == "/portal/news/");
    CHECK(permalink(config, "/news/") == "https://example.org/portal/news/");
    CHECK(paginated_url("/news/", 1) == "/news/");
    CHECK(paginated_url("/news/", 3) == "/news/page/3/");
  }

  TEST_CASE("the page view has dates formatted, a nested table of contents, breadcrumbs and the current menu item") {
    TempSite site({{"site.json", testing::minimal_site_json(R"(, "menu": [{"title": "Home", "url": "/"}, {"title": "News", "url": "/news/"}])")},
                   {"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/news/_index.md", "---\ntitle: News\n---\n"},
                   {"content/news/2022-03-31-year-end.md",
                    "---\ntitle: Year end\nparams:\n  lead: Jo\n---\nFirst paragraph here.\n\n## One\n\n### One A\n\n## Two\n"}});
    Diagnostics diagnostics;
    const auto model = load_site(site.dir(), {}, diagnostics);
    REQUIRE(model);
    std::vector<RenderedMarkdown> markdown;
    for (const auto& page : model->pages) markdown.push_back(render_markdown(page.body, {}));
    const auto site_view = make_site_view(*model, markdown);
    CHECK(site_view["recent_news"].size() == 1);
    const auto index = find_page(*model, "/news/year-end/");
    const auto view = make_page_view(*model, markdown, site_view, index, {});
    const auto& page = view["page"];
    CHECK(page["date"] == "31 March 2022");
    CHECK(page["date_iso"] == "2022-03-31");
    CHECK(page["summary"] == "First paragraph here.");
    CHECK(page["permalink"] == "https://example.org/news/year-end/");
    CHECK(page["has_toc"] == true);
    REQUIRE(page["toc"].size() == 2);
    CHECK(page["toc"][0]["children"][0]["id"] == "one-a");
    CHECK(page["breadcrumbs"].size() == 2);
    CHECK(page["breadcrumbs"][1]["title"] == "News");
    CHECK(page["params"]["lead"] == "Jo");
    CHECK(view["site"]["menu"][0]["current"] == false);
    CHECK(view["site"]["menu"][1]["current"] == true);
  }

  TEST_CASE("pagination links the first, the last, the current page and its neighbours, with gaps for the rest") {
    TempSite site({{"site.json", testing::minimal_site_json()},
                   {"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/news/_index.md", "---\ntitle: News\n---\n"}});
    Diagnostics diagnostics;
    const auto model = load_site(site.dir(), {}, diagnostics);
    REQUIRE(model);
    const std::vector<RenderedMarkdown> markdown(model->pages.size());
    const auto site_view = make_site_view(*model, markdown);
    auto numbers = [&](int current, int total) {
      const auto view = make_page_view(*model, markdown, site_view, find_page(*model, "/news/"), {{}, current, total});
      std::string shown;
      for (const auto& item : view["page"]["pagination"]["numbers"])
        shown += item["is_gap"].get<bool>() ? "… " : item["number"].get<std::string>() + (item["current"].get<bool>() ? "* " : " ");
      return shown;
    };
    CHECK(numbers(500, 1000) == "1 … 499 500* 501 … 1000 ");
    CHECK(numbers(1, 1000) == "1* 2 … 1000 ");
    CHECK(numbers(1000, 1000) == "1 … 999 1000* ");
    CHECK(numbers(4, 10) == "1 2 3 4* 5 … 10 ");  // a gap of one number shows it
    CHECK(numbers(2, 3) == "1 2* 3 ");
    const auto view = make_page_view(*model, markdown, site_view, find_page(*model, "/news/"), {{}, 500, 1000});
    CHECK(view["page"]["pagination"]["numbers"][2]["url"] == "/news/page/499/");
  }

  TEST_CASE("layouts are chosen by layout, then type, then section, then kind") {
    TempSite site({{"themes/default/templates/plan.mustache", "plan"},
                   {"themes/default/templates/news.mustache", "news"},
                   {"themes/default/templates/news-list.mustache", "news list"},
                   {"themes/default/templates/wide.mustache", "wide"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    Page page;
    page.meta.layout = "wide";
    page.meta.type = "plan";
    CHECK(choose_layout(page, *theme) == "wide");
    page.meta.layout = "";
    CHECK(choose_layout(page, *theme) == "plan");
    page.meta.type = "budget";
    page.section = "news";
    CHECK(choose_layout(page, *theme) == "news");
    page.kind = PageKind::section;
    CHECK(choose_layout(page, *theme) == "news-list");
    page.section = "plans";
    CHECK(choose_layout(page, *theme) == "list");
    page.kind = PageKind::home;
    page.section = "";
    CHECK(choose_layout(page, *theme) == "home");
    page.meta.layout = "missing";
    CHECK(choose_layout(page, *theme) == "");
  }
}
