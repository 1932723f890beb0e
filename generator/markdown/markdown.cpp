// The only file that includes cmark-gfm.
#include "markdown/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/hash.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace {

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IteratorDeleter {
  void operator()(cmark_iter* iterator) const { cmark_iter_free(iterator); }
};
struct CStringDeleter {
  void operator()(char* text) const { std::free(text); }
};

constexpr const char* extension_names[] = {"table", "strikethrough", "autolink", "tasklist"};

std::string plain_text(cmark_node* node) {
  std::string text;
  std::unique_ptr<cmark_iter, IteratorDeleter> iterator(cmark_iter_new(node));
  for (auto event = cmark_iter_next(iterator.get()); event != CMARK_EVENT_DONE; event = cmark_iter_next(iterator.get())) {
    if (event != CMARK_EVENT_ENTER) continue;
    auto* current = cmark_iter_get_node(iterator.get());
    switch (cmark_node_get_type(current)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        text += cmark_node_get_literal(current);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        text += ' ';
        break;
      default:
        break;
    }
  }
  return text;
}

int nearest_line(cmark_node* node) {
  for (; node; node = cmark_node_parent(node))
    if (const int line = cmark_node_get_start_line(node); line > 0) return line;
  return 0;
}

/// The HTML with each heading's id in its tag, the headings' tags found in document order: cmark
/// writes one <h1> to <h6> for each, and nothing else it writes starts so (text and attributes
/// have their < escaped). Raw HTML may: then there are more such tags than headings, and nullopt
/// says to find the headings' tags by their lines instead (place_heading_ids).
std::optional<std::string> place_heading_ids_in_order(const std::string& html, const std::vector<Heading>& headings) {
  std::string out;
  out.reserve(html.size() + 16 * headings.size());
  std::size_t from = 0, next = 0;
  for (auto at = html.find("<h"); at != std::string::npos; at = html.find("<h", at + 2)) {
    if (at + 3 >= html.size() || html[at + 2] < '1' || html[at + 2] > '6' || std::isalnum(static_cast<unsigned char>(html[at + 3]))) continue;
    if (next == headings.size()) return std::nullopt;
    out.append(html, from, at + 3 - from).append(" id=\"").append(escape_html(headings[next++].id)).append("\"");
    from = at + 3;
  }
  if (next != headings.size()) return std::nullopt;
  out.append(html, from, std::string::npos);
  return out;
}

/// cmark writes data-sourcepos="L:C-L:C" on block elements when asked to. We ask for it only when
/// raw HTML has heading tags of its own, to find each heading's tag: there it becomes the
/// heading's id, everywhere else it is removed.
std::string place_heading_ids(const std::string& html, const std::map<int, std::string>& id_by_line) {
  static constexpr std::string_view marker = " data-sourcepos=\"";
  std::string out;
  out.reserve(html.size());
  std::size_t from = 0;
  while (true) {
    const auto at = html.find(marker, from);
    if (at == std::string::npos) break;
    const auto end = html.find('"', at + marker.size());
    if (end == std::string::npos) break;
    out.append(html, from, at - from);
    const bool is_heading = at >= 3 && html[at - 3] == '<' && html[at - 2] == 'h' && html[at - 1] >= '1' && html[at - 1] <= '6';
    if (is_heading) {
      int line = 0;
      const auto* first = html.data() + at + marker.size();
      std::from_chars(first, html.data() + end, line);
      if (auto found = id_by_line.find(line); found != id_by_line.end()) out += " id=\"" + escape_html(found->second) + '"';
    }
    from = end + 1;
  }
  out.append(html, from, std::string::npos);
  return out;
}

