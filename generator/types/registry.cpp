#include "types/data_type.hpp"

#include <algorithm>

namespace plainsight {

// Each type's definition, in types/<name>_type.cpp.
DataType plan_data_type();
DataType budget_data_type();
DataType pipeline_data_type();
DataType department_data_type();
DataType dataset_data_type();

const std::vector<DataType>& data_types() {
  static const std::vector<DataType> types = {
      plan_data_type(), budget_data_type(), pipeline_data_type(), department_data_type(), dataset_data_type(),
  };
  return types;
}

void add_department_facets(const SiteModel& model, std::string_view names, SearchDocument& document) {
  const auto add = [&](const std::string& name) {
    const std::pair<std::string, std::string> facet{"department", name};
    if (std::find(document.facets.begin(), document.facets.end(), facet) == document.facets.end()) document.facets.push_back(facet);
  };
  if (model.departments.empty()) {
    if (!names.empty()) add(std::string(names));
    return;
  }
  // "All departments" is every department's, and filtering by one should not list it.
  if (department_name_key(names) == "all departments") return;
  for (const auto& ref : model.department_names.find_all(names)) add(model.departments[ref.department].title);
}

const DataType* find_data_type(std::string_view name) {
  const auto& types = data_types();
  const auto found = std::find_if(types.begin(), types.end(), [&](const DataType& type) { return type.loader.type == name; });
  return found == types.end() ? nullptr : &*found;
}

std::vector<DataLoader> data_loaders() {
  std::vector<DataLoader> loaders;
  for (const auto& type : data_types()) loaders.push_back(type.loader);
  return loaders;
}

std::vector<std::pair<std::string, std::string>> search_facets_of_types() {
  std::vector<std::pair<std::string, std::string>> facets = {{"type", "Type"}};
  for (const auto& type : data_types())
    for (const auto& facet : type.facets)
      if (std::none_of(facets.begin(), facets.end(), [&](const auto& known) { return known.first == facet.first; })) facets.push_back(facet);
  return facets;
}

}  // namespace plainsight
