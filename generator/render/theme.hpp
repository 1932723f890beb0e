#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/model.hpp"
#include "core/diagnostics.hpp"

namespace plainsight {

/// A theme's Mustache layouts and partials, with the site's own files taking precedence.
/// Loading checks every template's syntax; rendering is safe from several threads.
class Theme {
 public:
  /// Reads site_dir/themes/<name>/ and the site's overrides (site_dir/templates, partials, static).
  [[nodiscard]] static std::optional<Theme> load(const std::filesystem::path& site_dir, const std::string& name, Diagnostics& diagnostics);

  [[nodiscard]] bool has_layout(std::string_view name) const;

  /// Renders a layout with a view. Under `strict`, every name the templates look up that the
  /// view does not have is an error, located in the template that uses it; a missing partial
  /// always is. Problems are reported with `page` as the page being rendered.
  std::string render(std::string_view layout, const nlohmann::json& view, bool strict, Diagnostics& diagnostics, const std::string& page) const;

  /// A hash of every layout and partial: equal for themes that render every view alike.
  [[nodiscard]] std::uint64_t fingerprint() const { return fingerprint_; }

  /// The ids its templates give elements (id="main"), sorted: a heading in Markdown never
  /// takes one, and a link to /page/#main is not broken.
  [[nodiscard]] const std::vector<std::string>& element_ids() const { return element_ids_; }

  /// The theme's static files merged with the site's, as output URL → source file.
  [[nodiscard]] const std::vector<Resource>& static_files() const { return static_files_; }

 private:
  struct Template {
    std::string file;  ///< relative to the site folder, for messages
    std::string text;
  };
  SourceLocation locate_name(const Template& layout, std::string_view name) const;

  std::map<std::string, Template, std::less<>> layouts_;
  std::map<std::string, Template, std::less<>> partials_;
  std::vector<Resource> static_files_;
  std::uint64_t fingerprint_ = 0;
  std::vector<std::string> element_ids_;
  struct Compiled;  ///< the layouts ready to render, shared by all renders
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace plainsight
