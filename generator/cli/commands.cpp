#include "cli/commands.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "cli/preview.hpp"
#include "cli/scaffolds.hpp"
#include "content/department.hpp"
#include "content/loader.hpp"
#include "content/plan.hpp"
#include "content/plan_csv.hpp"
#include "core/csv.hpp"
#include "core/dates.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/json_source.hpp"
#include "core/text.hpp"
#include "opendata/opendata.hpp"
#include "site/build.hpp"
#include "types/data_type.hpp"

#ifndef PLAINSIGHT_VERSION
#define PLAINSIGHT_VERSION "0.0.0"
#endif

namespace plainsight::cli {
namespace fs = std::filesystem;
namespace {

/// `plainsight check` renders everything and keeps nothing.
class DiscardedOutput final : public OutputSink {
 public:
  void put(const std::string&, std::string, std::uint64_t) override {}
  bool keep(const std::string&, std::uint64_t) override { return false; }
};

/// This program's version, its own executable and the shared libraries it runs with, each
/// named by where it is and how it looks (size and times) rather than by its bytes, which would
/// take a read of them all: a new plainsight, or a new cmark-gfm, is a new file or a changed one.
/// It may write different bytes from the same inputs, so neither its output nor its kept results
/// are then taken as up to date.
std::string generator_identity() {
  std::string identity = PLAINSIGHT_VERSION;
  if (struct stat info{}; ::stat("/proc/self/exe", &info) == 0)
    identity += fmt::format(" {}:{}:{}:{}.{}:{}.{}", info.st_dev, info.st_ino, info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec,
                            info.st_ctim.tv_sec, info.st_ctim.tv_nsec);
  std::set<std::string> libraries;
  if (const auto maps = read_file("/proc/self/maps")) {
    std::istringstream lines(*maps);
    for (std::string line; std::getline(lines, line);)
      if (const auto path = line.find(" /"); path != std::string::npos && line.find(".so", path) != std::string::npos)
        libraries.insert(line.substr(path + 1));
  }
  for (const auto& library : libraries) {
    struct stat info {};
    if (::stat(library.c_str(), &info) == 0)
      identity += fmt::format(" {}:{}:{}.{}", library, info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
  }
  return std::string(PLAINSIGHT_VERSION) + ' ' + content_hash_hex(identity);
}

constexpr const char* main_help = R"(plainsight: turns a council's Markdown pages and data into a transparency website.

Usage:
  plainsight build [--site DIR] [--out DIR] [--drafts] [--base-url URL] [--jobs N] [--strict] [--quiet] [--timings]
  plainsight check [--site DIR] [--drafts] [--jobs N] [--quiet] [--timings]
  plainsight serve [--site DIR] [--host HOST] [--port PORT] [--drafts] [--poll]
  plainsight new news "Title" [--site DIR]
  plainsight new page "Title" [--site DIR]
  plainsight new dataset "Title" [--schema spend-over-500|procurement-card|contracts-over-5000] [--site DIR]
  plainsight new plan "Title" [--site DIR]
  plainsight new department "Name" [--site DIR]
  plainsight new period PLAN "Label" --end YYYY-MM-DD [--site DIR]
  plainsight --version
  plainsight COMMAND --help

Exit status: 0 success, 1 errors in the content (all are printed) or a folder that cannot be
read or written, 2 wrong usage, 3 an internal error: a bug in plainsight, to report.
)";

constexpr const char* internal_error_advice =
    "\nThis is a bug in plainsight, not a problem with your site. Please report it with the command you ran, this message\n"
    "and, if you can, the files that cause it.\n";

constexpr const char* build_help = R"(plainsight build: build the site into a folder of static files.

Options:
  --site DIR      the site folder, holding site.json, content/ and themes/ (default: .)
  --out DIR       where to write the site (default: DIR/public)
  --drafts        include pages whose front matter says draft: true
  --base-url URL  use this address instead of site.json's base_url
  --jobs N        threads to use (default: one per core)
  --strict        treat a name a template uses that the view lacks as an error
  --quiet         print only errors and warnings
  --timings       also print how long each phase of the build took

When there is any error, every error is printed and the output folder is left exactly as it
was: changed files wait until the whole build has succeeded. Only files whose bytes changed
are written, and the files an earlier build wrote that no longer belong are removed; nothing
else is touched. The output folder holds only the site: the build keeps its state in the
site's .plainsight/ folder (never published; keep it out of version control), one folder for
each output folder, with the list of what the last build wrote and hashes of each file and of
what it was made from: when no input has changed the build stops at once ("Nothing changed"),
and a page whose view is unchanged is not rendered again. Delete the output folder to build
everything afresh. .plainsight/ is safe to delete too, but then a build into an output folder
that is not empty is refused, since nothing says which of its files plainsight wrote: empty it
first.
)";

constexpr const char* check_help = R"(plainsight check: validate the whole site and write nothing.

Options:
  --site DIR   the site folder (default: .)
  --drafts     check draft pages too
  --jobs N     threads to use (default: one per core)
  --quiet      print only errors and warnings
  --timings    also print how long each phase took

Checks are those of `build --strict`.
)";

