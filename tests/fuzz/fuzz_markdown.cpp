// libFuzzer: Markdown to HTML through cmark-gfm with the site's extensions, headings and links,
// with raw HTML left out and, as unsafe_html has it, kept and filtered.
#include "markdown/markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const bool prepared = (plainsight::prepare_markdown(), true);
  (void)prepared;
  for (const bool unsafe_html : {false, true})
    plainsight::render_markdown({reinterpret_cast<const char*>(data), size}, {unsafe_html, "/site/", {"main"}});
  return 0;
}
