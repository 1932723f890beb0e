#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace plainsight {

/// A fast 64-bit hash of bytes (XXH3), stable across runs and machines: for ETags and for
/// telling whether an input changed.
std::uint64_t content_hash(std::string_view bytes);

/// The same hash as 16 lower-case hex digits.
std::string content_hash_hex(std::string_view bytes);

}  // namespace plainsight
