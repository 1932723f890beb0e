#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <future>

#include "content/loader.hpp"
#include "core/result_cache.hpp"
#include "site/build.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::TempSite;

TEST_SUITE("content") {
  TEST_CASE("content files map to URLs") {
    CHECK(url_for_content_file("_index.md") == "/");
    CHECK(url_for_content_file("about.md") == "/about/");
    CHECK(url_for_content_file("news/_index.md") == "/news/");
    CHECK(url_for_content_file("news/2022-06-16-budget-approved.md") == "/news/budget-approved/");
    CHECK(url_for_content_file("plans/council-plan/index.md") == "/plans/council-plan/");
    CHECK(url_for_content_file("Our Plans/Big Plan.md") == "/our-plans/big-plan/");
    // Only the last extension goes; an empty folder name ("a//b") makes no empty URL segment.
    CHECK(url_for_content_file("reports/v1.2.md") == "/reports/v12/");
    CHECK(url_for_content_file("reports//2023/annual.md") == "/reports/2023/annual/");
    CHECK(normalise_site_path("old") == "/old/");
    CHECK(normalise_site_path("/old/file.html") == "/old/file.html");
  }

  TEST_CASE("each data file is read with only its own problems, though the files are read at once") {
    // A reader judges whether its file loaded by the errors reported since it began (a
    // dataset's rows, a budget's totals): another file's, reported meanwhile, must not count.
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/a/index.md", "---\ntitle: A\ntype: probe\n---\n"},
                   {"content/a/probe.txt", "good"},
                   {"content/b/index.md", "---\ntitle: B\ntype: probe\n---\n"},
                   {"content/b/probe.txt", "bad"}});
    std::promise<void> bad_reported;
    auto bad_reported_future = bad_reported.get_future().share();
    std::atomic<int> errors_the_good_file_saw{-1};
    std::atomic<int> loaded{0};
    LoadOptions options;
    options.jobs = 2;
    options.data_types = {{.type = "probe",
                           .files = {"probe.txt"},
                           .guide = "",
                           .front_matter_keys = {},
                           .check_page = {},
                           .read =
                               [&](const SiteModel&, const Page&, DataFile& file, Diagnostics& problems) {
                                 if (file.text == "bad") {
                                   problems.error({file.path, 1, 1}, "bad");
                                   bad_reported.set_value();
                                   return;
                                 }
                                 const auto before = problems.error_count();
                                 // Read beside the bad file, on the other thread: wait until its error is in.
                                 if (bad_reported_future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return;
                                 errors_the_good_file_saw = static_cast<int>(problems.error_count() - before);
                               },
                           .load = [&](DataLoadContext&, std::size_t, DataFile&) { ++loaded; }}};
    Diagnostics diagnostics;
    (void)load_site(site.dir(), options, diagnostics);
    CHECK(errors_the_good_file_saw == 0);
    CHECK(loaded == 2);
    CHECK(all_messages(diagnostics) == "content/b/probe.txt:1:1: error: bad\n");
  }

  TEST_CASE("pages, sections, bundles and their files are loaded") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/news/2022-06-16-first.md", "---\ntitle: First\n---\n"},
                   {"content/plans/plan-a/index.md", "---\ntitle: Plan A\n---\n"},
                   {"content/plans/plan-a/plan.json", "{}"},
                   {"content/plans/plan-a/charts/a.svg", "<svg/>"},
                   {"content/files/report.pdf", "%PDF"},
                   {"content/.hidden.md", "---\ntitle: Hidden\n---\n"},
                   {"content/notes.md~", "backup"}});
    Diagnostics diagnostics;
    const auto model = load_site(site.dir(), {}, diagnostics);
    REQUIRE(model);
    CHECK(all_messages(diagnostics) == "");
    std::vector<std::string> urls;
    for (const auto& page : model->pages) urls.push_back(page.url);
    // /news/ and /plans/ have no _index.md, so they are made for their folders.
    CHECK(urls == std::vector<std::string>{"/", "/data/", "/news/", "/news/first/", "/plans/", "/plans/plan-a/"});
    const auto& first = model->pages[find_page(*model, "/news/first/")];
    CHECK(first.section == "news");
    CHECK(first.parent_url == "/news/");
    REQUIRE(first.meta.date);
    CHECK(first.meta.date->day == 16);
    const auto& bundle = model->pages[find_page(*model, "/plans/plan-a/")];
    REQUIRE(bundle.resources.size() == 2);
    CHECK(bundle.resources[0].url == "/plans/plan-a/charts/a.svg");
    CHECK(bundle.resources[1].url == "/plans/plan-a/plan.json");
    REQUIRE(model->files.size() == 1);
    CHECK(model->files[0].url == "/files/report.pdf");
    CHECK(model->pages[find_page(*model, "/news/")].meta.title == "News");
  }

  TEST_CASE("a Markdown file whose front matter is kept under the hash the input fingerprint found is not read again") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/about.md", "---\ntitle: About\n---\nThe body.\n"}});
    BuildOptions build;
    build.site_dir = site.dir();
    ContentListing listing;
    const auto fingerprint = input_fingerprint(build, "g", &listing);
    CHECK(fingerprint == input_fingerprint(build, "g"));
    CHECK(listing.markdown_hashes.size() == 2);  // the Markdown files, not site.json
    const auto results = site.dir() / "results";
    auto with = [&](ResultCache* cache, const ContentListing* listed) {
      LoadOptions options;
      options.cache = cache;
      options.listing = listed;
      return options;
    };
    {
      ResultCache cache(results, "g");
      Diagnostics diagnostics;
      const auto model = load_site(site.dir(), with(&cache, &listing), diagnostics);
      REQUIRE(model);
      const auto& about = model->pages[find_page(*model, "/about/")];
      CHECK_FALSE(about.unread_body);  // nothing kept yet: read
      CHECK(about.body == "The body.\n");
      cache.save();
    }
    // Had the load read the file again, it would find the new title.
    site.write("content/about.md", "---\ntitle: Changed on disk\n---\nAnother body.\n");
    ResultCache cache(results, "g");
    Diagnostics diagnostics;
    const auto model = load_site(site.dir(), with(&cache, &listing), diagnostics);
    REQUIRE(model);
    const auto& about = model->pages[find_page(*model, "/about/")];
    CHECK(about.meta.title == "About");
    REQUIRE(about.unread_body);
    CHECK(about.body.empty());
    CHECK(about.unread_body->file_hash == listing.markdown_hashes.at((site.dir() / "content" / "about.md").string()));
    CHECK(about.unread_body->size == std::string("The body.\n").size());
    // Without the hashes it is read, and found to have changed.
    const auto read = load_site(site.dir(), with(&cache, nullptr), diagnostics);
    CHECK(read->pages[find_page(*read, "/about/")].meta.title == "Changed on disk");
  }

  TEST_CASE("drafts are left out unless asked for") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/later.md", "---\ntitle: Later\ndraft: true\n---\n"}});
    Diagnostics diagnostics;
    CHECK(load_site(site.dir(), {}, diagnostics)->pages.size() == 2);  // with /data/
    LoadOptions with_drafts;
    with_drafts.include_drafts = true;
    CHECK(load_site(site.dir(), with_drafts, diagnostics)->pages.size() == 3);
  }

  TEST_CASE("lists are ordered by weight, then newest date, then title") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/a.md", "---\ntitle: Zeta\nweight: 1\n---\n"},
                   {"content/b.md", "---\ntitle: Old\ndate: 2020-01-01\n---\n"},
                   {"content/c.md", "---\ntitle: New\ndate: 2021-01-01\n---\n"},
                   {"content/d.md", "---\ntitle: Alpha\n---\n"},
                   {"content/e.md", "---\ntitle: Beta\n---\n"}});
    Diagnostics diagnostics;
    const auto model = load_site(site.dir(), {}, diagnostics);
    std::vector<std::string> titles;
    for (auto index : children_of(*model, "/")) titles.push_back(model->pages[index].meta.title);
    CHECK(titles == std::vector<std::string>{"Zeta", "New", "Old", "Alpha", "Beta", "Open data"});
  }

  TEST_CASE("two pages with one URL, clashing aliases and a missing title are reported") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/about.md", "---\ntitle: About\n---\n"},
                   {"content/other.md", "---\ntitle: Other\naliases: [/news/]\n---\n"},
                   {"content/about/index.md", "---\ntitle: About again\n---\n"},
                   {"content/news/_index.md", "---\ntitle: News\n---\n"},
                   {"content/untitled-page.md", "Body only\n"}});
    Diagnostics diagnostics;
    (void)load_site(site.dir(), {}, diagnostics);  // only the diagnostics matter here
    const auto text = all_messages(diagnostics);
    CHECK(text.find("error: two pages claim the URL /about/") != std::string::npos);
    CHECK(text.find("content/other.md:3:1: error: alias /news/ is already the URL of content/news/_index.md") != std::string::npos);
    CHECK(text.find("content/untitled-page.md:1:1: warning: no title in the front matter; using \"Untitled page\"") != std::string::npos);
  }

  TEST_CASE("a news file name that starts with a date that does not exist is an error") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/news/2022-02-30-budget.md", "---\ntitle: Budget\n---\n"},
                   {"content/news/2022-02-28-budget-set.md", "---\ntitle: Budget set\n---\n"}});
    Diagnostics diagnostics;
    (void)load_site(site.dir(), {}, diagnostics);  // only the diagnostics matter here
    CHECK(diagnostics.error_count() == 1);
    CHECK(
        all_messages(diagnostics).find("content/news/2022-02-30-budget.md: error: the file name starts with 2022-02-30, which is not a real date") !=
        std::string::npos);
  }

  TEST_CASE("a page whose front matter cannot be read gets the error, not also a warning about its title") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/bad.md", "---\ntitle: [unclosed\n---\nBody\n"}});
    Diagnostics diagnostics;
    (void)load_site(site.dir(), {}, diagnostics);  // only the diagnostics matter here
    CHECK(diagnostics.error_count() == 1);
    CHECK(diagnostics.warning_count() == 0);
  }

  TEST_CASE("the files the input fingerprint listed below content/ are those the loader's own walk would list") {
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"},
                   {"content/a.md", "---\ntitle: A\n---\n"},
                   {"content/#a.md#", "an editor's autosave"},
                   {"content/a.md~", "a backup"},
                   {"content/.hidden/b.md", "---\ntitle: B\n---\n"},
                   {"content/#stash/c.md", "---\ntitle: C\n---\n"},
                   {"content/sub/d.md", "---\ntitle: D\n---\n"},
                   {"content/sub/e.md.swp", "swap"},
                   {"content/sub/table.csv", "a,b\n"}});
    const auto content = site.dir() / "content";
    BuildOptions build;
    build.site_dir = site.dir();
    ContentListing listing;
    (void)input_fingerprint(build, "g", &listing);
    REQUIRE(listing.files);
    CHECK(*listing.files == walk_site_folder(content, content, is_ignored_name).files);
    CHECK(listing.files->size() == 4);
    // Loaded from the listing: the same model as from a walk.
    LoadOptions listed;
    listed.listing = &listing;
    Diagnostics with_listing, walked;
    const auto from_listing = load_site(site.dir(), listed, with_listing);
    const auto from_walk = load_site(site.dir(), {}, walked);
    REQUIRE((from_listing && from_walk));
    REQUIRE(from_listing->pages.size() == from_walk->pages.size());
    for (std::size_t i = 0; i < from_walk->pages.size(); ++i) CHECK(from_listing->pages[i].file == from_walk->pages[i].file);
    CHECK(from_listing->files.size() == 1);
    // A problem in the fingerprint's walk: the loader walks, and reports it itself.
    TempSite outside({{"secret.md", "---\ntitle: Secret\n---\n"}}, true);
    std::filesystem::create_symlink(outside.dir() / "secret.md", content / "secret.md");
    (void)input_fingerprint(build, "g", &listing);
    CHECK_FALSE(listing.files);
    Diagnostics diagnostics;
    (void)load_site(site.dir(), listed, diagnostics);
    CHECK(all_messages(diagnostics).find("content/secret.md: error: symbolic link points outside content/") != std::string::npos);
  }

  TEST_CASE("a symbolic link out of the site and invalid UTF-8 are errors") {
    TempSite outside({{"secret.md", "---\ntitle: Secret\n---\n"}}, true);
    TempSite site({{"content/_index.md", "---\ntitle: Home\n---\n"}, {"content/bad.md", "---\ntitle: Bad\n---\nab\xff\n"}});
    std::filesystem::create_symlink(outside.dir() / "secret.md", site.dir() / "content" / "secret.md");
    Diagnostics diagnostics;
    const auto model = load_site(site.dir(), {}, diagnostics);
    const auto text = all_messages(diagnostics);
    CHECK(text.find("content/secret.md: error: symbolic link points outside content/") != std::string::npos);
    CHECK(text.find("content/bad.md:4:3: error: invalid UTF-8") != std::string::npos);
    CHECK(model->pages.size() == 2);
  }
}
