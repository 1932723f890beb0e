#include "content/plan.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

const std::vector<std::string> plan_keys = {"title", "labels", "periods", "priorities",          "deliverables", "measures",
                                            "risks", "source", "trend",   "direction_of_travel", "browse_by",    "department"};
const std::vector<std::string> source_keys = {"document", "section", "page", "url"};
const std::vector<std::string> count_keys = {"period",    "kind",      "strong",    "good",      "review",   "action",
                                             "no_rating", "improving", "no_change", "declining", "completed"};
const std::vector<std::string> label_keys = {"priority", "priorities", "deliverable", "deliverables", "measure", "measures", "risk", "risks"};
const std::vector<std::string> period_keys = {"id", "label", "end", "heading"};
const std::vector<std::string> priority_keys = {"id", "title", "summary", "kind"};
const std::vector<std::string> deliverable_keys = {"id",
                                                   "number",
                                                   "priority",
                                                   "other_priorities",
                                                   "title",
                                                   "lead",
                                                   "department",
                                                   "start",
                                                   "start_as_published",
                                                   "due",
                                                   "due_as_published",
                                                   "original_due",
                                                   "completed",
                                                   "stage",
                                                   "fields",
                                                   "updates",
                                                   "measures",
                                                   "source",
                                                   "success_measures",
                                                   "council_plan",
                                                   "council_plan_deliverable"};
const std::vector<std::string> risk_keys = {"id", "priority", "title", "department", "text", "mitigations", "none"};
const std::vector<std::string> update_keys = {"period", "rating", "text"};
const std::vector<std::string> measure_keys = {"id",        "number",    "priority",         "title",      "unit",
                                               "direction", "target",    "responsible",      "department", "values",
                                               "status",    "benchmark", "published_rating", "note",       "source"};
const std::vector<std::string> value_keys = {"period", "value", "as_of", "target", "target_as_published", "value_as_published", "published_rating"};
const std::vector<std::string> units = {"percent", "gbp", "count", "days", "number"};
const std::vector<std::string> rating_words = {"strong", "good", "review", "action"};
const std::vector<std::string> status_words = {"awaiting-data", "not-available", "tbc", "monitor"};

bool is_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

class PlanReader {
 public:
  PlanReader(const JsonSource& source, const RatingThresholds& thresholds, Diagnostics& diagnostics)
      : source_(source), read_(source, diagnostics), thresholds_(thresholds) {}

  std::optional<Plan> read() {
    const auto* root = read_.object(source_.value, "", "a plan");
    if (!root) return std::nullopt;
    read_.only_keys(*root, "", plan_keys);
    plan_.file = source_.file;
    plan_.title = read_.text(*root, "", "title", true);
    reading_service_plan_ =
        root->contains("department") && (*root)["department"].is_string() && !trim((*root)["department"].get<std::string>()).empty();
    read_labels(*root);
    read_list(*root, "periods", true, [&](const json& item, const std::string& at) { read_period(item, at); });
    read_list(*root, "priorities", true, [&](const json& item, const std::string& at) { read_priority(item, at); });
    read_list(*root, "measures", false, [&](const json& item, const std::string& at) { read_measure(item, at); });
    read_list(*root, "deliverables", false, [&](const json& item, const std::string& at) { read_deliverable(item, at); });
    read_list(*root, "risks", false, [&](const json& item, const std::string& at) { read_risk(item, at); });
    plan_.department = read_.text(*root, "", "department");
    plan_.department_where = read_.at("/department");
    plan_.source = read_source(*root, "");
    read_browse_by(*root);
    read_list(*root, "trend", false, [&](const json& item, const std::string& at) { read_counts(item, at); });
    if (const auto rule = read_.text(*root, "", "direction_of_travel"); rule == "values")
      plan_.travel_rule = TravelRule::values;
    else if (!rule.empty() && rule != "ratings")
      error("/direction_of_travel", "unknown rule \"" + rule + "\" (expected ratings, as the council compares ratings between periods, or values)");
    if (failed_) {
      // A plan is never left out without a word: each failure above should have said why.
      if (read_.errors() == 0) read_.error("", "this plan could not be read, and plainsight did not say why: a bug in plainsight, to report");
      return std::nullopt;
    }
    derive();
    return std::move(plan_);
  }

 private:
  void error(std::string_view pointer, std::string message) {
    read_.error(pointer, std::move(message));
    failed_ = true;
  }

