// The only file that includes kainjow/mustache.hpp.
#include "render/theme.hpp"

#include <pthread.h>
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace fs = std::filesystem;
using MustacheData = kainjow::mustache::data;

namespace {

/// kainjow ends a message with " at 123", a byte offset: takes it off the message.
std::optional<std::size_t> take_offset(std::string& message) {
  const auto at = message.rfind(" at ");
  std::size_t offset = 0;
  if (at == std::string::npos) return std::nullopt;
  const auto [end, error] = std::from_chars(message.data() + at + 4, message.data() + message.size(), offset);
  if (error != std::errc() || end != message.data() + message.size()) return std::nullopt;
  message.erase(at);
  return offset;
}

/// kainjow reports "Unclosed tag at 123" with a byte offset; give the line and column instead.
SourceLocation locate_mustache_error(const std::string& file, const std::string& text, std::string& message) {
  SourceLocation where{file, 1, 1};
  if (const auto offset = take_offset(message)) {
    const auto lc = line_column_at(text, *offset);
    where.line = lc.line;
    where.column = lc.column;
  }
  return where;
}

/// Whether the template sets other delimiters: kainjow reads a tag whose text starts with "=",
/// after any spaces, as {{=<% %>=}}. Such a template is left to kainjow as it is.
bool sets_delimiters(std::string_view text) {
  for (auto open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    const auto inner = text.find_first_not_of("{ \t\r\n\v\f", open + 2);  // std::isspace's spaces, as kainjow trims
    if (inner != std::string_view::npos && text[inner] == '=') return true;
  }
  return false;
}

/// A template's text with each run of plain text written as one tag, and those runs.
struct TemplateWithRuns {
  std::string text;
  std::vector<MustacheData> runs;  ///< the value of {{{\x1F<index>}}}
};

/// The start of the name of a run's tag: no name in a view starts with a control character.
constexpr char run_name_start = '\x1F';

/// kainjow makes a node of every word and every space of a template's text, and writes each on
/// its own; a layout parsed is some thirty times the size of its text. So each run of text
/// that holds a space, between tags and line ends, becomes one {{{tag}}} whose value is the
/// run: kainjow writes text and a variable's value alike, into the line it is making, so the
/// output is the same. A template with other delimiters, or that does not parse, is left as it is.
TemplateWithRuns gather_runs(const std::string& text) {
  if (sets_delimiters(text)) return {text, {}};
  TemplateWithRuns result;
  result.text.reserve(text.size());
  std::string run;
  auto end_run = [&] {
    if (run.find_first_of(" \t") == std::string::npos || run.size() < 2) {
      result.text += run;
    } else {
      result.text.append("{{{").append(1, run_name_start).append(std::to_string(result.runs.size())).append("}}}");
      result.runs.emplace_back(run);
    }
    run.clear();
  };
  for (std::size_t at = 0; at < text.size();) {
    if (text.compare(at, 2, "{{") == 0) {
      end_run();
      const bool triple = at + 2 < text.size() && text[at + 2] == '{';
      const std::string_view close = triple ? "}}}" : "}}";
      const auto end = text.find(close, at + 2 + triple);
      if (end == std::string::npos) return {text, {}};
      result.text.append(text, at, end + close.size() - at);
      at = end + close.size();
    } else if (text[at] == '\n' || text[at] == '\r') {
      end_run();
      result.text += text[at++];
    } else {
      run += text[at++];
    }
  }
  end_run();
  return result;
}

/// kainjow's context over a view as nlohmann JSON, plus a record of every name and partial it
/// could not find. A value becomes kainjow's data only when a tag looks it up, and an object only
/// as an empty shell whose members are looked up in the JSON: making every view whole into
/// kainjow's data, a map for every object, cost more than rendering it.
class RecordingContext : public kainjow::mustache::basic_context<std::string> {
 public:
  RecordingContext(const nlohmann::json& view, const std::map<std::string, MustacheData, std::less<>>& partials,
                   const std::vector<MustacheData>& runs)
      : partials_(partials), runs_(runs), stack_start_(stack_position()) {
    push(data_of(view));
  }
  /// Thrown when sections nest deeper than any view does (a partial that includes itself inside
  /// a section whose name is always found, {{#page}}), or partials use more of the stack than
  /// any page needs (one that includes itself after its sections have closed): either would
  /// recurse until the stack ends.
  struct TooDeep {
    bool sections = true;  ///< or partials
  };
  static constexpr std::size_t most_nesting = 200;

