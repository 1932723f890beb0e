// Departments (docs/departments.md): a page with type: department keeps its names, director and
// divisions in front matter; everything else that names it is found through those names. The
// section page of departments, with the same type, lists them all.
#include <fmt/format.h>

#include "content/loader.hpp"
#include "content/references.hpp"
#include "core/text.hpp"
#include "render/department_view.hpp"
#include "render/finance_view.hpp"
#include "render/plan_view.hpp"
#include "render/view.hpp"
#include "types/data_type.hpp"

namespace plainsight {
namespace {

enum Part { one_department = 0, all_departments = 1 };

const std::vector<std::string> department_keys = {"short_names", "other_names", "director", "director_title", "divisions", "staff", "budget_in_text"};

class DepartmentReader {
 public:
  DepartmentReader(DataLoadContext& context, const Page& page) : context_(context), page_(page) {}

  std::vector<std::string> list(const std::string& key) {
    std::vector<std::string> items;
    const auto found = page_.meta.fields.find(key);
    if (found == page_.meta.fields.end() || found->is_null()) return items;
    if (found->is_string()) {
      if (!trim(found->get<std::string>()).empty()) items.emplace_back(trim(found->get<std::string>()));
      return items;
    }
    if (!found->is_array()) return error(key, "\"" + key + "\" must be a list of names, such as [CCP]"), items;
    for (const auto& item : *found) {
      if (item.is_string() && !trim(item.get<std::string>()).empty())
        items.emplace_back(trim(item.get<std::string>()));
      else
        error(key, "each of \"" + key + "\" must be text, found " + item.dump());
    }
    return items;
  }

  std::string text(const std::string& key) {
    const auto found = page_.meta.fields.find(key);
    if (found == page_.meta.fields.end() || found->is_null()) return {};
    if (found->is_string()) return std::string(trim(found->get<std::string>()));
    error(key, "\"" + key + "\" must be text");
    return {};
  }

 private:
  void error(const std::string& key, std::string message) {
    const auto where = page_.meta.locations.find(key);
    context_.diagnostics.error(where == page_.meta.locations.end() ? SourceLocation{page_.file} : where->second, std::move(message));
  }