  /// `browse_by`: names of deliverable fields, each with the values the deliverables give it.
  void read_browse_by(const json& root) {
    const auto* names = read_.array(root, "", "browse_by", false);
    if (!names) return;
    for (std::size_t i = 0; i < names->size(); ++i) {
      const auto at = "/browse_by/" + std::to_string(i);
      if (!(*names)[i].is_string() || slugify((*names)[i].get<std::string>()).empty()) {
        error(at, "expected the name of a field of the deliverables, such as \"Portfolio\"");
        continue;
      }
      BrowseField field{(*names)[i].get<std::string>(), slugify((*names)[i].get<std::string>()), {}};
      std::map<std::string, std::size_t> value_of_slug;
      std::map<std::string, BrowseField::Value> values;  // by text, so that they come out in order
      for (std::size_t d = 0; d < plan_.deliverables.size(); ++d)
        for (const auto& [name, text] : plan_.deliverables[d].fields) {
          if (name != field.name) continue;
          for (std::size_t start = 0; start <= text.size();) {
            const auto end = std::min(text.find(';', start), text.size());
            const auto value = std::string(trim(std::string_view(text).substr(start, end - start)));
            start = end + 1;
            if (value.empty()) continue;
            auto& entry = values[value];
            if (entry.text.empty()) entry = {value, slugify(value), {}};
            if (entry.deliverables.empty() || entry.deliverables.back() != d) entry.deliverables.push_back(d);
          }
        }
      for (auto& [text, value] : values) {
        if (value.slug.empty()) {
          error(at, "the values of \"" + field.name + "\" include \"" + text + "\", which has no letter or digit to make a URL of (rename it)");
          continue;
        }
        if (const auto [taken, added] = value_of_slug.emplace(value.slug, field.values.size()); !added) {
          error(at, fmt::format("the values of \"{}\" include \"{}\" and \"{}\", which would have one URL, \"{}\" (write them the same "
                                "way if they are one value, or rename one)",
                                field.name, field.values[taken->second].text, text, value.slug));
          continue;
        }
        field.values.push_back(std::move(value));
      }
      if (field.values.empty()) error(at, "no deliverable has the field \"" + field.name + "\" (expected a name used in their \"fields\")");
      for (const auto& other : plan_.browse)
        if (other.slug == field.slug) error(at, "\"" + field.name + "\" and \"" + other.name + "\" would have one URL (rename one)");
      plan_.browse.push_back(std::move(field));
    }
  }

  /// {"document": …, "section": …, "page": …, "url": …} under `key`; empty when there is none.
  Source read_source(const json& object, const std::string& at) {
    Source source;
    if (!object.contains("source") || object["source"].is_null()) return source;
    const auto source_at = at + "/source";
    const auto* item = read_.object(object["source"], source_at, "a source {\"document\": …, \"section\": …, \"page\": …}");
    if (!item) return void(failed_ = true), source;
    read_.only_keys(*item, source_at, source_keys);
    source.document = read_.text(*item, source_at, "document", true);
    source.section = read_.text(*item, source_at, "section");
    source.page = item->contains("page") && (*item)["page"].is_number_integer() ? (*item)["page"].dump() : read_.text(*item, source_at, "page");
    source.url = read_.text(*item, source_at, "url");
    if (source.document.empty()) failed_ = true;
    return source;
  }

  /// A target as published under `key`: a number, or words ("Less than £155,000", "Monitor");
  /// `words_key`, when given beside a number, is how the council wrote it.
  std::optional<Target> read_target(const json& object, const std::string& at, const char* key, const char* words_key) {
    std::optional<Target> target;
    const auto found = object.find(key);
    if (found != object.end() && found->is_number())
      target = Target(found->get<double>());
    else if (found != object.end() && found->is_string())
      target = parse_target(found->get<std::string>());
    else if (found != object.end() && !found->is_null())
      error(json_pointer_append(at, key), "a target must be a number, the council's words or null, found " + json_type_name(*found));
    if (words_key == nullptr) return target;
    if (auto words = read_.text(object, at, words_key); !words.empty()) {
      if (!target) return parse_target(words);
      target->as_published = words;
    }
    return target;
  }

  void read_counts(const json& item, const std::string& at) {
    read_.only_keys(item, at, count_keys);
    PeriodCounts counts;
    counts.where = read_.at(at);
    std::set<std::size_t> any;
    const auto period = read_period_ref(item, at, any);
    const auto kind = read_.text(item, at, "kind", true);
    if (kind != "deliverables" && kind != "measures") error(at + "/kind", "unknown kind \"" + kind + "\" (expected deliverables or measures)");
    counts.measures = kind == "measures";
    auto count = [&](const char* key) -> std::optional<int> {
      const auto found = item.find(key);
      if (found == item.end() || found->is_null()) return std::nullopt;
      if (found->is_number_integer() && found->get<long long>() >= 0 && found->get<long long>() < 1000000) return found->get<int>();
      error(json_pointer_append(at, key), "a count must be a whole number or null (for N/A), found " + found->dump());
      return std::nullopt;
    };
    counts.ratings = {count("action"), count("review"), count("good"), count("strong")};
    counts.no_rating = count("no_rating");
    counts.improving = count("improving");
    counts.no_change = count("no_change");
    counts.declining = count("declining");
    counts.completed = count("completed");
    if (!period) return;
    counts.period = *period;
    for (const auto& earlier : plan_.trend)
      if (earlier.period == counts.period && earlier.measures == counts.measures)
        error(at, "the " + kind + " of period \"" + plan_.periods[counts.period].id + "\" are counted twice");
    plan_.trend.push_back(counts);
  }

  /// Text that is rendered as Markdown: refused where the Markdown library would take minutes.
  MarkdownText read_markdown(const json& object, const std::string& at, const char* key) {
    const auto pointer = json_pointer_append(at, key);
    auto text = read_.text(object, at, key);
    if (const auto costly = find_costly_markdown(text)) error(pointer, costly->message);
    return {std::move(text), read_.at(pointer)};
  }

  template <typename Each>
  void read_list(const json& parent, const char* key, bool required, Each each) {
    const auto* list = read_.array(parent, "", key, required);
    if (!list) {
      if (required || (parent.contains(key) && !parent[key].is_null())) failed_ = true;
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto at = std::string("/") + key + "/" + std::to_string(i);
      if (read_.object((*list)[i], at, "an item"))
        each((*list)[i], at);
      else
        failed_ = true;
    }
  }