  void push(const MustacheData* data) override {
    if (items_.size() >= most_nesting) throw TooDeep{};
    const auto shell = json_of_.find(data);
    items_.push_back({data, shell == json_of_.end() ? nullptr : shell->second});
  }
  void pop() override { items_.pop_back(); }

  const MustacheData* get(const std::string& name) const override {
    if (name == ".") return items_.back().data;
    if (name.starts_with(run_name_start)) {
      std::size_t index = runs_.size();
      std::from_chars(name.data() + 1, name.data() + name.size(), index);
      if (index < runs_.size()) return &runs_[index];
    }
    if (const auto* found = lookup(name)) return data_of(*found);
    missing_names.insert(name);
    return nullptr;
  }
  const MustacheData* get_partial(const std::string& name) const override {
    // Partials left as tags are the ones in a loop (or with other delimiters, not checked at
    // load). Only the stack they take bounds them: sections may open and close between.
    const auto here = stack_position();
    if ((here > stack_start_ ? here - stack_start_ : stack_start_ - here) > most_stack()) throw TooDeep{.sections = false};
    if (auto found = partials_.find(name); found != partials_.end()) return &found->second;
    missing_partials.insert(name);
    return nullptr;
  }

  mutable std::set<std::string> missing_names;
  mutable std::set<std::string> missing_partials;

 private:
  struct Item {
    const MustacheData* data;
    const nlohmann::json* object;  ///< the JSON object behind a shell; nullptr for a text, true or false
  };

  /// The value of the whole of a dotted name in the innermost context that has it.
  const nlohmann::json* lookup(const std::string& name) const {
    const bool dotted = name.find('.') != std::string::npos;
    for (auto item = items_.rbegin(); item != items_.rend(); ++item) {
      const nlohmann::json* current = item->object;
      for (std::size_t start = 0; current && start <= name.size();) {
        const auto dot = dotted ? std::min(name.find('.', start), name.size()) : name.size();
        const auto member = current->find(std::string_view(name).substr(start, dot - start));
        current = member != current->end() ? &*member : nullptr;
        if (current && dot < name.size() && !current->is_object()) current = nullptr;
        start = dot + 1;
      }
      if (current) return current;
    }
    return nullptr;
  }

  /// kainjow's data for a value of the view, made once: an object is an empty shell (pushed, its
  /// members are looked up in `value`), a list holds its items so that kainjow can walk them, null
  /// is false, and a number is written as JSON writes it.
  const MustacheData* data_of(const nlohmann::json& value) const {
    static const MustacheData yes{MustacheData::type::bool_true}, no{MustacheData::type::bool_false};
    switch (value.type()) {
      case nlohmann::json::value_t::boolean:
        return value.get<bool>() ? &yes : &no;
      case nlohmann::json::value_t::null:
        return &no;
      default:
        break;
    }
    if (const auto made = made_.find(&value); made != made_.end()) return made->second;
    auto& data = storage_.emplace_back(MustacheData::type::bool_false);
    fill(value, data);
    made_.emplace(&value, &data);
    return &data;
  }

  void fill(const nlohmann::json& value, MustacheData& data) const {
    switch (value.type()) {
      case nlohmann::json::value_t::object:
        data = MustacheData{MustacheData::type::object};
        json_of_.emplace(&data, &value);
        return;
      case nlohmann::json::value_t::array: {
        data = MustacheData{MustacheData::type::list};
        // The data is ours and not const: kainjow only offers const access to a list. Its items
        // stay where they are made (the room is made first), for json_of_ to know them.
        auto& list = const_cast<kainjow::mustache::list&>(data.list_value());
        list.reserve(value.size());
        for (const auto& item : value) fill(item, list.emplace_back(MustacheData::type::bool_false));
        return;
      }
      case nlohmann::json::value_t::string:
        data = MustacheData{value.get_ref<const std::string&>()};
        return;
      case nlohmann::json::value_t::boolean:
        data = MustacheData{value.get<bool>() ? MustacheData::type::bool_true : MustacheData::type::bool_false};
        return;
      case nlohmann::json::value_t::null:
        return;  // false
      default:
        data = MustacheData{value.dump()};
    }
  }

