#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <mutex>
#include <set>
#include <utility>
#include <thread>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "site/build.hpp"

namespace plainsight {
namespace fs = std::filesystem;

namespace {

/// The files the last build wrote, kept in the output folder: only those are ever removed, so
/// a folder given by mistake loses nothing that plainsight did not put there. Each line holds a
/// file's xxHash, the hash of its inputs, its size and modification time, so that a build can
/// tell what it need not make or write; the header holds the fingerprint of all inputs, and
/// the build's warnings follow it.
constexpr auto manifest_name = ".plainsight-files";
constexpr std::string_view manifest_header = "plainsight-files 2 ";
/// Where a build's changed files wait until it has succeeded.
constexpr auto staging_name = ".plainsight-staging";

struct FileRecord {
  std::uint64_t hash = 0;
  std::uint64_t inputs = 0;  ///< what it was made from, salted with the generator; 0: not known
  std::uint64_t size = 0;
  std::int64_t modified = 0;  ///< nanoseconds since the epoch
  bool known = false;         ///< false for a manifest from before hashes were kept
};

std::optional<FileRecord> stat_file(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return FileRecord{.size = static_cast<std::uint64_t>(info.st_size), .modified = info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec};
}

/// Whether the file is there with the size and modification time the manifest recorded.
bool left_as_recorded(const fs::path& path, const FileRecord& record) {
  const auto now = stat_file(path);
  return now && now->size == record.size && now->modified == record.modified;
}

bool is_within(const fs::path& path, const fs::path& folder) {
  const auto [folder_end, path_end] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return folder_end == folder.end();
}

template <typename Number>
bool parse_number(std::string_view text, Number& value, int base = 10) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return error == std::errc() && end == text.data() + text.size();
}

/// Reads "<hash> <inputs> <size> <modified> <path>" lines and "! <warning>" lines after the
/// header; a file in the older format lists paths only.
void read_manifest(const fs::path& out_dir, std::optional<std::uint64_t>& inputs, std::map<std::string, FileRecord>& files,
                   std::vector<std::string>& warnings) {
  const auto text = read_file(out_dir / manifest_name);
  if (!text) return;
  auto lines = split_lines(*text);
  if (!lines.empty() && lines.front().starts_with(manifest_header)) {
    std::uint64_t value = 0;
    if (parse_number(lines.front().substr(manifest_header.size()), value, 16)) inputs = value;
    lines.erase(lines.begin());
    for (const auto line : lines) {
      if (line.starts_with("! ")) {
        warnings.emplace_back(line.substr(2));
        continue;
      }
      FileRecord record{.known = true};
      std::array<std::size_t, 4> space{};
      for (std::size_t i = 0, from = 0; i < space.size(); from = space[i++] + 1) space[i] = line.find(' ', from);
      auto field = [&](std::size_t i) { return line.substr(i ? space[i - 1] + 1 : 0, space[i] - (i ? space[i - 1] + 1 : 0)); };
      if (space[3] == std::string_view::npos || !parse_number(field(0), record.hash, 16) || !parse_number(field(1), record.inputs, 16) ||
          !parse_number(field(2), record.size) || !parse_number(field(3), record.modified))
        continue;
      files.emplace(line.substr(space[3] + 1), record);
    }
    return;
  }
  for (const auto line : lines)
    if (!line.empty()) files.emplace(line, FileRecord{});
}

}  // namespace

bool is_safe_output_dir(const fs::path& out_dir, const fs::path& site_dir) {
  const auto out = fs::weakly_canonical(out_dir);
  const auto site = fs::weakly_canonical(site_dir);
  if (out == out.root_path() || is_within(site, out)) return false;
  // Built files inside the sources would be read back as content on the next build.
  for (const char* source : {"content", "themes", "templates", "partials", "static", "site.json"})
    if (is_within(out, site / source)) return false;
  return true;
}

