// The search index's documents, made from the model rather than by reading back the HTML.
#include <algorithm>

#include <fmt/format.h>

#include "core/format.hpp"
#include "core/text.hpp"
#include "render/view.hpp"
#include "site/site_parts.hpp"

namespace plainsight::detail {
namespace {

constexpr std::size_t excerpt_length = 180;

/// Plain text of HTML that cmark-gfm wrote: tags become spaces, entities their characters.
std::string html_text(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  for (std::size_t at = 0; at < html.size(); ++at) {
    const char c = html[at];
    if (c == '<') {
      const auto end = html.find('>', at);
      if (end == std::string_view::npos) break;
      at = end;
      text += ' ';
    } else if (c == '&') {
      const auto end = html.find(';', at);
      const auto entity = end == std::string_view::npos ? std::string_view{} : html.substr(at + 1, end - at - 1);
      static const std::pair<std::string_view, std::string_view> named[] = {
          {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"#39", "'"}, {"nbsp", " "}};
      const auto found = std::find_if(std::begin(named), std::end(named), [&](const auto& pair) { return pair.first == entity; });
      if (found != std::end(named)) {
        text += found->second;
        at = end;
      } else {
        text += c;
      }
    } else {
      text += c;
    }
  }
  return text;
}

std::string rating_text(const std::optional<Rating>& rating) { return rating ? std::string(rating_label(*rating)) : ""; }

std::string band_label(const SiteModel& model, const std::string& id) {
  for (const auto& band : model.procurement.bands)
    if (band.id == id) return band.label;
  return "Not known";
}

std::string joined(std::initializer_list<std::string> parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

void add_plan_item(const SiteModel& model, const Page& page, const std::string& url, const std::string& summary, std::string body,
                   std::vector<SearchDocument>& documents) {
  const auto& ref = *page.plan_item;
  const auto& plan = model.plans[ref.plan];
  auto priority_title = [&](const std::string& id) {
    const auto index = plan.priority_index(id);
    return index < plan.priorities.size() ? plan.priorities[index].title : std::string();
  };
  SearchDocument document{page.meta.title, url, "Plan", summary, "", std::move(body), {{"plan", plan.title}}};
  switch (ref.kind) {
    case PlanItemRef::Kind::overview:
      for (const auto& priority : plan.priorities) document.text += ". " + priority.title;
      break;
    case PlanItemRef::Kind::priority: {
      const auto& priority = plan.priorities[ref.index];
      document.type = plan.labels.priority;
      document.excerpt = shorten_text(priority.summary, excerpt_length);
      document.text += ". " + priority.summary;
      document.facets.emplace_back("priority", priority.title);
      break;
    }
    case PlanItemRef::Kind::deliverable: {
      const auto& deliverable = plan.deliverables[ref.index];
      document.type = plan.labels.deliverable;
      const auto status = deliverable.rating ? rating_text(deliverable.rating) : deliverable.stage;
      document.detail = joined({status.empty() ? "" : (deliverable.rating ? "Rating: " : "Stage: ") + status,
                                deliverable.department.empty() ? "" : "Department: " + deliverable.department},
                               " · ");
      document.text += ". " + joined({deliverable.lead, deliverable.department, deliverable.stage}, ". ");
      for (const auto& [name, value] : deliverable.fields) document.text += ". " + value;
      std::string latest;
      for (const auto& update : deliverable.updates) {
        document.text += ". " + update.text;
        if (!update.text.empty()) latest = update.text;
      }
      document.excerpt = shorten_text(latest, excerpt_length);
      document.facets.emplace_back("priority", priority_title(deliverable.priority));
      if (deliverable.rating) document.facets.emplace_back("rating", status);  // a stage is not a rating
      if (!deliverable.department.empty()) document.facets.emplace_back("department", deliverable.department);
      break;
    }
    case PlanItemRef::Kind::measure: {
      const auto& measure = plan.measures[ref.index];
      document.type = plan.labels.measure;
      const auto rating = measure.rating.rating ? rating_text(measure.rating.rating) : std::string("No rating");
      document.detail = "Rating: " + (measure.rating.rating ? rating : measure.rating.reason.empty() ? "none" : "none (" + measure.rating.reason + ")");
      document.excerpt = shorten_text(joined({measure.note, measure.responsible.empty() ? "" : "Responsible: " + measure.responsible}, " "),
                                      excerpt_length);
      document.text += ". " + joined({measure.responsible, measure.note, measure.benchmark ? measure.benchmark->label : ""}, ". ");
      document.facets.emplace_back("priority", priority_title(measure.priority));
      document.facets.emplace_back("rating", rating);
      break;
    }
  }
  documents.push_back(std::move(document));
}

void add_budget_lines(const Budget& budget, const std::string& url, std::vector<SearchDocument>& documents) {
  auto line = [&](std::string title, std::string anchor, std::string excerpt, std::string department = {}) {
    SearchDocument document{std::move(title), url + "#" + anchor, "Budget line", std::move(excerpt), budget.title, "", {}};
    if (!department.empty()) document.facets.emplace_back("department", department);
    documents.push_back(std::move(document));
  };
  for (const auto& income : budget.income)
    line(income.source, "income", fmt::format("Income in {}: {}", budget.year, format_money(income.amount, budget.currency)));
  for (const auto& spending : budget.spending)
    line(spending.service, "spending",
         spending.amount ? fmt::format("Spending in {}: {}", budget.year, format_money(*spending.amount, budget.currency))
                         : fmt::format("Spending in {}", budget.year));
  for (std::size_t t = 0; t < budget.tables.size(); ++t)
    for (const auto& row : budget.tables[t].rows)
      line(row.label, "table-" + std::to_string(t + 1), "Approved controllable budget: " + budget.tables[t].department, budget.tables[t].department);
  for (const auto& saving : budget.savings)
    line(saving.item, "savings", joined({"Saving of " + format_money(saving.amount, budget.currency), saving.status}, " · "));
}

void add_projects(const SiteModel& model, const Pipeline& pipeline, const std::string& url, std::vector<SearchDocument>& documents) {
  for (const auto& project : pipeline.projects) {
    const auto value = project.value ? format_money(*project.value) : "not known yet";
    const auto start = project.start_text.empty() ? std::string("not known yet") : project.start_text;
    SearchDocument document{project.title, url + "#" + project.id, "Contract",
                            fmt::format("Estimated value {}; expected start {}.", value, start),
                            joined({project.department, project.group}, " · "),
                            joined({project.department, project.group, project.reference, project.category, project.notes}, ". "),
                            {{"department", project.department}}};
    document.facets.emplace_back("band", band_label(model, project.band));
    documents.push_back(std::move(document));
  }
}

}  // namespace

std::vector<SearchDocument> search_documents(const SiteModel& model, const std::vector<RenderedMarkdown>& markdown) {
  std::vector<SearchDocument> documents;
  for (std::size_t i = 0; i < model.pages.size(); ++i) {
    const auto& page = model.pages[i];
    if (page.meta.layout == "search" || page.meta.layout == "sitemap") continue;  // pages about the site, not in it
    const auto url = site_url(model.config, page.url);
    const auto summary = page_summary(page, markdown[i]);
    if (page.plan_item) {
      add_plan_item(model, page, url, summary, html_text(markdown[i].html), documents);
      continue;
    }
    const bool news = page.section == "news" && page.kind == PageKind::page;
    SearchDocument document{page.meta.title, url, news ? "News" : page.budget ? "Budget" : "Page", summary, "", html_text(markdown[i].html), {}};
    for (const auto& tag : page.meta.tags) document.text += ". " + tag;
    if (news && page.meta.date) document.detail = format_date_long(*page.meta.date);
    documents.push_back(std::move(document));
    if (page.budget) add_budget_lines(model.budgets[*page.budget], url, documents);
    if (page.pipeline) add_projects(model, model.pipelines[*page.pipeline], url, documents);
  }
  return documents;
}

}  // namespace plainsight::detail
