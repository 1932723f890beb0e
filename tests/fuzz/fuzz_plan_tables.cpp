// libFuzzer: a plan kept as CSV tables, decoded (UTF-8 or Windows-1252), read into plan.json's
// shape and validated. The input is the tables in plan_table_files() order, separated by lines
// "---"; a table left out is missing.
#include "content/plan.hpp"
#include "content/plan_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<plainsight::PlanTableFile> files;
  for (const auto& name : plainsight::plan_table_files()) {
    const auto split = text.find("\n---\n");
    files.push_back({"content/plans/p/" + name, std::string(text.substr(0, split))});
    if (split == std::string_view::npos) break;
    text.remove_prefix(split + 5);
  }
  plainsight::Diagnostics diagnostics;
  if (auto source = plainsight::plan_source_from_csv(files, "https://x.example/", diagnostics))
    (void)plainsight::load_plan(*source, {}, diagnostics);
  return 0;
}
