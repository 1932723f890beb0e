#include "core/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <set>
#include <system_error>
#include <tuple>

namespace plainsight {

std::optional<std::string_view> read_plain_file_into(const std::filesystem::path& path, std::vector<char>& buffer) {
  return read_plain_file_into(AT_FDCWD, path.c_str(), buffer);
}

std::optional<std::string_view> read_plain_file_into(int folder, const char* name, std::vector<char>& buffer) {
  // Without blocking, and only a regular file: a pipe or a device (/dev/zero through a link)
  // put in its place since the walk would otherwise be read for ever, or wait for a writer.
  const int descriptor = ::openat(folder, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (descriptor < 0) return std::nullopt;
  if (struct stat info{}; ::fstat(descriptor, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(descriptor);
    return std::nullopt;
  }
  if (buffer.size() < 64 * 1024) buffer.resize(64 * 1024);
  std::size_t done = 0;
  bool ok = true;
  for (;;) {
    if (done == buffer.size()) buffer.resize(buffer.size() * 2);
    const auto wanted = buffer.size() - done;
    const auto got = ::read(descriptor, buffer.data() + done, wanted);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) ok = false;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
    // A plain file gives less than asked only at its end: no second call to find that out. (Were
    // a read cut short, by a file written as it is read, the hash is of the bytes read, and the
    // build is made from the file as they were: the next build sees the rest.)
    if (static_cast<std::size_t>(got) < wanted) break;
  }
  ::close(descriptor);
  if (!ok) return std::nullopt;
  return std::string_view(buffer.data(), done);
}

namespace {

/// The bytes of the open file, when it is a regular one; closes it.
std::optional<std::string> read_open_file(int descriptor) {
  if (descriptor < 0) return std::nullopt;
  std::optional<std::string> bytes;
  struct stat info {};
  if (::fstat(descriptor, &info) == 0 && S_ISREG(info.st_mode)) {
    bytes.emplace(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t done = 0;
    for (;;) {
      const auto got = done < bytes->size() ? ::read(descriptor, bytes->data() + done, bytes->size() - done) : 0;
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) bytes.reset();
      if (got <= 0) break;
      done += static_cast<std::size_t>(got);
    }
    if (bytes) bytes->resize(done);  // a file that shrank while it was read
  }
  ::close(descriptor);
  return bytes;
}

}  // namespace

std::optional<std::string> read_file(const std::filesystem::path& path) {
  // Opened without blocking and read only when it is a regular file: a pipe named like a page
  // would wait forever for a writer, and a folder would report a size it does not have.
  return read_open_file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
}

std::optional<std::string> read_file_not_through_link(const std::filesystem::path& path) {
  return read_open_file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW));
}

namespace {

/// Makes the folder and those it is in that are missing, trying mkdir first: a new page's folder
/// is usually one level below one that exists (create_directories would stat both first).
void make_folders(const std::filesystem::path& folder) {
  if (::mkdir(folder.c_str(), 0777) == 0 || errno == EEXIST) return;  // the umask decides, as for any program
  if (errno != ENOENT || !folder.has_parent_path() || folder.parent_path() == folder) {
    std::filesystem::create_directories(folder);  // reports the error
    return;
  }
  make_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST) std::filesystem::create_directories(folder);
}

}  // namespace

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  // Opened first and the folder made only when it is missing: a build writes thousands of
  // files into folders that mostly exist already, and a stat of the folder for each costs.
  auto open_file = [&] { return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666); };
  int descriptor = open_file();
  if (descriptor < 0 && errno == ENOENT && path.has_parent_path()) {
    make_folders(path.parent_path());
    descriptor = open_file();
  }
  if (descriptor < 0) throw std::filesystem::filesystem_error("cannot write", path, std::error_code(errno, std::generic_category()));
  std::size_t done = 0;
  int error = 0;
  while (done < bytes.size() && !error) {
    const auto wrote = ::write(descriptor, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0)
      error = errno;
    else if (wrote == 0)
      error = EIO;
    else
      done += static_cast<std::size_t>(wrote);
  }
  if (::close(descriptor) != 0 && !error) error = errno;
  if (error) throw std::filesystem::filesystem_error("cannot write", path, std::error_code(error, std::generic_category()));
}

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
  auto temporary = path;
  temporary += ".plainsight-tmp";
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);  // a link left there is removed, never written through
  write_file(temporary, bytes);
  std::filesystem::rename(temporary, path);
}

std::string relative_path(const std::filesystem::path& path, const std::filesystem::path& base) {
  return path.lexically_relative(base).generic_string();
}

std::optional<std::filesystem::path> visible_path_in(const std::filesystem::path& real, const std::filesystem::path& site) {
  auto in_site = real.lexically_relative(site);
  if (in_site.empty() || std::any_of(in_site.begin(), in_site.end(), [](const std::filesystem::path& part) {
        return part == ".." || (part != "." && part.native().starts_with('.'));
      }))
    return std::nullopt;
  return in_site;
}

namespace {

/// Longest name most file systems take (NAME_MAX), and a whole output path well inside PATH_MAX
/// once the output folder's own path is put before it.
constexpr std::size_t longest_segment = 255;
constexpr std::size_t longest_output_path = 1024;

}  // namespace

