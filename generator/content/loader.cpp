#include "content/loader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "content/pipeline.hpp"
#include "content/references.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/json_source.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace fs = std::filesystem;

namespace {

/// The last part of a '/'-separated path, the folder before it ("a/b.md" → "a/"), and that part
/// without its extension ("a/b.md" → "b").
std::string_view file_name_of(std::string_view path) { return path.substr(path.rfind('/') + 1); }
std::string_view folder_of(std::string_view path) { return path.substr(0, path.rfind('/') + 1); }
std::string_view stem_of(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot);
}

/// Calls `visit` with each folder name of a '/'-separated path, skipping empty ones ("a//b").
template <typename Visit>
void for_each_folder(std::string_view path, Visit&& visit) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return;
  for (std::size_t start = 0; start <= slash;) {
    const auto end = path.find('/', start);
    if (end > start) visit(path.substr(start, end - start));
    start = end + 1;
  }
}

/// "2022-06-16-budget-approved" → date and "budget-approved".
std::optional<DateTime> split_dated_name(std::string& stem) {
  if (stem.size() > 11 && stem[10] == '-')
    if (auto date = parse_iso_date(std::string_view(stem).substr(0, 10))) {
      stem.erase(0, 11);
      return date;
    }
  return std::nullopt;
}