  std::string read_id(const json& item, const std::string& at, std::set<std::string>& seen, const char* what) {
    auto id = read_.text(item, at, "id", true);
    if (id.empty()) return failed_ = true, id;
    if (!is_id(id))
      error(at + "/id",
            "the " + std::string(what) + " id \"" + id + "\" may use only lower-case letters, digits and hyphens (it becomes part of a URL)");
    if (!seen.insert(id).second) error(at + "/id", "duplicate " + std::string(what) + " id \"" + id + "\" (ids must be unique within the plan)");
    return id;
  }

  void read_labels(const json& root) {
    if (!root.contains("labels") || root["labels"].is_null()) return;
    const auto* labels = read_.object(root["labels"], "/labels", "labels");
    if (!labels) return void(failed_ = true);
    read_.only_keys(*labels, "/labels", label_keys);
    auto& l = plan_.labels;
    for (auto [key, into] : {std::pair{"priority", &l.priority},
                             {"priorities", &l.priorities},
                             {"deliverable", &l.deliverable},
                             {"deliverables", &l.deliverables},
                             {"measure", &l.measure},
                             {"measures", &l.measures},
                             {"risk", &l.risk},
                             {"risks", &l.risks}})
      if (auto text = read_.text(*labels, "/labels", key); !text.empty()) *into = text;
  }

  void read_period(const json& item, const std::string& at) {
    read_.only_keys(item, at, period_keys);
    PlanPeriod period;
    period.id = read_id(item, at, period_ids_, "period");
    period.label = read_.text(item, at, "label");
    if (period.label.empty()) period.label = period.id;
    period.heading = read_.text(item, at, "heading");
    const auto end = read_.date(item, at, "end");
    if (!end) {
      if (const auto found = item.find("end"); found == item.end() || found->is_null())
        error(at, "missing \"end\" (expected the date the period ends, such as \"2022-03-31\")");
      return void(failed_ = true);
    }
    period.end = *end;
    if (!plan_.periods.empty() && to_utc_minutes(period.end) <= to_utc_minutes(plan_.periods.back().end))
      error(at + "/end", "periods must be listed oldest first: \"" + period.id + "\" ends on " + format_date_iso(period.end) + ", not after \"" +
                             plan_.periods.back().id + "\" (" + format_date_iso(plan_.periods.back().end) + ")");
    plan_.periods.push_back(std::move(period));
  }

  void read_priority(const json& item, const std::string& at) {
    read_.only_keys(item, at, priority_keys);
    PlanPriority priority;
    priority.id = read_id(item, at, priority_ids_, "priority");
    priority.title = read_.text(item, at, "title", true);
    priority.summary = read_markdown(item, at, "summary");
    if (const auto kind = read_.text(item, at, "kind"); kind == "council")
      priority.kind = PriorityKind::council;
    else if (kind == "department")
      priority.kind = PriorityKind::department;
    else if (!kind.empty())
      error(at + "/kind", "unknown kind \"" + kind + "\" (expected council, for a Council priority, or department, for one of the department's own)");
    plan_.priorities.push_back(std::move(priority));
  }

  std::string read_priority_ref(const json& item, const std::string& at, bool required = true) {
    auto id = read_.text(item, at, "priority", required);
    check_priority(id, at + "/priority");
    return id;
  }

  void check_priority(const std::string& id, const std::string& pointer) {
    if (id.empty() || priority_ids_.contains(id)) return;
    std::vector<std::string> known(priority_ids_.begin(), priority_ids_.end());
    error(pointer, "unknown priority \"" + id + "\"" + did_you_mean(id, known) + " (expected the id of one of the plan's priorities)");
  }

