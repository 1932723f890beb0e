#include <doctest/doctest.h>

#include "core/hash.hpp"

namespace plainsight {

TEST_CASE("content hashes are XXH3, the same on every run and machine") {
  CHECK(content_hash_hex("") == "2d06800538d394c2");
  CHECK(content_hash("a") != content_hash("b"));
  CHECK(content_hash_hex("plainsight").size() == 16);
}

}  // namespace plainsight

namespace plainsight {

TEST_CASE("a hash made piece by piece is the hash of the pieces joined") {
  ContentHasher hasher;
  hasher.add("plain");
  hasher.add("");
  hasher.add("sight");
  CHECK(hasher.digest() == content_hash("plainsight"));
  ContentHasher numbers;
  numbers.add_number(0x0102030405060708ULL);
  CHECK(numbers.digest() == content_hash(std::string_view("\x08\x07\x06\x05\x04\x03\x02\x01", 8)));
}

}  // namespace plainsight
