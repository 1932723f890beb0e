// Plans (docs/plans.md): a page with type: plan reads plan.json, and each priority, deliverable
// and measure becomes a page of its own below the plan's URL.
#include <filesystem>

#include "content/loader.hpp"
#include "content/plan_csv.hpp"
#include "core/files.hpp"
#include "core/json_source.hpp"
#include "core/text.hpp"
#include "render/plan_view.hpp"
#include "render/view.hpp"
#include "types/data_type.hpp"

namespace plainsight {
namespace {

namespace fs = std::filesystem;

using Kind = PlanItemRef::Kind;

/// plan.json, or a plan kept as CSV tables beside plan.csv (content/plan_csv.hpp).
std::optional<JsonSource> plan_source(const SiteModel& model, const Page& page, const DataFile& file, Diagnostics& diagnostics) {
  const auto named = [&](std::string_view name) {
    return std::any_of(page.resources.begin(), page.resources.end(), [&](const Resource& r) { return r.source.filename() == name; });
  };
  if (named("plan.json") && named(plan_csv_marker)) {
    diagnostics.error({page.file, 1, 1}, "this plan's folder has both plan.json and plan.csv: keep one (plan.json, or the plan as CSV tables)");
    return std::nullopt;
  }
  if (file.is_json) return parse_json(file.text, file.path, diagnostics);
  std::vector<PlanTableFile> tables;
  for (const auto& resource : page.resources) {
    const auto name = resource.source.filename().string();
    const auto& names = plan_table_files();
    const auto path = relative_path(resource.source, model.site_dir);
    // Only the tables beside plan.csv: a folder below may keep old copies.
    if (std::find(names.begin(), names.end(), name) == names.end() || fs::path(path).parent_path() != fs::path(file.path).parent_path()) continue;
    auto bytes = name == plan_csv_marker ? std::optional(file.text) : read_file(resource.source);
    if (!bytes) {
      diagnostics.error({path}, "cannot read this file");
      return std::nullopt;
    }
    tables.push_back({path, std::move(*bytes)});
  }
  return plan_source_from_csv(tables, model.config.base_url, diagnostics);
}

/// The plan, checked on its own: where the ratings here add up otherwise than the council's own
/// counts, which stand as published, it says so.
void read(const SiteModel& model, const Page& page, DataFile& file, Diagnostics& diagnostics) {
  const auto source = plan_source(model, page, file, diagnostics);
  if (!source) return;
  auto plan = load_plan(*source, model.config.ratings, diagnostics);
  if (!plan) return;
  const auto counted = counted_trend(*plan, model.config.ratings);
  for (const auto& published : plan->trend)
    for (const auto& made : counted)
      if (made.period == published.period && made.measures == published.measures)
        for (const auto& difference : count_differences(published, made))
          diagnostics.warning(published.where, plan->periods[published.period].label + ", " +
                                                   (published.measures ? plan->labels.measures : plan->labels.deliverables) + ": " + difference);
  for (std::size_t i = 0; i < plan->priorities.size(); ++i)
    if (const auto& id = plan->priorities[i].id; id == "deliverables" || id == "measures" || id == "by" || id == "changes" || id == "report")
      diagnostics.error(source->at("/priorities/" + std::to_string(i) + "/id"),
                        "a priority may not have the id \"" + id + "\" (the plan uses that URL)");
  file.contents = std::move(*plan);
}

void load(DataLoadContext& context, std::size_t page_index, DataFile& file) {
  auto* plan = std::any_cast<Plan>(&file.contents);
  if (!plan) return;
  auto& model = context.model;
  auto& page = model.pages[page_index];
  plan->url = page.url;
  const auto plan_index = model.plans.size();
  page.data = PlanItemRef{plan_index, Kind::overview, 0}.data();
  // Each page made from the plan, with the Markdown it shows, placed exactly in plan.json (in a
  // CSV table, at its cell).
  const auto starts = line_starts(file.text);
  auto literal = [&](const MarkdownText& text) { return file.is_json ? json_string_literal_at(file.text, starts, text.where) : std::string_view(); };
  auto add = [&](Kind kind, std::size_t index, const std::string& url, const std::string& title, const char* type, std::string parent,
                 const std::vector<MarkdownText*>& markdown, std::size_t value = 0, std::vector<std::string> aliases = {}) {
    Page item;
    item.file = file.path;
    item.url = url;
    item.section = page.section;
    item.parent_url = std::move(parent);
    item.meta.title = title;
    item.meta.type = type;
    item.meta.weight = static_cast<double>(index);
    item.meta.aliases = std::move(aliases);
    item.data = PlanItemRef{plan_index, kind, index, value}.data();
    if (!context.add_page(std::move(item))) return;  // its Markdown is shown nowhere
    for (auto* text : markdown) context.add_markdown(*text, url, literal(*text));
  };
  for (std::size_t i = 0; i < plan->priorities.size(); ++i) {
    auto& priority = plan->priorities[i];
    add(Kind::priority, i, page.url + priority.id + "/", priority.title, "priority", page.url, {&priority.summary});
  }
  // A risk is shown on its priority's page (and the plan's and department's): its Markdown is placed there.
  for (auto& risk : plan->risks)
    for (auto* text : {&risk.text, &risk.mitigations}) context.add_markdown(*text, page.url + risk.priority + "/", literal(*text));
  for (std::size_t i = 0; i < plan->deliverables.size(); ++i) {
    auto& deliverable = plan->deliverables[i];
    std::vector<MarkdownText*> updates;
    for (auto& update : deliverable.updates) updates.push_back(&update.text);
    add(Kind::deliverable, i, page.url + "deliverables/" + deliverable.id + "/", deliverable.title, "deliverable",
        page.url + deliverable.priority + "/", updates);
  }
  for (std::size_t i = 0; i < plan->measures.size(); ++i) {
    auto& measure = plan->measures[i];
    add(Kind::measure, i, page.url + "measures/" + measure.id + "/", measure.title, "measure",
        measure.priority.empty() ? page.url : page.url + measure.priority + "/", {&measure.note});
  }
  // Browsing by a field: a page for the field, listing its values, and one for each value.
  for (std::size_t f = 0; f < plan->browse.size(); ++f) {
    const auto& field = plan->browse[f];
    const auto field_url = page.url + "by/" + field.slug + "/";
    add(Kind::browse_field, f, field_url, plan->labels.deliverables + " by " + to_lower_ascii(field.name), "plan-browse", page.url, {});
    for (std::size_t v = 0; v < field.values.size(); ++v)
      add(Kind::browse_value, f, field_url + field.values[v].slug + "/", field.name + ": " + field.values[v].text, "plan-browse", field_url, {}, v);
  }
  // The latest reported period's whole report, to print; what changed in each since the one before.
  if (const auto latest = latest_reported_period(*plan))
    add(Kind::report, 0, page.url + "report/", plan->title + ": the " + plan->periods[*latest].name() + " report", "plan-report", page.url, {});
  // The latest's page is also reached at the address it keeps once a later period comes (the feeds link there).
  for (const auto period : periods_with_changes(*plan)) {
    const auto path = plan_changes_path(*plan, period), permalink = plan_changes_permalink(*plan, period);
    add(Kind::changes, period, path, "What changed by " + plan->periods[period].name(), "plan-changes", page.url, {}, 0,
        path == permalink ? std::vector<std::string>{} : std::vector<std::string>{permalink});
  }
  model.plans.push_back(std::move(*plan));
}

std::string rating_text(const std::optional<Rating>& rating) { return rating ? std::string(rating_label(*rating)) : ""; }

void search(const SiteModel& model, const DataRef& data, SearchDocument document, std::vector<SearchDocument>& documents) {
  const auto ref = PlanItemRef::of(data);
  const auto& plan = model.plans[ref.plan];
  auto priority_title = [&](const std::string& id) {
    const auto index = plan.priority_index(id);
    return index < plan.priorities.size() ? plan.priorities[index].title : std::string();
  };
  document.type = "Plan";
  document.facets = {{"plan", plan.title}};
  switch (ref.kind) {
    case Kind::overview:
      for (const auto& priority : plan.priorities) document.text += ". " + priority.title;
      add_department_facets(model, plan.department, document);
      break;
    case Kind::browse_field:
    case Kind::browse_value:
    case Kind::changes:
    case Kind::report:
      document.excerpt = plan.title;
      break;
    case Kind::priority: {
      const auto& priority = plan.priorities[ref.index];
      document.type = plan.labels.priority;
      document.excerpt = shorten_text(priority.summary.text, search_excerpt_length);
      document.text += ". " + priority.summary.text;
      document.facets.emplace_back("priority", priority.title);
      break;
    }
    case Kind::deliverable: {
      const auto& deliverable = plan.deliverables[ref.index];
      document.type = plan.labels.deliverable;
      const auto status = deliverable.rating ? rating_text(deliverable.rating) : deliverable.stage;
      document.detail = join_nonempty({status.empty() ? "" : (deliverable.rating ? "Rating: " : "Stage: ") + status,
                                       deliverable.department.empty() ? "" : "Department: " + deliverable.department},
                                      " · ");
      document.text += ". " + join_nonempty({deliverable.lead, deliverable.department, deliverable.stage}, ". ");
      for (const auto& [name, value] : deliverable.fields) document.text += ". " + value;
      std::string latest;
      for (const auto& update : deliverable.updates) {
        document.text += ". " + update.text.text;
        if (!update.text.empty()) latest = update.text.text;
      }
      document.excerpt = shorten_text(latest, search_excerpt_length);
      document.facets.emplace_back("priority", priority_title(deliverable.priority));
      if (deliverable.rating) document.facets.emplace_back("rating", status);  // a stage is not a rating
      add_department_facets(model, deliverable.department.empty() ? plan.department : deliverable.department, document);
      break;
    }
    case Kind::measure: {
      const auto& measure = plan.measures[ref.index];
      document.type = plan.labels.measure;
      const auto rating = measure.rating.rating ? rating_text(measure.rating.rating) : std::string("No rating");
      document.detail = "Rating: " + (measure.rating.rating           ? rating
                                      : measure.rating.reason.empty() ? "none"
                                                                      : "none (" + measure.rating.reason + ")");
      document.excerpt = shorten_text(
          join_nonempty({measure.note.text, measure.responsible.empty() ? "" : "Responsible: " + measure.responsible}, " "), search_excerpt_length);
      document.text += ". " + join_nonempty({measure.responsible, measure.note.text, measure.benchmark ? measure.benchmark->label : ""}, ". ");
      if (!measure.priority.empty()) document.facets.emplace_back("priority", priority_title(measure.priority));
      document.facets.emplace_back("rating", rating);
      add_department_facets(model, measure.department.empty() ? plan.department : measure.department, document);
      break;
    }
  }
  documents.push_back(std::move(document));
}

}  // namespace

DataType plan_data_type() {
  return {
      .loader = {.type = "plan",
                 .files = {"plan.json", plan_csv_marker},
                 .guide = "docs/plans.md",
                 .front_matter_keys = {},
                 .check_page = {},
                 .read = read,
                 .load = load},
      .layouts = {"plan", "priority", "deliverable", "measure", "plan-browse", "plan-changes", "plan-report"},
      .view_name = "plan",
      .view = [](const SiteModel& model, SnippetMarkdown markdown,
                 const DataRef& data) { return make_plan_view(model, markdown, PlanItemRef::of(data)); },
      .element_ids =
          [](const SiteModel& model, const DataRef& data) {
            // The key risks a plan's overview and its priorities' pages list.
            std::vector<std::string> ids;
            const auto ref = PlanItemRef::of(data);
            const auto& plan = model.plans[ref.plan];
            for (const auto& risk : plan.risks)
              if (ref.kind == Kind::overview || (ref.kind == Kind::priority && plan.priorities[ref.index].id == risk.priority))
                ids.push_back(risk_element_id(risk));
            return ids;
          },
      .open_data =
          [](const SiteModel& model, std::vector<Dataset>& datasets) {
            for (const auto& plan : model.plans) export_plan(model, plan, datasets);
          },
      .page_files =
          [](const SiteModel& model, const Page& page, const DataRef& data, std::map<std::string, PageFile>& files) {
            const auto ref = PlanItemRef::of(data);
            if (ref.kind != Kind::overview) return;
            const auto& plan = model.plans[ref.plan];
            if (auto feed = plan_feed(model, plan); !feed.entries.empty())
              files[output_path_for(page.url + "feed.xml")] = {atom(feed), "application/atom+xml", plan.title + ": each period's report"};
          },
      .search = search,
      .facets = {{"plan", "Plan"}, {"priority", "Priority"}, {"rating", "Rating"}, {"department", "Department"}},
  };
}

}  // namespace plainsight