/// "2022-02-30-title": a name that starts like a date, whether or not the date is real.
bool looks_dated(std::string_view stem) {
  if (stem.size() <= 11 || stem[4] != '-' || stem[7] != '-' || stem[10] != '-') return false;
  return std::all_of(stem.begin(), stem.begin() + 10, [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

std::string title_from_name(std::string name) {
  std::replace(name.begin(), name.end(), '-', ' ');
  std::replace(name.begin(), name.end(), '_', ' ');
  if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

/// The first folder of a URL; a page at the top ("/about/") belongs to no section.
std::string section_of(const std::string& url, PageKind kind) {
  if (url == "/") return "";
  auto first = url.substr(1, url.find('/', 1) - 1);
  const bool top_level_page = kind == PageKind::page && url.find('/', first.size() + 2) == std::string::npos;
  return top_level_page ? "" : first;
}

/// The first folder or file name of a content path that slugifies to nothing ("-", "!!!", "@"),
/// or "": such a name would make an empty URL segment.
std::string part_without_a_name(std::string_view relative_to_content) {
  std::string nameless;
  for_each_folder(relative_to_content, [&](std::string_view part) {
    if (nameless.empty() && slugify(part).empty()) nameless = part;
  });
  if (!nameless.empty()) return nameless;
  const auto name = file_name_of(relative_to_content);
  if (name == "_index.md" || name == "index.md") return {};
  std::string stem(stem_of(name));
  split_dated_name(stem);
  return slugify(stem).empty() ? std::string(name) : std::string{};
}

std::string parent_folder_url(const std::string& url) {
  if (url == "/") return "";
  auto trimmed = url.substr(0, url.size() - 1);
  return trimmed.substr(0, trimmed.rfind('/') + 1);
}

/// The indexes of (URL, index) pairs in URL order, and in index order where URLs are equal.
std::vector<std::size_t> order_by_url(std::vector<std::pair<std::string_view, std::size_t>> by_url) {
  if (!std::is_sorted(by_url.begin(), by_url.end())) std::sort(by_url.begin(), by_url.end());
  std::vector<std::size_t> order(by_url.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = by_url[k].second;
  return order;
}

/// The index of each page, in URL order.
std::vector<std::size_t> url_order(const std::vector<Page>& pages) {
  std::vector<std::pair<std::string_view, std::size_t>> by_url(pages.size());
  for (std::size_t i = 0; i < by_url.size(); ++i) by_url[i] = {pages[i].url, i};
  return order_by_url(std::move(by_url));
}

/// Room kept for the pages the data types make, beyond those of the Markdown files, so that
/// the model's pages are seldom moved to make it (a plan's deliverables and measures).
constexpr std::size_t room_for_made_pages = 1024;

/// Puts the pages from `sorted` on, and then those made, among the pages before it, which are
/// in URL order already: each page that shifts moves once, in place. A page is large, and a
/// second vector of them would be fresh memory to fault in.
void merge_by_url(std::vector<Page>& pages, std::size_t sorted, std::vector<Page>& made) {
  pages.reserve(pages.size() + made.size());
  std::move(made.begin(), made.end(), std::back_inserter(pages));
  const auto by_url = [](const Page& a, const Page& b) { return a.url < b.url; };
  std::stable_sort(pages.begin() + static_cast<std::ptrdiff_t>(sorted), pages.end(), by_url);
  std::inplace_merge(pages.begin(), pages.begin() + static_cast<std::ptrdiff_t>(sorted), pages.end(), by_url);
}

class Loader {
 public:
  Loader(SiteModel& model, const LoadOptions& options, Diagnostics& diagnostics)
      : model_(model),
        options_(options),
        diagnostics_(diagnostics),
        content_dir_(model.site_dir / "content"),
        content_prefix_(content_dir_.native() + '/') {
    type_keys_ = [&loaders = options_.data_types](std::string_view type) {
      for (const auto& loader : loaders)
        if (loader.type == type) return loader.front_matter_keys;
      return std::vector<std::string>{};
    };
  }

  void load() {
    std::error_code error;
    if (!fs::is_directory(content_dir_, error)) {
      diagnostics_.error({"content/"}, "no content/ folder (expected content/_index.md for the home page and more pages beside it)");
      return;
    }
    const auto& paths = content_files();
    std::set<fs::path> bundle_dirs;
    for (const auto& path : paths)
      if (path.ends_with("/index.md")) bundle_dirs.insert(fs::path(path).parent_path());
    // Reading the pages and making each one is most of the loading: done on every core, then
    // the pages are added in URL order, so the model does not depend on which thread was first.
    std::vector<std::string_view> markdown_paths;
    std::copy_if(paths.begin(), paths.end(), std::back_inserter(markdown_paths), is_markdown_name);
    std::vector<ReadPage> read(markdown_paths.size());
    parallel_for(read.size(), threads(), [&](std::size_t i) {
      read_page(markdown_paths[i], read[i]);
      make_page(markdown_paths[i], read[i]);
    });
    // Room for a section made up for each folder with no _index.md, and for the /data/ page:
    // a page is large, and the model's pages are best never moved to make room.
    std::size_t folders = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) folders += i == 0 || folder_of(paths[i]) != folder_of(paths[i - 1]);
    model_.pages.reserve(read.size() + folders + 1 + room_for_made_pages);
    url_owner_.reserve(read.size());
    // In URL order, the model's, and in path order where two claim one URL: the later file is told.
    std::vector<std::pair<std::string_view, std::size_t>> by_url(read.size());
    for (std::size_t i = 0; i < read.size(); ++i) by_url[i] = {read[i].page ? std::string_view(read[i].page->url) : std::string_view(), i};
    for (const auto i : order_by_url(std::move(by_url))) add_page(read[i]);
    const auto in_order = model_.pages.size();
    for (const auto& path : paths)
      if (!is_markdown_name(path)) attach_file(path, bundle_dirs);
    add_missing_sections();
    add_open_data_page();
    for (auto& page : model_.pages) page.section = section_of(page.url, page.kind);
    link_parents();
    // The pages are sorted by URL once, with those the data types make: until then each is
    // looked at in URL order, so that what is reported first and loaded first does not depend
    // on the order the files were found in.
    const auto in_url_order = url_order(model_.pages);
    check_aliases(in_url_order);
    auto made = load_data(in_url_order);
    merge_by_url(model_.pages, in_order, made);
    resolve_references(model_, diagnostics_);
  }

 private:
  /// Every file below content/, in a stable order, as the input fingerprint listed them or
  /// walked now; links that lead out of it, or loop, are errors.
  const std::vector<std::string>& content_files() {
    if (options_.listing && options_.listing->files) {
      model_.content_through_links = options_.listing->through_links;
      return *options_.listing->files;
    }
    auto walk = walk_site_folder(content_dir_, content_dir_, is_ignored_name);
    model_.content_through_links = walk.through_links;
    for (const auto& problem : walk.problems) diagnostics_.error({relative(problem.path)}, problem.message);
    walked_ = std::move(walk.files);
    return walked_;
  }

  std::string relative(const fs::path& path) const { return relative_path(path, model_.site_dir); }
  unsigned threads() const { return options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency()); }
  /// A path the walk of content/ gave, below content/: "topics/a.md".
  std::string_view in_content(std::string_view path) const { return path.substr(content_prefix_.size()); }
  /// The same path as the site's files are named in messages: "content/topics/a.md".
  static std::string file_name(std::string_view path_in_content) { return "content/" + std::string(path_in_content); }

  /// A Markdown file read and parsed, with the problems found in it; or only what the cache kept
  /// of it, without its body.
  struct ReadPage {
    std::optional<std::string> text;
    std::optional<UnreadBody> unread;
    MarkdownDocument document;
    Diagnostics problems;
    std::optional<Page> page;  ///< made from the file, when it is to be published
    std::uint64_t front_matter_hash = 0;
  };

  /// What the cache keeps of a file is found under its name and bytes, or their hash.
  static std::uint64_t page_key(const std::string& file, std::uint64_t hash) {
    ContentHasher hasher;
    hasher.add("page\n");
    hasher.add_number(file.size());
    hasher.add(file);
    hasher.add_number(hash);
    return hasher.digest();
  }

  /// Reads and parses one file, or takes what the cache kept from the same name and bytes: then
  /// the file is not even read when its hash is known (LoadOptions::listing). Touches
  /// nothing shared, for the threads of load().
  void read_page(std::string_view path, ReadPage& read) const {
    const auto file = file_name(in_content(path));
    if (options_.cache && options_.listing)
      if (const auto known = options_.listing->markdown_hashes.find(std::string(path)); known != options_.listing->markdown_hashes.end())
        if (const auto kept = options_.cache->find(page_key(file, known->second)); kept && read_kept_page(*kept, read, known->second)) return;
    read.text = read_file(path);
    if (!read.text) {
      read.problems.error({file}, "cannot read this file");
      return;
    }
    const auto hash = content_hash(*read.text);
    if (options_.cache)
      if (const auto kept = options_.cache->find(page_key(file, hash)); kept && read_kept_page(*kept, read, hash)) return;
    if (const auto bad = find_invalid_utf8(*read.text); bad != std::string::npos) {
      const auto lc = line_column_at(*read.text, bad);
      read.problems.error({file, lc.line, lc.column}, "invalid UTF-8 (save the file as UTF-8)");
      read.text.reset();
      return;
    }
    if (const auto bad = find_forbidden_character(*read.text); bad != std::string::npos) {
      const auto lc = line_column_at(*read.text, bad);
      read.problems.warning(
          {file, lc.line, lc.column},
          "a control character, which web pages and feeds may not hold, is shown as \uFFFD, the replacement character (the first in this file)");
    }
    read.document = parse_markdown_document(*read.text, file, read.problems, type_keys_);
    if (options_.cache && !read.problems.has_errors()) {
      ByteWriter out;
      write_diagnostics(out, read.problems.sorted());
      const auto front_matter_starts = out.bytes().size();
      write_front_matter(out, read.document.front_matter);
      read.front_matter_hash = content_hash(std::string_view(out.bytes()).substr(front_matter_starts));
      out.number(read.document.body.size());
      out.number(static_cast<std::uint64_t>(read.document.body_line));
      out.number(content_hash(read.document.body));
      options_.cache->put(page_key(file, hash), std::move(out.bytes()));
    }
  }

  /// A page as read_page() kept it in the cache, its body taken from the text read or, when the
  /// file was not read, left unread; false when the bytes do not read back.
  static bool read_kept_page(std::string_view kept, ReadPage& read, std::uint64_t file_hash) {
    ByteReader in(kept);
    auto problems = read_diagnostics(in);
    MarkdownDocument document;
    const auto front_matter = in.rest();
    if (!read_front_matter(in, document.front_matter)) return false;
    const auto front_matter_hash = content_hash(front_matter.substr(0, front_matter.size() - in.rest().size()));
    const auto body_size = in.number();
    document.body_line = static_cast<int>(in.number());
    const auto body_hash = in.number();
    if (!in.done() || (read.text && body_size > read.text->size())) return false;
    if (read.text)
      document.body = read.text->substr(read.text->size() - body_size);
    else
      read.unread = UnreadBody{file_hash, body_hash, static_cast<std::size_t>(body_size)};
    read.document = std::move(document);
    read.front_matter_hash = front_matter_hash;
    for (auto& problem : problems) read.problems.add(std::move(problem));
    return true;
  }

  /// Makes the page of a file read, or notes why it has none. Touches nothing shared, for
  /// the threads of load().
  void make_page(std::string_view path, ReadPage& read) const {
    if (!read.text && !read.unread) return;
    const auto path_in_content = in_content(path);
    const auto file = file_name(path_in_content);
    const auto& text = read.text;
    auto& document = read.document;
    const bool front_matter_failed = read.problems.error_count() > 0;
    if (document.front_matter.draft && !options_.include_drafts) return;

    Page page;
    page.file = file;
    page.meta = std::move(document.front_matter);
    if (text) page.front_matter_source = text->substr(0, text->size() - document.body.size());
    page.body = std::move(document.body);
    page.unread_body = read.unread;
    page.body_line = document.body_line;
    page.front_matter_hash = read.front_matter_hash;
    if (const auto nameless = part_without_a_name(path_in_content); !nameless.empty()) {
      read.problems.error({file}, "\"" + nameless + "\" has no letter or digit to make a URL from (rename it)");
      return;
    }
    page.url = url_for_content_file(path_in_content);
    if (const auto problem = output_path_problem(output_path_for(page.url)); !problem.empty()) {
      read.problems.error({file}, "this page cannot be published at " + page.url + ": " + problem + " (rename it)");
      return;
    }
    const auto name = file_name_of(path_in_content);
    page.kind = name == "_index.md" ? (page.url == "/" ? PageKind::home : PageKind::section) : PageKind::page;
    if (page.kind == PageKind::page && !page.meta.date) {
      std::string stem(stem_of(name));
      page.meta.date = split_dated_name(stem);
      if (!page.meta.date && looks_dated(stem))
        read.problems.error({file}, "the file name starts with " + stem.substr(0, 10) +
                                        ", which is not a real date (expected YYYY-MM-DD-title.md, or a date: in the front matter)");
    }
    if (page.meta.title.empty()) {
      const auto fallback =
          page.url == "/"
              ? model_.config.title
              : title_from_name(page.url.substr(parent_folder_url(page.url).size(), page.url.size() - parent_folder_url(page.url).size() - 1));
      // After an error in the front matter the title may be there, just unreadable.
      if (!front_matter_failed) read.problems.warning({file, 1, 1}, "no title in the front matter; using \"" + fallback + "\"");
      page.meta.title = fallback;
    }
    read.page = std::move(page);
  }

  /// Adds a file's problems, and its page unless another claimed its URL first.
  void add_page(ReadPage& read) {
    if (read.problems.error_count() + read.problems.warning_count() > 0)
      for (auto& problem : read.problems.sorted()) diagnostics_.add(std::move(problem));
    if (!read.page) return;
    auto& page = *read.page;
    if (auto clash = url_owner_.find(page.url); clash != url_owner_.end()) {
      diagnostics_.error({page.file, 1, 1}, "two pages claim the URL " + page.url + ": this file and " + clash->second + " (rename one of them)",
                         DiagnosticNote{SourceLocation{clash->second, 1, 1}, "the other page that claims " + page.url});
      return;
    }
    url_owner_.emplace(page.url, page.file);
    model_.pages.push_back(std::move(page));
  }

  void attach_file(const fs::path& path, const std::set<fs::path>& bundle_dirs) {
    if (const auto problem = output_path_problem(url_of_file(path).substr(1)); !problem.empty()) {
      diagnostics_.error({relative(path)}, "this file cannot be published under its name: " + problem + " (rename it)");
      return;
    }
    // A file inside a bundle folder (or below it) travels with that bundle's page.
    for (auto dir = path.parent_path(); dir.string().size() >= content_dir_.string().size(); dir = dir.parent_path()) {
      if (bundle_dirs.contains(dir)) {
        pending_resources_.push_back({dir, Resource{path, url_of_file(path)}});
        return;
      }
      if (dir == content_dir_) break;
    }
    model_.files.push_back({path, url_of_file(path)});
  }

  std::string url_of_file(const fs::path& path) const { return "/" + path.lexically_relative(content_dir_).generic_string(); }

  /// Each page's index by its URL, while the pages are not sorted yet (find_page needs them sorted).
  std::unordered_map<std::string_view, std::size_t> pages_by_url() const {
    std::unordered_map<std::string_view, std::size_t> page_at_url;
    for (std::size_t i = 0; i < model_.pages.size(); ++i) page_at_url.emplace(model_.pages[i].url, i);
    return page_at_url;
  }

  void add_missing_sections() {
    std::unordered_set<std::string> made_urls;  // the pages' own are url_owner_'s
    std::vector<Page> made;
    for (const auto& page : model_.pages) {
      for (auto folder = parent_folder_url(page.url); !folder.empty() && !url_owner_.contains(folder) && !made_urls.contains(folder);
           folder = parent_folder_url(folder)) {
        Page section;
        section.kind = folder == "/" ? PageKind::home : PageKind::section;
        section.url = folder;
        const auto trimmed = folder.substr(0, folder.size() - 1);
        section.meta.title = folder == "/" ? model_.config.title : title_from_name(trimmed.substr(trimmed.rfind('/') + 1));
        made_urls.insert(folder);
        made.push_back(std::move(section));
      }
    }
    model_.pages.reserve(model_.pages.size() + made.size() + 1);  // and the /data/ page
    for (auto& page : made) model_.pages.push_back(std::move(page));
    if (pending_resources_.empty()) return;
    const auto page_at_url = pages_by_url();
    for (auto& [dir, resource] : pending_resources_) {
      const auto bundle_url = url_for_content_file((dir / "index.md").lexically_relative(content_dir_).generic_string());
      if (const auto index = page_at_url.find(bundle_url); index != page_at_url.end())
        model_.pages[index->second].resources.push_back(std::move(resource));
      // A draft bundle's files stay out with it.
    }
  }

  /// /data/ lists the site's datasets; a site may write its own content/data.md with type: data.
  void add_open_data_page() {
    if (find_page(model_, "/data/") != std::string::npos) return;
    Page page;
    page.url = "/data/";
    page.meta.title = "Open data";
    page.meta.type = "data";
    page.meta.summary = "Every dataset behind this site, to download and reuse.";
    model_.pages.push_back(std::move(page));
  }

  void link_parents() {
    const auto page_at_url = pages_by_url();
    for (auto& page : model_.pages) {
      for (auto folder = parent_folder_url(page.url); !folder.empty(); folder = parent_folder_url(folder)) {
        const auto index = page_at_url.find(folder);
        if (index != page_at_url.end() && model_.pages[index->second].kind != PageKind::page) {
          page.parent_url = folder;
          break;
        }
      }
    }
  }

  /// Keeps the aliases that are plain paths of this site not taken by another page; each of the
  /// others is an error, and is dropped so that nothing is written for it.
  void check_aliases(const std::vector<std::size_t>& in_url_order) {
    if (std::none_of(model_.pages.begin(), model_.pages.end(), [](const Page& page) { return !page.meta.aliases.empty(); })) return;
    std::map<std::string, std::string> claimed;
    for (const auto& page : model_.pages) claimed.emplace(page.url, page.file.empty() ? page.url : page.file);
    for (const auto index : in_url_order) {
      auto& page = model_.pages[index];
      const auto where = page.meta.locations.contains("aliases") ? page.meta.locations.at("aliases") : SourceLocation{page.file};
      std::vector<std::string> kept;
      for (auto alias : page.meta.aliases) {
        if (alias.find("://") != std::string::npos) {
          diagnostics_.error(where, "alias \"" + alias + "\" is a web address; an alias is a path on this site, such as /old-page/");
          continue;
        }
        alias = normalise_site_path(alias);
        const auto problem = output_path_problem(output_path_for(alias));
        if (!problem.empty() || alias.find_first_of("?#\"<> ") != std::string::npos) {
          diagnostics_.error(where, "alias \"" + alias + "\" is not a plain site path such as /old-page/" +
                                        (problem.empty() ? std::string(": it holds one of ?#\"<> or a space") : ": " + problem));
        } else if (auto [it, inserted] = claimed.emplace(alias, page.file); !inserted) {
          diagnostics_.error(where, "alias " + alias + " is already the URL of " + it->second);
        } else {
          kept.push_back(std::move(alias));
        }
      }
      page.meta.aliases = std::move(kept);
    }
  }

  /// Adds the pages a data type makes from its data, checking that each URL is free.
  class DataContext final : public DataLoadContext {
   public:
    explicit DataContext(Loader& loader) : DataLoadContext(loader.model_, loader.diagnostics_), loader_(loader) {}
    bool add_page(Page page) override {
      if (auto [it, inserted] = loader_.url_owner_.emplace(page.url, page.file); !inserted) {
        diagnostics.error({page.file},
                          "the page " + page.url + " made from this file would replace " + it->second + " (rename the id or the folder)");
        return false;
      }
      made_.push_back(std::move(page));
      return true;
    }
    std::vector<Page> made_;

   private:
    Loader& loader_;
  };

  /// A page whose type is a data type reads its data file, with that type's loader. Returns
  /// the pages the types made.
  std::vector<Page> load_data(const std::vector<std::size_t>& in_url_order) {
    model_.procurement = procurement_settings(model_.config.procurement, model_.config.ocid_prefix, model_.config.file, diagnostics_);
    DataContext context(*this);
    struct DataPage {
      std::size_t page;
      const DataLoader* loader;
      std::optional<DataFile> file;
    };
    std::vector<DataPage> data_pages;
    for (const auto p : in_url_order) {
      const auto& type = model_.pages[p].meta.type;
      const auto loader = std::find_if(options_.data_types.begin(), options_.data_types.end(), [&](const DataLoader& l) { return l.type == type; });
      if (loader == options_.data_types.end()) continue;
      if (loader->check_page) loader->check_page(context, model_.pages[p]);
      data_pages.push_back({p, &*loader, std::nullopt});
    }
    // Reading and parsing the files is most of the work, done on every core; the model then
    // takes what each made one page at a time, in URL order, as it would without threads. Each
    // file's problems are its own until then: a reader judges whether a file loaded by the
    // errors reported since it began, and another file's must not count.
    std::vector<Diagnostics> problems(data_pages.size());
    parallel_for(data_pages.size(), threads(), [&](std::size_t i) {
      auto& [p, loader, file] = data_pages[i];
      const auto& page = model_.pages[p];
      file = loader->files.empty() ? DataFile{page.file, "", false, {}} : read_data_file(page, *loader, problems[i]);
      if (file && loader->read) loader->read(model_, page, *file, problems[i]);
    });
    for (std::size_t i = 0; i < data_pages.size(); ++i) {
      for (auto& problem : problems[i].sorted()) diagnostics_.add(std::move(problem));
      if (auto& [p, loader, file] = data_pages[i]; file) loader->load(context, p, *file);
    }
    return std::move(context.made_);
  }

  /// The first of the type's files in the page's bundle, read; an error when there is none.
  std::optional<DataFile> read_data_file(const Page& page, const DataLoader& loader, Diagnostics& diagnostics) const {
    for (const auto name : loader.files)
      for (const auto& resource : page.resources) {
        if (resource.source.filename() != name) continue;
        const auto file = relative(resource.source);
        auto text = read_file(resource.source);
        if (!text) {
          diagnostics.error({file}, "cannot read this file");
          return std::nullopt;
        }
        return DataFile{file, std::move(*text), resource.source.extension() == ".json", {}};
      }
    std::string names;
    for (std::size_t i = 0; i < loader.files.size(); ++i)
      names += (i == 0 ? "" : i + 1 == loader.files.size() ? " or " : ", ") + std::string(loader.files[i]);
    diagnostics.error({page.file, 1, 1}, "a page with type: " + page.meta.type + " needs its data in " + names + " in the same folder (see " +
                                             std::string(loader.guide) + ")");
    return std::nullopt;
  }

  SiteModel& model_;
  const LoadOptions& options_;
  Diagnostics& diagnostics_;
  fs::path content_dir_;
  std::string content_prefix_;  ///< content_dir_ and '/', as the walk of content/ starts each path
  std::vector<std::string> walked_;
  std::unordered_map<std::string, std::string> url_owner_;  ///< each page's URL and its file
  TypeKeys type_keys_;
  std::vector<std::pair<fs::path, Resource>> pending_resources_;
};

}  // namespace

std::string normalise_site_path(std::string path) {
  if (!path.starts_with('/')) path.insert(0, "/");
  const auto last = path.substr(path.rfind('/') + 1);
  if (!path.ends_with('/') && last.find('.') == std::string::npos) path += '/';
  return path;
}

std::string output_path_for(const std::string& site_path) {
  auto path = site_path.substr(1);
  return path.empty() || path.ends_with('/') ? path + "index.html" : path;
}

std::string url_for_content_file(std::string_view relative_to_content) {
  std::string url = "/";
  for_each_folder(relative_to_content, [&](std::string_view part) { url += slugify(part) + '/'; });
  const auto name = file_name_of(relative_to_content);
  if (name == "_index.md" || name == "index.md") return url;
  std::string stem(stem_of(name));
  split_dated_name(stem);
  return url + slugify(stem) + '/';
}

bool comes_before(const Page& a, const Page& b) {
  if (a.meta.weight.has_value() != b.meta.weight.has_value()) return a.meta.weight.has_value();
  if (a.meta.weight && *a.meta.weight != *b.meta.weight) return *a.meta.weight < *b.meta.weight;
  if (a.meta.date != b.meta.date) {
    if (!a.meta.date || !b.meta.date) return a.meta.date.has_value();
    return to_utc_minutes(*a.meta.date) > to_utc_minutes(*b.meta.date);
  }
  if (a.meta.title != b.meta.title) return a.meta.title < b.meta.title;
  return a.url < b.url;
}

std::vector<std::size_t> children_of(const SiteModel& model, const std::string& list_url) {
  std::vector<std::size_t> children;
  for (std::size_t i = 0; i < model.pages.size(); ++i)
    if (model.pages[i].parent_url == list_url) children.push_back(i);
  std::stable_sort(children.begin(), children.end(), [&](std::size_t a, std::size_t b) { return comes_before(model.pages[a], model.pages[b]); });
  return children;
}

std::size_t find_page(const SiteModel& model, std::string_view url) {
  const auto found =
      std::lower_bound(model.pages.begin(), model.pages.end(), url, [](const Page& page, std::string_view key) { return page.url < key; });
  if (found != model.pages.end() && found->url == url) return static_cast<std::size_t>(found - model.pages.begin());
  // Pages are sorted only once loading is complete; fall back to a scan before that.
  for (std::size_t i = 0; i < model.pages.size(); ++i)
    if (model.pages[i].url == url) return i;
  return std::string::npos;
}

std::optional<SiteModel> load_site(const fs::path& site_dir, const LoadOptions& options, Diagnostics& diagnostics) {
  // site.json may be a link only to a file of the site: its text shows in messages.
  if (const auto walk = walk_site_folder(site_dir / "site.json", site_dir, is_ignored_name); !walk.problems.empty()) {
    for (const auto& problem : walk.problems) diagnostics.error({"site.json"}, problem.message);
    return std::nullopt;
  }
  auto config = load_site_config(site_dir, diagnostics);
  if (!config) return std::nullopt;
  SiteModel model;
  model.site_dir = site_dir;
  model.config = std::move(*config);
  Loader(model, options, diagnostics).load();
  return model;
}

}  // namespace plainsight
