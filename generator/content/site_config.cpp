#include "content/site_config.hpp"

#include <array>

#include "core/files.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace {

const std::vector<std::string> known_keys = {"title",      "council",     "description", "base_url",    "language", "currency",
                                             "population", "theme",       "paginate",    "markdown",    "menu",     "ocid_prefix",
                                             "ratings",    "procurement", "licence",     "licence_url", "org_id",   "department_aliases"};

class ConfigReader {
 public:
  ConfigReader(const JsonSource& source, Diagnostics& diagnostics) : source_(source), diagnostics_(diagnostics) {}

  void text(const nlohmann::json& object, const std::string& pointer, const char* key, std::string& into, bool required = false) {
    const auto at = json_pointer_append(pointer, key);
    if (!object.contains(key)) {
      if (required) diagnostics_.error(source_.at(pointer), std::string("missing \"") + key + "\" (expected a string)");
      return;
    }
    const auto& value = object.at(key);
    if (!value.is_string()) return wrong_type(at, "a string", value);
    into = value.get<std::string>();
    if (required && trim(into).empty()) diagnostics_.error(source_.at(at), std::string("\"") + key + "\" must not be empty");
  }

  void wrong_type(const std::string& pointer, const char* expected, const nlohmann::json& found) {
    diagnostics_.error(source_.at(pointer), std::string("expected ") + expected + ", found " + json_type_name(found));
  }

  void error(const std::string& pointer, std::string message) { diagnostics_.error(source_.at(pointer), std::move(message)); }

 private:
  const JsonSource& source_;
  Diagnostics& diagnostics_;
};

void read_thresholds(const JsonSource& source, Diagnostics& diagnostics, RatingThresholds& thresholds) {
  JsonReader reader(source, diagnostics);
  const auto* ratings = reader.object(source.value["ratings"], "/ratings", "rating thresholds");
  if (!ratings) return;
  reader.only_keys(*ratings, "/ratings", {"strong", "strong_high_target", "high_target", "good", "review"});
  for (auto [key, into] : {std::pair{"strong", &thresholds.strong},
                           {"strong_high_target", &thresholds.strong_high_target},
                           {"high_target", &thresholds.high_target},
                           {"good", &thresholds.good},
                           {"review", &thresholds.review}})
    if (auto value = reader.number(*ratings, "/ratings", key)) *into = *value;
  if (!(thresholds.strong >= 0 && thresholds.strong_high_target >= 0 && thresholds.good <= 0 && thresholds.review <= thresholds.good))
    reader.error("/ratings", "rating thresholds must satisfy review ≤ good ≤ 0 ≤ strong (as fractions: 0.05 is 5%)");
}

/// Why a link from site.json may not be used, or "" when it is an http(s) URL, a mailto: address or
/// a path on this site. Browsers run javascript: and data: links, read "//host" and "/\host" as
/// another site, and drop tabs and line breaks from inside a URL, so only those three forms pass.
std::string link_problem(std::string_view url) {
  for (const char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F || c == '\\')
      return "must not hold spaces, control characters or backslashes (write a space as %20)";
  const auto lower = to_lower_ascii(url);
  for (std::string_view scheme : {"https://", "http://", "mailto:"})
    if (lower.starts_with(scheme) && lower.size() > scheme.size()) return "";
  if (url.starts_with('/') && !url.starts_with("//")) return "";
  const auto colon = url.find(':');
  const auto found =
      colon != std::string_view::npos && url.find('/') > colon ? " (\"" + std::string(url.substr(0, colon + 1)) + "\" is not allowed)" : "";
  return std::string("must be a path on this site such as \"/news/\", an http or https URL, or a mailto: address") + found;
}

}  // namespace

const std::string& department_name(const SiteConfig& config, const std::string& name) {
  const auto found = config.department_aliases.find(name);
  return found == config.department_aliases.end() ? name : found->second;
}

std::optional<OrgId> split_org_id(std::string_view org_id) {
  // org-id.guide: a list code is a country (or XI/XM) code and a list name, "GB-LAE"; the
  // identifier after it may hold hyphens of its own.
  const auto first = org_id.find('-');
  if (first != 2) return std::nullopt;
  const auto second = org_id.find('-', first + 1);
  if (second == std::string_view::npos || second == first + 1 || second + 1 >= org_id.size()) return std::nullopt;
  for (std::size_t i = 0; i < second; ++i)
    if (i != first && !((org_id[i] >= 'A' && org_id[i] <= 'Z') || (org_id[i] >= '0' && org_id[i] <= '9'))) return std::nullopt;
  for (const char c : org_id.substr(second + 1))
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) return std::nullopt;
  return OrgId{std::string(org_id.substr(0, second)), std::string(org_id.substr(second + 1))};
}

bool set_base_url(SiteConfig& config, std::string url) {
  const auto scheme_end = url.find("://");
  if (!(url.starts_with("http://") || url.starts_with("https://")) || scheme_end == std::string::npos || url.size() <= scheme_end + 3 ||
      url.find_first_of(" \t\"<>") != std::string::npos)
    return false;
  if (url.back() != '/') url += '/';
  const auto path_start = url.find('/', scheme_end + 3);
  config.base_path = url.substr(path_start);
  config.base_url = std::move(url);
  return true;
}

