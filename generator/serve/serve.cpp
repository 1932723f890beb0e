// The only file that includes httplib.h.
#include "serve/serve.hpp"

// httplib listens with a backlog of 5: a browser opening many connections at once, or a load
// test, would have connections dropped and retried seconds later.
#define CPPHTTPLIB_LISTEN_BACKLOG 128
#include <httplib.h>

#include <pthread.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include <fmt/format.h>

#include "serve/preview.hpp"
#include "serve/watcher.hpp"
#include "site/build.hpp"

namespace plainsight {
namespace {

/// Thrown from the build's progress callback to abandon a build when the server stops.
struct BuildCancelled {};

constexpr auto event_wait = std::chrono::milliseconds(250);
constexpr int heartbeat_every = 60;  ///< event waits: a comment every 15 s keeps proxies from closing the stream
constexpr std::size_t server_threads = 64;  ///< each open page holds one for its reload events

std::string url_host(const std::string& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

}  // namespace

struct PreviewServer::Impl {
  ServeOptions options;
  httplib::Server server;
  std::unique_ptr<SiteBuilder> builder;
  /// Made before the first build, so that a file saved while it runs is not missed.
  std::unique_ptr<FileWatcher> watcher;
  int port = 0;
  std::thread listener;
  std::atomic<bool> listener_done{false};

  std::shared_mutex site_mutex;
  PreviewSite site;

  std::mutex events_mutex;
  std::condition_variable events_changed;
  std::atomic<std::uint64_t> version{0};
  std::atomic<bool> stopping{false};
  const std::atomic<bool>* stop_requested = nullptr;

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  void routes() {
    server.new_task_queue = [] { return new httplib::ThreadPool(server_threads); };
    // httplib's default also sets SO_REUSEPORT, which would let a second preview share the port.
    server.set_socket_options([](socket_t socket) {
      int yes = 1;
      setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_keep_alive_timeout(1);
    server.set_keep_alive_max_count(100000);
    server.set_read_timeout(0, 500000);
    server.Get(std::string(preview_prefix) + "events", [this](const httplib::Request& request, httplib::Response& response) {
      send_reload_events(request, response);
    });
    server.Get(".*", [this](const httplib::Request& request, httplib::Response& response) { answer(request, response); });
    // Requests httplib refuses before routing (an over-long URL is 414 there) get 400, like
    // every other request that is not a path of the site.
    server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
      if (!response.body.empty()) return;
      if (response.status == 414) response.status = 400;
      response.set_content(response.status == 400 ? "Bad request\n" : fmt::format("Error {}\n", response.status), "text/plain; charset=utf-8");
    });
  }

  void answer(const httplib::Request& request, httplib::Response& response) {
    PreviewResponse answer;
    {
      std::shared_lock lock(site_mutex);
      answer = preview_response(site, request.path, request.get_header_value("If-None-Match"));
    }
    response.status = answer.status;
    response.set_header("Cache-Control", "no-cache");
    response.set_header("X-Content-Type-Options", "nosniff");
    if (!answer.location.empty()) response.set_header("Location", answer.location);
    if (!answer.etag.empty()) response.set_header("ETag", answer.etag);
    if (answer.status != 304) response.set_content(std::move(answer.body), answer.content_type);
  }

  void send_reload_events(const httplib::Request& request, httplib::Response& response) {
    std::uint64_t seen = std::strtoull(request.get_param_value("since").c_str(), nullptr, 10);
    response.set_header("Cache-Control", "no-store");
    response.set_chunked_content_provider("text/event-stream", [this, seen, waits = 0](std::size_t, httplib::DataSink& sink) mutable {
      std::string message = waits == 0 ? "retry: 500\n\n" : "";
      {
        std::unique_lock lock(events_mutex);
        events_changed.wait_for(lock, event_wait, [&] { return stopping.load() || version.load() != seen; });
      }
      if (stopping) return false;
      if (const auto now = version.load(); now != seen) {
        seen = now;
        message += fmt::format("event: reload\ndata: {}\n\n", now);
      } else if (++waits % heartbeat_every == 0) {
        message += ": waiting for changes\n\n";
      }
      if (waits == 0) ++waits;
      return message.empty() || sink.write(message.data(), message.size());
    });
  }

  /// After an edit the pages are served at once and the search index waits until the files
  /// have been quiet for a moment: on a large site it takes longer than the pages did.
  /// Copies the builder's changed outputs into the served site; the caller holds site_mutex.
  void take_changed_outputs() {
    const auto& files = builder->output().files;
    for (const auto& path : builder->changed_outputs()) {
      if (auto found = files.find(path); found != files.end()) site.files[path] = found->second;
      else site.files.erase(path);
    }
  }

