// libFuzzer: the CSV reader (quotes, embedded newlines, BOM, CRLF) with any bytes.
#include "core/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  plainsight::Diagnostics diagnostics;
  (void)plainsight::parse_csv({reinterpret_cast<const char*>(data), size}, "data.csv", diagnostics);
  return 0;
}
