#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/result_cache.hpp"
#include "search/index.hpp"
#include "search/terms.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using nlohmann::json;

namespace {

constexpr std::string_view digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::size_t read_varint(std::string_view text, std::size_t& at) {
  std::size_t value = 0;
  for (;;) {
    const auto digit = digits.find(text[at++]);
    value = value * 32 + (digit & 31);
    if (digit < 32) return value;
  }
}

/// (document, impact) pairs, decoded as the search script decodes them.
std::vector<std::pair<std::size_t, int>> decode_postings(std::string_view text) {
  std::vector<std::pair<std::size_t, int>> postings;
  std::size_t at = 0, document = 0;
  while (at < text.size()) {
    const auto gap = read_varint(text, at);
    document = postings.empty() ? gap : document + gap + 1;
    postings.emplace_back(document, static_cast<int>(digits.find(text[at++])));
  }
  return postings;
}

std::vector<SearchDocument> example_documents() {
  return {{"Gritting contract",
           "/procurement/#gritting",
           "Contract",
           "Winter road salt.",
           "",
           "Highways winter maintenance",
           {{"department", "Place"}, {"band", "Above £189,330"}}},
          {"Libraries strategy",
           "/plans/p/deliverables/libraries/",
           "Deliverable",
           "Community-managed libraries.",
           "Rating: good",
           "Five libraries moved to community management; the contract for gritting is separate.",
           {{"plan", "Council Plan"}, {"rating", "Good"}, {"department", "Place"}}},
          {"About the council", "/about/", "Page", "Who we are.", "", "The council runs libraries and roads.", {}}};
}

std::string hex(std::string_view bytes) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) out += {hex_digits[c >> 4], hex_digits[c & 15]};
  return out;
}

/// A term's value in the postings file that its dictionary entry names, and that entry: as the
/// script finds them. Both null when the term is not in the index.
std::pair<json, json> postings_entry(const std::map<std::string, std::string>& files, const std::string& term) {
  const auto meta = json::parse(files.at("search/index/meta.json"));
  std::string prefix;
  for (const auto& candidate : meta["dictionary"])
    if (term.starts_with(candidate.get<std::string>()) && candidate.get<std::string>().size() >= prefix.size()) prefix = candidate;
  if (prefix.empty()) return {};
  for (const auto& entry : json::parse(files.at("search/index/d/" + hex(prefix) + ".json")))
    if (entry[0] == term) return {json::parse(files.at("search/index/p/" + std::to_string(entry[2].get<int>()) + ".json")).at(term), entry};
  return {};
}

/// All the postings of one term; a common term's are in a file of their own.
std::vector<std::pair<std::size_t, int>> postings_of(const std::map<std::string, std::string>& files, const std::string& term) {
  auto [value, entry] = postings_entry(files, term);
  if (value.is_null()) return {};
  if (value.is_array()) value = json::parse(files.at("search/index/p/" + std::to_string(value[1].get<int>()) + ".json")).at(term);
  auto decoded = decode_postings(value.get<std::string>());
  CHECK(decoded.size() == entry[1].get<std::size_t>());
  return decoded;
}

/// A document's record as the script reads it: a 0 is the field of the record before it.
json record_of(const std::map<std::string, std::string>& files, std::size_t d) {
  const auto per_file = json::parse(files.at("search/index/meta.json"))["records_per_file"].get<std::size_t>();
  const auto file = json::parse(files.at("search/index/r/" + std::to_string(d / per_file) + ".json"));
  auto record = file.at(d % per_file);
  for (std::size_t field = 0; field < record.size(); ++field)
    for (auto at = d % per_file; record[field] == 0 && at > 0;) record[field] = file[--at][field];
  return record;
}

std::size_t document_with_url(const std::map<std::string, std::string>& files, const std::string& url) {
  const auto meta = json::parse(files.at("search/index/meta.json"));
  for (std::size_t d = 0; d < meta["documents"].get<std::size_t>(); ++d)
    if (record_of(files, d)[1] == url) return d;
  FAIL("no document has the URL " << url);
  return 0;
}

}  // namespace

