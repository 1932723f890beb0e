#include <doctest/doctest.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "content/loader.hpp"
#include "core/hash.hpp"
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

TEST_SUITE("render") {
  TEST_CASE("hash_json hashes each value's kind, size and text, the same bytes however long the view, so kept keys stay valid") {
    // The bytes, given one by one as the build state's keys were first made.
    auto by_hand = [](const nlohmann::json& value, ContentHasher& hasher, auto& self) -> void {
      auto text = [&](std::string_view part) {
        hasher.add_number(part.size());
        hasher.add(part);
      };
      if (value.is_object()) {
        hasher.add("{");
        hasher.add_number(value.size());
        for (const auto& [key, item] : value.items()) {
          text(key);
          self(item, hasher, self);
        }
      } else if (value.is_array()) {
        hasher.add("[");
        hasher.add_number(value.size());
        for (const auto& item : value) self(item, hasher, self);
      } else if (value.is_string()) {
        hasher.add("\"");
        text(value.get<std::string>());
      } else {
        hasher.add("#");
        text(value.dump());
      }
    };
    nlohmann::json view = {{"text", "a"},
                           {"numbers", {0, -7, 18446744073709551615ULL, 2.5, 1e300}},
                           {"flags", {true, false, nullptr}},
                           {"nested", {{"list", nlohmann::json::array()}, {"object", nlohmann::json::object()}}},
                           {std::string(70000, 'k'), std::string(100000, 'y')}};
    for (int i = 0; i < 5000; ++i) view["rows"].push_back({{"id", i}, {"title", std::string(static_cast<std::size_t>(i % 50), 'x')}});
    for (const auto* part : {&view["text"], &view["numbers"], &view["flags"], &view["nested"], &view}) {
      ContentHasher expected, hashed;
      by_hand(*part, expected, by_hand);
      hash_json(*part, hashed);
      CHECK(hashed.digest() == expected.digest());
    }
  }

  TEST_CASE("a page's view key changes whenever its view does, whatever part of the model changed") {
    TempSite site(
        {{"site.json", testing::minimal_site_json(R"(, "menu": [{"title": "News", "url": "/news/"}])")},
         {"content/_index.md", "---\ntitle: Home\n---\n"},
         {"content/news/_index.md", "---\ntitle: News\n---\n"},
         {"content/news/2022-03-31-year-end.md", "---\ntitle: Year end\ntags: [budget]\nparams:\n  lead: Jo\n---\nFirst.\n\n## One\n\n## Two\n"},
         {"content/news/2022-04-30-spring.md", "---\ntitle: Spring\nsummary: A short one.\n---\nSpring text.\n"},
         // Not in the recent news that every view shows, so only its list and itself show it.
         {"content/services/_index.md", "---\ntitle: Services\n---\n"},
         {"content/services/bins.md", "---\ntitle: Bins\ndate: 2022-01-01\n---\nCollections.\n\n## Days\n\n## Times\n"}});
    Diagnostics diagnostics;
    auto loaded = load_site(site.dir(), {}, diagnostics);
    REQUIRE(loaded);
    const SiteModel original = std::move(*loaded);
    const auto news = find_page(original, "/news/");
    const auto post = find_page(original, "/news/year-end/");
    const auto services = find_page(original, "/services/");
    const auto bins = find_page(original, "/services/bins/");

    struct Shown {
      std::vector<nlohmann::json> views;
      std::vector<std::uint64_t> keys;
    };
    auto show = [&](const SiteModel& model, const std::vector<RenderedMarkdown>& markdown) {
      const auto site_view = make_site_view(model, markdown);
      ContentHasher hasher;
      hash_json(site_view, hasher);
      const auto site_key = hasher.digest();
      std::vector<std::uint64_t> markdown_keys;
      for (const auto& rendered : markdown) markdown_keys.push_back(markdown_key(rendered));
      Shown shown;
      for (std::size_t i = 0; i < model.pages.size(); ++i) {
        const auto list = model.pages[i].kind == PageKind::page ? ListSlice{} : ListSlice{children_of(original, model.pages[i].url), 1, 1};
        shown.views.push_back(make_page_view(model, markdown, site_view, i, list));
        shown.keys.push_back(page_view_key(model, markdown_keys, site_key, i, list));
      }
      return shown;
    };
    std::vector<RenderedMarkdown> original_markdown;
    for (const auto& page : original.pages) original_markdown.push_back(render_markdown(page.body, {}));
    const auto before = show(original, original_markdown);

    using Change = std::function<void(SiteModel&, std::vector<RenderedMarkdown>&)>;
    const std::vector<std::pair<const char*, Change>> changes = {
        {"a title", [&](SiteModel& m, auto&) { m.pages[post].meta.title = "Year's end"; }},
        {"a list's title, in breadcrumbs", [&](SiteModel& m, auto&) { m.pages[news].meta.title = "Updates"; }},
        {"a title shown in a list", [&](SiteModel& m, auto&) { m.pages[bins].meta.title = "Recycling"; }},
        {"a summary shown in a list", [&](SiteModel& m, auto&) { m.pages[bins].meta.summary = "When they come."; }},
        {"a date shown in a list", [&](SiteModel& m, auto&) { m.pages[bins].meta.date->month = 2; }},
        {"a first paragraph shown in a list", [&](SiteModel&, auto& md) { md[bins].summary = "Other."; }},
        {"a section's title, in breadcrumbs", [&](SiteModel& m, auto&) { m.pages[services].meta.title = "What we do"; }},
        {"a heading not in recent news", [&](SiteModel&, auto& md) { md[bins].headings[1].text = "Hours"; }},
        {"a tag not in recent news", [&](SiteModel& m, auto&) { m.pages[bins].meta.tags = {"waste"}; }},
        {"a page not in recent news in another section", [&](SiteModel& m, auto&) { m.pages[bins].section = "waste"; }},
        {"a summary", [&](SiteModel& m, auto&) { m.pages[post].meta.summary = "In short."; }},
        {"a date", [&](SiteModel& m, auto&) { m.pages[post].meta.date->day = 30; }},
        {"an update date",
         [&](SiteModel& m, auto&) {
           m.pages[post].meta.updated = DateTime{2022, 5, 1};
         }},
        {"a tag", [&](SiteModel& m, auto&) { m.pages[post].meta.tags = {"spending"}; }},
        {"a parameter", [&](SiteModel& m, auto&) { m.pages[post].meta.params["lead"] = "Sam"; }},
        {"a parameter's kind", [&](SiteModel& m, auto&) { m.pages[post].meta.params["lead"] = 5; }},
        {"the contents list turned off", [&](SiteModel& m, auto&) { m.pages[post].meta.toc = false; }},
        {"the source", [&](SiteModel& m, auto&) { m.pages[post].meta.source = "Report 003"; }},
        {"the type", [&](SiteModel& m, auto&) { m.pages[post].meta.type = "notice"; }},
        {"the layout", [&](SiteModel& m, auto&) { m.pages[post].meta.layout = "wide"; }},
        {"the HTML", [&](SiteModel&, auto& md) { md[post].html += "<p>More.</p>"; }},
        {"the first paragraph", [&](SiteModel&, auto& md) { md[post].summary = "Other."; }},
        {"a heading", [&](SiteModel&, auto& md) { md[post].headings[0].text = "Uno"; }},
        {"a heading id", [&](SiteModel&, auto& md) { md[post].headings[0].id = "uno"; }},
        {"the description", [&](SiteModel& m, auto&) { m.config.description = "Another site"; }},
        {"the base URL", [&](SiteModel& m, auto&) { REQUIRE(set_base_url(m.config, "https://example.org/portal/")); }},
        {"the site's title", [&](SiteModel& m, auto&) { m.config.title = "Another council"; }},
        {"a menu entry", [&](SiteModel& m, auto&) { m.config.menu[0].title = "Updates"; }},
        {"the kind of page", [&](SiteModel& m, auto&) { m.pages[post].kind = PageKind::section; }},
        {"the section", [&](SiteModel& m, auto&) { m.pages[post].section = "updates"; }},
    };
    for (const auto& entry : changes) {  // not a structured binding: clang 14 cannot capture one in INFO
      const std::string what = entry.first;
      auto model = original;
      auto markdown = original_markdown;
      entry.second(model, markdown);
      const auto after = show(model, markdown);
      bool some_view_changed = false;
      for (std::size_t i = 0; i < model.pages.size(); ++i) {
        if (after.views[i] == before.views[i]) continue;
        some_view_changed = true;
        INFO("after a change to ", what, ", the view of ", model.pages[i].url);
        CHECK(after.keys[i] != before.keys[i]);
      }
      INFO(what, " changes some view");
      CHECK(some_view_changed);
    }
  }
}
