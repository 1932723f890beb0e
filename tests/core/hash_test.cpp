#include <doctest/doctest.h>

#include "core/hash.hpp"

namespace plainsight {

TEST_CASE("content hashes are XXH3, the same on every run and machine") {
  CHECK(content_hash_hex("") == "2d06800538d394c2");
  CHECK(content_hash("a") != content_hash("b"));
  CHECK(content_hash_hex("plainsight").size() == 16);
}

}  // namespace plainsight
