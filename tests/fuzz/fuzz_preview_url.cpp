// libFuzzer: the preview server's answer to any request path. It must be one of the statuses
// it documents, and a 200 must be a file the site holds, or the preview's own live-reload
// script: never anything outside the site.
#include <cstdlib>

#include "serve/preview.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const plainsight::PreviewSite site{{{"index.html", "<html><body>home</body></html>"},
                                             {"about/index.html", "<html><body>about</body></html>"},
                                             {"404.html", "<html><body>not found</body></html>"},
                                             {"css/site.css", "body{}"},
                                             {"data/plan.json", "{}"}},
                                            "",
                                            1};
  const std::string path(reinterpret_cast<const char*>(data), size);
  const auto response = plainsight::preview_response(site, path, "");
  switch (response.status) {
    case 200:
      if (path.starts_with(plainsight::preview_prefix)) break;  // the preview's own script
      if (!site.files.contains(path.substr(1)) && !site.files.contains(path.substr(1) + "index.html")) std::abort();
      break;
    case 301:
    case 304:
    case 400:
    case 404:
      break;
    default:
      std::abort();
  }
  return 0;
}
