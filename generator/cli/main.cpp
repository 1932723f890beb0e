#include <iostream>

#include "cli/commands.hpp"
#include "markdown/markdown.hpp"

// jemalloc's settings, read when it starts: memory freed goes back to the system after 0.1 s, not
// 10 s, and at once rather than first kept aside, so that a build's peak is what it holds rather
// than what it has held (at 10,000 pages of the nested shape, 134 MiB to 114-118 MiB for 1% more
// time; bench/README.md). The sanitizer builds, which have their own allocator, never read it.
extern "C" const char* malloc_conf;
const char* malloc_conf = "dirty_decay_ms:100,muzzy_decay_ms:0";

int main(int argc, char** argv) {
  plainsight::prepare_markdown();  // before any thread starts
  std::vector<std::string> args(argv + 1, argv + argc);
  return plainsight::cli::run(args, std::cout, std::cerr);  // an exception it does not expect is reported as a bug, exit 3
}
