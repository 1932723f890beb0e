#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "serve/serve.hpp"

namespace plainsight::cli {

/// `plainsight serve` once its arguments are checked: serves the preview until Ctrl-C and
/// returns the exit code. `args` is the command line after the program's name.
///
/// The preview server is a program of its own, `plainsight-serve`, built beside `plainsight`:
/// Debian's HTTP library brings OpenSSL with it, which every other command would load for
/// nothing (4 MiB of memory and 3 ms of each start). `plainsight` runs it in its place
/// (cli/preview_start.cpp); `plainsight-serve` serves (cli/preview_serve.cpp).
int run_preview(const ServeOptions& options, const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace plainsight::cli
