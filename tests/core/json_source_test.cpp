#include <doctest/doctest.h>

#include "core/json_source.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("parse_json remembers where every value is") {
    Diagnostics diagnostics;
    const auto source = parse_json("{\n  \"a\": [1, {\"b/c\": \"x\"}],\n  \"d\": true\n}", "f.json", diagnostics);
    REQUIRE(source);
    CHECK(!diagnostics.has_errors());
    CHECK(source->at("/a").line == 2);
    CHECK(source->at("/a").column == 8);
    CHECK(source->at("/a/1/b~1c").column == 20);
    CHECK(source->at("/d").line == 3);
    CHECK(source->at("/a/1/missing").column == 12);  // falls back to the parent object
  }

  TEST_CASE("parse_json reports syntax errors with line and column") {
    Diagnostics diagnostics;
    CHECK_FALSE(parse_json("{\n  \"a\": 1,\n}", "f.json", diagnostics));
    const auto text = testing::all_messages(diagnostics);
    CHECK(text.starts_with("f.json:3:1: error: invalid JSON: "));
  }

  TEST_CASE("parse_json rejects duplicate keys, deep nesting, bad UTF-8 and empty files") {
    Diagnostics diagnostics;
    CHECK(parse_json("{\"a\": 1, \"a\": 2}", "dup.json", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("dup.json:1:10: error: duplicate key \"a\"") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_json(std::string(10000, '[') + std::string(10000, ']'), "deep.json", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("deep.json:1:257: error: JSON nested more than 256 levels deep") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_json("{\"a\": \"\xff\"}", "bad.json", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("bad.json:1:8: error: invalid UTF-8") != std::string::npos);
    diagnostics.clear();
    CHECK_FALSE(parse_json("  \n", "empty.json", diagnostics));
    CHECK(testing::all_messages(diagnostics).find("empty.json:1:1: error: empty file") != std::string::npos);
  }

  TEST_CASE("parse_json accepts a byte order mark") {
    Diagnostics diagnostics;
    const auto source = parse_json("\xEF\xBB\xBF{\"a\": 1}", "bom.json", diagnostics);
    REQUIRE(source);
    CHECK(source->value["a"] == 1);
  }
}
