// The hostile-input corpus in tests/fixtures/invalid/: each case is a folder with the files it
// adds to a small site (under site/) and expected.txt, either "builds" or the messages the build
// must report (each line a part of one), so that bad input always gets a specific error with its
// place, and good but odd input is accepted. Larger cases made at run time (a 10 MB line, a
// 50,000-row pipeline, JSON nested 10,000 deep) are in hostile_test.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "core/files.hpp"
#include "core/text.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;

TEST_SUITE("site") {
  TEST_CASE("every case of the hostile-input corpus gets its expected errors, or builds") {
    const fs::path corpus = fs::path(PLAINSIGHT_SOURCE_DIR) / "tests" / "fixtures" / "invalid";
    std::vector<fs::path> cases;
    for (const auto& entry : fs::directory_iterator(corpus))
      if (entry.is_directory()) cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());
    CHECK(cases.size() >= 30);
    for (const auto& folder : cases) {
      const auto name = folder.filename().string();
      SUBCASE(name.c_str()) {  // a failure names its case
        testing::TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}});
        fs::copy(folder / "site", site.dir(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
        const auto expected_text = read_file(folder / "expected.txt");
        REQUIRE(expected_text);
        const auto output = site.generate();
        const auto messages = testing::all_messages(site.diagnostics);
        const auto expected = split_lines(*expected_text);
        if (trim(expected.at(0)) == "builds") {
          CHECK_MESSAGE(output, messages);
        } else {
          CHECK_FALSE(output);
          for (const auto line : expected)
            if (!trim(line).empty()) CHECK_MESSAGE(testing::contains(messages, trim(line)), "expected \"" << line << "\" in:\n" << messages);
        }
      }
    }
  }
}