constexpr const char* serve_help = R"(plainsight serve: preview the site while you edit it.

Builds the site into memory and serves it at http://127.0.0.1:8080/. When you save a change
to site.json, content/ or the theme, the site is rebuilt (only the pages the change affects,
where that is safe) and open pages reload by themselves. If the change breaks the build, every
page shows the errors, with the lines around each, over the last version that built; fix
the file and the page reloads. Nothing is written to disk. Stop with Ctrl-C.

Options:
  --site DIR    the site folder (default: .)
  --host HOST   the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0
                shows the preview to every machine that can reach this one). Requests must
                name the preview by localhost, an IP address or HOST: any other name is
                refused, so a web page cannot read the preview by DNS rebinding
  --port PORT   the port (default: 8080; 0 picks a free one)
  --drafts      include draft pages
  --poll        look for changes every 250 ms instead of using inotify
)";

constexpr const char* new_help = R"(plainsight new: start a new page from a title.

Usage:
  plainsight new news "Title"   content/news/YYYY-MM-DD-title.md, dated today, as a draft
  plainsight new page "Title"   content/title.md
  plainsight new dataset "Title" [--schema KIND]
                                content/title/: index.md, schema.json and data.csv (its header)
                                to fill in; KIND is table (the default), spend-over-500,
                                procurement-card or contracts-over-5000 (the Transparency Code's)
  plainsight new plan "Title"   content/plans/title/: index.md and plan.json, with this quarter
                                as its first period and one priority to rename
  plainsight new department "Name"
                                content/departments/name/index.md (and the departments' list,
                                content/departments/_index.md, when there is none)
  plainsight new period PLAN "Jun 2022" --end 2022-06-30
                                adds the period to content/plans/PLAN/plan.json, with an update
                                to fill in for every deliverable and a value for every measure

Options:
  --site DIR      the site folder (default: .)
  --schema KIND   for a dataset: which columns to start with
  --end DATE      for a period: the day it ends (YYYY-MM-DD)
)";

struct Arguments {
  std::vector<std::string> positional;
  std::optional<std::string> site, out, base_url, jobs, host, port, schema, end;
  bool drafts = false, strict = false, quiet = false, timings = false, help = false, poll = false;
};

/// The options each command takes, besides --help: any other is a usage error.
const std::map<std::string, std::vector<std::string>, std::less<>> options_of_command = {
    {"build", {"--site", "--out", "--drafts", "--base-url", "--jobs", "--strict", "--quiet", "--timings"}},
    {"check", {"--site", "--drafts", "--jobs", "--quiet", "--timings"}},
    {"serve", {"--site", "--host", "--port", "--drafts", "--poll"}},
    {"new", {"--site", "--schema", "--end"}},
};

/// Parses the options of `command` (a key of options_of_command); returns an error message or "".
std::string parse_arguments(const std::vector<std::string>& args, const std::string& command, Arguments& parsed) {
  const auto& allowed = options_of_command.at(command);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& arg = args[i];
    auto value = [&](std::optional<std::string>& into) -> std::string {
      if (i + 1 >= args.size()) return arg + " needs a value";
      into = args[++i];
      return "";
    };
    if (arg.starts_with("--") && arg != "--help" && std::find(allowed.begin(), allowed.end(), arg) == allowed.end()) {
      const bool elsewhere = std::any_of(options_of_command.begin(), options_of_command.end(), [&](const auto& other) {
        return std::find(other.second.begin(), other.second.end(), arg) != other.second.end();
      });
      return elsewhere ? arg + " is not an option of " + command : "unknown option " + arg + did_you_mean(arg, allowed);
    }
    std::string problem;
    if (arg == "--help" || arg == "-h")
      parsed.help = true;
    else if (arg == "--site")
      problem = value(parsed.site);
    else if (arg == "--out")
      problem = value(parsed.out);
    else if (arg == "--base-url")
      problem = value(parsed.base_url);
    else if (arg == "--jobs")
      problem = value(parsed.jobs);
    else if (arg == "--host")
      problem = value(parsed.host);
    else if (arg == "--port")
      problem = value(parsed.port);
    else if (arg == "--schema")
      problem = value(parsed.schema);
    else if (arg == "--end")
      problem = value(parsed.end);
    else if (arg == "--poll")
      parsed.poll = true;
    else if (arg == "--drafts")
      parsed.drafts = true;
    else if (arg == "--strict")
      parsed.strict = true;
    else if (arg == "--quiet")
      parsed.quiet = true;
    else if (arg == "--timings")
      parsed.timings = true;
    else
      parsed.positional.push_back(arg);
    if (!problem.empty()) return problem;
  }
  return "";
}