  static std::uintptr_t stack_position() { return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)); }
  /// The stack a render may use: a quarter of a new thread's (glibc's default, from the stack
  /// limit: 8 MB, or 2 MB when it is unlimited), at most 2 MB. 200 nested sections take a
  /// third of that under AddressSanitizer (650 kB); each partial left as a tag is rendered by a
  /// call inside the render.
  static std::size_t most_stack() {
    static const std::size_t most = [] {
      std::size_t thread_stack = 2 << 20;
      pthread_attr_t defaults;
      if (pthread_getattr_default_np(&defaults) == 0) {
        pthread_attr_getstacksize(&defaults, &thread_stack);
        pthread_attr_destroy(&defaults);
      }
      return std::min<std::size_t>(thread_stack / 4, 2 << 20);
    }();
    return most;
  }

  std::vector<Item> items_;                   ///< the innermost last
  mutable std::deque<MustacheData> storage_;  ///< what data_of() made, where it stays
  mutable std::unordered_map<const nlohmann::json*, const MustacheData*> made_;
  mutable std::unordered_map<const MustacheData*, const nlohmann::json*> json_of_;  ///< each shell's object
  const std::map<std::string, MustacheData, std::less<>>& partials_;
  const std::vector<MustacheData>& runs_;
  std::uintptr_t stack_start_;  ///< where the render began
};

/// What kainjow writes, appended to a string: its render to a string goes through an
/// ostringstream and copies the whole page out of it at the end.
struct AppendTo {
  std::string& text;
  AppendTo& operator<<(const std::string& piece) {
    text += piece;
    return *this;
  }
};

/// The files below `dir` that a theme may use: links that lead out of it are errors.
std::vector<fs::path> theme_files(const fs::path& dir, const fs::path& site_dir, Diagnostics& diagnostics) {
  auto walk = walk_site_folder(dir, dir, [](std::string_view name) { return name.starts_with('.'); });
  for (const auto& problem : walk.problems) diagnostics.error({relative_path(problem.path, site_dir)}, problem.message);
  return {walk.files.begin(), walk.files.end()};
}

void read_templates(const fs::path& dir, const fs::path& site_dir, Diagnostics& diagnostics, auto& into) {
  for (const auto& path : theme_files(dir, site_dir, diagnostics)) {
    if (path.parent_path() != dir || path.extension() != ".mustache") continue;
    auto text = read_file(path);
    if (!text) continue;
    into[path.stem().string()] = {relative_path(path, site_dir), std::move(*text)};
  }
}

void collect_static(const fs::path& dir, const fs::path& site_dir, Diagnostics& diagnostics, std::map<std::string, fs::path>& by_url) {
  for (const auto& path : theme_files(dir, site_dir, diagnostics)) by_url["/" + path.lexically_relative(dir).generic_string()] = path;
}

/// Writes each `{{> name}}` in a template as the partial's own text, expanded the same way:
/// kainjow would parse a partial again at every use. A missing partial stays a tag, for the
/// renderer to report, and so does one that includes itself (a nested list), which is an
/// error unless the way round passes through a {{#section}}: only a section can end it.
template <typename Partials>
class PartialExpander {
 public:
  PartialExpander(const Partials& partials, Diagnostics& diagnostics) : partials_(partials), diagnostics_(diagnostics) {}

  /// The layout with its partials written in; nullopt when it cannot be rendered (reported).
  std::optional<std::string> expand_layout(const auto& layout) {
    failed_ = false;
    auto text = expand(layout, 0);
    if (failed_) return std::nullopt;
    return text;
  }

