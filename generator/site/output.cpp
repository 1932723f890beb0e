#include <algorithm>
#include <set>

#include "core/files.hpp"
#include "core/text.hpp"
#include "site/build.hpp"

namespace plainsight {
namespace fs = std::filesystem;

namespace {

/// The list of files the last build wrote, kept in the output folder: only those are ever
/// removed, so a folder given by mistake loses nothing that plainsight did not put there.
constexpr auto manifest_name = ".plainsight-files";

bool is_within(const fs::path& path, const fs::path& folder) {
  const auto [folder_end, path_end] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return folder_end == folder.end();
}

std::set<std::string> read_manifest(const fs::path& out_dir) {
  std::set<std::string> paths;
  if (auto text = read_file(out_dir / manifest_name))
    for (const auto line : split_lines(*text))
      if (!line.empty()) paths.emplace(line);
  return paths;
}

}  // namespace

bool is_safe_output_dir(const fs::path& out_dir, const fs::path& site_dir) {
  const auto out = fs::weakly_canonical(out_dir);
  const auto site = fs::weakly_canonical(site_dir);
  if (out == out.root_path() || is_within(site, out)) return false;
  // Built files inside the sources would be read back as content on the next build.
  for (const char* source : {"content", "themes", "templates", "partials", "static", "site.json"})
    if (is_within(out, site / source)) return false;
  return true;
}

WriteStats write_output(const fs::path& out_dir, const SiteOutput& output) {
  WriteStats stats;
  fs::create_directories(out_dir);
  const auto previous = read_manifest(out_dir);
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
  // Remove what the last build wrote and this one did not, then the folders that left empty.
  std::set<fs::path, std::greater<>> emptied;
  for (const auto& path : previous) {
    if (output.files.contains(path)) continue;
    const auto target = (out_dir / path).lexically_normal();
    std::error_code error;
    if (!is_within(target, out_dir.lexically_normal()) || !fs::is_regular_file(fs::symlink_status(target, error))) continue;
    if (fs::remove(target, error)) ++stats.removed;
    for (auto folder = target.parent_path(); folder != out_dir.lexically_normal() && is_within(folder, out_dir.lexically_normal());
         folder = folder.parent_path())
      emptied.insert(folder);
  }
  for (const auto& folder : emptied) {  // deepest first
    std::error_code error;
    if (fs::is_directory(folder, error) && fs::is_empty(folder, error)) fs::remove(folder, error);
  }
  std::string manifest;
  for (const auto& [path, bytes] : output.files) manifest += path + '\n';
  if (read_file(out_dir / manifest_name) != manifest) write_file_atomically(out_dir / manifest_name, manifest);
  return stats;
}

}  // namespace plainsight
