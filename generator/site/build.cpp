#include "site/build.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "content/front_matter.hpp"
#include "content/loader.hpp"
#include "core/files.hpp"
#include "core/format.hpp"
#include "core/hash.hpp"
#include "core/memory.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "opendata/opendata.hpp"
#include "render/theme.hpp"
#include "render/view.hpp"
#include "site/site_parts.hpp"
#include "types/data_type.hpp"

namespace plainsight {
namespace {

/// One HTML file to render: a page, or one page of a paginated list.
struct RenderJob {
  std::size_t page = 0;
  ListSlice list;
  std::string layout;
  std::string output_path;  ///< "news/page/2/index.html"
};

std::vector<RenderJob> plan_render_jobs(const SiteModel& model, const Theme& theme, Diagnostics& diagnostics) {
  std::vector<RenderJob> jobs;
  std::vector<std::string_view> data_layouts;
  for (const auto& type : data_types()) data_layouts.insert(data_layouts.end(), type.layouts.begin(), type.layouts.end());
  // Each list page's pages, in model order, as children_of() finds them, without a pass over every page for each list.
  std::unordered_map<std::string_view, std::vector<std::size_t>> children_of_list;
  for (std::size_t i = 0; i < model.pages.size(); ++i)
    if (!model.pages[i].parent_url.empty()) children_of_list[model.pages[i].parent_url].push_back(i);
  for (std::size_t i = 0; i < model.pages.size(); ++i) {
    const auto& page = model.pages[i];
    // A page whose data did not load has had its error: rendering it would only add more.
    const bool data_missing = !page.data && find_data_type(page.meta.type);
    if (data_missing && diagnostics.has_errors()) continue;
    const auto layout = choose_layout(page, theme, data_layouts);
    if (layout.empty()) {
      const auto where = page.meta.locations.contains("layout") ? page.meta.locations.at("layout") : SourceLocation{page.file};
      diagnostics.error(
          where, "missing layout \"" + page.meta.layout + "\" (expected templates/" + page.meta.layout + ".mustache in the theme or the site)");
      continue;
    }
    if (!theme.has_layout(layout)) {
      diagnostics.error({page.file.empty() ? page.url : page.file},
                        "the theme has no \"" + layout + "\" layout for this page (expected templates/" + layout + ".mustache)");
      continue;
    }
    if (page.kind == PageKind::page) {
      jobs.push_back({i, {}, layout, output_path_for(page.url)});
      continue;
    }
    auto& children = children_of_list[page.url];
    std::stable_sort(children.begin(), children.end(), [&](std::size_t a, std::size_t b) { return comes_before(model.pages[a], model.pages[b]); });
    const std::size_t per_page =
        page.kind == PageKind::home ? std::max<std::size_t>(children.size(), 1) : static_cast<std::size_t>(model.config.paginate);
    const int total = std::max(1, static_cast<int>((children.size() + per_page - 1) / per_page));
    for (int n = 1; n <= total; ++n) {
      ListSlice slice{{}, n, total};
      const auto first = static_cast<std::size_t>(n - 1) * per_page;
      for (auto k = first; k < std::min(children.size(), first + per_page); ++k) slice.items.push_back(children[k]);
      jobs.push_back({i, std::move(slice), layout, output_path_for(paginated_url(page.url, n))});
    }
  }
  return jobs;
}

/// Gathers a build's files, into SiteOutput::files or a sink, and makes two that would be
/// written to one path an error.
class OutputCollector {
 public:
  OutputCollector(Diagnostics& diagnostics, OutputSink* sink) : diagnostics_(diagnostics), sink_(sink) {}