/// Colour only for a person at a terminal, and not when NO_COLOR is set (no-color.org).
bool wants_colour(const std::ostream& stream) {
  const char* no_color = std::getenv("NO_COLOR");
  return &stream == &std::cerr && isatty(STDERR_FILENO) && (no_color == nullptr || *no_color == '\0');
}

/// Each problem with the line it is on quoted under it and a caret under the column, as ninja
/// and rustc show them. Files are those of the site (a path in a message is relative to it).
void print_diagnostics(const Diagnostics& diagnostics, std::ostream& err, const fs::path& site_dir) {
  const bool colour = wants_colour(err);
  struct Quoted {
    std::string text;
    std::vector<std::size_t> starts;
  };
  std::map<std::string, std::optional<Quoted>> files;  // each read once, however many problems it has
  auto quote = [&](const SourceLocation& where) {
    if (where.line <= 0 || where.file.empty() || fs::path(where.file).is_absolute()) return;
    auto [file, added] = files.try_emplace(where.file);
    if (added)
      if (auto text = read_file(site_dir / where.file)) {
        auto starts = line_starts(*text);
        file->second = Quoted{std::move(*text), std::move(starts)};
      }
    if (file->second) err << quote_source_line(file->second->text, file->second->starts, where);
  };
  for (const auto& diagnostic : diagnostics.sorted()) {
    err << format_diagnostic(diagnostic, colour) << '\n';
    quote(diagnostic.where);
    for (const auto& note : diagnostic.notes) {
      err << format_note(note, colour) << '\n';
      quote(note.where);
    }
  }
}

std::string plural(std::size_t count, const char* one, const char* many) { return fmt::format("{} {}", count, count == 1 ? one : many); }

enum class Mode { build, check };

/// The build's options from the command line; nullopt after a usage message.
std::optional<BuildOptions> build_options_from(const Arguments& args, Mode mode, std::ostream& err) {
  BuildOptions options;
  options.site_dir = args.site.value_or(".");
  options.include_drafts = args.drafts;
  options.strict = args.strict || mode == Mode::check;
  options.base_url = args.base_url.value_or("");
  if (args.base_url && !args.base_url->starts_with("http://") && !args.base_url->starts_with("https://")) {
    err << "plainsight: --base-url must be an absolute http or https URL, such as https://www.example.gov.uk/\n";
    return std::nullopt;
  }
  if (args.jobs) {
    try {
      const auto jobs = std::stoi(*args.jobs);
      if (jobs < 1 || jobs > 256) throw std::out_of_range("jobs");
      options.jobs = static_cast<unsigned>(jobs);
    } catch (const std::exception&) {
      err << "plainsight: --jobs needs a whole number from 1 to 256\n";
      return std::nullopt;
    }
  }
  return options;
}

/// The last line of a build or check: what it made, how long it took, and what moved.
void print_summary(const SiteOutput& output, const Diagnostics& diagnostics, const WriteStats& stats, Mode mode, const fs::path& out_dir,
                   double seconds, std::ostream& out) {
  const auto other_files = output.file_count - output.pages - output.data_files - output.search_files;
  const auto what =
      fmt::format("{}, {}, a search index of {} and {}", plural(output.pages, "page", "pages"), plural(output.data_files, "data file", "data files"),
                  plural(output.search_files, "file", "files"), plural(other_files, "other file", "other files"));
  if (mode == Mode::build) {
    out << fmt::format("Built {} into {} in {:.2f} s ({}; {} written, {} unchanged, {} removed){}\n", what, out_dir.string(), seconds,
                       plural(diagnostics.warning_count(), "warning", "warnings"), stats.written, stats.unchanged, stats.removed,
                       stats.kept ? fmt::format("; {} with nothing new to show not rendered again", plural(stats.kept, "page", "pages")) : "");
  } else {
    out << fmt::format("Checked {} in {:.2f} s: no errors, {}\n", what, seconds, plural(diagnostics.warning_count(), "warning", "warnings"));
  }
}

