// Every registered data type has every part, and the example sites show each one working:
// a type registered with a part forgotten fails here.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "content/loader.hpp"
#include "site/build.hpp"
#include "support/temp_site.hpp"
#include "types/data_type.hpp"

using namespace plainsight;
using testing::all_messages;
namespace fs = std::filesystem;

namespace {

/// The sites in the repository: the example site, the further examples under examples/, and any
/// under tests/fixtures/sites/.
std::vector<fs::path> repository_sites() {
  const fs::path source = PLAINSIGHT_SOURCE_DIR;
  std::vector<fs::path> sites = {source};
  for (const char* folder : {"examples", "tests/fixtures/sites"})
    if (fs::is_directory(source / folder))
      for (const auto& entry : fs::directory_iterator(source / folder))
        if (fs::is_regular_file(entry.path() / "site.json")) sites.push_back(entry.path());
  std::sort(sites.begin(), sites.end());
  return sites;
}

}  // namespace

TEST_SUITE("types") {
  TEST_CASE("every data type declares every part, and the default theme has its layouts") {
    const fs::path source = PLAINSIGHT_SOURCE_DIR;
    REQUIRE(!data_types().empty());
    std::vector<std::string_view> names;
    for (const auto& type : data_types()) {
      const std::string name(type.loader.type);
      CAPTURE(name);
      CHECK(!name.empty());
      CHECK(std::find(names.begin(), names.end(), name) == names.end());  // registered once
      names.push_back(type.loader.type);
      CHECK(find_data_type(name) == &type);
      const bool reads_data = !type.loader.files.empty() || !type.loader.front_matter_keys.empty();
      CHECK_MESSAGE(reads_data, "it reads no data file and no front matter of its own");
      CHECK_MESSAGE(fs::is_regular_file(source / type.loader.guide), "its guide, " << type.loader.guide << ", is missing");
      CHECK(type.loader.load);
      CHECK(!type.view_name.empty());
      CHECK(type.view);
      CHECK(type.element_ids);
      CHECK(type.open_data);
      CHECK(type.search);
      REQUIRE(!type.layouts.empty());
      for (const auto layout : type.layouts)
        CHECK_MESSAGE(fs::is_regular_file(source / "themes/default/templates" / (std::string(layout) + ".mustache")), "no layout " << layout);
      for (const auto& [id, label] : type.facets) CHECK(!label.empty());
    }
    const auto facets = search_facets_of_types();
    CHECK(facets.front().first == "type");
  }

  TEST_CASE("every data type is shown by a site in the repository: pages, view, open data and search documents") {
    for (const auto& type : data_types()) {
      const std::string name(type.loader.type);
      CAPTURE(name);
      bool shown = false;
      for (const auto& site_dir : repository_sites()) {
        Diagnostics diagnostics;
        LoadOptions load_options;
        load_options.data_types = data_loaders();
        const auto model = load_site(site_dir, load_options, diagnostics);
        REQUIRE_MESSAGE(model, all_messages(diagnostics));
        const auto page = std::find_if(model->pages.begin(), model->pages.end(), [&](const Page& p) { return p.meta.type == name; });
        if (page == model->pages.end()) continue;
        shown = true;
        const auto site = site_dir.filename().string();
        CAPTURE(site);
        REQUIRE_MESSAGE(page->data, "its data did not load: " << all_messages(diagnostics));
        CHECK(page->data->type == name);

        const std::vector<RenderedMarkdown> snippets(model->snippets.size());
        const auto view = type.view(*model, snippets, *page->data);
        CHECK((view.is_object() && !view.empty()));

        std::vector<Dataset> datasets;
        type.open_data(*model, datasets);
        CHECK(!datasets.empty());

        std::vector<SearchDocument> documents;
        type.search(*model, *page->data, SearchDocument{page->meta.title, page->url, "Page", "", "", "", {}}, documents);
        CHECK(!documents.empty());
        CHECK(std::all_of(documents.begin(), documents.end(), [&](const SearchDocument& d) { return d.url.starts_with(page->url); }));

        // The whole build, with the default theme: the page is published, and its open data too.
        std::optional<testing::TempSite> copy;
        BuildOptions build_options;
        build_options.site_dir = site_dir;
        if (!fs::exists(site_dir / "themes")) {
          copy.emplace(std::initializer_list<testing::TempSite::File>{}, true);
          fs::copy(site_dir, copy->dir(), fs::copy_options::recursive);
          fs::copy(fs::path(PLAINSIGHT_SOURCE_DIR) / "themes", copy->dir() / "themes", fs::copy_options::recursive);
          build_options.site_dir = copy->dir();
        }
        Diagnostics build_diagnostics;
        const auto output = generate_site(build_options, build_diagnostics);
        REQUIRE_MESSAGE(output, all_messages(build_diagnostics));
        CHECK(output->files.contains(output_path_for(page->url)));
        const auto package = nlohmann::json::parse(output->files.at("data/datapackage.json"));
        for (const auto& dataset : datasets) {
          CHECK_MESSAGE(output->files.at(dataset.path) == dataset.bytes, dataset.path);
          const auto listed = std::any_of(package["resources"].begin(), package["resources"].end(), [&](const nlohmann::json& resource) {
            return "data/" + resource["path"].get<std::string>() == dataset.path;
          });
          CHECK_MESSAGE(listed, dataset.path << " is not in datapackage.json");
        }
      }
      CHECK_MESSAGE(
          shown, "no site in the repository has a page with type: " << name << " (add one to the example site, examples/ or tests/fixtures/sites/)");
    }
  }

  TEST_CASE("a page's type that is not a data type reads no data") {
    testing::TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/about.md", "---\ntitle: About\ntype: about\n---\nHello.\n"}});
    const auto output = site.generate();
    REQUIRE_MESSAGE(output, all_messages(site.diagnostics));
    CHECK(find_data_type("about") == nullptr);
    CHECK(find_data_type("plan") != nullptr);
  }
}

TEST_SUITE("types") {
  TEST_CASE("a pipeline page with neither its data file nor a date gets both errors in one build") {
    testing::TempSite site(
        {{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/procurement/index.md", "---\ntitle: Contracts\ntype: pipeline\n---\n"}});
    CHECK_FALSE(site.generate());
    const auto text = all_messages(site.diagnostics);
    CHECK_MESSAGE(testing::contains(text, "content/procurement/index.md:1:1: error: a page with type: pipeline needs a date"), text);
    CHECK_MESSAGE(testing::contains(
                      text, "content/procurement/index.md:1:1: error: a page with type: pipeline needs its data in pipeline.csv or pipeline.json"),
                  text);
    CHECK(site.diagnostics.error_count() == 2);
  }
}
