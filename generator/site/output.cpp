#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <iterator>
#include <mutex>
#include <set>
#include <span>
#include <stdexcept>
#include <thread>
#include <unordered_map>
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
/// The inputs' records (InputRecords), for the input fingerprint of the next build.
constexpr auto input_records_name = "inputs";
constexpr std::string_view input_records_header = "plainsight-inputs 1 ";
/// Touched as the inputs are listed: its time is the time then by the clock of the file system
/// that holds the site, which stamps the inputs' times too (OutputFolder::clock_now).
constexpr auto clock_name = "clock";
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
  bool seen_as_left = false;  ///< found as the manifest says by OutputFolder::look_ahead()
  bool kept = false;          ///< kept as it stands by this build (OutputFolder::keep), set by the one thread that keeps its path
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

/// The stretches [begin, end) of items 0 to count - 1 in which `key_of` gives one key, each of
/// at most 64 items: a folder's files, to be looked at from the folder opened once, in pieces
/// small enough to keep every core busy to the end.
std::vector<std::pair<std::size_t, std::size_t>> runs_of(std::size_t count, const auto& key_of) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t begin = 0, end = 0; begin < count; begin = end) {
    const auto key = key_of(begin);
    for (end = begin + 1; end < count && end - begin < 64 && key_of(end) == key;) ++end;
    runs.emplace_back(begin, end);
  }
  return runs;
}

/// Reads "<hash> <inputs> <size> <modified> <path>" lines and "! <warning>" lines after the
/// header; a file in the older format lists paths only. A path that is not a plain output path
/// is dropped, so that a manifest edited by hand cannot point the build outside the folder.
/// Returns whether there is a manifest.
bool read_manifest(const fs::path& manifest, std::optional<std::uint64_t>& inputs, std::map<std::string, FileRecord>& files,
                   std::vector<std::string>& warnings) {
  const auto text = read_file_not_through_link(manifest);
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
      // Written in order: each goes at the end, without a search.
      if (const auto path = line.substr(space[3] + 1); output_path_problem(path).empty()) files.emplace_hint(files.end(), path, record);
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
  // A theme's folder may be a link to another folder of the site (Theme::load).
  std::error_code error;
  for (auto theme = fs::directory_iterator(site / "themes", error); !error && theme != fs::directory_iterator(); theme.increment(error)) {
    std::error_code resolve_error;
    const auto real = fs::weakly_canonical(theme->path(), resolve_error);
    if (!resolve_error && is_within(out, real)) return false;
  }
  // The build's own state: a build there would list and remove its own manifest. (Where it is
  // a link, the build refuses it anyway, saying so.)
  if (is_within(out, site / state_folder_name)) return false;
  return true;
}

fs::path build_state_folder(const fs::path& site_dir, const fs::path& out_dir) {
  const auto key = content_hash_hex(fs::weakly_canonical(fs::absolute(out_dir)).string());
  return (site_dir / state_folder_name / outputs_folder_name / key).lexically_normal();
}

