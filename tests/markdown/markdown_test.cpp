#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "markdown/markdown.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;

namespace {
using testing::contains;

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

  TEST_CASE("each heading's id goes on its own tag, wherever headings are and whatever raw HTML has headings of its own") {
    const std::string text =
        "> ## Quoted\n\n- ### In a list\n\nText with `<h2>` and a [link](/a \"<h2>\").\n\n"
        "<h2 class=\"raw\">Raw</h2>\n\n## After\n\n<h3>Raw again</h3>\n\nNote[^1].\n\n[^1]: A footnote.\n\n#### Last\n";
    const auto expected_tags = {"<h2 id=\"quoted\">Quoted</h2>", "<h3 id=\"in-a-list\">In a list</h3>", "<h2 id=\"after\">After</h2>",
                                "<h4 id=\"last\">Last</h4>"};
    const auto safe = render_markdown(text, {});  // raw HTML left out: the headings' tags in order
    for (const auto* tag : expected_tags) CHECK_MESSAGE(contains(safe.html, tag), tag);
    MarkdownOptions unsafe;
    unsafe.unsafe_html = true;
    const auto raw = render_markdown(text, unsafe);  // more heading tags than headings: found by their lines
    for (const auto* tag : expected_tags) CHECK_MESSAGE(contains(raw.html, tag), tag);
    CHECK(contains(raw.html, "<h2 class=\"raw\">Raw</h2>"));
    CHECK(contains(raw.html, "<h3>Raw again</h3>"));
    CHECK_FALSE(contains(raw.html, "data-sourcepos"));
    const auto one_raw = render_markdown("<h2>Raw</h2>\n", unsafe);  // a raw heading tag and no heading
    CHECK(one_raw.headings.empty());
    CHECK(contains(one_raw.html, "<h2>Raw</h2>"));
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
    CHECK(out.summary == "Intro");
  }

  TEST_CASE("a link after a code span or tag that spans lines is placed on its own line and column") {
    const auto out = render_markdown("Some `code\nspan` and [link](/x)\n\nA <span\nclass=\"x\"> and [link](/y)\n", {});
    REQUIRE(out.links.size() == 2);
    CHECK(out.links[0].line == 2);
    CHECK(out.links[0].column == 11);
    CHECK(out.links[1].line == 5);
    CHECK(out.links[1].column == 16);
  }