std::string output_path_problem(std::string_view relative) {
  if (relative.empty()) return "it is empty";
  if (relative.size() > longest_output_path) return "it is longer than " + std::to_string(longest_output_path) + " bytes";
  if (relative.front() == '/') return "it starts with \"/\" (an absolute path)";
  for (const unsigned char c : relative) {
    if (c == '\\') return "it holds a backslash";
    if (c < 0x20 || c == 0x7f) return "it holds a control character";
  }
  for (std::size_t from = 0; from <= relative.size();) {
    const auto end = std::min(relative.find('/', from), relative.size());
    const auto segment = relative.substr(from, end - from);
    if (segment.empty()) return "it has an empty part (\"//\", or a name with no letter or digit)";
    if (segment == "." || segment == "..") return "it has a \"" + std::string(segment) + "\" part";
    if (segment.size() > longest_segment) return "a part of it is longer than " + std::to_string(longest_segment) + " bytes";
    if (segment.starts_with(".plainsight")) return "\"" + std::string(segment) + "\" is a name the build keeps for itself";
    // Hidden files are never published (static/ and content/ skip them): an alias must not
    // write .htaccess, which a web server would read as its own settings.
    if (segment.starts_with('.')) return "\"" + std::string(segment) + "\" is a hidden name, which is never published";
    from = end + 1;
  }
  return {};
}

bool is_ignored_name(std::string_view name) {
  return name.empty() || name.front() == '.' || name.back() == '~' || name.front() == '#' || name.ends_with(".swp");
}

FolderWalk walk_site_folder(const std::filesystem::path& dir, const std::filesystem::path& boundary,
                            const std::function<bool(std::string_view name)>& skip) {
  namespace fs = std::filesystem;
  using FolderId = std::tuple<dev_t, ino_t>;
  FolderWalk walk;
  std::error_code error;
  // `dir` itself may be a link only to a place in the folder that holds it (content/ to another
  // folder of the site, never out of it); what is below it, only to a place inside `boundary`.
  const auto holder = fs::weakly_canonical(dir.parent_path(), error);
  const auto inside = fs::weakly_canonical(boundary, error);
  std::set<FolderId> walked;
  std::vector<FolderId> holding;  // the folders from `dir` down to the one being walked
  // Why a link may not be followed, or "": it must lead to a file or folder inside `within` that
  // the walk would not have skipped there (a link to .git or .env would publish secrets).
  auto refusal = [&](const fs::path& link, const fs::path& within) -> std::string {
    std::error_code resolve_error;
    const auto target = fs::canonical(link, resolve_error);
    if (resolve_error) return "symbolic link that leads nowhere; remove it, or copy the file in instead";
    const auto below = target.lexically_relative(within);
    if (below.empty() || *below.begin() == "..")
      return "symbolic link points outside " + within.filename().string() + "/; copy what it points to into the site instead";
    for (const auto& part : below)
      if (part != "." && skip(part.string())) return "symbolic link leads to " + part.string() + ", a hidden or ignored name that is never published";
    return {};
  };
  // Paths are joined as strings and folders listed with readdir(): a walk of a site's inputs
  // is mostly system calls, and std::filesystem splits every path it makes into its parts.
  // `listed` is the type the folder's listing gave (DT_REG, DT_DIR, or another when it was a
  // link or not given): a plain file or a folder that is no link needs no look of its own.
  auto visit = [&](auto& self, const std::string& path, unsigned char listed) -> void {
    if (listed == DT_REG) {
      walk.files.push_back(path);
      return;
    }
    bool through_link = false;
    if (listed != DT_DIR) {
      struct stat info {};
      if (::lstat(path.c_str(), &info) != 0) return;  // gone since the folder was listed
      if (S_ISLNK(info.st_mode)) {
        if (auto why = refusal(path, path == dir.native() ? holder : inside); !why.empty()) {
          walk.problems.push_back({path, std::move(why)});
          return;
        }
        through_link = true;
        walk.through_links = walk.through_links || path != dir.native();
        if (::stat(path.c_str(), &info) != 0) return;
      }
      if (S_ISREG(info.st_mode)) {
        walk.files.push_back(path);
        return;
      }
      if (!S_ISDIR(info.st_mode)) {
        walk.problems.push_back({path, "neither a file nor a folder (a device, socket or pipe); remove it"});
        return;
      }
    }
    // A folder listed as one is opened without following a link: should a link have taken its
    // place since, it is looked at again as one.
    const int folder = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | (through_link ? 0 : O_NOFOLLOW));
    if (folder < 0) {
      // ENOTDIR for a link (or a file) put in the folder's place since it was listed, ELOOP on
      // some systems: looked at again for what it is now.
      if ((errno == ENOTDIR || errno == ELOOP) && listed == DT_DIR) self(self, path, DT_UNKNOWN);
      return;
    }
    struct stat info {};
    DIR* listing = ::fstat(folder, &info) == 0 ? ::fdopendir(folder) : nullptr;
    if (!listing) {
      ::close(folder);
      return;
    }
    const FolderId id{info.st_dev, info.st_ino};
    if (const bool loops = std::find(holding.begin(), holding.end(), id) != holding.end(); loops || !walked.insert(id).second) {
      ::closedir(listing);
      walk.problems.push_back({path, loops ? "symbolic link loops: it leads back to a folder that holds it"
                                           : "this folder is reached twice, once through a symbolic link; copy it instead of linking it"});
      return;
    }
    std::vector<std::pair<std::string, unsigned char>> entries;
    while (const auto* entry = ::readdir(listing)) {
      const std::string_view name = entry->d_name;
      if (name != "." && name != ".." && !skip(name)) entries.emplace_back(name, entry->d_type);
    }
    ::closedir(listing);
    std::sort(entries.begin(), entries.end());
    const auto prefix = path.ends_with('/') ? path : path + '/';
    holding.push_back(id);
    for (const auto& [name, type] : entries) self(self, prefix + name, type);
    holding.pop_back();
  };
  if (fs::exists(fs::symlink_status(dir, error))) visit(visit, dir.native(), DT_UNKNOWN);
  return walk;
}

}  // namespace plainsight
