#include <doctest/doctest.h>

#include "core/csv.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("CSV: quotes, doubled quotes, embedded commas and line breaks, BOM and CRLF") {
    Diagnostics diagnostics;
    const auto table =
        parse_csv("\xEF\xBB\xBFtitle,value\r\n\"Gas, electricity\",\"£1,500,000.00\"\r\n\"Say \"\"hi\"\"\",2\r\n\"two\r\nlines\",3\r\n\r\n", "p.csv",
                  diagnostics);
    REQUIRE_MESSAGE(table, testing::all_messages(diagnostics));
    CHECK(table->header == std::vector<std::string>{"title", "value"});
    REQUIRE(table->rows.size() == 3);
    CHECK(table->rows[0][0].text == "Gas, electricity");
    CHECK(table->rows[0][1].text == "£1,500,000.00");
    CHECK(table->rows[1][0].text == "Say \"hi\"");
    CHECK(table->rows[2][0].text == "two\r\nlines");
    CHECK(table->row_lines == std::vector<int>{2, 3, 4});
    CHECK(table->rows[1][1].column == 14);
    CHECK(table->column("VALUE") == 1);
  }

  TEST_CASE("CSV: a last line without a newline, and LF endings") {
    Diagnostics diagnostics;
    const auto table = parse_csv("a,b\n1,2\n3,4", "p.csv", diagnostics);
    REQUIRE(table);
    CHECK(table->rows.size() == 2);
    CHECK(table->rows[1][1].text == "4");
  }

  TEST_CASE("CSV: a heading named twice, in any case or spacing, is an error at the second") {
    Diagnostics diagnostics;
    CHECK_FALSE(parse_csv("title,value,\" Title \",start,Value\nA,1,B,x,2\n", "content/p/pipeline.csv", diagnostics));
    const auto text = testing::all_messages(diagnostics);
    CAPTURE(text);
    CHECK(
        text.find("content/p/pipeline.csv:1:13: error: the header names \"Title\" twice (first at column 1); rename or remove one of the columns") !=
        std::string::npos);
    CHECK(text.find("content/p/pipeline.csv:1:29: error: the header names \"Value\" twice (first at column 7)") != std::string::npos);
    CHECK(diagnostics.error_count() == 2);
    diagnostics.clear();
    CHECK(parse_csv("a,,\n1,,\n", "p.csv", diagnostics));  // empty headings name nothing, so they cannot clash
  }

  TEST_CASE("CSV errors name the line and column") {
    Diagnostics diagnostics;
    CHECK_FALSE(parse_csv("a,b\n1,2,3\n4\n", "p.csv", diagnostics));
    auto text = testing::all_messages(diagnostics);
    CHECK(text.find("p.csv:2:1: error: row has 3 cells, but the header has 2 columns") != std::string::npos);
    CHECK(text.find("p.csv:3:1: error: row has 1 cells, but the header has 2 columns") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_csv("a,b\n1,\"open\n", "p.csv", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("p.csv:2:3: error: this quoted field never closes") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_csv("a,b\n\"x\"y,2\n", "p.csv", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("p.csv:2:4: error: unexpected text after a closing quote") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_csv("", "p.csv", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("empty file") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_csv("a\n\xff\n", "p.csv", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("p.csv:2:1: error: invalid UTF-8") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_csv(std::string_view("a,b\n1,x\0y\n", 11), "p.csv", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("p.csv:2:4: error: a NUL byte") != std::string::npos);
  }

  TEST_CASE("CSV: a stray trailing comma is harmless") {
    Diagnostics diagnostics;
    const auto table = parse_csv("a,b\n1,2,\n", "p.csv", diagnostics);
    REQUIRE(table);
    CHECK(table->rows[0].size() == 2);
  }

  TEST_CASE("CSV: a spreadsheet's cleared rows and a stray comma on every line, header too, are no data") {
    Diagnostics diagnostics;
    const auto table = parse_csv("a,b,\r\n1,2,\r\n,,\r\n , ,\r\n3,4,\r\n,,\r\n", "p.csv", diagnostics);
    REQUIRE_MESSAGE(table, testing::all_messages(diagnostics));
    CHECK(table->header == std::vector<std::string>{"a", "b"});
    REQUIRE(table->rows.size() == 2);
    CHECK(table->rows[1][0].text == "3");
    CHECK(table->row_lines == std::vector<int>{2, 5});
    // An unnamed last column with something in it stays, for the reader to name the cell.
    const auto kept = parse_csv("a,b,\n1,2,x\n", "p.csv", diagnostics);
    REQUIRE(kept);
    CHECK(kept->header.size() == 3);
    // A row of empty quoted cells is cleared too; one cell with a value is a row.
    const auto quoted = parse_csv("a,b\n\"\",\"\"\n,x\n", "p.csv", diagnostics);
    REQUIRE(quoted);
    REQUIRE(quoted->rows.size() == 1);
    CHECK(quoted->row_lines[0] == 3);
  }

  TEST_CASE("CSV: lines ended by a lone carriage return, as the old Mac format saves them, are lines") {
    Diagnostics diagnostics;
    const auto table = parse_csv("id,label\rq1,\"Jun\r2022\"\rq2,Sep\r", "p.csv", diagnostics);
    REQUIRE_MESSAGE(table, testing::all_messages(diagnostics));
    REQUIRE(table->rows.size() == 2);
    CHECK(table->rows[0][1].text == "Jun\r2022");  // inside quotes, kept as written
    CHECK(table->rows[1][1].text == "Sep");
    CHECK(table->row_lines == std::vector<int>{2, 4});  // the quoted \r ended line 2
    // \r\r\n, as Python's csv module writes through a Windows text stream, ends one line.
    const auto doubled = parse_csv("a,b\r\r\n1,2\r\r\n3,x\r\r\n", "p.csv", diagnostics);
    REQUIRE(doubled);
    CHECK(doubled->row_lines == std::vector<int>{2, 3});
    CHECK(doubled->rows[1][1].text == "x");
  }
}