std::optional<SiteConfig> load_site_config(const std::filesystem::path& site_dir, Diagnostics& diagnostics) {
  SiteConfig config;
  const auto path = site_dir / "site.json";
  const auto text = read_file(path);
  if (!text) {
    diagnostics.error({config.file}, "cannot read site.json (expected a site folder with site.json, content/ and themes/; use --site DIR)");
    return std::nullopt;
  }
  const auto source = parse_json(*text, config.file, diagnostics);
  if (!source) return std::nullopt;
  const auto& root = source->value;
  ConfigReader read(*source, diagnostics);
  if (!root.is_object()) {
    read.wrong_type("", "an object", root);
    return std::nullopt;
  }
  const auto errors_before = diagnostics.error_count();
  for (const auto& [key, value] : root.items()) {
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end())
      read.error(json_pointer_append("", key), "unknown setting \"" + key + "\"" + did_you_mean(key, known_keys));
  }
  read.text(root, "", "title", config.title, true);
  read.text(root, "", "council", config.council);
  read.text(root, "", "description", config.description);
  read.text(root, "", "language", config.language);
  read.text(root, "", "currency", config.currency);
  read.text(root, "", "theme", config.theme);
  read.text(root, "", "licence", config.licence);
  read.text(root, "", "licence_url", config.licence_url);
  if (const auto problem = link_problem(config.licence_url); root.contains("licence_url") && !problem.empty())
    read.error("/licence_url", "licence_url " + problem);
  read.text(root, "", "ocid_prefix", config.ocid_prefix);
  read.text(root, "", "org_id", config.org_id);
  if (root.contains("org_id") && root["org_id"].is_string() && !split_org_id(config.org_id))
    read.error("/org_id",
               "org_id must be an organisation identifier as org-id.guide writes it, list code then identifier, such as \"GB-LAE-DBY\" "
               "(GB-LAE: the Local Authorities for England register)");
  if (root.contains("department_aliases")) {
    const auto& aliases = root["department_aliases"];
    if (!aliases.is_object())
      read.wrong_type("/department_aliases",
                      "an object of other spellings and the name to use, such as {\"Adult Care\": \"Adult Social Care and Health\"}", aliases);
    else
      for (const auto& [alias, name] : aliases.items()) {
        const auto at = json_pointer_append("/department_aliases", alias);
        if (!name.is_string() || trim(name.get<std::string>()).empty())
          read.error(at, "the alias \"" + alias + "\" needs the department's name as a string");
        else if (aliases.contains(name.get<std::string>()))
          read.error(at, "\"" + name.get<std::string>() + "\" is itself an alias: give the name the site uses");
        else
          config.department_aliases[alias] = name.get<std::string>();
      }
  }
  std::string base_url;
  read.text(root, "", "base_url", base_url, true);
  if (!base_url.empty() && !set_base_url(config, base_url))
    read.error("/base_url", "base_url must be an absolute http or https URL such as \"https://www.example.gov.uk/\"");
  if (config.currency.size() != 3) read.error("/currency", "currency must be a three-letter ISO 4217 code such as \"GBP\"");

  if (root.contains("population")) {
    const auto& value = root["population"];
    if (!value.is_number() || value.get<double>() <= 0)
      read.error("/population", "population must be a positive number");
    else
      config.population = value.get<double>();
  }
  if (root.contains("paginate")) {
    const auto& value = root["paginate"];
    if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 1000)
      read.error("/paginate", "paginate must be a whole number from 1 to 1000 (pages per list page)");
    else
      config.paginate = value.get<int>();
  }
  if (root.contains("markdown")) {
    const auto& markdown = root["markdown"];
    if (!markdown.is_object())
      read.wrong_type("/markdown", "an object such as {\"unsafe_html\": false}", markdown);
    else
      for (const auto& [key, value] : markdown.items()) {
        if (key != "unsafe_html")
          read.error(json_pointer_append("/markdown", key), "unknown markdown setting \"" + key + "\" (expected \"unsafe_html\")");
        else if (!value.is_boolean())
          read.wrong_type("/markdown/unsafe_html", "true or false", value);
        else
          config.unsafe_html = value.get<bool>();
      }
  }
  if (root.contains("menu")) {
    const auto& menu = root["menu"];
    if (!menu.is_array())
      read.wrong_type("/menu", "a list of {\"title\": …, \"url\": …}", menu);
    else
      for (std::size_t i = 0; i < menu.size(); ++i) {
        const auto pointer = "/menu/" + std::to_string(i);
        if (!menu[i].is_object()) {
          read.wrong_type(pointer, "an object with \"title\" and \"url\"", menu[i]);
          continue;
        }
        MenuItem item;
        read.text(menu[i], pointer, "title", item.title, true);
        read.text(menu[i], pointer, "url", item.url, true);
        if (const auto problem = link_problem(item.url); !item.url.empty() && !problem.empty()) read.error(pointer + "/url", "url " + problem);
        item.where = source->at(pointer + "/url");
        config.menu.push_back(std::move(item));
      }
  }
  if (root.contains("procurement")) {
    if (!root["procurement"].is_object())
      read.wrong_type("/procurement", "an object", root["procurement"]);
    else
      config.procurement = root["procurement"];
  }
  if (root.contains("ratings")) read_thresholds(*source, diagnostics, config.ratings);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return config;
}

}  // namespace plainsight
