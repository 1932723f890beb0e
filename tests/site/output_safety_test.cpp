// What content can do to the disk: each reproduction of the safety issue, built as a user builds
// it. A build writes only inside its output folder, removes only what it wrote, never through a
// link, publishes nothing from outside the site, and a build that fails leaves the output folder
// exactly as it was (compared entry by entry: files with their bytes, links with their targets).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/files.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::TempSite;
namespace fs = std::filesystem;

namespace {

using testing::contains;

/// Every entry below `dir`, links not followed: "file:<bytes>", "link:<target>" or "folder".
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> entries;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error); !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const auto name = relative_path(it->path(), dir);
    if (it->is_symlink())
      entries[name] = "link:" + fs::read_symlink(it->path()).string();
    else if (it->is_directory())
      entries[name] = "folder";
    else
      entries[name] = "file:" + read_file(it->path()).value_or("<unreadable>");
  }
  return entries;
}

const char* home = "---\ntitle: Home\n---\n";

/// A site with a home page and an About page, and a folder beside it that is not the site's.
struct Sandbox {
  TempSite site{{}, false};
  TempSite elsewhere{{}, true};  ///< stands for the rest of the disk
  fs::path out = site.dir() / "public";

  // Written here: as a member initializer, {{{a, b}, {c, d}}} is one file whose path is the
  // characters from a to b.
  Sandbox() {
    site.write("content/_index.md", home);
    site.write("content/about.md", "---\ntitle: About\n---\nAbout us.\n");
  }

