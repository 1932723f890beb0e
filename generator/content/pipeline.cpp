#include "content/pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/csv.hpp"
#include "core/format.hpp"
#include "core/json_source.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace {

const std::vector<std::string> pipeline_columns = {"title",    "value", "start", "department", "group",     "reference",
                                                   "category", "end",   "notes", "band",       "start_kind"};
const std::vector<std::string> required_columns = {"title", "value", "start", "department"};

/// One row's fields, whichever format they came from, with where each is.
struct RawRow {
  std::map<std::string, std::string> fields;
  std::map<std::string, SourceLocation> where;
  int line = 0;
};

class ProjectReader {
 public:
  ProjectReader(const std::string& file, const ProcurementSettings& settings, Diagnostics& diagnostics)
      : file_(file), settings_(settings), diagnostics_(diagnostics) {}

  void add(const RawRow& row) {
    Project project;
    project.line = row.line;
    auto field = [&](const char* name) {
      const auto found = row.fields.find(name);
      return found == row.fields.end() ? std::string{} : std::string(trim(found->second));
    };
    auto error = [&](const char* column, const std::string& message) {
      const auto found = row.where.find(column);
      diagnostics_.error(found == row.where.end() ? SourceLocation{file_, row.line, 1} : found->second, message);
      ok_ = false;
    };
    project.title = field("title");
    project.department_as_published = field("department");
    if (const auto where = row.where.find("department"); where != row.where.end()) project.department_where = where->second;
    if (const auto alias = settings_.department_aliases.find(project.department_as_published); alias != settings_.department_aliases.end())
      project.department = alias->second;
    else
      project.department = project.department_as_published;
    project.group = field("group");
    project.reference = field("reference");
    project.category = field("category");
    project.notes = field("notes");
    if (project.title.empty()) error("title", "row " + std::to_string(row.line) + " has no title (every project needs its contract title)");
    if (project.department.empty()) error("department", "\"" + project.title + "\" has no department");
    if (!project.category.empty() && project.category != "goods" && project.category != "services" && project.category != "works")
      error("category", "category \"" + project.category + "\" is not goods, services or works");

    project.value_text = field("value");
    if (auto word = not_yet_known_word(project.value_text))
      project.value_unknown = word->empty() ? "Not given" : *word;
    else if (auto amount = parse_amount(project.value_text); amount && *amount >= 0)
      project.value = amount;
    else
      error("value", "value \"" + project.value_text + "\" of \"" + project.title +
                         "\" is not an amount (expected a figure such as £1,500,000.00 or 36,000, or TBA, TBC, Unknown, N/A or NIL)");

    auto read_date = [&](const char* column, std::optional<PublishedDate>& into, std::string& text, std::string* unknown) {
      text = field(column);
      if (text.empty() && !unknown) return;
      if (auto word = not_yet_known_word(text)) {
        if (unknown) *unknown = word->empty() ? "Not given" : *word;
        return;
      }
      into = parse_published_date(text);
      if (!into)
        error(column,
              std::string(column) + " date \"" + text + "\" of \"" + project.title +
                  "\" is not a date (expected dd/mm/yyyy, mm/yyyy, yyyy-mm-dd, a month such as April 2020, a year, or TBA, TBC, Unknown, N/A)");
    };
    read_date("start", project.start, project.start_text, &project.start_unknown);
    if (const auto kind = to_lower_ascii(field("start_kind")); kind.empty() || kind == "procurement-start" || kind == "procurement start")
      project.start_kind = StartKind::procurement_start;
    else if (kind == "contract-award" || kind == "contract award")
      project.start_kind = StartKind::contract_award;
    else
      error("start_kind", "start_kind \"" + field("start_kind") + "\" of \"" + project.title +
                              "\" is not procurement-start or contract-award (what the plan says its dates are estimates of)");
    std::string end_text;
    read_date("end", project.end, end_text, nullptr);

    const auto published_band = field("band");
    if (!published_band.empty() &&
        std::none_of(settings_.bands.begin(), settings_.bands.end(), [&](const auto& b) { return b.id == published_band; }))
      error("band", "band \"" + published_band + "\" is not one of the bands in site.json");
    // The band the council listed a project in wins; a value that does not fit it is a warning
    // shown on the page and in open data, never a silent move to another band. It is not a build
    // warning: it is what the plan says, and nothing the site's author can put right.
    if (project.value) project.band_from_value = band_of(*project.value, settings_);
    project.band_published = !published_band.empty();
    project.band = project.band_published ? published_band : project.band_from_value;
    if (project.band_published && project.value && ok_ && !band_fits(*project.value, published_band, settings_))
      project.band_warning = format_money(*project.value) + " is outside the band it is listed in, " + label_of(published_band) +
                             " (by value it is " + label_of(project.band_from_value) + ")";

    // A stable id: the council's reference, else department and title, numbered when repeated.
    auto base = slugify(project.reference.empty() ? project.department + " " + project.title : project.reference);
    if (base.size() > 80) {
      std::size_t cut = 80;
      while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;  // never split a character
      base.resize(cut);
    }
    while (!base.empty() && base.back() == '-') base.pop_back();
    if (base.empty()) base = "contract";  // a title of punctuation alone: the anchor still needs a name
    // Numbered when repeated, past any id another project has already ("CR", "CR", "CR – 2").
    project.id = base;
    for (auto& number = next_number_[base]; !ids_.insert(project.id).second;) project.id = base + "-" + std::to_string(2 + number++);
    projects_.push_back(std::move(project));
  }

