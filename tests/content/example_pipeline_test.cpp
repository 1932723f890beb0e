#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "content/pipeline.hpp"
#include "core/csv.hpp"
#include "core/files.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;

TEST_SUITE("content") {
  TEST_CASE("the example pipeline's totals match the TOTAL rows the documents print (seeds/001)") {
    const std::string source = PLAINSIGHT_SOURCE_DIR;
    const auto csv_text = read_file(source + "/content/procurement/pipeline.csv");
    REQUIRE(csv_text);
    Diagnostics diagnostics;
    const auto table = parse_csv(*csv_text, "pipeline.csv", diagnostics);
    REQUIRE_MESSAGE(table, testing::all_messages(diagnostics));
    // Sum each published table (department and the band it was listed under), as the document does.
    std::map<std::pair<std::string, std::string>, double> sums;
    const auto department = table->column("department"), band = table->column("band"), value = table->column("value");
    for (const auto& row : table->rows)
      if (auto amount = parse_amount(row[value].text)) sums[{row[department].text, row[band].text}] += *amount;

    const auto totals = nlohmann::json::parse(*read_file(source + "/tests/fixtures/pipeline-totals.json"));
    int compared = 0;
    for (const auto& total : totals) {
      if (total["total"].is_null()) continue;  // Adult Care's empty table prints "TOTAL: £" with no figure
      const auto key = std::pair{total["department"].get<std::string>(), total["band"].get<std::string>()};
      double expected = total["total"].get<double>();
      // The document's own error: Adult Care's upper table leaves out its last row, "Crisis
      // intervention for people with disabilities" (£998,640), from the TOTAL it prints.
      if (key == std::pair<std::string, std::string>{"Adult Care", "upper"}) expected += 998640;
      CHECK_MESSAGE(sums[key] == doctest::Approx(expected), key.first << " " << key.second << ": line " << total["source_line"]);
      ++compared;
    }
    CHECK(compared == 5);

    // Every row of the document is kept, including those without a value.
    const auto pipeline =
        load_pipeline(*csv_text, false, "pipeline.csv", procurement_settings(nlohmann::json::object(), "", "site.json", diagnostics), diagnostics);
    REQUIRE(pipeline);
    CHECK(pipeline->projects.size() == 502);
  }
}
