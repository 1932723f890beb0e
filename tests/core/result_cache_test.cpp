#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "core/files.hpp"
#include "core/result_cache.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
namespace fs = std::filesystem;

TEST_SUITE("core") {
  TEST_CASE("bytes written are read back, and reading past their end fails instead of reading on") {
    ByteWriter out;
    out.number(0);
    out.number(300);
    out.number(~std::uint64_t{0});
    out.text("");
    out.text("plainsight");
    ByteReader in(out.bytes());
    CHECK(in.number() == 0);
    CHECK(in.number() == 300);
    CHECK(in.number() == ~std::uint64_t{0});
    CHECK(in.text().empty());
    CHECK(in.text() == "plainsight");
    CHECK(in.done());

    ByteWriter long_text;
    long_text.text("a text of some length");
    const auto cut = long_text.bytes().substr(0, 5);
    ByteReader short_read(cut);
    CHECK(short_read.text().empty());
    CHECK(short_read.failed());
    CHECK(short_read.number() == 0);

    const std::string endless(12, '\xff');  // a number whose bytes all say "more follows"
    ByteReader endless_read(endless);
    endless_read.number();
    CHECK(endless_read.failed());
  }

  TEST_CASE("a result cache keeps its entries between builds of the same generator, and no others") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    {
      ResultCache cache(file, "plainsight 1 abc");
      CHECK_FALSE(cache.find(1));
      cache.put(1, "one");
      cache.put(2, std::string(100000, 'x'));
      // Entries around and beyond the size of the buffer the file is written through.
      cache.put(4, std::string((1 << 18) - 30, 'y'));
      cache.put(5, std::string(3 << 20, 'z'));
      cache.put(1, "one again");   // a key is put once
      CHECK_FALSE(cache.find(1));  // what is put is for the next build
      CHECK(fs::exists(site.dir() / "results.new"));
      cache.save();
    }
    {
      ResultCache cache(file, "plainsight 1 abc");
      CHECK(cache.find(1) == "one");
      CHECK(cache.find(2) == std::string(100000, 'x'));
      CHECK(cache.find(4) == std::string((1 << 18) - 30, 'y'));
      CHECK(cache.find(5) == std::string(3 << 20, 'z'));
      CHECK_FALSE(cache.find(3));
      cache.put(3, "three");
      cache.put(6, std::string(2 << 20, 'w'));
      cache.save();
    }
    CHECK_FALSE(fs::exists(site.dir() / "results.new"));
    {
      ResultCache again(file, "plainsight 1 abc");
      CHECK(again.find(3) == "three");
      CHECK(again.find(6) == std::string(2 << 20, 'w'));
      CHECK(again.find(1) == "one");
      CHECK(again.find(5) == std::string(3 << 20, 'z'));
    }
    ResultCache other_generator(file, "plainsight 1 def");
    CHECK_FALSE(other_generator.find(1));
  }

  TEST_CASE("an entry written partly in place is put and found as the same bytes written whole") {
    // The open data's entry is put from the datasets' own bytes (ByteWriter::text_in_place),
    // not copied into one string: what is kept and read back must not change.
    const std::string large(3 << 20, 'L'), small = "small", other_large(70000, 'O');
    auto write = [&](ByteWriter& out, bool in_place) {
      out.number(3);
      for (const auto* text : {&large, &small, &other_large}) {
        in_place ? out.text_in_place(*text) : out.text(*text);
        out.number(text->size() % 7);
      }
    };
    ByteWriter whole, pieces;
    write(whole, false);
    write(pieces, true);
    CHECK(pieces.pieces().size() == 5);  // its own, the large text, its own, the other, its own
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    {
      ResultCache cache(file, "plainsight 1 abc");
      cache.put(1, pieces);
      cache.save();
    }
    ResultCache cache(file, "plainsight 1 abc");
    CHECK(cache.find(1) == whole.bytes());   // and its checksum held
    CHECK(pieces.bytes() == whole.bytes());  // joined when asked for as one string
    CHECK(pieces.pieces().size() == 1);
  }

  TEST_CASE("a damaged or cut short result cache gives up only the entries it damaged") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    {
      ResultCache cache(file, "g");
      cache.put(1, "first entry");
      cache.save();
    }
    {
      ResultCache cache(file, "g");
      CHECK(cache.find(1));
      cache.put(2, "second entry");
      cache.save();  // appended after the first
    }
    auto bytes = *read_file(file);
    const auto second = bytes.find("second entry");
    REQUIRE(second != std::string::npos);

    SUBCASE("a changed byte") {
      bytes[second] = 'S';
      write_file(file, bytes);
      ResultCache cache(file, "g");
      CHECK(cache.find(1) == "first entry");
      CHECK_FALSE(cache.find(2));
    }
    SUBCASE("a save that stopped half way") {
      write_file(file, bytes.substr(0, second + 3));
      {
        ResultCache cache(file, "g");
        CHECK(cache.find(1) == "first entry");
        CHECK_FALSE(cache.find(2));
        cache.put(3, "third");
        cache.save();  // written whole again, not appended after the broken entry
      }
      ResultCache saved(file, "g");
      CHECK(saved.find(1) == "first entry");
      CHECK(saved.find(3) == "third");
    }
    SUBCASE("a file that is not a cache") {
      write_file(file, "something else entirely");
      {
        ResultCache cache(file, "g");
        CHECK_FALSE(cache.find(1));
        cache.put(1, "made again");
        cache.save();
      }
      CHECK(ResultCache(file, "g").find(1) == "made again");
    }
  }

  TEST_CASE("a result cache drops what builds no longer ask for once that is most of it") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    {
      ResultCache cache(file, "g");
      for (std::uint64_t key = 1; key <= 10; ++key) cache.put(key, "entry " + std::to_string(key));
      cache.save();
    }
    {
      ResultCache cache(file, "g");
      for (std::uint64_t key = 1; key <= 6; ++key) CHECK(cache.find(key));
      cache.put(11, "entry 11");
      cache.save();  // 6 of 10 asked for: appended, the rest kept
    }
    {
      ResultCache cache(file, "g");
      CHECK(cache.find(10));
      CHECK(cache.find(11));
      CHECK(cache.find(1));
      cache.save();  // 3 of 11 asked for: rewritten with those 3
    }
    ResultCache compacted(file, "g");
    CHECK(compacted.find(1));
    CHECK(compacted.find(11));
    CHECK_FALSE(compacted.find(2));
    CHECK_FALSE(compacted.find(9));
  }
}