/// cmark-gfm's task list checkboxes have no accessible name; give each one its state in words.
/// One pass that copies: replacing in place moved the rest of the page at every checkbox.
std::string name_task_checkboxes(const std::string& html) {
  static constexpr std::string_view start = "<input type=\"checkbox\" ";
  static constexpr std::pair<std::string_view, std::string_view> named[] = {
      {"<input type=\"checkbox\" checked=\"\" disabled=\"\" />", "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />"},
      {"<input type=\"checkbox\" disabled=\"\" />", "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />"}};
  std::string out;
  out.reserve(html.size());
  std::size_t copied = 0;
  for (auto at = html.find(start); at != std::string::npos; at = html.find(start, at + start.size())) {
    for (const auto& [tag, with_name] : named) {
      if (html.compare(at, tag.size(), tag) != 0) continue;
      out.append(html, copied, at - copied).append(with_name);
      copied = at + tag.size();
      break;
    }
  }
  return out.append(html, copied);
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/// An attribute value as a browser takes it for a URL: character references undone ("&#106;",
/// "&colon;"), the tabs and line breaks a URL parser skips taken out, in lower case.
std::string url_as_read(std::string_view value) {
  std::string plain;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '&' && i + 1 < value.size() && value[i + 1] == '#') {
      const bool hex = i + 2 < value.size() && (value[i + 2] == 'x' || value[i + 2] == 'X');
      std::size_t at = i + (hex ? 3 : 2);
      unsigned long code = 0;
      for (; at < value.size() && std::isxdigit(static_cast<unsigned char>(value[at])); ++at) {
        const auto digit =
            std::isdigit(static_cast<unsigned char>(value[at])) ? value[at] - '0' : std::tolower(static_cast<unsigned char>(value[at])) - 'a' + 10;
        if (!hex && digit > 9) break;
        code = std::min(code * (hex ? 16 : 10) + static_cast<unsigned long>(digit), 0x110000ul);
      }
      if (at > i + (hex ? 3 : 2)) {
        c = code < 0x80 ? static_cast<char>(code) : '?';  // beyond ASCII cannot spell a scheme
        i = at < value.size() && value[at] == ';' ? at : at - 1;
      }
    } else if (c == '&') {
      static constexpr std::pair<std::string_view, char> named[] = {{"&colon", ':'}, {"&tab", '\t'}, {"&newline", '\n'}};
      for (const auto& [name, stands_for] : named) {
        if (to_lower_ascii(value.substr(i, name.size())) != name) continue;
        c = stands_for;
        i += name.size() - (i + name.size() < value.size() && value[i + name.size()] == ';' ? 0 : 1);
        break;
      }
    }
    if (c != '\t' && c != '\n' && c != '\r') plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return plain;
}

/// Whether a value holds a URL that could run script or open a document of its own anywhere a
/// URL may start in it (srcset and ping hold lists, SVG animations values, style url(…)):
/// javascript:, vbscript:, file:, and data: other than the image types cmark-gfm allows.
bool has_dangerous_url(std::string_view value) {
  const auto plain = url_as_read(value);
  std::size_t start = 0;
  while (start < plain.size()) {
    const auto end = std::min(plain.find_first_of(",;(= \"'", start), plain.size());
    auto item = std::string_view(plain).substr(start, end - start);
    while (!item.empty() && static_cast<unsigned char>(item.front()) <= ' ') item.remove_prefix(1);
    for (const std::string_view scheme : {"javascript:", "vbscript:", "file:"})
      if (item.starts_with(scheme)) return true;
    if (item.starts_with("data:") && !item.starts_with("data:image/png") && !item.starts_with("data:image/gif") &&
        !item.starts_with("data:image/jpeg") && !item.starts_with("data:image/webp"))
      return true;
    start = end + 1;
  }
  return false;
}

/// Elements raw HTML may not open: those cmark-gfm's tagfilter escapes (read here as a browser
/// reads a tag name, so "<script/x>" counts too), and those that load other documents or code,
/// change where the page's links go, or (noscript) hide markup from this filter in their text.
bool is_refused_element(std::string_view name) {
  static constexpr std::string_view refused[] = {"script",   "style",     "iframe",   "textarea", "title", "xmp",    "noembed",
                                                 "noframes", "plaintext", "base",     "meta",     "link",  "object", "embed",
                                                 "applet",   "frame",     "frameset", "noscript", "portal"};
  return std::find(std::begin(refused), std::end(refused), to_lower_ascii(name)) != std::end(refused);
}

/// Attributes that hold text for people, never a URL: a word such as "data:" in them is harmless.
bool is_text_attribute(std::string_view name) {
  return name == "alt" || name == "title" || name == "placeholder" || name == "label" || name == "abbr" || name.starts_with("aria-");
}

