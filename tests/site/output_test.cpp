#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/files.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;

TEST_SUITE("site") {
  TEST_CASE("write_output writes only what changed and removes what no longer belongs") {
    testing::TempSite site({});
    const auto out = site.dir() / "public";
    SiteOutput output;
    output.files = {{"index.html", "home"}, {"a/index.html", "a"}, {"b/c/index.html", "c"}};
    auto stats = write_output(out, site.dir(), output);
    CHECK(stats.written == 3);
    CHECK(read_file(out / "a/index.html") == "a");

    const auto before = fs::last_write_time(out / "index.html");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    output.files.erase("b/c/index.html");
    output.files["a/index.html"] = "a changed";
    stats = write_output(out, site.dir(), output);
    CHECK(stats.written == 1);
    CHECK(stats.unchanged == 1);
    CHECK(stats.removed == 1);
    CHECK(fs::last_write_time(out / "index.html") == before);
    CHECK(read_file(out / "a/index.html") == "a changed");
    CHECK_FALSE(fs::exists(out / "b"));  // the emptied folders go too
  }

  TEST_CASE("a folder with files and no manifest is refused, an empty one or one plainsight built is not") {
    testing::TempSite site({{"home/notes.txt", "mine"}});
    CHECK_FALSE(OutputFolder(site.dir() / "home", site.dir(), "plainsight 1").refusal().empty());
    fs::create_directory(site.dir() / "empty");
    CHECK(OutputFolder(site.dir() / "empty", site.dir(), "plainsight 1").refusal().empty());
    CHECK(OutputFolder(site.dir() / "new", site.dir(), "plainsight 1").refusal().empty());
    SiteOutput output;
    output.files = {{"index.html", "home"}};
    write_output(site.dir() / "built", site.dir(), output);
    site.write("built/extra.txt", "added by hand");
    CHECK(OutputFolder(site.dir() / "built", site.dir(), "plainsight 1").refusal().empty());
  }

  TEST_CASE("a manifest edited to name paths outside the folder is not followed") {
    testing::TempSite site({{"victim.txt", "keep me"}});
    const auto out = site.dir() / "public";
    SiteOutput output;
    output.files = {{"index.html", "home"}};
    write_output(out, site.dir(), output);
    write_file(build_state_folder(site.dir(), out) / "manifest",
               "plainsight-files 2 0\n0 0 7 0 ../victim.txt\n0 0 7 0 /" + (site.dir() / "victim.txt").string().substr(1) + "\nindex.html\n");
    write_output(out, site.dir(), output);
    CHECK(read_file(site.dir() / "victim.txt") == "keep me");
  }

  TEST_CASE("the output folder may not be or contain the site folder") {
    testing::TempSite site({});
    CHECK(is_safe_output_dir(site.dir() / "public", site.dir()));
    CHECK_FALSE(is_safe_output_dir(site.dir(), site.dir()));
    CHECK_FALSE(is_safe_output_dir(site.dir().parent_path(), site.dir()));
    CHECK_FALSE(is_safe_output_dir("/", site.dir()));
    // Inside the sources, the output would be read back as content, and wipe what it replaced.
    CHECK_FALSE(is_safe_output_dir(site.dir() / "content", site.dir()));
    CHECK_FALSE(is_safe_output_dir(site.dir() / "content/news", site.dir()));
    CHECK_FALSE(is_safe_output_dir(site.dir() / "themes", site.dir()));
    CHECK_FALSE(is_safe_output_dir(site.dir() / "themes/default/static", site.dir()));
    CHECK(is_safe_output_dir(site.dir() / "contents-archive", site.dir()));
    // Nor inside the build's own state.
    CHECK_FALSE(is_safe_output_dir(site.dir() / ".plainsight", site.dir()));
    CHECK_FALSE(is_safe_output_dir(site.dir() / ".plainsight/outputs/0123456789abcdef", site.dir()));
    CHECK(is_safe_output_dir(site.dir() / ".plainsight-site", site.dir()));
  }

  TEST_CASE("write_output never removes a file that it did not write") {
    testing::TempSite site({});
    const auto out = site.dir() / "out";
    SiteOutput output;
    output.files = {{"index.html", "home"}, {"old/index.html", "old"}};
    auto stats = write_output(out, site.dir(), output);
    CHECK(stats.removed == 0);
    site.write("out/thesis/chapter-1.txt", "a year's work");  // put there by hand
    site.write("out/notes.md", "notes");
    site.write("out/empty/.keep", "");
    site.write("out/old/draft.txt", "keeps its folder");
    output.files.erase("old/index.html");
    stats = write_output(out, site.dir(), output);
    CHECK(stats.removed == 1);
    CHECK(read_file(out / "old/draft.txt") == "keeps its folder");
    CHECK(read_file(out / "thesis/chapter-1.txt") == "a year's work");
    CHECK(read_file(out / "notes.md") == "notes");
    CHECK(fs::exists(out / "empty/.keep"));
  }
}