std::uint64_t input_fingerprint(const BuildOptions& options, std::string_view generator) {
  std::vector<fs::path> files;
  std::error_code error;
  if (fs::is_regular_file(options.site_dir / "site.json", error)) files.push_back(options.site_dir / "site.json");
  for (const char* folder : {"content", "themes", "templates", "partials", "static"}) {
    // Links to folders are followed, as the loader follows them.
    for (auto it = fs::recursive_directory_iterator(options.site_dir / folder, fs::directory_options::follow_directory_symlink, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error))
      if (it->is_regular_file(error)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::uint64_t> hashes(files.size());
  parallel_for(files.size(), options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()), [&](std::size_t i) {
    const auto bytes = read_file(files[i]);
    hashes[i] = bytes ? content_hash(*bytes) : 0;
  });
  std::string summary = std::string(generator) + '\n' + options.base_url + '\n' + (options.include_drafts ? "drafts" : "") +
                        (options.strict ? " strict" : "") + '\n';
  for (std::size_t i = 0; i < files.size(); ++i) summary += relative_path(files[i], options.site_dir) + ' ' + std::to_string(hashes[i]) + '\n';
  return content_hash(summary);
}

struct OutputFolder::State {
  fs::path out;
  std::uint64_t salt = 0;  ///< the generator's hash, mixed into every inputs hash
  fs::path staging;
  std::optional<std::uint64_t> previous_inputs;
  std::map<std::string, FileRecord> previous;  ///< read-only once loaded: put() reads it from any thread
  std::vector<std::string> previous_warnings;
  std::mutex mutex;
  std::map<std::string, FileRecord> current;
  std::vector<std::string> staged;
  std::size_t kept = 0;
  bool fresh = false;    ///< the folder is new or empty: staged folders are moved in whole
  bool created = false;  ///< the folder did not exist: a build that fails leaves none
  bool committed = false;
};

OutputFolder::OutputFolder(fs::path out_dir, std::string_view generator) : state_(std::make_unique<State>()) {
  state_->out = out_dir.lexically_normal();
  if (!state_->out.has_filename() && state_->out.has_parent_path()) state_->out = state_->out.parent_path();  // "public/"
  state_->salt = content_hash(generator);
  std::error_code error;
  state_->created = !fs::exists(state_->out, error);
  state_->fresh = state_->created || fs::is_empty(state_->out, error);
  // Inside the folder, not beside it: a host's web root is often writable when its parent is not.
  state_->staging = state_->out / staging_name;
  read_manifest(state_->out, state_->previous_inputs, state_->previous, state_->previous_warnings);
  fs::remove_all(state_->staging, error);  // left by a build that was killed
}

OutputFolder::~OutputFolder() {
  std::error_code error;
  fs::remove_all(state_->staging, error);
  if (state_->created && !state_->committed) fs::remove(state_->out, error);  // only if empty
}

bool OutputFolder::up_to_date(std::uint64_t inputs) const {
  if (state_->previous_inputs != inputs) return false;
  return std::all_of(state_->previous.begin(), state_->previous.end(), [&](const auto& entry) {
    return entry.second.known && left_as_recorded(state_->out / entry.first, entry.second);
  });
}

std::size_t OutputFolder::previous_file_count() const { return state_->previous.size(); }
const std::vector<std::string>& OutputFolder::previous_warnings() const { return state_->previous_warnings; }

bool OutputFolder::keep(const std::string& path, std::uint64_t inputs) {
  const auto old = state_->previous.find(path);
  if (inputs == 0 || old == state_->previous.end() || !old->second.known || old->second.inputs != (inputs ^ state_->salt)) return false;
  if (!left_as_recorded(state_->out / path, old->second)) return false;
  std::lock_guard lock(state_->mutex);
  state_->current.emplace(path, old->second);
  ++state_->kept;
  return true;
}

void OutputFolder::put(const std::string& path, std::string bytes, std::uint64_t inputs) {
  FileRecord record{.hash = content_hash(bytes), .inputs = inputs ? inputs ^ state_->salt : 0, .size = bytes.size(), .known = true};
  if (const auto old = state_->previous.find(path); old != state_->previous.end() && old->second.known && old->second.hash == record.hash &&
                                                     old->second.size == record.size) {
    if (left_as_recorded(state_->out / path, old->second)) {
      record.modified = old->second.modified;
      std::lock_guard lock(state_->mutex);
      state_->current.emplace(path, record);
      return;
    }
  }
  write_file(state_->staging / path, bytes);
  std::lock_guard lock(state_->mutex);
  state_->current.emplace(path, record);
  state_->staged.push_back(path);
}

WriteStats OutputFolder::commit(std::uint64_t inputs, const std::vector<std::string>& warnings) {
  auto& state = *state_;
  WriteStats stats;
  const bool moved_whole = state.fresh;
  if (moved_whole) {  // a few renames for the whole site: each top-level file and folder
    fs::create_directories(state.staging);
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(state.staging)) entries.push_back(entry.path());
    for (const auto& entry : entries) fs::rename(entry, state.out / entry.filename());
    state.fresh = false;
  }
  for (const auto& path : state.staged) {
    const auto target = state.out / path;
    if (!moved_whole) {
      std::error_code error;
      if (fs::is_directory(target, error)) fs::remove_all(target);
      fs::create_directories(target.parent_path());
      fs::rename(state.staging / path, target);
    }
    if (const auto now = stat_file(target)) state.current.at(path).modified = now->modified;
    ++stats.written;
  }
  stats.unchanged = state.current.size() - stats.written;
  stats.kept = std::exchange(state.kept, 0);
  // Remove what the last build wrote and this one did not, then the folders that left empty.
  std::set<fs::path, std::greater<>> emptied;
  for (const auto& [path, record] : state.previous) {
    if (state.current.contains(path)) continue;
    const auto target = (state.out / path).lexically_normal();
    std::error_code error;
    if (!is_within(target, state.out) || !fs::is_regular_file(fs::symlink_status(target, error))) continue;
    if (fs::remove(target, error)) ++stats.removed;
    for (auto folder = target.parent_path(); folder != state.out && is_within(folder, state.out); folder = folder.parent_path())
      emptied.insert(folder);
  }
  for (const auto& folder : emptied) {  // deepest first
    std::error_code error;
    if (fs::is_directory(folder, error) && fs::is_empty(folder, error)) fs::remove(folder, error);
  }
  std::string manifest = fmt::format("{}{:016x}\n", manifest_header, inputs);
  for (auto warning : warnings) {
    std::replace(warning.begin(), warning.end(), '\n', ' ');
    manifest += "! " + warning + '\n';
  }
  for (const auto& [path, record] : state.current)
    manifest += fmt::format("{:016x} {:016x} {} {} {}\n", record.hash, record.inputs, record.size, record.modified, path);
  fs::create_directories(state.out);
  write_file_atomically(state.out / manifest_name, manifest);
  state.previous = std::move(state.current);
  state.previous_inputs = inputs;
  state.previous_warnings = warnings;
  state.current.clear();
  state.staged.clear();
  state.committed = true;
  std::error_code error;
  fs::remove_all(state.staging, error);
  return stats;
}

WriteStats write_output(const fs::path& out_dir, const SiteOutput& output) {
  OutputFolder folder(out_dir, "");
  for (const auto& [path, bytes] : output.files) folder.put(path, bytes, 0);
  return folder.commit(0);
}

}  // namespace plainsight
