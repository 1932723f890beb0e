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

  TEST_CASE("parse_json finds every value's place in one pass over the text") {
    // Each value's line and column was counted from the start of the text, and each key
    // compared with every key before it: 80,000 numbers took 11.8 s, these would take minutes.
    std::string numbers = "[";
    for (int i = 0; i < 400000; ++i) numbers += (i ? ", " : "") + std::to_string(i);
    numbers += "]";
    Diagnostics diagnostics;
    auto source = parse_json(numbers, "numbers.json", diagnostics);
    REQUIRE(source);
    CHECK(source->at("/399999").line == 1);
    CHECK(source->at("/399999").column == static_cast<int>(numbers.size()) - 6);

    std::string object = "{\n";
    for (int i = 0; i < 100000; ++i) object += "  \"k" + std::to_string(i) + "\": \"é\\u00e9\",\n";
    object += "  \"k5\": 1,\n  \"k99999\": 2\n}";
    source = parse_json(object, "keys.json", diagnostics);
    REQUIRE(source);
    CHECK(source->at("/k99998").line == 100000);
    CHECK(source->at("/k99998").column == 13);
    CHECK(testing::all_messages(diagnostics) ==
          "keys.json:100002:3: error: duplicate key \"k5\" (each key may appear once in an object; the earlier value would be lost)\n"
          "keys.json:100003:3: error: duplicate key \"k99999\" (each key may appear once in an object; the earlier value would be lost)\n");
    CHECK(source->value["k7"] == "éé");
  }
}

TEST_SUITE("core") {
  TEST_CASE("a byte of a JSON string's value is placed where the file shows it, escapes and all") {
    const std::string text = "{\n  \"a\": \"caf\u00e9 \\\"x\\\" \\u00e9\\ud83d\\ude00 [l](/p/)\\nnext\"\n}";
    const auto starts = line_starts(text);
    CHECK(starts == std::vector<std::size_t>{0, 2, text.size() - 1});
    const SourceLocation where{"f.json", 2, 8};  // the opening quote, as parse_json records it
    const auto literal = json_string_literal_at(text, starts, where);
    REQUIRE(literal.starts_with("\"caf"));
    REQUIRE(literal.ends_with("next\""));
    Diagnostics diagnostics;
    const auto value = parse_json(text, "f.json", diagnostics)->value["a"].get<std::string>();
    auto column_of = [&](std::string_view part) { return json_string_location(where, literal, value.find(part)).column; };
    auto file_column_of = [&](std::string_view part) {
      const auto line = text.substr(starts[1]);
      int column = 1;
      for (std::size_t i = 0; i < line.find(part); ++i) column += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
      return column;
    };
    CHECK(column_of("caf") == file_column_of("caf"));
    CHECK(column_of("\"x") == file_column_of("\\\"x"));  // after é, two bytes and one character
    CHECK(column_of("[l]") == file_column_of("[l]"));    // after \" \u00e9 and a surrogate pair
    CHECK(column_of("next") == file_column_of("next"));  // after \n, still on the string's line
    CHECK(json_string_location(where, literal, 0).line == 2);
    CHECK(json_string_literal_at(text, starts, {"f.json", 2, 3}) == "\"a\"");
    CHECK(json_string_literal_at(text, starts, {"f.json", 1, 1}).empty());  // a brace, not a string
    CHECK(json_string_literal_at(text, starts, {"f.json", 9, 1}).empty());  // no such line
  }
}
