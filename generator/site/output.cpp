#include <algorithm>
#include <set>

#include "core/files.hpp"
#include "site/build.hpp"

namespace plainsight {
namespace fs = std::filesystem;

bool is_safe_output_dir(const fs::path& out_dir, const fs::path& site_dir) {
  const auto out = fs::weakly_canonical(out_dir);
  const auto site = fs::weakly_canonical(site_dir);
  const auto [site_end, out_end] = std::mismatch(site.begin(), site.end(), out.begin(), out.end());
  const bool out_contains_site = out_end == out.end();
  return !out_contains_site && out != out.root_path();
}

WriteStats write_output(const fs::path& out_dir, const SiteOutput& output) {
  WriteStats stats;
  fs::create_directories(out_dir);
  for (const auto& [path, bytes] : output.files) {
    const auto target = out_dir / path;
    std::error_code error;
    if (fs::file_size(target, error) == bytes.size() && !error) {
      if (auto existing = read_file(target); existing && *existing == bytes) {
        ++stats.unchanged;
        continue;
      }
    }
    if (fs::is_directory(target, error)) fs::remove_all(target);
    write_file_atomically(target, bytes);
    ++stats.written;
  }
  // Remove what no longer belongs: deepest paths first, so folders are empty when reached.
  std::vector<fs::path> existing;
  for (auto it = fs::recursive_directory_iterator(out_dir); it != fs::recursive_directory_iterator(); ++it) existing.push_back(it->path());
  std::sort(existing.begin(), existing.end(), std::greater<>());
  for (const auto& path : existing) {
    std::error_code error;
    if (fs::is_directory(path, error) && !fs::is_symlink(path, error)) {
      if (fs::is_empty(path, error)) fs::remove(path, error);
      continue;
    }
    if (!output.files.contains(path.lexically_relative(out_dir).generic_string())) {
      fs::remove(path, error);
      ++stats.removed;
    }
  }
  return stats;
}

}  // namespace plainsight
