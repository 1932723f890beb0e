#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  std::size_t search_files = 0;  ///< the search index's, under search/index/
  /// Seconds each phase of the build took, in order: load, Markdown, pages, search index, …
  std::vector<std::pair<std::string, double>> timings;
};

/// Loads, validates and renders the whole site without writing anything. Every problem is
/// added to `diagnostics`; the result is empty when there is any error.
std::optional<SiteOutput> generate_site(const BuildOptions& options, Diagnostics& diagnostics);

/// A site built in memory and kept up to date as its files change (the preview server's).
/// An edit to the body of existing Markdown pages re-renders only the pages that show that
/// body (the page and the lists it appears in) once the edit is shown not to reach further:
/// same front matter, same site-wide view, same heading ids or no links to them. Any other
/// change reloads and renders the whole site.
class SiteBuilder {
 public:
  explicit SiteBuilder(BuildOptions options);
  ~SiteBuilder();
  SiteBuilder(const SiteBuilder&) = delete;
  SiteBuilder& operator=(const SiteBuilder&) = delete;

  /// Brings the output up to date with the files on disk; `changed` names the files that
  /// changed since the last call (empty: not known, so everything is rebuilt). On errors,
  /// returns false with every problem in `diagnostics` and keeps the last good output.
  bool update(const std::vector<std::filesystem::path>& changed, Diagnostics& diagnostics);

  /// An edit re-renders the pages that show it at once and leaves the search index to this
  /// call (the preview serves the new page first): brings the index up to date with the last
  /// successful update. Returns whether any of its files changed; changed_outputs() names them.
  bool refresh_search_index();

  /// The last good output.
  [[nodiscard]] const SiteOutput& output() const;
  SiteOutput take_output();
  /// Output paths that the last successful update added, changed or removed.
  [[nodiscard]] const std::vector<std::string>& changed_outputs() const;
  /// Whether the last update re-rendered only part of the site.
  [[nodiscard]] bool last_update_was_partial() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

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