/// A start or end tag read as the HTML tokenizer reads it, from just after "<" or "</": the
/// tag written again without the attributes that can run script, and where it ends. nullopt
/// when it does not end in this text.
struct ReadTag {
  std::string text;
  std::size_t end = 0;
};
std::optional<ReadTag> read_tag(std::string_view html, std::size_t at, bool is_end_tag) {
  const auto name_start = at;
  while (at < html.size() && !is_html_space(html[at]) && html[at] != '/' && html[at] != '>') ++at;
  ReadTag tag{std::string(is_end_tag ? "</" : "<").append(html.substr(name_start, at - name_start)), 0};
  while (at < html.size()) {
    if (is_html_space(html[at]) || html[at] == '/') {
      if (html[at] == '/' && !is_end_tag) tag.text += '/';
      ++at;
      continue;
    }
    if (html[at] == '>') return ReadTag{std::move(tag.text) + '>', at + 1};
    const auto attribute_start = at++;  // a name may start with '=' or a quote
    while (at < html.size() && !is_html_space(html[at]) && html[at] != '/' && html[at] != '>' && html[at] != '=') ++at;
    const auto name = to_lower_ascii(html.substr(attribute_start, at - attribute_start));
    auto after_name = at;
    while (after_name < html.size() && is_html_space(html[after_name])) ++after_name;
    std::string_view value;
    if (after_name < html.size() && html[after_name] == '=') {
      at = after_name + 1;
      while (at < html.size() && is_html_space(html[at])) ++at;
      if (at < html.size() && (html[at] == '"' || html[at] == '\'')) {
        const auto close = html.find(html[at], at + 1);
        if (close == std::string_view::npos) return std::nullopt;
        value = html.substr(at + 1, close - at - 1);
        at = close + 1;
      } else {
        const auto value_start = at;
        while (at < html.size() && !is_html_space(html[at]) && html[at] != '>') ++at;
        value = html.substr(value_start, at - value_start);
      }
    }
    // Event handlers; URLs that run script; an SVG animation that sets an event handler.
    const bool runs_script = name.starts_with("on") || (!is_text_attribute(name) && has_dangerous_url(value)) ||
                             (name == "attributename" && to_lower_ascii(trim(value)).starts_with("on"));
    if (!runs_script && !is_end_tag) tag.text.append(" ").append(html.substr(attribute_start, at - attribute_start));
  }
  return std::nullopt;
}

/// Raw HTML written in a page (with unsafe_html), with what can run script taken out: event
/// handler attributes (onerror, onload, …), attributes whose value holds a dangerous URL, the
/// opening of a refused element (written as text, as tagfilter does), and attributes of end
/// tags. Tags, comments and the like are read where the browser's tokenizer reads them, so
/// that nothing it takes for markup was taken here for text. One that does not end in this
/// text makes the rest of it text: it could otherwise take in the markup that follows.
std::string filter_raw_html(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  auto rest_as_text = [&](std::size_t from) {
    for (const char c : html.substr(from)) out += c == '<' ? std::string_view("&lt;") : std::string_view(&c, 1);
  };
  auto copy_through = [&](std::size_t open, std::size_t end) {
    out.append(html.substr(open, end - open));
    i = end;
  };
  while (i < html.size()) {
    const auto open = html.find('<', i);
    out.append(html.substr(i, std::min(open, html.size()) - i));
    if (open == std::string_view::npos) break;
    const auto after = html.substr(open + 1);
    const bool end_tag = after.starts_with('/');
    if (after.starts_with("!--")) {
      // A comment ends at "-->" or "--!>"; "<!-->" and "<!--->" are whole comments.
      if (after.starts_with("!-->"))
        copy_through(open, open + 5);
      else if (after.starts_with("!--->"))
        copy_through(open, open + 6);
      else {
        const auto end = std::min(html.find("-->", open + 4), html.find("--!>", open + 4));
        if (end == std::string_view::npos) {
          rest_as_text(open);
          break;
        }
        copy_through(open, end + (html.compare(end, 3, "-->") == 0 ? 3 : 4));
      }
    } else if (to_lower_ascii(after.substr(0, 8)) == "![cdata[") {
      out += "&lt;";  // a CDATA section ends at "]]>" in SVG and at ">" elsewhere: text is safe in both
      i = open + 1;
    } else if (after.starts_with('!') || after.starts_with('?') || (end_tag && after.size() > 1 && !is_ascii_letter(after[1]))) {
      const auto end = html.find('>', open);  // a bogus comment, or a declaration
      if (end == std::string_view::npos) {
        rest_as_text(open);
        break;
      }
      copy_through(open, end + 1);
    } else if (after.size() > (end_tag ? 1u : 0u) && is_ascii_letter(after[end_tag ? 1 : 0])) {
      const auto name_start = open + (end_tag ? 2 : 1);
      const auto name_end = std::min(html.find_first_of(" \t\n\r\f/>", name_start), html.size());
      if (is_refused_element(html.substr(name_start, name_end - name_start))) {
        out += "&lt;";
        i = open + 1;
        continue;
      }
      auto tag = read_tag(html, name_start, end_tag);
      if (!tag) {
        rest_as_text(open);
        break;
      }
      out += tag->text;
      i = tag->end;
    } else {
      out += '<';
      i = open + 1;
    }
  }
  return out;
}

}  // namespace

