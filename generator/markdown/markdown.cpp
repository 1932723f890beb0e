// The only file that includes cmark-gfm.
#include "markdown/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>

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
      case CMARK_NODE_CODE: text += cmark_node_get_literal(current); break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK: text += ' '; break;
      default: break;
    }
  }
  return text;
}

int nearest_line(cmark_node* node) {
  for (; node; node = cmark_node_parent(node))
    if (const int line = cmark_node_get_start_line(node); line > 0) return line;
  return 0;
}

/// cmark writes data-sourcepos="L:C-L:C" on block elements. We ask for it only to find each
/// heading's tag: there it becomes the heading's id, everywhere else it is removed.
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
std::string name_task_checkboxes(std::string html) {
  static constexpr std::string_view checked = "<input type=\"checkbox\" checked=\"\" disabled=\"\" />";
  static constexpr std::string_view unchecked = "<input type=\"checkbox\" disabled=\"\" />";
  for (const auto& [tag, name] : {std::pair{checked, "Done"}, std::pair{unchecked, "Not done"}}) {
    const std::string named = std::string(tag.substr(0, tag.size() - 2)) + "aria-label=\"" + name + "\" />";
    for (auto at = html.find(tag); at != std::string::npos; at = html.find(tag, at + named.size())) html.replace(at, tag.size(), named);
  }
  return html;
}

}  // namespace

void prepare_markdown() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options) {
  prepare_markdown();
  // Table alignment as style attributes: the align attribute is obsolete in HTML5.
  const int parse_options = CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES |
                            (options.unsafe_html ? CMARK_OPT_UNSAFE : 0);
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(parse_options));
  for (const char* name : extension_names) cmark_parser_attach_syntax_extension(parser.get(), cmark_find_syntax_extension(name));
  if (options.unsafe_html) cmark_parser_attach_syntax_extension(parser.get(), cmark_find_syntax_extension("tagfilter"));
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));

  RenderedMarkdown result;
  std::set<std::string> used_ids(options.reserved_ids.begin(), options.reserved_ids.end());
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
      heading.id = slug.empty() ? "section" : slug;
      for (int n = 1; used_ids.contains(heading.id); ++n) heading.id = (slug.empty() ? "section" : slug) + '-' + std::to_string(n);
      used_ids.insert(heading.id);
      id_by_line[heading.line] = heading.id;
      result.headings.push_back(std::move(heading));
    } else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
      std::string url = cmark_node_get_url(node);
      result.links.push_back({url, nearest_line(node), std::max(1, cmark_node_get_start_column(node))});
      if (url.starts_with('/') && !url.starts_with("//") && !base.empty()) cmark_node_set_url(node, (base + url).c_str());
    } else if (type == CMARK_NODE_PARAGRAPH && result.first_paragraph.empty() && cmark_node_parent(node) == document.get()) {
      result.first_paragraph = std::string(trim(plain_text(node)));
    }
  }

  std::unique_ptr<char, CStringDeleter> html(
      cmark_render_html(document.get(), parse_options, cmark_parser_get_syntax_extensions(parser.get())));
  // cmark-gfm passes control characters through, which XML and HTML forbid.
  result.html = replace_forbidden_characters(name_task_checkboxes(place_heading_ids(html.get(), id_by_line)));
  return result;
}

}  // namespace plainsight
