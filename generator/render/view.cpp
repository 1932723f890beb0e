#include "render/view.hpp"

#include <charconv>
#include <cstdlib>

#include "core/text.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

constexpr std::size_t recent_news_count = 5;

const char* kind_name(PageKind kind) {
  switch (kind) {
    case PageKind::home:
      return "home";
    case PageKind::section:
      return "section";
    default:
      return "page";
  }
}

void add_date(json& into, const char* key, const std::optional<DateTime>& date) {
  into[std::string("has_") + key] = date.has_value();
  into[key] = date ? format_date_long(*date) : "";
  into[std::string(key) + "_iso"] = date ? format_date_iso(*date) : "";
}

json page_card(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, std::size_t index) {
  const auto& page = model.pages[index];
  json card = {{"title", page.meta.title}, {"url", site_url(model.config, page.url)}};
  card["summary"] = page_summary(page, markdown[index]);
  card["has_summary"] = !card["summary"].get<std::string>().empty();
  add_date(card, "date", page.meta.date);
  return card;
}

json table_of_contents(const RenderedMarkdown& markdown) {
  json toc = json::array();
  for (const auto& heading : markdown.headings) {
    json entry = {{"id", heading.id}, {"title", heading.text}, {"has_children", false}, {"children", json::array()}};
    if (heading.level == 2 || toc.empty()) {
      if (heading.level <= 3) toc.push_back(std::move(entry));
    } else if (heading.level == 3) {
      toc.back()["children"].push_back(std::move(entry));
      toc.back()["has_children"] = true;
    }
  }
  return toc;
}

json breadcrumbs(const SiteModel& model, const Page& page) {
  json trail = json::array();
  for (auto url = page.parent_url; !url.empty();) {
    const auto index = find_page(model, url);
    if (index == std::string::npos) break;
    trail.insert(trail.begin(), json{{"title", model.pages[index].meta.title}, {"url", site_url(model.config, url)}});
    url = model.pages[index].parent_url;
  }
  return trail;
}

/// Links to the first, the last, the current page and its neighbours, with a gap for the
/// numbers between: every number on each of a thousand pages would be a million links.
json pagination(const SiteModel& model, const Page& page, const ListSlice& list) {
  json numbers = json::array();
  auto shown = [&](int n) { return n == 1 || n == list.total || std::abs(n - list.current) <= 1; };
  for (int n = 1; n <= list.total; ++n) {
    // A gap of one number shows the number: "…" would hide no fewer links.
    if (shown(n) || (n > 1 && n < list.total && shown(n - 1) && shown(n + 1))) {
      numbers.push_back({{"number", std::to_string(n)},
                         {"url", site_url(model.config, paginated_url(page.url, n))},
                         {"current", n == list.current},
                         {"is_gap", false}});
    } else if (!numbers.empty() && !numbers.back()["is_gap"].get<bool>()) {
      numbers.push_back({{"number", ""}, {"url", ""}, {"current", false}, {"is_gap", true}});
    }
  }
  return {{"current", std::to_string(list.current)},
          {"total", std::to_string(list.total)},
          {"has_prev", list.current > 1},
          {"prev_url", list.current > 1 ? site_url(model.config, paginated_url(page.url, list.current - 1)) : ""},
          {"has_next", list.current < list.total},
          {"next_url", list.current < list.total ? site_url(model.config, paginated_url(page.url, list.current + 1)) : ""},
          {"numbers", std::move(numbers)}};
}

json menu_items(const SiteModel& model) {
  json menu = json::array();
  std::vector<std::string> urls;
  for (const auto& item : model.config.menu) {
    urls.push_back(item.url);
    menu.push_back({{"title", item.title}, {"path", item.url}});
  }
  std::vector<std::size_t> from_pages;
  for (std::size_t i = 0; i < model.pages.size(); ++i)
    if (model.pages[i].meta.menu == "main" && std::find(urls.begin(), urls.end(), model.pages[i].url) == urls.end()) from_pages.push_back(i);
  std::stable_sort(from_pages.begin(), from_pages.end(), [&](auto a, auto b) { return comes_before(model.pages[a], model.pages[b]); });
  for (auto i : from_pages) menu.push_back({{"title", model.pages[i].meta.title}, {"path", model.pages[i].url}});
  for (auto& item : menu) item["url"] = site_url(model.config, item["path"].get<std::string>());
  return menu;
}