  /// Reserves `path` for the file from `origin`; false (and an error) when it is not a plain
  /// output path, is taken, or is a folder of another file's path (or the other way round).
  /// Every file of a build passes here: this is what keeps the build inside its output folder.
  bool claim(const std::string& path, const std::string& origin) {
    if (const auto problem = output_path_problem(path); !problem.empty()) {
      diagnostics_.error({origin}, "cannot be written to \"" + path + "\": " + problem);
      return false;
    }
    if (const auto below = first_file_in_.find(path); below != first_file_in_.end()) {
      diagnostics_.error({origin}, "/" + path + " would be a file, but " + origin_.at(below->second) + " needs it as a folder for /" + below->second);
      return false;
    }
    const std::string_view whole(path);
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      if (const auto file = origin_.find(whole.substr(0, slash)); file != origin_.end()) {
        diagnostics_.error({origin}, "/" + path + " needs /" + file->first + " as a folder, but " + file->second + " writes a file there");
        return false;
      }
    if (auto [it, inserted] = origin_.try_emplace(path, origin); !inserted) {
      diagnostics_.error({origin}, "both this and " + it->second + " would be written to /" + path);
      return false;
    }
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      if (const auto folder = first_file_in_.find(whole.substr(0, slash)); folder == first_file_in_.end())
        first_file_in_.emplace(whole.substr(0, slash), path);
      else if (path < folder->second)
        folder->second = path;
    return true;
  }
  /// Keeps a claimed path's bytes; safe from several threads. `inputs`: see OutputSink::put.
  void store(const std::string& path, std::string bytes, std::uint64_t inputs = 0) {
    if (sink_) {
      sink_->put(path, std::move(bytes), inputs);
      return;
    }
    std::lock_guard lock(mutex_);
    output_.files.emplace(path, std::move(bytes));
  }
  void add(const std::string& path, std::string bytes, const std::string& origin) {
    if (claim(path, origin)) store(path, std::move(bytes));
  }
  void copy(const Resource& resource, const std::filesystem::path& site_dir) {
    const auto origin = relative_path(resource.source, site_dir);
    auto bytes = read_file(resource.source);
    if (!bytes) {
      diagnostics_.error({origin}, "cannot read this file");
      return;
    }
    add(resource.url.substr(1), std::move(*bytes), origin);
    ++output_.static_files;
  }
  SiteOutput& output() {
    output_.file_count = origin_.size();
    return output_;
  }

 private:
  Diagnostics& diagnostics_;
  OutputSink* sink_;
  std::mutex mutex_;
  SiteOutput output_;
  TextMap<std::string> origin_;         ///< each path claimed → where its file comes from
  TextMap<std::string> first_file_in_;  ///< each folder of those paths → the first path in it, in byte order
};

std::string file_size_text(std::size_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  if (bytes < 1024 * 1024) return format_number(static_cast<double>(bytes) / 1024, 1) + " KB";
  return format_number(static_cast<double>(bytes) / (1024 * 1024), 1) + " MB";
}

/// The `data` part of the view of the /data/ page.
nlohmann::json open_data_view(const SiteModel& model, const std::vector<Dataset>& datasets) {
  auto list = nlohmann::json::array();
  for (const auto& dataset : datasets) {
    const auto date = parse_iso_date(dataset.date);
    list.push_back({{"title", dataset.title},
                    {"url", site_url(model.config, "/" + dataset.path)},
                    {"format", dataset.format},
                    {"size", file_size_text(dataset.bytes.size())},
                    {"description", dataset.description},
                    {"date", date ? format_date_long(*date) : ""},
                    {"date_iso", dataset.date},
                    {"has_date", date.has_value()}});
  }
  return {{"datasets", std::move(list)},
          {"has_datasets", !datasets.empty()},
          {"licence", model.config.licence},
          {"licence_url", model.config.licence_url},
          {"package_url", site_url(model.config, "/data/datapackage.json")}};
}

std::vector<std::string> heading_ids(const RenderedMarkdown& markdown) {
  std::vector<std::string> ids;
  for (const auto& heading : markdown.headings) ids.push_back(heading.id);
  return ids;
}

}  // namespace

struct SiteBuilder::State {
  BuildOptions options;
  unsigned jobs = 1;
  /// With a sink, the builder is not updated afterwards: it lets go of the Markdown sources
  /// and HTML once it is done with them, the largest part of a big site's memory.
  OutputSink* sink = nullptr;
  SiteModel model;
  std::optional<Theme> theme;
  MarkdownOptions markdown_options;
  std::vector<RenderedMarkdown> markdown;
  std::vector<std::uint64_t> markdown_keys;  ///< markdown_key of each page's, with a sink
  std::uint64_t site_view_key = 0;
  std::uint64_t common_parts_key = 0;  ///< see has_common_parts()
  std::uint64_t other_inputs = 0;      ///< ContentListing::other_inputs, when the build was given one
  std::uint64_t parts_inputs = 0;      ///< parts_inputs_key()
  std::vector<RenderJob> render_jobs;
  std::vector<Dataset> datasets;
  std::set<std::string> pages_with_datasets;                           ///< those whose own schema.org Dataset a page's head shows
  std::map<std::string, std::pair<PageFile, std::size_t>> page_files;  ///< output path → (file, its page's index)
  std::map<std::string, nlohmann::json> page_alternates;               ///< page URL → its alternates' links
  std::string data_package_bytes;                                      ///< data/datapackage.json
  detail::LinkTargets link_targets;
  nlohmann::json site_view;
  SiteOutput output;
  std::vector<std::string> changed_outputs;
  std::vector<std::pair<std::string, double>> timings;
  bool current = false;                ///< the model matches the files on disk, and they built without errors
  bool search_stale = false;           ///< an edit's pages are out, its search index not yet
  std::set<std::string> search_paths;  ///< the output paths of the current search index
  bool partial = false;