TEST_SUITE("search") {
  TEST_CASE("numbers are written in the script's base-64 digits") {
    std::string out;
    detail::append_varint(out, 0);
    detail::append_varint(out, 31);
    detail::append_varint(out, 32);
    detail::append_varint(out, 1000);
    CHECK(out ==
          "A"
          "f"
          "hA"
          "_I");  // 1000 = 31·32 + 8
    std::size_t at = 0;
    CHECK(read_varint(out, at) == 0);
    CHECK(read_varint(out, at) == 31);
    CHECK(read_varint(out, at) == 32);
    CHECK(read_varint(out, at) == 1000);
  }

  TEST_CASE("every document is found by its stemmed words, title matches ranking first") {
    const auto files = build_search_index(example_documents(), {});
    const auto meta = json::parse(files.at("search/index/meta.json"));
    CHECK(meta["documents"] == 3);
    const auto contract = document_with_url(files, "/procurement/#gritting");
    const auto libraries = document_with_url(files, "/plans/p/deliverables/libraries/");
    const auto about = document_with_url(files, "/about/");

    const auto librari = postings_of(files, "librari");  // "libraries" and "library"
    REQUIRE(librari.size() == 2);
    std::map<std::size_t, int> impact(librari.begin(), librari.end());
    CHECK(impact.at(libraries) >= 32);  // in the title
    CHECK(impact.at(about) < 32);       // in the body only
    CHECK(impact.at(about) >= 1);

    const auto grit = postings_of(files, "grit");
    REQUIRE(grit.size() == 2);
    CHECK(grit[0].first < grit[1].first);  // in document order
    CHECK(std::map<std::size_t, int>(grit.begin(), grit.end()).at(contract) > std::map<std::size_t, int>(grit.begin(), grit.end()).at(libraries));
    CHECK(postings_of(files, "nowhere").empty());
  }

  TEST_CASE("records show title, link, type, excerpt and detail") {
    const auto files = build_search_index(example_documents(), {});
    const auto d = document_with_url(files, "/plans/p/deliverables/libraries/");
    CHECK(record_of(files, d) ==
          json{"Libraries strategy", "/plans/p/deliverables/libraries/", "Deliverable", "Community-managed libraries.", "Rating: good"});
  }

  TEST_CASE("a record's field that repeats the record's before it is 0, as a dataset's rows share their type and detail") {
    std::vector<SearchDocument> documents;
    for (int n = 0; n < 20; ++n)
      documents.push_back({"Row " + std::to_string(n), "/spending/#row-" + std::to_string(n), "Dataset row", "", "Spending", "payment", {}});
    const auto files = build_search_index(documents, {});
    CHECK(json::parse(files.at("search/index/meta.json"))["records_per_file"] == 8);
    const auto file = json::parse(files.at("search/index/r/1.json"));
    CHECK(file[0] == json{"Row 16", "/spending/#row-16", "Dataset row", "", "Spending"});  // sorted by URL: 0, 1, 10, …, 19, 2, …
    CHECK(file[1] == json{"Row 17", "/spending/#row-17", 0, 0, 0});
    for (std::size_t d = 0; d < documents.size(); ++d) {
      const auto record = record_of(files, d);
      CHECK(record[2] == "Dataset row");
      CHECK(record[4] == "Spending");
    }
  }

  TEST_CASE("an index of more than 50,000 documents puts 16 records in a file, not 8") {
    std::vector<SearchDocument> documents(50001, SearchDocument{"Row", "/r/", "Dataset row", "", "", "", {}});
    const auto files = build_search_index(documents, {});
    CHECK(json::parse(files.at("search/index/meta.json"))["records_per_file"] == 16);
    CHECK(files.contains("search/index/r/3125.json"));  // 50,001 records: files 0 to 3125
    CHECK_FALSE(files.contains("search/index/r/3126.json"));
  }

  TEST_CASE("facets are runs of document ids, and documents are ordered so that runs are few") {
    SearchIndexOptions options;
    options.facets = {{"type", "Type"}, {"priority", "Priority"}, {"rating", "Rating"}, {"department", "Department"}};
    const auto files = build_search_index(example_documents(), options);
    const auto meta = json::parse(files.at("search/index/meta.json"));
    std::map<std::string, json> facets;
    for (const auto& facet : meta["facets"]) facets[facet["id"]] = facet["values"];
    CHECK_FALSE(facets.contains("priority"));  // no document has one
    CHECK(facets["type"] == json::parse(R"([["Contract",[0,1]],["Deliverable",[1,1]],["Page",[2,1]]])"));
    CHECK(facets["department"] == json::parse(R"([["Place",[0,2]]])"));
    CHECK(facets["rating"] == json::parse(R"([["Good",[1,1]]])"));
  }

  TEST_CASE("only the facets asked for are indexed, in the order given, with their labels") {
    SearchIndexOptions options;
    options.facets = {{"department", "Department"}, {"type", "Kind"}};
    const auto meta = json::parse(build_search_index(example_documents(), options).at("search/index/meta.json"));
    REQUIRE(meta["facets"].size() == 2);
    CHECK(meta["facets"][0]["id"] == "department");
    CHECK(meta["facets"][1]["label"] == "Kind");
    const auto defaults = json::parse(build_search_index(example_documents(), {}).at("search/index/meta.json"));
    REQUIRE(defaults["facets"].size() == 1);  // a document's rating is not a facet unless a data type declares it
    CHECK(defaults["facets"][0]["id"] == "type");
  }

  TEST_CASE("files are split so that a query loads little, and the same documents give the same bytes") {
    std::vector<SearchDocument> documents;
    for (int n = 0; n < 400; ++n) {
      const auto number = std::to_string(n);
      documents.push_back({"Page " + number, "/p/" + number + "/", "Page", "", "", "word" + number + " shared text " + std::string(n % 7, 'x'), {}});
    }
    SearchIndexOptions options;
    options.records_per_file = 10;
    options.postings_file_bytes = 500;
    options.terms_per_dictionary_file = 50;
    const auto files = build_search_index(documents, options);
    CHECK(files == build_search_index(documents, options));
    std::size_t records = 0, dictionaries = 0, postings = 0;
    for (const auto& [path, bytes] : files) {
      if (path.starts_with("search/index/r/")) ++records;
      if (path.starts_with("search/index/d/")) ++dictionaries;
      if (path.starts_with("search/index/p/")) {
        ++postings;
        CHECK(files.contains("search/index/x/" + path.substr(15)));  // positions beside postings
      }
    }
    CHECK(records == 40);
    CHECK(dictionaries > 8);  // the 400 "wordN" terms split by prefix
    CHECK(postings > 4);
    CHECK(postings_of(files, "word123").size() == 1);
    CHECK(postings_of(files, "share").size() == 400);
  }

  TEST_CASE("a common term's best documents load on their own, with the facet counts of all its documents") {
    std::vector<SearchDocument> documents;
    for (int n = 0; n < 40; ++n) {
      const auto number = std::to_string(n);
      std::string text = n < 10 ? "rare" : "";
      for (int times = 0; times <= n % 5; ++times) text += " common";  // so that impacts differ
      documents.push_back({"Row " + number, "/rows/#" + number, n % 4 ? "Row" : "Page", "", "", text, {{"department", n % 3 ? "Place" : "People"}}});
    }
    SearchIndexOptions options;
    options.top_postings = 5;  // "common" is in 40 documents, more than five times five
    options.facets = {{"type", "Type"}, {"department", "Department"}};
    const auto files = build_search_index(documents, options);
    options.jobs = 1;
    CHECK(files == build_search_index(documents, options));

    const auto [value, entry] = postings_entry(files, "common");
    REQUIRE(value.is_array());
    auto best = postings_of(files, "common");
    REQUIRE(best.size() == 40);
    std::stable_sort(best.begin(), best.end(), [](const auto& a, const auto& b) { return a.second > b.second; });  // as results show
    best.resize(5);
    std::sort(best.begin(), best.end());
    CHECK(decode_postings(value[0].get<std::string>()) == best);

    // Phrases read positions beside the file of all the postings, not beside the best.
    const auto own_file = std::to_string(value[1].get<int>()), best_file = std::to_string(entry[2].get<int>());
    CHECK(own_file != best_file);
    CHECK(json::parse(files.at("search/index/x/" + own_file + ".json")).contains("common"));
    CHECK_FALSE(json::parse(files.at("search/index/x/" + best_file + ".json")).contains("common"));
    CHECK(json::parse(files.at("search/index/p/" + own_file + ".json")).size() == 1);

    // Per facet of meta.json, [value, count, …] over all 40: 10 pages and 30 rows; 14 People, 26 Place.
    CHECK(value[2] == json::parse("[[0, 10, 1, 30], [0, 14, 1, 26]]"));
    const auto meta = json::parse(files.at("search/index/meta.json"));
    CHECK(meta["facets"][0]["values"][0][0] == "Page");
    CHECK(meta["facets"][1]["values"][0][0] == "People");

    CHECK(postings_entry(files, "rare").first.is_string());  // in 10 documents: all of them at once
  }

  TEST_CASE("records are the JSON nlohmann::json writes, whatever their characters") {
    // Written as they are when there is nothing to escape; through nlohmann::json otherwise.
    const std::vector<std::string> titles = {"Plain",   "£3.5m budget…", "A \"quoted\" word", "back\\slash",       "tab\tand\nline",
                                             "del\x7f", "café",          "bad \xc3 byte",     "overlong \xc0\xaf", "surrogate \xed\xa0\x80"};
    std::vector<SearchDocument> documents;
    for (std::size_t n = 0; n < titles.size(); ++n) documents.push_back({titles[n], "/p" + std::to_string(n) + "/", "Page", "", "", "", {}});
    const auto files = build_search_index(documents, {.records_per_file = 100});
    auto expected = json::array();
    for (std::size_t n = 0; n < titles.size(); ++n)
      expected.push_back(
          json{titles[n], "/p" + std::to_string(n) + "/", n == 0 ? json("Page") : json(0), n == 0 ? json("") : json(0), n == 0 ? json("") : json(0)});
    CHECK(files.at("search/index/r/0.json") == expected.dump(-1, ' ', false, json::error_handler_t::replace));
  }

  TEST_CASE("bytes that are not UTF-8 never stop the index (found by fuzz_search)") {
    std::vector<SearchDocument> documents = {
        {"N\xff\xff"
         "ews",
         "/a/",
         "Page",
         "x\xfe",
         "",
         "body \xff text",
         {{"department", "\xc3"}}}};
    std::map<std::string, std::string> files;
    CHECK_NOTHROW(files = build_search_index(documents, {}));
    CHECK(json::parse(files.at("search/index/r/0.json"))[0][0] ==
          "N\xef\xbf\xbd\xef\xbf\xbd"
          "ews");  // U+FFFD for each bad byte
  }
}