 private:
  /// The most text a layout may become: partials that each include the next twice would
  /// otherwise double it at each step.
  static constexpr std::size_t most_bytes = 16 << 20;

  struct Including {
    std::string name;
    int sections;  ///< the sections open around the tag that included it
  };

  /// Reports a problem once, though every layout that includes the partial meets it.
  void fail(const auto& item, std::size_t at, std::string message) {
    const auto lc = line_column_at(item.text, at);
    if (!failed_ && reported_.insert(item.file + ':' + std::to_string(at)).second)
      diagnostics_.error({item.file, lc.line, lc.column}, std::move(message));
    failed_ = true;
  }

  std::string expand(const auto& item, int sections) {
    const std::string& text = item.text;
    if (sets_delimiters(text)) return text;
    std::string expanded;
    std::size_t copied = 0;
    std::vector<bool> open_sections;  // for each section open here, whether it enters a context
    for (auto open = text.find("{{"); open != std::string::npos && !failed_; open = text.find("{{", open + 2)) {
      const auto close = text.find("}}", open);
      if (close == std::string::npos) break;
      const char sigil = open + 2 < text.size() ? text[open + 2] : '\0';
      if (sigil == '#' || sigil == '^') open_sections.push_back(sigil == '#');
      if (sigil == '/' && !open_sections.empty()) open_sections.pop_back();
      if (sigil != '>') continue;
      const auto name = std::string(trim(std::string_view(text).substr(open + 3, close - open - 3)));
      const auto partial = partials_.find(name);
      // A partial that ends with "{" would make a tag of the layout's text after it, which
      // Mustache writes as it is: kainjow renders it on its own.
      if (partial == partials_.end() || sets_delimiters(partial->second.text) || partial->second.text.ends_with('{')) continue;
      const int here = sections + static_cast<int>(std::count(open_sections.begin(), open_sections.end(), true));
      const auto first = std::find_if(including_.begin(), including_.end(), [&](const Including& i) { return i.name == name; });
      if (first != including_.end()) {
        if (here == first->sections) {
          std::string chain;
          for (auto it = first; it != including_.end(); ++it) chain += it->name + " → ";
          fail(item, open,
               "partial \"" + name + "\" includes itself (" + chain + name + ") outside any {{#section}}, so rendering it would never end");
        }
        continue;
      }
      including_.push_back({name, here});
      expanded.append(text, copied, open - copied).append(expand(partial->second, here));
      including_.pop_back();
      copied = close + 2;
      if (expanded.size() > most_bytes)
        fail(item, open,
             "with its partials written in, this template is over " + std::to_string(most_bytes >> 20) +
                 " MB: partials include each other too many times");
    }
    return expanded.append(text, copied);
  }

  const Partials& partials_;
  Diagnostics& diagnostics_;
  std::vector<Including> including_;
  std::set<std::string> reported_;
  bool failed_ = false;
};

}  // namespace

struct Theme::Compiled {
  std::map<std::string, MustacheData, std::less<>> partials;  ///< for the partials left as tags

  /// A layout's text with its partials written in place, parsed once when first rendered
  /// and then shared by every thread. Rendering reads a parsed template and changes nothing
  /// in it (kainjow keeps a render's state in its context) but its error message, which only
  /// a lambda or a partial that does not parse can set: a view holds no lambda, and every
  /// partial was parsed at load.
  class Layout {
   public:
    explicit Layout(std::string text) : text_(std::move(text)) {}
    struct Parsed {
      explicit Parsed(TemplateWithRuns gathered) : mustache(gathered.text), runs(std::move(gathered.runs)) {
        mustache.set_custom_escape([](const std::string& text) { return escape_html(text); });
      }
      kainjow::mustache::mustache mustache;
      std::vector<MustacheData> runs;  ///< what its tags of runs of text write
    };
    Parsed& parsed() const {
      std::call_once(parsed_once_, [this] { parsed_.emplace(gather_runs(text_)); });
      return *parsed_;
    }

   private:
    std::string text_;
    mutable std::once_flag parsed_once_;
    mutable std::optional<Parsed> parsed_;
  };
  std::map<std::string, Layout, std::less<>> layouts;
};