json page_base(const json& site_view, const std::string& path) {
  json view = site_view;
  auto& menu = view["site"]["menu"];
  // The deepest menu entry that contains the page is the current one.
  std::size_t best = 0, best_length = 0;
  for (std::size_t i = 0; i < menu.size(); ++i) {
    const auto item_path = menu[i]["path"].get<std::string>();
    const bool contains = item_path == path || (item_path != "/" && item_path.ends_with('/') && path.starts_with(item_path));
    if (contains && item_path.size() > best_length) best = i, best_length = item_path.size();
  }
  for (std::size_t i = 0; i < menu.size(); ++i) {
    menu[i]["current"] = best_length > 0 && i == best;
    menu[i].erase("path");
  }
  return view;
}

}  // namespace

std::string site_url(const SiteConfig& config, std::string_view path) {
  if (!path.starts_with('/')) return std::string(path);
  return config.base_path + std::string(path.substr(1));
}

std::string permalink(const SiteConfig& config, std::string_view path) {
  return config.base_url + std::string(path.starts_with('/') ? path.substr(1) : path);
}

std::string paginated_url(const std::string& list_url, int number) {
  return number <= 1 ? list_url : list_url + "page/" + std::to_string(number) + "/";
}

json department_links(const SiteModel& model, std::string_view names) {
  json links = json::array();
  auto add = [&](std::string_view name, const std::string& path) {
    links.push_back({{"name", std::string(name)}, {"url", path.empty() ? "" : site_url(model.config, path)}, {"has_url", !path.empty()}});
  };
  if (model.departments.empty() || names_no_department(names)) {
    if (!trim(names).empty()) add(trim(names), "");
  } else if (names_all_departments(names)) {
    add(trim(names), model.departments_url);
  } else {
    for (const auto& part : model.department_names.parts(names))
      add(part.name, part.department ? model.departments[part.department->department].url : "");
  }
  for (std::size_t i = 0; i < links.size(); ++i) links[i]["last"] = i + 1 == links.size();
  return links;
}

std::string snippet_html(SnippetMarkdown snippets, const MarkdownText& text) {
  return text.snippet < snippets.size() ? snippets[text.snippet].html : std::string();
}

std::string page_summary(const Page& page, const RenderedMarkdown& markdown) {
  if (!page.meta.summary.empty()) return page.meta.summary;
  return markdown.summary;
}

json make_site_view(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown) {
  const auto& config = model.config;
  json site = {{"title", config.title},
               {"council", config.council},
               {"description", config.description},
               {"language", config.language},
               {"base_url", config.base_url},
               {"home_url", site_url(config, "/")},
               {"search_url", site_url(config, "/search/")},
               {"has_search", find_page(model, "/search/") != std::string::npos},
               {"search_index_url", site_url(config, "/search/index/")},
               {"search_script_url", site_url(config, "/js/search.js")},
               {"sitemap_url", site_url(config, "/sitemap/")},
               {"has_sitemap", find_page(model, "/sitemap/") != std::string::npos},
               {"feed_url", site_url(config, "/feed.xml")},
               {"data_url", site_url(config, "/data/")},
               {"accessibility_url", site_url(config, "/accessibility/")},
               {"has_accessibility_statement", find_page(model, "/accessibility/") != std::string::npos},
               {"has_council", !config.council.empty()},
               {"css_url", site_url(config, "/css/site.css")},
               {"licence", config.licence},
               {"licence_url", config.licence_url},
               {"menu", menu_items(model)}};
  json recent = json::array();
  for (auto index : children_of(model, "/news/")) {
    if (recent.size() == recent_news_count) break;
    if (model.pages[index].kind == PageKind::page) recent.push_back(page_card(model, markdown, index));
  }
  return {{"site", std::move(site)}, {"has_recent_news", !recent.empty()}, {"recent_news", std::move(recent)}};
}

