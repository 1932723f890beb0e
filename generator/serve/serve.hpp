#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace plainsight {

struct ServeOptions {
  std::filesystem::path site_dir = ".";
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 picks a free port
  bool include_drafts = false;
  bool force_polling = false;  ///< watch by polling even where inotify works
  /// Where the server reports what it does: the address, each rebuild and its errors.
  std::function<void(const std::string& line)> log;
};

/// `plainsight serve`: builds the site into memory, serves it over HTTP, and rebuilds and
/// reloads open pages when its files change.
class PreviewServer {
 public:
  explicit PreviewServer(ServeOptions options);
  ~PreviewServer();
  PreviewServer(const PreviewServer&) = delete;
  PreviewServer& operator=(const PreviewServer&) = delete;

  /// Binds the port and builds the site (a failed build is served as its error overlay).
  /// False, with the reason in `error`, when the address cannot be used.
  bool start(std::string& error);
  /// Serves and watches until `stop_requested` becomes true (a signal handler may set it).
  /// Returns false when connections were still open 300 ms after stopping (each is told to end
  /// at once, so this means a stuck one), and destroying the server would wait for them.
  bool run(const std::atomic<bool>& stop_requested);
  /// The port being served, once started.
  [[nodiscard]] int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace plainsight