  DataLoadContext& context_;
  const Page& page_;
};

void load(DataLoadContext& context, std::size_t page_index, DataFile&) {
  auto& model = context.model;
  auto& page = model.pages[page_index];
  if (page.kind == PageKind::home) {
    context.diagnostics.error({page.file, 1, 1},
                              "the home page cannot be a department (type: department is for content/departments/<name>/index.md, "
                              "and for the section page that lists them)");
    return;
  }
  if (page.kind == PageKind::section) {  // the list of departments
    page.data = DataRef{"department", 0, all_departments};
    model.departments_url = page.url;
    if (page.meta.layout.empty()) page.meta.layout = "departments";
    return;
  }
  DepartmentReader read(context, page);
  Department department;
  department.url = page.url;
  auto path = page.url;
  while (!path.empty() && path.back() == '/') path.pop_back();
  department.slug = path.substr(path.rfind('/') + 1);  // the folder: "/departments/ccp/" → "ccp"
  department.title = page.meta.title;
  department.short_names = read.list("short_names");
  department.other_names = read.list("other_names");
  department.divisions = read.list("divisions");
  department.budget_in_text = read.list("budget_in_text");
  department.director = read.text("director");
  department.director_title = read.text("director_title");
  department.staff = read.text("staff");
  department.source = page.meta.source;
  department.where = {page.file, 1, 1};
  page.data = DataRef{"department", model.departments.size(), one_department};
  model.departments.push_back(std::move(department));
}

void check_page(DataLoadContext& context, const Page& page) {
  if (page.kind != PageKind::section && trim(page.meta.title).empty())
    context.diagnostics.error({page.file, 1, 1}, "a department needs a title: its full name, as the council's documents give it");
}

void search(const SiteModel& model, const DataRef& data, SearchDocument document, std::vector<SearchDocument>& documents) {
  if (data.part == all_departments) {
    documents.push_back(std::move(document));
    return;
  }
  const auto& department = model.departments[data.index];
  document.type = "Department";
  document.facets = {{"department", department.title}};
  document.text +=
      ". " + join_nonempty({fmt::format("{}", fmt::join(department.short_names, ". ")), fmt::format("{}", fmt::join(department.other_names, ". ")),
                            department.director, department.director_title, fmt::format("{}", fmt::join(department.divisions, ". "))},
                           ". ");
  document.detail = department.director.empty() ? "" : "Director: " + department.director;
  const auto url = document.url;
  documents.push_back(std::move(document));
  // Each key risk of its service plans is found on its own.
  for (const auto* plan : facts_of_department(model, data.index).service_plans)
    for (const auto& risk : plan->risks) {
      if (!risk.none.empty()) continue;
      SearchDocument found{risk.title.empty() ? shorten_text(risk.text.text, 80) : risk.title,
                           url + "#" + plan_element_prefix(*plan) + risk_element_id(risk),
                           "Risk",
                           shorten_text(risk.text.text, search_excerpt_length),
                           "Threatens: " + plan->priority_title(risk.priority),
                           join_nonempty({risk.text.text, risk.mitigations.text, plan->priority_title(risk.priority)}, ". "),
                           {{"department", department.title}, {"plan", plan->title}, {"priority", plan->priority_title(risk.priority)}}};
      documents.push_back(std::move(found));
    }
}

}  // namespace

DataType department_data_type() {
  return {
      .loader = {.type = "department",
                 .files = {},
                 .guide = "docs/departments.md",
                 .front_matter_keys = department_keys,
                 .check_page = check_page,
                 .read = {},
                 .load = load},
      .layouts = {"department", "departments"},
      .view_name = "department",
      .view =
          [](const SiteModel& model, SnippetMarkdown markdown, const DataRef& data) {
            return data.part == all_departments ? make_departments_view(model) : make_department_view(model, markdown, data.index);
          },
      .element_ids =
          [](const SiteModel& model, const DataRef& data) {
            std::vector<std::string> ids;
            if (data.part == all_departments) return ids;
            for (const auto* plan : facts_of_department(model, data.index).service_plans) {
              const auto prefix = plan_element_prefix(*plan);
              for (const char* part : {"plan", "actions", "measures", "risks"}) ids.push_back(prefix + part);
              for (const auto& risk : plan->risks) ids.push_back(prefix + risk_element_id(risk));
              for (const auto& m : plan->measures) ids.push_back(prefix + "chart-" + m.id);
            }
            return ids;
          },
      .open_data = [](const SiteModel& model, std::vector<Dataset>& datasets) { export_departments(model, datasets); },
      .page_files =
          [](const SiteModel& model, const Page& page, const DataRef& data, std::map<std::string, PageFile>& files) {
            if (data.part == all_departments) return;
            const auto& department = model.departments[data.index];
            const auto facts = facts_of_department(model, data.index);
            const auto name = join_nonempty({model.config.council, department.title + " contracts"}, ": ");
            if (const auto calendar = contracts_calendar(model, name, facts.contracts); !calendar.events.empty())
              files[contracts_calendar_path(page.url)] = {icalendar(calendar), "", ""};
            // Its service plans' reports, newest first.
            AtomFeed feed{.url = permalink(model.config, page.url + "feed.xml"),
                          .title = department.title + ": service plan reports",
                          .subtitle = "Each period's report of the department's service plans: how many are rated how, and what changed.",
                          .language = model.config.language,
                          .base_url = model.config.base_url,
                          .author = model.config.council.empty() ? model.config.title : model.config.council,
                          .page_url = permalink(model.config, page.url),
                          .entries = {}};
            for (const auto* plan : facts.service_plans)
              for (auto& entry : plan_feed_entries(model, *plan)) feed.entries.push_back(std::move(entry));
            std::stable_sort(feed.entries.begin(), feed.entries.end(),
                             [](const AtomEntry& a, const AtomEntry& b) { return to_utc_minutes(a.updated) > to_utc_minutes(b.updated); });
            if (!feed.entries.empty())
              files[output_path_for(page.url + "feed.xml")] = {atom(feed), "application/atom+xml", department.title + ": service plan reports"};
          },
      .search = search,
      .facets = {{"department", "Department"}},
  };
}

}  // namespace plainsight
