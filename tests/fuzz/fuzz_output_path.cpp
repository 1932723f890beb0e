// libFuzzer: any alias, content file name or output path, written through the output folder as a
// build writes it. The folder holds links that lead out of it (to a sibling folder, by a relative
// and an absolute path, and to itself); whatever the input, nothing may appear outside it, and a
// path that check() accepts must be committed without an exception.
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "content/loader.hpp"
#include "core/files.hpp"
#include "site/build.hpp"

namespace fs = std::filesystem;

namespace {

struct Sandbox {
  fs::path root = fs::temp_directory_path() / ("plainsight-fuzz-output-" + std::to_string(getpid()));
  fs::path out = root / "out";
  fs::path outside = root / "outside";
  fs::path site = root / "site";  ///< holds the build state, .plainsight/

  Sandbox() {
    fs::remove_all(root);
    fs::create_directories(outside);
    plainsight::SiteOutput first;
    first.files = {{"index.html", "home"}};
    plainsight::write_output(out, site, first);
    fs::create_directory_symlink("../outside", out / "up");
    fs::create_directory_symlink(outside, out / "absolute");
    fs::create_directory_symlink(".", out / "self");
    fs::create_symlink(outside / "file", out / "dangling");
  }
  ~Sandbox() { fs::remove_all(root); }

  void write(const std::string& path) const {
    if (!plainsight::output_path_problem(path).empty()) return;
    if (!(out / path).lexically_normal().string().starts_with(out.string() + "/")) std::abort();  // accepted, yet outside
    plainsight::OutputFolder folder(out, site, "fuzz");
    folder.put(path, "x", 0);
    plainsight::Diagnostics problems;
    folder.check(problems);
    if (problems.has_errors()) return;
    try {
      folder.commit(0);
    } catch (const std::exception&) {
      std::abort();  // check() said it could be moved into place
    }
  }

  void assert_nothing_escaped() const {
    if (!fs::is_empty(outside)) std::abort();
    for (const auto& entry : fs::directory_iterator(root))
      if (entry.path() != out && entry.path() != outside && entry.path() != site) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const Sandbox sandbox;
  const std::string input(reinterpret_cast<const char*>(data), size);
  sandbox.write(input);
  sandbox.write(plainsight::output_path_for(plainsight::normalise_site_path(input)));  // as an alias
  if (!input.empty() && input.find('\0') == std::string::npos)
    sandbox.write(plainsight::output_path_for(plainsight::url_for_content_file(input)));  // as a file in content/
  sandbox.assert_nothing_escaped();
  return 0;
}
