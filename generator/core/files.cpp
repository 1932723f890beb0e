#include "core/files.hpp"

#include <fstream>
#include <system_error>

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
  write_file(temporary, bytes);
  std::filesystem::rename(temporary, path);
}

std::string relative_path(const std::filesystem::path& path, const std::filesystem::path& base) {
  return path.lexically_relative(base).generic_string();
}

}  // namespace plainsight
