#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace plainsight {

/// Numbers and texts packed into bytes, for ResultCache entries.
class ByteWriter {
 public:
  void number(std::uint64_t value);  ///< 7 bits a byte, smallest first
  void text(std::string_view value);
  /// As text(), but a large value's bytes are not copied: the writer notes where they are, and
  /// they must stay there, unchanged, until the writer is put (ResultCache::put). An entry as
  /// large as the site's open data is then not held twice.
  void text_in_place(std::string_view value);
  /// What was written, as one string (with a copy of the values written in place).
  [[nodiscard]] std::string& bytes();
  /// What was written, in order: runs of the writer's own bytes and the values written in place.
  [[nodiscard]] std::vector<std::string_view> pieces() const;

 private:
  std::string bytes_;
  std::vector<std::pair<std::size_t, std::string_view>> in_place_;  ///< each value, and the size of bytes_ when it came
};

/// Reads what a ByteWriter wrote. Reading past the end, or a length longer than what is left,
/// gives zeros and empty texts and sets failed(): a damaged entry is then a cache miss.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t number();
  std::string_view text();
  [[nodiscard]] bool failed() const { return failed_; }
  /// Whether everything was read, exactly.
  [[nodiscard]] bool done() const { return !failed_ && bytes_.empty(); }
  [[nodiscard]] std::string_view rest() const { return bytes_; }  ///< what is still to read

 private:
  std::string_view bytes_;
  bool failed_ = false;
};

void write_location(ByteWriter& out, const SourceLocation& where);
SourceLocation read_location(ByteReader& in);
void write_diagnostics(ByteWriter& out, const std::vector<Diagnostic>& diagnostics);
std::vector<Diagnostic> read_diagnostics(ByteReader& in);

/// What pure steps of a build worked out (a page's front matter, its Markdown as HTML, its
/// words' stems), each under a hash of everything the step read, kept in the build state
/// between builds: a file that did not change is not parsed again. Entries are trusted only
/// when made by the same `generator` and when their checksum holds. find() and put() are safe
/// from several threads.
class ResultCache {
 public:
  /// The cache in `file`; a missing or damaged file, or one from another generator, is empty.
  /// The file is read on a thread of its own, while the build starts. What is put is written as
  /// it comes to `file`.new, so that it is not all held in memory.
  ResultCache(std::filesystem::path file, std::string_view generator);
  ~ResultCache();  ///< removes `file`.new
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  /// The entry under `key` when the file held it (not one put since), or nullopt; an entry
  /// found is kept by save().
  [[nodiscard]] std::optional<std::string_view> find(std::uint64_t key) const;
  void put(std::uint64_t key, std::string_view bytes);
  void put(std::uint64_t key, const ByteWriter& bytes);

  /// How many entries were found since the file was read, and how many put.
  struct Use {
    std::size_t found = 0, put = 0;
  };
  [[nodiscard]] Use use() const;

  /// Writes the entries to the file: those put are appended, unless fewer than half of the
  /// file's entries were found since it was read (and `compact`), or the file could not be
  /// read whole; then it is rewritten with only the entries found or put, so that it does not
  /// grow without end.
  void save(bool compact = true);

 private:
  void put_pieces(std::uint64_t key, std::span<const std::string_view> pieces);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace plainsight
