// Procurement pipelines (docs/pipeline.md): a page with type: pipeline reads pipeline.csv or
// pipeline.json, the departments' forward plans of procurement.
#include <fmt/format.h>

#include <cctype>

#include "core/format.hpp"
#include "core/text.hpp"
#include "render/finance_view.hpp"
#include "types/data_type.hpp"

namespace plainsight {
namespace {

/// Open data gives the day the forward plan was published as its publication date.
void check_page(DataLoadContext& context, const Page& page) {
  if (!page.meta.date && !page.meta.updated)
    context.diagnostics.error(
        {page.file, 1, 1},
        "a page with type: pipeline needs a date: the day the forward plan was published (open data gives it as the publication date)");
}

void read(const SiteModel& model, const Page&, DataFile& file, Diagnostics& diagnostics) {
  auto settings = model.procurement;
  settings.department_aliases = model.config.department_aliases;
  if (auto pipeline = load_pipeline(file.text, file.is_json, file.path, settings, diagnostics)) file.contents = std::move(*pipeline);
  std::string().swap(file.text);  // load needs only the pipeline, and every file is read before any is loaded
}

void load(DataLoadContext& context, std::size_t page_index, DataFile& file) {
  auto* pipeline = std::any_cast<Pipeline>(&file.contents);
  if (!pipeline) return;
  auto& page = context.model.pages[page_index];
  pipeline->url = page.url;
  page.data = DataRef{"pipeline", context.model.pipelines.size()};
  context.model.pipelines.push_back(std::move(*pipeline));
}

std::string band_label(const SiteModel& model, const std::string& id) {
  for (const auto& band : model.procurement.bands)
    if (band.id == id) return band.label;
  return "Not known";
}

/// The page itself, and each project, found at its row of the page's table.
void search(const SiteModel& model, const DataRef& data, SearchDocument page_document, std::vector<SearchDocument>& documents) {
  const auto url = page_document.url;
  documents.push_back(std::move(page_document));
  for (const auto& project : model.pipelines[data.index].projects) {
    const auto value = project.value ? format_money(*project.value) : "not known yet";
    const auto start = project.start ? project.start_text : std::string("not known yet");
    auto kind = std::string(start_kind_label(project.start_kind));
    kind[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(kind[0])));
    SearchDocument document{
        project.title,
        url + "#" + project.id,
        "Contract",
        fmt::format("Estimated value {}; {} {}.", value, kind, start),
        join_nonempty({project.department, project.group}, " · "),
        join_nonempty({project.department, project.department == project.department_as_published ? "" : project.department_as_published,
                       project.group, project.reference, project.category, project.notes},
                      ". "),
        {}};
    add_department_facets(model, project.department_as_published, document);
    document.facets.emplace_back("band", band_label(model, project.band));
    documents.push_back(std::move(document));
  }
}

}  // namespace

DataType pipeline_data_type() {
  return {
      .loader = {.type = "pipeline",
                 .files = {"pipeline.csv", "pipeline.json"},
                 .guide = "docs/pipeline.md",
                 .front_matter_keys = {},
                 .check_page = check_page,
                 .read = read,
                 .load = load},
      .layouts = {"pipeline"},
      .view_name = "pipeline",
      .view = [](const SiteModel& model, SnippetMarkdown, const DataRef& data) { return make_pipeline_view(model, model.pipelines[data.index]); },
      .element_ids =
          [](const SiteModel& model, const DataRef& data) {
            std::vector<std::string> ids;
            for (const auto& project : model.pipelines[data.index].projects) ids.push_back(project.id);
            return ids;
          },
      .open_data =
          [](const SiteModel& model, std::vector<Dataset>& datasets) {
            for (const auto& pipeline : model.pipelines) export_pipeline(model, pipeline, datasets);
          },
      .page_files =
          [](const SiteModel& model, const Page& page, const DataRef& data, std::map<std::string, PageFile>& files) {
            const auto& pipeline = model.pipelines[data.index];
            const auto name = model.config.council.empty() ? page.meta.title : model.config.council + ": " + page.meta.title;
            files[contracts_calendar_path(page.url)] = {icalendar(contracts_calendar(model, name, every_project(pipeline))), "", ""};
          },
      .search = search,
      .facets = {{"department", "Department"}, {"band", "Value band"}},
  };
}

}  // namespace plainsight
