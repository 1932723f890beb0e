#include "core/result_cache.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/hash.hpp"

namespace plainsight {
namespace {

constexpr std::string_view format_line = "plainsight result cache 2\n";

void append_fixed(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i, value >>= 8) out += static_cast<char>(value & 0xFF);
}

std::uint64_t read_fixed(std::string_view bytes, std::size_t at, int count) {
  std::uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = value << 8 | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

/// An entry as the file holds it: key, checksum and length (8, 8 and 4 bytes), then the bytes.
constexpr std::size_t entry_header = 20;

/// The checksum of an entry's key and bytes together: bytes moved under another key fail it.
/// The bytes may come in pieces, in order: the checksum is that of the whole.
std::uint64_t entry_checksum(std::uint64_t key, std::span<const std::string_view> pieces) {
  ContentHasher hasher;
  hasher.add_number(key);
  for (const auto piece : pieces) hasher.add(piece);
  return hasher.digest();
}

}  // namespace

void ByteWriter::number(std::uint64_t value) {
  while (value >= 0x80) {
    bytes_ += static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  bytes_ += static_cast<char>(value);
}

void ByteWriter::text(std::string_view value) {
  number(value.size());
  bytes_ += value;
}

void ByteWriter::text_in_place(std::string_view value) {
  if (value.size() < 4096) return text(value);  // not worth a piece of its own
  number(value.size());
  in_place_.emplace_back(bytes_.size(), value);
}

std::string& ByteWriter::bytes() {
  if (!in_place_.empty()) {
    std::string joined;
    for (const auto piece : pieces()) joined += piece;
    bytes_ = std::move(joined);
    in_place_.clear();
  }
  return bytes_;
}

std::vector<std::string_view> ByteWriter::pieces() const {
  std::vector<std::string_view> pieces;
  std::size_t own = 0;
  for (const auto& [before, value] : in_place_) {
    pieces.push_back(std::string_view(bytes_).substr(own, before - own));
    pieces.push_back(value);
    own = before;
  }
  pieces.push_back(std::string_view(bytes_).substr(own));
  return pieces;
}

std::uint64_t ByteReader::number() {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (bytes_.empty()) break;
    const auto byte = static_cast<unsigned char>(bytes_.front());
    bytes_.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return value;
  }
  failed_ = true;
  bytes_ = {};
  return 0;
}

std::string_view ByteReader::text() {
  const auto length = number();
  if (failed_ || length > bytes_.size()) {
    failed_ = true;
    bytes_ = {};
    return {};
  }
  const auto value = bytes_.substr(0, length);
  bytes_.remove_prefix(length);
  return value;
}

void write_location(ByteWriter& out, const SourceLocation& where) {
  out.text(where.file);
  out.number(static_cast<std::uint64_t>(where.line));
  out.number(static_cast<std::uint64_t>(where.column));
}

SourceLocation read_location(ByteReader& in) {
  SourceLocation where;
  where.file = in.text();
  where.line = static_cast<int>(in.number());
  where.column = static_cast<int>(in.number());
  return where;
}

void write_diagnostics(ByteWriter& out, const std::vector<Diagnostic>& diagnostics) {
  out.number(diagnostics.size());
  for (const auto& diagnostic : diagnostics) {
    out.number(diagnostic.severity == Severity::error);
    write_location(out, diagnostic.where);
    out.text(diagnostic.message);
    out.number(diagnostic.notes.size());
    for (const auto& note : diagnostic.notes) {
      write_location(out, note.where);
      out.text(note.message);
    }
  }
}

std::vector<Diagnostic> read_diagnostics(ByteReader& in) {
  std::vector<Diagnostic> diagnostics;
  for (auto count = in.number(); count > 0 && !in.failed(); --count) {
    Diagnostic diagnostic;
    diagnostic.severity = in.number() ? Severity::error : Severity::warning;
    diagnostic.where = read_location(in);
    diagnostic.message = in.text();
    for (auto notes = in.number(); notes > 0 && !in.failed(); --notes) {
      auto where = read_location(in);
      diagnostic.notes.push_back({std::move(where), std::string(in.text())});
    }
    diagnostics.push_back(std::move(diagnostic));
  }
  return diagnostics;
}

namespace {

/// Writes entries to a file a buffer at a time, never through a link: the cache is as large as
/// the site's HTML, too large to hold whole in memory while it is written.
class EntryFile {
 public:
  EntryFile(const std::filesystem::path& path, int flags) : file_(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | flags, 0644)) {}
  ~EntryFile() {
    if (file_ >= 0) ::close(file_);
  }
  EntryFile(const EntryFile&) = delete;
  EntryFile& operator=(const EntryFile&) = delete;

