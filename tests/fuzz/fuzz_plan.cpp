// libFuzzer: plan.json, parsed and validated, ratings computed.
#include "content/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  plainsight::Diagnostics diagnostics;
  if (auto source = plainsight::parse_json({reinterpret_cast<const char*>(data), size}, "plan.json", diagnostics))
    (void)plainsight::load_plan(*source, {}, diagnostics);
  return 0;
}
