// Whole-site tests of datasets: a CSV with its Table Schema becomes paged, summarised pages,
// group pages and open data, with the default theme, as a site builds.
#include <doctest/doctest.h>

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::contains;
using testing::TempSite;

namespace {

/// 1,234 payments to 3 suppliers, the last a run of 34 to "Cobb & Co".
std::string payments_csv() {
  std::string csv = "paid,supplier,amount\n";
  double total = 0;
  for (int i = 0; i < 1234; ++i) {
    const auto* supplier = i >= 1200 ? "Cobb & Co" : i % 2 == 0 ? "Acme Ltd" : "Bolt plc";
    const double amount = 500 + i;
    total += amount;
    csv += fmt::format("{:02d}/04/2020,{},\"{:.2f}\"\n", i % 28 + 1, supplier, amount);
  }
  return csv + fmt::format("Total,,\"{:.2f}\"\n", total);
}

}  // namespace

TEST_SUITE("site") {
  TEST_CASE("a dataset is paged, summarised by its groups, given group pages and published as open data") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\nHome.\n"},
                   {"content/departments/_index.md", "---\ntitle: Departments\ntype: department\n---\n"},
                   {"content/departments/finance/index.md", "---\ntitle: Finance\ntype: department\n---\nMoney.\n"},
                   {"content/spending/index.md",
                    "---\ntitle: Spending over £500\ntype: dataset\ndepartment: Finance\ngroup_by: [supplier]\ntotals: [amount]\n"
                    "total_row: Total\ngroup_pages_from: 30\nsource: Test ledger\n---\nEvery payment.\n"},
                   {"content/spending/schema.json", R"json({"fields": [
                      {"name": "paid", "title": "Date paid", "type": "date", "format": "%d/%m/%Y"},
                      {"name": "supplier", "title": "Supplier", "type": "string", "constraints": {"required": true}},
                      {"name": "amount", "title": "Amount (£)", "type": "number", "groupChar": ","}]})json"},
                   {"content/spending/data.csv", payments_csv()}});
    site.use_default_theme();
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK_MESSAGE(site.diagnostics.error_count() == 0, all_messages(site.diagnostics));
    const auto& files = output->files;
    // Pages of at most 500 rows, numbered; the first has the summaries.
    for (const char* path : {"spending/index.html", "spending/page/2/index.html", "spending/page/3/index.html"})
      CHECK_MESSAGE(files.contains(path), path);
    CHECK_FALSE(files.contains("spending/page/4/index.html"));
    ASSERT_FILE_CONTAINS(*output, "spending/index.html", "Spending over £500 (rows 1 to 500 of 1,234)");
    ASSERT_FILE_CONTAINS(*output, "spending/page/3/index.html", "(rows 1001 to 1234 of 1,234)");
    ASSERT_FILE_CONTAINS(*output, "spending/index.html",
                         "<tr id=\"row-1\"><th scope=\"row\"><time datetime=\"2020-04-01\">1 April 2020</time></th><td>Acme Ltd</td>"
                         "<td class=\"number\">500</td></tr>");
    ASSERT_FILE_CONTAINS(*output, "spending/index.html", "<span aria-current=\"page\">1</span>");
    // The summary: largest total first, each with its rows and total; a group of 30 or more rows has a page.
    ASSERT_FILE_CONTAINS(*output, "spending/index.html", "<caption>Spending over £500 by supplier</caption>");
    ASSERT_FILE_CONTAINS(
        *output, "spending/index.html",
        "<th scope=\"row\"><a href=\"/spending/supplier/bolt-plc/\">Bolt plc</a></th><td class=\"number\">600</td><td class=\"number\">660,000</td>");
    // A group's rows are paged too: Acme's 600 rows take two pages.
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/acme-ltd/index.html", "Spending over £500, Supplier: Acme Ltd (rows 1 to 500 of 600)");
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/acme-ltd/page/2/index.html", "(rows 501 to 600 of 600)");
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/acme-ltd/index.html", "<a href=\"/spending/supplier/acme-ltd/page/2/\">2</a>");
    CHECK_FALSE(files.contains("spending/supplier/acme-ltd/page/3/index.html"));
    CHECK_FALSE(files.contains("spending/supplier/cobb-co/page/2/index.html"));
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/cobb-co/index.html", "34 of the 1,234 rows.");
    // A group of more rows than a page holds gives its own size, not its page's.
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/acme-ltd/index.html", "600 of the 1,234 rows.");
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/cobb-co/index.html", "<tr id=\"row-1234\">");
    ASSERT_FILE_CONTAINS(*output, "spending/supplier/cobb-co/index.html", "<th scope=\"row\">Total</th><td></td><td class=\"number\">58,361</td>");
    // Its department lists it.
    ASSERT_FILE_CONTAINS(*output, "departments/finance/index.html",
                         "<a href=\"/spending/\">Spending over £500</a> <span class=\"muted\">(1,234 rows)</span>");

    // Open data: normalised CSV, JSON with typed values, and the published CSV's schema; all in the package.
    const auto& csv = files.at("data/spending/data.csv");
    CHECK(csv.starts_with("paid,supplier,amount\r\n2020-04-01,Acme Ltd,500\r\n2020-04-02,Bolt plc,501\r\n"));
    CHECK_FALSE(contains(csv, "Total"));
    const auto rows = nlohmann::json::parse(files.at("data/spending/data.json"));
    REQUIRE(rows.size() == 1234);
    CHECK(rows[0] == nlohmann::json{{"paid", "2020-04-01"}, {"supplier", "Acme Ltd"}, {"amount", 500}});
    const auto schema = nlohmann::json::parse(files.at("data/spending/schema.json"));
    CHECK(schema["fields"][0] == nlohmann::json{{"name", "paid"}, {"title", "Date paid"}, {"type", "date"}});
    const auto package = nlohmann::json::parse(files.at("data/datapackage.json"));
    std::vector<std::string> paths;
    for (const auto& resource : package["resources"]) paths.push_back(resource["path"].get<std::string>());
    for (const char* path : {"spending/data.csv", "spending/data.json", "spending/schema.json"})
      CHECK_MESSAGE(std::find(paths.begin(), paths.end(), path) != paths.end(), path);

    // schema.org JSON-LD: the dataset's page describes it, /data/ lists it in the catalogue; its dates are the data's.
    auto jsonld = [&](const std::string& path) {
      const auto& html = files.at(path);
      const auto start = html.find("<script type=\"application/ld+json\">");
      REQUIRE_MESSAGE(start != std::string::npos, path << " has no JSON-LD");
      const auto from = start + 35;
      return nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
    };
    const auto described = jsonld("spending/index.html");
    CHECK(described["@context"] == "https://schema.org");
    CHECK(described["@type"] == "Dataset");
    CHECK(described["name"] == "Spending over £500");
    CHECK(described["temporalCoverage"] == "2020-04-01/2020-04-28");
    CHECK(described["license"] == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/");
    CHECK(described["publisher"]["@type"] == "GovernmentOrganization");
    CHECK(described["distribution"][0] == nlohmann::json{{"@type", "DataDownload"},
                                                         {"name", "Spending over £500"},
                                                         {"contentUrl", "https://example.org/data/spending/data.csv"},
                                                         {"encodingFormat", "text/csv"}});
    const auto catalog = jsonld("data/index.html");
    CHECK(catalog["@type"] == "DataCatalog");
    CHECK(
        std::any_of(catalog["dataset"].begin(), catalog["dataset"].end(), [](const nlohmann::json& d) { return d["name"] == "Spending over £500"; }));
    CHECK_FALSE(contains(files.at("index.html"), "ld+json"));

    // Search: the dataset, its group pages and each row.
    std::string records;
    for (const auto& [path, text] : files)
      if (path.starts_with("search/index/r/")) records += text;
    CHECK(contains(records, "\"Dataset\""));
    CHECK(contains(records, "\"Dataset group\""));
    CHECK(contains(records, "/spending/page/3/#row-1234"));
  }

  TEST_CASE("a total in the first column is shown beside the total row's label, each figure as given, and a cleared spreadsheet row is no row") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\nHome.\n"},
                   {"content/grants/index.md", "---\ntitle: Grants\ntype: dataset\ntotals: [amount]\n---\nGrants paid.\n"},
                   {"content/grants/schema.json", R"json({"fields": [
                      {"name": "amount", "title": "Amount (£)", "type": "number", "groupChar": ",", "bareNumber": false},
                      {"name": "item", "title": "Item", "type": "string"}]})json"},
                   {"content/grants/data.csv", "amount,item,\r\n\"£1,500\",Hall roof,\r\n(£250),Refund,\r\n,,\r\n0.00001,Stamp,\r\n0.004,Pin,\r\n"}});
    site.use_default_theme();
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    ASSERT_FILE_CONTAINS(*output, "grants/index.html", "<tfoot><tr><th scope=\"row\">Total: 1,250.00401</th><td></td></tr></tfoot>");
    // Each figure as given: neither cut to two decimals on the page nor written 1e-05 in the open data.
    ASSERT_FILE_CONTAINS(*output, "grants/index.html", ">0.004</th>");
    ASSERT_FILE_CONTAINS(*output, "grants/index.html", "0.00001</");
    CHECK(contains(output->files.at("data/grants/data.csv"), "amount,item\r\n1500,Hall roof\r\n-250,Refund\r\n0.00001,Stamp\r\n0.004,Pin\r\n"));
  }

  TEST_CASE("a dataset's front matter mistakes are each reported at its own key") {
    TempSite site(
        {{"content/_index.md", "---\ntitle: Home\n---\nHome.\n"},
         {"content/grants/index.md",
          "---\ntitle: Grants\ntype: dataset\ndata: [data.csv]\ngroup_by: [itme]\ntotals: [amout]\ntotal_row: Sum\n---\nGrants.\n"},
         {"content/grants/schema.json", R"json({"fields": [{"name": "item", "type": "string"}, {"name": "amount", "type": "number"}]})json"},
         {"content/grants/data.csv", "item,amount\nRoof,1500\n"}});
    site.use_default_theme();
    CHECK_FALSE(site.generate());
    const auto messages = all_messages(site.diagnostics);
    CHECK(contains(messages, "content/grants/index.md:5:1: error: \"group_by\" names \"itme\", which is no field of schema.json"));
    CHECK(contains(messages, "content/grants/index.md:6:1: error: \"totals\" names \"amout\", which is no field of schema.json"));
    // total_row is checked once the rows are read without an error.
    TempSite rows_read(
        {{"content/_index.md", "---\ntitle: Home\n---\nHome.\n"},
         {"content/grants/index.md", "---\ntitle: Grants\ntype: dataset\n\ntotals: [amount]\ntotal_row: Sum\n---\nGrants.\n"},
         {"content/grants/schema.json", R"json({"fields": [{"name": "item", "type": "string"}, {"name": "amount", "type": "number"}]})json"},
         {"content/grants/data.csv", "item,amount\nRoof,1500\n"}});
    rows_read.use_default_theme();
    CHECK_FALSE(rows_read.generate());
    CHECK(contains(all_messages(rows_read.diagnostics),
                   "content/grants/index.md:6:1: error: \"total_row\" is \"Sum\", and no row's first value is that"));
  }

  TEST_CASE("a dataset's groups are its values as the rows show them, spaces around a name no part of it") {
    TempSite site(
        {{"content/_index.md", "---\ntitle: Home\n---\nHome.\n"},
         {"content/grants/index.md",
          "---\ntitle: Grants\ntype: dataset\ngroup_by: [to, paid, repeat]\ntotals: [amount]\ngroup_pages_from: 2\n---\nGrants.\n"},
         {"content/grants/schema.json", R"json({"fields": [
                      {"name": "to", "type": "string"}, {"name": "paid", "type": "date", "format": "%d/%m/%Y"},
                      {"name": "repeat", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"]},
                      {"name": "amount", "type": "number"}]})json"},
         {"content/grants/data.csv", "to,paid,repeat,amount\nAcme Ltd,01/04/2020,Y,500\nAcme Ltd ,01/04/2020,Y,700\n Acme Ltd,02/04/2020,N,900\n"}});
    site.use_default_theme();
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    const auto& page = output->files.at("grants/index.html");
    // One Acme Ltd of three rows, not three; dates in words and Yes or No, as the rows show them.
    CHECK(contains(page, ">Acme Ltd</a></th><td class=\"number\">3</td><td class=\"number\">2,100</td>"));
    CHECK(contains(page, ">1 April 2020</a></th><td class=\"number\">2</td>"));
    CHECK(contains(page, ">Yes</a></th><td class=\"number\">2</td>"));
    CHECK_FALSE(contains(page, ">2020-04-01<"));
    CHECK_FALSE(contains(page, ">true<"));
    ASSERT_FILE_CONTAINS(*output, "grants/paid/2020-04-01/index.html", "<title>Grants: paid 1 April 2020");
  }

  TEST_CASE("sums of amounts that cancel keep the decimals the rows give, with no rounding noise") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\nHome.\n"},
                   {"content/spend/index.md", "---\ntitle: Spend\ntype: dataset\ngroup_by: [supplier]\ntotals: [amount]\n---\nSpend.\n"},
                   {"content/spend/schema.json", R"json({"fields": [
                      {"name": "supplier", "type": "string"}, {"name": "amount", "type": "number", "groupChar": ","}]})json"},
                   {"content/spend/data.csv", "supplier,amount\nAcme,\"1,234,567.89\"\nAcme,\"-1,234,567.00\"\nBeta,0.25\n"}});
    site.use_default_theme();
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    const auto& page = output->files.at("spend/index.html");
    CHECK(contains(page, ">Acme</th><td class=\"number\">2</td><td class=\"number\">0.89</td>"));
    CHECK(contains(page, "<th scope=\"row\">Total</th><td class=\"number\">1.14</td>"));
    CHECK_FALSE(contains(page, "0.890000"));
  }
}