  void refresh_search_index() {
    const auto started = std::chrono::steady_clock::now();
    if (!builder->refresh_search_index()) return;
    {
      std::unique_lock lock(site_mutex);
      take_changed_outputs();
    }
    log(fmt::format("Search index updated in {:.0f} ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count()));
  }

  void rebuild(const FileChanges& changes) {
    const auto started = std::chrono::steady_clock::now();
    Diagnostics diagnostics;
    const bool built = builder->update(changes.unknown ? std::vector<std::filesystem::path>{} : changes.paths, diagnostics);
    for (const auto& diagnostic : diagnostics.sorted()) log(format_diagnostic(diagnostic));
    std::size_t changed = 0;
    {
      std::unique_lock lock(site_mutex);
      if (built) {
        take_changed_outputs();
        changed = builder->changed_outputs().size();
        site.error_overlay.clear();
      } else {
        site.error_overlay = error_overlay_html(diagnostics, options.site_dir);
      }
      site.version = ++version;
    }
    events_changed.notify_all();
    const auto milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (built) {
      log(fmt::format("Built in {:.0f} ms: {} {} changed{}", milliseconds, changed, changed == 1 ? "file" : "files",
                      builder->last_update_was_partial() ? " (only the pages that show the edit were rendered)" : ""));
    } else {
      log(fmt::format("The site did not build ({} {}). Open pages show the errors; the preview keeps the last version that built.",
                      diagnostics.error_count(), diagnostics.error_count() == 1 ? "error" : "errors"));
    }
  }
};

PreviewServer::PreviewServer(ServeOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }

PreviewServer::~PreviewServer() {
  impl_->stopping = true;
  impl_->events_changed.notify_all();
  impl_->server.stop();
  if (impl_->listener.joinable()) impl_->listener.join();
}

bool PreviewServer::start(std::string& error) {
  auto& impl = *impl_;
  impl.routes();
  const auto& host = impl.options.host;
  errno = 0;
  impl.port = impl.options.port == 0 ? impl.server.bind_to_any_port(host) : (impl.server.bind_to_port(host, impl.options.port) ? impl.options.port : -1);
  if (impl.port <= 0) {
    const bool in_use = errno == EADDRINUSE;
    error = in_use ? fmt::format("port {} on {} is already in use (is another preview running?); choose another with --port", impl.options.port, host)
                   : fmt::format("cannot listen on {} port {}: {} (use --host with an address of this machine, such as 127.0.0.1)", host,
                                 impl.options.port, errno ? std::strerror(errno) : "the address is not available");
    return false;
  }

  BuildOptions build;
  build.site_dir = impl.options.site_dir;
  build.include_drafts = impl.options.include_drafts;
  build.base_url = fmt::format("http://{}:{}/", url_host(host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host), impl.port);
  build.progress = [&impl](std::string_view, std::size_t, std::size_t) {
    if (impl.stop_requested && *impl.stop_requested) throw BuildCancelled{};
  };
  impl.builder = std::make_unique<SiteBuilder>(build);
  impl.watcher = std::make_unique<FileWatcher>(impl.options.site_dir, impl.options.force_polling);
  impl.rebuild({{}, true});
  // Signals go to the watching thread, so that Ctrl-C interrupts its wait at once.
  sigset_t signals, previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  impl.listener = std::thread([&impl] {
    impl.server.listen_after_bind();
    impl.listener_done = true;
  });
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return true;
}

bool PreviewServer::run(const std::atomic<bool>& stop_requested) {
  auto& impl = *impl_;
  impl.stop_requested = &stop_requested;
  auto& watcher = *impl.watcher;
  impl.log(watcher.uses_inotify() ? "Watching site.json, content/ and the theme for changes." : "Watching for changes by looking every 250 ms.");
  try {
    while (!stop_requested) {
      const auto changes = watcher.wait(std::chrono::milliseconds(200));
      if (stop_requested) break;
      if (!changes.empty()) impl.rebuild(changes);
      else impl.refresh_search_index();  // quiet for 200 ms
    }
  } catch (const BuildCancelled&) {
  }
  impl.stopping = true;
  impl.events_changed.notify_all();
  impl.server.stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (!impl.listener_done && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return impl.listener_done;
}

int PreviewServer::port() const { return impl_->port; }

}  // namespace plainsight
