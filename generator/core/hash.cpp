// The only file that includes xxhash.h.
#include "core/hash.hpp"

#include <xxhash.h>

#include <fmt/format.h>

namespace plainsight {

std::uint64_t content_hash(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

std::string content_hash_hex(std::string_view bytes) { return fmt::format("{:016x}", content_hash(bytes)); }

}  // namespace plainsight