  /// A list of plain text under `key`: ["…", "…"].
  std::vector<std::string> read_text_list(const json& item, const std::string& at, const char* key, const char* expected) {
    std::vector<std::string> texts;
    const auto* list = read_.array(item, at, key, false);
    if (!list) return texts;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].is_string() && !trim((*list)[i].get<std::string>()).empty())
        texts.push_back((*list)[i].get<std::string>());
      else
        error(json_pointer_append(at, key) + "/" + std::to_string(i), std::string("expected ") + expected + ", found " + (*list)[i].dump());
    }
    return texts;
  }

  /// A date or a month ("2020-04") under `key`.
  std::optional<PlanDate> read_plan_date(const json& item, const std::string& at, const char* key) {
    const auto found = item.find(key);
    if (found != item.end() && found->is_string() && found->get<std::string>().size() == 7) {
      if (const auto day = parse_iso_date(found->get<std::string>() + "-01")) return PlanDate{*day, true};
      error(json_pointer_append(at, key),
            "\"" + found->get<std::string>() + "\" is not a valid month for \"" + key + "\" (expected YYYY-MM, such as 2020-04)");
      return std::nullopt;
    }
    if (const auto date = read_.date(item, at, key)) return PlanDate{*date, false};
    return std::nullopt;
  }

  std::optional<std::size_t> read_period_ref(const json& item, const std::string& at, std::set<std::size_t>& used) {
    const auto id = read_.text(item, at, "period", true);
    for (std::size_t p = 0; p < plan_.periods.size(); ++p) {
      if (plan_.periods[p].id != id) continue;
      if (!used.insert(p).second) error(at + "/period", "period \"" + id + "\" appears twice (one entry per period)");
      return p;
    }
    if (period_ids_.contains(id)) {  // a period whose own error is reported: not a second one here
      failed_ = true;
    } else if (const auto labelled =
                   std::find_if(plan_.periods.begin(), plan_.periods.end(),
                                [&](const PlanPeriod& period) { return !id.empty() && to_lower_ascii(period.label) == to_lower_ascii(id); });
               labelled != plan_.periods.end()) {
      error(at + "/period", "unknown period \"" + id + "\": that is the label of the period \"" + labelled->id + "\" (expected its id)");
    } else if (!id.empty()) {
      std::vector<std::string> known(period_ids_.begin(), period_ids_.end());
      error(at + "/period", "unknown period \"" + id + "\"" + did_you_mean(id, known) + " (expected the id of one of the plan's periods)");
    } else {
      failed_ = true;
    }
    return std::nullopt;
  }

  std::optional<Rating> read_rating(const json& item, const std::string& at, const char* key) {
    const auto found = item.find(key);
    if (found == item.end() || found->is_null()) return std::nullopt;
    if (found->is_string())
      if (auto rating = parse_rating(found->get<std::string>())) return rating;
    const auto word = found->is_string() ? found->get<std::string>() : found->dump();
    error(at + "/" + key, "\"" + word + "\" is not a rating" + did_you_mean(word, rating_words) +
                              " (expected strong, good, review or action; for none, null in plan.json or an empty cell in a table)");
    return std::nullopt;
  }

  void read_measure(const json& item, const std::string& at) {
    read_.only_keys(item, at, measure_keys);
    Measure measure;
    measure.where = read_.at(at);
    measure.id = read_id(item, at, measure_ids_, "measure");
    measure.number = read_.text(item, at, "number");
    // A service plan may list a KPI for its whole section rather than under one priority.
    measure.priority = read_priority_ref(item, at, !reading_service_plan_);
    measure.department = read_.text(item, at, "department");
    measure.department_where = read_.at(at + "/department");
    measure.title = read_.text(item, at, "title", true);
    measure.unit = read_.text(item, at, "unit");
    if (measure.unit.empty())
      measure.unit = "number";
    else if (std::find(units.begin(), units.end(), measure.unit) == units.end())
      error(at + "/unit",
            "unknown unit \"" + measure.unit + "\"" + did_you_mean(measure.unit, units) + " (expected percent, gbp, count, days or number)");
    const auto direction = read_.text(item, at, "direction");
    if (!direction.empty()) {
      if (auto parsed = parse_direction(direction))
        measure.direction = *parsed;
      else
        error(at + "/direction", "unknown direction \"" + direction + "\" (expected higher, lower or none)");
    }
    measure.target = read_target(item, at, "target", nullptr);
    measure.source = read_source(item, at);
    measure.responsible = read_.text(item, at, "responsible");
    measure.note = read_markdown(item, at, "note");
    if (const auto status = read_.text(item, at, "status"); !status.empty()) {
      if (auto parsed = parse_measure_status(status))
        measure.status = *parsed;
      else
        error(at + "/status",
              "unknown status \"" + status + "\"" + did_you_mean(status, status_words) +
                  " (expected awaiting-data, not-available, tbc or monitor; for none, null in plan.json or an empty cell in a table)");
    }
    if (item.contains("benchmark") && !item["benchmark"].is_null()) {
      if (const auto* benchmark = read_.object(item["benchmark"], at + "/benchmark", "a benchmark {\"label\": …, \"value\": …}")) {
        read_.only_keys(*benchmark, at + "/benchmark", {"label", "value"});
        const auto value = read_.number(*benchmark, at + "/benchmark", "value");
        if (value) measure.benchmark = Benchmark{read_.text(*benchmark, at + "/benchmark", "label"), *value};
      }
    }
    measure.published_rating = read_rating(item, at, "published_rating");
    std::set<std::size_t> used;
    if (const auto* values = read_.array(item, at, "values", false)) {
      for (std::size_t i = 0; i < values->size(); ++i) {
        const auto value_at = at + "/values/" + std::to_string(i);
        const auto* entry = read_.object((*values)[i], value_at, "a value {\"period\": …, \"value\": …}");
        if (!entry) {
          failed_ = true;
          continue;
        }
        read_.only_keys(*entry, value_at, value_keys);
        MeasureValue value;
        const auto period = read_period_ref(*entry, value_at, used);
        if (entry->contains("value") && !(*entry)["value"].is_null() && !(*entry)["value"].is_number())
          error(value_at + "/value", "a value must be a number or null, found " + json_type_name((*entry)["value"]) +
                                         " (write 51.9, not \"51.9%\"; use \"status\" for N/Av, AD or TBC)");
        else
          value.value = read_.number(*entry, value_at, "value");
        value.as_of = read_.text(*entry, value_at, "as_of");
        // Shown as "Dec 2021" beside the figure: a month that does not read would be dropped unseen.
        if (!value.as_of.empty() && (value.as_of.size() != 7 || !parse_iso_date(value.as_of + "-01")))
          error(value_at + "/as_of", "\"" + value.as_of + "\" is not a month (expected the month the figure is for as YYYY-MM, such as 2021-12)");
        value.target = read_target(*entry, value_at, "target", "target_as_published");
        value.value_as_published = read_.text(*entry, value_at, "value_as_published");
        value.published_rating = read_rating(*entry, value_at, "published_rating");
        if (period) {
          value.period = *period;
          measure.values.push_back(std::move(value));
        }
      }
    }
    std::sort(measure.values.begin(), measure.values.end(), [](const auto& a, const auto& b) { return a.period < b.period; });
    plan_.measures.push_back(std::move(measure));
  }

  void read_deliverable(const json& item, const std::string& at) {
    read_.only_keys(item, at, deliverable_keys);
    Deliverable deliverable;
    deliverable.where = read_.at(at);
    deliverable.id = read_id(item, at, deliverable_ids_, "deliverable");
    deliverable.number = read_.text(item, at, "number");
    deliverable.priority = read_priority_ref(item, at);
    deliverable.other_priorities = read_text_list(item, at, "other_priorities", "the id of one of the plan's priorities");
    for (std::size_t i = 0; i < deliverable.other_priorities.size(); ++i) {
      const auto& id = deliverable.other_priorities[i];
      const auto pointer = at + "/other_priorities/" + std::to_string(i);
      check_priority(id, pointer);
      if (id == deliverable.priority || std::count(deliverable.other_priorities.begin(), deliverable.other_priorities.end(), id) > 1)
        error(pointer, "priority \"" + id + "\" is named twice for this " + to_lower_ascii(plan_.labels.deliverable));
    }
    deliverable.title = read_.text(item, at, "title", true);
    deliverable.lead = read_.text(item, at, "lead");
    deliverable.department = read_.text(item, at, "department");
    deliverable.department_where = read_.at(at + "/department");
    deliverable.stage = read_.text(item, at, "stage");
    deliverable.source = read_source(item, at);
    deliverable.start = read_plan_date(item, at, "start");
    deliverable.due = read_plan_date(item, at, "due");
    deliverable.start_as_published = read_.text(item, at, "start_as_published");
    deliverable.due_as_published = read_.text(item, at, "due_as_published");
    deliverable.original_due = read_.date(item, at, "original_due");
    deliverable.completed = read_.date(item, at, "completed");
    if (deliverable.start && deliverable.due && plan_date_before(*deliverable.due, *deliverable.start))
      error(at + "/due", "due date " + plan_date_iso(*deliverable.due) + " is before the start date " + plan_date_iso(*deliverable.start));
    deliverable.success_measures = read_text_list(item, at, "success_measures", "a success measure in quotes");
    if (const auto found = item.find("council_plan"); found != item.end() && !found->is_null()) {
      if (found->is_boolean())
        deliverable.council_plan = found->get<bool>();
      else
        error(at + "/council_plan", "expected true (the document marks it as a Council Plan deliverable, ✓ or Yes) or false, found " + found->dump());
    }
    deliverable.council_plan_deliverable = read_.text(item, at, "council_plan_deliverable");
    deliverable.council_plan_deliverable_where = read_.at(at + "/council_plan_deliverable");
    if (!deliverable.council_plan_deliverable.empty() && deliverable.council_plan == false)
      error(at + "/council_plan_deliverable",
            "\"council_plan\" is false (the document marks it ✗, not a Council Plan deliverable), so it links to none");
    if (item.contains("fields") && !item["fields"].is_null()) {
      if (const auto* fields = read_.object(item["fields"], at + "/fields", "fields {\"Column\": \"text\"}")) {
        for (const auto& [name, value] : fields->items()) {
          if (value.is_string())
            deliverable.fields.emplace_back(name, value.get<std::string>());
          else if (value.is_number())
            deliverable.fields.emplace_back(name, value.dump());
          else if (!value.is_null())
            error(json_pointer_append(at + "/fields", name), "a field must be text or a number, found " + json_type_name(value));
        }
        // nlohmann keeps object keys sorted; show the fields in the order the file gives them.
        auto position = [&](const std::string& name) {
          const auto where = source_.at(json_pointer_append(at + "/fields", name));
          return std::pair{where.line, where.column};
        };
        std::stable_sort(deliverable.fields.begin(), deliverable.fields.end(),
                         [&](const auto& a, const auto& b) { return position(a.first) < position(b.first); });
      }
    }
    std::set<std::size_t> used;
    if (const auto* updates = read_.array(item, at, "updates", false)) {
      for (std::size_t i = 0; i < updates->size(); ++i) {
        const auto update_at = at + "/updates/" + std::to_string(i);
        const auto* entry = read_.object((*updates)[i], update_at, "an update {\"period\": …, \"rating\": …, \"text\": …}");
        if (!entry) {
          failed_ = true;
          continue;
        }
        read_.only_keys(*entry, update_at, update_keys);
        DeliverableUpdate update;
        const auto period = read_period_ref(*entry, update_at, used);
        update.rating = read_rating(*entry, update_at, "rating");
        update.text = read_markdown(*entry, update_at, "text");
        if (period) {
          update.period = *period;
          deliverable.updates.push_back(std::move(update));
        }
      }
    }
    std::sort(deliverable.updates.begin(), deliverable.updates.end(), [](const auto& a, const auto& b) { return a.period < b.period; });
    if (const auto* measures = read_.array(item, at, "measures", false)) {
      for (std::size_t i = 0; i < measures->size(); ++i) {
        const auto ref_at = at + "/measures/" + std::to_string(i);
        const auto& ref = (*measures)[i];
        if (!ref.is_string()) {
          error(ref_at, "expected a measure id in quotes, found " + json_type_name(ref));
          continue;
        }
        const auto id = ref.get<std::string>();
        if (!measure_ids_.contains(id)) {
          std::vector<std::string> known(measure_ids_.begin(), measure_ids_.end());
          error(ref_at, "unknown measure \"" + id + "\"" + did_you_mean(id, known) + " (expected the id of one of the plan's measures)");
        }
        deliverable.measures.push_back(id);
      }
    }
    plan_.deliverables.push_back(std::move(deliverable));
  }

  void read_risk(const json& item, const std::string& at) {
    read_.only_keys(item, at, risk_keys);
    Risk risk;
    risk.where = read_.at(at);
    risk.id = read_id(item, at, risk_ids_, "risk");
    risk.priority = read_priority_ref(item, at);
    risk.title = read_.text(item, at, "title");
    risk.department = read_.text(item, at, "department");
    risk.department_where = read_.at(at + "/department");
    risk.text = read_markdown(item, at, "text");
    risk.mitigations = read_markdown(item, at, "mitigations");
    risk.none = read_.text(item, at, "none");
    if (!risk.none.empty() && (!risk.text.empty() || !risk.title.empty() || !risk.mitigations.empty()))
      error(at + "/none",
            "a risk has either \"text\" (with its title and mitigations) or \"none\" (the council's words when it lists no key risk), not both");
    else if (risk.none.empty() && trim(risk.text.text).empty())
      error(at,
            "this risk has no text (expected \"text\": the risk as published, or \"none\": the council's words, such as \"None\", when it lists no "
            "key risk under this priority)");
    plan_.risks.push_back(std::move(risk));
  }

  void derive() {
    const std::size_t last_period = plan_.periods.empty() ? 0 : plan_.periods.size() - 1;
    std::sort(plan_.trend.begin(), plan_.trend.end(), [](const auto& x, const auto& y) {
      return std::pair{x.period, x.measures} < std::pair{y.period, y.measures};
    });
    for (auto& measure : plan_.measures) {
      measure.last_period = last_period;
      std::optional<std::size_t> previous;
      for (std::size_t i = 0; i < measure.values.size(); ++i) {
        if (!measure.values[i].value) continue;
        previous = measure.latest;
        measure.latest = i;
      }
      // The measure's rating now: its latest figure's, unless a status (awaiting data, …) says
      // why the plan's latest period has none.
      measure.rating = measure.latest && measure.status == MeasureStatus::none
                           ? measure.rating_in(measure.values[*measure.latest].period, thresholds_)
                           : rate_measure({std::nullopt, measure.target, measure.direction, measure.unit == "percent", measure.status}, thresholds_);
      if (plan_.travel_rule == TravelRule::ratings) {
        // The last two periods with a rating, computed or as the council published it.
        std::vector<Rating> rated;
        for (const auto& value : measure.values)
          if (const auto rating = measure.council_rating_in(value.period, thresholds_)) rated.push_back(*rating);
        if (rated.size() >= 2) measure.travel = travel_of_ratings(rated[rated.size() - 2], rated.back());
      } else if (measure.latest && previous) {
        measure.travel = travel_of_values(measure.values[*previous].value, measure.values[*measure.latest].value, measure.direction);
      }
    }
    for (auto& deliverable : plan_.deliverables) {
      std::optional<Rating> previous;
      bool seen = false;
      for (const auto& update : deliverable.updates) {
        if (!update.rating) continue;
        if (seen) previous = deliverable.rating;
        deliverable.rating = update.rating;
        seen = true;
      }
      deliverable.travel = travel_of_ratings(previous, deliverable.rating);
    }
  }

  const JsonSource& source_;
  JsonReader read_;
  const RatingThresholds& thresholds_;
  Plan plan_;
  bool failed_ = false;
  std::set<std::string> period_ids_, priority_ids_, measure_ids_, deliverable_ids_, risk_ids_;
  bool reading_service_plan_ = false;
};

