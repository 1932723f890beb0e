#include <iostream>

#include "cli/commands.hpp"
#include "markdown/markdown.hpp"

int main(int argc, char** argv) {
  plainsight::prepare_markdown();  // before any thread starts
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return plainsight::cli::run(args, std::cout, std::cerr);
  } catch (const std::exception& error) {
    // A bug, not a content error: say so plainly rather than abort.
    std::cerr << "plainsight: internal error: " << error.what() << "\nPlease report this, with the command you ran.\n";
    return 1;
  }
}
