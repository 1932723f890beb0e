#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "site/build.hpp"

namespace plainsight {
namespace fs = std::filesystem;

namespace {

/// The build's state for one output folder lives in the site, never in the output (which holds
/// only the site): <site>/.plainsight/outputs/<key>/, the key being the hash of the output
/// folder's canonical path, so that each output folder has its own.
constexpr auto state_folder_name = ".plainsight";
constexpr auto outputs_folder_name = "outputs";
/// The files the last build wrote: only those are ever removed, so a folder given by mistake
/// loses nothing that plainsight did not put there. Each line holds a file's xxHash, the hash of
/// its inputs, its size and modification time, so that a build can tell what it need not make
/// or write; the header holds the fingerprint of all inputs, and the build's warnings follow it.
constexpr auto manifest_name = "manifest";
constexpr std::string_view manifest_header = "plainsight-files 2 ";
/// For people: which output folder this state is for, and that folder's device and inode, so
/// that a folder put in its place since the last build is not taken for the one it wrote.
constexpr auto folder_record_name = "folder";
constexpr std::string_view folder_id_prefix = "folder-id ";
/// Where a build's changed files wait until it has succeeded, in the state folder when that is
/// on the output folder's file system, so that moving them into place is a rename.
constexpr auto state_staging_name = "staging";
/// Otherwise in the output folder, under this name, only while the build runs.
constexpr auto output_staging_name = ".plainsight-staging";
/// The manifest where earlier versions kept it, in the output folder: read once, then removed.
constexpr auto legacy_manifest_name = ".plainsight-files";
/// write_file_atomically's temporary file beside `name`.
std::string temporary_name(std::string_view name) { return std::string(name) + ".plainsight-tmp"; }

struct FileRecord {
  std::uint64_t hash = 0;
  std::uint64_t inputs = 0;  ///< what it was made from, salted with the generator; 0: not known
  std::uint64_t size = 0;
  std::int64_t modified = 0;  ///< nanoseconds since the epoch
  bool known = false;         ///< false for a manifest from before hashes were kept
};

/// A plain file's size and modification time, its path taken from `folder` (an open folder, or
/// AT_FDCWD); nullopt for anything else, a link included.
std::optional<FileRecord> stat_file_at(int folder, const char* path) {
  struct stat info {};
  if (::fstatat(folder, path, &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return FileRecord{.size = static_cast<std::uint64_t>(info.st_size), .modified = info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec};
}

std::optional<FileRecord> stat_file(const fs::path& path) { return stat_file_at(AT_FDCWD, path.c_str()); }

/// Whether the file is there with the size and modification time the manifest recorded.
bool left_as_recorded_at(int folder, const char* path, const FileRecord& record) {
  const auto now = stat_file_at(folder, path);
  return now && now->size == record.size && now->modified == record.modified;
}

bool left_as_recorded(const fs::path& path, const FileRecord& record) { return left_as_recorded_at(AT_FDCWD, path.c_str(), record); }

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
bool read_manifest(const fs::path& manifest, std::optional<std::uint64_t>& inputs, std::map<std::string, FileRecord>& files,
                   std::vector<std::string>& warnings) {
  const auto text = read_file(manifest);
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
  // The build's own state: a build there would list and remove its own manifest. (Where it is
  // a link, the build refuses it anyway, saying so.)
  if (is_within(out, site / state_folder_name)) return false;
  return true;
}

fs::path build_state_folder(const fs::path& site_dir, const fs::path& out_dir) {
  const auto key = content_hash_hex(fs::weakly_canonical(fs::absolute(out_dir)).string());
  return (site_dir / state_folder_name / outputs_folder_name / key).lexically_normal();
}

std::uint64_t input_fingerprint(const BuildOptions& options, std::string_view generator, FileHashes* markdown_hashes) {
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
  std::vector<char> was_read(files.size());
  parallel_for(files.size(), options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()), [&](std::size_t i) {
    thread_local std::vector<char> buffer;
    const auto bytes = read_plain_file_into(files[i], buffer);
    hashes[i] = bytes ? content_hash(*bytes) : 0;
    was_read[i] = bytes.has_value();
  });
  if (markdown_hashes) {
    const auto content = (options.site_dir / "content").string() + '/';
    for (std::size_t i = 0; i < files.size(); ++i)
      if (const auto& name = files[i].native(); was_read[i] && name.starts_with(content) && (name.ends_with(".md") || name.ends_with(".markdown")))
        markdown_hashes->emplace(name, hashes[i]);
  }
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

/// Why the build state for an output folder cannot be kept at `state` in the site, or "": each
/// folder on the way from the site folder must be a real folder (or not there yet), never a
/// link, which could lead the build's writes and removals out of the site; the files the build
/// writes there must be files.
std::string build_state_problem_at(const fs::path& site, const fs::path& state) {
  auto folder = site;
  for (const auto& part : {fs::path(state_folder_name), fs::path(outputs_folder_name), state.filename()}) {
    folder /= part;
    switch (standing_at(folder)) {
      case Standing::nothing:
        return {};
      case Standing::folder:
        continue;
      case Standing::link:
        return fmt::format(
            "{} is a symbolic link; plainsight keeps its build state only in real folders inside the site, never through a link "
            "(remove the link: the next build then needs an empty output folder)",
            folder.lexically_normal().string());
      case Standing::file:
      case Standing::other:
        return fmt::format("{} is not a folder; plainsight keeps its build state there (remove it: the next build then needs an empty output folder)",
                           folder.lexically_normal().string());
    }
  }
  for (const auto& name : {std::string(manifest_name), std::string(folder_record_name)}) {
    const auto standing = standing_at(state / name);
    if (standing == Standing::link)
      return fmt::format("{} is a symbolic link; plainsight never reads or writes its build state through a link (remove it)",
                         (state / name).string());
    if (standing == Standing::folder || standing == Standing::other)
      return fmt::format("{} stands where the build keeps its list of files; remove it", (state / name).string());
    // Written through a temporary file, which is replaced (a link too, never followed), so it may be no folder.
    if (const auto temporary = standing_at(state / temporary_name(name)); temporary == Standing::folder || temporary == Standing::other)
      return fmt::format("{} stands where the build keeps its list of files; remove it", (state / temporary_name(name)).string());
  }
  return {};
}

/// The device and inode of the folder at `path` (links followed), as the folder record keeps them.
std::optional<std::string> folder_id(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return std::nullopt;
  return fmt::format("{} {}", static_cast<unsigned long long>(info.st_dev), static_cast<unsigned long long>(info.st_ino));
}

/// Whether rename() can move an entry from the folder `from` into the folder `to` (links
/// followed; the nearest existing folder above `to` stands for it): both on one mount of one
/// file system.
bool renames_between(const fs::path& from, fs::path to) {
  std::error_code error;
  to = fs::absolute(to, error);
  while (!fs::exists(to, error) && to.has_parent_path() && to.parent_path() != to) to = to.parent_path();
  struct statx a {
  }, b{};
  if (::statx(AT_FDCWD, from.c_str(), 0, STATX_MNT_ID, &a) != 0 || ::statx(AT_FDCWD, to.c_str(), 0, STATX_MNT_ID, &b) != 0) return false;
  if (a.stx_dev_major != b.stx_dev_major || a.stx_dev_minor != b.stx_dev_minor) return false;
  // One file system can be mounted twice (a bind mount): rename() fails between the two.
  return !(a.stx_mask & b.stx_mask & STATX_MNT_ID) || a.stx_mnt_id == b.stx_mnt_id;
}

}  // namespace

struct OutputFolder::State {
  fs::path out;
  std::uint64_t salt = 0;  ///< the generator's hash, mixed into every inputs hash
  fs::path site;
  fs::path state;             ///< the build state folder in the site (build_state_folder)
  fs::path staging;           ///< "" until the folder is known to be one a build may go into
  std::string state_problem;  ///< why the build state cannot be kept, or ""
  bool legacy = false;        ///< the output folder holds a manifest from an earlier version
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
      if (standing == Standing::file && stale(relative_path(entry.path(), out)))
        holds_stale = true;
      else if (standing == Standing::folder && empties_when_stale_files_go(entry.path()))
        holds_stale = true;
      else
        return false;
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
        case Standing::nothing:
          return std::nullopt;
        case Standing::link:
          if (last) return std::nullopt;  // the link itself is replaced, never followed
          return std::pair{target, "is a symbolic link where this build writes /" + path +
                                       "; plainsight never writes through links in the output folder (remove the link)"};
        case Standing::other:
          return std::pair{target, "is not a file or folder that plainsight can replace (remove it)"};
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

OutputFolder::OutputFolder(fs::path out_dir, const fs::path& site_dir, std::string_view generator) : state_(std::make_unique<State>()) {
  auto& state = *state_;
  state.out = out_dir.lexically_normal();
  if (!state.out.has_filename() && state.out.has_parent_path()) state.out = state.out.parent_path();  // "public/"
  state.salt = content_hash(generator);
  state.site = site_dir;
  state.state = build_state_folder(site_dir, state.out);
  std::error_code error;
  state.created = !fs::exists(state.out, error);
  // Staging left in the output folder by a build that was killed does not make it any less empty.
  state.fresh = state.created || std::all_of(fs::directory_iterator(state.out, error), fs::directory_iterator(),
                                             [](const fs::directory_entry& entry) { return entry.path().filename() == output_staging_name; });
  state.state_problem = build_state_problem_at(site_dir, state.state);

  bool has_manifest = false;
  if (state.state_problem.empty() && standing_at(state.state / manifest_name) == Standing::file) {
    has_manifest = read_manifest(state.state / manifest_name, state.previous_inputs, state.previous, state.previous_warnings);
    // The state outlives the output folder: a folder put in its place since holds files the
    // last build did not write, at paths it did, so its list says nothing about this one.
    const auto record = read_file(state.state / folder_record_name);
    const auto id_at = record ? record->rfind(folder_id_prefix) : std::string::npos;
    if (has_manifest && !state.fresh && id_at != std::string::npos &&
        trim(std::string_view(*record).substr(id_at + folder_id_prefix.size())) != folder_id(state.out).value_or("")) {
      has_manifest = false;
      state.previous_inputs.reset();
      state.previous.clear();
      state.previous_warnings.clear();
    }
  }
  // An earlier version kept the manifest in the output folder: what it lists was written by
  // plainsight too. Read it (a file only, never through a link); commit() removes it.
  if (standing_at(state.out / legacy_manifest_name) == Standing::file) {
    state.legacy = true;
    std::optional<std::uint64_t> inputs;
    std::map<std::string, FileRecord> files;
    std::vector<std::string> warnings;
    read_manifest(state.out / legacy_manifest_name, inputs, files, warnings);
    state.previous.merge(files);  // what the state folder says of a file comes first
    if (!has_manifest) {
      state.previous_inputs = inputs;
      state.previous_warnings = std::move(warnings);
    }
    has_manifest = true;
  }

  if (!state.state_problem.empty())
    state.refused = state.state_problem;
  else if (!state.created && !fs::is_directory(state.out, error))
    state.refused = fmt::format("the output folder {} is a file, not a folder; choose another with --out", state.out.string());
  else if (!state.fresh && !has_manifest)
    state.refused = fmt::format(
        "the output folder {} holds files that plainsight did not write (the site's build state, kept in {}, has no list of files "
        "for it), so building into it could replace them; choose a new or empty folder with --out, or empty this one first. This "
        "is also what happens when {}/ was deleted, or the output folder was moved or built from another site folder",
        state.out.string(), state.state.string(), (site_dir / state_folder_name).lexically_normal().string());
  if (!state.refused.empty()) return;

  fs::create_directories(state.state, error);
  if (error) {
    state.refused = state.state_problem =
        fmt::format("cannot make the folder {}, where plainsight keeps its build state: {}", state.state.string(), error.message());
    return;
  }
  // Beside the state when a rename can move it into place; otherwise inside the output folder, not
  // beside it: a host's web root is often writable when its parent is not.
  state.staging = renames_between(state.state, state.out) ? state.state / state_staging_name : state.out / output_staging_name;
  fs::remove_all(state.state / state_staging_name, error);
  if (state.staging != state.state / state_staging_name) fs::remove_all(state.staging, error);
}

OutputFolder::~OutputFolder() {
  std::error_code error;
  if (!state_->staging.empty()) fs::remove_all(state_->staging, error);
  if (state_->created && !state_->committed) fs::remove(state_->out, error);  // only if empty
}

std::string OutputFolder::refusal() const { return state_->refused; }
std::string OutputFolder::build_state_problem() const { return state_->state_problem; }

bool OutputFolder::up_to_date(std::uint64_t inputs) const {
  // A manifest left in the output folder by an earlier version is moved out by a build.
  if (state_->legacy || state_->previous_inputs != inputs) return false;
  // One look at each file the last build wrote, on every core: the check is its system calls.
  std::vector<const std::pair<const std::string, FileRecord>*> files;
  files.reserve(state_->previous.size());
  for (const auto& entry : state_->previous) files.push_back(&entry);
  // Each path looked up from the output folder, not from the root: fewer folders to walk through.
  const int folder = ::open(state_->out.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (folder < 0) return false;
  std::atomic<bool> as_left{true};
  parallel_for(files.size(), std::max(1u, std::thread::hardware_concurrency()), [&](std::size_t i) {
    if (as_left.load(std::memory_order_relaxed) &&
        !(files[i]->second.known && left_as_recorded_at(folder, files[i]->first.c_str(), files[i]->second)))
      as_left.store(false, std::memory_order_relaxed);
  });
  ::close(folder);
  return as_left.load();
}

const fs::path& OutputFolder::state_folder() const { return state_->state; }
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
  if (const auto old = state_->previous.find(path);
      old != state_->previous.end() && old->second.known && old->second.hash == record.hash && old->second.size == record.size) {
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
  // The manifest is written last: what stands in its way may have come since the build began.
  if (const auto problem = build_state_problem_at(state_->site, state_->state); state_->refused.empty() && !problem.empty())
    diagnostics.error({state_->state.string()}, problem);
  if (state_->fresh) return;
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
    fs::create_directories(state.out);
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
  write_file_atomically(state.state / manifest_name, manifest);
  write_file_atomically(state.state / folder_record_name, fmt::format("{}\n{}{}\n", fs::weakly_canonical(fs::absolute(state.out)).string(),
                                                                      folder_id_prefix, folder_id(state.out).value_or("")));
  // Once the list is in the state folder, the output folder holds only the site: an earlier
  // version's list there, and its staging, go (files and folders of those reserved names only).
  std::error_code error;
  if (standing_at(state.out / legacy_manifest_name) == Standing::file) fs::remove(state.out / legacy_manifest_name, error);
  if (const auto standing = standing_at(state.out / temporary_name(legacy_manifest_name)); standing == Standing::file || standing == Standing::link)
    fs::remove(state.out / temporary_name(legacy_manifest_name), error);
  fs::remove_all(state.out / output_staging_name, error);  // never follows a link
  state.legacy = false;
  state.previous = std::move(state.current);
  state.previous_inputs = inputs;
  state.previous_warnings = warnings;
  state.current.clear();
  state.staged.clear();
  state.committed = true;
  fs::remove_all(state.staging, error);
  return stats;
}

WriteStats write_output(const fs::path& out_dir, const fs::path& site_dir, const SiteOutput& output) {
  OutputFolder folder(out_dir, site_dir, "");
  for (const auto& [path, bytes] : output.files) folder.put(path, bytes, 0);
  return folder.commit(0);
}

}  // namespace plainsight
