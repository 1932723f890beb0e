#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace plainsight {

/// A fast 64-bit hash of bytes (XXH3), stable across runs and machines: for ETags and for
/// telling whether an input changed.
std::uint64_t content_hash(std::string_view bytes);

/// An unordered map with text keys that finds them by std::string_view, without making a
/// std::string for each look-up.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
template <typename Value>
using TextMap = std::unordered_map<std::string, Value, TextHash, std::equal_to<>>;

/// The same hash as 16 lower-case hex digits.
std::string content_hash_hex(std::string_view bytes);

/// content_hash of several pieces taken as one, without first joining them.
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  void add(std::string_view bytes);
  /// A number, as its 8 bytes.
  void add_number(std::uint64_t number);
  [[nodiscard]] std::uint64_t digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace plainsight
