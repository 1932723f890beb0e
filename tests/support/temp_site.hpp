#pragma once
// A site folder made in a temporary directory from an inline list of files, for whole-site tests.

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"
#include "site/build.hpp"

namespace plainsight::testing {

/// The smallest theme that shows every part of the view the tests look at.
std::map<std::string, std::string> minimal_theme();
/// A valid site.json.
std::string minimal_site_json(const std::string& extra = "");

/// How a test builds: with --strict templates or not, with drafts or not.
enum class Templates { strict, lenient };
enum class Drafts { left_out, included };

class TempSite {
 public:
  struct File {
    std::string path;
    std::string text;
  };
  /// Writes `files`. Unless `bare`, adds site.json and the minimal theme first.
  explicit TempSite(std::initializer_list<File> files, bool bare = false);
  ~TempSite();
  TempSite(const TempSite&) = delete;
  TempSite& operator=(const TempSite&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  void write(const std::string& path, const std::string& text) const;
  /// Writes every file of a listing such as Hugo's tests use: each file starts at a line
  /// "-- path --" and runs to the next such line.
  void write_all(std::string_view listing) const;
  std::string read(const std::string& path) const;
  /// Puts the repository's default theme in place of the minimal one, as a real site builds.
  void use_default_theme() const;
  bool exists(const std::string& path) const;

  /// Generates in memory; diagnostics are kept in `diagnostics`.
  std::optional<SiteOutput> generate(Templates templates = Templates::strict, Drafts drafts = Drafts::left_out);
  /// Runs the command line in this folder: exit code, with stdout and stderr captured.
  int run(std::vector<std::string> args);

  Diagnostics diagnostics;
  std::string out, err;

 private:
  std::filesystem::path dir_;
};

/// Every file under `dir`, by its path there, with its bytes.
std::map<std::string, std::string> files_under(const std::filesystem::path& dir);

/// The example site (site.json, content and themes) copied into the site's folder.
void copy_example_site(const TempSite& site);

/// Whether `part` occurs in `text`.
inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

/// Every diagnostic formatted, one a line, for assertions.
std::string all_messages(const Diagnostics& diagnostics);

/// "" when the build wrote `path` and it holds `part`; otherwise what is wrong, with the start
/// of the file. For ASSERT_FILE_CONTAINS.
std::string file_contains_problem(const SiteOutput& output, const std::string& path, std::string_view part);

}  // namespace plainsight::testing

/// Checks that a build wrote `path` holding `part`, and names the file and the text when not.
#define ASSERT_FILE_CONTAINS(output, path, part)                                              \
  do {                                                                                        \
    const auto file_problem = plainsight::testing::file_contains_problem(output, path, part); \
    CHECK_MESSAGE(file_problem.empty(), file_problem);                                        \
  } while (false)
