#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/files.hpp"
#include "core/result_cache.hpp"

namespace plainsight {

struct BuildOptions {
  std::filesystem::path site_dir = ".";
  bool include_drafts = false;
  bool strict = false;   ///< a template name the view lacks is an error
  unsigned jobs = 0;     ///< 0: one per core
  std::string base_url;  ///< replaces site.json's base_url when set (the preview server uses it)
  /// What earlier builds worked out (parsed pages, rendered Markdown, search words), to take
  /// rather than work out again; none: everything is worked out.
  ResultCache* cache = nullptr;
  /// The files below content/ and each Markdown file's hash as input_fingerprint() found them:
  /// content/ is not walked again, and with the cache a file whose front matter and HTML are
  /// kept under its hash is not read again. For the first build only (a SiteBuilder that builds
  /// again looks at every file). None: every file is looked at and read.
  const ContentListing* content_listing = nullptr;
  /// Called now and then from the building thread: stage, items done, items in all.
  std::function<void(std::string_view stage, std::size_t done, std::size_t total)> progress;
};

/// Where a build's files go as they are made, instead of SiteOutput::files: put() is called
/// once per output path, from several threads at once.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  /// `inputs`, when not 0, is a hash of everything the file was made from (for a page: its
  /// layout, the templates and its whole view), for keep() to compare next time.
  virtual void put(const std::string& path, std::string bytes, std::uint64_t inputs) = 0;
  /// Whether the file at `path` was last made from the same `inputs` and is still as it was
  /// left: then it stands as this build's too, and need not be made again.
  virtual bool keep(const std::string& path, std::uint64_t inputs) = 0;
};

/// A built site: output path ("news/x/index.html") → bytes, unless they went to an OutputSink.
struct SiteOutput {
  std::map<std::string, std::string> files;
  std::size_t file_count = 0;    ///< every file, in `files` or given to the sink
  std::size_t pages = 0;         ///< HTML pages rendered from content (aliases and 404 not counted)
  std::size_t data_files = 0;    ///< files under data/
  std::size_t static_files = 0;  ///< theme, site and bundle files copied as they are
  std::size_t search_files = 0;  ///< the search index's, under search/index/
  /// Seconds each phase of the build took, in order: load, Markdown, pages, search index, …
  std::vector<std::pair<std::string, double>> timings;
};

/// Loads, validates and renders the whole site, into the result's `files` or, given a sink,
/// into that as each file is made. Every problem is added to `diagnostics`; the result is empty
/// when there is any error (and what the sink was given must be thrown away).
std::optional<SiteOutput> generate_site(const BuildOptions& options, Diagnostics& diagnostics, OutputSink* sink = nullptr);

/// A site built in memory and kept up to date as its files change (the preview server's).
/// An edit to the body of existing Markdown pages re-renders only the pages that show that
/// body (the page and the lists it appears in) once the edit is shown not to reach further:
/// same front matter, same site-wide view, same heading ids or no links to them. Any other
/// change reloads and renders the whole site.
class SiteBuilder {
 public:
  explicit SiteBuilder(BuildOptions options);
  ~SiteBuilder();
  SiteBuilder(const SiteBuilder&) = delete;
  SiteBuilder& operator=(const SiteBuilder&) = delete;

  /// Sends every file of the next full build to `sink` rather than keeping it in output().
  void set_sink(OutputSink* sink);

  /// Brings the output up to date with the files on disk; `changed` names the files that
  /// changed since the last call (empty: not known, so everything is rebuilt). On errors,
  /// returns false with every problem in `diagnostics` and keeps the last good output.
  bool update(const std::vector<std::filesystem::path>& changed, Diagnostics& diagnostics);

  /// An edit re-renders the pages that show it at once and leaves the search index to this
  /// call (the preview serves the new page first): brings the index up to date with the last
  /// successful update. Returns whether any of its files changed; changed_outputs() names them.
  bool refresh_search_index();

  /// The last good output.
  [[nodiscard]] const SiteOutput& output() const;
  SiteOutput take_output();
  /// Output paths that the last successful update added, changed or removed.
  [[nodiscard]] const std::vector<std::string>& changed_outputs() const;
  /// Whether the last update re-rendered only part of the site.
  [[nodiscard]] bool last_update_was_partial() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct WriteStats {
  std::size_t written = 0;
  std::size_t unchanged = 0;
  std::size_t removed = 0;
  std::size_t kept = 0;  ///< of the unchanged, the pages not rendered at all (OutputSink::keep)
};

/// Each input file's hash as a build found it, with the file's size, times and inode: the next
/// build reads again only a file whose look has changed since, as git's index does. A file
/// changed within a second before the records were made is read again anyway, since a change
/// in the same tick of the clock would leave its times as they were. OutputFolder keeps them
/// in the build state, beside its manifest, and trusts them as it trusts the manifest.
struct InputRecords {
  std::string text;  ///< as input_fingerprint() left them; empty when there are none
};

/// The files a build reads (site.json, content/, themes/, the site's templates/, partials/ and
/// static/), in the order of a walk through them, on one core; then what input_fingerprint()
/// found in each.
struct InputFiles {
  std::vector<std::string> paths;
  std::size_t name_from = 0;           ///< where each path's name from the site folder begins
  bool content_through_links = false;  ///< FolderWalk::through_links of content/
  std::string refused;                 ///< "! <name>" lines for the links the walk would not follow
  /// When the walk began, by the clock of the file system (OutputFolder::clock_now), in
  /// nanoseconds since the epoch; 0 when not known, and then records made now are never trusted.
  std::int64_t listed = 0;
  std::vector<std::optional<std::uint64_t>> hashes;  ///< each file's content hash; none for one that could not be read