/// The text without its HTML and Mustache comments, which write no element.
std::string without_comments(std::string text) {
  for (const auto& [open, close] : {std::pair{"<!--", "-->"}, {"{{!", "}}"}})
    for (auto at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
      const auto end = text.find(close, at);
      text.erase(at, end == std::string::npos ? std::string::npos : end + std::string_view(close).size() - at);
    }
  return text;
}

/// Every id="…" (or id='…', ID="…") that the templates write as it is, without a {{tag}}:
/// sorted, each once.
std::vector<std::string> element_ids_in(const auto& layouts, const auto& partials) {
  std::set<std::string> ids;
  for (const auto* group : {&layouts, &partials})
    for (const auto& [template_name, item] : *group) {
      const auto text = without_comments(item.text);
      const auto lower = to_lower_ascii(text);
      for (auto at = lower.find("id="); at != std::string::npos; at = lower.find("id=", at + 3)) {
        const bool attribute_start = at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\n' || text[at - 1] == '\t');
        if (!attribute_start || at + 3 >= text.size() || (text[at + 3] != '"' && text[at + 3] != '\'')) continue;
        const auto end = text.find(text[at + 3], at + 4);
        if (end == std::string::npos) break;
        const auto id = text.substr(at + 4, end - at - 4);
        if (!id.empty() && id.find("{{") == std::string::npos) ids.emplace(id);
      }
    }
  return {ids.begin(), ids.end()};
}

std::optional<Theme> Theme::load(const fs::path& site_dir, const std::string& name, Diagnostics& diagnostics) {
  const auto theme_dir = site_dir / "themes" / name;
  std::error_code error;
  if (name.empty() || name == "." || name == ".." || name.find_first_of("/\\") != std::string::npos) {
    diagnostics.error({"site.json"}, "theme \"" + name + "\" is not the name of a folder in themes/ (such as \"default\")");
    return std::nullopt;
  }
  if (!fs::is_directory(theme_dir, error)) {
    diagnostics.error({"site.json"}, "theme \"" + name + "\" not found (expected a folder themes/" + name + "/ with templates/ and partials/)");
    return std::nullopt;
  }
  const auto site = fs::canonical(site_dir, error);
  const auto real = fs::canonical(theme_dir, error);
  if (!(real.string() + '/').starts_with(site.string() + '/')) {
    diagnostics.error({"themes/" + name}, "the theme folder is a link that leads outside the site folder; copy the theme into themes/ instead");
    return std::nullopt;
  }
  // A hidden folder is never published, nor read as a source (.git, .env).
  if (!visible_path_in(real, site)) {
    diagnostics.error({"themes/" + name},
                      "the theme folder is a link to " + relative_path(real, site) +
                          ", a hidden folder, which is never published; move the theme to a folder whose name has no leading dot");
    return std::nullopt;
  }
  Theme theme;
  // The site's own files are read second so that they replace the theme's.
  for (const auto& base : {theme_dir, site_dir}) {
    read_templates(base / "templates", site_dir, diagnostics, theme.layouts_);
    read_templates(base / "partials", site_dir, diagnostics, theme.partials_);
  }
  std::map<std::string, fs::path> static_by_url;
  collect_static(theme_dir / "static", site_dir, diagnostics, static_by_url);
  collect_static(site_dir / "static", site_dir, diagnostics, static_by_url);
  for (auto& [url, source] : static_by_url) theme.static_files_.push_back({source, url});

  bool ok = true;
  for (const auto* group : {&theme.layouts_, &theme.partials_}) {
    for (const auto& [template_name, item] : *group) {
      kainjow::mustache::mustache parsed{item.text};
      if (parsed.is_valid()) continue;
      auto message = parsed.error_message();
      const auto where = locate_mustache_error(item.file, item.text, message);
      diagnostics.error(where, "template syntax: " + message);
      ok = false;
    }
  }
  if (theme.layouts_.empty()) {
    diagnostics.error({relative_path(theme_dir / "templates", site_dir)}, "the theme has no templates (expected files such as page.mustache)");
    ok = false;
  }
  if (!ok) return std::nullopt;
  auto compiled = std::make_shared<Compiled>();
  for (const auto& [partial_name, item] : theme.partials_) compiled->partials.emplace(partial_name, MustacheData{item.text});
  PartialExpander expander(theme.partials_, diagnostics);
  for (const auto& [layout_name, item] : theme.layouts_) {
    auto expanded = expander.expand_layout(item);
    if (!expanded) {
      ok = false;
      continue;
    }
    compiled->layouts.try_emplace(layout_name, std::move(*expanded));
  }
  if (!ok) return std::nullopt;
  std::string all_templates;
  for (const auto* group : {&theme.layouts_, &theme.partials_})
    for (const auto& [template_name, item] : *group) all_templates += template_name + '\0' + std::to_string(item.text.size()) + '\0' + item.text;
  theme.fingerprint_ = content_hash(all_templates);
  theme.compiled_ = std::move(compiled);
  theme.element_ids_ = element_ids_in(theme.layouts_, theme.partials_);
  return theme;
}