  /// Runs one phase of the build and notes how long it took.
  template <typename Phase>
  auto timed(const char* name, Phase&& phase) {
    const auto started = std::chrono::steady_clock::now();
    auto finished = [&] { timings.emplace_back(name, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()); };
    if constexpr (std::is_void_v<decltype(phase())>) {
      phase();
      finished();
    } else {
      auto result = phase();
      finished();
      return result;
    }
  }

  void report(std::string_view stage, std::size_t done, std::size_t total) const {
    if (options.progress) options.progress(stage, done, total);
  }

  bool build_everything(Diagnostics& diagnostics) {
    current = false;
    timings.clear();
    auto loaded = timed("load", [&] {
      return load_site(options.site_dir, {options.include_drafts, jobs, data_loaders(), options.cache, options.content_listing}, diagnostics);
    });
    other_inputs = options.content_listing ? options.content_listing->other_inputs : 0;
    options.content_listing = nullptr;  // it was the files as they stood before the first build
    if (!loaded) return false;
    model = std::move(*loaded);
    if (!options.base_url.empty() && !set_base_url(model.config, options.base_url)) {
      diagnostics.error({}, "--base-url must be an absolute http or https URL, such as http://127.0.0.1:8080/");
      return false;
    }
    theme = Theme::load(options.site_dir, model.config.theme, diagnostics);

    // Markdown first: link checks and summaries need every page's headings and text. The
    // pages' Markdown, then that of the data files (SiteModel::snippets), with one set of options.
    prepare_markdown();
    markdown_options = {model.config.unsafe_html, model.config.base_path, theme ? theme->element_ids() : std::vector<std::string>{}};
    const auto pages = model.pages.size();
    markdown.assign(pages + model.snippets.size(), {});
    const auto snippet_groups = snippets_by_page();
    timed("Markdown", [&] {
      parallel_for(pages + snippet_groups.size(), jobs, [&](std::size_t i) {
        if (i >= pages) {
          render_snippets(snippet_groups[i - pages]);
          return;
        }
        markdown[i] = page_markdown(model.pages[i], diagnostics);
        if (sink) std::string().swap(model.pages[i].body);
      });
    });
    report("Markdown", model.pages.size(), model.pages.size());
    if (!theme) return false;
    return render_everything(diagnostics);
  }

  /// A page's Markdown as HTML. A body the load did not read is found in the kept results, or,
  /// when they no longer hold it (other Markdown options), read now: from the file as it was.
  RenderedMarkdown page_markdown(const Page& page, Diagnostics& diagnostics) const {
    if (!page.unread_body) return rendered_markdown(page.body, markdown_options);
    const auto& unread = *page.unread_body;
    if (auto kept = find_rendered_markdown(unread.hash, markdown_options, *options.cache)) return std::move(*kept);
    const auto text = read_file(options.site_dir / page.file);
    if (!text || content_hash(*text) != unread.file_hash || unread.size > text->size()) {
      diagnostics.error({page.file}, "this file changed while the site was being built (build again)");
      return {};
    }
    return rendered_markdown(std::string_view(*text).substr(text->size() - unread.size), markdown_options);
  }

  RenderedMarkdown rendered_markdown(std::string_view text, const MarkdownOptions& with) const {
    return options.cache ? render_markdown(text, with, *options.cache) : render_markdown(text, with);
  }

  /// The snippets of each page together, in model order: they share the page's ids.
  std::vector<std::vector<std::size_t>> snippets_by_page() const {
    std::map<std::string_view, std::size_t> group_of;
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t k = 0; k < model.snippets.size(); ++k) {
      const auto [it, added] = group_of.try_emplace(model.snippets[k].page_url, groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(k);
    }
    return groups;
  }

  /// Renders the snippets one page shows, each heading taking an id none before it took.
  void render_snippets(const std::vector<std::size_t>& group) {
    auto page_options = markdown_options;
    for (const auto k : group) {
      auto& rendered = markdown[model.pages.size() + k];
      rendered = rendered_markdown(model.snippets[k].text, page_options);
      for (const auto& heading : rendered.headings) page_options.reserved_ids.push_back(heading.id);
    }
  }

  /// Every page: the way round the site without JavaScript. Made only for a page that shows it,
  /// as a build that keeps that page has no need of it.
  nlohmann::json site_map() const {
    auto pages = nlohmann::json::array();
    for (const auto& page : model.pages) pages.push_back({{"title", page.meta.title}, {"url", site_url(model.config, page.url)}});
    return pages;
  }

