#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace plainsight {

/// The whole file as bytes, or nullopt if it cannot be read.
[[nodiscard]] std::optional<std::string> read_file(const std::filesystem::path& path);
/// The same, but nullopt for a symbolic link rather than the file it leads to.
[[nodiscard]] std::optional<std::string> read_file_not_through_link(const std::filesystem::path& path);

/// The bytes of a file the walk found to be a plain file, read into `buffer` (kept by the caller
/// to be used again, and grown as needed), for hashing thousands of inputs without a string for
/// each. nullopt when it cannot be read or is no longer a plain file (a folder, a pipe or a
/// device put in its place since); the view is valid until `buffer` is used again.
std::optional<std::string_view> read_plain_file_into(const std::filesystem::path& path, std::vector<char>& buffer);
/// The same for the file `name` in the open folder `folder` (or AT_FDCWD), as openat() takes them.
std::optional<std::string_view> read_plain_file_into(int folder, const char* name, std::vector<char>& buffer);

/// The content hash (core/hash.hpp) of files already read, by path.
using FileHashes = std::unordered_map<std::string, std::uint64_t>;

/// What the input fingerprint found below content/, so that the load need not look again.
struct ContentListing {
  /// Every file, as walk_site_folder(content, content, is_ignored_name) lists them; none when
  /// that walk might not list the same (the fingerprint's found a problem): then the load walks.
  std::optional<std::vector<std::string>> files;
  FileHashes markdown_hashes;  ///< each Markdown file's
  bool through_links = false;  ///< FolderWalk::through_links of that walk
  /// A hash of every input but the bytes of the Markdown files below content/ (their names are
  /// in it): what the model is made from but the pages' front matter and bodies.
  std::uint64_t other_inputs = 0;
};

/// Writes the file, creating its folder if need be; never through a link at `path`. Throws
/// std::filesystem::filesystem_error on failure.
void write_file(const std::filesystem::path& path, std::string_view bytes);

/// Writes through a temporary file and a rename, so a reader never sees half a file.
/// Throws std::filesystem::filesystem_error on failure.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

/// path relative to base with forward slashes, for messages and URLs.
std::string relative_path(const std::filesystem::path& path, const std::filesystem::path& base);

/// Where `real` (a canonical path) is inside `site` (canonical too), "." for the site itself;
/// nullopt when it is outside, or a name on the way is hidden (.git, .private).
std::optional<std::filesystem::path> visible_path_in(const std::filesystem::path& real, const std::filesystem::path& site);

/// Why `relative` cannot name a file of the output folder, or "" when it can. An output path
/// ("news/x/index.html") is relative and each of its segments a plain name: not empty, not "."
/// or "..", without backslashes or control characters, no longer than a file system allows, and
/// not one of the names the build keeps for itself (".plainsight…").
[[nodiscard]] std::string output_path_problem(std::string_view relative);

/// Editor droppings and hidden files, never part of a site: ".git", "x~", "#x#", "x.swp".
[[nodiscard]] bool is_ignored_name(std::string_view name);

/// Whether a file's name or path ends in .md or .markdown: a page's Markdown.
[[nodiscard]] inline bool is_markdown_name(std::string_view name) { return name.ends_with(".md") || name.ends_with(".markdown"); }

/// What walk_site_folder found: files in path order, and the links it would not follow.
struct FolderWalk {
  struct Problem {
    std::string path;
    std::string message;
  };
  std::vector<std::string> files;  ///< each path as `dir` and the names below it joined with '/'
  std::vector<Problem> problems;
  bool through_links = false;  ///< whether it followed a link below `dir`: a file may then be listed under two names
};

/// Every regular file below `dir` (itself a file or a folder), depth first in path order,
/// skipping names that `skip` accepts. A link is followed only when it leads inside `boundary`
/// (`dir` itself, or the folder that holds it) to a place whose path there has no name that
/// `skip` accepts; one that leads elsewhere, nowhere, back to a folder that holds it, or to a
/// folder walked already is a problem and is not followed, so the walk ends whatever the links
/// say. Pipes, sockets and devices are problems too: reading one could wait forever.
[[nodiscard]] FolderWalk walk_site_folder(const std::filesystem::path& dir, const std::filesystem::path& boundary,
                                          const std::function<bool(std::string_view name)>& skip);

}  // namespace plainsight
