// libFuzzer: a procurement pipeline as CSV (or, when the input starts with "[", as JSON), every
// value, date and band parsed.
#include <nlohmann/json.hpp>

#include "content/pipeline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const auto settings = [] {
    plainsight::Diagnostics unused;
    return plainsight::procurement_settings(nlohmann::json::object(), "ocds-fuzz", "site.json", unused);
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  plainsight::Diagnostics diagnostics;
  (void)plainsight::load_pipeline(text, text.starts_with('['), "pipeline.csv", settings, diagnostics);
  return 0;
}
