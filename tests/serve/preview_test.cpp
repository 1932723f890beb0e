#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "serve/preview.hpp"
#include "serve/watcher.hpp"
#include "support/temp_site.hpp"

namespace plainsight {
namespace {
namespace fs = std::filesystem;

TEST_SUITE_BEGIN("serve");

PreviewSite small_site() {
  PreviewSite site;
  site.files = {{"index.html", "<!doctype html><html><body class=\"home\"><h1>Home</h1></body></html>"},
                {"about/index.html", "<!doctype html><html><body><h1>About</h1></body></html>"},
                {"404.html", "<!doctype html><html><body><h1>Page not found</h1></body></html>"},
                {"css/site.css", "body{}"},
                {"data/pipeline.csv", "a,b\n"},
                {"feed.xml", "<feed/>"}};
  site.version = 7;
  return site;
}

TEST_CASE("pages are served with the live-reload script, files as they are") {
  const auto site = small_site();
  const auto home = preview_response(site, "/", "");
  CHECK(home.status == 200);
  CHECK(home.content_type == "text/html; charset=utf-8");
  CHECK(home.body.str().find("<script src=\"/__plainsight/live.js\" data-version=\"7\"></script></body>") != std::string::npos);
  CHECK(home.etag.size() == 18);

  const auto css = preview_response(site, "/css/site.css", "");
  CHECK(css.body.str() == "body{}");
  CHECK(css.content_type == "text/css; charset=utf-8");
  CHECK(preview_response(site, "/data/pipeline.csv", "").content_type == "text/csv; charset=utf-8");
  CHECK(preview_response(site, "/feed.xml", "").content_type == "application/atom+xml; charset=utf-8");
  CHECK(preview_response(site, "/__plainsight/live.js", "").body.str() == live_reload_script());
}

TEST_CASE("a matching ETag gets 304 with no body, a changed page gets a new ETag") {
  auto site = small_site();
  const auto first = preview_response(site, "/about/", "");
  const auto again = preview_response(site, "/about/", first.etag);
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(preview_response(site, "/about/", "\"other\", " + first.etag).status == 304);
  CHECK(preview_response(site, "/about/", "\"other\"").status == 200);
  site.files["about/index.html"] = "<!doctype html><html><body><h1>About us</h1></body></html>";
  CHECK(preview_response(site, "/about/", first.etag).status == 200);
}

TEST_CASE("a folder without its slash redirects, a missing page is the site's 404 page") {
  const auto site = small_site();
  const auto redirect = preview_response(site, "/about", "");
  CHECK(redirect.status == 301);
  CHECK(redirect.location == "/about/");
  const auto missing = preview_response(site, "/no-such-page/", "");
  CHECK(missing.status == 404);
  CHECK(missing.body.str().find("Page not found") != std::string::npos);
  CHECK(missing.body.str().find("live.js") != std::string::npos);
  CHECK(preview_response(site, "/css/site.css/", "").status == 404);
  CHECK(preview_response(site, "/%2e%2e/site.json", "").status == 404);  // still encoded: a name, not a step up
}

TEST_CASE("paths that try to leave the site get 400") {
  const auto site = small_site();
  const std::vector<std::string> paths = {"/../site.json",
                                          "/about/../../site.json",
                                          "/./about/",
                                          "/..",
                                          "/a\\..\\site.json",
                                          "\\etc\\passwd",
                                          "etc/passwd",
                                          "http://example.com/etc/passwd",
                                          "",
                                          std::string("/about/\0/x", 10),
                                          "/a\x01",
                                          "/a\x7f",
                                          "/" + std::string(3000, 'a')};
  for (const auto& path : paths) {
    CAPTURE(path);
    const auto response = preview_response(site, path, "");
    CHECK(response.status == 400);
    CHECK(response.body.str().find("<") == std::string::npos);
  }
  CHECK(preview_response(site, "//etc/passwd", "").status == 404);
}

TEST_CASE("while the build fails every page shows the errors, with the lines around each") {
  testing::TempSite folder({{"content/about.md", "---\ntitle: About\n---\n\nLine five.\nSee [x](/missing/) <b>.\nLine seven.\n"}}, true);
  Diagnostics diagnostics;
  diagnostics.error({"content/about.md", 6, 5}, "broken link: /missing/ is not a page or file of this site");
  diagnostics.error({"site.json"}, "theme \"x\" not found");
  diagnostics.error({"content/other.md", 1, 1}, "two pages claim the URL /about/",
                    DiagnosticNote{SourceLocation{"content/about.md", 2, 1}, "the other page"});
  diagnostics.warning({"content/about.md", 1, 1}, "a warning is not shown");
  auto site = small_site();
  site.error_overlay = error_overlay_html(diagnostics, folder.dir());
  CHECK(site.error_overlay.str().find("The site did not build: 3 errors") != std::string::npos);
  CHECK(site.error_overlay.str().find(
            "<p>Note, <code>content/about.md, line 2, column 1</code>: the other page</p><pre class=\"plainsight-excerpt\">") != std::string::npos);
  CHECK(site.error_overlay.str().find("<code>content/about.md, line 6, column 5</code>: broken link: /missing/ is not a page") != std::string::npos);
  CHECK(site.error_overlay.str().find("    5 | Line five.") != std::string::npos);
  CHECK(site.error_overlay.str().find("class=\"plainsight-error-line\">    6 | See [x](/missing/) &lt;b&gt;.") != std::string::npos);
  CHECK(site.error_overlay.str().find("      |     ^") != std::string::npos);
  CHECK(site.error_overlay.str().find("<code>site.json</code>: theme &quot;x&quot; not found") != std::string::npos);
  CHECK(site.error_overlay.str().find("a warning") == std::string::npos);

  const auto home = preview_response(site, "/", "");
  CHECK(home.body.str().find("<body class=\"home\">" + site.error_overlay.str() + "<h1>Home</h1>") != std::string::npos);
  CHECK(preview_response(site, "/css/site.css", "").body.str() == "body{}");

  site.files.clear();  // no build has succeeded yet
  const auto first = preview_response(site, "/about/", "");
  CHECK(first.status == 500);
  CHECK(first.body.str().find("The site did not build") != std::string::npos);
  CHECK(first.body.str().find("live.js") != std::string::npos);
}

TEST_CASE("one byte range is answered, several ranges get the whole file, never more") {
  const auto site = small_site();
  const auto ranged = [&](const std::string& range, const std::string& if_range = "") {
    auto response = preview_response(site, "/css/site.css", "");  // "body{}", 6 bytes
    narrow_to_range(response, range, if_range);
    return response;
  };
  CHECK(ranged("").status == 200);
  auto part = ranged("bytes=1-3");
  CHECK(part.status == 206);
  CHECK(part.body.str() == "ody");
  CHECK(part.content_range == "bytes 1-3/6");
  CHECK(part.etag == preview_response(site, "/css/site.css", "").etag);  // the whole file's
  CHECK(ranged("bytes=2-").body.str() == "dy{}");
  CHECK(ranged("bytes=-2").body.str() == "{}");
  CHECK(ranged("bytes=-100").body.str() == "body{}");
  CHECK(ranged("bytes=4-99999999999999999999999").body.str() == "{}");
  CHECK(ranged("Bytes= 0-0 ").body.str() == "b");

  for (const std::string unsatisfiable : {"bytes=6-", "bytes=7-9", "bytes=-0", "bytes=99999999999999999999999-"}) {
    CAPTURE(unsatisfiable);
    const auto refused = ranged(unsatisfiable);
    CHECK(refused.status == 416);
    CHECK(refused.content_range == "bytes */6");
    CHECK(refused.body.str().find("6 bytes") != std::string::npos);
  }

  std::string bomb = "bytes=0-";
  for (int n = 0; n < 2000; ++n) bomb += ",0-";
  for (const auto& whole : {bomb, std::string("bytes=0-1,3-4"), std::string("bytes=3-1"), std::string("bytes=x-"), std::string("bytes=1-x"),
                            std::string("bytes=-"), std::string("items=0-1"), std::string("bytes=0-1;"), std::string("bytes")}) {
    CAPTURE(whole.substr(0, 40));
    const auto response = ranged(whole);
    CHECK(response.status == 200);
    CHECK(response.body.str() == "body{}");
  }

  CHECK(ranged("bytes=1-3", part.etag).status == 206);
  CHECK(ranged("bytes=1-3", "\"an older version\"").status == 200);
  auto missing = preview_response(site, "/no-such-page/", "");
  narrow_to_range(missing, "bytes=0-1", "");
  CHECK(missing.status == 404);
  auto not_modified = preview_response(site, "/css/site.css", part.etag);
  narrow_to_range(not_modified, "bytes=0-1", "");
  CHECK(not_modified.status == 304);
}

TEST_CASE("a response shares the site's bytes instead of copying them, and keeps them when the site changes") {
  auto site = small_site();
  site.files["big.bin"] = std::string(1 << 20, 'x');
  const auto stretches_of = [](const ResponseBody& body) {
    std::vector<std::string_view> stretches;
    body.send(0, body.size(), [&](std::string_view stretch) {
      stretches.push_back(stretch);
      return true;
    });
    return stretches;
  };
  const auto& file = site.files.at("big.bin").str();
  auto response = preview_response(site, "/big.bin", "");
  auto stretches = stretches_of(response.body);
  REQUIRE(stretches.size() == 1);
  CHECK(stretches[0].data() == file.data());
  CHECK(stretches[0].size() == file.size());

  narrow_to_range(response, "bytes=1000-", "");
  stretches = stretches_of(response.body);
  REQUIRE(stretches.size() == 1);
  CHECK(stretches[0].data() == file.data() + 1000);

  // A page is its own bytes either side of the script.
  const auto& page = site.files.at("index.html").str();
  const auto home = preview_response(site, "/", "");
  stretches = stretches_of(home.body);
  REQUIRE(stretches.size() == 3);
  CHECK(stretches[0].data() == page.data());
  CHECK(stretches[2].data() == page.data() + page.rfind("</body>"));

  site.files["big.bin"] = "changed";  // a rebuild while the response is being sent
  site.files.erase("index.html");
  CHECK(response.body.str() == std::string((1 << 20) - 1000, 'x'));
  CHECK(home.body.str().starts_with("<!doctype html><html><body class=\"home\"><h1>Home</h1><script"));

  int calls = 0;
  CHECK_FALSE(home.body.send(0, home.body.size(), [&](std::string_view) { return ++calls < 2; }));
  CHECK(calls == 2);
}

TEST_CASE("a range of a page may cross the script and the overlay") {
  auto site = small_site();
  site.error_overlay = "<div>errors</div>";
  const auto whole = preview_response(site, "/", "").body.str();
  CHECK(whole.find("<body class=\"home\"><div>errors</div><h1>Home</h1><script src=") != std::string::npos);
  for (std::size_t first = 0; first < whole.size(); first += 7) {
    for (const std::size_t length : {std::size_t{1}, std::size_t{13}, std::size_t{60}, whole.size()}) {
      auto response = preview_response(site, "/", "");
      narrow_to_range(response, fmt::format("bytes={}-{}", first, first + length - 1), "");
      CAPTURE(first);
      CAPTURE(length);
      CHECK(response.status == 206);
      CHECK(response.body.str() == whole.substr(first, length));
    }
  }
}

TEST_CASE("a page's ETag follows its bytes, the site's version and the overlay") {
  auto site = small_site();
  const auto etag = preview_response(site, "/", "").etag;
  CHECK(preview_response(site, "/", "").etag == etag);
  site.version = 8;
  const auto next = preview_response(site, "/", "").etag;
  CHECK(next != etag);
  site.error_overlay = "<div>errors</div>";
  CHECK(preview_response(site, "/", "").etag != next);
  site.error_overlay = "";
  CHECK(preview_response(site, "/", "").etag == next);
  CHECK(preview_response(site, "/css/site.css", "").etag == "\"" + content_hash_hex("body{}") + "\"");
}

TEST_CASE("only requests addressed to localhost, an IP address or the --host given are answered") {
  for (const std::string host : {"127.0.0.1", "127.0.0.1:8080", "localhost", "LocalHost:8080", "[::1]", "[::1]:8080", "192.168.1.20:8080",
                                 "[fe80::1]", "0.0.0.0:80", "preview.lan", "Preview.LAN:8080"}) {
    CAPTURE(host);
    CHECK(is_preview_host(host, "preview.lan"));
  }
  for (const std::string host : {"evil.example",
                                 "evil.example:8080",
                                 "localhost.evil.example",
                                 "127.0.0.1.evil.example",
                                 "",
                                 ":8080",
                                 "localhost:",
                                 "localhost:80x",
                                 "localhost:123456",
                                 "[::1",
                                 "[::1]x",
                                 "[evil.example]",
                                 "[::1]:",
                                 "127.1",
                                 "0x7f.0.0.1",
                                 "::1",
                                 "localhost.",
                                 "sub.localhost",
                                 "preview.lan.evil.example",
                                 "127.0.0.1 ",
                                 "localhost\r\nX: y"}) {
    CAPTURE(host);
    CHECK_FALSE(is_preview_host(host, "preview.lan"));
  }
  CHECK(is_preview_host("10.0.0.5", "127.0.0.1"));
  CHECK_FALSE(is_preview_host("preview.lan", "127.0.0.1"));
  CHECK_FALSE(is_preview_host("", ""));

  const auto refused = wrong_host_response("evil.example\x01");
  CHECK(refused.status == 403);
  CHECK(refused.content_type == "text/plain; charset=utf-8");
  CHECK(refused.body.str().find("\"evil.example?\"") != std::string::npos);
  CHECK(refused.body.str().find("DNS rebinding") != std::string::npos);
  CHECK(wrong_host_response("").body.str().find("without a Host header") != std::string::npos);
}

TEST_CASE("the live-reload script tries again when the server turns its stream away") {
  CHECK(live_reload_script().find("EventSource.CLOSED") != std::string::npos);
  CHECK(live_reload_script().find("setTimeout(listen") != std::string::npos);
}

TEST_CASE("content types for every kind of file a site has") {
  CHECK(content_type_for("a/index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("js/pipeline.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("data/plan.json") == "application/json");
  CHECK(content_type_for("sitemap.xml") == "application/xml; charset=utf-8");
  CHECK(content_type_for("robots.txt") == "text/plain; charset=utf-8");
  CHECK(content_type_for("img/Logo.PNG") == "image/png");
  CHECK(content_type_for("docs/report.pdf") == "application/pdf");
  CHECK(content_type_for("img/wheel.svg") == "image/svg+xml");
  CHECK(content_type_for("files/archive") == "application/octet-stream");
  CHECK(content_type_for("v1.2/README") == "application/octet-stream");
}

void watcher_reports_edits(bool polling) {
  testing::TempSite site({{"content/about.md", "---\ntitle: About\n---\n"}, {"content/news/_index.md", "---\ntitle: News\n---\n"}});
  fs::create_directories(site.dir() / "build");
  // A theme's folder may be a link to elsewhere in the site; links back up are not followed.
  site.write("house-style/templates/page.mustache", "<p>{{page.title}}</p>\n");
  fs::create_directory_symlink("../house-style", site.dir() / "themes/linked");
  fs::create_directory_symlink("..", site.dir() / "content/up");
  fs::create_directory_symlink(".", site.dir() / "content/here");
  FileWatcher watcher(site.dir(), polling);
  CHECK(watcher.uses_inotify() == !polling);
  CHECK(watcher.wait(std::chrono::milliseconds(50)).empty());

  site.write("content/about.md", "---\ntitle: About us\n---\n");
  auto changes = watcher.wait(std::chrono::seconds(2));
  REQUIRE(changes.paths.size() == 1);
  CHECK(changes.paths[0] == site.dir() / "content/about.md");

  site.write("build/ignored.txt", "not an input");
  site.write("content/.about.md.swp", "an editor's file");
  CHECK(watcher.wait(std::chrono::milliseconds(polling ? 600 : 100)).empty());

  // A new folder and the file in it; then the file renamed over, as editors save.
  fs::create_directories(site.dir() / "content/plans");
  site.write("content/plans/index.md", "---\ntitle: Plans\n---\n");
  changes = watcher.wait(std::chrono::seconds(2));
  if (changes.paths.empty() || changes.paths.back() != site.dir() / "content/plans/index.md") {
    const auto more = watcher.wait(std::chrono::seconds(2));
    changes.paths.insert(changes.paths.end(), more.paths.begin(), more.paths.end());
  }
  CHECK(std::find(changes.paths.begin(), changes.paths.end(), site.dir() / "content/plans/index.md") != changes.paths.end());
  site.write("content/news/.tmp-save", "---\ntitle: All news\n---\n");
  fs::rename(site.dir() / "content/news/.tmp-save", site.dir() / "content/news/_index.md");
  changes = watcher.wait(std::chrono::seconds(2));
  CHECK(std::find(changes.paths.begin(), changes.paths.end(), site.dir() / "content/news/_index.md") != changes.paths.end());

  site.write("site.json", testing::minimal_site_json());
  changes = watcher.wait(std::chrono::seconds(2));
  CHECK(std::find(changes.paths.begin(), changes.paths.end(), site.dir() / "site.json") != changes.paths.end());

  site.write("house-style/templates/page.mustache", "<h1>{{page.title}}</h1>\n");
  changes = watcher.wait(std::chrono::seconds(2));
  CHECK(std::find(changes.paths.begin(), changes.paths.end(), site.dir() / "themes/linked/templates/page.mustache") != changes.paths.end());

  // A folder renamed, or moved out of what is watched (as to a trash), and a new one made where
  // it was: the new one is watched too.
  for (const auto& away : {site.dir() / "content/old-plans", site.dir() / "build/trash"}) {
    CAPTURE(away);
    fs::rename(site.dir() / "content/plans", away);
    (void)watcher.wait(std::chrono::seconds(1));
    fs::create_directories(site.dir() / "content/plans");
    (void)watcher.wait(std::chrono::seconds(1));
    site.write("content/plans/new.md", "---\ntitle: New\n---\n");
    changes = watcher.wait(std::chrono::seconds(2));
    CHECK(std::find(changes.paths.begin(), changes.paths.end(), site.dir() / "content/plans/new.md") != changes.paths.end());
  }

  // A link to a folder made while watching: the folder it leads to is watched from then on.
  site.write("common-partials/footer.mustache", "<footer></footer>\n");
  fs::create_directory_symlink("../common-partials", site.dir() / "themes/more");
  (void)watcher.wait(std::chrono::seconds(1));
  site.write("common-partials/footer.mustache", "<footer>Edited</footer>\n");
  changes = watcher.wait(std::chrono::seconds(2));
  CHECK(std::find(changes.paths.begin(), changes.paths.end(), site.dir() / "themes/more/footer.mustache") != changes.paths.end());
}

TEST_CASE("the watcher reports edits, new folders and renamed files, and nothing else") {
  SUBCASE("with inotify") { watcher_reports_edits(false); }
  SUBCASE("by polling") { watcher_reports_edits(true); }
}

TEST_SUITE_END();

}  // namespace
}  // namespace plainsight
