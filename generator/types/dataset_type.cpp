// Datasets (docs/datasets.md): a page with type: dataset reads schema.json, a Frictionless Table
// Schema, and its CSV files; its rows are paged, and each group_by value with many rows gets a page.
#include <fmt/format.h>

#include "core/files.hpp"
#include "core/format.hpp"
#include "core/json_source.hpp"
#include "core/text.hpp"
#include "render/dataset_view.hpp"
#include "types/data_type.hpp"

namespace plainsight {
namespace {

using Kind = DatasetPart::Kind;

const std::vector<std::string> dataset_keys = {"data", "group_by", "totals", "total_row", "group_pages_from", "department"};

/// The front matter's settings, each problem reported at its key.
DatasetSettings read_settings(const Page& page, Diagnostics& diagnostics) {
  DatasetSettings settings;
  settings.where = {page.file, 1, 1};
  const auto& fields = page.meta.fields;
  auto where = [&](const std::string& key) {
    const auto found = page.meta.locations.find(key);
    return found == page.meta.locations.end() ? settings.where : found->second;
  };
  auto list = [&](const std::string& key) {
    std::vector<std::string> items;
    const auto found = fields.find(key);
    if (found == fields.end() || found->is_null()) return items;
    if (found->is_string()) return std::vector<std::string>{std::string(trim(found->get<std::string>()))};
    if (found->is_array())
      for (const auto& item : *found)
        if (item.is_string() && !trim(item.get<std::string>()).empty()) {
          items.emplace_back(trim(item.get<std::string>()));
          continue;
        }
    if (!found->is_array() || items.size() != found->size())
      diagnostics.error(where(key), "\"" + key + "\" must be a list of names, such as [supplier]");
    return items;
  };
  if (auto files = list("data"); !files.empty()) settings.data_files = std::move(files);
  settings.group_by = list("group_by");
  settings.totals = list("totals");
  if (const auto found = fields.find("total_row"); found != fields.end() && found->is_string())
    settings.total_label = trim(found->get<std::string>());
  if (const auto found = fields.find("group_pages_from"); found != fields.end()) {
    const auto text = found->is_string() ? found->get<std::string>() : std::string();
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6)
      diagnostics.error(where("group_pages_from"), "\"group_pages_from\" must be a whole number of rows, such as 10");
    else
      settings.group_page_rows = std::max<std::size_t>(1, std::stoul(text));
  }
  settings.where = where("data");
  settings.group_by_where = where("group_by");
  settings.totals_where = where("totals");
  settings.total_row_where = where("total_row");
  return settings;
}

/// The schema, the settings and the CSV files, read into the dataset.
void read(const SiteModel& model, const Page& page, DataFile& file, Diagnostics& diagnostics) {
  const auto source = parse_json(file.text, file.path, diagnostics);
  if (!source) return;
  auto schema = load_table_schema(*source, diagnostics);
  const auto settings = read_settings(page, diagnostics);
  std::vector<DatasetFile> files;
  for (const auto& name : settings.data_files) {
    const auto found = std::find_if(page.resources.begin(), page.resources.end(), [&](const Resource& r) { return r.source.filename() == name; });
    if (found == page.resources.end()) {
      diagnostics.error(settings.where, "no file \"" + name + "\" beside " + page.file +
                                            " (a dataset's data is CSV in its folder: data.csv, or the files named by \"data\")");
      continue;
    }
    auto text = read_file(found->source);
    if (!text) {
      diagnostics.error({relative_path(found->source, model.site_dir)}, "cannot read this file");
      continue;
    }
    files.push_back({relative_path(found->source, model.site_dir), std::move(*text)});
  }
  if (!schema || files.size() != settings.data_files.size()) return;
  if (auto dataset = load_dataset(std::move(*schema), files, settings, diagnostics)) file.contents = std::move(*dataset);
  std::string().swap(file.text);  // load needs only the dataset, and every file is read before any is loaded
}

void load(DataLoadContext& context, std::size_t page_index, DataFile& file) {
  auto* dataset = std::any_cast<TabularDataset>(&file.contents);
  if (!dataset) return;
  auto& model = context.model;
  auto& page = model.pages[page_index];
  dataset->schema_file = file.path;
  dataset->url = page.url;
  dataset->title = page.meta.title;
  dataset->source = page.meta.source;
  if (const auto department = page.meta.fields.find("department"); department != page.meta.fields.end() && department->is_string()) {
    dataset->department = department->get<std::string>();
    dataset->department_where = page.meta.locations.at("department");
  }
  const auto index = model.datasets.size();
  page.data = DatasetPart{index, Kind::rows, 0, 0}.data();
  auto add = [&](const std::string& url, const std::string& title, DatasetPart part) {
    Page made;
    made.file = page.file;
    made.url = url;
    made.section = page.section;
    made.parent_url = page.url;
    made.meta.title = title;
    made.meta.type = "dataset";
    made.meta.weight = static_cast<double>(part.index * 1000000 + part.value);
    made.data = part.data();
    (void)context.add_page(std::move(made));
  };
  for (std::size_t p = 1; p < dataset->page_count(); ++p)
    add(page.url + "page/" + std::to_string(p + 1) + "/", fmt::format("{}: page {} of {}", dataset->title, p + 1, dataset->page_count()),
        {index, Kind::rows, p, 0});
  for (std::size_t g = 0; g < dataset->group_by.size(); ++g) {
    const auto& field = dataset->schema.fields[dataset->group_by[g]];
    for (std::size_t v = 0; v < dataset->groups[g].size(); ++v) {
      const auto& group = dataset->groups[g][v];
      if (!group.has_page) continue;
      // A group's rows are paged as the dataset's are: no page holds more than rows_per_page.
      const auto url = page.url + slugify(field.name) + "/" + group.slug + "/";
      const auto title = dataset->title + ": " + (field.title.empty() ? field.name : field.title) + " " + dataset_group_label(*dataset, g, group);
      const auto pages = (group.rows.size() + dataset->rows_per_page - 1) / dataset->rows_per_page;
      for (std::size_t p = 0; p < pages; ++p)
        add(p == 0 ? url : url + "page/" + std::to_string(p + 1) + "/", p == 0 ? title : fmt::format("{}: page {} of {}", title, p + 1, pages),
            {index, Kind::group, g, v, p});
    }
  }
  model.datasets.push_back(std::move(*dataset));
}

/// The dataset's page, its group pages, and each of its rows, found at its row of its page.
void search(const SiteModel& model, const DataRef& data, SearchDocument document, std::vector<SearchDocument>& documents) {
  const auto part = DatasetPart::of(data);
  const auto& dataset = model.datasets[part.dataset];
  document.type = part.kind == Kind::group ? "Dataset group" : "Dataset";
  document.facets = {{"dataset", dataset.title}};
  if (part.kind == Kind::group) {
    // A group is found once, at its first page; its rows are found at the dataset's pages.
    if (part.page > 0) return;
    document.excerpt = fmt::format("{} rows of {}", dataset.groups[part.index][part.value].rows.size(), dataset.title);
    documents.push_back(std::move(document));
    return;
  }
  if (part.index == 0) documents.push_back(document);
  const auto first = part.index * dataset.rows_per_page;
  for (auto r = first; r < dataset.rows.size() && r < first + dataset.rows_per_page; ++r) {
    const auto& row = dataset.rows[r];
    std::string title, text;
    for (std::size_t c = 0; c < row.values.size(); ++c) {
      const auto& field = dataset.schema.fields[c];
      if (row.values[c].missing) continue;
      if (title.empty() && field.type == FieldType::string) title = row.values[c].text;
      text += (text.empty() ? "" : ". ") + row.values[c].text;
    }
    documents.push_back({title.empty() ? dataset.title + ", row " + std::to_string(r + 1) : title,
                         document.url + "#" + dataset_row_id(r),
                         "Dataset row",
                         shorten_text(text, search_excerpt_length),
                         dataset.title,
                         text,
                         {{"dataset", dataset.title}}});
  }
}

}  // namespace

DataType dataset_data_type() {
  return {
      .loader = {.type = "dataset",
                 .files = {"schema.json"},
                 .guide = "docs/datasets.md",
                 .front_matter_keys = dataset_keys,
                 .check_page = {},
                 .read = read,
                 .load = load},
      .layouts = {"dataset"},
      .view_name = "dataset",
      .view = [](const SiteModel& model, SnippetMarkdown, const DataRef& data) { return make_dataset_view(model, DatasetPart::of(data)); },
      .element_ids =
          [](const SiteModel& model, const DataRef& data) {
            std::vector<std::string> ids;
            const auto part = DatasetPart::of(data);
            for (const auto r : dataset_page_rows(model.datasets[part.dataset], part)) ids.push_back(dataset_row_id(r));
            return ids;
          },
      .open_data =
          [](const SiteModel& model, std::vector<Dataset>& datasets) {
            for (const auto& dataset : model.datasets) export_dataset(dataset, datasets);
          },
      .search = search,
      .facets = {{"dataset", "Dataset"}},
  };
}

}  // namespace plainsight
