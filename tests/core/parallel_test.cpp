#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/parallel.hpp"

using namespace plainsight;

TEST_SUITE("core") {
  TEST_CASE("parallel_for runs every index once and passes on an exception") {
    std::vector<int> seen(1000, 0);
    parallel_for(seen.size(), 3, [&](std::size_t i) { seen[i]++; });
    CHECK(std::count(seen.begin(), seen.end(), 1) == 1000);
    CHECK_THROWS_AS(parallel_for(10, 2,
                                 [](std::size_t i) {
                                   if (i == 7) throw std::runtime_error("x");
                                 }),
                    std::runtime_error);
    // The workers that ran the failed call are free for the next.
    std::atomic<int> after{0};
    parallel_for(100, 3, [&](std::size_t) { after++; });
    CHECK(after == 100);
  }

  TEST_CASE("parallel_for's work runs on other threads than the caller's, and a call inside another finishes") {
    // The first two outer items each wait for the other, so that both are run at once: on the
    // caller's thread and a worker's (for at most ten seconds, then the check fails).
    std::atomic<int> inside{0};
    std::vector<int> seen(4 * 200, 0);
    const auto caller = std::this_thread::get_id();
    std::atomic<bool> other_thread{false};
    parallel_for(4, 2, [&](std::size_t outer) {
      if (std::this_thread::get_id() != caller) other_thread = true;
      if (outer < 2) {
        inside++;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (inside < 2 && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
      }
      parallel_for(200, 4, [&](std::size_t i) { seen[outer * 200 + i]++; });  // each index is one outer item's
    });
    CHECK(inside == 2);
    CHECK(other_thread);
    CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(seen.size()));
  }

  TEST_CASE("parallel_for called from several threads at once runs each call's every index once") {
    std::vector<std::vector<int>> seen(6, std::vector<int>(2000, 0));
    {
      std::vector<std::jthread> callers;
      for (std::size_t c = 0; c < seen.size(); ++c)
        callers.emplace_back([&, c] {
          for (int round = 0; round < 20; ++round) parallel_for(100, 3, [&](std::size_t i) { seen[c][round * 100 + i]++; });
        });
    }
    for (const auto& call : seen) CHECK(std::count(call.begin(), call.end(), 1) == 2000);
  }
}
