// libFuzzer: Markdown to HTML through cmark-gfm with the site's extensions, headings and links.
#include "markdown/markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const bool prepared = (plainsight::prepare_markdown(), true);
  (void)prepared;
  plainsight::render_markdown({reinterpret_cast<const char*>(data), size}, {false, "/site/", {"main"}});
  return 0;
}
