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
  TEST_CASE("value bands at their edges: inclusive at the top, as the councils' tables are") {
    const auto settings = defaults();
    // Below the lowest band the value is still known: its own band, not "not known".
    CHECK(band_of(20000, settings) == "below");
    CHECK(band_of(24999.99, settings) == "below");
    CHECK(settings.bands[0].label == "Under £25,000");
    CHECK(band_of(25000, settings) == "lower");
    CHECK(band_of(49999.99, settings) == "lower");
    // 001 lists projects of exactly £50,000 in its "above £25K less than £50K" tables.
    CHECK(band_of(50000, settings) == "lower");
    CHECK(band_of(50000.01, settings) == "middle");
    CHECK(band_of(189330, settings) == "middle");
    CHECK(band_of(189330.01, settings) == "upper");
    CHECK(band_of(1e9, settings) == "upper");
    CHECK(settings.bands[2].label == "£50,000 to £189,330");
    // A value on a boundary fits both bands that meet there; one past it fits only its own.
    CHECK(band_fits(50000, "lower", settings));
    CHECK(band_fits(50000, "middle", settings));
    CHECK_FALSE(band_fits(50000.01, "lower", settings));
    CHECK_FALSE(band_fits(49999.99, "middle", settings));
    CHECK(band_fits(25000, "lower", settings));
    CHECK_FALSE(band_fits(25000, "below", settings));
    CHECK_FALSE(band_fits(20000, "lower", settings));
    CHECK_FALSE(band_fits(20000, "no-such-band", settings));
  }

  TEST_CASE("a band given in the data wins, and a value outside it is a warning in the project, never a move to another band") {
    Diagnostics diagnostics;
    const auto pipeline = load_pipeline(
        "title,value,start,department,band\n"
        "Flu Clinics,\"£50,000\",April 2020,Public Health,lower\n"
        "Secure Information Exchange,\"50,000.00\",01/09/2020,Children's Services,middle\n"
        "Special Schools review,\"20,000.00\",01/03/2020,Children's Services,lower\n"
        "Unlisted,\"£50,000\",April 2020,Public Health,\n"
        "Homecare services,TBA,TBA,Adult Care,upper\n",
        false, "pipeline.csv", defaults(), diagnostics);
    REQUIRE_MESSAGE(pipeline, all_messages(diagnostics));
    const auto& p = pipeline->projects;
    CHECK(p[0].band == "lower");
    CHECK(p[0].band_warning.empty());
    CHECK(p[1].band == "middle");  // £50,000 is in "£50,000 to the threshold" too
    CHECK(p[1].band_from_value == "lower");
    CHECK(p[1].band_warning.empty());
    CHECK(p[2].band == "lower");  // kept where the council listed it …
    CHECK(p[2].band_from_value == "below");
    CHECK(p[2].band_warning == "£20,000 is outside the band it is listed in, \"£25,000 to £50,000\" (by value it is \"Under £25,000\")");
    CHECK(p[3].band == "lower");  // no band given: from the value, inclusive at the top
    CHECK_FALSE(p[3].band_published);
    CHECK(p[4].band == "upper");
    CHECK(p[4].band_warning.empty());
    // What the plan says is shown on the page, not reported to the site's author as a fault.
    CHECK(diagnostics.warning_count() == 0);
  }

  TEST_CASE("a row that repeats an earlier row's title and value is marked as its duplicate") {
    Diagnostics diagnostics;
    const auto pipeline = load_pipeline(
        "title,value,start,department\n"
        "Supply of Local Bus Transport,\"£28,000,000\",01/01/2021,ETE\n"
        "Transport Services DPS,\"£100,000,000\",01/04/2021,ETE\n"
        "Supply of Local Bus Transport,\"£28,000,000\",01/04/2021,ETE\n"
        "supply of  local bus transport ,28000000,01/06/2021,Other\n"
        "Supply of Local Bus Transport,\"£29,000,000\",01/06/2021,ETE\n"
        "Telephone Support,TBA,TBA,Adult Care\n"
        "Telephone Support,TBA,TBA,Adult Care\n"
        "Transport Services DPS,\"£100,000,000\",01/04/2021,ETE\n",
        false, "pipeline.csv", defaults(), diagnostics);
    REQUIRE_MESSAGE(pipeline, all_messages(diagnostics));
    const auto& p = pipeline->projects;
    REQUIRE(p.size() == 8);
    CHECK(p[0].duplicate_of.empty());
    CHECK(p[1].duplicate_of.empty());
    CHECK(p[2].duplicate_of == p[0].id);
    CHECK(p[2].id == "ete-supply-of-local-bus-transport-2");
    CHECK(p[3].duplicate_of == p[0].id);  // the same title whatever its capitals and spaces, in any department
    CHECK(p[4].duplicate_of.empty());     // another value: another project
    CHECK(p[5].duplicate_of.empty());     // not yet valued twice is not the same project
    CHECK(p[6].duplicate_of.empty());
    CHECK(p[7].duplicate_of == p[1].id);
    CHECK(diagnostics.warning_count() == 0);
  }

  TEST_CASE("what each date means, year ranges as published, and department aliases") {
    Diagnostics diagnostics;
    auto settings = defaults();
    settings.department_aliases = {{"Adult Care", "Adult Social Care and Health"}};
    const auto pipeline = load_pipeline(
        "title,value,start,start_kind,department,reference\n"
        "Fleet Vehicles,\"£17,000,000\",2019 - 2022,contract-award,ETE,\n"
        "MIS software,175000,2021/2022,Contract Award,Children's Services,\n"
        "Janitorial Supplies,1500000,01/01/2020,procurement-start,CCP,\n"
        "Keysoft Solutions,36000,01/04/2020,,Adult Care,TS09088\n",
        false, "pipeline.csv", settings, diagnostics);
    REQUIRE_MESSAGE(pipeline, all_messages(diagnostics));
    const auto& p = pipeline->projects;
    CHECK(p[0].start_kind == StartKind::contract_award);
    CHECK(p[0].start_text == "2019 - 2022");
    CHECK(p[0].start->date.year == 2019);
    CHECK(p[0].start->precision == PublishedDate::Precision::year);
    CHECK(p[1].start_kind == StartKind::contract_award);
    CHECK(p[1].start_text == "2021/2022");
    CHECK(p[2].start_kind == StartKind::procurement_start);
    CHECK(p[3].start_kind == StartKind::procurement_start);  // the column's meaning when none is given
    CHECK(p[3].department == "Adult Social Care and Health");
    CHECK(p[3].department_as_published == "Adult Care");
    CHECK(p[3].reference == "TS09088");
    CHECK(p[3].id == "ts09088");
    CHECK(p[2].department == "CCP");
    CHECK(p[2].department_as_published == "CCP");

    Diagnostics bad;
    CHECK_FALSE(load_pipeline("title,value,start,start_kind,department\nGas,5,2020,tender,CCP\n", false, "p.csv", defaults(), bad));
    CHECK_MESSAGE(
        all_messages(bad).find("p.csv:2:12: error: start_kind \"tender\" of \"Gas\" is not procurement-start or contract-award") != std::string::npos,
        all_messages(bad));
  }

  TEST_CASE("bands and threshold come from site.json") {
    Diagnostics diagnostics;
    const auto settings = procurement_settings(nlohmann::json::parse(R"({"threshold": 213477, "bands": [
      {"id": "small", "label": "Under £100,000", "from": 0, "to": 100000}, {"id": "big", "label": "£100,000 or more", "from": 100000, "to": null}]})"),
                                               "", "site.json", diagnostics);
    CHECK(settings.threshold == 213477);
    CHECK(band_of(99999, settings) == "small");
    CHECK(band_of(100000, settings) == "small");
    CHECK(band_of(100000.5, settings) == "big");
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
    // A repeat's number never lands on another project's id, whichever comes first.
    Diagnostics repeats;
    const auto references =
        load_pipeline("reference,title,value,start,department\nCR,A,1,TBC,d\nCR,B,1,TBC,d\nCR – 2,C,1,TBC,d\nCR-3,D,1,TBC,d\nCR,E,1,TBC,d\n", false,
                      "pipeline.csv", defaults(), repeats);
    REQUIRE_MESSAGE(references, all_messages(repeats));
    std::vector<std::string> ids;
    for (const auto& project : references->projects) ids.push_back(project.id);
    CHECK(ids == std::vector<std::string>{"cr", "cr-2", "cr-2-2", "cr-3", "cr-4"});
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
    const auto pipeline = load_pipeline("title,value,start,department\n" + title + "éééé,5,TBC,d\n", false, "p.csv", defaults(), diagnostics);
    REQUIRE(pipeline);
    const auto& id = pipeline->projects[0].id;
    CHECK(id == "d-" + title);  // 79 bytes: the first é would end at 81
    CHECK(id.back() != '\xC3');
    CHECK(nlohmann::json(id).dump().size() > 0);  // would throw on broken UTF-8
  }
}