  int build() { return site.run({"build", "--out", out.string(), "--quiet"}); }
  int check() { return site.run({"check"}); }
  void give_about_alias(const std::string& alias) const { site.write("content/about.md", "---\ntitle: About\naliases: [\"" + alias + "\"]\n---\n"); }
  /// Builds, expecting it to fail with `message` and leave the output folder as it was.
  void build_fails_with(const std::string& message) {
    const auto before = snapshot(out);
    CHECK(build() == 1);
    CHECK_MESSAGE(contains(site.err, message), site.err);
    CHECK(snapshot(out) == before);
    CHECK_FALSE(fs::exists(build_state_folder(site.dir(), out) / "staging"));
  }
};

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("an alias that starts with // is an error, and nothing is written outside the output folder") {
    Sandbox box;
    const auto target = box.elsewhere.dir() / "pwned.html";
    box.site.write("content/about.md", "---\ntitle: About\naliases: [\"/" + target.string() + "\"]\n---\n");
    CHECK(box.check() == 1);
    CHECK(contains(box.site.err, "content/about.md:3:1: error: alias"));
    CHECK(box.build() == 1);
    CHECK_FALSE(fs::exists(target));
    CHECK_FALSE(fs::exists(box.out));  // a failed first build leaves no folder behind
  }

  TEST_CASE("a file or folder name with no letter or digit is an error at its path") {
    for (const std::string name : {"content/-.md", "content/!!!.md", "content/2022-01-01-!.md", "content/@/news/p.md", "content/-/_index.md"}) {
      CAPTURE(name);
      Sandbox box;
      box.site.write(name, "---\ntitle: T\n---\n");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "has no letter or digit to make a URL from"));
      CHECK(contains(box.site.err, name));
      CHECK_FALSE(fs::exists(box.out));
    }
    // The reproduction: "@" made the URL //<path>/p/, written at that path from the root.
    Sandbox box;
    box.site.write("content/@" + box.elsewhere.dir().string() + "/p.md", "---\ntitle: T\n---\n");
    CHECK(box.build() == 1);
    CHECK(snapshot(box.elsewhere.dir()).empty());
  }

  TEST_CASE("a file of the user's or a link in the output folder is never removed or written through, and a failed build changes nothing") {
    Sandbox box;
    box.site.write("static/docs/a.txt", "ours");
    REQUIRE(box.build() == 0);

    SUBCASE("an alias onto a folder of the user's") {
      write_file(box.out / "archive.2019/minutes.pdf", "the user's");
      box.give_about_alias("/archive.2019");
      box.build_fails_with("archive.2019: error: is a folder where this build writes a file");
    }
    SUBCASE("an alias onto a hidden folder or file, which a web server reads as its own") {
      write_file(box.out / ".well-known/acme-challenge/a", "token");
      for (const char* alias : {"/.well-known", "/.htaccess", "/.git/config"}) {
        CAPTURE(alias);
        box.give_about_alias(alias);
        box.build_fails_with("is a hidden name, which is never published");
      }
    }
    SUBCASE("an empty folder where this build writes a file") {
      fs::create_directory(box.out / "new.txt");
      box.site.write("static/new.txt", "new");
      box.site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
      box.build_fails_with("new.txt: error: is a folder where this build writes a file");
    }
    SUBCASE("a folder where the build writes its list of files") {
      write_file(build_state_folder(box.site.dir(), box.out) / "manifest.plainsight-tmp/x", "");
      box.site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
      box.build_fails_with("stands where the build keeps its list of files");
    }
    SUBCASE("a folder the last build wrote files into, where this one writes a file") {
      fs::remove_all(box.site.dir() / "static/docs");
      box.site.write("static/docs", "now a file");
      CHECK(box.build() == 0);
      CHECK(read_file(box.out / "docs") == "now a file");
    }
    SUBCASE("a static file onto a folder of the user's") {
      write_file(box.out / "uploads/report.pdf", "the user's");
      box.site.write("static/uploads", "a file");
      box.build_fails_with("uploads: error: is a folder where this build writes a file");
    }
    SUBCASE("a file of the user's where this build needs a folder, with another page edited") {
      write_file(box.out / "zzz", "x");
      box.site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
      box.site.write("content/zzz/p.md", "---\ntitle: P\n---\n");
      // about/index.html is not replaced, and the manifest stays as it was.
      box.build_fails_with("is a file that plainsight did not write, where this build needs a folder");
    }
    SUBCASE("an alias into the build's staging folder") {
      box.give_about_alias("/.plainsight-staging/x.html");
      box.build_fails_with("is a name the build keeps for itself");
      box.give_about_alias("/.plainsight-files");
      box.build_fails_with("is a name the build keeps for itself");
      box.give_about_alias("/.plainsight/outputs/x.html");
      box.build_fails_with("is a name the build keeps for itself");
    }
    SUBCASE("a link put in place of a folder the build wrote") {
      box.elsewhere.write("v/a.txt", "not ours");
      fs::remove_all(box.out / "docs");
      fs::create_directory_symlink(box.elsewhere.dir() / "v", box.out / "docs");
      fs::remove_all(box.site.dir() / "static");
      CHECK(box.build() == 0);
      CHECK(box.elsewhere.read("v/a.txt") == "not ours");
      CHECK(fs::is_symlink(box.out / "docs"));
      // …and it is not written through either.
      box.site.write("static/docs/a.txt", "ours again");
      box.build_fails_with("never writes through links");
      CHECK(box.elsewhere.read("v/a.txt") == "not ours");
    }
    SUBCASE("aliases that name the home page in other words") {
      for (const char* alias : {"/./", "/news/../", "/.", "//"}) {
        CAPTURE(alias);
        box.give_about_alias(alias);
        box.build_fails_with("is not a plain site path");
      }
    }
    SUBCASE("aliases that are web addresses or hold control characters") {
      for (const char* alias : {"https://evil.example/", "/a\\tb/", "/a\\u001bb/"}) {
        CAPTURE(alias);
        box.give_about_alias(alias);
        CHECK(box.build() == 1);
        CHECK(contains(box.site.err, "content/about.md:3:1: error: alias"));
        CHECK_FALSE(contains(box.site.err, "\x1b"));  // shown as \x1B, never sent to the terminal
      }
    }
  }

  TEST_CASE("a folder that plainsight did not build into is refused, and left as it was") {
    Sandbox box;
    box.elsewhere.write("index.html", "my own home page");
    box.elsewhere.write("css/site.css", "mine");
    const auto before = snapshot(box.elsewhere.dir());
    CHECK(box.site.run({"build", "--out", box.elsewhere.dir().string()}) == 2);
    CHECK(contains(box.site.err, "holds files that plainsight did not write"));
    CHECK(contains(box.site.err, "choose a new or empty folder"));
    CHECK(snapshot(box.elsewhere.dir()) == before);
    // …and so is a file given as the output folder.
    CHECK(box.site.run({"build", "--out", (box.elsewhere.dir() / "index.html").string()}) == 2);
    CHECK(contains(box.site.err, "is a file, not a folder"));
    CHECK(snapshot(box.elsewhere.dir()) == before);
  }

  TEST_CASE("an output folder inside content/ is refused when content/ is a link") {
    Sandbox box;
    fs::rename(box.site.dir() / "content", box.site.dir() / "sources");
    fs::create_directory_symlink(box.site.dir() / "sources", box.site.dir() / "content");
    CHECK(box.site.run({"build", "--out", (box.site.dir() / "sources/public").string()}) == 2);
    CHECK_FALSE(fs::exists(box.site.dir() / "sources/public"));
  }

  TEST_CASE("an output folder inside a theme whose folder is a link is refused") {
    Sandbox box;
    fs::rename(box.site.dir() / "themes/default", box.site.dir() / "house-style");
    fs::create_directory_symlink("../house-style", box.site.dir() / "themes/default");
    CHECK(box.site.run({"build", "--out", (box.site.dir() / "house-style/static/site").string()}) == 2);
    CHECK_FALSE(fs::exists(box.site.dir() / "house-style/static/site"));
  }

  TEST_CASE("files from outside the site are never published") {
    Sandbox box;
    box.elsewhere.write("secret.txt", "root:x:0:0");
    SUBCASE("a link in the site's static folder") {
      fs::create_directories(box.site.dir() / "static");
      fs::create_symlink(box.elsewhere.dir() / "secret.txt", box.site.dir() / "static/passwd.txt");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "static/passwd.txt: error: symbolic link points outside static/"));
    }
    SUBCASE("a link in the theme's static folder") {
      fs::create_symlink(box.elsewhere.dir() / "secret.txt", box.site.dir() / "themes/default/static/passwd.txt");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "themes/default/static/passwd.txt: error: symbolic link points outside"));
    }
    SUBCASE("a link to a template") {
      fs::create_symlink(box.elsewhere.dir() / "secret.txt", box.site.dir() / "themes/default/partials/secret.mustache");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "themes/default/partials/secret.mustache: error: symbolic link points outside"));
    }
    SUBCASE("links inside the site to what is never published: .git, .env, the sources, the output") {
      box.site.write(".git/config", "[http] extraheader = AUTHORIZATION: basic TOKEN");
      box.site.write(".env", "SECRET=abc");
      box.site.write("content/.hidden/notes.md", "---\ntitle: Notes\n---\n");
      REQUIRE(box.build() == 0);
      fs::create_directories(box.site.dir() / "static");
      fs::create_directory_symlink("../.git", box.site.dir() / "content/g");
      fs::create_directory_symlink(".hidden", box.site.dir() / "content/h");
      fs::create_directory_symlink("../public", box.site.dir() / "content/mirror");
      fs::create_symlink("../.env", box.site.dir() / "static/env.txt");
      fs::create_directory_symlink("../content", box.site.dir() / "static/src");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "content/g: error: symbolic link points outside content/"));
      CHECK(contains(box.site.err, "content/h: error: symbolic link leads to .hidden, a hidden or ignored name"));
      CHECK(contains(box.site.err, "content/mirror: error: symbolic link points outside content/"));
      CHECK(contains(box.site.err, "static/env.txt: error: symbolic link points outside static/"));
      CHECK(contains(box.site.err, "static/src: error: symbolic link points outside static/"));
      CHECK_FALSE(contains(box.site.err, "TOKEN"));
    }
    SUBCASE("site.json as a link out of the site") {
      box.elsewhere.write("site.json", "SECRET_KEY_abc123");
      fs::remove(box.site.dir() / "site.json");
      fs::create_symlink(box.elsewhere.dir() / "site.json", box.site.dir() / "site.json");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "site.json: error: symbolic link points outside"));
      CHECK_FALSE(contains(box.site.err, "SECRET"));
    }
    SUBCASE("a theme named by a path") {
      for (const auto& theme : {std::string("../../../x"), box.elsewhere.dir().string(), std::string(".."), std::string("default/../default")}) {
        CAPTURE(theme);
        box.site.write("site.json", testing::minimal_site_json(",\"theme\": \"" + theme + "\""));
        CHECK(box.build() == 1);
        CHECK(contains(box.site.err, "is not the name of a folder in themes/"));
      }
    }
    SUBCASE("a theme folder that is a link to a hidden folder of the site") {
      fs::rename(box.site.dir() / "themes/default", box.site.dir() / ".private");
      box.site.write(".private/static/secret.txt", "TOP SECRET");
      fs::create_directory_symlink("../.private", box.site.dir() / "themes/default");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "the theme folder is a link to .private, a hidden folder"));
      CHECK_FALSE(fs::exists(box.site.dir() / "public/secret.txt"));
    }
    SUBCASE("links in themes/ back to itself end the listing") {
      fs::create_directory_symlink(".", box.site.dir() / "themes/loop");
      fs::create_directory_symlink(".", box.site.dir() / "themes/loop2");
      CHECK(box.build() == 0);
    }
    SUBCASE("a theme folder that is a link out of the site") {
      fs::rename(box.site.dir() / "themes/default", box.elsewhere.dir() / "default");
      fs::create_directory_symlink(box.elsewhere.dir() / "default", box.site.dir() / "themes/default");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "the theme folder is a link that leads outside the site folder"));
    }
  }

  TEST_CASE("folder links that loop end the walk with an error that says so") {
    Sandbox box;
    SUBCASE("two links to the folder that holds them") {
      fs::create_directory_symlink(".", box.site.dir() / "content/a");
      fs::create_directory_symlink(".", box.site.dir() / "content/b");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "content/a: error: symbolic link loops"));
      CHECK(contains(box.site.err, "content/b: error: symbolic link loops"));
    }
    SUBCASE("one link") {
      fs::create_directory_symlink(".", box.site.dir() / "content/a");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "content/a: error: symbolic link loops"));
      CHECK_FALSE(contains(box.site.err, "outside"));
    }
    SUBCASE("a static folder that links to the root of the disk") {
      fs::create_directories(box.site.dir() / "static");
      fs::create_directory_symlink("/", box.site.dir() / "static/root");
      CHECK(box.build() == 1);  // the input hashes did not walk the disk either
      CHECK(contains(box.site.err, "static/root: error: symbolic link points outside static/"));
    }
    SUBCASE("two links to one folder") {
      box.site.write("content/shared/p.md", "---\ntitle: P\n---\n");
      fs::create_directory_symlink("shared", box.site.dir() / "content/one");
      fs::create_directory_symlink("shared", box.site.dir() / "content/two");
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "error: this folder is reached twice, once through a symbolic link"));
    }
    SUBCASE("a pipe where a page or site.json would be") {
      REQUIRE(::mkfifo((box.site.dir() / "content/pipe.md").c_str(), 0600) == 0);
      CHECK(box.build() == 1);  // and does not wait for a writer
      CHECK(contains(box.site.err, "content/pipe.md: error: neither a file nor a folder"));
      fs::remove(box.site.dir() / "content/pipe.md");
      fs::remove(box.site.dir() / "site.json");
      REQUIRE(::mkfifo((box.site.dir() / "site.json").c_str(), 0600) == 0);
      CHECK(box.build() == 1);
      CHECK(contains(box.site.err, "site.json: error: neither a file nor a folder"));
    }
  }

  TEST_CASE("new never writes through a link") {
    Sandbox box;
    fs::create_directory_symlink(box.elsewhere.dir(), box.site.dir() / "content/news");
    CHECK(box.site.run({"new", "news", "Hello"}) == 1);
    CHECK(contains(box.site.err, "is a link that leads out of content/"));
    fs::create_symlink(box.elsewhere.dir() / "created-by-new.md", box.site.dir() / "content/hello.md");
    CHECK(box.site.run({"new", "page", "Hello"}) == 1);
    CHECK(contains(box.site.err, "already exists"));
    CHECK(snapshot(box.elsewhere.dir()).empty());
  }

  TEST_CASE("the preview's quick rebuild of an edited page leaves a page replaced by a link to the full load") {
    Sandbox box;
    box.site.write("content/notes.md", "Notes without front matter.\n");
    BuildOptions options;
    options.site_dir = box.site.dir();
    SiteBuilder builder(options);
    Diagnostics diagnostics;
    REQUIRE(builder.update({}, diagnostics));
    box.elsewhere.write("secret.txt", "root:x:0:0");
    fs::remove(box.site.dir() / "content/notes.md");
    fs::create_symlink(box.elsewhere.dir() / "secret.txt", box.site.dir() / "content/notes.md");
    CHECK_FALSE(builder.update({box.site.dir() / "content/notes.md"}, diagnostics));
    CHECK(contains(testing::all_messages(diagnostics), "content/notes.md: error: symbolic link points outside content/"));
    CHECK_FALSE(contains(builder.output().files.at("notes/index.html"), "root:x"));
  }

  TEST_CASE("a path and a folder of another path are one error, not a failed write") {
    Sandbox box;
    box.site.write("static/news", "a file named like the news section");
    box.site.write("content/news/a.md", "---\ntitle: A\n---\n");
    CHECK(box.build() == 1);
    CHECK(contains(box.site.err, "/news would be a file, but content/news/a.md needs it as a folder"));
    CHECK_FALSE(fs::exists(box.out));
  }

  TEST_CASE("a path taken as a folder names the first file in it in byte order, whichever was claimed first") {
    Sandbox box;
    box.site.write("content/news/z.md", "---\ntitle: Z\n---\n");
    box.site.write("content/other.md", "---\ntitle: Other\naliases: [/news/a/]\n---\n");  // claimed after every page
    box.site.write("static/news", "a file named like the news section");
    box.site.write("static/other/index.html/x", "below a page's file");
    CHECK(box.build() == 1);
    CHECK(contains(box.site.err, "/news would be a file, but content/other.md needs it as a folder for /news/a/index.html"));
    CHECK(contains(box.site.err, "/other/index.html/x needs /other/index.html as a folder, but content/other.md writes a file there"));
    CHECK_FALSE(fs::exists(box.out));
  }
}