void prepare_markdown() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options) {
  prepare_markdown();
  RenderedMarkdown result;
  // The loader reports such a page as an error; anything else that gets here is shown as text.
  if (find_costly_markdown(markdown)) {
    result.html = "<pre>" + escape_html(markdown) + "</pre>\n";
    return result;
  }
  // Table alignment as style attributes: the align attribute is obsolete in HTML5.
  // With sourcepos, the parser also moves an inline's line and column past a code span or tag
  // that spans lines: the links' places in error messages.
  const int parse_options =
      CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES | (options.unsafe_html ? CMARK_OPT_UNSAFE : 0);
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(parse_options));
  for (const char* name : extension_names) cmark_parser_attach_syntax_extension(parser.get(), cmark_find_syntax_extension(name));
  if (options.unsafe_html) cmark_parser_attach_syntax_extension(parser.get(), cmark_find_syntax_extension("tagfilter"));
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));

  std::unordered_set<std::string> used_ids(options.reserved_ids.begin(), options.reserved_ids.end());
  std::unordered_map<std::string, int> next_number;  ///< per heading id, the first "-n" not yet tried
  std::map<int, std::string> id_by_line;
  std::string base = options.base_path;
  if (!base.empty() && base.back() == '/') base.pop_back();

  std::unique_ptr<cmark_iter, IteratorDeleter> iterator(cmark_iter_new(document.get()));
  for (auto event = cmark_iter_next(iterator.get()); event != CMARK_EVENT_DONE; event = cmark_iter_next(iterator.get())) {
    if (event != CMARK_EVENT_ENTER) continue;
    auto* node = cmark_iter_get_node(iterator.get());
    const auto type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HEADING) {
      Heading heading{cmark_node_get_heading_level(node), {}, std::string(trim(plain_text(node))), cmark_node_get_start_line(node)};
      const auto slug = slugify(heading.text);
      const auto base_id = slug.empty() ? std::string("section") : slug;
      heading.id = base_id;
      if (used_ids.contains(heading.id)) {
        // Numbers below next_number[base_id] are known to be taken (ids are never freed), so
        // each heading tries only new ones: 20,000 equal headings no longer try 2e8 ids.
        auto& n = next_number.try_emplace(base_id, 1).first->second;
        while (used_ids.contains(base_id + '-' + std::to_string(n))) ++n;
        heading.id = base_id + '-' + std::to_string(n++);
      }
      used_ids.insert(heading.id);
      id_by_line[heading.line] = heading.id;
      result.headings.push_back(std::move(heading));
    } else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      std::string url = cmark_node_get_url(node);
      result.links.push_back({url, nearest_line(node), std::max(1, cmark_node_get_start_column(node))});
      // cmark-gfm drops such URLs itself, except with CMARK_OPT_UNSAFE.
      if (options.unsafe_html && has_dangerous_url(url))
        cmark_node_set_url(node, "");
      else if (url.starts_with('/') && !url.starts_with("//") && !base.empty())
        cmark_node_set_url(node, (base + url).c_str());
    } else if (options.unsafe_html && (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE)) {
      if (const char* literal = cmark_node_get_literal(node)) cmark_node_set_literal(node, filter_raw_html(literal).c_str());
    } else if (type == CMARK_NODE_PARAGRAPH && result.summary.empty() && cmark_node_parent(node) == document.get()) {
      result.summary = shorten_text(plain_text(node), summary_length);
    }
  }

  auto render = [&](int render_options) {
    std::unique_ptr<char, CStringDeleter> html(cmark_render_html(document.get(), render_options, cmark_parser_get_syntax_extensions(parser.get())));
    return std::string(html.get());
  };
  // Without data-sourcepos on every block: cmark writes each with snprintf, and they are removed.
  auto with_ids = place_heading_ids_in_order(render(parse_options & ~CMARK_OPT_SOURCEPOS), result.headings);
  if (!with_ids) with_ids = place_heading_ids(render(parse_options), id_by_line);
  auto named = name_task_checkboxes(*with_ids);
  // cmark-gfm passes control characters through, which XML and HTML forbid. Most pages have
  // none, and keep their HTML as it is: every page's is held until the pages are rendered.
  result.html = find_forbidden_character(named) == std::string_view::npos ? std::move(named) : replace_forbidden_characters(named);
  return result;
}

