#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dates.hpp"
#include "core/diagnostics.hpp"
#include "core/result_cache.hpp"

namespace plainsight {

/// The YAML between the --- lines at the top of a Markdown file.
struct FrontMatter {
  std::string title;
  std::optional<DateTime> date;
  std::optional<DateTime> updated;
  std::string summary;
  std::string source;  ///< the document the page's figures come from, shown under them
  bool draft = false;
  std::optional<double> weight;
  std::vector<std::string> aliases;
  std::string type;
  std::string layout;
  std::vector<std::string> tags;
  std::optional<bool> toc;
  std::string menu;
  nlohmann::json params = nlohmann::json::object();
  /// The keys that the page's data type adds (a department's `divisions`), as JSON.
  nlohmann::json fields = nlohmann::json::object();
  /// Where each key was written, for errors found later (a missing layout, a clashing alias).
  std::map<std::string, SourceLocation, std::less<>> locations;
};

struct MarkdownDocument {
  FrontMatter front_matter;
  std::string body;
  int body_line = 1;  ///< the line of the file where the body starts
};

/// The front matter keys a page may use.
const std::vector<std::string>& front_matter_keys();

/// The front matter keys a data type adds to the common ones, by its name; may be empty.
using TypeKeys = std::function<std::vector<std::string>(std::string_view type)>;

/// Splits and parses a Markdown file. Reports every problem in the front matter; the body is
/// returned even when there are errors so that later checks can still run.
MarkdownDocument parse_markdown_document(std::string_view text, const std::string& file, Diagnostics& diagnostics, const TypeKeys& type_keys = {});

/// Front matter as bytes and back, for the build's ResultCache; false when the bytes are damaged.
void write_front_matter(ByteWriter& out, const FrontMatter& front_matter);
bool read_front_matter(ByteReader& in, FrontMatter& front_matter);

}  // namespace plainsight
