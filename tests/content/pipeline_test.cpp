#include <doctest/doctest.h>

#include "content/pipeline.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;

namespace {
ProcurementSettings defaults() {
  Diagnostics diagnostics;
  return procurement_settings(nlohmann::json::object(), "ocds-test", "site.json", diagnostics);
}
}  // namespace

TEST_SUITE("content") {
  TEST_CASE("value bands at their edges") {
    const auto settings = defaults();
    // Below the lowest band the value is still known: its own band, not "not known".
    CHECK(band_of(20000, settings) == "below");
    CHECK(band_of(24999.99, settings) == "below");
    CHECK(settings.bands[0].label == "Under £25,000");
    CHECK(band_of(25000, settings) == "lower");
    CHECK(band_of(49999.99, settings) == "lower");
    CHECK(band_of(50000, settings) == "middle");
    CHECK(band_of(189329.99, settings) == "middle");
    CHECK(band_of(189330, settings) == "upper");
    CHECK(band_of(1e9, settings) == "upper");
    CHECK(settings.bands[2].label == "£50,000 to £189,330");
  }

  TEST_CASE("bands and threshold come from site.json") {
    Diagnostics diagnostics;
    const auto settings = procurement_settings(nlohmann::json::parse(R"({"threshold": 213477, "bands": [
      {"id": "small", "label": "Under £100,000", "from": 0, "to": 100000}, {"id": "big", "label": "£100,000 or more", "from": 100000, "to": null}]})"),
                                               "", "site.json", diagnostics);
    CHECK(settings.threshold == 213477);
    CHECK(band_of(99999, settings) == "small");
    CHECK(band_of(100000, settings) == "big");
  }

  TEST_CASE("a pipeline keeps rows whose value or start is not known yet, and gives each project a stable id") {
    Diagnostics diagnostics;
    const auto pipeline = load_pipeline(
        "title,value,start,department,group,band\n"
        "Supply of Gas,\"£12,250,000.00\",01/02/2020,Corporate,Energy,\n"
        "Supply of Gas,TBA,TBC,Corporate,Energy,upper\n"
        "Weed cutting,\"30,000\",April 2021,Environment,,lower\n"
        "Blank,,unknown,Environment,,\n",
        false, "pipeline.csv", defaults(), diagnostics);
    REQUIRE_MESSAGE(pipeline, all_messages(diagnostics));
    REQUIRE(pipeline->projects.size() == 4);
    const auto& gas = pipeline->projects[0];
    CHECK(gas.value == 12250000.0);
    CHECK(gas.band == "upper");
    CHECK(gas.id == "corporate-supply-of-gas");
    CHECK(pipeline->projects[1].id == "corporate-supply-of-gas-2");
    CHECK_FALSE(pipeline->projects[1].value);
    CHECK(pipeline->projects[1].value_unknown == "TBA");
    CHECK(pipeline->projects[1].band == "upper");  // as published, since the value is not known
    CHECK(pipeline->projects[1].start_unknown == "TBC");
    CHECK(pipeline->projects[2].start->precision == PublishedDate::Precision::month);
    CHECK(pipeline->projects[3].value_unknown == "Not given");
  }

  TEST_CASE("a cell that is neither a value nor a known word is an error naming the file, row and column") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_pipeline("title,value,start,department\nGas,about £5m,01/02/2020,Corporate\nOil,5,31/09/2020,Corporate\n,5,2020,\n", false,
                              "content/procurement/pipeline.csv", defaults(), diagnostics));
    const auto text = all_messages(diagnostics);
    CHECK(text.find("content/procurement/pipeline.csv:2:5: error: value \"about £5m\" of \"Gas\" is not an amount") != std::string::npos);
    CHECK(text.find("content/procurement/pipeline.csv:3:7: error: start date \"31/09/2020\" of \"Oil\" is not a date") != std::string::npos);
    CHECK(text.find("content/procurement/pipeline.csv:4:1: error: row 4 has no title") != std::string::npos);
    CHECK(text.find("has no department") != std::string::npos);
  }

  TEST_CASE("missing columns and unknown columns") {
    Diagnostics diagnostics;
    CHECK_FALSE(load_pipeline("title,value,dept\nGas,5,Corporate\n", false, "p.csv", defaults(), diagnostics));
    const auto text = all_messages(diagnostics);
    CHECK(text.find("p.csv:1:1: error: no \"start\" column") != std::string::npos);
    CHECK(text.find("p.csv:1:1: error: no \"department\" column") != std::string::npos);
    CHECK(text.find("p.csv:1:13: warning: column \"dept\" is not used") != std::string::npos);
  }

  TEST_CASE("pipeline.json has the same fields, with locations") {
    Diagnostics diagnostics;
    const auto pipeline = load_pipeline(R"([{"title": "Gas", "value": "£5,000,000", "start": "2020-04", "department": "Corporate"},
 {"title": "Oil", "value": "lots", "start": "TBC", "department": "Corporate"}])",
                                        true, "pipeline.json", defaults(), diagnostics);
    CHECK_FALSE(pipeline);
    CHECK_MESSAGE(all_messages(diagnostics).find("pipeline.json:2:28: error: value \"lots\" of \"Oil\" is not an amount") != std::string::npos,
                  all_messages(diagnostics));
  }

  TEST_CASE("long ids are cut without splitting a character") {
    Diagnostics diagnostics;
    const std::string title(77, 'a');
    const auto pipeline = load_pipeline("title,value,start,department\n" + title + "££££,5,TBC,d\n", false, "p.csv", defaults(), diagnostics);
    REQUIRE(pipeline);
    const auto& id = pipeline->projects[0].id;
    CHECK(id.size() <= 80);
    CHECK(id.back() != '\xC2');
    CHECK(nlohmann::json(id).dump().size() > 0);  // would throw on broken UTF-8
  }
}