  /// What the build adds to a page's view besides make_page_view's: its data's view, the open
  /// data list, its schema.org metadata, its alternates and the site map. Each key of `page`
  /// goes into the view's page, each other key into the view.
  nlohmann::json build_parts(std::size_t job_index) const {
    const auto& job = render_jobs[job_index];
    const auto& page = model.pages[job.page];
    nlohmann::json parts = nlohmann::json::object();
    if (page.data) {
      const auto& type = *find_data_type(page.data->type);
      parts[std::string(type.view_name)] = type.view(model, SnippetMarkdown(markdown).subspan(model.pages.size()), *page.data);
    }
    if (page.meta.type == "data") parts["data"] = open_data_view(model, datasets);
    if (job.layout == "sitemap") parts["site_map"] = site_map();
    // schema.org metadata: the catalogue on /data/, and its own Dataset on each page whose data is published.
    const bool catalogue = page.meta.type == "data";
    auto jsonld = catalogue || pages_with_datasets.contains(page.url) ? open_data_jsonld(model, datasets, catalogue ? std::string() : page.url) : "";
    const auto alternates = page_alternates.find(page.url);
    parts["page"] = {{"jsonld", jsonld},
                     {"has_jsonld", !jsonld.empty()},
                     {"alternates", alternates == page_alternates.end() ? nlohmann::json::array() : alternates->second}};
    return parts;
  }

  nlohmann::json page_view(std::size_t job_index, nlohmann::json parts) const {
    const auto& job = render_jobs[job_index];
    auto view = make_page_view(model, markdown, site_view, job.page, job.list);
    for (auto& [key, value] : parts.items())
      if (key != "page") view[key] = std::move(value);
    for (auto& [key, value] : parts["page"].items()) view["page"][key] = std::move(value);
    return view;
  }

  std::string render_view(std::size_t job_index, const nlohmann::json& view, Diagnostics& diagnostics) const {
    const auto& job = render_jobs[job_index];
    const auto& page = model.pages[job.page];
    return theme->render(job.layout, view, options.strict, diagnostics, page.file.empty() ? page.url : page.file);
  }

  std::string render_page(std::size_t job_index, Diagnostics& diagnostics) const {
    return render_view(job_index, page_view(job_index, build_parts(job_index)), diagnostics);
  }

  /// Renders a page into the collector, unless the sink still has it from the same inputs: the
  /// layout, the templates, --strict and the view, known by page_view_key and its build parts
  /// without making the view.
  void render_page_into(std::size_t job_index, OutputCollector& collector, Diagnostics& diagnostics) const {
    const auto& job = render_jobs[job_index];
    std::optional<nlohmann::json> parts;  // made only when needed: to render, or to know their key
    std::uint64_t inputs = 0;
    if (sink) {
      ContentHasher hasher;
      hasher.add(job.layout);
      hasher.add_number(theme->fingerprint());
      hasher.add_number(options.strict);
      hasher.add_number(page_view_key(model, markdown_keys, site_view_key, job.page, job.list));
      hasher.add_number(parts_key_of(job_index, parts));
      inputs = hasher.digest();
      if (sink->keep(job.output_path, inputs)) return;
    }
    if (!parts) parts = build_parts(job_index);
    collector.store(job.output_path, render_view(job_index, page_view(job_index, std::move(*parts)), diagnostics), inputs);
  }

  /// Whether build_parts() gives a page only what it gives most: no data of a type, no open
  /// data list, no site map, no schema.org Dataset and no alternates.
  bool has_common_parts(std::size_t job_index) const {
    const auto& job = render_jobs[job_index];
    const auto& page = model.pages[job.page];
    return !page.data && page.meta.type != "data" && job.layout != "sitemap" && !pages_with_datasets.contains(page.url) &&
           !page_alternates.contains(page.url);
  }

  static std::uint64_t parts_key(const nlohmann::json& parts) {
    ContentHasher hasher;
    hash_json(parts, hasher);
    return hasher.digest();
  }

  /// Where something made from parts_inputs alone is kept: under it and `names`.
  std::uint64_t kept_key(std::initializer_list<std::string_view> names) const {
    ContentHasher hasher;
    hasher.add_number(parts_inputs);
    hasher.add_number(names.size());
    for (const auto name : names) {
      hasher.add_number(name.size());
      hasher.add(name);
    }
    return hasher.digest();
  }

  /// The key of a page's build parts: that of most pages; or kept from an earlier build under
  /// what they are made from (parts_inputs); or their own, with the parts left in `parts`.
  std::uint64_t parts_key_of(std::size_t job_index, std::optional<nlohmann::json>& parts) const {
    if (has_common_parts(job_index)) return common_parts_key;
    const auto& job = render_jobs[job_index];
    const auto kept_under = parts_inputs ? kept_key({job.output_path, job.layout}) : 0;
    if (kept_under) {
      if (const auto kept = options.cache->find(kept_under)) {
        ByteReader in(*kept);
        const auto key = in.number();
        if (in.done()) return key;
      }
    }
    parts = build_parts(job_index);
    const auto key = parts_key(*parts);
    if (kept_under) {
      ByteWriter out;
      out.number(key);
      options.cache->put(kept_under, out.bytes());
    }
    return key;
  }