json make_page_view(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown, const json& site_view, std::size_t index,
                    const ListSlice& list) {
  const auto& page = model.pages[index];
  const auto& rendered = markdown[index];
  const auto path = paginated_url(page.url, list.current);
  auto view = page_base(site_view, page.url);

  json out;
  out["title"] = page.meta.title;
  out["url"] = site_url(model.config, path);
  out["permalink"] = permalink(model.config, path);
  out["summary"] = page_summary(page, rendered);
  out["source"] = page.meta.source;
  out["has_source"] = !page.meta.source.empty();
  out["jsonld"] = "";  // schema.org metadata, filled in by the build for pages whose data is published
  out["has_jsonld"] = false;
  out["alternates"] = json::array();  // feeds and other versions of the page, filled in by the build
  out["has_summary"] = !out["summary"].get<std::string>().empty();
  out["description"] = out["summary"].get<std::string>().empty() ? model.config.description : out["summary"].get<std::string>();
  out["content"] = rendered.html;
  out["kind"] = kind_name(page.kind);
  out["is_home"] = page.kind == PageKind::home;
  out["is_section"] = page.kind == PageKind::section;
  out["is_page"] = page.kind == PageKind::page;
  out["is_404"] = false;
  out["section"] = page.section;
  out["type"] = page.meta.type;
  out["layout"] = page.meta.layout;
  add_date(out, "date", page.meta.date);
  add_date(out, "updated", page.meta.updated);
  auto toc = table_of_contents(rendered);
  std::size_t entries = toc.size();
  for (const auto& entry : toc) entries += entry["children"].size();
  out["has_toc"] = page.meta.toc.value_or(true) && entries >= 2;
  out["toc"] = out["has_toc"].get<bool>() ? std::move(toc) : json::array();
  out["breadcrumbs"] = breadcrumbs(model, page);
  out["has_breadcrumbs"] = !out["breadcrumbs"].empty();
  out["tags"] = json::array();
  for (const auto& tag : page.meta.tags) out["tags"].push_back({{"name", tag}});
  out["has_tags"] = !page.meta.tags.empty();
  out["params"] = page.meta.params;
  out["pages"] = json::array();
  for (auto child : list.items) out["pages"].push_back(page_card(model, markdown, child));
  out["has_pages"] = !list.items.empty();
  out["has_pagination"] = list.total > 1;
  out["pagination"] = pagination(model, page, list);
  view["page"] = std::move(out);
  return view;
}

namespace {

/// How many bytes hash_json gathers before giving them to the hasher.
constexpr std::size_t hash_buffer_bytes = 1 << 16;

/// The bytes hash_json hashes, written out and given to the hasher some 64 KB at a time, not a
/// few bytes at a time: each call to it costs more than the few bytes it would be given.
void append_for_hash(const json& value, std::string& bytes, ContentHasher& hasher) {
  if (bytes.size() >= hash_buffer_bytes) {
    hasher.add(bytes);
    bytes.clear();
  }
  using Type = json::value_t;
  auto add_number = [&](std::uint64_t number) {
    for (int i = 0; i < 8; ++i, number >>= 8) bytes += static_cast<char>(number & 0xFF);  // as ContentHasher::add_number
  };
  auto add_text = [&](std::string_view text) {
    add_number(text.size());
    if (text.size() < hash_buffer_bytes) {
      bytes += text;
      return;
    }
    hasher.add(bytes);  // a long text goes to the hasher as it is, not through the buffer
    bytes.clear();
    hasher.add(text);
  };
  switch (value.type()) {
    case Type::object:
      bytes += '{';
      add_number(value.size());
      for (const auto& [key, item] : value.items()) {
        add_text(key);
        append_for_hash(item, bytes, hasher);
      }
      break;
    case Type::array:
      bytes += '[';
      add_number(value.size());
      for (const auto& item : value) append_for_hash(item, bytes, hasher);
      break;
    case Type::string:
      bytes += '"';
      add_text(value.get_ref<const std::string&>());
      break;
    case Type::number_integer:
    case Type::number_unsigned: {
      char digits[24];  // what dump() writes of them
      const auto end = value.is_number_unsigned() ? std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>()).ptr
                                                  : std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>()).ptr;
      bytes += '#';
      add_text(std::string_view(digits, static_cast<std::size_t>(end - digits)));
      break;
    }
    default:  // other numbers, true, false, null: short, and dump() cannot fail on them
      bytes += '#';
      add_text(value.dump());
  }
}

}  // namespace

void hash_json(const json& value, ContentHasher& hasher) {
  thread_local std::string bytes;
  bytes.clear();
  append_for_hash(value, bytes, hasher);
  hasher.add(bytes);
}

std::uint64_t markdown_key(const RenderedMarkdown& markdown) {
  ContentHasher hasher;
  auto add_text = [&](std::string_view text) {
    hasher.add_number(text.size());
    hasher.add(text);
  };
  add_text(markdown.html);
  add_text(markdown.summary);
  hasher.add_number(markdown.headings.size());
  for (const auto& heading : markdown.headings) {
    hasher.add_number(static_cast<std::uint64_t>(heading.level));
    add_text(heading.id);
    add_text(heading.text);
  }
  return hasher.digest();
}

