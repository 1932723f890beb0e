#include "serve/watcher.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "core/files.hpp"

namespace plainsight {
namespace fs = std::filesystem;
namespace {

constexpr auto poll_interval = std::chrono::milliseconds(250);
/// Editors write a file in several steps (truncate, write, rename): wait this long after the
/// last event before reporting, so a half-written file is not built.
constexpr auto settle_time = std::chrono::milliseconds(15);
constexpr auto longest_settle = std::chrono::milliseconds(300);

const std::array<const char*, 5> watched_folders = {"content", "themes", "templates", "partials", "static"};

bool is_ignored_name(const std::string& name) {
  return name.empty() || name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") ||
         name == "4913";  // vim's test file
}

bool is_watched_top_level(const std::string& name) {
  if (name == "site.json") return true;
  return std::any_of(watched_folders.begin(), watched_folders.end(), [&](const char* folder) { return name == folder; });
}

/// The folders one look through the watched folders goes into, once each: a link to a folder is
/// followed when it leads elsewhere in the site (a theme's folder may), never to the site itself,
/// a hidden folder or one seen already in the same look, so the look ends.
class FolderVisits {
 public:
  explicit FolderVisits(const fs::path& site_dir) : site_(fs::weakly_canonical(site_dir)) {}

  /// The real folder behind `dir`, the first time it is met; nullopt for one seen already, or
  /// one outside the site, the site itself or a hidden folder of it.
  std::optional<fs::path> enter(const fs::path& dir) {
    std::error_code error;
    auto real = fs::canonical(dir, error);
    if (error || !fs::is_directory(real, error)) return std::nullopt;
    if (const auto in_site = visible_path_in(real, site_); !in_site || *in_site == ".") return std::nullopt;
    if (!seen_.insert(real).second) return std::nullopt;
    return real;
  }

 private:
  fs::path site_;
  std::set<fs::path> seen_;
};

using Snapshot = std::map<fs::path, std::pair<fs::file_time_type, std::uintmax_t>>;

void snapshot_tree(const fs::path& root, Snapshot& into, FolderVisits& visits) {
  std::error_code error;
  if (fs::is_regular_file(root, error)) {
    into[root] = {fs::last_write_time(root, error), fs::file_size(root, error)};
    return;
  }
  if (!visits.enter(root)) return;
  // increment(error): a folder may go while it is read
  for (auto entry = fs::directory_iterator(root, error); !error && entry != fs::directory_iterator(); entry.increment(error)) {
    if (is_ignored_name(entry->path().filename().string())) continue;
    if (std::error_code look; entry->is_regular_file(look))
      into[entry->path()] = {entry->last_write_time(look), entry->file_size(look)};
    else if (entry->is_directory(look))
      snapshot_tree(entry->path(), into, visits);
  }
}

}  // namespace

struct FileWatcher::Impl {
  fs::path site_dir;
  int inotify = -1;
  std::map<int, fs::path> folders;  ///< watch descriptor → folder
  Snapshot snapshot;                ///< for polling

  /// Watches `dir` and the folders below it (a folder watched already takes its new name).
  void watch_tree(const fs::path& dir, FileChanges* report_files, FolderVisits& visits) {
    if (!visits.enter(dir)) return;
    const auto mask = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR;
    if (const int wd = inotify_add_watch(inotify, dir.c_str(), mask); wd >= 0) folders[wd] = dir;
    std::error_code error;
    for (auto entry = fs::directory_iterator(dir, error); !error && entry != fs::directory_iterator(); entry.increment(error)) {
      if (is_ignored_name(entry->path().filename().string())) continue;
      if (std::error_code look; entry->is_directory(look))  // through a link too, where visits.enter() allows
        watch_tree(entry->path(), report_files, visits);
      else if (report_files && entry->is_regular_file(look))
        report_files->paths.push_back(entry->path());
    }
  }
  void watch_tree(const fs::path& dir, FileChanges* report_files) {
    FolderVisits visits(site_dir);
    watch_tree(dir, report_files, visits);
  }

