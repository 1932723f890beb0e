#include "serve/preview.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace {

constexpr std::size_t longest_path = 2048;
constexpr int overlay_context_lines = 2;
/// Byte positions beyond this are read as this: no file comes near it, and it cannot overflow.
constexpr std::size_t largest_byte_position = 1'000'000'000'000'000;

bool tries_to_leave_the_site(const std::string& path) {
  if (path.empty() || path.front() != '/' || path.size() > longest_path) return true;
  if (std::any_of(path.begin(), path.end(), [](char c) { return c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) return true;
  for (std::size_t start = 1; start <= path.size();) {
    const auto slash = std::min(path.find('/', start), path.size());
    const auto segment = std::string_view(path).substr(start, slash - start);
    if (segment == "." || segment == "..") return true;
    start = slash + 1;
  }
  return false;
}

bool is_html(const std::string& path) { return path.ends_with(".html"); }

/// A page with the live-reload script and, while the build fails, the error overlay: the page's
/// own bytes are shared, not copied.
ResponseBody for_preview(const SharedBytes& page, const PreviewSite& site) {
  const auto& html = page.str();
  const auto body_end = std::min(html.rfind("</body>"), html.size());
  const SharedBytes script = fmt::format("<script src=\"{}live.js\" data-version=\"{}\"></script>", preview_prefix, site.version);
  std::vector<std::pair<std::size_t, const SharedBytes*>> insertions;  // where, what; the overlay first at the same place
  if (!site.error_overlay.empty()) {
    const auto body = html.find("<body");
    const auto after_body = body == std::string::npos ? std::string::npos : html.find('>', body);
    insertions.emplace_back(after_body == std::string::npos ? 0 : after_body + 1, &site.error_overlay);
  }
  insertions.emplace_back(body_end, &script);
  std::stable_sort(insertions.begin(), insertions.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  ResponseBody out;
  std::size_t done = 0;
  for (const auto& [at, text] : insertions) {
    out.append(page, done, at - done);
    out.append(*text);
    done = at;
  }
  out.append(page, done);
  return out;
}

/// What a page looks like in the preview depends on its bytes, the site's version (in the
/// script) and the overlay: their hashes make its ETag without reading the page again.
std::uint64_t preview_hash(const SharedBytes& page, const PreviewSite& site) {
  ContentHasher hasher;
  hasher.add_number(page.hash());
  hasher.add_number(site.version);
  hasher.add_number(site.error_overlay.hash());
  return hasher.digest();
}

PreviewResponse with_body(int status, std::string content_type, ResponseBody body, std::uint64_t hash, const std::string& if_none_match) {
  PreviewResponse response{status, std::move(content_type), std::move(body), {}, fmt::format("\"{:016x}\"", hash), {}};
  if (status == 200 && (if_none_match == "*" || if_none_match.find(response.etag) != std::string::npos)) {
    response.status = 304;
    response.body = {};
  }
  return response;
}

/// A byte position written in decimal, as Range has it; nullopt for anything else.
std::optional<std::size_t> byte_position(std::string_view digits) {
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::size_t value = 0;
  for (const char digit : digits) value = std::min(largest_byte_position, value * 10 + static_cast<std::size_t>(digit - '0'));
  return value;
}

bool is_ipv4_address(std::string_view text) {
  in_addr address{};
  return text.size() < INET_ADDRSTRLEN && inet_pton(AF_INET, std::string(text).c_str(), &address) == 1;
}

bool is_ipv6_address(std::string_view text) {
  in6_addr address{};
  return text.size() < INET6_ADDRSTRLEN && inet_pton(AF_INET6, std::string(text).c_str(), &address) == 1;
}

bool is_port(std::string_view text) {
  return !text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    const auto end = std::min(text.find('\n', start), text.size());
    auto line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string excerpt_html(const SourceLocation& where, const std::filesystem::path& site_dir) {
  if (where.file.empty() || where.line <= 0) return {};
  const auto text = read_file(site_dir / where.file);
  if (!text) return {};
  const auto lines = lines_of(*text);
  if (static_cast<std::size_t>(where.line) > lines.size()) return {};
  const auto first = std::max(1, where.line - overlay_context_lines);
  const auto last = std::min(static_cast<int>(lines.size()), where.line + overlay_context_lines);
  std::string html = "<pre class=\"plainsight-excerpt\">";
  for (int n = first; n <= last; ++n) {
    const auto& line = lines[static_cast<std::size_t>(n - 1)];
    const bool is_error_line = n == where.line;
    html += fmt::format("<span{}>{:>5} | {}</span>\n", is_error_line ? " class=\"plainsight-error-line\"" : "", n, escape_html(line));
    if (is_error_line && where.column > 0) html += fmt::format("      | {}^\n", std::string(static_cast<std::size_t>(where.column - 1), ' '));
  }
  return html + "</pre>";
}

constexpr const char* overlay_style =
    "#plainsight-errors{position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#fff;color:#0b0c0c;"
    "font:16px/1.5 system-ui,sans-serif;padding:1.5rem;border-top:8px solid #b10e1e}"
    "#plainsight-errors h2{font-size:1.5rem;margin:0 0 .5rem}"
    "#plainsight-errors ol{padding-left:1.5rem}#plainsight-errors li{margin:0 0 1.5rem}"
    "#plainsight-errors code{font-weight:bold}"
    "#plainsight-errors pre{background:#f3f2f1;padding:.75rem;overflow:auto;font:14px/1.4 ui-monospace,monospace}"
    "#plainsight-errors .plainsight-error-line{background:#f6d7d2;display:inline-block;min-width:100%}";

}  // namespace

SharedBytes::SharedBytes() {
  static const auto nothing = std::make_shared<const Data>(Data{{}, content_hash({})});
  data_ = nothing;
}

SharedBytes::SharedBytes(std::string bytes) {
  const auto hash = content_hash(bytes);
  data_ = std::make_shared<const Data>(Data{std::move(bytes), hash});
}

SharedBytes::SharedBytes(const char* bytes) : SharedBytes(std::string(bytes)) {}

ResponseBody::ResponseBody(std::string text) { append(SharedBytes(std::move(text))); }

ResponseBody::ResponseBody(const char* text) { append(SharedBytes(text)); }

void ResponseBody::append(const SharedBytes& bytes, std::size_t offset, std::size_t length) {
  offset = std::min(offset, bytes.size());
  length = std::min(length, bytes.size() - offset);
  if (length == 0) return;
  stretches_.push_back({bytes, offset, length});
  size_ += length;
}

ResponseBody ResponseBody::slice(std::size_t first, std::size_t count) const {
  ResponseBody part;
  for (const auto& stretch : stretches_) {
    if (count == 0) break;
    if (first >= stretch.length) {
      first -= stretch.length;
      continue;
    }
    const auto taken = std::min(count, stretch.length - first);
    part.append(stretch.bytes, stretch.offset + first, taken);
    first = 0;
    count -= taken;
  }
  return part;
}

bool ResponseBody::send(std::size_t offset, std::size_t length, const std::function<bool(std::string_view)>& send) const {
  for (const auto& stretch : stretches_) {
    if (length == 0) break;
    if (offset >= stretch.length) {
      offset -= stretch.length;
      continue;
    }
    const auto taken = std::min(length, stretch.length - offset);
    if (!send(std::string_view(stretch.bytes.str()).substr(stretch.offset + offset, taken))) return false;
    offset = 0;
    length -= taken;
  }
  return true;
}

std::string ResponseBody::str() const {
  std::string joined;
  joined.reserve(size_);
  send(0, size_, [&](std::string_view stretch) {
    joined += stretch;
    return true;
  });
  return joined;
}

std::string content_type_for(const std::string& path) {
  static const std::array<std::pair<std::string_view, std::string_view>, 20> types = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".xml", "application/xml; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/vnd.microsoft.icon"},
      {".pdf", "application/pdf"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".webmanifest", "application/manifest+json"},
  }};
  if (path.ends_with("feed.xml")) return "application/atom+xml; charset=utf-8";
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
    const auto extension = to_lower_ascii(path.substr(dot));
    for (const auto& [known, type] : types)
      if (extension == known) return std::string(type);
  }
  return "application/octet-stream";
}