template <typename Items>
std::size_t index_of(const Items& items, std::string_view id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return i;
  return std::string::npos;
}

}  // namespace

const MeasureValue* Measure::value_in(std::size_t period) const {
  for (const auto& value : values)
    if (value.period == period) return &value;
  return nullptr;
}

bool Measure::filled_in(const MeasureValue& value) const {
  return value.value || !value.value_as_published.empty() || target_in(value.period) || value.published_rating;
}

const Target* Measure::target_in(std::size_t period) const {
  if (const auto* value = value_in(period); value && value->target) return &*value->target;
  return period == last_period && target ? &*target : nullptr;
}

MeasureRating Measure::rating_in(std::size_t period, const RatingThresholds& thresholds) const {
  const auto* value = value_in(period);
  const auto* period_target = target_in(period);
  // A status (awaiting data, TBC, …) explains the latest period: earlier figures are rated as they stand.
  const auto period_status = period == last_period ? status : MeasureStatus::none;
  auto result = rate_measure({value ? value->value : std::nullopt, period_target ? std::optional(*period_target) : std::nullopt, direction,
                              unit == "percent", period_status},
                             thresholds);
  if (!result.rating && value && value->value && !period_target && period_status == MeasureStatus::none && direction != Direction::none)
    result.reason = "No target published for this period";
  return result;
}

