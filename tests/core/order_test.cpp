#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/order.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("move_into_order puts each item where the order says, whatever the cycles of the permutation") {
    std::mt19937 random(7);
    for (std::size_t size : {0, 1, 2, 3, 10, 257}) {
      std::vector<std::size_t> order(size);
      std::iota(order.begin(), order.end(), 0);
      for (int round = 0; round < 20; ++round) {
        std::shuffle(order.begin(), order.end(), random);
        // Move-only items, so a copy could not pass for a move.
        std::vector<std::unique_ptr<std::string>> items;
        for (std::size_t i = 0; i < size; ++i) items.push_back(std::make_unique<std::string>("item " + std::to_string(i)));
        move_into_order(items, order);
        for (std::size_t k = 0; k < size; ++k) {
          REQUIRE(items[k]);
          CHECK(*items[k] == "item " + std::to_string(order[k]));
        }
      }
    }
  }
}