namespace {

void write_rendered(ByteWriter& out, const RenderedMarkdown& rendered) {
  out.text(rendered.html);
  out.text(rendered.summary);
  out.number(rendered.headings.size());
  for (const auto& heading : rendered.headings) {
    out.number(static_cast<std::uint64_t>(heading.level));
    out.text(heading.id);
    out.text(heading.text);
    out.number(static_cast<std::uint64_t>(heading.line));
  }
  out.number(rendered.links.size());
  for (const auto& link : rendered.links) {
    out.text(link.url);
    out.number(static_cast<std::uint64_t>(link.line));
    out.number(static_cast<std::uint64_t>(link.column));
  }
}

std::optional<RenderedMarkdown> read_rendered(std::string_view bytes) {
  ByteReader in(bytes);
  RenderedMarkdown rendered;
  rendered.html = in.text();
  rendered.summary = in.text();
  for (auto count = in.number(); count > 0 && !in.failed(); --count) {
    Heading heading;
    heading.level = static_cast<int>(in.number());
    heading.id = in.text();
    heading.text = in.text();
    heading.line = static_cast<int>(in.number());
    rendered.headings.push_back(std::move(heading));
  }
  for (auto count = in.number(); count > 0 && !in.failed(); --count) {
    MarkdownLink link;
    link.url = in.text();
    link.line = static_cast<int>(in.number());
    link.column = static_cast<int>(in.number());
    rendered.links.push_back(std::move(link));
  }
  if (!in.done()) return std::nullopt;
  return rendered;
}

/// What the cache keeps a text's HTML under: the options and the text's hash.
std::uint64_t rendered_key(std::uint64_t text_hash, const MarkdownOptions& options) {
  ContentHasher hasher;
  hasher.add("markdown\n");
  hasher.add_number(options.unsafe_html);
  hasher.add_number(options.base_path.size());
  hasher.add(options.base_path);
  hasher.add_number(options.reserved_ids.size());
  for (const auto& id : options.reserved_ids) {
    hasher.add_number(id.size());
    hasher.add(id);
  }
  hasher.add_number(text_hash);
  return hasher.digest();
}

}  // namespace

std::optional<RenderedMarkdown> find_rendered_markdown(std::uint64_t text_hash, const MarkdownOptions& options, const ResultCache& cache) {
  if (const auto kept = cache.find(rendered_key(text_hash, options))) return read_rendered(*kept);
  return std::nullopt;
}

RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options, ResultCache& cache) {
  const auto text_hash = content_hash(markdown);
  if (auto kept = find_rendered_markdown(text_hash, options, cache)) return std::move(*kept);
  auto rendered = render_markdown(markdown, options);
  ByteWriter out;
  write_rendered(out, rendered);
  cache.put(rendered_key(text_hash, options), std::move(out.bytes()));
  return rendered;
}

}  // namespace plainsight
