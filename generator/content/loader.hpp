#pragma once

#include <filesystem>
#include <optional>

#include "content/data_loader.hpp"
#include "content/model.hpp"
#include "core/diagnostics.hpp"
#include "core/files.hpp"
#include "core/result_cache.hpp"

namespace plainsight {

struct LoadOptions {
  bool include_drafts = false;
  unsigned jobs = 0;  ///< threads reading pages; 0: one per core
  /// The data types a page's `type:` may name (generator/types/ lists them all).
  std::vector<DataLoader> data_types;
  /// Where each Markdown file's parsed front matter is kept between builds, under a hash of
  /// its name and bytes; none: every file is parsed.
  ResultCache* cache = nullptr;
  /// The files below content/ and the Markdown files' hashes, as the input fingerprint found
  /// them: content/ is not walked again, and with the cache a file whose front matter is kept
  /// under its hash is not read (BuildOptions::content_listing).
  const ContentListing* listing = nullptr;
};

/// Reads site.json and every file under content/ into a model, reporting every problem found.
/// Returns nullopt when the site cannot be used at all (no site.json); otherwise the model,
/// which may still come with errors in `diagnostics`.
[[nodiscard]] std::optional<SiteModel> load_site(const std::filesystem::path& site_dir, const LoadOptions& options, Diagnostics& diagnostics);

/// The URL of a content file, from its '/'-separated path below content/: "news/2022-06-16-x.md" → "/news/x/".
std::string url_for_content_file(std::string_view relative_to_content);

/// The file a site path is written to: "/news/x/" → "news/x/index.html", "/feed.xml" → "feed.xml".
std::string output_path_for(const std::string& site_path);

/// Makes an alias or menu URL canonical: leading "/", trailing "/" unless it names a file.
std::string normalise_site_path(std::string path);

}  // namespace plainsight
