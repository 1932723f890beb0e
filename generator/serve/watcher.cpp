#include "serve/watcher.hpp"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <thread>

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

using Snapshot = std::map<fs::path, std::pair<fs::file_time_type, std::uintmax_t>>;

void snapshot_tree(const fs::path& root, Snapshot& into) {
  std::error_code error;
  if (fs::is_regular_file(root, error)) {
    into[root] = {fs::last_write_time(root, error), fs::file_size(root, error)};
    return;
  }
  if (!fs::is_directory(root, error)) return;
  for (auto it = fs::recursive_directory_iterator(root, error); !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (is_ignored_name(it->path().filename().string())) {
      if (it->is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error)) into[it->path()] = {it->last_write_time(error), it->file_size(error)};
  }
}

}  // namespace

struct FileWatcher::Impl {
  fs::path site_dir;
  int inotify = -1;
  std::map<int, fs::path> folders;  ///< watch descriptor → folder
  Snapshot snapshot;                ///< for polling

  void watch_tree(const fs::path& dir, FileChanges* report_files) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) return;
    const auto mask = IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR;
    if (const int wd = inotify_add_watch(inotify, dir.c_str(), mask); wd >= 0) folders[wd] = dir;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      if (is_ignored_name(entry.path().filename().string())) continue;
      if (entry.is_directory(error) && !entry.is_symlink(error))
        watch_tree(entry.path(), report_files);
      else if (report_files && entry.is_regular_file(error))
        report_files->paths.push_back(entry.path());
    }
  }

  void start_inotify() {
    inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify < 0) return;
    // The site folder itself, for site.json (editors often replace it) and for watched folders that appear later.
    const auto mask = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR;
    if (const int wd = inotify_add_watch(inotify, site_dir.c_str(), mask); wd >= 0) folders[wd] = site_dir;
    for (const char* folder : watched_folders) watch_tree(site_dir / folder, nullptr);
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
    snapshot_tree(site_dir / "site.json", now);
    for (const char* folder : watched_folders) snapshot_tree(site_dir / folder, now);
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
