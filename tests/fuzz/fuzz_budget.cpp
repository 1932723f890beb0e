// libFuzzer: budget.json, parsed and its totals checked.
#include "content/budget.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  plainsight::Diagnostics diagnostics;
  if (auto source = plainsight::parse_json({reinterpret_cast<const char*>(data), size}, "budget.json", diagnostics))
    (void)plainsight::load_budget(*source, diagnostics);
  return 0;
}