int build_or_check(const Arguments& args, Mode mode, std::ostream& out, std::ostream& err) {
  auto parsed_options = build_options_from(args, mode, err);
  if (!parsed_options) return usage_error;
  auto& options = *parsed_options;
  const bool write = mode == Mode::build;
  const auto out_dir = args.out ? fs::path(*args.out) : options.site_dir / "public";
  if (write && !is_safe_output_dir(out_dir, options.site_dir)) {
    err << "plainsight: the output folder " << out_dir.string()
        << " must not be the site folder, contain it, or be inside its content or theme folders or its build state (.plainsight/)\n";
    return usage_error;
  }

  const auto started = std::chrono::steady_clock::now();
  const bool show_progress = isatty(STDERR_FILENO) && !args.quiet;
  bool progress_shown = false;
  options.progress = [&](std::string_view stage, std::size_t done, std::size_t total) {
    if (!show_progress || std::chrono::steady_clock::now() - started < std::chrono::seconds(2)) return;
    err << fmt::format("\r{}: {}/{}   ", stage, done, total) << std::flush;
    progress_shown = true;
  };

  auto seconds_since = [](auto from) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count(); };
  std::optional<OutputFolder> folder;
  std::uint64_t inputs = 0;
  std::string generator;
  ContentListing content_listing;  // the load need not walk content/, nor read a file whose results are kept under its hash
  options.content_listing = &content_listing;
  if (write) {
    generator = generator_identity();
    folder.emplace(out_dir, options.site_dir, generator);
    if (const auto problem = folder->build_state_problem(); !problem.empty()) {
      err << "plainsight: " << problem << '\n';
      return content_error;  // a folder that cannot be written
    }
    if (const auto refused = folder->refusal(); !refused.empty()) {
      err << "plainsight: " << refused << '\n';
      return usage_error;
    }
    // The inputs are listed on one core: the other looks at the output meanwhile.
    const auto listing_began = folder->clock_now();
    std::atomic<bool> listing{true};
    std::jthread look_ahead([&] { folder->look_ahead(listing); });
    auto listed = list_inputs(options);
    listing = false;
    look_ahead.join();
    listed.listed = listing_began.value_or(0);
    inputs = input_fingerprint(listed, options, generator, &folder->input_records());
    if (folder->up_to_date(inputs)) {
      folder->keep_input_records();
      // Its warnings still stand: a comms officer building twice should not lose sight of them.
      const auto& warnings = folder->previous_warnings();
      for (const auto& warning : warnings) err << warning << '\n';
      if (!args.quiet)
        out << fmt::format(
            "Nothing changed since the last build: {} is up to date ({} checked in {:.2f} s{})\n", out_dir.string(),
            plural(folder->previous_file_count(), "file", "files"), seconds_since(started),
            warnings.empty() ? "" : fmt::format("; the last build's {} shown again", plural(warnings.size(), "warning is", "warnings are")));
      return success;
    }
    content_listing = content_listing_of(listed, options);
  }
  const auto fingerprinted = seconds_since(started);
  std::optional<ResultCache> cache;
  if (write) {
    cache.emplace(folder->state_folder() / "results", generator);
    options.cache = &*cache;
  }
  Diagnostics diagnostics;
  DiscardedOutput discarded;
  std::optional<SiteOutput> output;
  std::unique_ptr<SiteBuilder> builder;
  try {  // pages are written out as they are rendered
    builder = std::make_unique<SiteBuilder>(options);
    builder->set_sink(write ? static_cast<OutputSink*>(&*folder) : &discarded);
    if (builder->update({}, diagnostics)) output = builder->take_output();
  } catch (const fs::filesystem_error& error) {
    err << "plainsight: cannot write the output: " << error.what() << '\n';
    return content_error;
  }
  // The builder's memory, the site's model, is let go of on another core while the output moves into place.
  std::jthread letting_go([finished = std::move(builder)]() mutable { finished.reset(); });
  if (progress_shown) err << "\r\033[K";
  if (output && write) folder->check(diagnostics);  // before a byte moves: what stands in the way
  if (diagnostics.has_errors()) output.reset();
  print_diagnostics(diagnostics, err, options.site_dir);
  if (!output) {
    if (cache) cache->save(false);  // what was worked out still holds, for the build after the fix
    err << fmt::format("{} failed: {}, {}.{}\n", write ? "Build" : "Check", plural(diagnostics.error_count(), "error", "errors"),
                       plural(diagnostics.warning_count(), "warning", "warnings"), write ? " Nothing was written." : "");
    return content_error;
  }
  WriteStats stats;
  double committed = 0;
  const auto committing = std::chrono::steady_clock::now();
  if (write) {
    try {
      std::vector<std::string> warnings;
      for (const auto& diagnostic : diagnostics.sorted()) warnings.push_back(format_diagnostic(diagnostic));
      stats = folder->commit(inputs, warnings);
      committed = seconds_since(committing);
      cache->save();
    } catch (const fs::filesystem_error& error) {
      err << "plainsight: cannot write the output: " << error.what() << '\n';
      return content_error;
    }
  }
  const auto seconds = seconds_since(started);
  if (args.timings) {
    std::string phases = write ? fmt::format("input hashes {:.3f} s, ", fingerprinted) : "";
    for (const auto& [phase, phase_seconds] : output->timings) phases += fmt::format("{} {:.3f} s, ", phase, phase_seconds);
    if (write) phases += fmt::format("moving into place {:.3f} s, saving kept results {:.3f} s, ", committed, seconds_since(committing) - committed);
    out << "Timings: " << phases << "all " << fmt::format("{:.3f} s", seconds) << '\n';
  }
  if (!args.quiet) print_summary(*output, diagnostics, stats, mode, out_dir, seconds, out);
  return success;
}

