#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace plainsight::cli {

/// The exit status. content_error also covers a folder that cannot be read or written;
/// internal_error is a bug in plainsight (an exception nothing expected).
enum ExitCode { success = 0, content_error = 1, usage_error = 2, internal_error = 3 };

/// Runs `plainsight <args…>`; output and errors go to the given streams.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// Runs a command and turns an exception that escapes it into a message and an exit code:
/// a file system error is content_error, anything else internal_error, reported as a bug.
int run_reporting_failures(const std::function<int()>& command, std::ostream& err);

}  // namespace plainsight::cli
