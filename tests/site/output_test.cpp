#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <fmt/format.h>

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
  TEST_CASE("files kept, put and left out are each recorded as such, by every build into one folder") {
    testing::TempSite site({});
    const auto out = site.dir() / "public";
    OutputFolder folder(out, site.dir(), "plainsight 1");
    for (const auto* path : {"a.txt", "b/index.html", "c/index.html", "d.txt", "e.txt"}) folder.put(path, path, 1);
    CHECK(folder.commit(7).written == 5);
    // Kept and put in turn, with one left out: the kept stay and are listed among the put.
    CHECK(folder.keep("a.txt", 1));
    folder.put("b/index.html", "changed", 1);
    CHECK(folder.keep("c/index.html", 1));
    folder.put("e.txt", "e.txt", 1);
    auto stats = folder.commit(8);
    CHECK(stats.kept == 2);
    CHECK(stats.written == 1);
    CHECK(stats.unchanged == 3);
    CHECK(stats.removed == 1);
    CHECK_FALSE(fs::exists(out / "d.txt"));
    CHECK(read_file(out / "c/index.html") == "c/index.html");
    CHECK(OutputFolder(out, site.dir(), "plainsight 1").up_to_date(8));
    // The next build into the same folder: what was kept before and is left out now goes.
    CHECK(folder.keep("a.txt", 1));
    folder.put("b/index.html", "changed", 1);
    stats = folder.commit(9);
    CHECK(stats.kept == 1);
    CHECK(stats.removed == 2);
    CHECK_FALSE(fs::exists(out / "c/index.html"));
    CHECK_FALSE(fs::exists(out / "e.txt"));
    OutputFolder again(out, site.dir(), "plainsight 1");
    CHECK(again.up_to_date(9));
    CHECK(again.keep("a.txt", 1));
    CHECK_FALSE(again.keep("c/index.html", 1));
    // A file kept stays in the way of a file put where its folder is: it is not stale.
    again.put("b", "a file where the folder b/ holds one kept", 1);
    CHECK(again.keep("b/index.html", 1));
    Diagnostics problems;
    again.check(problems);
    REQUIRE(problems.has_errors());
    CHECK(problems.sorted().front().message.find("is a folder where this build writes a file") != std::string::npos);
  }

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

