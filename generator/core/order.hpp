#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace plainsight {

/// Puts `items` in `order` (order[k]: the index of the item that belongs at k, each index once),
/// moving each item at most once and in place: the items of a build are large, and a second
/// vector of them would be fresh memory to fault in.
template <typename T>
void move_into_order(std::vector<T>& items, const std::vector<std::size_t>& order) {
  std::vector<char> placed(items.size());
  for (std::size_t start = 0; start < items.size(); ++start) {
    if (placed[start] || order[start] == start) continue;
    T held = std::move(items[start]);  // each cycle of the permutation: the item that belongs at a place moves into it in turn
    auto at = start;
    for (auto from = order[at]; from != start; from = order[at]) {
      items[at] = std::move(items[from]);
      placed[at] = true;
      at = from;
    }
    items[at] = std::move(held);
    placed[at] = true;
  }
}

}  // namespace plainsight