// The build's own state (the list of files it wrote, its staging) is kept in the site's
// .plainsight/ folder, one folder for each output folder, so that the output holds only the site.
namespace {

/// Every entry below `dir` whose name starts with ".plainsight".
std::vector<std::string> build_state_entries_in(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& [name, what] : snapshot(dir))
    if (fs::path(name).filename().string().starts_with(".plainsight")) found.push_back(name);
  return found;
}

fs::path manifest_of(const Sandbox& box, const fs::path& out) { return build_state_folder(box.site.dir(), out) / "manifest"; }

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("after a build the output folder holds only the site, and the build's state is in .plainsight/outputs/<key>/") {
    Sandbox box;
    box.site.write("static/docs/a.txt", "ours");
    REQUIRE(box.build() == 0);
    CHECK(build_state_entries_in(box.out).empty());
    const auto state = build_state_folder(box.site.dir(), box.out);
    CHECK(state.parent_path() == box.site.dir() / ".plainsight/outputs");
    CHECK(state.filename().string().size() == 16);
    CHECK(state.filename().string().find_first_not_of("0123456789abcdef") == std::string::npos);
    const auto manifest = read_file(state / "manifest").value_or("");
    CHECK(manifest.starts_with("plainsight-files 2 "));
    CHECK(contains(manifest, " about/index.html\n"));
    CHECK(contains(manifest, " docs/a.txt\n"));
    CHECK(read_file(state / "folder").value_or("").starts_with(fs::canonical(box.out).string() + "\n"));
    CHECK_FALSE(fs::exists(state / "staging"));
    // An incremental build (staged, then moved in file by file) leaves nothing behind either.
    box.site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
    box.site.write("static/docs/b.txt", "new");
    REQUIRE(box.build() == 0);
    CHECK(read_file(box.out / "docs/b.txt") == "new");
    CHECK(build_state_entries_in(box.out).empty());
    CHECK_FALSE(fs::exists(state / "staging"));
  }

  TEST_CASE("two output folders from one site keep separate lists of the files each was given") {
    Sandbox box;
    const auto one = box.site.dir() / "one", two = box.site.dir() / "two";
    box.site.write("static/old.txt", "old");
    REQUIRE(box.site.run({"build", "--out", one.string(), "--quiet"}) == 0);
    fs::remove(box.site.dir() / "static/old.txt");
    REQUIRE(box.site.run({"build", "--out", two.string(), "--quiet"}) == 0);
    CHECK(manifest_of(box, one) != manifest_of(box, two));
    CHECK(contains(read_file(manifest_of(box, one)).value_or(""), " old.txt\n"));
    CHECK_FALSE(contains(read_file(manifest_of(box, two)).value_or(""), " old.txt\n"));
    // One's list still says old.txt is plainsight's to remove there; building two did not forget it.
    REQUIRE(box.site.run({"build", "--out", one.string(), "--quiet"}) == 0);
    CHECK_FALSE(fs::exists(one / "old.txt"));
    REQUIRE(box.site.run({"build", "--out", two.string()}) == 0);
    CHECK(contains(box.site.out, "Nothing changed"));
  }

  TEST_CASE("an output folder built by an earlier version, with its list in the folder, is taken over and left holding only the site") {
    Sandbox box;
    box.site.write("static/old.txt", "old");
    REQUIRE(box.build() == 0);
    write_file(box.out / "mine.txt", "the user's");
    // As an earlier version left it: the list in the output folder, and no .plainsight/.
    fs::rename(manifest_of(box, box.out), box.out / ".plainsight-files");
    fs::remove_all(box.site.dir() / ".plainsight");
    write_file(box.out / ".plainsight-staging/news/index.html", "left by a build that was killed");
    SUBCASE("with nothing changed since, it is still moved out") {
      REQUIRE(box.build() == 0);
      CHECK(read_file(box.out / "old.txt") == "old");
    }
    SUBCASE("what its list names and this build does not write is removed") {
      fs::remove(box.site.dir() / "static/old.txt");
      REQUIRE(box.build() == 0);
      CHECK_FALSE(fs::exists(box.out / "old.txt"));
    }
    CHECK(build_state_entries_in(box.out).empty());
    CHECK(read_file(box.out / "mine.txt") == "the user's");
    CHECK(contains(read_file(manifest_of(box, box.out)).value_or(""), " about/index.html\n"));
    CHECK(box.site.run({"build", "--out", box.out.string()}) == 0);
    CHECK(contains(box.site.out, "Nothing changed"));
  }

  TEST_CASE("without its build state, an output folder that holds files is refused and left as it was") {
    Sandbox box;
    REQUIRE(box.build() == 0);
    write_file(box.out / "mine.txt", "the user's");
    SUBCASE(".plainsight/ deleted") { fs::remove_all(box.site.dir() / ".plainsight"); }
    SUBCASE("the output folder moved away and another put in its place") {
      fs::rename(box.out, box.site.dir() / "public-2021");
      write_file(box.out / "index.html", "the user's own home page");
      write_file(box.out / "about/index.html", "the user's own about page");
    }
    const auto before = snapshot(box.out);
    CHECK(box.build() == 2);
    CHECK(contains(box.site.err, "holds files that plainsight did not write"));
    CHECK(contains(box.site.err, "choose a new or empty folder"));
    CHECK(contains(box.site.err, ".plainsight"));
    CHECK(snapshot(box.out) == before);
    // Emptied, it is built into again.
    fs::remove_all(box.out);
    fs::create_directory(box.out);
    CHECK(box.build() == 0);
  }

  TEST_CASE("a damaged list of files means a full build, which removes nothing the list does not name") {
    Sandbox box;
    box.site.write("static/a.txt", "a");
    box.site.write("static/b.txt", "b");
    REQUIRE(box.build() == 0);
    write_file(box.out / "mine.txt", "the user's");
    write_file(manifest_of(box, box.out), "plainsight-files 2 zz\nnot a line\n1 2 3\nffff ffff 1 x\n");
    fs::remove(box.site.dir() / "static/b.txt");
    REQUIRE(box.site.run({"build", "--out", box.out.string()}) == 0);
    CHECK(contains(box.site.out, " written, 0 unchanged, 0 removed)"));
    CHECK(read_file(box.out / "b.txt") == "b");  // not on the damaged list: not known to be plainsight's
    CHECK(read_file(box.out / "mine.txt") == "the user's");
    CHECK(read_file(box.out / "a.txt") == "a");
    CHECK_FALSE(contains(read_file(manifest_of(box, box.out)).value_or(""), "b.txt"));
  }

  TEST_CASE("the build state is never read or written through a link, or where a folder of it should be") {
    Sandbox box;
    REQUIRE(box.build() == 0);
    box.site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
    const auto state = box.site.dir() / ".plainsight";
    SUBCASE(".plainsight is a link") {
      fs::rename(state, box.elsewhere.dir() / "state");
      fs::create_directory_symlink(box.elsewhere.dir() / "state", state);
      box.build_fails_with(".plainsight is a symbolic link; plainsight keeps its build state only in real folders inside the site");
    }
    SUBCASE(".plainsight is a link to a folder that holds the output folder") {
      fs::remove_all(state);
      fs::create_directory_symlink(".", state);
      box.build_fails_with(".plainsight is a symbolic link");
    }
    SUBCASE("a folder below it is a link") {
      fs::rename(state / "outputs", box.elsewhere.dir() / "outputs");
      fs::create_directory_symlink(box.elsewhere.dir() / "outputs", state / "outputs");
      box.build_fails_with(".plainsight/outputs is a symbolic link");
    }
    SUBCASE("the output folder's own state folder is a link") {
      const auto folder = build_state_folder(box.site.dir(), box.out);
      fs::rename(folder, box.elsewhere.dir() / "key");
      fs::create_directory_symlink(box.elsewhere.dir() / "key", folder);
      box.build_fails_with(folder.string() + " is a symbolic link");
    }
    SUBCASE("its list of files is a link") {
      const auto manifest = manifest_of(box, box.out);
      fs::rename(manifest, box.elsewhere.dir() / "manifest");
      fs::create_symlink(box.elsewhere.dir() / "manifest", manifest);
      box.build_fails_with("manifest is a symbolic link; plainsight never reads or writes its build state through a link");
    }
    SUBCASE("its record of the inputs is a link") {
      const auto inputs = build_state_folder(box.site.dir(), box.out) / "inputs";
      REQUIRE(fs::is_regular_file(fs::symlink_status(inputs)));
      fs::rename(inputs, box.elsewhere.dir() / "inputs");
      fs::create_symlink(box.elsewhere.dir() / "inputs", inputs);
      box.build_fails_with("inputs is a symbolic link; plainsight never reads or writes its build state through a link");
    }
    SUBCASE("its clock is a link") {
      REQUIRE(box.build() == 0);  // the first build had no build state to keep a clock in
      const auto clock = build_state_folder(box.site.dir(), box.out) / "clock";
      REQUIRE(fs::is_regular_file(fs::symlink_status(clock)));
      fs::remove(clock);
      fs::create_symlink(box.elsewhere.dir() / "clock", clock);
      box.build_fails_with("clock is a symbolic link; plainsight never reads or writes its build state through a link");
    }
    SUBCASE(".plainsight is a file") {
      fs::remove_all(state);
      box.site.write(".plainsight", "notes");
      box.build_fails_with(".plainsight is not a folder");
      CHECK(box.site.read(".plainsight") == "notes");
    }
    const auto elsewhere = snapshot(box.elsewhere.dir());
    CHECK(box.build() == 1);
    CHECK(snapshot(box.elsewhere.dir()) == elsewhere);  // nothing written or removed out there
    CHECK_FALSE(contains(box.site.err, "bug"));
  }

  TEST_CASE("an output folder inside the build state is refused") {
    Sandbox box;
    for (const auto& out : {box.site.dir() / ".plainsight", box.site.dir() / ".plainsight/outputs/www"}) {
      CAPTURE(out);
      CHECK(box.site.run({"build", "--out", out.string()}) == 2);
      CHECK(contains(box.site.err, "its build state (.plainsight/)"));
      CHECK_FALSE(fs::exists(out));
    }
  }

  TEST_CASE("an output folder on another file system gets its staging inside it, only while the build runs") {
    // The site is in the temporary folder; /dev/shm, where there is one, is another file system.
    struct stat site_info {
    }, shm_info{};
    Sandbox box;
    if (::stat("/dev/shm", &shm_info) != 0 || ::stat(box.site.dir().c_str(), &site_info) != 0 || shm_info.st_dev == site_info.st_dev) {
      MESSAGE("skipped: no second file system at /dev/shm");
      return;
    }
    const TempSite holder{{}, true};
    const auto shm = fs::path("/dev/shm") / ("plainsight-test-" + holder.dir().filename().string());
    box.out = shm / "public";
    struct Cleanup {
      fs::path path;
      ~Cleanup() { fs::remove_all(path); }
    } cleanup{shm};
    box.site.write("static/docs/a.txt", "ours");
    REQUIRE_MESSAGE(box.build() == 0, box.site.err);  // a rename from /tmp to /dev/shm would fail
    CHECK(read_file(box.out / "about/index.html"));
    CHECK(build_state_entries_in(box.out).empty());
    box.site.write("content/about.md", "---\ntitle: About\n---\nEdited.\n");
    box.site.write("static/docs/b.txt", "new");
    REQUIRE_MESSAGE(box.build() == 0, box.site.err);
    CHECK(read_file(box.out / "docs/b.txt") == "new");
    CHECK(build_state_entries_in(box.out).empty());
    box.site.write("content/about.md", "---\ntitle: About\n---\n[Gone](/no-such-page/)\n");
    box.build_fails_with("broken link");
    CHECK(build_state_entries_in(box.out).empty());
  }
}
