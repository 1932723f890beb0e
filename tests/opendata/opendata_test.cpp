#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/temp_site.hpp"

using namespace plainsight;

TEST_SUITE("opendata") {
  TEST_CASE("the pipeline's OCDS releases: planned tenders, with values and dates only where known") {
    testing::TempSite site({{"site.json", testing::minimal_site_json(R"(, "ocid_prefix": "ocds-abc123")")},
                            {"content/_index.md", "---\ntitle: Home\n---\n"},
                            {"content/procurement/index.md", "---\ntitle: Contracts\ntype: pipeline\ndate: 2020-03-16\n---\n"},
                            {"content/procurement/pipeline.csv",
                             "title,value,start,department\nSupply of Gas,\"£12,250,000.00\",01/02/2020,Corporate\nCCTV,TBA,TBC,Highways\n"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    const auto package = nlohmann::json::parse(output->files.at("data/procurement/pipeline-ocds.json"));
    CHECK(package["version"] == "1.1");
    CHECK(package["publishedDate"] == "2020-03-16T00:00:00Z");
    CHECK(package["publisher"]["name"] == "Test Council");
    REQUIRE(package["releases"].size() == 2);
    const auto& gas = package["releases"][0];
    CHECK(gas["ocid"] == "ocds-abc123-corporate-supply-of-gas");
    CHECK(gas["tag"] == nlohmann::json::array({"planning"}));
    CHECK(gas["initiationType"] == "tender");
    CHECK(gas["buyer"]["name"] == "Test Council");
    CHECK(gas["tender"]["status"] == "planned");
    CHECK(gas["tender"]["value"]["amount"] == 12250000);
    CHECK(gas["tender"]["value"]["currency"] == "GBP");
    CHECK(gas["tender"]["tenderPeriod"]["startDate"] == "2020-02-01T00:00:00Z");
    CHECK(gas["planning"]["budget"]["amount"]["amount"] == 12250000);
    const auto& cctv = package["releases"][1];
    CHECK_FALSE(cctv["tender"].contains("value"));
    CHECK_FALSE(cctv["tender"].contains("tenderPeriod"));
    CHECK_FALSE(cctv.contains("planning"));
    const auto csv = output->files.at("data/procurement/pipeline.csv");
    CHECK(csv.find("highways-cctv,CCTV,Highways,,,,,TBA,TBA,,,TBC,") != std::string::npos);
  }
}
