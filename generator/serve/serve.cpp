// The only file that includes httplib.h.
#include "serve/serve.hpp"

#include <httplib.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "serve/preview.hpp"
#include "serve/watcher.hpp"
#include "site/build.hpp"

namespace plainsight {
namespace {

using Clock = std::chrono::steady_clock;

/// Thrown from the build's progress callback to abandon a build when the server stops.
struct BuildCancelled {};

constexpr auto event_wait = std::chrono::milliseconds(250);
constexpr int heartbeat_every = 60;  ///< event waits: a comment every 15 s keeps proxies from closing the stream
/// Each open page holds one stream, and a thread, for its reload events. Browsers open at most
/// six connections to one host, so more than this is not one person previewing; further
/// streams get 503 and their page tries again later.
constexpr int most_event_streams = 32;
constexpr int event_stream_retry_seconds = 5;  ///< live.js waits as long before trying again

// Every connection has a thread, but none can keep it for long without sending a request: a
// connection that sends nothing, or sends its request a byte at a time, must not starve pages.
constexpr auto idle_connection_limit = std::chrono::seconds(2);  ///< before a request starts, and between keep-alive requests
constexpr auto request_read_limit = std::chrono::seconds(2);     ///< from a request's first byte to its last, however fast they come
constexpr auto write_stall_limit = std::chrono::seconds(5);      ///< a client that reads nothing for this long is dropped
/// A response must be read within this, or at slowest_read_rate if that takes longer: a client
/// reading a trickle would otherwise keep its thread for as long as it liked.
constexpr auto response_time_limit = std::chrono::seconds(10);
constexpr std::size_t slowest_read_rate = 1024 * 1024;  ///< bytes a second
constexpr std::size_t most_requests_per_connection = 100000;
constexpr std::size_t most_connection_threads = 512;  ///< further connections wait for a thread
/// httplib 0.11 keeps every header line of a request, however many, in memory: the request line
/// and headers are read here first, and more than this gets 431 and the connection closed.
constexpr std::size_t largest_request_head = 64 * 1024;
constexpr std::size_t most_request_headers = 100;        ///< as Apache's LimitRequestFields
constexpr std::size_t largest_request_body = 64 * 1024;  ///< the preview takes no bodies; this only bounds memory
/// All that httplib may read of one request: it caps a body only when it has a Content-Length,
/// not a chunked one or one that runs to the end of the connection. 16 KB for chunk sizes.
constexpr std::size_t largest_request = largest_request_head + largest_request_body + 16 * 1024;
constexpr std::size_t response_piece = 64 * 1024;  ///< a response's bytes are written this much at a time
/// httplib's listen() asks for 5, which drops connections a browser opens at once (and Debian's
/// compiled library ignores CPPHTTPLIB_LISTEN_BACKLOG); the kernel caps it at net.core.somaxconn.
constexpr int listen_backlog = 1024;

std::string url_host(const std::string& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

/// httplib's task queue, with a thread for each connection, started when one is needed (up to
/// most_connection_threads): its fixed pool let held-open connections keep every other
/// request waiting. `crowded` says when every thread is taken and connections wait for one.
class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(std::atomic<bool>& crowded) : crowded_(crowded) {}

  void enqueue(std::function<void()> job) override {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
    if (jobs_.size() > idle_ && threads_.size() < most_connection_threads) threads_.emplace_back([this] { work(); });
    job_added_.notify_one();
    note_crowding();
  }

  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      shutting_down_ = true;
    }
    job_added_.notify_all();
    for (auto& thread : threads_) thread.join();  // enqueue is called only from the thread that calls this
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ++idle_;
        job_added_.wait(lock, [this] { return !jobs_.empty() || shutting_down_; });
        --idle_;
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
        note_crowding();
      }
      job();
    }
  }

  /// The caller holds mutex_.
  void note_crowding() { crowded_ = threads_.size() >= most_connection_threads && jobs_.size() > idle_; }

  std::atomic<bool>& crowded_;
  std::mutex mutex_;
  std::condition_variable job_added_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;  ///< threads waiting for a job
  bool shutting_down_ = false;
};

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// A header's value as httplib takes it from its line: without the spaces and tabs around it.
std::string_view header_value(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

/// One client connection as httplib reads and writes it. Each request's line and headers are
/// read here before httplib sees them, within request_read_limit and largest_request_head (as
/// httplib 0.11 has no limit on either), and its Host and Range headers are kept as sent: httplib
/// percent-decodes header values and answers a Range it cannot read with 416 before any handler
/// runs. Reads are buffered across keep-alive requests (httplib reads a request a byte at a
/// time); every wait is a poll() that also watches `stop`, so stopping the server ends every
/// connection at once.
class ConnectionStream final : public httplib::Stream {
 public:
  enum class Head {
    read,       ///< all of it, ready for httplib
    too_large,  ///< over largest_request_head or most_request_headers
    missing,    ///< the client hung up or took too long, or the server is stopping
  };

  ConnectionStream(int socket, int stop) : socket_(socket), stop_(stop) {}

  /// Waits for the client to start a request; false when it stays silent for `idle`, hangs up
  /// or the server stops.
  bool wait_for_request(Clock::duration idle) { return buffered() > 0 || wait_for(POLLIN, Clock::now() + idle); }

  /// Reads the next request's line and headers, and takes out its Range headers (hosts() and
  /// ranges() have them, and those of Host, as sent). The time limits start now.
  Head read_head() {
    request_started_ = Clock::now();
    read_deadline_ = request_started_ + request_read_limit;
    response_deadline_ = request_started_ + response_time_limit;
    read_for_request_ = 0;
    hosts_.clear();
    ranges_.clear();
    buffer_.erase(0, start_);
    start_ = 0;
    // The head ends at the first empty line after the request line, as httplib reads it.
    std::size_t searched = 0;
    for (;;) {
      if (const auto line_end = buffer_.find('\n'); line_end != std::string::npos) {
        const auto end = buffer_.find("\n\r\n", std::max(line_end, searched));
        if (end != std::string::npos) return end + 3 > largest_request_head ? Head::too_large : take_head(end + 3);
        searched = std::max(line_end, buffer_.size() - std::min<std::size_t>(buffer_.size(), 2));
      }
      if (buffer_.size() >= largest_request_head) return Head::too_large;
      if (!receive(largest_request_head - buffer_.size())) return Head::missing;
    }
  }

  [[nodiscard]] const std::vector<std::string>& hosts() const { return hosts_; }
  [[nodiscard]] const std::vector<std::string>& ranges() const { return ranges_; }
  /// Whether httplib tried to read more of the request than largest_request.
  [[nodiscard]] bool read_too_much() const { return read_too_much_; }

  /// The response to the current request, of `size` bytes, may take response_time_limit from
  /// when the request started, or as long as slowest_read_rate needs...
  void allow_time_for(std::size_t size) {
    response_deadline_ =
        request_started_ + std::max<Clock::duration>(response_time_limit, std::chrono::milliseconds(size / (slowest_read_rate / 1000)));
  }
  /// ... or as long as it likes (an event stream).
  void allow_any_time() { response_deadline_ = Clock::time_point::max(); }

  bool is_readable() const override { return buffered() > 0 || wait_for(POLLIN, read_deadline_); }
  bool is_writable() const override { return wait_for(POLLOUT, write_deadline()) && client_is_connected(); }

  ssize_t read(char* into, std::size_t size) override {
    if (read_for_request_ >= largest_request) {
      read_too_much_ = true;
      return -1;
    }
    if (buffered() == 0) {
      buffer_.clear();
      start_ = 0;
      if (!receive(16 * 1024)) return buffered() == 0 && closed_ ? 0 : -1;
    }
    const auto count = std::min({size, buffered(), largest_request - read_for_request_});
    std::memcpy(into, buffer_.data() + start_, count);
    start_ += count;
    read_for_request_ += count;
    return static_cast<ssize_t>(count);
  }

  void write_all(std::string_view bytes) {
    for (ssize_t sent = 0; !bytes.empty() && (sent = write(bytes.data(), bytes.size())) >= 0;) bytes.remove_prefix(static_cast<std::size_t>(sent));
  }

  /// Whether a response was cut off because the client read too slowly, or stopped reading.
  [[nodiscard]] bool dropped() const { return dropped_; }

  ssize_t write(const char* data, std::size_t size) override {
    for (;;) {
      if (!wait_for(POLLOUT, write_deadline())) {
        dropped_ = true;
        return -1;
      }
      const auto sent = send(socket_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (sent >= 0) return sent;
      if (errno != EAGAIN && errno != EINTR) return -1;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(getpeername, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(getsockname, ip, port); }
  socket_t socket() const override { return socket_; }

 private:
  [[nodiscard]] std::size_t buffered() const { return buffer_.size() - start_; }
  [[nodiscard]] Clock::time_point write_deadline() const { return std::min(Clock::now() + write_stall_limit, response_deadline_); }

  /// Adds up to `most` bytes from the client to the buffer, waiting until read_deadline_; false
  /// when none come (`closed_` when the client has hung up).
  bool receive(std::size_t most) {
    const auto had = buffer_.size();
    buffer_.resize(had + most);
    for (;;) {
      if (!wait_for(POLLIN, read_deadline_)) break;
      const auto received = recv(socket_, buffer_.data() + had, most, MSG_DONTWAIT);
      if (received > 0) {
        buffer_.resize(had + static_cast<std::size_t>(received));
        return true;
      }
      if (received == 0) closed_ = true;
      if (received == 0 || (errno != EAGAIN && errno != EINTR)) break;
    }
    buffer_.resize(had);
    return false;
  }

  /// Keeps the first `length` bytes of the buffer as httplib's next request, without its Range
  /// lines, noting the values of those and of Host.
  Head take_head(std::size_t length) {
    const std::string_view head(buffer_.data(), length);
    std::string kept;
    kept.reserve(length);
    std::size_t lines = 0;
    for (std::size_t at = 0; at < head.size();) {
      const auto end = head.find('\n', at) + 1;  // the head ends with one
      const auto line = head.substr(at, end - at);
      at = end;
      if (lines++ > most_request_headers + 1) return Head::too_large;  // the request line and the empty one are not headers
      const auto colon = line.find(':');
      if (lines > 1 && line.ends_with("\r\n") && colon != std::string_view::npos) {  // httplib skips other lines
        const auto name = line.substr(0, colon);
        const auto value = header_value(line.substr(colon + 1, line.size() - colon - 3));
        if (same_name(name, "Range")) {
          if (!value.empty()) ranges_.emplace_back(value);
          continue;
        }
        if (same_name(name, "Host") && !value.empty()) hosts_.emplace_back(value);
      }
      kept += line;
    }
    buffer_.replace(0, length, kept);
    return Head::read;
  }

  /// False at `deadline`, even when the socket is ready (a client that keeps sending must still
  /// finish in time), and at once when the server stops.
  bool wait_for(short events, Clock::time_point deadline) const {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      std::array<pollfd, 2> waits{{{socket_, events, 0}, {stop_, POLLIN, 0}}};
      const int ready = poll(waits.data(), waits.size(), static_cast<int>(std::min<long long>(left, 60'000)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0 || waits[1].revents != 0) return false;
      if (waits[0].revents != 0) return true;  // ready, or an error or hang-up the next call reports
    }
  }

  /// A page listening for events sends nothing, so its closing is seen only here.
  bool client_is_connected() const {
    char byte = 0;
    const auto peeked = recv(socket_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked > 0 || (peeked < 0 && (errno == EAGAIN || errno == EINTR));
  }

  void address_of(int (*get_name)(int, sockaddr*, socklen_t*), std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> service{};
    if (get_name(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host.data(), host.size(), service.data(), service.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
      return;
    ip = host.data();
    port = std::atoi(service.data());
  }

  int socket_;
  int stop_;
  std::string buffer_;  ///< bytes received; those from start_ on are not yet read
  std::size_t start_ = 0;
  bool closed_ = false;  ///< the client has hung up
  std::size_t read_for_request_ = 0;
  bool read_too_much_ = false;
  bool dropped_ = false;
  std::vector<std::string> hosts_;
  std::vector<std::string> ranges_;
  Clock::time_point request_started_ = Clock::now();
  Clock::time_point read_deadline_ = request_started_;
  Clock::time_point response_deadline_ = request_started_;
};

/// The connection this thread is answering: handlers run on it, and say how long their
/// response may take.
thread_local ConnectionStream* this_connection = nullptr;

/// httplib's server with connections handled as ConnectionStream says, the backlog widened and
/// a way to end every connection at once.
class HttpServer final : public httplib::Server {
 public:
  HttpServer() : stop_(eventfd(0, EFD_CLOEXEC)) {
    new_task_queue = [this] { return new ConnectionThreads(crowded_); };
  }
  ~HttpServer() override {
    if (stop_ >= 0) close(stop_);
  }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Linux lets listen() be called again on a listening socket to change its backlog.
  bool widen_backlog() { return ::listen(svr_sock_, listen_backlog) == 0; }

  /// Wakes every connection's wait for good; call before stop().
  void end_connections() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(stop_, &one, sizeof one);
  }

 private:
  bool process_and_close_socket(socket_t socket) override {
    int yes = 1;  // without it each response waits ~40 ms for the client's delayed ACK (Nagle)
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    ConnectionStream stream(socket, stop_);
    this_connection = &stream;
    // Host and Range as the client sent them, not percent-decoded (and cut at a NUL) as httplib
    // has them; httplib never sees a Range, so answers none itself (the handlers do, in
    // narrow_to_range: httplib would answer every range of a list however long).
    const std::function<void(httplib::Request&)> as_sent = [&stream](httplib::Request& request) {
      request.headers.erase("Host");
      for (const auto& host : stream.hosts()) request.headers.emplace("Host", host);
      request.headers.erase("Range");
      if (stream.ranges().size() == 1) request.headers.emplace("Range", stream.ranges().front());
    };
    bool answered = true;
    for (std::size_t served = 0; answered && served < most_requests_per_connection; ++served) {
      if (!stream.wait_for_request(idle_connection_limit)) break;
      const auto head = stream.read_head();
      if (head == ConnectionStream::Head::too_large) {
        constexpr std::string_view refusal =
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 36\r\n"
            "Connection: close\r\n\r\nThe request's headers are too long.\n";
        stream.write_all(refusal);
      }
      if (head != ConnectionStream::Head::read) break;
      bool client_closes = false;
      // While connections wait for a thread, none keeps one for its next request: a client
      // asking for something every second would otherwise hold it for good.
      const bool last = served + 1 == most_requests_per_connection || crowded_;
      answered = process_request(stream, last, client_closes, as_sent) && !client_closes && !last && !stream.read_too_much();
    }
    this_connection = nullptr;
    if (stream.dropped()) {
      // Reset: what the kernel still holds for the client (up to a few MB) goes now, not when
      // it has been sent.
      const linger reset{1, 0};
      setsockopt(socket, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    } else {
      ::shutdown(socket, SHUT_RDWR);
    }
    ::close(socket);
    return answered;
  }

  int stop_;
  std::atomic<bool> crowded_{false};
};

/// Holds one of the most_event_streams places while a page listens for reloads.
class EventStreamPlace {
 public:
  explicit EventStreamPlace(std::atomic<int>& open) : open_(open) {}
  ~EventStreamPlace() { --open_; }
  EventStreamPlace(const EventStreamPlace&) = delete;
  EventStreamPlace& operator=(const EventStreamPlace&) = delete;

 private:
  std::atomic<int>& open_;
};

/// The first of a request's headers called `name`, all of it: get_header_value stops at a NUL.
std::string_view first_header(const httplib::Request& request, const char* name) {
  const auto found = request.headers.equal_range(name).first;
  return found == request.headers.end() || !same_name(found->first, name) ? std::string_view() : std::string_view(found->second);
}

/// The response's bytes are sent from the site's own, which the provider keeps alive, and not
/// copied (nor compressed, as httplib compresses only a body it holds).
void set_response(httplib::Response& response, PreviewResponse answer) {
  response.status = answer.status;
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Content-Type-Options", "nosniff");
  if (!answer.location.empty()) response.set_header("Location", answer.location);
  if (!answer.etag.empty()) response.set_header("ETag", answer.etag);
  if (!answer.content_range.empty()) response.set_header("Content-Range", answer.content_range);
  if (answer.status == 304) return;
  if (this_connection) this_connection->allow_time_for(answer.body.size());
  if (answer.body.empty()) {
    response.set_content("", answer.content_type);
    return;
  }
  const auto size = answer.body.size();
  response.set_content_provider(
      size, answer.content_type, [body = std::move(answer.body)](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return body.send(offset, std::min(length, response_piece), [&](std::string_view piece) { return sink.write(piece.data(), piece.size()); });
      });
}

}  // namespace

struct PreviewServer::Impl {
  ServeOptions options;
  HttpServer server;
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
  std::atomic<int> open_event_streams{0};

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  void routes() {
    // httplib's default also sets SO_REUSEPORT, which would let a second preview share the port.
    server.set_socket_options([](socket_t socket) {
      int yes = 1;
      setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_tcp_nodelay(true);
    // What the Keep-Alive header tells clients; HttpServer keeps to the same limits.
    server.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(idle_connection_limit).count());
    server.set_keep_alive_max_count(most_requests_per_connection);
    server.set_payload_max_length(largest_request_body);
    // Before every route, the event stream's too: a page from another name must not read any of it.
    server.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
      const auto host = first_header(request, "Host");  // as sent: HttpServer undoes httplib's percent-decoding
      if (request.headers.count("Host") == 1 && is_preview_host(host, options.host)) return httplib::Server::HandlerResponse::Unhandled;
      set_response(response, wrong_host_response(host));
      return httplib::Server::HandlerResponse::Handled;
    });
    server.Get(std::string(preview_prefix) + "events",
               [this](const httplib::Request& request, httplib::Response& response) { send_reload_events(request, response); });
    server.Get(".*", [this](const httplib::Request& request, httplib::Response& response) { answer(request, response); });
    // Requests httplib refuses before routing (an over-long URL is 414 there) get 400, like
    // every other request that is not a path of the site.
    server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
      if (response.has_header("Content-Type")) return;  // a handler's answer
      if (response.status == 414) response.status = 400;
      response.set_content(response.status == 400 ? "Bad request\n" : fmt::format("Error {}\n", response.status), "text/plain; charset=utf-8");
    });
  }

  void answer(const httplib::Request& request, httplib::Response& response) {
    PreviewResponse answer;
    {
      std::shared_lock lock(site_mutex);
      answer = preview_response(site, request.path, std::string(first_header(request, "If-None-Match")));
    }
    narrow_to_range(answer, first_header(request, "Range"), first_header(request, "If-Range"));
    if (answer.status == 200 || answer.status == 206) response.set_header("Accept-Ranges", "bytes");
    set_response(response, std::move(answer));
  }

  void send_reload_events(const httplib::Request& request, httplib::Response& response) {
    if (open_event_streams.fetch_add(1) >= most_event_streams) {
      --open_event_streams;
      response.status = 503;
      response.set_header("Retry-After", std::to_string(event_stream_retry_seconds));
      response.set_content("Too many pages are listening for changes; this one will try again shortly.\n", "text/plain; charset=utf-8");
      return;
    }
    auto place = std::make_shared<EventStreamPlace>(open_event_streams);
    if (this_connection) this_connection->allow_any_time();
    std::uint64_t seen = std::strtoull(request.get_param_value("since").c_str(), nullptr, 10);
    response.set_header("Cache-Control", "no-store");
    response.set_chunked_content_provider("text/event-stream", [this, place, seen, waits = 0](std::size_t, httplib::DataSink& sink) mutable {
      std::string message = waits == 0 ? "retry: 500\n\n" : "";
      {
        std::unique_lock lock(events_mutex);
        events_changed.wait_for(lock, event_wait, [&] { return stopping.load() || version.load() != seen; });
      }
      if (stopping || !sink.is_writable()) return false;  // a closed page gives its place back within event_wait
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

  /// Ends the event streams and every connection, and stops accepting new ones.
  void stop() {
    stopping = true;
    events_changed.notify_all();
    server.end_connections();
    server.stop();
  }

  /// The builder's changed outputs, copied (and hashed) before site_mutex is taken; nullopt
  /// for a file the build no longer has.
  using ChangedOutputs = std::vector<std::pair<std::string, std::optional<SharedBytes>>>;
  ChangedOutputs changed_outputs() const {
    const auto& files = builder->output().files;
    ChangedOutputs changed;
    for (const auto& path : builder->changed_outputs()) {
      const auto found = files.find(path);
      changed.emplace_back(path, found == files.end() ? std::nullopt : std::optional<SharedBytes>(found->second));
    }
    return changed;
  }

  /// Puts changed outputs into the served site; the caller holds site_mutex. Responses being
  /// sent keep the files they had.
  void take(ChangedOutputs changed) {
    for (auto& [path, file] : changed) {
      if (file)
        site.files.insert_or_assign(path, std::move(*file));
      else
        site.files.erase(path);
    }
  }

  /// After an edit the pages are served at once and the search index waits until the files
  /// have been quiet for a moment: on a large site it takes longer than the pages did.
  void refresh_search_index() {
    const auto started = std::chrono::steady_clock::now();
    if (!builder->refresh_search_index()) return;
    auto changed = changed_outputs();
    {
      std::unique_lock lock(site_mutex);
      take(std::move(changed));
    }
    log(fmt::format("Search index updated in {:.0f} ms",
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count()));
  }

  void rebuild(const FileChanges& changes) {
    const auto started = std::chrono::steady_clock::now();
    Diagnostics diagnostics;
    const bool built = builder->update(changes.unknown ? std::vector<std::filesystem::path>{} : changes.paths, diagnostics);
    for (const auto& diagnostic : diagnostics.sorted()) log(format_diagnostic(diagnostic));
    const std::size_t changed = built ? builder->changed_outputs().size() : 0;
    auto outputs = built ? changed_outputs() : ChangedOutputs{};
    SharedBytes overlay = built ? SharedBytes() : SharedBytes(error_overlay_html(diagnostics, options.site_dir));
    {
      std::unique_lock lock(site_mutex);
      take(std::move(outputs));
      site.error_overlay = std::move(overlay);
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
  impl_->stop();
  if (impl_->listener.joinable()) impl_->listener.join();
}

bool PreviewServer::start(std::string& error) {
  auto& impl = *impl_;
  impl.routes();
  const auto& host = impl.options.host;
  errno = 0;
  impl.port =
      impl.options.port == 0 ? impl.server.bind_to_any_port(host) : (impl.server.bind_to_port(host, impl.options.port) ? impl.options.port : -1);
  if (impl.port <= 0) {
    const bool in_use = errno == EADDRINUSE;
    error = in_use ? fmt::format("port {} on {} is already in use (is another preview running?); choose another with --port", impl.options.port, host)
                   : fmt::format("cannot listen on {} port {}: {} (use --host with an address of this machine, such as 127.0.0.1)", host,
                                 impl.options.port, errno ? std::strerror(errno) : "the address is not available");
    return false;
  }
  if (!impl.server.widen_backlog()) impl.log(fmt::format("Could not widen the listen backlog: {}", std::strerror(errno)));

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
      if (!changes.empty())
        impl.rebuild(changes);
      else
        impl.refresh_search_index();  // quiet for 200 ms
    }
  } catch (const BuildCancelled&) {
  }
  impl.stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (!impl.listener_done && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return impl.listener_done;
}

int PreviewServer::port() const { return impl_->port; }

}  // namespace plainsight
