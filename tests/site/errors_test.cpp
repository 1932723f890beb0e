#include <doctest/doctest.h>

#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

namespace {
using testing::contains;
}  // namespace

TEST_SUITE("site") {
  TEST_CASE("every kind of error is reported at once, as path:line:column, and public/ is left exactly as it was") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/about.md", "---\ntitle: About\n---\n## Who we are\n"}});
    REQUIRE(site.run({"build"}) == 0);
    const auto before = site.read("public/about/index.html");
    site.write("public/keep-me.txt", "a file a broken build must not remove");

    site.write("content/yaml.md", "---\ntitle: [unclosed\n---\n");
    site.write("content/key.md", "---\ntitle: Key\nsumary: x\n---\n");
    site.write("content/date.md", "---\ntitle: Date\ndate: 2022-02-30\n---\n");
    site.write("content/layout.md", "---\ntitle: Layout\nlayout: fancy\n---\n");
    site.write("content/links.md", "---\ntitle: Links\n---\nSee [nothing](/no-such-page/)\nand [who](/about/#who-we-were).\n");
    site.write("content/dup.md", "---\ntitle: Dup\n---\n");
    site.write("content/dup/index.md", "---\ntitle: Dup again\n---\n");
    site.write("themes/default/partials/broken.mustache", "line one\n  {{#open}}\n");
    site.write("content/about.md", "---\ntitle: About changed\n---\n## Who we are\n");

    CHECK(site.run({"build"}) == 1);
    const auto& err = site.err;
    CHECK(contains(err, "content/yaml.md:3:1: error: invalid YAML front matter"));
    CHECK(contains(err, "content/key.md:3:1: error: unknown front matter key \"sumary\" (did you mean \"summary\"?)"));
    CHECK(contains(err, "content/date.md:3:7: error: \"2022-02-30\" is not a valid date"));
    CHECK(contains(err, "themes/default/partials/broken.mustache:2:3: error: template syntax: Unclosed section \"open\""));
    CHECK(contains(err, "error: two pages claim the URL /dup/"));
    CHECK(contains(err, "Build failed:"));
    CHECK(contains(err, "Nothing was written."));
    CHECK(site.read("public/about/index.html") == before);
    CHECK(site.exists("public/keep-me.txt"));

    // With the theme mended, the errors found while rendering show up too.
    site.write("themes/default/partials/broken.mustache", "fine\n");
    CHECK(site.run({"build"}) == 1);
    CHECK(contains(site.err, "content/layout.md:3:1: error: missing layout \"fancy\" (expected templates/fancy.mustache"));
    CHECK(contains(site.err, "content/links.md:4:5: error: broken link: /no-such-page/ is not a page or file of this site"));
    CHECK(contains(site.err,
                   "content/links.md:5:5: error: broken link: /about/ has no heading with the id \"who-we-were\" (did you mean \"who-we-are\"?)"));
    CHECK(site.read("public/about/index.html") == before);
  }

  TEST_CASE("an error found after pages were written out changes nothing in the output folder, and leaves nothing behind") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/about.md", "---\ntitle: About\n---\nFirst.\n"}});
    REQUIRE(site.run({"build", "--strict"}) == 0);
    const auto before = site.read("public/about/index.html");
    site.write("content/about.md", "---\ntitle: About\n---\nSecond.\n");
    site.write("templates/page.mustache", site.read("themes/default/templates/page.mustache") + "{{page.no_such_name}}");
    CHECK(site.run({"build", "--strict"}) == 1);
    CHECK(contains(site.err, "the template uses \"page.no_such_name\""));
    CHECK(site.read("public/about/index.html") == before);
    CHECK_FALSE(site.exists("public/.plainsight-staging"));
    // Into a new folder: no folder at all.
    CHECK(site.run({"build", "--strict", "--out", (site.dir() / "fresh").string()}) == 1);
    CHECK_FALSE(site.exists("fresh"));
    CHECK_FALSE(site.exists("fresh.plainsight-staging"));
  }

  TEST_CASE("a link to a page left out as a draft is broken") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n[Soon](/soon/)\n"}, {"content/soon.md", "---\ntitle: Soon\ndraft: true\n---\n"}});
    CHECK_FALSE(site.generate());
    CHECK(contains(all_messages(site.diagnostics), "content/_index.md:4:1: error: broken link: /soon/"));
    CHECK(site.generate(testing::Templates::strict, testing::Drafts::included));
  }

  TEST_CASE("relative links and links to bundle files are resolved against the page") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/plans/p/index.md", "---\ntitle: P\n---\n[data](plan.json) [sibling](../q/) [missing](../r/)\n"},
                   {"content/plans/p/plan.json", "{}"},
                   {"content/plans/q.md", "---\ntitle: Q\n---\n"}});
    CHECK_FALSE(site.generate());
    const auto text = all_messages(site.diagnostics);
    CHECK(contains(text, "broken link: ../r/"));
    CHECK_FALSE(contains(text, "plan.json"));
    CHECK_FALSE(contains(text, "../q/"));
  }

  TEST_CASE("invalid site.json stops the build with its line and column") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
    site.write("site.json", "{\n  \"title\": \"T\"\n  \"base_url\": \"https://example.org/\"\n}\n");
    CHECK(site.run({"build"}) == 1);
    CHECK(contains(site.err, "site.json:3:3: error: invalid JSON: syntax error while parsing object"));
    CHECK_FALSE(site.exists("public"));
  }

  TEST_CASE("strict mode reports a template name the view lacks, a normal build does not") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"themes/default/templates/home.mustache", "<h1>{{page.titel}}</h1>"}});
    CHECK(site.generate(testing::Templates::lenient));
    CHECK_FALSE(site.generate(testing::Templates::strict));
    CHECK(contains(
        all_messages(site.diagnostics),
        "themes/default/templates/home.mustache:1:5: error: the template uses \"page.titel\", which the view of content/_index.md does not have"));
  }
}

TEST_SUITE("site") {
  TEST_CASE("a control character in a page is a warning at its place, since the page shows U+FFFD instead") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/bell.md", "---\ntitle: Bell\n---\nRing \x07 twice.\n"}});
    const auto output = site.generate();
    REQUIRE(output);
    CHECK(contains(all_messages(site.diagnostics), "content/bell.md:4:6: warning: a control character"));
    CHECK(contains(output->files.at("bell/index.html"), "Ring \xEF\xBF\xBD twice."));
  }
}

TEST_SUITE("site") {
  TEST_CASE("a whole site written from one listing builds as its files say") {
    TempSite site({});
    site.write_all(R"(
-- content/_index.md --
---
title: Home
---
-- content/about.md --
---
title: About
---
See [the news](/news/).
-- content/news/2022-06-16-budget.md --
---
title: Budget approved
---
The budget was approved.
)");
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK(contains(output->files.at("about/index.html"), "<a href=\"/news/\">the news</a>"));
    CHECK(contains(output->files.at("news/budget/index.html"), "The budget was approved."));
    CHECK(site.read("content/about.md") == "---\ntitle: About\n---\nSee [the news](/news/).\n");
  }
}
