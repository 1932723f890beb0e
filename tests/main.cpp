#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "markdown/markdown.hpp"

int main(int argc, char** argv) {
  plainsight::prepare_markdown();  // as the real main does, before any thread starts
  doctest::Context context(argc, argv);
  return context.run();
}
