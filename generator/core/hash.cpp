// The only file that includes xxhash.h.
#include "core/hash.hpp"

#include <xxhash.h>

#include <new>

#include <fmt/format.h>

namespace plainsight {

std::uint64_t content_hash(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

std::string content_hash_hex(std::string_view bytes) { return fmt::format("{:016x}", content_hash(bytes)); }

struct ContentHasher::State {
  State() : xxh3(XXH3_createState()) {
    if (!xxh3) throw std::bad_alloc();
    XXH3_64bits_reset(xxh3);
  }
  ~State() { XXH3_freeState(xxh3); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  XXH3_state_t* xxh3;
};

ContentHasher::ContentHasher() : state_(std::make_unique<State>()) {}
ContentHasher::~ContentHasher() = default;

void ContentHasher::add(std::string_view bytes) { XXH3_64bits_update(state_->xxh3, bytes.data(), bytes.size()); }

void ContentHasher::add_number(std::uint64_t number) {
  unsigned char bytes[8];
  for (auto& byte : bytes) byte = static_cast<unsigned char>(number), number >>= 8;  // little-endian on every machine
  XXH3_64bits_update(state_->xxh3, bytes, sizeof bytes);
}

std::uint64_t ContentHasher::digest() const { return XXH3_64bits_digest(state_->xxh3); }

}  // namespace plainsight
