// `plainsight serve` in the `plainsight-serve` program (and the tests): the preview server itself.
#include <csignal>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <ostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/preview.hpp"

namespace plainsight::cli {
namespace {

std::atomic<bool> stop_serving{false};

extern "C" void request_stop(int) { stop_serving = true; }

}  // namespace

int run_preview(const ServeOptions& given, const std::vector<std::string>&, std::ostream& out, std::ostream& err) {
  auto options = given;
  std::mutex output_mutex;
  options.log = [&](const std::string& line) {
    std::lock_guard lock(output_mutex);
    out << line << std::endl;
  };
  stop_serving = false;
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a browser closing a page mid-response is not an error

  PreviewServer server(options);
  std::string problem;
  if (!server.start(problem)) {
    err << "plainsight serve: " << problem << '\n';
    return usage_error;
  }
  const auto host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  options.log(fmt::format("Serving the preview at http://{}:{}/ (Ctrl-C to stop)", host, server.port()));
  const bool closed = server.run(stop_serving);
  options.log("Stopped.");
  if (!closed) std::_Exit(success);  // nothing is left to save; do not wait out idle connections
  return success;
}

}  // namespace plainsight::cli
