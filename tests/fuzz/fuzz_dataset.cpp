// libFuzzer: a dataset's Table Schema and CSV, every value read against its field, totals
// checked and rows grouped. The input is the schema, a line "---", then the CSV; the settings
// group by and total the first two fields.
#include "content/dataset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto split = text.find("\n---\n");
  if (split == std::string_view::npos) return 0;
  plainsight::Diagnostics diagnostics;
  const auto source = plainsight::parse_json(text.substr(0, split), "schema.json", diagnostics);
  if (!source) return 0;
  auto schema = plainsight::load_table_schema(*source, diagnostics);
  if (!schema) return 0;
  plainsight::DatasetSettings settings;
  for (std::size_t i = 0; i < schema->fields.size() && i < 2; ++i) {
    settings.group_by.push_back(schema->fields[i].name);
    settings.totals.push_back(schema->fields[i].name);
  }
  settings.total_label = "Total";
  (void)plainsight::load_dataset(std::move(*schema), {{"data.csv", std::string(text.substr(split + 5))}}, settings, diagnostics);
  return 0;
}