  /// The key of everything a page's build parts are made from but the page itself: the inputs
  /// but the Markdown pages, each page's place and front matter, and the options; 0 when one is
  /// not known. No page's body is in it: a data type's view is given none (SnippetMarkdown),
  /// and nothing else of the parts reads one.
  std::uint64_t parts_inputs_key() const {
    if (!other_inputs || !options.cache) return 0;
    ContentHasher hasher;
    auto text = [&](std::string_view value) {
      hasher.add_number(value.size());
      hasher.add(value);
    };
    text("build parts");
    hasher.add_number(other_inputs);
    hasher.add_number(options.include_drafts);
    text(options.base_url);
    for (const auto& page : model.pages) {
      // A page a data type made is its data file's, which other_inputs holds.
      if (!page.front_matter_hash && is_markdown_name(page.file)) return 0;
      text(page.file);
      text(page.url);
      hasher.add_number(page.front_matter_hash);
      hasher.add_number(static_cast<std::uint64_t>(page.body_line));
    }
    return hasher.digest();
  }

  /// The key of the build parts of every page that has_common_parts(), from the first of them.
  std::uint64_t find_common_parts_key() const {
    for (std::size_t i = 0; i < render_jobs.size(); ++i)
      if (has_common_parts(i)) return parts_key(build_parts(i));
    return 0;
  }

