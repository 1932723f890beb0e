#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace plainsight {

/// A department of the council (docs/departments.md): a page with `type: department`.
struct Department {
  std::string slug, url, title;
  std::vector<std::string> short_names, other_names, divisions;
  std::string director, director_title, staff;
  std::string source;                       ///< the document its facts come from, as its page's front matter says
  std::vector<std::string> budget_in_text;  ///< what its own overview says its budget is: "exceeding £76.4m"
  SourceLocation where;
};

/// Which department a name means, and the division when the name is one of its divisions.
struct DepartmentRef {
  std::size_t department = 0;  ///< index into SiteModel::departments
  std::string division;
};

/// Every name a department goes by, for resolving the names that data files use.
class DepartmentNames {
 public:
  DepartmentNames() = default;
  /// `aliases` are site.json's department_aliases: another spelling → a department's name.
  DepartmentNames(const std::vector<Department>& departments, const std::map<std::string, std::string>& aliases);

  /// The department a name means: its title, a short or other name, a division or an alias.
  /// Case, curly apostrophes, "&" for "and" and repeated spaces do not matter.
  [[nodiscard]] std::optional<DepartmentRef> find(std::string_view name) const;

  /// A field's names one by one: several are separated by "/" ("ETE / CCP"), unless the whole is
  /// one name; each with the department it is, if any. "All departments" and "None" give none.
  struct Part {
    std::string name;
    std::optional<DepartmentRef> department;
  };
  [[nodiscard]] std::vector<Part> parts(std::string_view names) const;

  /// Each department a field names: those of its parts, or every one for "All departments".
  /// Names that resolve to none are left out; `unknown` receives them, when given.
  [[nodiscard]] std::vector<DepartmentRef> find_all(std::string_view names, std::vector<std::string>* unknown = nullptr) const;

  /// A name two departments answer to, or an alias to no department: data naming it could not
  /// say which it means. `department` is the second claimant (or the alias's), `other` the first.
  struct Clash {
    std::string name;
    std::size_t department = 0, other = 0;
    bool alias = false;
  };
  [[nodiscard]] const std::vector<Clash>& clashes() const { return clashes_; }

  /// The names known, as written, for "did you mean".
  [[nodiscard]] const std::vector<std::string>& spellings() const { return spellings_; }

  [[nodiscard]] bool empty() const { return by_key_.empty(); }

 private:
  std::map<std::string, DepartmentRef, std::less<>> by_key_;
  std::vector<std::string> spellings_;
  std::vector<Clash> clashes_;
  std::size_t count_ = 0;
};

/// The key names are compared by: lower case, "and" for "&", straight apostrophes, single spaces.
[[nodiscard]] std::string department_name_key(std::string_view name);

/// Whether a field says "All departments", or "None": words, not departments.
[[nodiscard]] bool names_all_departments(std::string_view names);
[[nodiscard]] bool names_no_department(std::string_view names);

/// What a department's overview says about its budget, against the figure its budget table
/// gives (in pounds): "" when they agree, otherwise a sentence saying how they differ.
/// "exceeding £76.4m" disagrees with £76,285,000; "£59 million" agrees with £59,400,000.
[[nodiscard]] std::string budget_text_difference(std::string_view text, double table_amount);

}  // namespace plainsight
