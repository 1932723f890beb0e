#include <doctest/doctest.h>

#include "core/diagnostics.hpp"
#include "core/json_source.hpp"
#include "core/parallel.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("diagnostics are formatted as path:line:column: severity: message") {
    CHECK(format_diagnostic({Severity::error, {"content/a.md", 3, 7}, "bad"}) == "content/a.md:3:7: error: bad");
    CHECK(format_diagnostic({Severity::warning, {"site.json"}, "odd"}) == "site.json: warning: odd");
    CHECK(format_diagnostic({Severity::error, {}, "general"}) == "error: general");
  }

  TEST_CASE("diagnostics from many threads are all kept, sorted and counted") {
    Diagnostics diagnostics;
    parallel_for(100, 4, [&](std::size_t i) {
      if (i % 2)
        diagnostics.error({"f", static_cast<int>(i), 1}, "e");
      else
        diagnostics.warning({"f", static_cast<int>(i), 1}, "w");
    });
    CHECK(diagnostics.error_count() == 50);
    CHECK(diagnostics.warning_count() == 50);
    const auto sorted = diagnostics.sorted();
    CHECK(sorted.front().where.line == 0);
    CHECK(sorted.back().where.line == 99);
  }

  TEST_CASE("the same problem at the same place, from many threads, is kept and counted once") {
    // A layout that fails fails for every page that uses it: "3 errors" must be the three shown.
    Diagnostics diagnostics;
    parallel_for(300, 4, [&](std::size_t i) {
      diagnostics.error({"t.mustache"}, "not a valid template");
      diagnostics.error({"t.mustache", 1, static_cast<int>(i % 2)}, "not a valid template");  // another place
      diagnostics.warning({"t.mustache"}, "not a valid template");                            // another severity
      diagnostics.error({"t.mustache"}, "page " + std::to_string(i % 3));                     // another problem
    });
    CHECK(diagnostics.error_count() == 6);
    CHECK(diagnostics.warning_count() == 1);
    const auto sorted = diagnostics.sorted();
    REQUIRE(sorted.size() == 7);
    CHECK(sorted[0].severity == Severity::warning);  // the same place and words: in one order, whichever came first
    CHECK(sorted[1].severity == Severity::error);
    diagnostics.clear();
    diagnostics.error({"t.mustache"}, "not a valid template");
    CHECK(diagnostics.error_count() == 1);
  }
}

TEST_SUITE("core") {
  TEST_CASE("a line is quoted the same found from the file's line starts, as print_diagnostics finds each of thousands") {
    const std::string text = "a,b\r\nfirst,one\n\nthird,\tthree\nlast";
    const auto starts = line_starts(text);
    for (int line = 0; line <= 6; ++line)
      for (int column = 0; column <= 8; ++column) {
        const SourceLocation where{"f", line, column};
        CAPTURE(line);
        CAPTURE(column);
        CHECK(quote_source_line(text, starts, where) == quote_source_line(text, where));
      }
    CHECK(quote_source_line(text, starts, {"f", 4, 7}) == "    4 | third,\tthree\n      |       ^\n");
    CHECK(quote_source_line(text, starts, {"f", 6, 1}).empty());  // past the last line
  }

  TEST_CASE("a problem's line is quoted with a caret under its column, tabs kept, long lines cut around it") {
    using plainsight::quote_source_line;
    CHECK(quote_source_line("a\ntitle: Crèche: x\n", {"f", 2, 15}) == "    2 | title: Crèche: x\n      |               ^\n");
    CHECK(quote_source_line("\tkey: x\r\n", {"f", 1, 7}) == "    1 | \tkey: x\n      | \t     ^\n");
    CHECK(quote_source_line("one\n", {"f", 5, 1}).empty());  // no such line
    CHECK(quote_source_line("one\n", {"f", 1, 0}) == "    1 | one\n");
    CHECK(quote_source_line("a\x1b"
                            "b\n",
                            {"f", 1, 3}) == "    1 | a\\x1Bb\n      |      ^\n");
    const auto quoted = quote_source_line(std::string(1000, 'x') + "!" + std::string(1000, 'y'), {"f", 1, 1001});
    CHECK(quoted.size() < 500);
    CHECK(quoted.find("…" + std::string(100, 'x') + "!" + std::string(99, 'y') + "…") != std::string::npos);
    const auto caret = quoted.substr(quoted.find('\n') + 1);
    CHECK(caret == "      |  " + std::string(100, ' ') + "^\n");
  }

  TEST_CASE("colour marks the place and the severity, and only when asked") {
    const plainsight::Diagnostic problem{plainsight::Severity::error, {"content/a.md", 3, 1}, "bad"};
    CHECK(plainsight::format_diagnostic(problem) == "content/a.md:3:1: error: bad");
    CHECK(plainsight::format_diagnostic(problem, true) == "\033[1mcontent/a.md:3:1:\033[0m \033[1;31merror:\033[0m bad");
  }
}
