#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <mutex>
#include <set>
#include <stdexcept>
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
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
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
/// header; a file in the older format lists paths only. A path that is not a plain output path
/// is dropped, so that a manifest edited by hand cannot point the build outside the folder.
/// Returns whether there is a manifest.
bool read_manifest(const fs::path& out_dir, std::optional<std::uint64_t>& inputs, std::map<std::string, FileRecord>& files,
                   std::vector<std::string>& warnings) {
  const auto text = read_file(out_dir / manifest_name);
  if (!text) return false;
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
      if (const auto path = line.substr(space[3] + 1); output_path_problem(path).empty()) files.emplace(path, record);
    }
    return true;
  }
  for (const auto line : lines)
    if (output_path_problem(line).empty()) files.emplace(line, FileRecord{});
  return true;
}

}  // namespace

bool is_safe_output_dir(const fs::path& out_dir, const fs::path& site_dir) {
  const auto out = fs::weakly_canonical(out_dir);
  const auto site = fs::weakly_canonical(site_dir);
  if (out == out.root_path() || is_within(site, out)) return false;
  // Built files inside the sources would be read back as content on the next build; a source
  // folder may be a link, so each is compared where it really is.
  for (const char* source : {"content", "themes", "templates", "partials", "static", "site.json"})
    if (is_within(out, site / source) || is_within(out, fs::weakly_canonical(site / source))) return false;
  return true;
}

std::uint64_t input_fingerprint(const BuildOptions& options, std::string_view generator) {
  std::vector<fs::path> files;
  std::string refused;  // links the loader refuses: while one is there, the build must run to say so
  for (const char* source : {"site.json", "content", "themes", "templates", "partials", "static"}) {
    const auto path = options.site_dir / source;
    auto walk = walk_site_folder(path, fs::is_directory(fs::symlink_status(path)) ? path : options.site_dir,
                                 [](std::string_view name) { return name.starts_with('.'); });
    files.insert(files.end(), walk.files.begin(), walk.files.end());
    for (const auto& problem : walk.problems) refused += "! " + relative_path(problem.path, options.site_dir) + '\n';
  }
  std::sort(files.begin(), files.end());
  std::vector<std::uint64_t> hashes(files.size());
  parallel_for(files.size(), options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()), [&](std::size_t i) {
    const auto bytes = read_file(files[i]);
    hashes[i] = bytes ? content_hash(*bytes) : 0;
  });
  std::string summary = std::string(generator) + '\n' + options.base_url + '\n' + (options.include_drafts ? "drafts" : "") +
                        (options.strict ? " strict" : "") + '\n' + refused;
  for (std::size_t i = 0; i < files.size(); ++i) summary += relative_path(files[i], options.site_dir) + ' ' + std::to_string(hashes[i]) + '\n';
  return content_hash(summary);
}

namespace {

/// What stands at a path in the output folder, without following a link.
enum class Standing { nothing, file, folder, link, other };

Standing standing_at(const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return Standing::nothing;
  if (S_ISREG(info.st_mode)) return Standing::file;
  if (S_ISDIR(info.st_mode)) return Standing::folder;
  return S_ISLNK(info.st_mode) ? Standing::link : Standing::other;
}

}  // namespace

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
  std::string refused;   ///< why the folder may not be built into (see refusal()), or ""
  bool committed = false;

  /// Whether the last build wrote this file and this one does not: it is removed on commit.
  bool stale(const std::string& path) const { return previous.contains(path) && !current.contains(path); }

  /// Whether removing the stale files below `folder` empties it, so that it goes too: every entry
  /// below (links not followed) is a stale file or a folder that empties so. An empty folder does
  /// not: nothing of the last build's is in it, so it is not the build's to remove.
  bool empties_when_stale_files_go(const fs::path& folder) const {
    bool holds_stale = false;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      const auto standing = standing_at(entry.path());
      if (standing == Standing::file && stale(relative_path(entry.path(), out))) holds_stale = true;
      else if (standing == Standing::folder && empties_when_stale_files_go(entry.path())) holds_stale = true;
      else return false;
    }
    return holds_stale && !error;
  }

  /// What stops the staged file at `path` from being moved into place, if anything: the entry in
  /// the way and why. Every folder on the way must be a real folder (never a link) or a stale
  /// file, and the file itself no folder.
  std::optional<std::pair<fs::path, std::string>> move_problem(const std::string& path) const {
    auto target = out;
    const fs::path relative(path);
    for (auto part = relative.begin(); part != relative.end(); ++part) {
      target /= *part;
      const bool last = std::next(part) == relative.end();
      switch (standing_at(target)) {
        case Standing::nothing: return std::nullopt;
        case Standing::link:
          if (last) return std::nullopt;  // the link itself is replaced, never followed
          return std::pair{target, "is a symbolic link where this build writes /" + path +
                                       "; plainsight never writes through links in the output folder (remove the link)"};
        case Standing::other: return std::pair{target, "is not a file or folder that plainsight can replace (remove it)"};
        case Standing::file:
          if (last || stale(relative_path(target, out))) return std::nullopt;
          return std::pair{target, "is a file that plainsight did not write, where this build needs a folder for /" + path + " (move or delete it)"};
        case Standing::folder:
          if (!last || empties_when_stale_files_go(target)) break;
          return std::pair{target, "is a folder where this build writes a file (move or delete the folder)"};
      }
    }
    return std::nullopt;
  }

  /// A stale file is removed only when it is still a file with no link on its way.
  bool removable(const std::string& path) const {
    auto target = out;
    const fs::path relative(path);
    for (auto part = relative.begin(); part != relative.end(); ++part) {
      target /= *part;
      const auto standing = standing_at(target);
      if (std::next(part) == relative.end()) return standing == Standing::file;
      if (standing != Standing::folder) return false;
    }
    return false;
  }
};