  void add(std::string_view bytes) {
    if (buffer_.size() + bytes.size() < buffer_size) {
      buffer_ += bytes;
      return;
    }
    flush();
    if (bytes.size() < buffer_size)
      buffer_ = bytes;
    else
      write(bytes);  // a large entry as it is, not copied into a buffer that would stay that large
  }
  void add_entry(std::uint64_t key, std::uint64_t checksum, std::span<const std::string_view> pieces) {
    std::size_t size = 0;
    for (const auto piece : pieces) size += piece.size();
    std::string header;
    append_fixed(header, key, 8);
    append_fixed(header, checksum, 8);
    append_fixed(header, size, 4);
    add(header);
    for (const auto piece : pieces) add(piece);
  }
  /// Whether everything added reached the file.
  bool finish() {
    flush();
    return file_ >= 0 && ok_;
  }

 private:
  static constexpr std::size_t buffer_size = 1 << 18;  ///< held through the build: a quarter of a MB writes as fast as a MB

  void flush() {
    write(buffer_);
    buffer_.clear();
  }
  void write(std::string_view left) {
    while (file_ >= 0 && ok_ && !left.empty()) {
      const auto written = ::write(file_, left.data(), left.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0)
        ok_ = false;
      else
        left.remove_prefix(static_cast<std::size_t>(written));
    }
  }
  int file_;
  bool ok_ = true;
  std::string buffer_;
};

/// Whether an open file is on a file system of this machine's own (tmpfs, ext4, XFS, Btrfs),
/// whose pages, once let go of, are read again from a disk that answers: a mapped page that a
/// network or FUSE file system fails to read stops the process where read() would fail.
bool on_local_file_system(int descriptor) {
  struct statfs info {};
  if (::fstatfs(descriptor, &info) != 0) return false;
  const auto type = static_cast<unsigned long>(info.f_type);
  return type == TMPFS_MAGIC || type == EXT4_SUPER_MAGIC || type == XFS_SUPER_MAGIC || type == BTRFS_SUPER_MAGIC;
}

/// A plain file's bytes, never read through a link (like the rest of the build state), never
/// waiting on a pipe, and nothing when they do not fit in memory.
std::optional<std::string> read_plain_bytes(const std::filesystem::path& path) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (descriptor < 0) return std::nullopt;
  std::optional<std::string> bytes;
  struct stat info {};
  try {
    if (::fstat(descriptor, &info) == 0 && S_ISREG(info.st_mode)) {
      bytes.emplace(static_cast<std::size_t>(info.st_size), '\0');
      std::size_t filled = 0;
      while (filled < bytes->size()) {
        const auto got = ::read(descriptor, bytes->data() + filled, bytes->size() - filled);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        filled += static_cast<std::size_t>(got);
      }
      bytes->resize(filled);
    }
  } catch (const std::exception&) {  // larger than memory: a damaged cache, read as none
    bytes.reset();
  }
  ::close(descriptor);
  return bytes;
}

}  // namespace

