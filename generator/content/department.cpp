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

DepartmentNames::DepartmentNames(const std::vector<Department>& departments, const std::map<std::string, std::string>& aliases)
    : count_(departments.size()) {
  auto add = [&](const std::string& name, DepartmentRef ref) {
    if (trim(name).empty()) return;
    if (by_key_.emplace(department_name_key(name), std::move(ref)).second) spellings_.push_back(name);
  };
  // Names first, then divisions, so that a division named like a department cannot take its name.
  for (std::size_t d = 0; d < departments.size(); ++d) {
    add(departments[d].title, {d, ""});
    for (const auto& name : departments[d].short_names) add(name, {d, ""});
    for (const auto& name : departments[d].other_names) add(name, {d, ""});
  }
  for (std::size_t d = 0; d < departments.size(); ++d)
    for (const auto& division : departments[d].divisions) add(division, {d, division});
  for (const auto& [alias, name] : aliases)
    if (const auto found = by_key_.find(department_name_key(name)); found != by_key_.end()) add(alias, found->second);
}

std::optional<DepartmentRef> DepartmentNames::find(std::string_view name) const {
  const auto found = by_key_.find(department_name_key(name));
  if (found == by_key_.end()) return std::nullopt;
  return found->second;
}

std::vector<DepartmentRef> DepartmentNames::find_all(std::string_view names, std::vector<std::string>* unknown) const {
  std::vector<DepartmentRef> found;
  const auto whole = department_name_key(names);
  if (whole.empty() || whole == "none") return found;
  if (whole == "all departments") {
    for (std::size_t d = 0; d < count_; ++d) found.push_back({d, ""});
    return found;
  }
  if (const auto one = find(names)) return {*one};
  for (std::size_t start = 0; start <= names.size();) {
    const auto end = std::min(names.find('/', start), names.size());
    const auto name = trim(names.substr(start, end - start));
    start = end + 1;
    if (name.empty()) continue;
    if (const auto ref = find(name))
      found.push_back(*ref);
    else if (unknown)
      unknown->emplace_back(name);
  }
  return found;
}

namespace {

/// "£76.4m" → 76,400,000 with the place of its last digit (100,000), read from `text` at `at`.
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
  if (digits.empty()) return std::nullopt;
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
