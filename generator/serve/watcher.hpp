#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

namespace plainsight {

/// What changed under the watched paths.
struct FileChanges {
  std::vector<std::filesystem::path> paths;  ///< files written, created, moved or deleted
  bool unknown = false;                      ///< events were lost: anything may have changed

  [[nodiscard]] bool empty() const { return paths.empty() && !unknown; }
};

/// Watches a site's inputs: site.json, content/, themes/ and the site's own templates/,
/// partials/ and static/. Uses inotify, or polls every 250 ms where inotify is not available
/// (or when asked to). Hidden files and editors' backup files are ignored.
class FileWatcher {
 public:
  explicit FileWatcher(const std::filesystem::path& site_dir, bool force_polling = false);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  /// Waits up to `timeout` for a change, then for the writes to settle; empty on timeout.
  FileChanges wait(std::chrono::milliseconds timeout);
  [[nodiscard]] bool uses_inotify() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plainsight