const std::string& live_reload_script() {
  static const std::string script = R"(// plainsight preview: reloads the page when the site has been rebuilt.
(() => {
  const version = document.currentScript.dataset.version;
  const listen = () => {
    const events = new EventSource("/__plainsight/events?since=" + encodeURIComponent(version));
    events.addEventListener("reload", () => {
      events.close();
      location.reload();
    });
    // The browser retries a dropped stream by itself, but not one the server turned away
    // (503 when too many pages are open): try again later.
    events.addEventListener("error", () => {
      if (events.readyState === EventSource.CLOSED) setTimeout(listen, 5000 + Math.random() * 1000);
    });
  };
  listen();
})();
)";
  return script;
}

PreviewResponse preview_response(const PreviewSite& site, const std::string& path, const std::string& if_none_match) {
  if (tries_to_leave_the_site(path)) return {400, "text/plain; charset=utf-8", "Bad request: that path is not part of the site.\n", {}, {}, {}};
  if (path == std::string(preview_prefix) + "live.js") {
    static const SharedBytes script = live_reload_script();
    ResponseBody body;
    body.append(script);
    return with_body(200, content_type_for(path), std::move(body), script.hash(), if_none_match);
  }
  if (site.files.empty()) {
    // No build has succeeded yet: every page is the list of errors, and reloads once fixed.
    static const SharedBytes page =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>The site did not build</title></head><body></body></html>";
    return with_body(500, content_type_for(".html"), for_preview(page, site), preview_hash(page, site), "");
  }
  auto key = path.substr(1);
  if (key.empty() || key.ends_with('/')) key += "index.html";
  if (const auto found = site.files.find(key); found != site.files.end()) {
    const auto& file = found->second;
    if (is_html(key)) return with_body(200, content_type_for(key), for_preview(file, site), preview_hash(file, site), if_none_match);
    ResponseBody body;
    body.append(file);
    return with_body(200, content_type_for(key), std::move(body), file.hash(), if_none_match);
  }
  if (!path.ends_with('/') && site.files.contains(key + "/index.html"))
    return {301, "text/plain; charset=utf-8", "Moved to " + path + "/\n", path + "/", {}, {}};
  if (const auto not_found = site.files.find("404.html"); not_found != site.files.end())
    return with_body(404, content_type_for(".html"), for_preview(not_found->second, site), preview_hash(not_found->second, site), "");
  return {404, "text/plain; charset=utf-8", "Not found\n", {}, {}, {}};
}

