// `plainsight serve` in the `plainsight` program: the preview server's own program in its place.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/preview.hpp"

namespace plainsight::cli {

int run_preview(const ServeOptions&, const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::error_code error;
  // The program itself, not a link to it, is beside its server.
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error || !self.is_absolute()) {  // never a plainsight-serve found from the current folder
    err << "plainsight serve: cannot find the preview server: this program's own path is unknown (" << error.message() << ")\n";
    return internal_error;
  }
  const auto server = self.parent_path() / "plainsight-serve";
  std::vector<char*> argv{const_cast<char*>(server.c_str())};
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  out.flush();
  err.flush();
  ::execv(server.c_str(), argv.data());
  err << "plainsight serve: cannot start the preview server " << server.string() << ": " << std::strerror(errno)
      << " (it is built beside plainsight, by cmake --build build)\n";
  return internal_error;
}

}  // namespace plainsight::cli
