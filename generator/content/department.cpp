#include "content/department.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {

std::string department_name_key(std::string_view name) {
  std::string key;
  bool space = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    if (name.substr(i).starts_with("\xE2\x80\x99") || name.substr(i).starts_with("\xE2\x80\x98")) {  // ’ ‘
      key += '\'';
      i += 2;
    } else if (c == '&') {
      key += "and";
    } else {
      key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  return key;
}

bool names_all_departments(std::string_view names) { return department_name_key(names) == "all departments"; }
bool names_no_department(std::string_view names) { return department_name_key(names) == "none"; }

DepartmentNames::DepartmentNames(const std::vector<Department>& departments, const std::map<std::string, std::string>& aliases)
    : count_(departments.size()) {
  auto add = [&](const std::string& name, DepartmentRef ref) {
    if (trim(name).empty()) return;
    const auto [found, added] = by_key_.emplace(department_name_key(name), ref);
    if (added)
      spellings_.push_back(name);
    else if (found->second.department != ref.department)
      clashes_.push_back({name, ref.department, found->second.department, false});
  };
  // Names first, then divisions, so that a division named like a department cannot take its name.
  for (std::size_t d = 0; d < departments.size(); ++d) {
    add(departments[d].title, {d, ""});
    for (const auto& name : departments[d].short_names) add(name, {d, ""});
    for (const auto& name : departments[d].other_names) add(name, {d, ""});
  }
  for (std::size_t d = 0; d < departments.size(); ++d)
    for (const auto& division : departments[d].divisions) add(division, {d, division});
  if (departments.empty()) return;
  for (const auto& [alias, name] : aliases) {
    if (const auto found = by_key_.find(department_name_key(name)); found != by_key_.end())
      add(alias, found->second);
    else
      clashes_.push_back({alias, 0, 0, true});
  }
}

std::optional<DepartmentRef> DepartmentNames::find(std::string_view name) const {
  const auto found = by_key_.find(department_name_key(name));
  if (found == by_key_.end()) return std::nullopt;
  return found->second;
}

std::vector<DepartmentNames::Part> DepartmentNames::parts(std::string_view names) const {
  std::vector<Part> parts;
  if (names_all_departments(names) || names_no_department(names)) return parts;
  if (const auto whole = find(names)) return {{std::string(trim(names)), whole}};
  for (std::size_t start = 0; start <= names.size();) {
    const auto end = std::min(names.find('/', start), names.size());
    const auto name = trim(names.substr(start, end - start));
    start = end + 1;
    if (!name.empty()) parts.push_back({std::string(name), find(name)});
  }
  return parts;
}

std::vector<DepartmentRef> DepartmentNames::find_all(std::string_view names, std::vector<std::string>* unknown) const {
  std::vector<DepartmentRef> found;
  if (names_all_departments(names)) {
    for (std::size_t d = 0; d < count_; ++d) found.push_back({d, ""});
    return found;
  }
  for (auto& part : parts(names)) {
    if (part.department)
      found.push_back(*part.department);
    else if (unknown)
      unknown->push_back(std::move(part.name));
  }
  return found;
}

namespace {

/// "£76.4m" → 76,400,000 with the place of its last digit (100,000).
struct StatedAmount {
  double amount = 0, precision = 1;
};

std::optional<StatedAmount> read_stated_amount(std::string_view text) {
  const auto pound = text.find("\xC2\xA3");
  if (pound == std::string_view::npos) return std::nullopt;
  std::size_t i = pound + 2;
  std::string digits;
  int decimals = -1;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      digits += text[i];
      if (decimals >= 0) ++decimals;
    } else if (text[i] == '.' && decimals < 0 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
      digits += '.';
      decimals = 0;
    } else if (text[i] != ',') {
      break;
    }
  }
  // A budget is not written with more digits than this; more would be no figure at all.
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  const auto rest = to_lower_ascii(trim(text.substr(i)));
  double scale = 1;
  if (rest.starts_with("bn") || rest.starts_with("billion"))
    scale = 1e9;
  else if (rest.starts_with("m") || rest.starts_with("million"))
    scale = 1e6;
  else if (rest.starts_with("k") || rest.starts_with("thousand"))
    scale = 1e3;
  return StatedAmount{std::stod(digits) * scale, std::pow(10.0, -std::max(decimals, 0)) * scale};
}

}  // namespace

std::string budget_text_difference(std::string_view text, double table_amount) {
  const auto stated = read_stated_amount(text);
  if (!stated) return {};
  const auto lower = to_lower_ascii(text);
  const auto before = lower.substr(0, lower.find("\xC2\xA3"));
  auto says = [&](std::initializer_list<std::string_view> words) {
    for (const auto word : words)
      if (before.find(word) != std::string::npos) return true;
    return false;
  };
  const auto figure = format_money(table_amount);
  if (says({"exceed", "over ", "more than", "above", "at least"})) {
    if (table_amount > stated->amount) return {};
    return fmt::format("the overview says \u201c{}\u201d, more than {}; the budget table's net budget is {}", trim(text),
                       format_money(stated->amount), figure);
  }
  if (says({"under ", "less than", "below", "at most"})) {
    if (table_amount < stated->amount) return {};
    return fmt::format("the overview says \u201c{}\u201d, less than {}; the budget table's net budget is {}", trim(text),
                       format_money(stated->amount), figure);
  }
  // A figure stated to a given place agrees with the table's when it is the table's, so rounded.
  if (std::abs(table_amount - stated->amount) < stated->precision / 2 + 1e-6) return {};
  return fmt::format("the overview says \u201c{}\u201d; the budget table's net budget is {}", trim(text), figure);
}

}  // namespace plainsight
