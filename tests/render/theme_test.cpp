#include <doctest/doctest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "render/theme.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

TEST_SUITE("render") {
  TEST_CASE("Mustache syntax errors are reported with line and column, not a byte offset") {
    TempSite site(
        {{"themes/default/templates/page.mustache", "<p>\n  {{#items}}\n  {{name}\n"}, {"themes/default/partials/bad.mustache", "ok\n{{/never}}\n"}});
    Diagnostics diagnostics;
    CHECK_FALSE(Theme::load(site.dir(), "default", diagnostics));
    const auto text = all_messages(diagnostics);
    CHECK(text.find("themes/default/templates/page.mustache:3:3: error: template syntax: Unclosed tag") != std::string::npos);
    CHECK(text.find("themes/default/partials/bad.mustache:2:1: error: template syntax: Unopened section \"never\"") != std::string::npos);
  }

  TEST_CASE("a missing theme is reported") {
    TempSite site({});
    Diagnostics diagnostics;
    CHECK_FALSE(Theme::load(site.dir(), "fancy", diagnostics));
    CHECK(all_messages(diagnostics).find("theme \"fancy\" not found") != std::string::npos);
  }

  TEST_CASE("rendering escapes text, keeps HTML given for {{{ }}} and finds partials") {
    TempSite site({{"themes/default/templates/t.mustache", "{{> p}}|{{{html}}}"}, {"themes/default/partials/p.mustache", "<b>{{title}}</b>"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    const auto html = theme->render("t", {{"title", "<script>alert(1)</script>"}, {"html", "<em>ok</em>"}}, true, diagnostics, "page.md");
    CHECK(html == "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>|<em>ok</em>");
    CHECK(all_messages(diagnostics) == "");
  }

  TEST_CASE("text is written exactly as Mustache says: runs of words and spaces, lines that hold only a section tag, tabs and CRLF") {
    // The layout's runs of text are each written as one piece (theme.cpp, gather_runs); the
    // output is what kainjow makes of the template as it is.
    TempSite site({{"themes/default/templates/t.mustache",
                    "<ul>\n"
                    "  {{#items}}\n"
                    "  <li class=\"a  b\">{{name}} and {{{html}}} {{& html}}</li>\n"
                    "  {{/items}}\n"
                    "</ul>\r\n"
                    "\t{{^none}}\tnothing  here\t{{/none}}  \r\n"
                    "  {{! a comment }}  \n"
                    "{ not a tag } and }} too \r"
                    "{{#flag}}  \n  yes  \n  {{/flag}}\n"
                    "{{> odd}}\n"
                    "  {{> plain}}  \n"
                    "end  "},
                   {"themes/default/partials/odd.mustache", "{{=<% %>=}}  <%title%>  and  more\n  <%#flag%>\n  flagged  \n  <%/flag%>\n"},
                   {"themes/default/partials/plain.mustache", "  a  partial  {{title}}  "}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE_MESSAGE(theme, all_messages(diagnostics));
    const nlohmann::json view = {
        {"items", {{{"name", "<one>"}, {"html", "<b>1</b>"}}, {{"name", "two"}, {"html", ""}}}}, {"none", false}, {"flag", true}, {"title", "T  t"}};
    CHECK(theme->render("t", view, true, diagnostics, "page.md") ==
          "<ul>\n"
          "  <li class=\"a  b\">&lt;one&gt; and <b>1</b> <b>1</b></li>\n"
          "  <li class=\"a  b\">two and  </li>\n"
          "</ul>\r\n"
          "\t\tnothing  here\t  \r\n"
          "    \n"  // kainjow keeps a line that holds only a comment
          "{ not a tag } and }} too \r"
          "  yes  \n"
          "  T  t  and  more\n"
          "  flagged  \n"
          "\n"
          "    a  partial  T  t    \n"
          "end  ");
    CHECK(all_messages(diagnostics) == "");
  }

  TEST_CASE("a partial that sets other delimiters keeps them to itself, with spaces inside its braces too") {
    // Written into the layout, "{{ =<% %>= }}" would change the delimiters of the rest of it.
    TempSite site({{"themes/default/templates/t.mustache", "<p>{{> spaced}}{{title}}|{{> plain}}{{title}}|{{> feed}}{{title}}</p>"},
                   {"themes/default/partials/spaced.mustache", "{{ =<% %>= }}<%title%>|"},
                   {"themes/default/partials/plain.mustache", "{{=<% %>=}}<%title%>|"},
                   {"themes/default/partials/feed.mustache", "{{\f=<% %>=}}<%title%>|"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE_MESSAGE(theme, all_messages(diagnostics));
    CHECK(theme->render("t", {{"title", "T"}}, true, diagnostics, "page.md") == "<p>T|T|T|T|T|T</p>");
    CHECK(all_messages(diagnostics) == "");
  }

  TEST_CASE("a name is looked up from the innermost section outwards, a dotted name whole in each") {
    TempSite site({{"themes/default/templates/t.mustache",
                    "{{#items}}[{{name}} {{site.title}} {{page.title}} {{page.when}} "
                    "{{.}}]{{/items}}{{#page}}{{title}}{{/page}}|{{no.such}}|{{site..title}}"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    // The second item's page has no title: the page outside it gives one, as before.
    const nlohmann::json view = {
        {"items", {{{"name", "a"}, {"page", {{"title", "inner"}, {"when", "now"}}}}, {{"name", "b"}, {"page", {{"when", "then"}}}}}},
        {"name", "outer"},
        {"site", {{"title", "S"}}},
        {"page", {{"title", "P"}}}};
    CHECK(theme->render("t", view, false, diagnostics, "page.md") == "[a S inner now ][b S P then ]P||");
    CHECK(all_messages(diagnostics) == "");
    theme->render("t", view, true, diagnostics, "page.md");
    const auto messages = all_messages(diagnostics);
    CHECK(messages.find("the template uses \"no.such\"") != std::string::npos);
    CHECK(messages.find("the template uses \"site..title\"") != std::string::npos);
    CHECK(messages.find("the template uses \".\"") == std::string::npos);
  }

  TEST_CASE("every form of tag finds its value in the view: spaced, {{{ }}}, {{& }}, sections, dotted, in a partial kainjow renders") {
    TempSite site({{"themes/default/templates/t.mustache",
                    "{{ spaced }}|{{{ triple }}}|{{&amp}}|{{#  section  }}{{inner}}{{/section}}|{{^inverted}}none{{/inverted}}|"
                    "{{dotted.path.leaf}}|{{#list}}{{.}}{{/list}}|{{#outer}}{{from_outside}}{{/outer}}|{{> brace}}|"
                    "{{\v#\fspaces\v}}{{\fformfeed}}{{/spaces}}"},
                   {"themes/default/templates/delimiters.mustache", "{{=<% %>=}}<%spaced%> <%&triple%>"},
                   {"themes/default/partials/brace.mustache", "{{only_in_partial}} {"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    const nlohmann::json view = {{"spaced", "a"},
                                 {"triple", "<b>"},
                                 {"amp", "&"},
                                 {"section", {{"inner", "c"}, {"unused", "x"}}},
                                 {"inverted", false},
                                 {"dotted", {{"path", {{"leaf", "d"}, {"unused", "x"}}}}},
                                 {"list", {"e", "f"}},
                                 {"outer", {{"unused", {{"from_outside", "not this"}}}}},
                                 {"from_outside", "g"},
                                 {"only_in_partial", "h"},
                                 {"spaces", {{"formfeed", "i"}}},
                                 {"unused", {{"spaced", "x"}}}};
    CHECK(theme->render("t", view, true, diagnostics, "page.md") == "a|<b>|&|c|none|d|ef|g|h {|i");
    CHECK(theme->render("delimiters", view, true, diagnostics, "page.md") == "a <b>");
    CHECK(all_messages(diagnostics) == "");
  }

  TEST_CASE("every kind of value reads as Mustache says, though the view becomes kainjow's data only where a tag looks it up") {
    // theme.cpp hands kainjow an object as an empty shell and looks its members up in the JSON
    // when a tag names them; lists are made whole, for kainjow to walk their items.
    TempSite site({{"themes/default/templates/t.mustache",
                    "{{int}} {{float}} {{yes}} {{nothing}}|{{#nothing}}x{{/nothing}}{{^nothing}}null is false{{/nothing}}|"
                    "{{^empty}}empty list{{/empty}}{{^missing}}missing{{/missing}}|{{#words}}[{{.}}]{{/words}}|"
                    "{{#rows}}{{name}}:{{label}};{{/rows}}|{{#matrix}}({{#.}}{{.}}{{/.}}){{/matrix}}|{{#blank}}blank object is true{{/blank}}|"
                    "{{#a}}{{b.c}}{{/a}}|{{text.inner}}|{{#yes}}{{int}}{{/yes}}|{{.}}|"
                    "{{#grid}}{{#.}}<{{name}}{{label}}>{{/.}}{{/grid}}|{{#rows}}{{#.}}{{name}}{{/.}}{{/rows}}"},
                   {"themes/default/templates/strict.mustache", "{{#rows}}{{name}}{{nowhere}}{{/rows}}{{nothing}}{{a.b.none}}"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    const nlohmann::json view = {{"int", 42},
                                 {"float", 2.5},
                                 {"yes", true},
                                 {"nothing", nullptr},
                                 {"empty", nlohmann::json::array()},
                                 {"words", {"x", "y"}},
                                 {"rows", {{{"name", "r1"}}, {{"name", "r2"}, {"label", "own"}}}},
                                 {"label", "outer"},
                                 {"matrix", {{1, 2}, {3}}},
                                 {"blank", nlohmann::json::object()},
                                 {"a", {{"b", {{"d", "no c here"}}}}},
                                 {"b", {{"c", "found outside"}}},
                                 {"text", "plain"},
                                 {"grid", {{{{"name", "g1"}}, {{"name", "g2"}, {"label", "L"}}}, {{{"name", "g3"}}}}}};
    CHECK(theme->render("t", view, false, diagnostics, "page.md") ==
          "42 2.5  |null is false|empty listmissing|[x][y]|r1:outer;r2:own;|(12)(3)|blank object is true|found outside||42||"
          "<g1outer><g2L><g3outer>|r1r2");
    CHECK(all_messages(diagnostics) == "");
    // A name whose value is null is in the view; one that is nowhere, or a path that ends early, is not.
    CHECK(theme->render("strict", view, true, diagnostics, "page.md") == "r1r2");
    const auto messages = all_messages(diagnostics);
    CHECK(testing::contains(messages, "\"nowhere\""));
    CHECK(testing::contains(messages, "\"a.b.none\""));
    CHECK_FALSE(testing::contains(messages, "\"nothing\""));
  }

  TEST_CASE("partials inside partials and a partial that includes itself render as Mustache says, from several threads") {
    TempSite site({{"themes/default/templates/t.mustache", "<ul>\n{{#items}}{{> item}}{{/items}}\n</ul>\n{{>footer}}"},
                   {"themes/default/partials/item.mustache",
                    "<li>{{name}}{{#has_children}}<ul>{{#children}}{{> item }}{{/children}}</ul>{{/has_children}}</li>"},
                   {"themes/default/partials/footer.mustache", "{{#note}}\n<p>{{> sign}}</p>\n{{/note}}\n"},
                   {"themes/default/partials/sign.mustache", "{{note}}"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    const nlohmann::json leaf = {{"name", "c"}, {"has_children", false}};
    const nlohmann::json middle = {{"name", "b"}, {"has_children", true}, {"children", {leaf}}};
    const nlohmann::json view = {
        {"items", {{{"name", "a"}, {"has_children", true}, {"children", {middle}}}, {{"name", "d"}, {"has_children", false}}}}, {"note", "thanks"}};
    const std::string expected = "<ul>\n<li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li>\n</ul>\n<p>thanks</p>\n";
    std::vector<std::string> rendered(8);
    std::vector<std::thread> threads;
    for (auto& html : rendered) threads.emplace_back([&] { html = theme->render("t", view, true, diagnostics, "page.md"); });
    for (auto& thread : threads) thread.join();
    for (const auto& html : rendered) CHECK(html == expected);
    CHECK(all_messages(diagnostics) == "");
  }

  TEST_CASE("a partial that includes itself outside any section is an error naming the chain, not a crash") {
    struct Case {
      std::map<std::string, std::string> partials;
      std::string expected;
    };
    const std::vector<Case> cases = {
        {{{"head", "<head>\n  {{> head}}\n</head>"}},
         "themes/default/partials/head.mustache:2:3: error: partial \"head\" includes itself (head → head) outside any {{#section}}, so rendering it "
         "would never end\n"},
        {{{"a", "{{#x}}ok{{/x}}{{> b}}"}, {"b", "{{^x}}{{> a}}{{/x}}"}},
         "themes/default/partials/b.mustache:1:7: error: partial \"a\" includes itself (a → b → a) outside any {{#section}}, so rendering it would "
         "never end\n"},
    };
    for (const auto& item : cases) {
      TempSite site({{"themes/default/templates/t.mustache", "{{#page}}{{title}}{{/page}}{{> " + item.partials.begin()->first + "}}"}});
      for (const auto& [name, text] : item.partials) site.write("themes/default/partials/" + name + ".mustache", text);
      Diagnostics diagnostics;
      CHECK_FALSE(Theme::load(site.dir(), "default", diagnostics));
      CHECK(all_messages(diagnostics) == item.expected);
    }
  }

  TEST_CASE("a partial that recurses through a section whose name is always found, or after its sections close, stops with an error") {
    // {{#page}} finds the page at every level, so only the depth can stop it. The partials
    // with other delimiters are left to kainjow by the loader: one includes itself directly,
    // the other after a section that opens and closes at every level, so that no section
    // nests and only the stack the partials take can stop it.
    TempSite site({{"themes/default/templates/t.mustache", "{{#page}}{{> me}}{{/page}}"},
                   {"themes/default/templates/u.mustache", "{{> odd}}"},
                   {"themes/default/templates/v.mustache", "{{> closed}}"},
                   {"themes/default/templates/ok.mustache", "<p>{{page.title}}</p>"},
                   {"themes/default/partials/me.mustache", "<div>{{#page}}{{> me}}{{/page}}</div>"},
                   {"themes/default/partials/odd.mustache", "{{=<% %>=}}<%> odd%>"},
                   {"themes/default/partials/closed.mustache", "{{=<% %>=}}<%#page%><%/page%><%> closed%>"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    const nlohmann::json view = {{"page", {{"title", "T"}}}};
    std::thread([&] {
      CHECK(theme->render("t", view, true, diagnostics, "page.md").empty());
      CHECK(theme->render("u", view, true, diagnostics, "page.md").empty());
      CHECK(theme->render("v", view, true, diagnostics, "page.md").empty());
      CHECK(theme->render("ok", view, true, diagnostics, "page.md") == "<p>T</p>");
      CHECK(theme->render("t", view, true, diagnostics, "page.md").empty());
    }).join();
    CHECK(theme->render("v", view, true, diagnostics, "page.md").empty());  // on the main thread too
    const auto messages = all_messages(diagnostics);
    CHECK(messages.find("themes/default/templates/t.mustache: error: while rendering page.md: sections and partials nest more than 200 deep") == 0);
    for (const auto* layout : {"u", "v"})
      CHECK(messages.find(std::string("themes/default/templates/") + layout +
                          ".mustache: error: while rendering page.md: partials include each other more deeply than any page needs") !=
            std::string::npos);
  }

  TEST_CASE("a partial that ends with \"{\" is written as it is, not joined to the layout's text after it into a tag") {
    // Mustache renders a partial on its own: "{" and then the layout's "{#open}}" are text.
    TempSite site({{"themes/default/templates/t.mustache", "<p>{{> brace}}{#open}}|{{> brace}}{{title}}}</p>"},
                   {"themes/default/partials/brace.mustache", "{"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE_MESSAGE(theme, all_messages(diagnostics));
    CHECK(theme->render("t", {{"title", "T"}}, true, diagnostics, "page.md") == "<p>{{#open}}|{T}</p>");
    CHECK(all_messages(diagnostics) == "");
  }

  TEST_CASE("partials that each include the next twice stop at 16 MB, not 2^40 copies") {
    TempSite site({{"themes/default/templates/t.mustache", "{{> p40}}"}, {"themes/default/partials/p0.mustache", "0123456789"}});
    for (int i = 1; i <= 40; ++i)
      site.write("themes/default/partials/p" + std::to_string(i) + ".mustache",
                 "{{> p" + std::to_string(i - 1) + "}}{{> p" + std::to_string(i - 1) + "}}");
    Diagnostics diagnostics;
    CHECK_FALSE(Theme::load(site.dir(), "default", diagnostics));
    CHECK(all_messages(diagnostics)
              .find("error: with its partials written in, this template is over 16 MB: partials include each other too many times") !=
          std::string::npos);
  }

  TEST_CASE("under strict, a name the view lacks is an error located in the template") {
    TempSite site({{"themes/default/templates/t.mustache", "<p>\n{{#list}}{{name}} {{colour}}{{/list}} {{page.nope}}\n{{> absent}}"},
                   {"content/_index.md", ""}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    const nlohmann::json view = {{"list", {{{"name", "a"}}}}, {"page", {{"title", "x"}}}};
    theme->render("t", view, false, diagnostics, "content/a.md");
    CHECK(all_messages(diagnostics).find("colour") == std::string::npos);  // not strict: only the missing partial
    CHECK(all_messages(diagnostics).find("missing partial \"absent\"") != std::string::npos);
    diagnostics.clear();
    theme->render("t", view, true, diagnostics, "content/a.md");
    const auto text = all_messages(diagnostics);
    CHECK(text.find("themes/default/templates/t.mustache:2:19: error: the template uses \"colour\", which the view of content/a.md does not have") !=
          std::string::npos);
    CHECK(text.find("themes/default/templates/t.mustache:2:39: error: the template uses \"page.nope\"") != std::string::npos);
    CHECK(text.find("themes/default/templates/t.mustache:3:1: error: missing partial \"absent\"") != std::string::npos);
  }

  TEST_CASE("the site's own templates and static files replace the theme's") {
    TempSite site({{"templates/page.mustache", "site version"}, {"static/css/site.css", "site css"}, {"static/extra.txt", "x"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE(theme);
    CHECK(theme->render("page", nlohmann::json::object(), true, diagnostics, "a.md") == "site version");
    REQUIRE(theme->static_files().size() == 2);
    CHECK(theme->static_files()[0].url == "/css/site.css");
    CHECK(theme->static_files()[0].source.generic_string().ends_with("/static/css/site.css"));
    CHECK(theme->static_files()[0].source.generic_string().find("themes") == std::string::npos);
  }
}

TEST_SUITE("render") {
  TEST_CASE("the theme's element ids are those its templates write, not those in comments or made by tags") {
    TempSite site(
        {{"themes/default/templates/page.mustache",
          "<main id=\"main\"><h2 ID='Upper'>x</h2><p data-id=\"not-an-id\" id=\"{{slug}}\"></p><!-- <p id=\"ghost\"> -->{{! id=\"ghost2\" }}</main>"},
         {"themes/default/partials/nav.mustache", "<nav\n  id=\"site-nav\"></nav>"}});
    Diagnostics diagnostics;
    const auto theme = Theme::load(site.dir(), "default", diagnostics);
    REQUIRE_MESSAGE(theme, all_messages(diagnostics));
    CHECK(theme->element_ids() == std::vector<std::string>{"Upper", "main", "site-nav"});
  }
}
