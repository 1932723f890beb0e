#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace plainsight {

/// A fast 64-bit hash of bytes (XXH3), stable across runs and machines: for ETags and for
/// telling whether an input changed.
std::uint64_t content_hash(std::string_view bytes);

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