OutputFolder::OutputFolder(fs::path out_dir, std::string_view generator) : state_(std::make_unique<State>()) {
  state_->out = out_dir.lexically_normal();
  if (!state_->out.has_filename() && state_->out.has_parent_path()) state_->out = state_->out.parent_path();  // "public/"
  state_->salt = content_hash(generator);
  std::error_code error;
  state_->created = !fs::exists(state_->out, error);
  // Inside the folder, not beside it: a host's web root is often writable when its parent is not.
  state_->staging = state_->out / staging_name;
  const bool has_manifest = read_manifest(state_->out, state_->previous_inputs, state_->previous, state_->previous_warnings);
  // Staging left by a build that was killed does not make a folder any less empty.
  state_->fresh = state_->created || std::all_of(fs::directory_iterator(state_->out, error), fs::directory_iterator(),
                                                 [](const fs::directory_entry& entry) { return entry.path().filename() == staging_name; });
  if (!state_->created && !fs::is_directory(state_->out, error))
    state_->refused = fmt::format("the output folder {} is a file, not a folder; choose another with --out", state_->out.string());
  else if (!state_->fresh && !has_manifest)
    state_->refused = fmt::format("the output folder {} holds files that plainsight did not write (it has no {}), so building into it could "
                                  "replace them; choose a new or empty folder with --out, or empty this one first",
                                  state_->out.string(), manifest_name);
  if (state_->refused.empty()) fs::remove_all(state_->staging, error);
}

OutputFolder::~OutputFolder() {
  std::error_code error;
  if (state_->refused.empty()) fs::remove_all(state_->staging, error);
  if (state_->created && !state_->committed) fs::remove(state_->out, error);  // only if empty
}

std::string OutputFolder::refusal() const { return state_->refused; }

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
  if (!state_->refused.empty()) throw std::runtime_error(state_->refused);
  // The build has checked every path already: one that is not plain here is a bug.
  if (const auto problem = output_path_problem(path); !problem.empty())
    throw std::invalid_argument("output path \"" + path + "\" refused: " + problem);
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

void OutputFolder::check(Diagnostics& diagnostics) const {
  if (const auto refused = refusal(); !refused.empty()) diagnostics.error({state_->out.string()}, refused);
  if (state_->fresh) return;
  // The manifest is written last, through a temporary file: neither may be a folder or the like.
  for (const auto& name : {std::string(manifest_name), std::string(manifest_name) + ".plainsight-tmp"})
    if (const auto standing = standing_at(state_->out / name); standing != Standing::nothing && standing != Standing::file && standing != Standing::link)
      diagnostics.error({(state_->out / name).string()}, "stands where the build keeps its list of files; remove it");
  auto staged = state_->staged;  // in the order the threads finished: sorted, for stable messages
  std::sort(staged.begin(), staged.end());
  std::set<fs::path> reported;  // one error for a file in the way of several
  for (const auto& path : staged)
    if (const auto problem = state_->move_problem(path); problem && reported.insert(problem->first).second)
      diagnostics.error({problem->first.string()}, problem->second);
}

WriteStats OutputFolder::commit(std::uint64_t inputs, const std::vector<std::string>& warnings) {
  auto& state = *state_;
  {
    Diagnostics problems;
    check(problems);
    if (problems.has_errors()) throw std::runtime_error(problems.sorted().front().where.file + ": " + problems.sorted().front().message);
  }
  WriteStats stats;
  // What the last build wrote and this one did not goes first, so that a stale file or folder
  // never stands in the way of a new one; then the folders that left empty, deepest first.
  std::set<fs::path, std::greater<>> emptied;
  for (const auto& [path, record] : state.previous) {
    if (!state.stale(path) || !state.removable(path)) continue;
    const auto target = state.out / path;
    std::error_code error;
    if (fs::remove(target, error)) ++stats.removed;
    for (auto folder = target.parent_path(); folder != state.out; folder = folder.parent_path()) emptied.insert(folder);
  }
  for (const auto& folder : emptied) {
    std::error_code error;
    if (standing_at(folder) == Standing::folder && fs::is_empty(folder, error)) fs::remove(folder, error);
  }
  std::sort(state.staged.begin(), state.staged.end());
  if (state.fresh) {  // a few renames for the whole site: each top-level file and folder
    fs::create_directories(state.staging);
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(state.staging)) entries.push_back(entry.path());
    for (const auto& entry : entries) fs::rename(entry, state.out / entry.filename());
  } else {
    for (const auto& path : state.staged) {
      const auto target = state.out / path;
      fs::create_directories(target.parent_path());
      fs::rename(state.staging / path, target);
    }
  }
  state.fresh = false;
  for (const auto& path : state.staged)
    if (const auto now = stat_file(state.out / path)) state.current.at(path).modified = now->modified;
  stats.written = state.staged.size();
  stats.unchanged = state.current.size() - stats.written;
  stats.kept = std::exchange(state.kept, 0);
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
