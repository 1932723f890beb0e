#include <doctest/doctest.h>

#include "markdown/markdown.hpp"

using namespace plainsight;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_SUITE("markdown") {
  TEST_CASE("GitHub Flavoured Markdown extensions are on") {
    const auto out = render_markdown(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.org\n\n- [x] done\n- [ ] to do\n\nNote[^1].\n\n[^1]: The footnote.\n", {});
    CHECK(contains(out.html, "<table>"));
    CHECK(contains(out.html, "<del>old</del>"));
    CHECK(contains(out.html, "<a href=\"http://www.example.org\">"));
    CHECK(contains(out.html, "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />"));
    CHECK(contains(out.html, "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />"));
    CHECK(contains(out.html, "class=\"footnotes\""));
    CHECK_FALSE(contains(out.html, "data-sourcepos"));
  }

  TEST_CASE("raw HTML is left out unless the site allows it") {
    const std::string text = "<script>alert(1)</script>\n\nHi <b>there</b>\n\n[x](javascript:alert(1))\n";
    const auto safe = render_markdown(text, {});
    CHECK_FALSE(contains(safe.html, "<script>"));
    CHECK_FALSE(contains(safe.html, "<b>"));
    CHECK_FALSE(contains(safe.html, "javascript:"));
    MarkdownOptions unsafe;
    unsafe.unsafe_html = true;
    CHECK(contains(render_markdown(text, unsafe).html, "<b>there</b>"));
    CHECK(contains(render_markdown(text, unsafe).html, "&lt;script>"));  // the tagfilter extension still applies
  }

  TEST_CASE("headings get stable, unique ids and are listed") {
    MarkdownOptions options;
    options.reserved_ids = {"main"};
    const auto out = render_markdown("# Main\n\n## Our values\n\nText\n\n## Our values\n\nSetext\n------\n\n### `code` & more\n", options);
    REQUIRE(out.headings.size() == 5);
    CHECK(out.headings[0].id == "main-1");
    CHECK(out.headings[1].id == "our-values");
    CHECK(out.headings[2].id == "our-values-1");
    CHECK(out.headings[3].id == "setext");
    CHECK(out.headings[3].line == 9);
    CHECK(out.headings[4].text == "code & more");
    CHECK(contains(out.html, "<h2 id=\"our-values\">Our values</h2>"));
    CHECK(contains(out.html, "<h2 id=\"our-values-1\">"));
    CHECK(contains(out.html, "<h3 id=\"code-more\">"));
  }

  TEST_CASE("links are listed with their lines, and site paths get the base path") {
    MarkdownOptions options;
    options.base_path = "/portal/";
    const auto out = render_markdown("Intro\n\nSee [the budget](/budgets/2020-21/#income) and\n[elsewhere](https://example.org/).\n", options);
    REQUIRE(out.links.size() == 2);
    CHECK(out.links[0].url == "/budgets/2020-21/#income");
    CHECK(out.links[0].line == 3);
    CHECK(out.links[1].line == 4);
    CHECK(contains(out.html, "href=\"/portal/budgets/2020-21/#income\""));
    CHECK(out.first_paragraph == "Intro");
  }
}