bool Theme::has_layout(std::string_view name) const { return layouts_.contains(name); }

SourceLocation Theme::locate_name(const Template& layout, std::string_view name) const {
  auto search = [&](const Template& item) -> std::optional<SourceLocation> {
    for (std::size_t at = item.text.find("{{"); at != std::string::npos; at = item.text.find("{{", at + 2)) {
      auto inner = std::string_view(item.text).substr(at + 2);
      inner.remove_prefix(std::min(inner.find_first_not_of("{#^&/> "), inner.size()));
      if (inner.starts_with(name) && inner.size() > name.size() && std::string_view(" }").find(inner[name.size()]) != std::string_view::npos) {
        const auto lc = line_column_at(item.text, at);
        return SourceLocation{item.file, lc.line, lc.column};
      }
    }
    return std::nullopt;
  };
  if (auto found = search(layout)) return *found;
  for (const auto& [partial_name, partial] : partials_)
    if (auto found = search(partial)) return *found;
  return {layout.file};
}

std::string Theme::render(std::string_view layout_name, const nlohmann::json& view, bool strict, Diagnostics& diagnostics,
                          const std::string& page) const {
  const auto layout = layouts_.find(layout_name);
  if (layout == layouts_.end()) {
    diagnostics.error({page}, "no layout \"" + std::string(layout_name) + "\" in the theme");
    return {};
  }
  const auto& layout_compiled = compiled_->layouts.at(layout->first);
  auto& [compiled, runs] = layout_compiled.parsed();
  if (!compiled.is_valid()) {  // the same for every page, so said once
    auto message = compiled.error_message();
    (void)take_offset(message);  // an offset into the layout rewritten, which no one has seen
    diagnostics.error({layout->second.file}, "with its partials written in, the layout is not a valid template: " + message);
    return {};
  }
  RecordingContext context(view, compiled_->partials, runs);
  std::string html;
  try {
    AppendTo sink{html};
    compiled.render(context, sink);
  } catch (const RecordingContext::TooDeep& too_deep) {
    const auto what = too_deep.sections ? "sections and partials nest more than " + std::to_string(RecordingContext::most_nesting) + " deep"
                                        : std::string("partials include each other more deeply than any page needs");
    diagnostics.error({layout->second.file}, "while rendering " + page + ": " + what +
                                                 "; a partial that includes itself must do so inside a section that ends, such as "
                                                 "{{#children}}, not one whose name is always found");
    return {};
  }
  if (!compiled.is_valid()) diagnostics.error({layout->second.file}, "while rendering " + page + ": " + compiled.error_message());
  for (const auto& partial : context.missing_partials)
    diagnostics.error(locate_name(layout->second, partial),
                      "missing partial \"" + partial + "\" (expected partials/" + partial + ".mustache), used while rendering " + page);
  if (strict)
    for (const auto& name : context.missing_names)
      diagnostics.error(locate_name(layout->second, name),
                        "the template uses \"" + name + "\", which the view of " + page + " does not have (see docs/themes.md)");
  return html;
}

}  // namespace plainsight
