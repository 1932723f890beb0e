#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/files.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("an output path is relative, and every part of it a plain name") {
    for (const char* plain : {"index.html", "news/a/index.html", "crèche/index.html", "a..b/c.d", "x/y.", "%2e%2e/index.html"}) {
      CAPTURE(plain);
      CHECK(output_path_problem(plain).empty());
    }
    const std::pair<std::string, const char*> refused[] = {
        {"", "it is empty"},
        {"/tmp/x", "absolute"},
        {"//tmp/x", "absolute"},
        {"a//b", "an empty part"},
        {"a/", "an empty part"},
        {"./index.html", "a \".\" part"},
        {"news/../../etc/passwd", "a \"..\" part"},
        {"..", "a \"..\" part"},
        {"a\\..\\b", "a backslash"},
        {"a\tb", "a control character"},
        {std::string("a\0b", 3), "a control character"},
        {"a\x7f", "a control character"},
        {".plainsight-staging/x.html", "a name the build keeps for itself"},
        {".plainsight-files", "a name the build keeps for itself"},
        {"a/.plainsight-tmp", "a name the build keeps for itself"},
        {".htaccess", "a hidden name"},
        {".well-known/security.txt", "a hidden name"},
        {"x/.git/config", "a hidden name"},
        {std::string(256, 'a'), "longer than 255 bytes"},
        {std::string(600, 'a') + "/" + std::string(600, 'b'), "longer than 1024 bytes"},
    };
    for (const auto& [path, problem] : refused) {
      const auto& shown = path;  // clang 14 cannot capture a structured binding
      CAPTURE(shown);
      CHECK(output_path_problem(path).find(problem) != std::string::npos);
    }
  }
}

TEST_SUITE("core") {
  TEST_CASE("a plain file is read whole into a buffer used again, however long, and a folder, a pipe or a missing file not at all") {
    const auto dir = std::filesystem::temp_directory_path() / ("plainsight-read-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "folder");
    const std::string small = "small", large(200 * 1024 + 7, 'x');
    write_file(dir / "small", small);
    write_file(dir / "large", large);
    std::vector<char> buffer;
    CHECK(read_plain_file_into(dir / "large", buffer) == large);  // more than the first 64 KB: the buffer grows
    CHECK(read_plain_file_into(dir / "small", buffer) == small);  // and what it held before is not read again
    write_file(dir / "empty", "");
    CHECK(read_plain_file_into(dir / "empty", buffer) == std::string_view());
    CHECK_FALSE(read_plain_file_into(dir / "folder", buffer));
    CHECK_FALSE(read_plain_file_into(dir / "missing", buffer));
    // A pipe put where a file was (or a device, /dev/zero, that would never end): not read.
    REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
    CHECK_FALSE(read_plain_file_into(dir / "pipe", buffer));
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("a file is written with the folders it needs, replacing what was there, and never through a link") {
    const auto dir = std::filesystem::temp_directory_path() / ("plainsight-write-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    write_file(dir / "a" / "b" / "c" / "index.html", "deep");  // three folders that were not there
    CHECK(read_file(dir / "a" / "b" / "c" / "index.html") == "deep");
    write_file(dir / "a" / "b" / "c" / "index.html", "new");  // replaced, not appended to
    CHECK(read_file(dir / "a" / "b" / "c" / "index.html") == "new");
    write_file(dir / "a" / "d" / "index.html", "beside");  // a folder beside one that exists
    CHECK(read_file(dir / "a" / "d" / "index.html") == "beside");
    write_file(dir / "outside", "theirs");
    std::filesystem::create_symlink(dir / "outside", dir / "a" / "link");
    CHECK_THROWS_AS(write_file(dir / "a" / "link", "ours"), std::filesystem::filesystem_error);
    CHECK(read_file(dir / "outside") == "theirs");
    CHECK_THROWS_AS(write_file(dir / "a" / "d" / "index.html" / "x", "under a file"), std::filesystem::filesystem_error);
    CHECK_THROWS_AS(write_file(dir / "a", "a folder"), std::filesystem::filesystem_error);
    std::filesystem::remove_all(dir);
  }
}
