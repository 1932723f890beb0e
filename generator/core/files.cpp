#include "core/files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <system_error>
#include <tuple>

namespace plainsight {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes;
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) return std::nullopt;
  bytes.resize(static_cast<std::size_t>(size));
  in.seekg(0);
  in.read(bytes.data(), size);
  if (!in && !bytes.empty()) return std::nullopt;
  return bytes;
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::filesystem::filesystem_error("cannot write", path, std::make_error_code(std::errc::io_error));
}

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
  auto temporary = path;
  temporary += ".plainsight-tmp";
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);  // a link left there is removed, never written through
  write_file(temporary, bytes);
  std::filesystem::rename(temporary, path);
}

std::string relative_path(const std::filesystem::path& path, const std::filesystem::path& base) {
  return path.lexically_relative(base).generic_string();
}

namespace {

/// Longest name most file systems take (NAME_MAX), and a whole output path well inside PATH_MAX
/// once the output folder's own path is put before it.
constexpr std::size_t longest_segment = 255;
constexpr std::size_t longest_output_path = 1024;

}  // namespace

std::string output_path_problem(std::string_view relative) {
  if (relative.empty()) return "it is empty";
  if (relative.size() > longest_output_path) return "it is longer than " + std::to_string(longest_output_path) + " bytes";
  if (relative.front() == '/') return "it starts with \"/\" (an absolute path)";
  for (const unsigned char c : relative) {
    if (c == '\\') return "it holds a backslash";
    if (c < 0x20 || c == 0x7f) return "it holds a control character";
  }
  for (std::size_t from = 0; from <= relative.size();) {
    const auto end = std::min(relative.find('/', from), relative.size());
    const auto segment = relative.substr(from, end - from);
    if (segment.empty()) return "it has an empty part (\"//\", or a name with no letter or digit)";
    if (segment == "." || segment == "..") return "it has a \"" + std::string(segment) + "\" part";
    if (segment.size() > longest_segment) return "a part of it is longer than " + std::to_string(longest_segment) + " bytes";
    if (segment.starts_with(".plainsight")) return "\"" + std::string(segment) + "\" is a name the build keeps for itself";
    from = end + 1;
  }
  return {};
}

bool is_ignored_name(std::string_view name) {
  return name.empty() || name.front() == '.' || name.back() == '~' || name.front() == '#' || name.ends_with(".swp");
}

FolderWalk walk_site_folder(const std::filesystem::path& dir, const std::filesystem::path& site_root,
                            const std::function<bool(std::string_view name)>& skip) {
  namespace fs = std::filesystem;
  using FolderId = std::tuple<dev_t, ino_t>;
  FolderWalk walk;
  std::error_code error;
  const auto root = fs::weakly_canonical(site_root, error).string() + '/';
  std::set<FolderId> walked;
  std::vector<FolderId> holding;  // the folders from `dir` down to the one being walked
  auto leads_inside = [&](const fs::path& link) {
    std::error_code ignored;
    const auto target = fs::canonical(link, ignored);
    return !ignored && (target.string() + '/').starts_with(root);
  };
  auto visit = [&](auto& self, const fs::path& path) -> void {
    std::error_code status_error;
    if (fs::is_symlink(fs::symlink_status(path, status_error)) && !leads_inside(path)) {
      const bool dangling = !fs::exists(path, status_error);
      walk.problems.push_back({path, dangling ? "symbolic link that leads nowhere; remove it or copy the file into the site"
                                              : "symbolic link points outside the site folder; copy the file into the site instead"});
      return;
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return;  // gone since the folder was listed
    if (S_ISREG(info.st_mode)) {
      walk.files.push_back(path);
      return;
    }
    if (!S_ISDIR(info.st_mode)) {
      walk.problems.push_back({path, "neither a file nor a folder (a device, socket or pipe); remove it"});
      return;
    }
    const FolderId id{info.st_dev, info.st_ino};
    if (std::find(holding.begin(), holding.end(), id) != holding.end()) {
      walk.problems.push_back({path, "symbolic link loops: it leads back to a folder that holds it"});
      return;
    }
    if (!walked.insert(id).second) {
      walk.problems.push_back({path, "symbolic link leads to a folder that is already part of the site; copy it instead"});
      return;
    }
    std::vector<fs::path> entries;
    std::error_code list_error;
    for (const auto& entry : fs::directory_iterator(path, list_error)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    holding.push_back(id);
    for (const auto& entry : entries)
      if (!skip(entry.filename().string())) self(self, entry);
    holding.pop_back();
  };
  if (fs::exists(fs::symlink_status(dir, error))) visit(visit, dir);
  return walk;
}

}  // namespace plainsight
