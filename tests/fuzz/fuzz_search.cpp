// libFuzzer: search words, stems and the index built from a document of any bytes.
#include <string>

#include "search/index.hpp"
#include "search/terms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto middle = text.size() / 2;
  plainsight::build_search_index({{text.substr(0, middle), "/a/", "Page", "", "", text.substr(middle), {{"department", text.substr(0, 8)}}},
                                  {"b", "/b/", "News", "", "", text, {}}},
                                 {.records_per_file = 1, .postings_file_bytes = 64, .terms_per_dictionary_file = 2, .jobs = 1});
  return 0;
}