  void start_inotify() {
    inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify < 0) return;
    // The site folder itself, for site.json (editors often replace it) and for watched folders that appear later.
    const auto mask = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR;
    if (const int wd = inotify_add_watch(inotify, site_dir.c_str(), mask); wd >= 0) folders[wd] = site_dir;
    FolderVisits visits(site_dir);
    for (const char* folder : watched_folders) watch_tree(site_dir / folder, nullptr, visits);
  }

  /// Reads the pending events into `changes`; false when there were none.
  bool read_events(FileChanges& changes) {
    alignas(inotify_event) std::array<char, 64 * 1024> buffer;
    bool any = false;
    for (;;) {
      const auto length = ::read(inotify, buffer.data(), buffer.size());
      if (length <= 0) break;
      for (std::size_t at = 0; at < static_cast<std::size_t>(length);) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
        at += sizeof(inotify_event) + event->len;
        if (event->mask & IN_Q_OVERFLOW) {
          changes.unknown = any = true;
          continue;
        }
        const auto folder = folders.find(event->wd);
        if (folder == folders.end()) continue;
        if (event->mask & IN_IGNORED) {
          folders.erase(folder);
          continue;
        }
        if (event->len == 0) continue;
        const std::string name = event->name;
        if (is_ignored_name(name)) continue;
        const bool top_level = folder->second == site_dir;
        if (top_level && !is_watched_top_level(name)) continue;
        const auto path = folder->second / name;
        any = true;
        if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO))) {
          watch_tree(path, &changes);  // a new folder: watch it, and its files are new
        } else if (event->mask & IN_ISDIR) {
          changes.unknown = true;  // a folder went away: its files are gone
        } else {
          changes.paths.push_back(path);
          // A link to a folder, new or put in place: the folder it leads to is watched too.
          if (std::error_code error; (event->mask & (IN_CREATE | IN_MOVED_TO)) && fs::is_directory(path, error)) watch_tree(path, &changes);
        }
      }
    }
    return any;
  }

  FileChanges wait_inotify(std::chrono::milliseconds timeout) {
    FileChanges changes;
    pollfd watched{inotify, POLLIN, 0};
    if (::poll(&watched, 1, static_cast<int>(timeout.count())) <= 0 || !read_events(changes)) return changes;
    const auto started = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - started < longest_settle) {
      if (::poll(&watched, 1, static_cast<int>(settle_time.count())) <= 0) break;
      read_events(changes);
    }
    return changes;
  }

  Snapshot take_snapshot() const {
    Snapshot now;
    FolderVisits seen(site_dir);
    snapshot_tree(site_dir / "site.json", now, seen);
    for (const char* folder : watched_folders) snapshot_tree(site_dir / folder, now, seen);
    return now;
  }

  FileChanges wait_polling(std::chrono::milliseconds timeout) {
    FileChanges changes;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      auto now = take_snapshot();
      for (const auto& [path, stamp] : now)
        if (auto old = snapshot.find(path); old == snapshot.end() || old->second != stamp) changes.paths.push_back(path);
      for (const auto& [path, stamp] : snapshot)
        if (!now.contains(path)) changes.paths.push_back(path);
      snapshot = std::move(now);
      if (!changes.empty()) return changes;
      std::this_thread::sleep_for(
          std::min<std::chrono::nanoseconds>(poll_interval, std::max<std::chrono::nanoseconds>(deadline - std::chrono::steady_clock::now(), {})));
    } while (std::chrono::steady_clock::now() < deadline);
    return changes;
  }
};

FileWatcher::FileWatcher(const fs::path& site_dir, bool force_polling) : impl_(std::make_unique<Impl>()) {
  impl_->site_dir = site_dir;
  if (!force_polling) impl_->start_inotify();
  if (impl_->inotify < 0) impl_->snapshot = impl_->take_snapshot();
}

FileWatcher::~FileWatcher() {
  if (impl_->inotify >= 0) ::close(impl_->inotify);
}

FileChanges FileWatcher::wait(std::chrono::milliseconds timeout) {
  auto changes = impl_->inotify >= 0 ? impl_->wait_inotify(timeout) : impl_->wait_polling(timeout);
  std::sort(changes.paths.begin(), changes.paths.end());
  changes.paths.erase(std::unique(changes.paths.begin(), changes.paths.end()), changes.paths.end());
  return changes;
}

bool FileWatcher::uses_inotify() const { return impl_->inotify >= 0; }

}  // namespace plainsight
