#include "support/temp_site.hpp"

#include <unistd.h>
#include <atomic>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/files.hpp"

namespace plainsight::testing {
namespace fs = std::filesystem;

std::map<std::string, std::string> minimal_theme() {
  const std::string head =
      "<!doctype html><html lang=\"{{site.language}}\"><head><title>{{page.title}}</title></head><body>{{> nav}}<main id=\"main\">";
  const std::string tail = "</main></body></html>\n";
  const std::string body =
      "<h1>{{page.title}}</h1>{{#page.has_date}}<time datetime=\"{{page.date_iso}}\">{{page.date}}</time>{{/page.has_date}}"
      "{{#page.has_toc}}<ol class=\"toc\">{{#page.toc}}<li><a href=\"#{{id}}\">{{title}}</a></li>{{/page.toc}}</ol>{{/page.has_toc}}"
      "{{{page.content}}}";
  const std::string list =
      "<ul>{{#page.pages}}<li><a href=\"{{url}}\">{{title}}</a> {{summary}}</li>{{/page.pages}}</ul>"
      "{{#page.has_pagination}}<nav>{{#page.pagination.has_next}}<a rel=\"next\" "
      "href=\"{{page.pagination.next_url}}\">next</a>{{/page.pagination.has_next}}</nav>{{/page.has_pagination}}";
  return {
      {"themes/default/templates/page.mustache", head + body + tail},
      {"themes/default/templates/list.mustache", head + body + list + tail},
      {"themes/default/templates/home.mustache", head + body + list + tail},
      {"themes/default/templates/404.mustache", head + "<h1>{{page.title}}</h1>" + tail},
      {"themes/default/partials/nav.mustache",
       "<nav>{{#site.menu}}<a href=\"{{url}}\"{{#current}} aria-current=\"page\"{{/current}}>{{title}}</a>{{/site.menu}}</nav>"},
      {"themes/default/static/css/site.css", "body { margin: 0 }\n"},
  };
}

std::string minimal_site_json(const std::string& extra) {
  return R"({"title": "Test Council", "council": "Test Council", "base_url": "https://example.org/")" + extra + "}\n";
}

namespace {
fs::path make_temp_dir() {
  static std::atomic<int> counter{0};
  auto dir = fs::temp_directory_path() / ("plainsight-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TempSite::TempSite(std::initializer_list<File> files, bool bare) : dir_(make_temp_dir()) {
  if (!bare) {
    write("site.json", minimal_site_json());
    for (const auto& [path, text] : minimal_theme()) write(path, text);
  }
  for (const auto& file : files) write(file.path, file.text);
}

TempSite::~TempSite() {
  std::error_code error;
  fs::remove_all(dir_, error);
}

void TempSite::write(const std::string& path, const std::string& text) const {
  fs::create_directories((dir_ / path).parent_path());
  std::ofstream(dir_ / path, std::ios::binary) << text;
}

void TempSite::write_all(std::string_view listing) const {
  std::string path, text;
  auto flush = [&] {
    if (!path.empty()) write(path, text);
    text.clear();
  };
  for (std::size_t from = 0; from < listing.size();) {
    const auto end = std::min(listing.find('\n', from), listing.size());
    const auto line = listing.substr(from, end - from);
    if (line.size() > 6 && line.starts_with("-- ") && line.ends_with(" --")) {
      flush();
      path = std::string(line.substr(3, line.size() - 6));
    } else if (!path.empty()) {
      text.append(line).append("\n");
    }
    from = end + 1;
  }
  flush();
}

std::string TempSite::read(const std::string& path) const { return read_file(dir_ / path).value_or("<missing>"); }

void TempSite::use_default_theme() const {
  std::filesystem::remove_all(dir_ / "themes");
  std::filesystem::copy(std::filesystem::path(PLAINSIGHT_SOURCE_DIR) / "themes", dir_ / "themes", std::filesystem::copy_options::recursive);
}

bool TempSite::exists(const std::string& path) const { return fs::exists(dir_ / path); }

std::optional<SiteOutput> TempSite::generate(Templates templates, Drafts drafts) {
  BuildOptions options;
  options.site_dir = dir_;
  options.strict = templates == Templates::strict;
  options.include_drafts = drafts == Drafts::included;
  options.jobs = 2;
  diagnostics.clear();
  return generate_site(options, diagnostics);
}

int TempSite::run(std::vector<std::string> args) {
  args.insert(args.begin() + 1, {"--site", dir_.string()});
  std::ostringstream out_stream, err_stream;
  const int code = cli::run(args, out_stream, err_stream);
  out = out_stream.str();
  err = err_stream.str();
  return code;
}

std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files[relative_path(entry.path(), dir)] = *read_file(entry.path());
  return files;
}

void copy_example_site(const TempSite& site) {
  const fs::path source = PLAINSIGHT_SOURCE_DIR;
  fs::remove_all(site.dir() / "themes");
  fs::copy_file(source / "site.json", site.dir() / "site.json", fs::copy_options::overwrite_existing);
  for (const char* folder : {"content", "themes"}) fs::copy(source / folder, site.dir() / folder, fs::copy_options::recursive);
}

std::string all_messages(const Diagnostics& diagnostics) {
  std::string text;
  for (const auto& diagnostic : diagnostics.sorted()) text += format_diagnostic(diagnostic) + '\n';
  return text;
}

std::string file_contains_problem(const SiteOutput& output, const std::string& path, std::string_view part) {
  const auto file = output.files.find(path);
  if (file == output.files.end()) return "the build wrote no " + path;
  if (contains(file->second, part)) return {};
  return path + " does not contain \"" + std::string(part) + "\"; it begins:\n" + file->second.substr(0, 2000);
}

}  // namespace plainsight::testing