std::optional<Rating> Measure::council_rating_in(std::size_t period, const RatingThresholds& thresholds) const {
  if (auto computed = rating_in(period, thresholds).rating) return computed;
  const auto* value = value_in(period);
  return value ? value->published_rating : std::nullopt;
}

std::size_t Plan::priority_index(std::string_view id) const { return index_of(priorities, id); }
std::size_t Plan::measure_index(std::string_view id) const { return index_of(measures, id); }
std::size_t Plan::deliverable_index(std::string_view id) const { return index_of(deliverables, id); }

std::string Plan::priority_title(std::string_view id) const {
  const auto index = priority_index(id);
  return index < priorities.size() ? priorities[index].title : std::string();
}

std::string format_plan_date(const PlanDate& date) {
  auto text = format_date_long(date.date);
  return date.month_only ? text.substr(text.find(' ') + 1) : text;  // "1 April 2020" → "April 2020"
}

bool plan_date_before(const PlanDate& a, const PlanDate& b) {
  if (a.month_only || b.month_only) return std::pair{a.date.year, a.date.month} < std::pair{b.date.year, b.date.month};
  return a.date < b.date;
}

std::string plan_date_iso(const PlanDate& date) {
  const auto text = format_date_iso(date.date);
  return date.month_only ? text.substr(0, 7) : text;
}

