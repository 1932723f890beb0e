#pragma once

#include <string>

#include "core/diagnostics.hpp"

namespace plainsight {

/// Markdown written inside a data file, such as a deliverable's update, with the place of the
/// JSON string it came from. Its data type registers it as one of SiteModel::snippets, which the
/// build renders with the pages' Markdown and link-checks as it does a page's.
struct MarkdownText {
  std::string text;
  SourceLocation where;
  std::size_t snippet = std::string::npos;  ///< index into SiteModel::snippets once registered

  [[nodiscard]] bool empty() const { return text.empty(); }
};

}  // namespace plainsight
