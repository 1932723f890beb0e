#pragma once
// What the preview server answers, decided without the network so it can be tested directly.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace plainsight {

/// Bytes that never change once made, shared by the served site and every response that sends
/// them: a response a slow client holds open keeps its file, not a copy of it.
class SharedBytes {
 public:
  SharedBytes();
  SharedBytes(std::string bytes);  // NOLINT(google-explicit-constructor): a site is written {{path, bytes}}
  SharedBytes(const char* bytes);  // NOLINT(google-explicit-constructor)

  [[nodiscard]] const std::string& str() const { return data_->bytes; }
  [[nodiscard]] std::size_t size() const { return data_->bytes.size(); }
  [[nodiscard]] bool empty() const { return data_->bytes.empty(); }
  /// content_hash of the bytes, worked out once when they are made.
  [[nodiscard]] std::uint64_t hash() const { return data_->hash; }

 private:
  struct Data {
    std::string bytes;
    std::uint64_t hash;
  };
  std::shared_ptr<const Data> data_;
};

/// A response's bytes: stretches of shared bytes, sent one after another without being joined.
class ResponseBody {
 public:
  ResponseBody() = default;
  ResponseBody(std::string text);  // NOLINT(google-explicit-constructor)
  ResponseBody(const char* text);  // NOLINT(google-explicit-constructor)

  /// Adds `length` bytes of `bytes` from `offset` (as many as there are).
  void append(const SharedBytes& bytes, std::size_t offset = 0, std::size_t length = std::string::npos);
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  /// `count` bytes from `first` (as many as there are).
  [[nodiscard]] ResponseBody slice(std::size_t first, std::size_t count) const;
  /// Calls `send` with each stretch of the `length` bytes from `offset`, in order, until it
  /// returns false; false if it did.
  bool send(std::size_t offset, std::size_t length, const std::function<bool(std::string_view)>& send) const;
  /// The bytes joined, for tests.
  [[nodiscard]] std::string str() const;

 private:
  struct Stretch {
    SharedBytes bytes;
    std::size_t offset;
    std::size_t length;
  };
  std::vector<Stretch> stretches_;
  std::size_t size_ = 0;
};

/// The site as the preview server holds it.
struct PreviewSite {
  std::map<std::string, SharedBytes> files;  ///< the last good build: output path → bytes
  SharedBytes error_overlay;                 ///< shown on every page while the latest build fails; "" when it built
  std::uint64_t version = 0;                 ///< changes on every rebuild; pages reload when it does
};

struct PreviewResponse {
  int status = 200;
  std::string content_type;
  ResponseBody body;          ///< shares the site's bytes: holding a response copies no file
  std::string location;       ///< where a redirect goes
  std::string etag;           ///< for 200 responses
  std::string content_range;  ///< for 206 and 416 responses
};

/// Where the preview's own files live; no site file can have this path (it starts with "__").
inline constexpr const char* preview_prefix = "/__plainsight/";

/// The response to a GET or HEAD of `path` (percent-decoded, without the query):
/// 400 for a path that tries to leave the site (".." or "." segments, backslashes, control
/// characters, no leading "/", over 2,048 bytes); the file when the site has it; a 301 from
/// "/x" to "/x/" when "/x/index.html" exists; otherwise the site's 404 page with status 404.
/// HTML gets the live-reload script and, while the build fails, the error overlay.
/// A matching If-None-Match gives 304 with no body. The body shares the site's bytes.
PreviewResponse preview_response(const PreviewSite& site, const std::string& path, const std::string& if_none_match);

/// Narrows a 200 response to the one byte range that `range` (a Range header) asks for: 206 with
/// its Content-Range, or 416 when the range starts past the end. Several ranges, or a header that
/// cannot be parsed, get the whole file: HTTP lets a server ignore Range, and answering each
/// range of "bytes=0-,0-,…" would send the file thousands of times. An `if_range` (If-Range
/// header) other than the response's ETag also gets the whole file, as the file has changed.
void narrow_to_range(PreviewResponse& response, std::string_view range, std::string_view if_range);

/// Whether a request's Host header names this preview: "localhost", an IP address (127.0.0.1,
/// [::1], a LAN address when serving on 0.0.0.0) or `served_host` (the --host given), with or
/// without a port. Any other name is refused: it is how a web page reaches a local server by
/// DNS rebinding and reads it, drafts included. An IP address is safe, as a page can only be
/// served from one if it is this machine's. Names are compared without regard to case.
bool is_preview_host(std::string_view host_header, std::string_view served_host);

/// The 403 answer to a request whose Host header `is_preview_host` refuses.
PreviewResponse wrong_host_response(std::string_view host_header);

/// The Content-Type of a file, by its extension.
std::string content_type_for(const std::string& path);

/// The script that reloads the page when the site is rebuilt.
const std::string& live_reload_script();

/// The overlay for a failed build: each error with its file, line, column and the lines around it.
std::string error_overlay_html(const Diagnostics& diagnostics, const std::filesystem::path& site_dir);

}  // namespace plainsight
