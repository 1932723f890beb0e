#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace plainsight::cli {

enum ExitCode { success = 0, content_error = 1, usage_error = 2 };

/// Runs `plainsight <args…>`; output and errors go to the given streams.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace plainsight::cli