  [[nodiscard]] std::string_view name(std::size_t i) const { return std::string_view(paths[i]).substr(name_from); }
};
[[nodiscard]] InputFiles list_inputs(const BuildOptions& options);

/// A hash of everything a build reads, the options that change its output and `generator`,
/// which names the program itself: equal fingerprints mean equal output. Leaves each file's
/// hash in inputs.hashes. With `records`, a file they show untouched is not read, and they are
/// brought up to date.
std::uint64_t input_fingerprint(InputFiles& inputs, const BuildOptions& options, std::string_view generator, InputRecords* records = nullptr);
/// The same, listing the inputs first; with `listing`, content_listing_of() them.
std::uint64_t input_fingerprint(const BuildOptions& options, std::string_view generator, ContentListing* listing = nullptr);

/// The files below content/ and the hash of every Markdown file there, as input_fingerprint()
/// found them, for BuildOptions::content_listing.
[[nodiscard]] ContentListing content_listing_of(const InputFiles& inputs, const BuildOptions& options);

/// The output folder of `plainsight build`, as an OutputSink. Its manifest, kept in the site's
/// build state folder (build_state_folder) and never in the output folder, keeps each file's
/// xxHash and the hash of its inputs. A page whose inputs are unchanged is
/// kept without being rendered; any other file is staged only when its bytes differ, as it is
/// made; commit() then moves the staged files into place and removes what no longer belongs,
/// so a build that fails changes nothing. `generator` names the program: pages made by another
/// plainsight are made again.
class OutputFolder final : public OutputSink {
 public:
  /// The build state is kept in `site_dir`'s .plainsight/ folder.
  OutputFolder(std::filesystem::path out_dir, const std::filesystem::path& site_dir, std::string_view generator);
  ~OutputFolder() override;  ///< throws away what was staged and not committed
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// Why this folder may not be built into, or "": one that holds files but no manifest was not
  /// built by plainsight, and its files (a home folder's, say) must not be replaced. Includes
  /// build_state_problem().
  [[nodiscard]] std::string refusal() const;
  /// Why the build state cannot be kept in the site's .plainsight/ folder, or "": a link or a
  /// file where one of its folders goes, or a folder that cannot be made.
  [[nodiscard]] std::string build_state_problem() const;
  /// Whether the last build had these inputs and every file it wrote is still as it left it.
  [[nodiscard]] bool up_to_date(std::uint64_t inputs) const;
  /// Looks at the files the last build wrote, for up_to_date(), while `keep_going` holds: work
  /// for a core that would wait while the inputs are listed.
  void look_ahead(const std::atomic<bool>& keep_going);
  /// The folder that keeps its build state (build_state_folder of the output folder).
  [[nodiscard]] const std::filesystem::path& state_folder() const;
  /// How many files the last build wrote.
  [[nodiscard]] std::size_t previous_file_count() const;
  /// The warnings the last build gave, as committed: shown again when nothing has changed.
  [[nodiscard]] const std::vector<std::string>& previous_warnings() const;
  /// The input records the last build kept, for input_fingerprint(); commit() keeps them again.
  [[nodiscard]] InputRecords& input_records();
  /// Keeps the input records when the build goes no further (nothing changed).
  void keep_input_records();
  /// The time now by the clock of the file system that holds the build state, which stamps the
  /// site's files too (a file there touched and looked at): a server's clock may not be this
  /// machine's, and a FAT disk's ticks are two seconds long. None when the build state cannot be kept.
  [[nodiscard]] std::optional<std::int64_t> clock_now();

  void put(const std::string& path, std::string bytes, std::uint64_t inputs) override;
  bool keep(const std::string& path, std::uint64_t inputs) override;
  /// Adds an error for each reason the files put cannot be moved into place (the refusal, a link
  /// or a file of the user's where a folder is needed, a folder where a file goes): commit()
  /// moves nothing unless this finds nothing.
  void check(Diagnostics& diagnostics) const;
  /// Makes the folder hold exactly what was put, and records `inputs` and the build's
  /// `warnings` (one line each) in its manifest. Removes only files that the last build wrote,
  /// never through a link, and never a folder that is not left empty. Throws if check() fails.
  WriteStats commit(std::uint64_t inputs, const std::vector<std::string>& warnings = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Makes out_dir hold exactly `output` (through an OutputFolder with its state in site_dir).
WriteStats write_output(const std::filesystem::path& out_dir, const std::filesystem::path& site_dir, const SiteOutput& output);

/// Where `plainsight build` keeps its state (manifest, staging) for the output folder out_dir:
/// site_dir/.plainsight/outputs/<16 hex digits: the hash of out_dir's canonical absolute path>.
std::filesystem::path build_state_folder(const std::filesystem::path& site_dir, const std::filesystem::path& out_dir);

/// An output folder that is, or contains, the site folder would be wiped by write_output; one in
/// the sources would be read back as content, and one in .plainsight/ would hold its own state.
bool is_safe_output_dir(const std::filesystem::path& out_dir, const std::filesystem::path& site_dir);

}  // namespace plainsight