struct ResultCache::State {
  std::filesystem::path file;
  std::filesystem::path new_entries_file;  ///< what this build put, written as it goes
  std::string header;
  /// The file as mapped into memory from a local file system (elsewhere, as read into `copy`):
  /// mapped, it costs no copy, and its pages are those the kernel already holds. The bytes mapped
  /// do not change: the lock keeps other builds out, and save() only appends or renames (another
  /// program cutting the file short during a build would stop it; see docs/security.md).
  std::string_view loaded;
  void* mapped = nullptr;
  std::size_t mapped_size = 0;
  std::string copy;
  std::size_t valid_end = 0;  ///< where its readable entries end
  struct Entry {
    std::size_t at = 0;  ///< of the entry's header in `loaded`
    std::size_t size = 0;
    std::uint64_t checksum = 0;
  };
  std::unordered_map<std::uint64_t, std::size_t> index;  ///< key → number in `entries`
  std::vector<Entry> entries;
  std::unique_ptr<std::atomic<bool>[]> found;
  int lock = -1;        ///< `file`.lock, held while this build uses the cache
  bool usable = false;  ///< false while another build holds the lock: this one then keeps nothing
  std::thread reader;   ///< reads the file while the build starts; joined before the first use
  std::once_flag read_flag;
  std::mutex put_mutex;
  std::unordered_set<std::uint64_t> put_keys;
  std::optional<EntryFile> new_entries;