  bool ok() const { return ok_; }

  /// Marks each project that repeats an earlier one's title and value, so totals count it once.
  /// The page and open data say so; it is not a build warning, since the plan itself lists it twice.
  void mark_duplicates() {
    std::map<std::string, std::size_t> first;
    for (auto& project : projects_) {
      if (!project.value) continue;  // "TBA" twice is two projects not yet valued, not one project
      // The same title whatever its capitals and spacing, and the same value to the penny.
      std::string key;
      bool space = false;
      for (const char c : project.title) {
        if (std::isspace(static_cast<unsigned char>(c))) {
          space = !key.empty();
          continue;
        }
        if (space) key += ' ';
        space = false;
        key += c;
      }
      key = to_lower_ascii(key) + '\x1f' + fmt::format("{:.2f}", *project.value);
      const auto [found, added] = first.emplace(std::move(key), &project - projects_.data());
      if (!added) project.duplicate_of = projects_[found->second].id;
    }
  }

  std::vector<Project> take() { return std::move(projects_); }

 private:
  std::string label_of(const std::string& band_id) const {
    for (const auto& band : settings_.bands)
      if (band.id == band_id) return "\"" + band.label + "\"";
    return "in no band";
  }

  const std::string& file_;
  const ProcurementSettings& settings_;
  Diagnostics& diagnostics_;
  std::vector<Project> projects_;
  std::set<std::string> ids_;
  std::map<std::string, int> next_number_;  ///< for each base, how many numbers its repeats have tried (from 2)
  bool ok_ = true;
};

}  // namespace

std::string_view start_kind_id(StartKind kind) { return kind == StartKind::contract_award ? "contract-award" : "procurement-start"; }

std::string_view start_kind_label(StartKind kind) {
  return kind == StartKind::contract_award ? "Estimated contract award" : "Estimated procurement start";
}

namespace {
bool in_band(double value, const ProcurementBand& band) {
  if (value < band.from || !band.to) return value >= band.from;
  return band.to_exclusive ? value < *band.to : value <= *band.to;
}
}  // namespace

std::string band_of(double value, const ProcurementSettings& settings) {
  for (const auto& band : settings.bands)
    if (in_band(value, band)) return band.id;
  return "";
}

bool band_fits(double value, const std::string& band_id, const ProcurementSettings& settings) {
  for (const auto& band : settings.bands)
    if (band.id == band_id) return in_band(value, band);
  return false;
}

