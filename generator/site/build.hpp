#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"

namespace plainsight {

struct BuildOptions {
  std::filesystem::path site_dir = ".";
  bool include_drafts = false;
  bool strict = false;  ///< a template name the view lacks is an error
  unsigned jobs = 0;    ///< 0: one per core
  std::string base_url; ///< replaces site.json's base_url when set (the preview server uses it)
  /// Called now and then from the building thread: stage, items done, items in all.
  std::function<void(std::string_view stage, std::size_t done, std::size_t total)> progress;
};

/// A built site, in memory: output path ("news/x/index.html") → bytes.
struct SiteOutput {
  std::map<std::string, std::string> files;
  std::size_t pages = 0;         ///< HTML pages rendered from content (aliases and 404 not counted)
  std::size_t data_files = 0;    ///< files under data/
  std::size_t static_files = 0;  ///< theme, site and bundle files copied as they are
};

/// Loads, validates and renders the whole site without writing anything. Every problem is
/// added to `diagnostics`; the result is empty when there is any error.
std::optional<SiteOutput> generate_site(const BuildOptions& options, Diagnostics& diagnostics);

struct WriteStats {
  std::size_t written = 0;
  std::size_t unchanged = 0;
  std::size_t removed = 0;
};

/// Makes out_dir hold exactly `output`: writes only the files whose bytes differ, removes the
/// files (and then empty folders) that no longer belong.
WriteStats write_output(const std::filesystem::path& out_dir, const SiteOutput& output);

/// An output folder that is, or contains, the site folder would be wiped by write_output.
bool is_safe_output_dir(const std::filesystem::path& out_dir, const std::filesystem::path& site_dir);

}  // namespace plainsight