std::string source_text(const Source& own, const Source& fallback) {
  const auto& source = own.empty() ? fallback : own;
  std::string text = source.document;
  if (!source.section.empty()) text += ", " + source.section;
  if (!source.page.empty()) text += ", page " + source.page;
  return text;
}

std::vector<std::string> published_value_notes(std::string_view as_published) {
  const auto text = to_lower_ascii(trim(as_published));
  std::vector<std::string> notes;
  if (text.find("(p)") != std::string::npos || text.find("provisional") != std::string::npos) notes.emplace_back("provisional");
  if (text.find("projection") != std::string::npos || text.find("projected") != std::string::npos) notes.emplace_back("a projection");
  if (text.find("a/y") != std::string::npos || text.find("academic year") != std::string::npos) notes.emplace_back("for the academic year");
  if (text == "red" || text == "amber" || text == "green") notes.emplace_back("a RAG rating, not a figure");
  return notes;
}

std::string target_text(const Target& target, const std::string& unit) {
  return target.as_published.empty() ? format_in_unit(target.value, unit) : target.as_published;
}

std::vector<std::string> count_differences(const PeriodCounts& published, const PeriodCounts& counted) {
  std::vector<std::string> differences;
  // Where the plan gives fewer ratings than the report counted (the report rates every measure
  // each quarter, the plan keeps only some of those ratings), its counts are not comparable.
  auto total = [](std::initializer_list<std::optional<int>> counts) {
    int sum = 0;
    for (const auto& count : counts) sum += count.value_or(0);
    return sum;
  };
  const bool ratings_comparable = total({counted.ratings[0], counted.ratings[1], counted.ratings[2], counted.ratings[3]}) >=
                                  total({published.ratings[0], published.ratings[1], published.ratings[2], published.ratings[3]});
  const bool travel_comparable =
      total({counted.improving, counted.no_change, counted.declining}) >= total({published.improving, published.no_change, published.declining});
  auto compare = [&](const std::optional<int>& said, const std::optional<int>& made, std::string_view what, std::string_view from = "ratings") {
    if (said && made && *said != *made)
      differences.push_back(fmt::format("the report counts {} {}; the {} given here add up to {}", *said, what, from, *made));
  };
  if (ratings_comparable)
    for (auto rating : {Rating::strong, Rating::good, Rating::review, Rating::action})
      compare(published.ratings[static_cast<std::size_t>(rating_score(rating) - 1)],
              counted.ratings[static_cast<std::size_t>(rating_score(rating) - 1)], rating_label(rating));
  if (travel_comparable) {
    compare(published.improving, counted.improving, "improving");
    compare(published.no_change, counted.no_change, "with no change");
    compare(published.declining, counted.declining, "declining");
  }
  compare(published.completed, counted.completed, "completed", "completion dates");
  return differences;
}

namespace {

/// The deliverable's update for the period, unless it has neither a rating nor a word: a row
/// still to fill in (`plainsight new period` adds one for each deliverable) reports nothing.
const DeliverableUpdate* update_in(const Deliverable& deliverable, std::size_t period) {
  for (const auto& update : deliverable.updates)
    if (update.period == period && (update.rating || !update.text.empty())) return &update;
  return nullptr;
}

/// A number for the period: "N/Av" or a RAG word is not a figure.
bool has_figure(const Measure& measure, std::size_t period) {
  const auto* value = measure.value_in(period);
  return value && value->value;
}

/// Counts the item as compared when both ratings are known, and adds it to `up` or `down` when they differ.
void add_rating_change(std::size_t item, const std::optional<Rating>& before, const std::optional<Rating>& after, std::size_t& compared,
                       std::vector<PlanChanges::RatingChange>& up, std::vector<PlanChanges::RatingChange>& down) {
  if (!before || !after) return;
  ++compared;
  if (*before != *after) (rating_score(*after) > rating_score(*before) ? up : down).push_back({item, *before, *after});
}

}  // namespace

bool period_reported(const Plan& plan, std::size_t period) {
  return std::any_of(plan.deliverables.begin(), plan.deliverables.end(), [&](const Deliverable& d) { return update_in(d, period) != nullptr; }) ||
         std::any_of(plan.measures.begin(), plan.measures.end(), [&](const Measure& m) { return has_figure(m, period); });
}

std::optional<std::size_t> latest_reported_period(const Plan& plan) {
  for (auto p = plan.periods.size(); p-- > 0;)
    if (period_reported(plan, p)) return p;
  return std::nullopt;
}