TEST_SUITE("site") {
  TEST_CASE("a look at the output folder ahead of up_to_date() counts, in whichever part it finds a changed file") {
    testing::TempSite site({});
    const auto out = site.dir() / "public";
    std::map<std::string, std::string> files = {{"index.html", "home"}, {"a/b/c/d/index.html", "deep"}};
    for (int n = 0; n < 150; ++n) files[fmt::format("news/item-{:03}/index.html", n)] = fmt::format("item {:03}", n);
    auto build = [&] {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      for (const auto& [path, bytes] : files) folder.put(path, bytes, 1);
      return folder.commit(7);
    };
    CHECK(build().written == 152);
    auto up_to_date = [&](bool look_ahead) {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      std::atomic<bool> keep_going{look_ahead};
      folder.look_ahead(keep_going);
      return folder.up_to_date(7);
    };
    CHECK(up_to_date(true));
    CHECK(up_to_date(false));
    // Changed by hand, with the same size: the first file, one in a run of many from one folder,
    // and a deep one alone in its folder.
    for (const auto* path : {"index.html", "news/item-140/index.html", "a/b/c/d/index.html"}) {
      CAPTURE(path);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      write_file(out / path, std::string(files[path].size(), 'x'));
      CHECK_FALSE(up_to_date(true));
      CHECK_FALSE(up_to_date(false));
      write_file(out / path, files[path]);  // its time is still not the one recorded
      CHECK_FALSE(up_to_date(true));
      CHECK(build().written == 1);
      CHECK(up_to_date(true));
    }
    // What the look ahead saw counts for keep() too; a file it did not get to is looked at then.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    write_file(out / "news/item-010/index.html", "item xxx");
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      std::atomic<bool> keep_going{true};
      folder.look_ahead(keep_going);  // stops at the run of the changed file
      CHECK_FALSE(folder.keep("news/item-010/index.html", 1));
      CHECK(folder.keep("index.html", 1));
      CHECK(folder.keep("news/item-149/index.html", 1));
      CHECK_FALSE(folder.keep("news/item-149/index.html", 2));  // made from other inputs
    }
    fs::remove(out / "news/item-075/index.html");
    CHECK_FALSE(up_to_date(true));
    CHECK_FALSE(up_to_date(false));
  }

  TEST_CASE("input records spare reading a file they show untouched since, and only such a file") {
    testing::TempSite site({{"content/a.md", "one"}, {"content/b.md", "bee"}});
    BuildOptions options;
    options.site_dir = site.dir();
    InputRecords records;
    auto inputs = list_inputs(options);
    const auto fresh = input_fingerprint(inputs, options, "g", &records);
    CHECK(fresh == input_fingerprint(options, "g"));
    REQUIRE(records.text.starts_with("plainsight-inputs 1 "));
    CHECK(records.text.find(" content/a.md\n") != std::string::npos);
    // The records as if made at `made`; with `forged`, every hash in them replaced.
    auto remade = [&](const InputRecords& from, std::int64_t made, bool forged) {
      InputRecords copy;
      copy.text = fmt::format("plainsight-inputs 1 {}\n", made);
      std::istringstream lines(from.text);
      std::string line;
      std::getline(lines, line);
      while (std::getline(lines, line)) copy.text += (forged ? "0000000000000001" + line.substr(16) : line) + '\n';
      return copy;
    };
    auto fingerprint_with = [&](InputRecords& kept) {
      auto again = list_inputs(options);
      return input_fingerprint(again, options, "g", &kept);
    };
    CHECK(records.text.starts_with("plainsight-inputs 1 0\n"));  // made at a time not known: never trusted
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    constexpr std::int64_t seconds = 1'000'000'000;
    // Made within a second of the files' last change: a change in the same tick of the clock
    // would have left their times as they were, so every file is read again.
    auto just_after = remade(records, now, true);
    CHECK(fingerprint_with(just_after) == fresh);
    CHECK(just_after.text.find("0000000000000001") == std::string::npos);  // and the records made again
    // Made later: no file is read, so the forged hashes are taken, and the records stay as they were.
    auto later = remade(records, now + 2 * seconds, true);
    const auto later_text = later.text;
    CHECK(fingerprint_with(later) != fresh);
    CHECK(later.text == later_text);
    // A file changed since, even with its size and modification time put back, is read again.
    const auto a = site.dir() / "content/a.md";
    const auto modified = fs::last_write_time(a);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    write_file(a, "two");
    fs::last_write_time(a, modified);
    auto before_the_change = remade(records, now + 2 * seconds, false);
    CHECK(fingerprint_with(before_the_change) == input_fingerprint(options, "g"));
    CHECK(fingerprint_with(before_the_change) != fresh);
    // Damaged records cost a read of every file, nothing worse.
    for (const auto* damaged : {"", "plainsight-inputs 1 x\n", "plainsight-inputs 1 5\nzz 1 2 3 4 content/a.md\n1 2 3\n",
                                "plainsight-inputs 1 -9223372036854775808\n0000000000000001 3 1 1 1 content/a.md\n"}) {
      InputRecords kept{damaged};
      CHECK(fingerprint_with(kept) == input_fingerprint(options, "g"));
    }
  }
}

TEST_SUITE("site") {
  TEST_CASE("the build state's clock is the file system's, and input records are kept also when nothing changed") {
    testing::TempSite site({});
    const auto out = site.dir() / "public";
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      folder.put("index.html", "home", 1);
      folder.input_records().text = "plainsight-inputs 1 0\n";
      folder.commit(7);
    }
    const auto records = build_state_folder(site.dir(), out) / "inputs";
    CHECK(read_file(records) == "plainsight-inputs 1 0\n");
    {
      OutputFolder folder(out, site.dir(), "plainsight 1");
      const auto clock = folder.clock_now();
      REQUIRE(clock);
      const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      CHECK(std::abs(now - *clock) < 5'000'000'000);  // this machine's disk, so the same clock
      CHECK(folder.input_records().text == "plainsight-inputs 1 0\n");
      folder.input_records().text = "plainsight-inputs 1 5\n";
      CHECK(folder.up_to_date(7));
      folder.keep_input_records();
    }
    CHECK(read_file(records) == "plainsight-inputs 1 5\n");
  }
}
