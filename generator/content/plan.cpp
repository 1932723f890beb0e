#include "content/plan.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {
using nlohmann::json;

namespace {

const std::vector<std::string> plan_keys = {"title", "labels", "periods", "priorities", "deliverables", "measures"};
const std::vector<std::string> label_keys = {"priority", "priorities", "deliverable", "deliverables", "measure", "measures"};
const std::vector<std::string> period_keys = {"id", "label", "end"};
const std::vector<std::string> priority_keys = {"id", "title", "summary"};
const std::vector<std::string> deliverable_keys = {"id",           "priority",  "title", "lead",   "department", "start",   "due",
                                                   "original_due", "completed", "stage", "fields", "updates",    "measures"};
const std::vector<std::string> update_keys = {"period", "rating", "text"};
const std::vector<std::string> measure_keys = {"id",          "priority", "title",  "unit",      "direction",        "target",
                                               "responsible", "values",   "status", "benchmark", "published_rating", "note"};
const std::vector<std::string> value_keys = {"period", "value", "as_of"};
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
    read_labels(*root);
    read_list(*root, "periods", true, [&](const json& item, const std::string& at) { read_period(item, at); });
    read_list(*root, "priorities", true, [&](const json& item, const std::string& at) { read_priority(item, at); });
    read_list(*root, "measures", false, [&](const json& item, const std::string& at) { read_measure(item, at); });
    read_list(*root, "deliverables", false, [&](const json& item, const std::string& at) { read_deliverable(item, at); });
    if (failed_) return std::nullopt;
    derive();
    return std::move(plan_);
  }

 private:
  void error(std::string_view pointer, std::string message) {
    read_.error(pointer, std::move(message));
    failed_ = true;
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
                             {"measures", &l.measures}})
      if (auto text = read_.text(*labels, "/labels", key); !text.empty()) *into = text;
  }

  void read_period(const json& item, const std::string& at) {
    read_.only_keys(item, at, period_keys);
    PlanPeriod period;
    period.id = read_id(item, at, period_ids_, "period");
    period.label = read_.text(item, at, "label");
    if (period.label.empty()) period.label = period.id;
    const auto end = read_.date(item, at, "end");
    if (!end) {
      if (!item.contains("end")) error(at, "missing \"end\" (expected the date the period ends, such as \"2022-03-31\")");
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
    plan_.priorities.push_back(std::move(priority));
  }

  std::string read_priority_ref(const json& item, const std::string& at) {
    auto id = read_.text(item, at, "priority", true);
    if (!id.empty() && !priority_ids_.contains(id)) {
      std::vector<std::string> known(priority_ids_.begin(), priority_ids_.end());
      error(at + "/priority", "unknown priority \"" + id + "\"" + did_you_mean(id, known) + " (expected the id of one of the plan's priorities)");
    }
    return id;
  }

  std::optional<std::size_t> read_period_ref(const json& item, const std::string& at, std::set<std::size_t>& used) {
    const auto id = read_.text(item, at, "period", true);
    for (std::size_t p = 0; p < plan_.periods.size(); ++p) {
      if (plan_.periods[p].id != id) continue;
      if (!used.insert(p).second) error(at + "/period", "period \"" + id + "\" appears twice (one entry per period)");
      return p;
    }
    if (!id.empty()) {
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
    error(at + "/" + key, "\"" + word + "\" is not a rating" + did_you_mean(word, rating_words) + " (expected strong, good, review, action or null)");
    return std::nullopt;
  }

  void read_measure(const json& item, const std::string& at) {
    read_.only_keys(item, at, measure_keys);
    Measure measure;
    measure.where = read_.at(at);
    measure.id = read_id(item, at, measure_ids_, "measure");
    measure.priority = read_priority_ref(item, at);
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
    measure.target = read_.number(item, at, "target");
    measure.responsible = read_.text(item, at, "responsible");
    measure.note = read_markdown(item, at, "note");
    if (const auto status = read_.text(item, at, "status"); !status.empty()) {
      if (auto parsed = parse_measure_status(status))
        measure.status = *parsed;
      else
        error(at + "/status", "unknown status \"" + status + "\"" + did_you_mean(status, status_words) +
                                  " (expected awaiting-data, not-available, tbc, monitor or null)");
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
    deliverable.priority = read_priority_ref(item, at);
    deliverable.title = read_.text(item, at, "title", true);
    deliverable.lead = read_.text(item, at, "lead");
    deliverable.department = read_.text(item, at, "department");
    deliverable.stage = read_.text(item, at, "stage");
    deliverable.start = read_.date(item, at, "start");
    deliverable.due = read_.date(item, at, "due");
    deliverable.original_due = read_.date(item, at, "original_due");
    deliverable.completed = read_.date(item, at, "completed");
    if (deliverable.start && deliverable.due && *deliverable.due < *deliverable.start)
      error(at + "/due", "due date " + format_date_iso(*deliverable.due) + " is before the start date " + format_date_iso(*deliverable.start));
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

  void derive() {
    for (auto& measure : plan_.measures) {
      std::optional<double> previous;
      for (std::size_t i = 0; i < measure.values.size(); ++i) {
        if (!measure.values[i].value) continue;
        if (measure.latest) previous = measure.values[*measure.latest].value;
        measure.latest = i;
      }
      const auto latest_value = measure.latest ? measure.values[*measure.latest].value : std::nullopt;
      measure.rating = rate_measure({latest_value, measure.target, measure.direction, measure.unit == "percent", measure.status}, thresholds_);
      measure.travel = travel_of_values(previous, latest_value, measure.direction);
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
  std::set<std::string> period_ids_, priority_ids_, measure_ids_, deliverable_ids_;
};

template <typename Items>
std::size_t index_of(const Items& items, std::string_view id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return i;
  return std::string::npos;
}

}  // namespace

std::optional<Rating> Measure::rating_in(std::size_t period, const RatingThresholds& thresholds) const {
  for (const auto& value : values)
    if (value.period == period) return rate_measure({value.value, target, direction, unit == "percent", status}, thresholds).rating;
  return std::nullopt;
}

std::size_t Plan::priority_index(std::string_view id) const { return index_of(priorities, id); }
std::size_t Plan::measure_index(std::string_view id) const { return index_of(measures, id); }
std::size_t Plan::deliverable_index(std::string_view id) const { return index_of(deliverables, id); }

std::optional<Plan> load_plan(const JsonSource& source, const RatingThresholds& thresholds, Diagnostics& diagnostics) {
  return PlanReader(source, thresholds, diagnostics).read();
}

}  // namespace plainsight