  /// Renders every output from the model and its Markdown.
  bool render_everything(Diagnostics& diagnostics) {
    return_freed_memory();  // the peak is to come: the pages rendered beside the search index
    OutputCollector collector(diagnostics, sink);
    // The search index's files are stored once the pages have claimed their paths, so that no
    // claim depends on which thread came first; stored, they are written and let go of, long
    // before the pages are all rendered.
    std::promise<void> pages_claimed;
    auto search = std::async(std::launch::async, [this, &collector, claimed = pages_claimed.get_future()]() mutable {
      auto index = make_search_index();
      try {
        claimed.get();
      } catch (...) {  // the build stopped first
        return index;
      }
      for (auto& [path, bytes] : index.files) {
        index.paths.insert(path);
        collector.add(path, std::move(bytes), "the search index");
      }
      index.files.clear();
      return index;
    });
    const auto started = std::chrono::steady_clock::now();
    std::vector<char> claimed;
    try {
      render_jobs = plan_render_jobs(model, *theme, diagnostics);
      claimed = claim_pages(collector);
    } catch (...) {
      pages_claimed.set_exception(std::current_exception());
      throw;
    }
    pages_claimed.set_value();
    parts_inputs = parts_inputs_key();
    make_open_data();
    check_links(diagnostics);
    if (sink)  // checked, the links are not needed again (the preview, without a sink, keeps them for its next build)
      for (auto& rendered : markdown) std::vector<MarkdownLink>().swap(rendered.links);
    site_view = make_site_view(model, markdown);
    if (sink) {
      ContentHasher hasher;
      hash_json(site_view, hasher);
      site_view_key = hasher.digest();
      markdown_keys.resize(model.pages.size());
      parallel_for(model.pages.size(), jobs, [&](std::size_t i) { markdown_keys[i] = markdown_key(markdown[i]); });
    }
    timings.emplace_back("links and site view", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    render_pages(collector, claimed, diagnostics);
    add_search_index(collector, search.get());
    collector.output().pages = render_jobs.size();
    timed("site files", [&] { add_site_files(collector, diagnostics); });
    if (sink)  // with the pages written and the index made, the HTML is not needed again
      for (auto& page : markdown) std::string().swap(page.html);
    timed("open data and copies", [&] { add_open_data_and_copies(collector); });
    if (diagnostics.has_errors()) return false;
    auto& next = collector.output();
    next.data_files = datasets.size() + 1;  // and datapackage.json
    next.timings = timings;
    replace_output(std::move(next));
    current = true;
    return true;
  }

  /// The open data, what each data type's pages come with besides their HTML, and the data
  /// package. Each is made from the model's data and front matter, never from a page's body
  /// (DataType::open_data, DataType::page_files), so after an edit to a body they are found kept
  /// under parts_inputs.
  void make_open_data() {
    const auto key = parts_inputs ? kept_key({"open data"}) : 0;
    const auto kept = key ? options.cache->find(key) : std::nullopt;
    if (!kept || !read_open_data(*kept)) {
      datasets.clear();
      // Each type's on a core of its own, then in the types' order.
      std::vector<std::vector<Dataset>> of_type(data_types().size());
      parallel_for(of_type.size(), jobs, [&](std::size_t t) { data_types()[t].open_data(model, of_type[t]); });
      for (auto& files : of_type) std::move(files.begin(), files.end(), std::back_inserter(datasets));
      // Each page's on every core, then in the pages' order.
      std::vector<std::map<std::string, PageFile>> of_page(model.pages.size());
      parallel_for(model.pages.size(), jobs, [&](std::size_t p) {
        const auto& page = model.pages[p];
        const auto* type = page.data ? find_data_type(page.data->type) : nullptr;
        if (type && type->page_files) type->page_files(model, page, *page.data, of_page[p]);
      });
      page_files.clear();
      for (std::size_t p = 0; p < of_page.size(); ++p)
        for (auto& [path, file] : of_page[p]) page_files.emplace(path, std::pair{std::move(file), p});
      data_package_bytes = data_package(model, datasets, jobs);
      if (key) {
        options.cache->put(key, written_open_data());
        return_freed_memory();  // the entry was as large as the open data, and the peak is to come
      }
    }
    pages_with_datasets.clear();
    for (const auto& dataset : datasets)
      if (!dataset.collection.empty()) pages_with_datasets.insert(dataset.page);
    page_alternates.clear();
    for (const auto& [path, file] : page_files)
      if (!file.first.alternate_type.empty())
        page_alternates[model.pages[file.second].url].push_back(
            {{"url", site_url(model.config, "/" + path)}, {"type", file.first.alternate_type}, {"title", file.first.title}});
  }

  /// The open data, page files and data package as the kept results hold them, and read back.
  /// Their bytes are put from where they are: a copy would be as large as the open data.
  ByteWriter written_open_data() const {
    ByteWriter out;
    out.number(datasets.size());
    for (const auto& dataset : datasets) write_dataset(out, dataset);
    out.number(page_files.size());
    for (const auto& [path, file] : page_files) {
      out.text(path);
      out.text_in_place(file.first.bytes);
      out.text(file.first.alternate_type);
      out.text(file.first.title);
      out.number(file.second);
    }
    out.text_in_place(data_package_bytes);
    return out;
  }

  bool read_open_data(std::string_view kept) {
    ByteReader in(kept);
    datasets.assign(in.number(), {});
    for (auto& dataset : datasets)
      if (!read_dataset(in, dataset)) return false;
    page_files.clear();
    for (auto files = in.number(); files > 0 && !in.failed(); --files) {
      const std::string path(in.text());
      PageFile file{std::string(in.text()), std::string(in.text()), std::string(in.text())};
      const auto page = in.number();
      if (page >= model.pages.size()) return false;
      page_files.emplace(path, std::pair{std::move(file), page});
    }
    data_package_bytes = in.text();
    return in.done();
  }

  /// Checks the links of every page and snippet against everything the build makes.
  void check_links(Diagnostics& diagnostics) {
    auto& outputs = link_targets.outputs;
    outputs = {"/feed.xml", "/sitemap.xml", "/robots.txt", "/404.html", "/data/datapackage.json"};
    for (const auto& dataset : datasets) outputs.insert("/" + dataset.path);
    for (const auto& [path, file] : page_files) outputs.insert("/" + path);
    for (const auto& job : render_jobs)
      outputs.insert("/" + job.output_path.substr(0, job.output_path.size() - std::string_view("index.html").size()));
    for (const auto& file : theme->static_files()) outputs.insert(file.url);
    for (const auto& file : model.files) outputs.insert(file.url);
    for (const auto& page : model.pages)
      for (const auto& resource : page.resources) outputs.insert(resource.url);
    link_targets.theme_ids = theme->element_ids();
    detail::check_links(model, markdown, link_targets, diagnostics);
  }

  /// Whether each render job's output path is its own.
  std::vector<char> claim_pages(OutputCollector& collector) const {
    std::vector<char> claimed(render_jobs.size());
    for (std::size_t i = 0; i < render_jobs.size(); ++i) {
      const auto& page = model.pages[render_jobs[i].page];
      claimed[i] = collector.claim(render_jobs[i].output_path, page.file.empty() ? page.url : page.file);
    }
    return claimed;
  }

  /// Each page is stored (and, with a sink, written) as soon as it is rendered: holding every
  /// page until the end would need the whole site's HTML in memory.
  void render_pages(OutputCollector& collector, const std::vector<char>& claimed, Diagnostics& diagnostics) {
    common_parts_key = find_common_parts_key();
    std::atomic<std::size_t> done{0};
    const auto main_thread = std::this_thread::get_id();
    timed("pages", [&] {
      parallel_for(render_jobs.size(), jobs, [&](std::size_t i) {
        if (claimed[i]) render_page_into(i, collector, diagnostics);
        const auto finished = ++done;
        if (std::this_thread::get_id() == main_thread && finished % 64 == 0) report("Pages", finished, render_jobs.size());
      });
    });
    report("Pages", render_jobs.size(), render_jobs.size());
  }

  /// The 404 page, the feed, the sitemap and robots.txt.
  void add_site_files(OutputCollector& collector, Diagnostics& diagnostics) {
    if (theme->has_layout("404")) {
      collector.add("404.html", theme->render("404", make_not_found_view(model, site_view), options.strict, diagnostics, "/404.html"),
                    "404.mustache");
    } else {
      diagnostics.error({"themes/" + model.config.theme + "/templates"}, "the theme has no 404 layout (expected templates/404.mustache)");
    }
    collector.add("feed.xml", detail::atom_feed(model, markdown), "the news feed");
    collector.add("sitemap.xml", detail::sitemap(model), "the site map");
    collector.add("robots.txt", detail::robots_txt(model), "robots.txt");
  }

  struct SearchIndex {
    std::map<std::string, std::string> files;  ///< until they are stored
    std::set<std::string> paths;               ///< of the files stored
    std::vector<std::pair<std::string, double>> timings;
  };

  /// Needs only the model and the Markdown, and touches nothing else: made on a thread of its
  /// own while the pages are checked and rendered.
  SearchIndex make_search_index() const {
    SearchIndex index;
    auto started = std::chrono::steady_clock::now();
    auto lap = [&](const char* phase) {
      const auto now = std::chrono::steady_clock::now();
      index.timings.emplace_back(phase, std::chrono::duration<double>(now - started).count());
      started = now;
    };
    auto documents = detail::search_documents(model, markdown);
    lap("search documents");
    index.files = build_search_index(std::move(documents), {.jobs = jobs, .facets = search_facets_of_types(), .cache = options.cache});
    lap("search index");
    return index;
  }

  void add_search_index(OutputCollector& collector, SearchIndex index) {
    timings.insert(timings.end(), index.timings.begin(), index.timings.end());
    collector.output().search_files = index.paths.size();
    search_paths = std::move(index.paths);
    search_stale = false;
    report("Search index", 1, 1);
  }

  /// The open data, the pages' other files, the aliases' redirects, and the files copied as they are.
  void add_open_data_and_copies(OutputCollector& collector) {
    for (const auto& dataset : datasets) collector.add(dataset.path, dataset.bytes, "the open data of " + dataset.title);
    for (const auto& [path, file] : page_files) collector.add(path, file.first.bytes, model.pages[file.second].file);
    collector.add("data/datapackage.json", data_package_bytes, "the open data package");
    for (const auto& page : model.pages)
      for (const auto& alias : page.meta.aliases) collector.add(output_path_for(alias), detail::redirect_page(model, page), page.file);
    for (const auto& file : theme->static_files()) collector.copy(file, options.site_dir);
    for (const auto& file : model.files) collector.copy(file, options.site_dir);
    for (const auto& page : model.pages)
      for (const auto& resource : page.resources) collector.copy(resource, options.site_dir);
  }

  void replace_output(SiteOutput next) {
    changed_outputs.clear();
    for (const auto& [path, bytes] : next.files)
      if (auto old = output.files.find(path); old == output.files.end() || old->second != bytes) changed_outputs.push_back(path);
    for (const auto& [path, bytes] : output.files)
      if (!next.files.contains(path)) changed_outputs.push_back(path);
    output = std::move(next);
  }

  /// The edited pages when every changed file is an existing page whose front matter is
  /// byte-for-byte what it was; nullopt when the change may reach further.
  std::optional<std::vector<std::pair<std::size_t, std::string>>> edited_bodies(const std::vector<std::filesystem::path>& changed) const {
    if (model.content_through_links) return std::nullopt;  // an edited file may be another page's too
    std::vector<std::pair<std::size_t, std::string>> edits;
    for (const auto& path : changed) {
      if (!is_markdown_name(path.native())) return std::nullopt;
      const auto file = relative_path(path, options.site_dir);
      const auto page = std::find_if(model.pages.begin(), model.pages.end(), [&](const Page& p) { return p.file == file; });
      if (page == model.pages.end()) return std::nullopt;
      const auto index = static_cast<std::size_t>(page - model.pages.begin());
      if (std::any_of(edits.begin(), edits.end(), [&](const auto& edit) { return edit.first == index; })) continue;
      // A page replaced by a link is for the full load's folder walk to judge.
      if (std::filesystem::is_symlink(std::filesystem::symlink_status(path))) return std::nullopt;
      auto text = read_file(path);
      if (!text || find_forbidden_character(*text) != std::string::npos) return std::nullopt;  // invalid UTF-8 included
      Diagnostics parse_problems;
      auto document = parse_markdown_document(*text, file, parse_problems);
      if (parse_problems.error_count() + parse_problems.warning_count() > 0) return std::nullopt;
      if (text->compare(0, text->size() - document.body.size(), page->front_matter_source) != 0) return std::nullopt;
      edits.emplace_back(index, std::move(document.body));
    }
    return edits;
  }

  /// Re-renders only what shows the edited bodies; nullopt when the edit may reach further.
  std::optional<bool> update_bodies(const std::vector<std::filesystem::path>& changed, Diagnostics& diagnostics) {
    if (!current || changed.empty()) return std::nullopt;
    auto edits = edited_bodies(changed);
    if (!edits) return std::nullopt;
    std::vector<std::size_t> edited;
    bool headings_changed = false;
    for (auto& [index, body] : *edits) {
      edited.push_back(index);
      model.pages[index].body = std::move(body);
      auto rendered = render_markdown(model.pages[index].body, markdown_options);
      headings_changed = headings_changed || heading_ids(rendered) != heading_ids(markdown[index]);
      markdown[index] = std::move(rendered);
    }
    current = false;  // until the edit has built
    if (make_site_view(model, markdown) != site_view) return render_everything(diagnostics);
    // Other pages' links to #headings matter only when the edited pages' headings changed.
    detail::check_links(model, markdown, link_targets, diagnostics, headings_changed ? nullptr : &edited);

    auto shows_edit = [&](std::size_t index) { return std::find(edited.begin(), edited.end(), index) != edited.end(); };
    std::vector<std::size_t> affected;
    for (std::size_t i = 0; i < render_jobs.size(); ++i)
      if (shows_edit(render_jobs[i].page) || std::any_of(render_jobs[i].list.items.begin(), render_jobs[i].list.items.end(), shows_edit))
        affected.push_back(i);
    std::vector<std::string> html(affected.size());
    parallel_for(affected.size(), jobs, [&](std::size_t i) { html[i] = render_page(affected[i], diagnostics); });
    auto feed = detail::atom_feed(model, markdown);
    if (diagnostics.has_errors()) return false;

    changed_outputs.clear();
    auto replace = [&](const std::string& path, std::string bytes) {
      auto& old = output.files.at(path);
      if (old == bytes) return;
      old = std::move(bytes);
      changed_outputs.push_back(path);
    };
    for (std::size_t i = 0; i < affected.size(); ++i) replace(render_jobs[affected[i]].output_path, std::move(html[i]));
    replace("feed.xml", std::move(feed));
    search_stale = true;
    current = true;
    return true;
  }

  bool refresh_search_index() {
    changed_outputs.clear();
    if (!search_stale || !current) return false;
    search_stale = false;
    auto index = build_search_index(detail::search_documents(model, markdown), {.jobs = jobs, .facets = search_facets_of_types()});
    output.search_files = index.size();
    for (const auto& path : search_paths)  // only the index's own files; a page may live beside them
      if (!index.contains(path)) {
        output.files.erase(path);
        changed_outputs.push_back(path);
      }
    search_paths.clear();
    for (auto& [path, bytes] : index) {
      search_paths.insert(path);
      auto& old = output.files[path];
      if (old == bytes) continue;
      old = std::move(bytes);
      changed_outputs.push_back(path);
    }
    return !changed_outputs.empty();
  }
};

SiteBuilder::SiteBuilder(BuildOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  state_->jobs = state_->options.jobs ? state_->options.jobs : std::max(1u, std::thread::hardware_concurrency());
}

SiteBuilder::~SiteBuilder() = default;

void SiteBuilder::set_sink(OutputSink* sink) { state_->sink = sink; }

bool SiteBuilder::update(const std::vector<std::filesystem::path>& changed, Diagnostics& diagnostics) {
  if (auto partial = state_->update_bodies(changed, diagnostics)) {
    state_->partial = true;
    return *partial;
  }
  state_->partial = false;
  return state_->build_everything(diagnostics);
}

bool SiteBuilder::refresh_search_index() { return state_->refresh_search_index(); }
const SiteOutput& SiteBuilder::output() const { return state_->output; }
SiteOutput SiteBuilder::take_output() { return std::move(state_->output); }
const std::vector<std::string>& SiteBuilder::changed_outputs() const { return state_->changed_outputs; }
bool SiteBuilder::last_update_was_partial() const { return state_->partial; }

std::optional<SiteOutput> generate_site(const BuildOptions& options, Diagnostics& diagnostics, OutputSink* sink) {
  SiteBuilder builder(options);
  builder.set_sink(sink);
  if (!builder.update({}, diagnostics)) return std::nullopt;
  return builder.take_output();
}

}  // namespace plainsight