TEST_SUITE("site") {
  TEST_CASE("an output folder keeps a file only for the same inputs, the same program and a file left as it was") {
    testing::TempSite site({});
    const auto out = site.dir() / "public";
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      folder.put("a/index.html", "A", 42);
      folder.put("b.txt", "B", 0);
      CHECK(folder.commit(7).written == 2);
    }
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      CHECK(folder.up_to_date(7));
      CHECK_FALSE(folder.up_to_date(8));
      CHECK(folder.keep("a/index.html", 42));
      CHECK_FALSE(folder.keep("a/index.html", 43));
      CHECK_FALSE(folder.keep("b.txt", 0));  // no inputs hash: always made again
      folder.put("b.txt", "B", 0);
      const auto stats = folder.commit(7);
      CHECK(stats.kept == 1);
      CHECK(stats.written == 0);
      CHECK(stats.unchanged == 2);
      CHECK(read_file(out / "a/index.html") == "A");
    }
    CHECK_FALSE(OutputFolder(out, site.dir(), "plainsight 2").keep("a/index.html", 42));  // another program
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    write_file(out / "a/index.html", "X");  // edited by hand: same size, newer time
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      CHECK_FALSE(folder.up_to_date(7));
      CHECK_FALSE(folder.keep("a/index.html", 42));
    }
    // A damaged manifest costs a full write, nothing worse.
    write_file(build_state_folder(site.dir(), out) / "manifest", "plainsight-files 2 zz\nnot a line\n1 2 3\nffff ffff 1 x\n");
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      CHECK_FALSE(folder.up_to_date(7));
      CHECK_FALSE(folder.keep("a/index.html", 42));
      folder.put("a/index.html", "A", 42);
      folder.put("b.txt", "B", 0);
      CHECK(folder.commit(7).written == 2);
    }
    CHECK(read_file(out / "a/index.html") == "A");
    CHECK(OutputFolder(out, site.dir(), "plainsight 1").up_to_date(7));
  }
}

TEST_SUITE("site") {
  TEST_CASE("a new or empty output folder gets the whole build moved in, a build that fails leaves no new folder") {
    testing::TempSite site({});
    const auto empty = site.dir() / "empty";
    fs::create_directory(empty);
    {
      OutputFolder folder(empty, site.dir(), "plainsight 1");
      folder.put("news/a/index.html", "A", 1);
      folder.put("index.html", "home", 2);
      CHECK(folder.commit(7).written == 2);
    }
    CHECK(read_file(empty / "news/a/index.html") == "A");
    CHECK_FALSE(fs::exists(empty / ".plainsight-staging"));
    CHECK_FALSE(fs::exists(build_state_folder(site.dir(), empty) / "staging"));
    const auto never = site.dir() / "never";
    {
      OutputFolder folder(never, site.dir(), "plainsight 1");
      folder.put("index.html", "home", 2);
    }  // not committed: the build failed
    CHECK_FALSE(fs::exists(never));
  }
}