TEST_SUITE("core") {
  TEST_CASE("an entry that no longer holds is put again and found by the next build") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    {
      ResultCache cache(file, "g");
      cache.put(1, "first value");
      cache.save();
    }
    auto bytes = *read_file(file);
    bytes[bytes.find("first value")] = 'F';
    write_file(file, bytes);
    {
      ResultCache cache(file, "g");
      REQUIRE_FALSE(cache.find(1));
      cache.put(1, "made again");
      cache.save();
    }
    CHECK(ResultCache(file, "g").find(1) == "made again");
  }

  TEST_CASE("a second build using the same kept results at once keeps nothing, and a pipe there is not waited on") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    {
      ResultCache cache(file, "g");
      cache.put(1, "one");
      cache.save();
    }
    {
      ResultCache first(file, "g");
      ResultCache second(file, "g");
      CHECK(first.find(1) == "one");
      CHECK_FALSE(second.find(1));
      second.put(2, "two");
      second.save();
    }
    CHECK_FALSE(ResultCache(file, "g").find(2));

    const auto pipe = site.dir() / "pipe";
    REQUIRE(::mkfifo(pipe.c_str(), 0644) == 0);
    ResultCache on_pipe(pipe, "g");  // would block for ever in open() without O_NONBLOCK
    CHECK_FALSE(on_pipe.find(1));
  }
}