ProcurementSettings procurement_settings(const nlohmann::json& settings, const std::string& ocid_prefix, const std::string& file,
                                         Diagnostics& diagnostics) {
  ProcurementSettings result;
  result.ocid_prefix = ocid_prefix;
  if (settings.contains("threshold")) {
    if (settings["threshold"].is_number() && settings["threshold"].get<double>() > 50000)
      result.threshold = settings["threshold"].get<double>();
    else
      diagnostics.error({file}, "procurement.threshold must be a number of pounds above 50,000");
  }
  if (settings.contains("bands") && settings["bands"].is_array()) {
    for (const auto& band : settings["bands"]) {
      if (!band.is_object() || !band.value("id", nlohmann::json()).is_string() || !band.value("from", nlohmann::json()).is_number()) {
        diagnostics.error({file}, "each procurement band needs \"id\", \"label\", \"from\" and \"to\" (null for the top band)");
        continue;
      }
      const auto to = band.value("to", nlohmann::json());
      result.bands.push_back({band["id"].get<std::string>(), band.value("label", band["id"].get<std::string>()), band["from"].get<double>(),
                              to.is_number() ? std::optional<double>(to.get<double>()) : std::nullopt});
    }
  } else {
    const auto threshold = format_money(result.threshold);
    result.bands = {{"lower", "£25,000 to £50,000", 25000, 50000},
                    {"middle", "£50,000 to " + threshold, 50000, result.threshold},
                    {"upper", "Above " + threshold, result.threshold, std::nullopt}};
  }
  // Plans list some contracts worth less than the lowest band: their value is known, so they
  // get a band of their own rather than counting as "not known".
  if (!result.bands.empty() && result.bands.front().from > 0)
    result.bands.insert(result.bands.begin(), {"below", "Under " + format_money(result.bands.front().from), 0, result.bands.front().from, true});
  return result;
}

std::optional<Pipeline> load_pipeline(std::string_view text, bool is_json, const std::string& file, const ProcurementSettings& settings,
                                      Diagnostics& diagnostics) {
  ProjectReader reader(file, settings, diagnostics);
  if (is_json) {
    const auto source = parse_json(text, file, diagnostics);
    if (!source) return std::nullopt;
    JsonReader read(*source, diagnostics);
    if (!source->value.is_array()) {
      read.error("", "expected a list of projects in [ ], found " + json_type_name(source->value));
      return std::nullopt;
    }
    for (std::size_t i = 0; i < source->value.size(); ++i) {
      const auto at = "/" + std::to_string(i);
      const auto* item = read.object(source->value[i], at, "a project");
      if (!item) continue;
      read.only_keys(*item, at, pipeline_columns);
      RawRow row;
      row.line = source->at(at).line;
      for (const auto& [key, value] : item->items()) {
        row.where[key] = source->at(json_pointer_append(at, key));
        row.fields[key] = value.is_string() ? value.get<std::string>() : value.is_null() ? "" : value.dump();
      }
      reader.add(row);
    }
  } else {
    const auto table = parse_csv(text, file, diagnostics);
    if (!table) return std::nullopt;
    bool columns_ok = true;
    for (const auto& name : required_columns)
      if (table->column(name) == std::string::npos) {
        diagnostics.error({file, 1, 1}, "no \"" + name + "\" column (a pipeline needs title, value, start and department; see docs/pipeline.md)");
        columns_ok = false;
      }
    for (std::size_t c = 0; c < table->header.size(); ++c)
      if (std::find(pipeline_columns.begin(), pipeline_columns.end(), to_lower_ascii(trim(table->header[c]))) == pipeline_columns.end())
        diagnostics.warning({file, 1, table->header_columns[c]},
                            "column \"" + table->header[c] + "\" is not used" + did_you_mean(table->header[c], pipeline_columns));
    if (!columns_ok) return std::nullopt;
    for (std::size_t r = 0; r < table->rows.size(); ++r) {
      RawRow row;
      row.line = table->row_lines[r];
      for (std::size_t c = 0; c < table->header.size(); ++c) {
        const auto& cell = table->rows[r][c];
        const auto key = to_lower_ascii(trim(table->header[c]));
        row.fields[key] = cell.text;
        row.where[key] = {file, cell.line, cell.column};
      }
      reader.add(row);
    }
  }
  if (!reader.ok()) return std::nullopt;
  reader.mark_duplicates();
  return Pipeline{file, "", reader.take()};
}

}  // namespace plainsight
