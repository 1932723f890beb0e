#include <iostream>

#include "cli/commands.hpp"
#include "markdown/markdown.hpp"

int main(int argc, char** argv) {
  plainsight::prepare_markdown();  // before any thread starts
  std::vector<std::string> args(argv + 1, argv + argc);
  return plainsight::cli::run(args, std::cout, std::cerr);  // an exception it does not expect is reported as a bug, exit 3
}