  TEST_CASE("a page's summary is its first paragraph's text, shortened at a word to summary_length characters") {
    std::string words;
    while (words.size() < 3 * summary_length) words += "Résumé ";
    const auto out = render_markdown("# Title\n\n" + words + "\n\nThe second paragraph.\n", MarkdownOptions{});
    const auto characters =
        std::count_if(out.summary.begin(), out.summary.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
    CHECK(out.summary.ends_with("Résumé…"));
    CHECK(static_cast<std::size_t>(characters) <= summary_length + 1);  // and the ellipsis
    CHECK(static_cast<std::size_t>(characters) > summary_length - 8);
    CHECK(render_markdown("**Bold** and `code`\nover two lines.\n\nMore.\n", MarkdownOptions{}).summary == "Bold and code over two lines.");
  }

  TEST_CASE("with unsafe_html, raw HTML keeps its markup but nothing that runs script") {
    MarkdownOptions unsafe;
    unsafe.unsafe_html = true;
    struct Case {
      std::string markdown;
      std::string kept;  ///< what the output must have
      std::string gone;  ///< what it must not have, as markup
    };
    // Inside a <div> block, cmark-gfm passes every line through as raw HTML.
    auto block = [](const std::string& html) { return "<div>\n" + html + "\n</div>"; };
    const std::vector<Case> cases = {
        {"<img src=\"x.png\" alt=\"Open data: the file\" onerror=\"alert(1)\">", "<img src=\"x.png\" alt=\"Open data: the file\">", "onerror"},
        {"<body onload=alert(1)>", "<body>", "onload"},
        {"<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>", "javascript"},
        {"<a href=\" JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>", "alert"},
        {"<a href=\"jav&#x09;ascript&colon;alert(1)\">x</a>", "<a>x</a>", "alert"},
        {"<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>", "<a>x</a>",
         "alert"},
        {"<a href=vbscript:msgbox(1)>x</a>", "<a>x</a>", "vbscript"},
        {block("<a/href=\"javascript:alert(1)\">x</a>"), "<a/>x</a>", "javascript"},
        {"<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>", "&lt;iframe src", "<iframe"},
        {"<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg\"></object>", "&lt;object", "<object"},
        {block("<script/x>alert(1)</script>"), "&lt;script/x>alert(1)&lt;/script>", "<script"},
        {block("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"), "&lt;meta", "<meta"},
        {block("<base href=\"https://evil.example/\">"), "&lt;base", "<base"},
        {"<img srcset=\"a.png 1x, javascript:alert(1) 2x\">", "<img>", "srcset"},
        {block("<svg><a><animate attributeName=\"href\" values=\"javascript:alert(1)\"/><text>x</text></a></svg>"),
         "<animate attributeName=\"href\"/>", "values"},
        {block("<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>"), "<set to=\"alert(1)\"/>", "onmouseover"},
        {"<div style=\"background:url('javascript:alert(1)')\">x</div>", "<div>", "style"},
        {"<a href=\"/ok/\" ONCLICK='alert(1)' title=\"javascript: is text here\">x</a>", "<a href=\"/ok/\" title=\"javascript: is text here\">",
         "ONCLICK"},
        {"<img src=\"data:image/png;base64,iVBORw0KGgo=\">", "<img src=\"data:image/png;base64,iVBORw0KGgo=\">", "&lt;"},
        // Where the browser would take markup for text, or text for markup, this filter does too.
        {block("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>"), "&lt;noscript><p title=", "<noscript"},
        {block("<!-- <x a=\"--><img src=x onerror=alert(1)>\">"), "<!-- <x a=\"--><img src=x>\">", "onerror"},
        {block("<svg><![CDATA[ a > <img src=x onerror=alert(1)> ]]></svg>"), "&lt;![CDATA[ a > <img src=x> ]]>", "onerror"},
        {block("</a title=\"<x b='\"> <img src=x onerror=alert(1)>'>"), "</a> <img src=x>", "onerror"},
        {block("<? a > <img src=x onerror=alert(1)> ?>"), "<? a > <img src=x> ?>", "onerror"},
        {"<div title=\"never closed\n\n<img src=x onerror=alert(1)>", "&lt;div title=\"never closed\n<img src=x>", "onerror"},
        {"<div>\n<img src=x title='open\n\nx\" onerror=alert(1) y='", "&lt;img src=x title='open", "<img"},
        {"[x](javascript:alert(1)) ![y](vbscript:z) <javascript:alert(2)>", "<a href=\"\">x</a> <img src=\"\" alt=\"y\" /> <a href=\"\">",
         "=\"javascript"},
    };
    for (const auto& item : cases) {
      CAPTURE(item.markdown);
      const auto html = render_markdown(item.markdown, unsafe).html;
      CAPTURE(html);
      CHECK(contains(html, item.kept));
      CHECK_FALSE(contains(html, item.gone));
    }
    // Plain markup is kept as written.
    const auto html = render_markdown("<details><summary>More</summary>\n\n<p class=\"note\">Text <b>bold</b><br/></p>\n\n</details>\n", unsafe).html;
    CHECK(contains(html, "<details><summary>More</summary>"));
    CHECK(contains(html, "<p class=\"note\">Text <b>bold</b><br/></p>"));
  }

  TEST_CASE("20,000 equal headings get ids in linear time, the same ids as before") {
    // Each heading tried every number from 1 up: 2e8 set lookups, 21 s.
    std::string markdown;
    for (int i = 0; i < 20000; ++i) markdown += "# x\n";
    markdown += "# x-5\n# x-20000\n# x-20001\n";
    const auto out = render_markdown(markdown, {});
    REQUIRE(out.headings.size() == 20003);
    CHECK(out.headings[0].id == "x");
    CHECK(out.headings[1].id == "x-1");
    CHECK(out.headings[19999].id == "x-19999");
    CHECK(out.headings[20000].id == "x-5-1");  // x-5 is taken by the sixth "x"
    CHECK(out.headings[20001].id == "x-20000");
    CHECK(out.headings[20002].id == "x-20001");
    const auto mixed = render_markdown("# a-1\n# a\n# a\n# a\n", {});
    CHECK(mixed.headings[2].id == "a-2");
    CHECK(mixed.headings[3].id == "a-3");
  }

  TEST_CASE("200,000 task list items are named in one pass") {
    // Naming each checkbox in place moved the rest of the page: 13 s.
    std::string markdown;
    for (int i = 0; i < 200000; ++i) markdown += i % 2 ? "- [x] done\n" : "- [ ] to do\n";
    const auto html = render_markdown(markdown, {}).html;
    std::size_t named = 0;
    for (auto at = html.find("aria-label=\"Not done\""); at != std::string::npos; at = html.find("aria-label=\"Not done\"", at + 1)) ++named;
    CHECK(named == 100000);
    CHECK(contains(html, "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" /> done"));
  }

  TEST_CASE("Markdown that cmark-gfm 0.29.0.gfm.6 would take minutes over is shown as text, not parsed") {
    std::string brackets;
    for (int i = 0; i < 160000; ++i) brackets += "![[]()";  // 40 s in the library
    CHECK(render_markdown(brackets, {}).html.starts_with("<pre>![[]()"));
    std::string row;
    for (int i = 0; i < 100000; ++i) row += "|c";
    CHECK(render_markdown(row + "|\n" + row + "|\n", {}).html.starts_with("<pre>|c|c"));
  }
}

TEST_SUITE("markdown") {
  TEST_CASE("Markdown rendered through the result cache is what rendering it gives, before and after the cache is saved") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    const std::string text = "# Title\n\nFirst *paragraph*.\n\n## Part [link](/news/)\n\n[a link](/about/ \"About\")\n";
    MarkdownOptions options{false, "/portal/", {"search"}};
    auto same = [](const RenderedMarkdown& a, const RenderedMarkdown& b) {
      if (a.html != b.html || a.summary != b.summary || a.headings.size() != b.headings.size() || a.links.size() != b.links.size()) return false;
      for (std::size_t i = 0; i < a.headings.size(); ++i)
        if (a.headings[i].id != b.headings[i].id || a.headings[i].text != b.headings[i].text || a.headings[i].level != b.headings[i].level ||
            a.headings[i].line != b.headings[i].line)
          return false;
      for (std::size_t i = 0; i < a.links.size(); ++i)
        if (a.links[i].url != b.links[i].url || a.links[i].line != b.links[i].line || a.links[i].column != b.links[i].column) return false;
      return true;
    };
    const auto direct = render_markdown(text, options);
    REQUIRE(direct.headings.size() == 2);
    REQUIRE(direct.links.size() == 2);
    {
      ResultCache cache(file, "g");
      CHECK(same(render_markdown(text, options, cache), direct));
      CHECK(same(render_markdown(text, options, cache), direct));
      cache.save();
    }
    ResultCache cache(file, "g");
    CHECK(same(render_markdown(text, options, cache), direct));
    // Other options are another entry, not this one's HTML.
    const MarkdownOptions other{false, "/", {}};
    CHECK(same(render_markdown(text, other, cache), render_markdown(text, other)));
    CHECK_FALSE(same(render_markdown(text, other, cache), direct));
  }
}
