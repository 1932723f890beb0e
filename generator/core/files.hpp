#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace plainsight {

/// The whole file as bytes, or nullopt if it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path);

/// Writes the file, creating its folder if need be. Throws std::filesystem::filesystem_error on failure.
void write_file(const std::filesystem::path& path, std::string_view bytes);

/// Writes through a temporary file and a rename, so a reader never sees half a file.
/// Throws std::filesystem::filesystem_error on failure.
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

/// path relative to base with forward slashes, for messages and URLs.
std::string relative_path(const std::filesystem::path& path, const std::filesystem::path& base);

}  // namespace plainsight
