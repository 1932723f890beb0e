// libFuzzer: a Markdown file's front matter and body split, with any bytes.
#include "content/front_matter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  plainsight::Diagnostics diagnostics;
  plainsight::parse_markdown_document({reinterpret_cast<const char*>(data), size}, "fuzz.md", diagnostics);
  return 0;
}
