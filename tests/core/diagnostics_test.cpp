#include <doctest/doctest.h>

#include "core/diagnostics.hpp"
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
      if (i % 2) diagnostics.error({"f", static_cast<int>(i), 1}, "e");
      else diagnostics.warning({"f", static_cast<int>(i), 1}, "w");
    });
    CHECK(diagnostics.error_count() == 50);
    CHECK(diagnostics.warning_count() == 50);
    const auto sorted = diagnostics.sorted();
    CHECK(sorted.front().where.line == 0);
    CHECK(sorted.back().where.line == 99);
  }

  TEST_CASE("parallel_for runs every index once and passes on an exception") {
    std::vector<int> seen(1000, 0);
    parallel_for(seen.size(), 3, [&](std::size_t i) { seen[i]++; });
    CHECK(std::count(seen.begin(), seen.end(), 1) == 1000);
    CHECK_THROWS_AS(parallel_for(10, 2, [](std::size_t i) { if (i == 7) throw std::runtime_error("x"); }), std::runtime_error);
  }
}