std::string today_iso() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  return fmt::format("{:04}-{:02}-{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

/// `new period` for a plan kept as CSV tables: the tables read (as the build reads them), the
/// period added, and each table it changed written back as CSV UTF-8.
int new_period_in_tables(const fs::path& folder, const std::string& label, const std::string& end, std::ostream& out, std::ostream& err) {
  Diagnostics diagnostics;
  auto print_errors = [&] {
    for (const auto& problem : diagnostics.sorted())
      if (problem.severity == Severity::error) err << format_diagnostic(problem) << "\n";
  };
  // The plan must pass check first, as the build reads it: a period is added to a plan that works.
  std::vector<PlanTableFile> files;
  for (const auto& name : plan_table_files())
    if (fs::is_regular_file(fs::symlink_status(folder / name))) files.push_back({(folder / name).string(), read_file(folder / name).value_or("")});
  if (const auto source = plan_source_from_csv(files, "", diagnostics)) (void)load_plan(*source, {}, diagnostics);
  if (diagnostics.has_errors()) {
    print_errors();
    err << "plainsight: the plan's tables have errors (above): put them right before adding a period\n";
    return content_error;
  }
  std::map<std::string, EditableTable> tables;
  std::map<std::string, bool> byte_order_marks;
  for (const auto* name : {"periods.csv", "deliverables.csv", "measures.csv", "updates.csv", "measure-values.csv"}) {
    const auto file = folder / name;
    if (!fs::is_regular_file(fs::symlink_status(file))) continue;
    const auto bytes = read_file(file).value_or("");
    const auto text = spreadsheet_csv_text(bytes, file.string(), diagnostics);
    auto table = text ? parse_csv(*text, file.string(), diagnostics) : std::nullopt;
    if (!table) continue;
    // Kept, or added to a file read as Windows-1252: Excel then reads the UTF-8 written back as such.
    byte_order_marks[name] = bytes.starts_with("\xEF\xBB\xBF") || *text != bytes;
    auto& editable = tables[name];
    editable.header = table->header;
    for (const auto& row : table->rows) {
      editable.rows.emplace_back();
      for (const auto& cell : row) editable.rows.back().push_back(cell.text);
    }
  }
  if (!tables.contains("periods.csv") && !diagnostics.has_errors()) diagnostics.error({(folder / "periods.csv").string()}, "cannot read this file");
  if (diagnostics.has_errors()) {
    print_errors();
    return content_error;
  }
  const auto before = tables;
  const auto added = add_period_to_tables(tables, label, end);
  if (!added.error.empty()) {
    err << "plainsight: " << (folder / "periods.csv").string() << ": " << added.error << "\n";
    return content_error;
  }
  for (const auto& [name, table] : tables) {
    if (const auto old = before.find(name); old != before.end() && old->second.header == table.header && old->second.rows == table.rows) continue;
    std::string text = byte_order_marks[name] || byte_order_marks["periods.csv"] ? "\xEF\xBB\xBF" : "";
    text += csv_row(table.header);
    for (const auto& row : table.rows) text += csv_row(row);
    write_file_atomically(folder / name, text);
  }
  out << "Added " << label << " (" << added.id << ", ending " << format_date_long(*parse_iso_date(end)) << ") to "
      << (folder / "periods.csv").string() << ": fill in the update of " << plural(added.deliverables, "deliverable", "deliverables")
      << " in updates.csv and the value of " << plural(added.measures, "measure", "measures") << " in measure-values.csv (docs/plans.md)\n";
  return success;
}

/// `plainsight new period PLAN "Label" --end DATE`: the period added to the plan's plan.json, or
/// to its tables.
int new_period(const Arguments& args, std::ostream& out, std::ostream& err) {
  if (args.positional.size() != 3 || !args.end || args.schema) {
    err << "plainsight: usage: plainsight new period PLAN \"Jun 2022\" --end 2022-06-30\n";
    return usage_error;
  }
  const auto& plan_id = args.positional[1];
  const auto& label = args.positional[2];
  if (label.find_first_of("\t\n\r") != std::string::npos || find_forbidden_character(label) != std::string::npos || label.empty()) {
    err << "plainsight: the period's label is empty or holds a tab, a line break or another control character\n";
    return usage_error;
  }
  const fs::path site = args.site.value_or(".");
  const auto plans = site / "content" / "plans";
  std::vector<std::string> known;
  if (std::error_code error; fs::is_directory(plans, error))
    for (const auto& entry : fs::directory_iterator(plans, error))
      if (fs::is_regular_file(fs::symlink_status(entry.path() / "plan.json")) || fs::is_regular_file(fs::symlink_status(entry.path() / "plan.csv")))
        known.push_back(entry.path().filename().string());
  std::sort(known.begin(), known.end());
  const auto file = plans / plan_id / "plan.json";
  // Only a plan's own folder, and never through a link: the file is rewritten in place.
  if (std::find(known.begin(), known.end(), plan_id) == known.end() || fs::is_symlink(fs::symlink_status(plans / plan_id))) {
    err << "plainsight: no plan " << plan_id << " with a plan.json or plan.csv in " << plans.string() << did_you_mean(plan_id, known)
        << (known.empty() ? "" : " (the plans: " + fmt::format("{}", fmt::join(known, ", ")) + ")") << "\n";
    return content_error;
  }
  if (!fs::is_regular_file(fs::symlink_status(file))) return new_period_in_tables(plans / plan_id, label, *args.end, out, err);
  nlohmann::ordered_json plan;
  try {
    plan = nlohmann::ordered_json::parse(read_file(file).value_or(""));
  } catch (const nlohmann::json::exception& error) {
    err << "plainsight: " << file.string() << " is not valid JSON (" << error.what() << "); run plainsight check to see where\n";
    return content_error;
  }
  const auto added = add_period(plan, label, *args.end);
  if (!added.error.empty()) {
    err << "plainsight: " << file.string() << ": " << added.error << "\n";
    return content_error;
  }
  write_file_atomically(file, plan.dump(2, ' ', false, nlohmann::json::error_handler_t::strict) + "\n");
  out << "Added " << label << " (" << added.id << ", ending " << format_date_long(*parse_iso_date(*args.end)) << ") to " << file.string()
      << ": fill in the update of " << plural(added.deliverables, "deliverable", "deliverables") << " and the value of "
      << plural(added.measures, "measure", "measures") << " (docs/plans.md)\n";
  return success;
}

/// What in the site already answers to `name` (a department's title, short or other name,
/// division or alias), said for people; nullopt when nothing does, or the site does not load
/// (then `check` says why).
std::optional<std::string> department_answering_to(const fs::path& site, const std::string& name) {
  LoadOptions options;
  options.data_types = data_loaders();
  Diagnostics ignored;
  const auto model = load_site(site, options, ignored);
  if (!model) return std::nullopt;
  const auto found = DepartmentNames(model->departments, model->config.department_aliases).find(name);
  if (!found) return std::nullopt;
  const auto& department = model->departments[found->department];
  return (found->division.empty() ? "the department " : "\"" + found->division + "\", a division of ") + department.title + " (" +
         department.where.file + ")";
}

int new_content(const Arguments& args, std::ostream& out, std::ostream& err) {
  if (!args.positional.empty() && args.positional[0] == "period") return new_period(args, out, err);
  if (args.end) {
    err << "plainsight: --end is for new period\n";
    return usage_error;
  }
  const std::vector<std::string> kinds = {"news", "page", "dataset", "plan", "department"};
  if (args.positional.size() != 2 || std::find(kinds.begin(), kinds.end(), args.positional[0]) == kinds.end()) {
    err << "plainsight: usage: plainsight new news|page|dataset|plan|department \"Title\", or new period PLAN \"Label\" --end DATE\n";
    return usage_error;
  }
  const auto& scaffolds = dataset_scaffolds();
  const DatasetScaffold* scaffold = &scaffolds.front();
  if (args.schema) {
    const auto found = std::find_if(scaffolds.begin(), scaffolds.end(), [&](const DatasetScaffold& s) { return s.id == *args.schema; });
    std::vector<std::string> ids;
    for (const auto& each : scaffolds) ids.emplace_back(each.id);
    if (args.positional[0] != "dataset" || found == scaffolds.end()) {
      err << "plainsight: --schema is for new dataset, one of " << fmt::format("{}", fmt::join(ids, ", ")) << did_you_mean(*args.schema, ids) << "\n";
      return usage_error;
    }
    scaffold = &*found;
  }
  const auto& title = args.positional[1];
  // A tab or control character is a slip of the keyboard or a paste, and YAML refuses most of them.
  if (title.find_first_of("\t\n\r") != std::string::npos || find_forbidden_character(title) != std::string::npos) {
    err << "plainsight: the title holds a tab, a line break or another control character (or is not UTF-8); give it on one line, "
           "with spaces\n";
    return usage_error;
  }
  const auto slug = slugify(title);
  if (slug.empty()) {
    err << "plainsight: the title needs at least one letter or digit\n";
    return usage_error;
  }
  const fs::path site = args.site.value_or(".");
  if (!fs::exists(site / "content")) {
    err << "plainsight: no content/ folder in " << site.string() << " (use --site DIR)\n";
    return content_error;
  }
  const auto& kind = args.positional[0];
  const bool news = kind == "news", dataset = kind == "dataset", plan = kind == "plan", department = kind == "department";
  const bool bundle = dataset || plan || department;  // a folder of its own, which must be new
  const auto date = today_iso();
  const auto file = news         ? site / "content" / "news" / (date + "-" + slug + ".md")
                    : dataset    ? site / "content" / slug / "index.md"
                    : plan       ? site / "content" / "plans" / slug / "index.md"
                    : department ? site / "content" / "departments" / slug / "index.md"
                                 : site / "content" / (slug + ".md");
  if (bundle && fs::exists(fs::symlink_status(file.parent_path()))) {
    err << "plainsight: " << file.parent_path().string() << " already exists\n";
    return content_error;
  }
  if (fs::exists(fs::symlink_status(file))) {  // a link that leads nowhere counts: it would be written through
    err << "plainsight: " << file.string() << " already exists\n";
    return content_error;
  }
  if (const auto folder = fs::weakly_canonical(file.parent_path()), content = fs::weakly_canonical(site / "content");
      folder != content && !folder.string().starts_with(content.string() + '/')) {
    err << "plainsight: " << file.parent_path().string() << " is a link that leads out of content/; the new file would be written there\n";
    return content_error;
  }
  if (file.string().size() > 4000 || slug.size() > 200) {
    err << "plainsight: the title is too long for a file name; give a shorter one and change the title in the file\n";
    return usage_error;
  }
  if (department)
    if (const auto taken = department_answering_to(site, title)) {
      err << "plainsight: \"" << title << "\" already names " << *taken
          << ": data that names it could not say which department it means; give the new one another name (docs/departments.md)\n";
      return content_error;
    }
  fs::create_directories(file.parent_path());
  std::string quoted = "\"";
  for (char c : title) quoted += (c == '"' || c == '\\') ? std::string{'\\', c} : std::string{c};
  quoted += '"';
  if (dataset) {
    std::ofstream(file) << "---\ntitle: " << quoted << "\ntype: dataset\nsummary: \"\"\n"
                        << scaffold->front_matter
                        << "---\n\nSay what the table holds, where it comes from and how often it is updated, in Markdown.\n";
    std::ofstream(file.parent_path() / "schema.json") << scaffold->schema;
    std::vector<std::string> header;
    const auto schema = nlohmann::json::parse(scaffold->schema);
    for (const auto& field : schema["fields"]) header.push_back(field["name"].get<std::string>());
    std::ofstream(file.parent_path() / "data.csv") << fmt::format("{}", fmt::join(header, ",")) << "\n";
    out << "Created " << file.parent_path().string() << "/: index.md, schema.json (" << scaffold->description
        << ") and data.csv, with its header: add the rows (docs/datasets.md)\n";
    return success;
  }
  if (plan) {
    std::ofstream(file) << "---\ntitle: " << quoted
                        << "\ntype: plan\nsummary: \"\"\n---\n\nSay what the plan is for and who reports on it, in Markdown.\n";
    std::ofstream(file.parent_path() / "plan.json") << plan_scaffold(title, date).dump(2) << "\n";
    out << "Created " << file.parent_path().string()
        << "/: index.md and plan.json, with this quarter as its first period: add priorities, deliverables and measures (docs/plans.md)\n";
    return success;
  }
  if (department) {
    std::ofstream(file) << "---\ntitle: " << quoted
                        << "\ntype: department\nshort_names: []\ndirector: \"\"\ndirector_title: \"\"\ndivisions: []\nsummary: \"\"\n---\n\n"
                           "Say what the department does, in Markdown.\n";
    const auto list = site / "content" / "departments" / "_index.md";
    const bool new_list = !fs::exists(fs::symlink_status(list));
    if (new_list) std::ofstream(list) << "---\ntitle: Departments\ntype: department\nsummary: \"\"\n---\n\nThe council's departments.\n";
    out << "Created " << file.string() << (new_list ? " and " + list.string() + ", the list of departments" : "")
        << ": name its director and divisions (docs/departments.md)\n";
    return success;
  }
  std::ofstream(file) << "---\ntitle: " << quoted << "\n"
                      << (news ? "date: " + date + "\n" : "") << "summary: \"\"\n"
                      << (news ? "draft: true\n" : "") << "---\n\nWrite the " << (news ? "news post" : "page") << " here, in Markdown.\n";
  out << "Created " << file.string() << (news ? " as a draft: set draft: false to publish it\n" : "\n");
  return success;
}

int serve(const Arguments& args, const std::vector<std::string>& command_line, std::ostream& out, std::ostream& err) {
  ServeOptions options;
  options.site_dir = args.site.value_or(".");
  options.host = args.host.value_or("127.0.0.1");
  options.include_drafts = args.drafts;
  options.force_polling = args.poll;
  if (args.port) {
    const auto& text = *args.port;
    int port = -1;
    if (!text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      port = std::stoi(text);
    if (port < 0 || port > 65535) {
      err << "plainsight serve: --port needs a number from 0 to 65535\n";
      return usage_error;
    }
    options.port = port;
  }
  if (!fs::exists(options.site_dir / "site.json")) {
    err << "plainsight serve: no site.json in " << options.site_dir.string() << " (use --site DIR)\n";
    return content_error;
  }
  return run_preview(options, command_line, out, err);
}

int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << main_help;
    return usage_error;
  }
  const auto& command = args[0];
  if (command == "--version" || command == "-V" || command == "version") {
    out << "plainsight " << PLAINSIGHT_VERSION << '\n';
    return success;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    out << main_help;
    return success;
  }
  if (!options_of_command.contains(command)) {
    const std::vector<std::string> commands = {"build", "check", "serve", "new", "help"};
    err << "plainsight: unknown command \"" << command << "\"" << did_you_mean(command, commands) << "\n\n" << main_help;
    return usage_error;
  }
  Arguments parsed;
  if (auto problem = parse_arguments(args, command, parsed); !problem.empty()) {
    err << "plainsight " << command << ": " << problem << " (see plainsight " << command << " --help)\n";
    return usage_error;
  }
  if (command == "build" || command == "check") {
    if (parsed.help) return out << (command == "build" ? build_help : check_help), success;
    if (!parsed.positional.empty()) {
      err << "plainsight " << command << ": unexpected argument \"" << parsed.positional[0] << "\" (see plainsight " << command << " --help)\n";
      return usage_error;
    }
    return build_or_check(parsed, command == "build" ? Mode::build : Mode::check, out, err);
  }
  if (command == "serve") {
    if (parsed.help) return out << serve_help, success;
    if (!parsed.positional.empty()) {
      err << "plainsight serve: unexpected argument \"" << parsed.positional[0] << "\" (see plainsight serve --help)\n";
      return usage_error;
    }
    return serve(parsed, args, out, err);
  }
  if (parsed.help) return out << new_help, success;
  return new_content(parsed, out, err);
}

}  // namespace

int run_reporting_failures(const std::function<int()>& command, std::ostream& err) {
  try {
    return command();
  } catch (const fs::filesystem_error& error) {
    // A folder that cannot be read or written: the machine's problem, which the user can fix.
    err << "plainsight: " << error.what() << '\n';
    return content_error;
  } catch (const std::exception& error) {
    err << "plainsight: internal error: " << error.what() << internal_error_advice;
  } catch (...) {
    err << "plainsight: internal error: an exception of unknown type" << internal_error_advice;
  }
  return internal_error;
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return run_reporting_failures([&] { return run_command(args, out, err); }, err);
}

}  // namespace plainsight::cli
