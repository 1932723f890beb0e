#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostics.hpp"
#include "core/json_source.hpp"
#include "ratings/ratings.hpp"

namespace plainsight {

struct MenuItem {
  std::string title;
  std::string url;  ///< a site path such as "/news/"
  SourceLocation where;
};

/// site.json: settings for the whole site.
struct SiteConfig {
  std::string title;
  std::string council;
  std::string description;
  std::string base_url = "http://localhost/";  ///< absolute, ends with "/"
  std::string base_path = "/";                 ///< the path part of base_url
  std::string language = "en-GB";
  std::string currency = "GBP";
  std::string theme = "default";
  std::string licence = "Open Government Licence v3.0";
  std::string licence_url = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";
  std::string ocid_prefix;
  /// The council's organisation identifier in org-id.guide form, scheme then identifier:
  /// "GB-LAE-DBY" (scheme GB-LAE, the Local Authorities for England register). "" when not given.
  std::string org_id;
  /// Other spellings of a department's name → the name the site uses ("Adult Care" → "Adult
  /// Social Care and Health"), so one department named two ways is counted once.
  std::map<std::string, std::string> department_aliases;
  std::optional<double> population;
  int paginate = 10;
  bool unsafe_html = false;
  std::vector<MenuItem> menu;
  RatingThresholds ratings;
  /// Settings owned by later stages (procurement bands), kept as given.
  nlohmann::json procurement = nlohmann::json::object();
  std::string file = "site.json";  ///< for messages
};

/// The name the site uses for a department: its alias in site.json's "department_aliases", or the name as given.
[[nodiscard]] const std::string& department_name(const SiteConfig& config, const std::string& name);

/// An org-id split into its scheme ("GB-LAE") and identifier ("DBY"); nullopt when it is not of that form.
struct OrgId {
  std::string scheme, id;
};
[[nodiscard]] std::optional<OrgId> split_org_id(std::string_view org_id);

/// Reads and validates site_dir/site.json. Returns nullopt after reporting errors.
[[nodiscard]] std::optional<SiteConfig> load_site_config(const std::filesystem::path& site_dir, Diagnostics& diagnostics);

/// Sets base_url (adding a trailing "/") and derives base_path; false if it is not an http(s) URL.
bool set_base_url(SiteConfig& config, std::string url);

}  // namespace plainsight
