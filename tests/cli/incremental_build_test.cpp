#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/files.hpp"
#include "site/build.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;

namespace {

using testing::contains;
using testing::copy_example_site;
using testing::files_under;

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("after any edit, a build over the last one writes exactly what a build into an empty folder writes") {
    testing::TempSite site({}, true);
    copy_example_site(site);
    REQUIRE(site.run({"build", "--out", (site.dir() / "incremental").string()}) == 0);
    const auto append = [&](const std::string& path, const std::string& text) { site.write(path, site.read(path) + text); };
    const auto replace = [&](const std::string& path, const std::string& from, const std::string& to) {
      auto text = site.read(path);
      REQUIRE(text.find(from) != std::string::npos);
      site.write(path, text.replace(text.find(from), from.size(), to));
    };
    struct Edit {
      const char* what;
      bool leaves_pages_alone;
      std::function<void()> make;
    };
    const std::vector<Edit> edits = {
        {"a page's body", true, [&] { append("content/about.md", "\nA sentence added to the body.\n"); }},
        {"a page's title", true, [&] { replace("content/about.md", "title: ", "title: Renamed "); }},
        {"a new news post", false, [&] { site.write("content/news/2026-11-20-new-post.md", "---\ntitle: A new post\n---\nWhat is new.\n"); }},
        {"a page removed", false, [&] { fs::remove(site.dir() / "content/news/2026-11-20-new-post.md"); }},
        {"a template", false, [&] { append("themes/default/partials/footer.mustache", "<!-- footer changed -->\n"); }},
        {"a plan's data", true, [&] { replace("content/plans/council-plan-2021-25/plan.json", "\"rating\": \"good\"", "\"rating\": \"strong\""); }},
        {"a list's summary of a page", true, [&] { replace("content/about.md", "summary: Key facts", "summary: Facts"); }},
        // A data type's view is kept under the inputs but the pages' bodies, and each page's front matter.
        {"Markdown inside a plan's data", true,
         [&] {
           replace("content/plans/council-plan-2021-25/plan.json", "Connected Teams were re-established", "Connected Teams were set up again");
         }},
        {"a department's front matter", true,
         [&] { replace("content/departments/adult-social-care-and-health/index.md", "director: Helen Jones", "director: Helen M. Jones"); }},
        {"a department page's body", true, [&] { append("content/departments/adult-social-care-and-health/index.md", "\nOne more sentence.\n"); }},
        {"the date of the page of the procurement pipeline", true,
         [&] { replace("content/procurement/index.md", "date: 2020-03-16", "date: 2020-03-17"); }},
        {"a heading", true, [&] { append("content/about.md", "\n## A new heading\n\nText under it.\n"); }},
        {"the kept results damaged", true,
         [&] {
           const auto results = build_state_folder(site.dir(), site.dir() / "incremental") / "results";
           auto bytes = *read_file(results);
           for (std::size_t at = bytes.size() / 3; at < bytes.size(); at += 97) bytes[at] = static_cast<char>(bytes[at] ^ 0x55);
           write_file(results, bytes);
           append("content/about.md", "\nOne more sentence.\n");
         }},
        {"the kept results gone", true,
         [&] {
           fs::remove(build_state_folder(site.dir(), site.dir() / "incremental") / "results");
           append("content/about.md", "\nAnd another.\n");
         }},
        {"the site's settings", true, [&] { replace("site.json", "\"paginate\": 10", "\"paginate\": 4"); }},
        // Links depend on the site's path: the kept HTML no longer holds, and every page's body is read after all.
        {"the site's address", false,
         [&] {
           replace("site.json", "\"base_url\": \"https://transparency.derbyshire.example/\"",
                   "\"base_url\": \"https://transparency.derbyshire.example/portal/\"");
         }},
    };
    for (const auto& edit : edits) {
      INFO("after an edit to ", std::string(edit.what));
      edit.make();
      REQUIRE_MESSAGE(site.run({"build", "--out", (site.dir() / "incremental").string()}) == 0, site.err);
      CHECK_FALSE(contains(site.out, "Nothing changed"));
      // Pages whose view is the same are not rendered again; the newest news (listed on every
      // page) and the templates reach them all.
      CHECK(contains(site.out, "not rendered again") == edit.leaves_pages_alone);
      // The full build starts from nothing: no output, and no build state or kept results.
      fs::remove_all(site.dir() / "full");
      fs::remove_all(build_state_folder(site.dir(), site.dir() / "full"));
      REQUIRE(site.run({"build", "--out", (site.dir() / "full").string()}) == 0);
      const auto incremental = files_under(site.dir() / "incremental");
      const auto full = files_under(site.dir() / "full");
      CHECK(incremental.size() == full.size());
      for (const auto& file : full) {  // not a structured binding: clang 14 cannot capture one in CAPTURE
        CAPTURE(file.first);
        CHECK((incremental.contains(file.first) && incremental.at(file.first) == file.second));
      }
    }
    REQUIRE(site.run({"build", "--out", (site.dir() / "incremental").string()}) == 0);
    CHECK(contains(site.out, "Nothing changed"));
  }

  TEST_CASE("the kept results are kept beside the output folder's manifest, however --out is written") {
    testing::TempSite site({}, true);
    copy_example_site(site);
    REQUIRE(site.run({"build", "--out", (site.dir() / "out").string() + "/"}) == 0);
    const auto state = build_state_folder(site.dir(), site.dir() / "out");
    CHECK(fs::exists(state / "manifest"));
    CHECK(fs::exists(state / "results"));
    CHECK_FALSE(fs::exists(state / "results.new"));
  }
}
