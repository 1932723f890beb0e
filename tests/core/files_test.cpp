#include <doctest/doctest.h>

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
