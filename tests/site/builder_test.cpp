// The incremental builder must always produce what a full build of the same files produces.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_site.hpp"

namespace plainsight {
namespace {
namespace fs = std::filesystem;
using testing::TempSite;

/// The example site, copied so that tests can edit it.
struct ExampleCopy {
  TempSite site{{}, true};
  ExampleCopy() {
    for (const char* part : {"site.json", "content", "themes"})
      fs::copy(fs::path(PLAINSIGHT_SOURCE_DIR) / part, site.dir() / part, fs::copy_options::recursive);
  }
  fs::path path(const std::string& relative) const { return site.dir() / relative; }
  void append(const std::string& relative, const std::string& text) const { std::ofstream(path(relative), std::ios::app) << text; }
  BuildOptions options() const {
    BuildOptions options;
    options.site_dir = site.dir();
    options.strict = true;
    return options;
  }
  SiteOutput full_build() const {
    Diagnostics diagnostics;
    auto output = generate_site(options(), diagnostics);
    REQUIRE_MESSAGE(output, testing::all_messages(diagnostics));
    return std::move(*output);
  }
};

void require_same_files(const SiteOutput& incremental, const SiteOutput& full) {
  REQUIRE(incremental.files.size() == full.files.size());
  for (const auto& entry : full.files) {  // not a structured binding: clang 14 cannot capture one in INFO
    const auto& [path, bytes] = entry;
    INFO(entry.first);
    REQUIRE(incremental.files.contains(path));
    CHECK(incremental.files.at(path) == bytes);
  }
}

TEST_CASE("an edit to a page's body re-renders only what shows it, and matches a full build") {
  ExampleCopy example;
  SiteBuilder builder(example.options());
  Diagnostics diagnostics;
  REQUIRE(builder.update({}, diagnostics));
  CHECK_FALSE(builder.last_update_was_partial());
  const auto all_files = builder.output().files.size();
  CHECK(builder.changed_outputs().size() == all_files);

  // One page of each kind that has a Markdown body of its own.
  for (const char* file : {"content/about.md", "content/news/2022-06-16-performance-report-2021-22.md", "content/news/_index.md", "content/_index.md",
                           "content/plans/council-plan-2021-25/index.md", "content/budgets/2020-21/index.md", "content/procurement/index.md"}) {
    CAPTURE(file);
    example.append(file, "\n\n## A new heading\n\nA paragraph added in the preview, linking to [the budget](/budgets/2020-21/).\n");
    Diagnostics update_diagnostics;
    REQUIRE_MESSAGE(builder.update({example.path(file)}, update_diagnostics), testing::all_messages(update_diagnostics));
    CHECK(builder.last_update_was_partial());
    CHECK_FALSE(builder.changed_outputs().empty());
    CHECK(builder.changed_outputs().size() < 10);
    // The search index follows in a second step, so that the preview shows the page first.
    CHECK(builder.refresh_search_index());
    CHECK_FALSE(builder.refresh_search_index());
    require_same_files(builder.output(), example.full_build());
  }
}

TEST_CASE("a changed first paragraph of a recent news post reaches every list it is summarised in") {
  ExampleCopy example;
  SiteBuilder builder(example.options());
  Diagnostics diagnostics;
  REQUIRE(builder.update({}, diagnostics));
  const std::string file = "content/news/2022-06-16-performance-report-2021-22.md";
  auto text = example.site.read(file);
  const auto body = text.find("\n---\n", 4) + 5;
  text.insert(body, "\nA new first paragraph, written to change the summary.\n");
  example.site.write(file, text);
  REQUIRE(builder.update({example.path(file)}, diagnostics));
  builder.refresh_search_index();
  require_same_files(builder.output(), example.full_build());
}

TEST_CASE("a front matter change, a new page or a theme change rebuilds everything") {
  ExampleCopy example;
  SiteBuilder builder(example.options());
  Diagnostics diagnostics;
  REQUIRE(builder.update({}, diagnostics));

  auto about = example.site.read("content/about.md");
  about.replace(about.find("title:"), 6, "title: Renamed,");
  example.site.write("content/about.md", about);
  REQUIRE(builder.update({example.path("content/about.md")}, diagnostics));
  CHECK_FALSE(builder.last_update_was_partial());
  require_same_files(builder.output(), example.full_build());

  example.site.write("content/news/2022-07-01-new-post.md", "---\ntitle: A new post\ndate: 2022-07-01\n---\n\nNews.\n");
  REQUIRE(builder.update({example.path("content/news/2022-07-01-new-post.md")}, diagnostics));
  CHECK_FALSE(builder.last_update_was_partial());
  CHECK(builder.output().files.contains("news/new-post/index.html"));
  require_same_files(builder.output(), example.full_build());

  example.append("themes/default/partials/footer.mustache", "<!-- changed -->\n");
  REQUIRE(builder.update({example.path("themes/default/partials/footer.mustache")}, diagnostics));
  CHECK_FALSE(builder.last_update_was_partial());
  CHECK(builder.changed_outputs().size() > 200);
  require_same_files(builder.output(), example.full_build());
}

TEST_CASE("a broken edit keeps the last good output and reports every error, fixing it builds again") {
  ExampleCopy example;
  SiteBuilder builder(example.options());
  Diagnostics diagnostics;
  REQUIRE(builder.update({}, diagnostics));
  const auto good = builder.output().files.at("about/index.html");

  const auto original = example.site.read("content/about.md");
  example.append("content/about.md", "\nSee [a missing page](/no-such-page/) and [a missing heading](#nowhere).\n");
  Diagnostics broken;
  CHECK_FALSE(builder.update({example.path("content/about.md")}, broken));
  const auto messages = testing::all_messages(broken);
  CHECK(messages.find("content/about.md:") != std::string::npos);
  CHECK(messages.find("/no-such-page/ is not a page") != std::string::npos);
  CHECK(messages.find("no heading with the id \"nowhere\"") != std::string::npos);
  CHECK(builder.output().files.at("about/index.html") == good);

  example.site.write("content/about.md", original + "\nFixed.\n");
  Diagnostics fixed;
  REQUIRE_MESSAGE(builder.update({example.path("content/about.md")}, fixed), testing::all_messages(fixed));
  CHECK(builder.output().files.at("about/index.html").find("Fixed.") != std::string::npos);
  require_same_files(builder.output(), example.full_build());
}

TEST_CASE("removing a heading that another page links to is caught by an edit") {
  TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n\nSee [costs](/about/#costs).\n"},
                 {"content/about.md", "---\ntitle: About\n---\n\n## Costs\n\nText.\n"}});
  BuildOptions options;
  options.site_dir = site.dir();
  options.strict = true;
  SiteBuilder builder(options);
  Diagnostics diagnostics;
  REQUIRE_MESSAGE(builder.update({}, diagnostics), testing::all_messages(diagnostics));
  site.write("content/about.md", "---\ntitle: About\n---\n\n## Spending\n\nText.\n");
  Diagnostics broken;
  CHECK_FALSE(builder.update({site.dir() / "content/about.md"}, broken));
  CHECK(testing::all_messages(broken).find("content/_index.md:5:5: error: broken link: /about/ has no heading with the id \"costs\"") !=
        std::string::npos);
}

TEST_CASE("an edit to a page that another page links to as a file reaches both") {
  TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/notices/current.md", "---\ntitle: Notice\n---\nFirst.\n"}});
  fs::create_symlink("notices/current.md", site.dir() / "content/notice.md");
  BuildOptions options;
  options.site_dir = site.dir();
  SiteBuilder builder(options);
  Diagnostics diagnostics;
  REQUIRE(builder.update({}, diagnostics));
  site.write("content/notices/current.md", "---\ntitle: Notice\n---\nSecond.\n");
  REQUIRE(builder.update({site.dir() / "content/notices/current.md"}, diagnostics));
  builder.refresh_search_index();
  CHECK(builder.output().files.at("notice/index.html").find("Second.") != std::string::npos);
  auto full = generate_site(options, diagnostics);
  REQUIRE(full);
  require_same_files(builder.output(), *full);
}

}  // namespace
}  // namespace plainsight