void narrow_to_range(PreviewResponse& response, std::string_view range, std::string_view if_range) {
  const auto size = response.body.size();
  if (response.status != 200 || range.empty() || size == 0) return;
  if (!if_range.empty() && if_range != response.etag) return;
  constexpr std::string_view unit = "bytes=";
  if (range.size() < unit.size() || to_lower_ascii(range.substr(0, unit.size())) != unit) return;
  const auto spec = trim(range.substr(unit.size()));
  const auto dash = spec.find('-');
  if (spec.find(',') != std::string_view::npos || dash == std::string_view::npos) return;
  const auto from = byte_position(spec.substr(0, dash));
  const auto to = byte_position(spec.substr(dash + 1));
  std::size_t first = 0;
  std::size_t last = size - 1;
  bool satisfiable = true;
  if (spec.substr(0, dash).empty()) {  // "-N": the last N bytes
    if (!to) return;
    satisfiable = *to > 0;
    first = size - std::min(*to, size);
  } else {
    if (!from || (!to && dash + 1 < spec.size()) || (to && *to < *from)) return;
    satisfiable = *from < size;
    first = *from;
    if (to) last = std::min(*to, size - 1);
  }
  if (!satisfiable) {
    response = {416, "text/plain; charset=utf-8",    fmt::format("Range not satisfiable: the file has {} bytes.\n", size), {},
                {},  fmt::format("bytes */{}", size)};
    return;
  }
  response.status = 206;
  response.content_range = fmt::format("bytes {}-{}/{}", first, last, size);
  response.body = response.body.slice(first, last - first + 1);
}

bool is_preview_host(std::string_view host_header, std::string_view served_host) {
  auto name = host_header;
  std::string_view port;
  bool bracketed = false;
  if (name.starts_with('[')) {  // [IPv6 address], then perhaps :port
    const auto close = name.find(']');
    if (close == std::string_view::npos) return false;
    port = name.substr(close + 1);
    name = name.substr(1, close - 1);
    bracketed = true;
    if (!port.empty() && (!port.starts_with(':') || !is_port(port.substr(1)))) return false;
  } else if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    if (!is_port(name.substr(colon + 1))) return false;
    name = name.substr(0, colon);
  }
  if (name.empty()) return false;
  if (bracketed) return is_ipv6_address(name);
  const auto lower = to_lower_ascii(name);
  if (lower == "localhost" || is_ipv4_address(lower)) return true;
  return !served_host.empty() && lower == to_lower_ascii(served_host);
}

PreviewResponse wrong_host_response(std::string_view host_header) {
  std::string shown;
  for (const char c : host_header.substr(0, 100)) shown += c >= 0x20 && c < 0x7f ? c : '?';
  const auto asked = host_header.empty() ? std::string("a request without a Host header") : "requests for \"" + shown + "\"";
  return {403,
          "text/plain; charset=utf-8",
          fmt::format("Blocked: this preview answers requests for localhost, an IP address or the --host it was started with, not {}.\n"
                      "A web page that reaches the preview through another name could read it, drafts included (DNS rebinding).\n",
                      asked),
          {},
          {},
          {}};
}

std::string error_overlay_html(const Diagnostics& diagnostics, const std::filesystem::path& site_dir) {
  const auto all = diagnostics.sorted();
  const auto errors =
      static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
  std::string html =
      fmt::format("<style>{}</style><section id=\"plainsight-errors\" role=\"alert\" aria-labelledby=\"plainsight-errors-title\">", overlay_style);
  html += fmt::format("<h2 id=\"plainsight-errors-title\">The site did not build: {} {}</h2>", errors, errors == 1 ? "error" : "errors");
  html += "<p>This preview shows the last version that built. Fix the problems below and save: the page reloads by itself.</p><ol>";
  auto place_of = [](const SourceLocation& where) {
    std::string place = where.file.empty() ? "the site" : where.file;
    if (where.line > 0) place += fmt::format(", line {}", where.line);
    if (where.column > 0) place += fmt::format(", column {}", where.column);
    return escape_html(place);
  };
  for (const auto& diagnostic : all) {
    if (diagnostic.severity != Severity::error) continue;
    html += fmt::format("<li><p><code>{}</code>: {}</p>{}", place_of(diagnostic.where), escape_html(diagnostic.message),
                        excerpt_html(diagnostic.where, site_dir));
    for (const auto& note : diagnostic.notes)  // the second file an error involves
      html += fmt::format("<p>Note, <code>{}</code>: {}</p>{}", place_of(note.where), escape_html(note.message), excerpt_html(note.where, site_dir));
    html += "</li>";
  }
  return html + "</ol></section>";
}

}  // namespace plainsight