namespace {

/// How an input file looked when it was hashed: what InputRecords keep of it.
struct InputLook {
  std::uint64_t size = 0;
  std::int64_t modified = 0;  ///< nanoseconds since the epoch
  std::int64_t changed = 0;   ///< the inode's change time, which no program can set back
  std::uint64_t inode = 0;
  friend bool operator==(const InputLook&, const InputLook&) = default;
};

std::optional<InputLook> look_at(int folder, const char* name) {
  struct stat info {};
  if (::fstatat(folder, name, &info, 0) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  constexpr std::int64_t billion = 1'000'000'000;
  return InputLook{.size = static_cast<std::uint64_t>(info.st_size),
                   .modified = info.st_mtim.tv_sec * billion + info.st_mtim.tv_nsec,
                   .changed = info.st_ctim.tv_sec * billion + info.st_ctim.tv_nsec,
                   .inode = info.st_ino};
}

/// InputRecords as read: "plainsight-inputs 1 <taken>" then "<hash> <size> <modified> <changed>
/// <inode> <name>" lines, the names being the inputs' from the site folder.
class KeptInputs {
 public:
  explicit KeptInputs(std::string_view text) {
    auto lines = split_lines(text);
    // Records made at an unknown time (0) are never trusted.
    if (lines.empty() || !lines.front().starts_with(input_records_header) ||
        !parse_number(lines.front().substr(input_records_header.size()), taken_) || taken_ <= second)
      return;
    for (const auto line : std::span(lines).subspan(1)) {
      std::array<std::string_view, 6> fields;
      std::size_t from = 0;
      for (std::size_t i = 0; i + 1 < fields.size() && from <= line.size(); ++i) {
        const auto space = std::min(line.find(' ', from), line.size());
        fields[i] = line.substr(from, space - from);
        from = space + 1;
      }
      Kept kept;
      if (from > line.size() || !parse_number(fields[0], kept.hash, 16) || !parse_number(fields[1], kept.look.size) ||
          !parse_number(fields[2], kept.look.modified) || !parse_number(fields[3], kept.look.changed) || !parse_number(fields[4], kept.look.inode))
        continue;
      kept.name = line.substr(from);
      entries_.push_back(kept);
    }
  }

  /// The index of each input's record, or -1: most often the records are in the same order.
  std::vector<std::ptrdiff_t> find(const InputFiles& inputs) const {
    std::vector<std::ptrdiff_t> found(inputs.paths.size(), -1);
    std::unordered_map<std::string_view, std::size_t> by_name;
    for (std::size_t i = 0; i < inputs.paths.size(); ++i) {
      if (i < entries_.size() && entries_[i].name == inputs.name(i)) {
        found[i] = static_cast<std::ptrdiff_t>(i);
        continue;
      }
      if (by_name.empty())
        for (std::size_t k = 0; k < entries_.size(); ++k) by_name.emplace(entries_[k].name, k);
      if (const auto at = by_name.find(inputs.name(i)); at != by_name.end()) found[i] = static_cast<std::ptrdiff_t>(at->second);
    }
    return found;
  }

  /// The hash kept for a file that looks now as it did then, unless it was changed so shortly
  /// before the records were made that a change since could have left its times the same.
  std::optional<std::uint64_t> hash_if_untouched(std::ptrdiff_t index, const InputLook& now) const {
    if (index < 0) return std::nullopt;
    const auto& kept = entries_[static_cast<std::size_t>(index)];
    if (kept.look != now || kept.look.changed >= taken_ - second) return std::nullopt;
    return kept.hash;
  }

 private:
  struct Kept {
    std::string_view name;
    std::uint64_t hash = 0;
    InputLook look;
  };
  static constexpr std::int64_t second = 1'000'000'000;
  std::int64_t taken_ = 0;
  std::vector<Kept> entries_;
};

/// Where a theme's folder that is a link leads, as a path in the site folder, when that is a
/// folder in the site with no hidden name on the way: Theme::load reads a theme there. Not one
/// in content/ or themes/, whose files are listed already.
std::optional<fs::path> linked_theme_folder(const fs::path& link, const fs::path& site_dir) {
  std::error_code error;
  const auto site = fs::canonical(site_dir, error);
  const auto target = fs::canonical(link, error);
  if (error || !fs::is_directory(target, error) || target == site || !is_within(target, site) ||
      is_within(target, fs::weakly_canonical(site_dir / "content", error)) || is_within(target, fs::weakly_canonical(site_dir / "themes", error)))
    return std::nullopt;
  const auto in_site = visible_path_in(target, site);
  if (!in_site) return std::nullopt;
  return site_dir / *in_site;
}

}  // namespace

InputFiles list_inputs(const BuildOptions& options) {
  InputFiles inputs;
  const auto themes = options.site_dir / "themes";
  std::vector<fs::path> linked_themes;
  auto add = [&](const fs::path& path, const fs::path& boundary) {
    auto walk = walk_site_folder(path, boundary, [](std::string_view name) { return name.starts_with('.'); });
    inputs.paths.insert(inputs.paths.end(), std::make_move_iterator(walk.files.begin()), std::make_move_iterator(walk.files.end()));
    if (path == options.site_dir / "content") inputs.content_through_links = walk.through_links;
    for (const auto& problem : walk.problems) {
      if (boundary == themes && fs::path(problem.path).parent_path() == themes)
        if (auto theme = linked_theme_folder(problem.path, options.site_dir)) {
          linked_themes.push_back(std::move(*theme));
          continue;
        }
      inputs.refused += "! " + relative_path(problem.path, options.site_dir) + '\n';
    }
  };
  for (const char* source : {"site.json", "content", "themes", "templates", "partials", "static"}) {
    const auto path = options.site_dir / source;
    inputs.name_from = path.native().size() - std::string_view(source).size();  // the same for every source
    add(path, fs::is_directory(fs::symlink_status(path)) ? path : options.site_dir);
  }
  // Each once, though two links lead there; walked with themes/ behind, so none is added now.
  std::sort(linked_themes.begin(), linked_themes.end());
  linked_themes.erase(std::unique(linked_themes.begin(), linked_themes.end()), linked_themes.end());
  for (const auto& theme : std::exchange(linked_themes, {})) add(theme, theme);
  return inputs;
}

std::uint64_t input_fingerprint(const BuildOptions& options, std::string_view generator, ContentListing* listing) {
  auto inputs = list_inputs(options);
  const auto fingerprint = input_fingerprint(inputs, options, generator);
  if (listing) *listing = content_listing_of(inputs, options);
  return fingerprint;
}

std::uint64_t input_fingerprint(InputFiles& inputs, const BuildOptions& options, std::string_view generator, InputRecords* records) {
  const auto& files = inputs.paths;
  const KeptInputs kept(records ? std::string_view(records->text) : std::string_view{});
  const auto kept_index = kept.find(inputs);
  // Each file is looked at and read from its folder, opened once for a run of its files: the
  // kernel then looks up one name per file, not every folder on its path again.
  auto folder_of = [](std::string_view file) { return file.substr(0, file.rfind('/') + 1); };  // with its '/'
  const auto runs = runs_of(files.size(), [&](std::size_t i) { return folder_of(files[i]); });
  inputs.hashes.assign(files.size(), std::nullopt);
  std::vector<std::optional<InputLook>> looks(files.size());
  std::vector<char> was_kept(files.size());
  parallel_for(runs.size(), options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()), [&](std::size_t run) {
    thread_local std::vector<char> buffer;
    const auto [begin, end] = runs[run];
    const auto folder_name = folder_of(files[begin]);
    const int folder = folder_name.empty() ? AT_FDCWD : ::open(std::string(folder_name).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    for (auto i = begin; i < end && folder != -1; ++i) {
      const auto name = files[i].c_str() + folder_name.size();
      if (records && (looks[i] = look_at(folder, name)))  // looked at before it is read: a change while it is read is a change after
        if (const auto hash = kept.hash_if_untouched(kept_index[i], *looks[i])) {
          inputs.hashes[i] = *hash;
          was_kept[i] = true;
          continue;
        }
      if (const auto bytes = read_plain_file_into(folder, name, buffer)) inputs.hashes[i] = content_hash(*bytes);
    }
    if (folder >= 0) ::close(folder);
  });
  // Records made again only when a file was read: the old ones still hold for the rest.
  if (records && !std::all_of(was_kept.begin(), was_kept.end(), [](char kept_one) { return kept_one; })) {
    std::string text = fmt::format("{}{}\n", input_records_header, inputs.listed);
    for (std::size_t i = 0; i < files.size(); ++i)
      if (inputs.hashes[i] && looks[i] && inputs.name(i).find('\n') == std::string_view::npos)
        fmt::format_to(std::back_inserter(text), "{:016x} {} {} {} {} {}\n", *inputs.hashes[i], looks[i]->size, looks[i]->modified, looks[i]->changed,
                       looks[i]->inode, inputs.name(i));
    records->text = std::move(text);
  }
  std::string summary = std::string(generator) + '\n' + options.base_url + '\n' + (options.include_drafts ? "drafts" : "") +
                        (options.strict ? " strict" : "") + '\n' + inputs.refused;
  // Each name after its length: a name holding a line break cannot pass for other lines.
  for (std::size_t i = 0; i < files.size(); ++i)
    fmt::format_to(std::back_inserter(summary), "{}:{} {}\n", inputs.name(i).size(), inputs.name(i), inputs.hashes[i].value_or(0));
  return content_hash(summary);
}

ContentListing content_listing_of(const InputFiles& inputs, const BuildOptions& options) {
  ContentListing listing;
  const auto folder = options.site_dir / "content";
  const auto content = folder.string() + '/';
  // The fingerprint's walk lists what the loader's would when it found no problem and content/
  // is a folder, not a link (the loader's walk keeps inside content/, the fingerprint's inside
  // the site), but for the names the loader leaves out, in any folder below content/.
  const bool same_walk = inputs.refused.empty() && fs::is_directory(fs::symlink_status(folder));
  auto ignored = [&](std::string_view path) {
    for (std::size_t start = content.size(), end = 0; start <= path.size(); start = end + 1) {
      end = std::min(path.find('/', start), path.size());
      if (is_ignored_name(path.substr(start, end - start))) return true;
    }
    return false;
  };
  std::vector<std::string> files;
  ContentHasher others;
  others.add(inputs.refused);
  for (std::size_t i = 0; i < inputs.paths.size(); ++i) {
    const auto& path = inputs.paths[i];
    const bool markdown = path.starts_with(content) && is_markdown_name(path);
    const auto name = inputs.name(i);
    others.add_number(name.size());
    others.add(name);
    others.add_number(markdown ? 0 : inputs.hashes[i].has_value() + 1);
    if (!markdown && inputs.hashes[i]) others.add_number(*inputs.hashes[i]);
    if (!path.starts_with(content)) continue;
    if (same_walk && !ignored(path)) files.push_back(path);
    if (markdown && inputs.hashes[i]) listing.markdown_hashes.emplace(path, *inputs.hashes[i]);
  }
  if (same_walk) listing.files = std::move(files);
  listing.through_links = inputs.content_through_links;
  listing.other_inputs = others.digest();
  return listing;
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
  for (const auto& name : {std::string(manifest_name), std::string(folder_record_name), std::string(input_records_name), std::string(clock_name)}) {
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
  /// Read-only once loaded, but for each record's `kept`: put() and keep() read it from any thread.
  std::map<std::string, FileRecord> previous;
  std::vector<std::string> previous_warnings;
  InputRecords input_records;
  std::string kept_input_records;  ///< as read: written again only when they changed
  std::mutex mutex;
  std::map<std::string, FileRecord> current;  ///< what was put; what was kept joins it on commit
  std::vector<std::string> staged;
  std::atomic<std::size_t> kept{0};
  bool fresh = false;    ///< the folder is new or empty: staged folders are moved in whole
  bool created = false;  ///< the folder did not exist: a build that fails leaves none
  std::string refused;   ///< why the folder may not be built into (see refusal()), or ""
  bool committed = false;

  /// up_to_date()'s look at each file the last build wrote, each from the folder two above it
  /// ("news/"), opened once for a run of its files: "a-title/index.html" is then two names for
  /// the kernel to find, not every folder on the way from the output folder.
  struct OutputLook {
    int root = -1;  ///< the output folder, open
    std::vector<std::pair<const std::string, FileRecord>*> files;
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    std::size_t looked = 0;  ///< runs looked at by look_ahead()
    bool as_left = true;     ///< what they showed

    static std::string_view group_of(std::string_view path) {
      const auto parent = path.rfind('/');
      const auto above = parent == std::string_view::npos || parent == 0 ? std::string_view::npos : path.rfind('/', parent - 1);
      return above == std::string_view::npos ? std::string_view{} : path.substr(0, above + 1);
    }

    explicit OutputLook(State& state) : root(::open(state.out.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) {
      files.reserve(state.previous.size());
      for (auto& entry : state.previous) files.push_back(&entry);
      runs = runs_of(files.size(), [&](std::size_t i) { return group_of(files[i]->first); });
    }
    ~OutputLook() {
      if (root >= 0) ::close(root);
    }
    OutputLook(const OutputLook&) = delete;
    OutputLook& operator=(const OutputLook&) = delete;

    /// Whether each file of the run is as the last build left it.
    bool run_as_left(std::size_t run) const {
      const auto [begin, end] = runs[run];
      const auto group = group_of(files[begin]->first);
      const int folder =
          root < 0 || group.empty() || end - begin == 1 ? root : ::openat(root, std::string(group).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
      const auto skipped = folder == root ? 0 : group.size();
      bool all_as_left = folder >= 0;
      for (auto i = begin; i < end && all_as_left; ++i)
        all_as_left = files[i]->second.seen_as_left =
            files[i]->second.known && left_as_recorded_at(folder, files[i]->first.c_str() + skipped, files[i]->second);
      if (folder != root && folder >= 0) ::close(folder);
      return all_as_left;
    }
  };
  std::unique_ptr<OutputLook> look;

  OutputLook& output_look() {
    if (!look) look = std::make_unique<OutputLook>(*this);
    return *look;
  }

  /// Whether the build state's folder is there and may be written to.
  bool state_kept() const { return state_problem.empty() && standing_at(state) == Standing::folder; }

  void save_input_records() {
    if (input_records.text.empty() || input_records.text == kept_input_records) return;
    write_file_atomically(state / input_records_name, input_records.text);
    kept_input_records = input_records.text;
  }

  /// Whether a file the last build wrote is still as it left it: from what look_ahead() saw, or
  /// looked at now.
  bool as_left(const std::string& path, const FileRecord& record) const {
    if (record.seen_as_left) return true;
    return look ? left_as_recorded_at(look->root, path.c_str(), record) : left_as_recorded(out / path, record);
  }

  /// Whether the last build wrote this file and this one does not: it is removed on commit.
  bool stale(const std::string& path) const {
    const auto last = previous.find(path);
    return last != previous.end() && !last->second.kept && !current.contains(path);
  }

  /// Moves the records of the files kept into `current`, among those put: both are in path
  /// order, so each is moved once, in place, with no path copied or compared again.
  void add_kept_to_current() {
    auto after = current.begin();
    for (auto record = previous.begin(); record != previous.end();) {
      if (!record->second.kept) {
        ++record;
        continue;
      }
      auto node = previous.extract(record++);
      while (after != current.end() && after->first < node.key()) ++after;
      current.insert(after, std::move(node));
    }
  }

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
    const auto record = read_file_not_through_link(state.state / folder_record_name);
    const auto id_at = record ? record->rfind(folder_id_prefix) : std::string::npos;
    if (has_manifest && !state.fresh && id_at != std::string::npos &&
        trim(std::string_view(*record).substr(id_at + folder_id_prefix.size())) != folder_id(state.out).value_or("")) {
      has_manifest = false;
      state.previous_inputs.reset();
      state.previous.clear();
      state.previous_warnings.clear();
    }
  }
  if (has_manifest) state.input_records.text = state.kept_input_records = read_file_not_through_link(state.state / input_records_name).value_or("");
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

void OutputFolder::look_ahead(const std::atomic<bool>& keep_going) {
  auto& look = state_->output_look();
  while (look.looked < look.runs.size() && look.as_left && keep_going.load(std::memory_order_relaxed)) look.as_left = look.run_as_left(look.looked++);
}

bool OutputFolder::up_to_date(std::uint64_t inputs) const {
  // A manifest left in the output folder by an earlier version is moved out by a build.
  if (state_->legacy || state_->previous_inputs != inputs) return false;
  // One look at each file the last build wrote (but those looked at ahead), on every core: the
  // check is its system calls.
  auto& look = state_->output_look();
  if (look.root < 0) return false;  // no output folder
  std::atomic<bool> as_left{look.as_left};
  parallel_for(look.runs.size() - look.looked, std::max(1u, std::thread::hardware_concurrency()), [&](std::size_t run) {
    if (as_left.load(std::memory_order_relaxed) && !look.run_as_left(look.looked + run)) as_left.store(false, std::memory_order_relaxed);
  });
  return as_left.load();
}

const fs::path& OutputFolder::state_folder() const { return state_->state; }
std::size_t OutputFolder::previous_file_count() const { return state_->previous.size(); }
const std::vector<std::string>& OutputFolder::previous_warnings() const { return state_->previous_warnings; }
InputRecords& OutputFolder::input_records() { return state_->input_records; }

std::optional<std::int64_t> OutputFolder::clock_now() {
  if (!state_->state_kept()) return std::nullopt;
  const auto clock = state_->state / clock_name;
  const int descriptor = ::open(clock.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0666);
  if (descriptor < 0) return std::nullopt;
  struct stat info {};
  const bool stamped = ::futimens(descriptor, nullptr) == 0 && ::fstat(descriptor, &info) == 0 && S_ISREG(info.st_mode);
  ::close(descriptor);
  if (!stamped) return std::nullopt;
  // The change time, as the inputs' records compare: set by the kernel, never by a program.
  return static_cast<std::int64_t>(info.st_ctim.tv_sec) * 1'000'000'000 + info.st_ctim.tv_nsec;
}

void OutputFolder::keep_input_records() {
  if (state_->state_kept()) state_->save_input_records();
}

bool OutputFolder::keep(const std::string& path, std::uint64_t inputs) {
  const auto old = state_->previous.find(path);
  if (inputs == 0 || old == state_->previous.end() || !old->second.known || old->second.inputs != (inputs ^ state_->salt)) return false;
  if (!state_->as_left(path, old->second)) return false;
  old->second.kept = true;  // not added to `current` here: that would copy the path, under a lock, for each page
  state_->kept.fetch_add(1, std::memory_order_relaxed);
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
    if (state_->as_left(path, old->second)) {
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
  state.add_kept_to_current();
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
  stats.kept = state.kept.exchange(0);
  std::string manifest = fmt::format("{}{:016x}\n", manifest_header, inputs);
  for (auto warning : warnings) {
    std::replace(warning.begin(), warning.end(), '\n', ' ');
    manifest += "! " + warning + '\n';
  }
  for (const auto& [path, record] : state.current)
    fmt::format_to(std::back_inserter(manifest), "{:016x} {:016x} {} {} {}\n", record.hash, record.inputs, record.size, record.modified, path);
  fs::create_directories(state.out);
  write_file_atomically(state.state / manifest_name, manifest);
  state_->save_input_records();
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
  state.look.reset();  // it points into the list being replaced, and saw the folder before this build
  for (auto& [path, record] : state.current) record.seen_as_left = record.kept = false;
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