std::vector<std::size_t> periods_with_changes(const Plan& plan) {
  std::vector<std::size_t> periods;
  for (std::size_t p = 1; p < plan.periods.size(); ++p)
    if (period_reported(plan, p)) periods.push_back(p);
  return periods;
}

PlanChanges plan_changes(const Plan& plan, std::size_t period, const RatingThresholds& thresholds) {
  PlanChanges changes;
  changes.period = period;
  changes.previous = period - 1;
  const auto previous_end = to_utc_minutes(plan.periods[changes.previous].end), end = to_utc_minutes(plan.periods[period].end);
  for (std::size_t i = 0; i < plan.deliverables.size(); ++i) {
    const auto& deliverable = plan.deliverables[i];
    const auto* now = update_in(deliverable, period);
    const auto* before = update_in(deliverable, changes.previous);
    add_rating_change(i, before ? before->rating : std::nullopt, now ? now->rating : std::nullopt, changes.deliverables_compared,
                      changes.deliverables_up, changes.deliverables_down);
    if (deliverable.completed && to_utc_minutes(*deliverable.completed) > previous_end && to_utc_minutes(*deliverable.completed) <= end)
      changes.completed.push_back(i);
    const bool earlier = std::any_of(deliverable.updates.begin(), deliverable.updates.end(),
                                     [&](const auto& u) { return u.period < period && (u.rating || !u.text.empty()); });
    if (now && !earlier) changes.deliverables_added.push_back(i);
    if (before && !now) changes.deliverables_dropped.push_back(i);
  }
  for (std::size_t i = 0; i < plan.measures.size(); ++i) {
    const auto& measure = plan.measures[i];
    add_rating_change(i, measure.council_rating_in(changes.previous, thresholds), measure.council_rating_in(period, thresholds),
                      changes.measures_compared, changes.measures_up, changes.measures_down);
    const bool now = has_figure(measure, period), before = has_figure(measure, changes.previous);
    bool earlier = false;
    for (std::size_t p = 0; p < period; ++p) earlier = earlier || has_figure(measure, p);
    if (now) changes.new_figures.push_back(i);
    if (now && !earlier) changes.measures_added.push_back(i);
    if (before && !now) changes.measures_dropped.push_back(i);
    const auto* old_target = measure.target_in(changes.previous);
    const auto* new_target = measure.target_in(period);
    if (old_target && new_target) {
      auto old_text = target_text(*old_target, measure.unit), new_text = target_text(*new_target, measure.unit);
      if (old_text != new_text) changes.targets.push_back({i, std::move(old_text), std::move(new_text)});
    }
  }
  return changes;
}

std::vector<PeriodCounts> counted_trend(const Plan& plan, const RatingThresholds& thresholds) {
  std::vector<PeriodCounts> trend;
  auto add = [&](std::size_t period, bool measures, std::size_t items, auto rating_of, auto value_of) {
    PeriodCounts counts{period, measures, {0, 0, 0, 0}, 0, std::nullopt, std::nullopt, std::nullopt, std::nullopt, {}};
    bool any = false;
    std::array<int, 3> travel{};  // improving, no change, declining
    bool compared = false;
    for (std::size_t i = 0; i < items; ++i) {
      const auto rating = rating_of(i, period);
      if (!rating) {
        ++*counts.no_rating;
        continue;
      }
      any = true;
      ++*counts.ratings[static_cast<std::size_t>(rating_score(*rating) - 1)];
      if (period == 0) continue;
      const auto travel_of = plan.travel_rule == TravelRule::values && measures
                                 ? travel_of_values(value_of(i, period - 1), value_of(i, period), plan.measures[i].direction)
                                 : travel_of_ratings(rating_of(i, period - 1), rating);
      if (travel_of == Travel::unknown) continue;
      compared = true;
      ++travel[travel_of == Travel::improving ? 0 : travel_of == Travel::no_change ? 1 : 2];
    }
    if (!any) return;
    if (compared) counts.improving = travel[0], counts.no_change = travel[1], counts.declining = travel[2];
    if (!measures) {
      counts.completed = static_cast<int>(std::count_if(plan.deliverables.begin(), plan.deliverables.end(), [&](const Deliverable& d) {
        return d.completed && to_utc_minutes(*d.completed) <= to_utc_minutes(plan.periods[period].end);
      }));
    }
    trend.push_back(counts);
  };
  for (std::size_t p = 0; p < plan.periods.size(); ++p) {
    add(
        p, false, plan.deliverables.size(),
        [&](std::size_t i, std::size_t period) -> std::optional<Rating> {
          for (const auto& update : plan.deliverables[i].updates)
            if (update.period == period) return update.rating;
          return std::nullopt;
        },
        [](std::size_t, std::size_t) { return std::optional<double>(); });
    add(
        p, true, plan.measures.size(), [&](std::size_t i, std::size_t period) { return plan.measures[i].council_rating_in(period, thresholds); },
        [&](std::size_t i, std::size_t period) {
          const auto* value = plan.measures[i].value_in(period);
          return value ? value->value : std::nullopt;
        });
  }
  return trend;
}

std::optional<Plan> load_plan(const JsonSource& source, const RatingThresholds& thresholds, Diagnostics& diagnostics) {
  return PlanReader(source, thresholds, diagnostics).read();
}

}  // namespace plainsight