  void map_or_read() {
    const int descriptor = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (descriptor < 0) return;
    struct stat info {};
    if (::fstat(descriptor, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0 && on_local_file_system(descriptor)) {
      mapped_size = static_cast<std::size_t>(info.st_size);
      mapped = ::mmap(nullptr, mapped_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0);
      if (mapped == MAP_FAILED) mapped = nullptr;
    }
    ::close(descriptor);
    if (mapped) {
      loaded = std::string_view(static_cast<const char*>(mapped), mapped_size);
    } else if (auto bytes = read_plain_bytes(file)) {
      copy = std::move(*bytes);
      loaded = copy;
    }
  }

  /// Lets go of the file's bytes: none of them are found after this.
  void forget_file() {
    if (mapped) ::munmap(mapped, mapped_size);
    mapped = nullptr;
    std::string().swap(copy);
    loaded = {};
  }

  void read() {
    map_or_read();
    if (!loaded.starts_with(header)) {  // another generator's, or damaged: nothing in it is used
      forget_file();
      return;
    }
    index.reserve(loaded.size() / 256);  // entries are a few hundred bytes or more
    std::size_t at = header.size();
    while (at + entry_header <= loaded.size()) {
      const Entry entry{at, static_cast<std::size_t>(read_fixed(loaded, at + 16, 4)), read_fixed(loaded, at + 8, 8)};
      if (entry.size > loaded.size() - at - entry_header) break;  // cut short: a save that did not finish
      index[read_fixed(loaded, at, 8)] = entries.size();          // a later entry under a key replaces a damaged one
      entries.push_back(entry);
      at += entry_header + entry.size;
    }
    valid_end = at;
    found = std::make_unique<std::atomic<bool>[]>(entries.size());
  }

  /// Waits for the file to be read.
  void wait_for_read() {
    std::call_once(read_flag, [this] {
      if (reader.joinable()) reader.join();
    });
  }

  [[nodiscard]] std::string_view bytes_of(const Entry& entry) const { return loaded.substr(entry.at + entry_header, entry.size); }
};

ResultCache::ResultCache(std::filesystem::path file, std::string_view generator) : state_(std::make_unique<State>()) {
  state_->file = std::move(file);
  state_->new_entries_file = state_->file;
  state_->new_entries_file += ".new";
  state_->header = std::string(format_line) + std::string(generator) + '\n';
  // Two builds into one output folder at once would write each other's entries: the second
  // goes without a cache.
  auto lock_file = state_->file;
  lock_file += ".lock";
  state_->lock = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
  state_->usable = state_->lock >= 0 && ::flock(state_->lock, LOCK_EX | LOCK_NB) == 0;
  if (state_->usable) state_->reader = std::thread([state = state_.get()] { state->read(); });
}

ResultCache::~ResultCache() {
  state_->wait_for_read();
  if (state_->new_entries) {
    state_->new_entries.reset();
    std::error_code ignored;
    std::filesystem::remove(state_->new_entries_file, ignored);
  }
  if (state_->lock >= 0) ::close(state_->lock);
  state_->forget_file();
}

std::optional<std::string_view> ResultCache::find(std::uint64_t key) const {
  state_->wait_for_read();
  const auto it = state_->index.find(key);
  if (it == state_->index.end()) return std::nullopt;
  const auto& entry = state_->entries[it->second];
  const auto bytes = state_->bytes_of(entry);
  if (const std::string_view whole[] = {bytes}; entry_checksum(key, whole) != entry.checksum)
    return std::nullopt;  // damaged on disk: made again, and put again
  state_->found[it->second].store(true, std::memory_order_relaxed);
  return bytes;
}

void ResultCache::put(std::uint64_t key, std::string_view bytes) {
  const std::string_view whole[] = {bytes};
  put_pieces(key, whole);
}

void ResultCache::put(std::uint64_t key, const ByteWriter& bytes) { put_pieces(key, bytes.pieces()); }

void ResultCache::put_pieces(std::uint64_t key, std::span<const std::string_view> pieces) {
  state_->wait_for_read();
  if (!state_->usable) return;
  // Put again only when the entry there did not hold (find() marks one that does).
  if (const auto kept = state_->index.find(key); kept != state_->index.end() && state_->found[kept->second].load(std::memory_order_relaxed)) return;
  const auto checksum = entry_checksum(key, pieces);
  std::lock_guard lock(state_->put_mutex);
  if (!state_->put_keys.insert(key).second) return;
  if (!state_->new_entries) {
    std::error_code ignored;
    std::filesystem::remove(state_->new_entries_file, ignored);  // one left by a build that stopped; a link is removed, never followed
    state_->new_entries.emplace(state_->new_entries_file, O_CREAT | O_TRUNC | O_EXCL);
    state_->new_entries->add(state_->header);  // a cache file of its own, to be renamed into place when it is all there is
  }
  state_->new_entries->add_entry(key, checksum, pieces);
}

ResultCache::Use ResultCache::use() const {
  state_->wait_for_read();
  Use use;
  for (std::size_t i = 0; i < state_->entries.size(); ++i) use.found += state_->found[i].load(std::memory_order_relaxed);
  std::lock_guard lock(state_->put_mutex);
  use.put = state_->put_keys.size();
  return use;
}

void ResultCache::save(bool compact) {
  auto& state = *state_;
  state.wait_for_read();
  if (!state.usable) return;
  const auto found = use().found;
  const bool readable = !state.loaded.empty() && state.valid_end == state.loaded.size();
  const bool rewrite = !readable || (compact && found * 2 < state.entries.size());
  if (!rewrite && !state.new_entries) return;
  // A cache is only a shortcut: when it cannot be written, the next build does the work again.
  const bool put_any = state.new_entries && state.new_entries->finish();
  std::error_code ignored;
  if (rewrite && found == 0) {  // a first build's, or one after the generator changed: as it was written
    if (put_any) std::filesystem::rename(state.new_entries_file, state.file, ignored);
    return;
  }
  // The entries this build put, after their file's header; none when that file does not read back.
  auto added = put_any ? read_plain_bytes(state.new_entries_file).value_or(std::string()) : std::string();
  const bool any_added = added.starts_with(state.header);
  added.erase(0, any_added ? state.header.size() : added.size());
  if (!rewrite) {
    if (!any_added) return;
    EntryFile file(state.file, O_APPEND);
    file.add(added);
    file.finish();
    return;
  }
  auto temporary = state.file;
  temporary += ".plainsight-tmp";
  std::filesystem::remove(temporary, ignored);
  {
    EntryFile file(temporary, O_CREAT | O_TRUNC | O_EXCL);
    file.add(state.header);
    for (const auto& [key, number] : state.index)
      if (state.found[number].load(std::memory_order_relaxed)) {
        const auto& entry = state.entries[number];
        const std::string_view bytes[] = {state.bytes_of(entry)};
        file.add_entry(key, entry.checksum, bytes);
      }
    file.add(added);
    if (!file.finish()) return;
  }
  std::filesystem::rename(temporary, state.file, ignored);
}

}  // namespace plainsight
