#pragma once

#include <any>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "content/model.hpp"
#include "core/diagnostics.hpp"

namespace plainsight {

/// A data file of a page bundle, read.
struct DataFile {
  std::string path;  ///< relative to the site: "content/plans/council-plan/plan.json"
  std::string text;
  bool is_json = false;
  /// What the type's `read` made of the file (its Plan), for its `load`; empty without a `read`.
  std::any contents;
};

/// What a data type's loader may do while the site loads.
class DataLoadContext {
 public:
  DataLoadContext(SiteModel& site_model, Diagnostics& problems) : model(site_model), diagnostics(problems) {}
  virtual ~DataLoadContext() = default;

  SiteModel& model;
  Diagnostics& diagnostics;

  /// Adds a page made from the data (a plan's deliverable); false, with an error, when another
  /// page already has its URL. The page is added to model.pages once every type has loaded, so
  /// references into model.pages stay valid meanwhile.
  virtual bool add_page(Page page) = 0;
  /// Registers Markdown read from a data file, shown on the page at `page_url`, to be rendered
  /// and link-checked with the pages'. `literal` is its JSON string as written, when known.
  void add_markdown(MarkdownText& text, const std::string& page_url, std::string_view literal = {}) {
    if (text.empty()) return;
    text.snippet = model.snippets.size();
    model.snippets.push_back({text.text, text.where, std::string(literal), page_url});
  }
};

/// How a data type is loaded (the rest of the type is registered with it: generator/types/).
/// A page whose front matter says `type: <type>` reads the first of `files` in its bundle.
struct DataLoader {
  std::string_view type;
  std::vector<std::string_view> files;
  std::string_view guide;  ///< the documentation of its files: "docs/plans.md"
  /// Front matter keys its pages may use beyond every page's (FrontMatter::fields holds them).
  std::vector<std::string> front_matter_keys;
  /// Checks the page's front matter, whether or not its data file is there (may be empty).
  std::function<void(DataLoadContext& context, const Page& page)> check_page;
  /// Makes the type's own model of `file` (a Plan) into its `contents`, looking at `model` and
  /// changing nothing else, with no other page's help: every page's data file is read and made
  /// this way at once, on every core, before any is loaded, so it lets go of the file's text
  /// when `load` does not need it. Optional: empty for a type whose `load` does all.
  std::function<void(const SiteModel& model, const Page& page, DataFile& file, Diagnostics& diagnostics)> read;
  /// Adds `file` to the model for model.pages[page], and sets that page's `data`; one page at a
  /// time, in URL order. A type with no `files` keeps its data in front matter: `file` is then
  /// the page's own, its text empty.
  std::function<void(DataLoadContext& context, std::size_t page, DataFile& file)> load;
};

}  // namespace plainsight