TEST_SUITE("search") {
  TEST_CASE("an index made with kept words is the index made without, also after the kept words were damaged") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    std::vector<SearchDocument> documents;
    for (int i = 0; i < 300; ++i)
      documents.push_back({"Report " + std::to_string(i),
                           "/r/" + std::to_string(i) + "/",
                           i % 3 ? "Page" : "News",
                           "",
                           "",
                           "Gritting the roads in winter " + std::to_string(i * 7) + " times; libraries and parks " + std::to_string(i),
                           {}});
    const auto fresh = build_search_index(documents, {.jobs = 2});
    for (int round = 0; round < 3; ++round) {
      ResultCache cache(file, "g");
      CHECK(build_search_index(documents, {.jobs = 2, .cache = &cache}) == fresh);
      cache.save();
      auto bytes = *read_file(file);  // every 101st byte changed: some entries fail, some read back wrong
      for (std::size_t at = bytes.size() / 4; at < bytes.size(); at += 101) bytes[at] = static_cast<char>(bytes[at] ^ 0x21);
      write_file(file, bytes);
    }
  }

  TEST_CASE("a document's HTML is searched as its text would be, before the rest of its text") {
    const std::string html = "<h2 id=\"bins\">Bins</h2>\n<p>Collected on <strong>Tuesdays</strong> &amp; Fridays.</p>";
    std::vector<SearchDocument> as_text = {{"Waste", "/w/", "Page", "", "", html_text(html) + ". recycling", {}}};
    std::vector<SearchDocument> as_html = {{"Waste", "/w/", "Page", "", "", ". recycling", {}, html}};
    CHECK(build_search_index(as_html) == build_search_index(as_text));
    CHECK(build_search_index(as_html) != build_search_index({{"Waste", "/w/", "Page", "", "", ". recycling", {}}}));
  }

  TEST_CASE("kept postings that this program did not make (a checksum that holds on forged bytes) never lead the index astray in memory") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    const std::vector<SearchDocument> documents = {{"Parks", "/p/", "Page", "", "", "Swings and slides", {}}};
    // The key the index looks its one block up under (collect_terms): a hash of the document's.
    ContentHasher document;
    document.add("stems\n");
    document.add_number(documents[0].title.size());
    document.add(documents[0].title);
    document.add_number(0);  // no HTML
    document.add(documents[0].text);
    ContentHasher block;
    block.add("search block\n");
    block.add_number(document.digest());
    const auto key = block.digest();
    auto index_with = [&](const std::string& kept) {
      std::filesystem::remove(file);
      {
        ResultCache cache(file, "g");
        cache.put(key, kept);
        cache.save();
      }
      ResultCache cache(file, "g");
      std::map<std::string, std::string> files;
      CHECK_NOTHROW(files = build_search_index(documents, {.cache = &cache}));
      std::string all;
      for (const auto& [path, bytes] : files) {
        CHECK(json::accept(bytes));
        all += bytes;
      }
      return all;
    };
    // A block of one document of one word, "forged" (one position, 8, past the title's: "A" for
    // one, "I" for 8 in the script's digits): taken, so the key above is the index's.
    auto one_word = [](std::string_view positions) {
      ByteWriter out;
      for (const std::uint64_t number : {1, 1, 1}) out.number(number);  // documents, its length, stems
      out.text("forged");
      for (const std::uint64_t number : {std::uint64_t{1}, std::uint64_t{positions.size()}, std::uint64_t{0}, std::uint64_t{0}, std::uint64_t{1}})
        out.number(number);  // postings, positions written; gap, title, body
      out.text(positions);
      return out.bytes();
    };
    auto all = index_with(one_word("AI"));
    CHECK(testing::contains(all, "[\"forged\",1,"));
    CHECK(testing::contains(all, "{\"forged\":\"AI\"}"));
    CHECK_FALSE(testing::contains(all, "swing"));
    // Positions that would end the JSON string they are written into: refused, the words made again.
    CHECK(testing::contains(index_with(one_word("A\"")), "swing"));
    // One stem named 200 times, each for the one document: taken once, never as a term in more documents than there are.
    ByteWriter repeated;
    for (const std::uint64_t number : {1, 200, 200}) repeated.number(number);
    for (int s = 0; s < 200; ++s) {
      repeated.text("forged");
      repeated.number(1);
      repeated.number(2);
    }
    for (int s = 0; s < 200; ++s)
      for (const std::uint64_t number : {0, 0, 1}) repeated.number(number);
    std::string positions;
    for (int s = 0; s < 200; ++s) positions += "AI";
    repeated.text(positions);
    CHECK(testing::contains(index_with(repeated.bytes()), "[\"forged\",1,"));
    // A document gap that would wrap round to a document already listed: refused, the words made again.
    ByteWriter wrapping;
    for (const std::uint64_t number : {1, 2, 1}) wrapping.number(number);
    wrapping.text("forged");
    for (const std::uint64_t number : std::initializer_list<std::uint64_t>{2, 4, 0, 0, 1, ~std::uint64_t{0}, 0, 1}) wrapping.number(number);
    wrapping.text("AIAI");
    CHECK(testing::contains(index_with(wrapping.bytes()), "swing"));
    // Bytes of every kind.
    std::uint64_t seed = 0x9E3779B97F4A7C15;
    for (int round = 0; round < 100; ++round) {
      std::string bytes;
      const auto size = 1 + round * 3;
      for (int i = 0; i < size; ++i) {
        seed = seed * 6364136223846793005 + 1442695040888963407;
        bytes += static_cast<char>(round % 2 ? (seed >> 59) : (seed >> 56));  // small numbers, then any byte
      }
      (void)index_with(bytes);
    }
  }

  TEST_CASE("after one document is edited, added or removed, only the words of its block are made again") {
    testing::TempSite site({}, true);
    const auto file = site.dir() / "results";
    std::vector<SearchDocument> documents;
    for (int i = 0; i < 2000; ++i)
      documents.push_back({"Notice " + std::to_string(i),
                           "/n/" + std::to_string(100000 + i) + "/",
                           "Page",
                           "",
                           "",
                           "Bins are collected on day " + std::to_string(i % 7) + " at stop " + std::to_string(i),
                           {}});
    auto index_with_cache = [&](const std::vector<SearchDocument>& these) {
      ResultCache cache(file, "g");
      const auto files = build_search_index(these, {.jobs = 2, .cache = &cache});
      const auto use = cache.use();
      cache.save();
      return std::pair{files, use};
    };
    const auto first = index_with_cache(documents);
    CHECK(first.second.found == 0);
    const auto blocks = first.second.put;
    CHECK(blocks > 10);  // in blocks, not as one
    auto check_made_again = [&](const std::vector<SearchDocument>& these, std::size_t most) {
      const auto [files, use] = index_with_cache(these);
      CHECK(files == build_search_index(these, {.jobs = 2}));
      CHECK(use.put >= 1);
      CHECK(use.put <= most);
      CHECK(use.found + most >= blocks);
    };
    documents[1234].text += " and on bank holidays";
    check_made_again(documents, 1);
    documents.insert(documents.begin() + 700, SearchDocument{"Notice new", "/n/100699x/", "Page", "", "", "Garden waste", {}});
    check_made_again(documents, 2);  // its block, or the two it splits it into
    documents.erase(documents.begin() + 1500);
    check_made_again(documents, 1);  // or, had it ended a block, the block joined with the next
  }
}