std::uint64_t page_view_key(const SiteModel& model, const std::vector<std::uint64_t>& markdown_keys, std::uint64_t site_view_key, std::size_t index,
                            const ListSlice& list) {
  const auto& page = model.pages[index];
  ContentHasher hasher;
  auto text = [&](std::string_view value) {
    hasher.add_number(value.size());
    hasher.add(value);
  };
  auto date = [&](const std::optional<DateTime>& value) {
    hasher.add_number(value.has_value());
    if (!value) return;
    for (const int part :
         {value->year, value->month, value->day, int{value->has_time}, value->hour, value->minute, value->second, value->offset_minutes})
      hasher.add_number(static_cast<std::uint64_t>(static_cast<std::int64_t>(part)));
  };
  hasher.add_number(site_view_key);
  for (const auto* setting : {&model.config.base_path, &model.config.base_url, &model.config.description}) text(*setting);
  text(page.url);
  hasher.add_number(static_cast<std::uint64_t>(list.current));
  hasher.add_number(static_cast<std::uint64_t>(list.total));
  hasher.add_number(static_cast<std::uint64_t>(page.kind));
  text(page.section);
  for (const auto* field : {&page.meta.title, &page.meta.summary, &page.meta.source, &page.meta.type, &page.meta.layout}) text(*field);
  date(page.meta.date);
  date(page.meta.updated);
  hasher.add_number(page.meta.toc ? 1 + *page.meta.toc : 0);
  hasher.add_number(page.meta.tags.size());
  for (const auto& tag : page.meta.tags) text(tag);
  hash_json(page.meta.params, hasher);
  hasher.add_number(markdown_keys[index]);
  std::vector<std::size_t> trail;  // the breadcrumbs, as breadcrumbs() finds them
  for (auto url = page.parent_url; !url.empty();) {
    const auto parent = find_page(model, url);
    if (parent == std::string::npos) break;
    trail.push_back(parent);
    url = model.pages[parent].parent_url;
  }
  hasher.add_number(trail.size());
  for (const auto parent : trail) {
    text(model.pages[parent].meta.title);
    text(model.pages[parent].url);
  }
  hasher.add_number(list.items.size());
  for (const auto child : list.items) {  // as page_card() shows them
    const auto& card = model.pages[child];
    text(card.meta.title);
    text(card.url);
    text(card.meta.summary);
    hasher.add_number(markdown_keys[child]);
    date(card.meta.date);
  }
  return hasher.digest();
}

json make_not_found_view(const SiteModel& model, const json& site_view) {
  auto view = page_base(site_view, "/404.html");
  const std::string title = "Page not found";
  view["page"] = {{"title", title},
                  {"url", site_url(model.config, "/404.html")},
                  {"permalink", permalink(model.config, "/404.html")},
                  {"summary", ""},
                  {"has_summary", false},
                  {"source", ""},
                  {"has_source", false},
                  {"jsonld", ""},
                  {"has_jsonld", false},
                  {"alternates", json::array()},
                  {"description", model.config.description},
                  {"content", ""},
                  {"kind", "404"},
                  {"is_home", false},
                  {"is_section", false},
                  {"is_page", false},
                  {"is_404", true},
                  {"section", ""},
                  {"type", ""},
                  {"layout", "404"},
                  {"has_toc", false},
                  {"toc", json::array()},
                  {"has_breadcrumbs", false},
                  {"breadcrumbs", json::array()},
                  {"has_tags", false},
                  {"tags", json::array()},
                  {"params", json::object()},
                  {"has_pages", false},
                  {"pages", json::array()},
                  {"has_pagination", false},
                  {"pagination", pagination(model, Page{}, ListSlice{})}};
  add_date(view["page"], "date", std::nullopt);
  add_date(view["page"], "updated", std::nullopt);
  return view;
}

std::string choose_layout(const Page& page, const Theme& theme, const std::vector<std::string_view>& data_layouts) {
  if (!page.meta.layout.empty()) return theme.has_layout(page.meta.layout) ? page.meta.layout : "";
  if (!page.meta.type.empty() && theme.has_layout(page.meta.type)) return page.meta.type;
  if (!page.section.empty()) {
    const auto name = page.kind == PageKind::page ? page.section : page.section + "-list";
    // A folder named like a data type's layout ("departments") does not give its plain pages that layout.
    const bool reserved = std::find(data_layouts.begin(), data_layouts.end(), name) != data_layouts.end();
    if (theme.has_layout(name) && !reserved) return name;
  }
  switch (page.kind) {
    case PageKind::home:
      return "home";
    case PageKind::section:
      return "list";
    default:
      return "page";
  }
}

}  // namespace plainsight
