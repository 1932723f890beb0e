#include "search/index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "search/terms.hpp"

namespace plainsight {
namespace {

constexpr std::string_view digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Title words weigh this much more than body words, and a title match is flagged in its impact.
constexpr double title_weight = 3.0;
constexpr double bm25_k1 = 1.2, bm25_b = 0.75;
/// Body positions start this far after the title's, so a phrase never spans the two.
constexpr std::size_t body_offset = 8;
constexpr int title_flag = 32;

/// JSON text; bytes that are not UTF-8 (the loader lets none through, but this must not fail
/// on them) become U+FFFD.
std::string json_text(const nlohmann::json& value) { return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

struct Posting {
  std::size_t document = 0;
  unsigned title_count = 0, body_count = 0;
};

struct TermPostings {
  std::string term;
  std::vector<Posting> postings;
  std::vector<std::uint32_t> positions;  ///< of every posting in turn: title_count + body_count each
};

/// Finds strings by std::string_view without making a std::string for each look-up.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const { return std::hash<std::string_view>{}(word); }
};

std::string facet_value(const SearchDocument& document, const std::string& facet) {
  if (facet == "type") return document.type;
  for (const auto& [name, value] : document.facets)
    if (name == facet) return value;
  return {};
}

/// Every value a document gives a facet, each once: a contract of two departments has two.
std::vector<std::string> facet_values(const SearchDocument& document, const std::string& facet) {
  if (facet == "type") return document.type.empty() ? std::vector<std::string>{} : std::vector<std::string>{document.type};
  std::vector<std::string> values;
  for (const auto& [name, value] : document.facets)
    if (name == facet && !value.empty() && std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
  return values;
}

/// The first character of a word, whole even when it takes several bytes.
std::size_t first_character_length(std::string_view word) {
  std::size_t length = 1;
  while (length < word.size() && (static_cast<unsigned char>(word[length]) & 0xC0) == 0x80) ++length;
  return length;
}

std::string hex(std::string_view bytes) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += hex_digits[c >> 4];
    out += hex_digits[c & 15];
  }
  return out;
}

/// Splits sorted terms into dictionary files by prefix: a prefix with too many terms is split
/// by one more character. Returns (prefix, first term index, end index).
void group_by_prefix(const std::vector<TermPostings>& terms, std::size_t begin, std::size_t end, std::size_t depth, std::size_t limit,
                     std::vector<std::tuple<std::string, std::size_t, std::size_t>>& groups) {
  auto prefix_of = [&](std::size_t i) {
    std::string_view term = terms[i].term;
    std::size_t length = 0;
    for (std::size_t n = 0; n < depth && length < term.size(); ++n) length += first_character_length(term.substr(length));
    return std::string(term.substr(0, length));
  };
  for (std::size_t i = begin; i < end;) {
    const auto prefix = prefix_of(i);
    std::size_t j = i;
    while (j < end && prefix_of(j) == prefix) ++j;
    // Terms no longer than the prefix stay in this group; the rest may be split further.
    if (j - i > limit && depth < 6) {
      std::size_t k = i;
      while (k < j && terms[k].term.size() == prefix.size()) ++k;
      if (k > i) groups.emplace_back(prefix, i, k);
      group_by_prefix(terms, k, j, depth + 1, limit, groups);
    } else {
      groups.emplace_back(prefix, i, j);
    }
    i = j;
  }
}

}  // namespace

namespace detail {
void append_varint(std::string& out, std::size_t value) {
  char buffer[16];
  int length = 0;
  do {
    buffer[length++] = digits[value & 31];
    value >>= 5;
  } while (value);
  for (int i = length - 1; i >= 0; --i) {
    const auto digit = static_cast<std::size_t>(digits.find(buffer[i]));
    out += i == 0 ? digits[digit] : digits[digit + 32];
  }
}
}  // namespace detail

namespace {

/// Documents sorted by their facets, so that each facet value is a few runs of ids.
void sort_by_facets(std::vector<SearchDocument>& documents, const std::vector<std::pair<std::string, std::string>>& facets) {
  auto sort_key = [&](const SearchDocument& document) {
    std::vector<std::string> key;
    for (const auto& [facet, label] : facets) key.push_back(facet_value(document, facet));
    key.push_back(document.url);
    key.push_back(document.title);
    return key;
  };
  std::vector<std::pair<std::vector<std::string>, std::size_t>> order;
  for (std::size_t i = 0; i < documents.size(); ++i) order.emplace_back(sort_key(documents[i]), i);
  std::sort(order.begin(), order.end());
  std::vector<SearchDocument> sorted;
  sorted.reserve(documents.size());
  for (const auto& [key, index] : order) sorted.push_back(std::move(documents[index]));
  documents = std::move(sorted);
}

/// Every term with its postings and positions, sorted by term, and each document's length.
struct Terms {
  std::vector<TermPostings> terms;
  std::vector<std::size_t> lengths;
};

struct DocumentWords {
  std::vector<std::uint32_t> stems;  ///< the range's stem numbers, title words first
  std::uint32_t title_length = 0;
};

/// A document's words as the cache keeps them: its stems, each once, then its words as their
/// numbers in that list. `place` is scratch space, indexed by the range's stem numbers.
std::string kept_words(const DocumentWords& words, const std::vector<std::string>& stems, std::vector<std::uint32_t>& place) {
  constexpr auto unplaced = std::numeric_limits<std::uint32_t>::max();
  place.resize(stems.size(), unplaced);
  std::vector<std::uint32_t> own;
  for (const auto stem : words.stems)
    if (place[stem] == unplaced) {
      place[stem] = static_cast<std::uint32_t>(own.size());
      own.push_back(stem);
    }
  ByteWriter out;
  out.number(words.title_length);
  out.number(own.size());
  for (const auto stem : own) out.text(stems[stem]);
  out.number(words.stems.size());
  for (const auto stem : words.stems) out.number(place[stem]);
  for (const auto stem : own) place[stem] = unplaced;
  return std::move(out.bytes());
}

/// Reads kept_words() back, numbering each stem with `stem_number` only once the whole entry
/// has read back; false, with `words` untouched, when it is damaged.
template <typename StemNumber>
bool read_kept_words(std::string_view kept, StemNumber&& stem_number, DocumentWords& words) {
  ByteReader in(kept);
  const auto title_length = in.number();
  std::vector<std::string_view> own;
  for (auto count = in.number(); count > 0 && !in.failed(); --count) own.push_back(in.text());
  const auto count = in.number();
  if (in.failed() || count < title_length || count > kept.size()) return false;
  std::vector<std::uint32_t> places(count);
  for (auto& place : places) {
    const auto number = in.number();
    if (number >= own.size()) return false;
    place = static_cast<std::uint32_t>(number);
  }
  if (!in.done()) return false;
  std::vector<std::uint32_t> numbers;
  numbers.reserve(own.size());
  for (const auto stem : own) numbers.push_back(stem_number(stem));
  words.stems.resize(count);
  for (std::size_t i = 0; i < count; ++i) words.stems[i] = numbers[places[i]];
  words.title_length = static_cast<std::uint32_t>(title_length);
  return true;
}

/// Cuts and stems every document's words on every core (each range of documents has its own
/// stemmer and its own numbering of the stems it meets, so that the threads share nothing),
/// then gathers the postings in document order. Lets go of each document's text.
Terms collect_terms(std::vector<SearchDocument>& documents, unsigned jobs, ResultCache* cache) {
  struct RangeWords {
    Stemmer stemmer;
    std::unordered_map<std::string, std::uint32_t, WordHash, std::equal_to<>> word_stems, stem_ids;
    std::vector<std::string> stems;
  };
  const std::size_t ranges = std::min<std::size_t>(jobs, std::max<std::size_t>(1, documents.size() / 64));
  std::vector<RangeWords> range_words(ranges);
  std::vector<DocumentWords> document_words(documents.size());
  auto range_of = [&](std::size_t range) { return std::pair{documents.size() * range / ranges, documents.size() * (range + 1) / ranges}; };
  parallel_for(ranges, jobs, [&](std::size_t range) {
    auto& words = range_words[range];
    auto stem_number = [&](std::string_view stem) {
      if (const auto known = words.stem_ids.find(stem); known != words.stem_ids.end()) return known->second;
      const auto id = static_cast<std::uint32_t>(words.stems.size());
      words.stems.emplace_back(stem);
      words.stem_ids.emplace(stem, id);
      return id;
    };
    std::vector<std::uint32_t> place;  // a stem's number among the document's own, while one is written to the cache
    const auto [begin, end] = range_of(range);
    for (auto d = begin; d < end; ++d) {
      auto& out = document_words[d];
      std::uint64_t key = 0;
      if (cache) {
        ContentHasher hasher;
        hasher.add("stems\n");
        hasher.add_number(documents[d].title.size());
        hasher.add(documents[d].title);
        hasher.add(documents[d].text);
        key = hasher.digest();
        if (const auto kept = cache->find(key); kept && read_kept_words(*kept, stem_number, out)) {
          std::string().swap(documents[d].text);
          continue;
        }
      }
      auto add_word = [&](std::string_view word) {
        auto known = words.word_stems.find(word);
        if (known == words.word_stems.end()) known = words.word_stems.emplace(std::string(word), stem_number(words.stemmer.stem(word))).first;
        out.stems.push_back(known->second);
      };
      visit_search_words(documents[d].title, add_word);
      out.title_length = static_cast<std::uint32_t>(out.stems.size());
      visit_search_words(documents[d].text, add_word);
      std::string().swap(documents[d].text);  // the words are all it was for: a large site's text is hundreds of MB
      if (cache) cache->put(key, kept_words(out, words.stems, place));
    }
  });

  std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>> term_ids;
  Terms result;
  auto& terms = result.terms;
  std::vector<std::vector<std::size_t>> term_of_stem(ranges);
  for (std::size_t range = 0; range < ranges; ++range)
    for (auto& stem : range_words[range].stems) {
      auto [id, added] = term_ids.try_emplace(stem, terms.size());
      if (added) terms.push_back({stem, {}, {}});
      term_of_stem[range].push_back(id->second);
    }
  result.lengths.resize(documents.size());
  for (std::size_t d = 0; d < documents.size(); ++d) result.lengths[d] = document_words[d].stems.size();
  // Each core gathers the postings of its share of the terms, every document in order, so that
  // no two write to one term.
  const std::size_t shares = std::max<std::size_t>(1, jobs);
  parallel_for(shares, jobs, [&](std::size_t share) {
    for (std::size_t range = 0; range < ranges; ++range) {
      const auto& term_of = term_of_stem[range];
      const auto [begin, end] = range_of(range);
      for (auto d = begin; d < end; ++d) {
        const auto& words = document_words[d];
        for (std::uint32_t i = 0; i < words.stems.size(); ++i) {
          const auto id = term_of[words.stems[i]];
          if (id % shares != share) continue;
          auto& term = terms[id];
          const bool in_title = i < words.title_length;
          if (term.postings.empty() || term.postings.back().document != d) term.postings.push_back({d, 0, 0});
          (in_title ? term.postings.back().title_count : term.postings.back().body_count) += 1;
          term.positions.push_back(in_title ? i : i + static_cast<std::uint32_t>(body_offset));
        }
      }
    }
  });
  std::sort(terms.begin(), terms.end(), [](const TermPostings& a, const TermPostings& b) { return a.term < b.term; });
  return result;
}

/// BM25 with title words weighted up, scaled to 1–31 over the whole index; a title match
/// adds 32, so that it ranks above any match in the body alone.
class ImpactScorer {
 public:
  explicit ImpactScorer(const Terms& terms) : lengths_(terms.lengths), count_(static_cast<double>(terms.lengths.size())) {
    double total_length = 0;
    for (const auto length : lengths_) total_length += static_cast<double>(length);
    average_length_ = lengths_.empty() ? 1 : std::max(1.0, total_length / count_);
    for (const auto& term : terms.terms) {
      const auto term_idf = idf(term);
      for (const auto& posting : term.postings) highest_ = std::max(highest_, bm25(term_idf, posting));
    }
  }
  [[nodiscard]] double idf(const TermPostings& term) const {
    const double df = static_cast<double>(term.postings.size());
    return std::log(1 + (count_ - df + 0.5) / (df + 0.5));
  }
  [[nodiscard]] int impact(double term_idf, const Posting& posting) const {
    const double score = highest_ > 0 ? bm25(term_idf, posting) / highest_ : 0;
    return 1 + static_cast<int>(std::floor(score * 30)) + (posting.title_count ? title_flag : 0);
  }

 private:
  [[nodiscard]] double bm25(double term_idf, const Posting& posting) const {
    const double tf = posting.body_count + title_weight * posting.title_count;
    const double norm = bm25_k1 * (1 - bm25_b + bm25_b * static_cast<double>(lengths_[posting.document]) / average_length_);
    return term_idf * tf * (bm25_k1 + 1) / (tf + norm);
  }
  const std::vector<std::size_t>& lengths_;
  double count_;
  double average_length_ = 1;
  double highest_ = 0;
};

/// The facets that some document has, each value numbered in name order, and every
/// document's value numbers (a document may have several values of one facet).
struct FacetTable {
  struct Facet {
    std::string id, label;
    std::vector<std::string> values;
    std::vector<std::size_t> first;  ///< document d's values are numbers[first[d]] … numbers[first[d + 1] - 1]
    std::vector<std::uint32_t> numbers;
  };
  std::vector<Facet> facets;
};

FacetTable facet_table(const std::vector<SearchDocument>& documents, const std::vector<std::pair<std::string, std::string>>& facet_labels) {
  FacetTable table;
  for (const auto& [id, label] : facet_labels) {
    std::vector<std::vector<std::string>> of_document(documents.size());
    std::map<std::string, std::uint32_t> numbers;
    for (std::size_t d = 0; d < documents.size(); ++d) {
      of_document[d] = facet_values(documents[d], id);
      for (const auto& value : of_document[d]) numbers.emplace(value, 0);
    }
    if (numbers.empty()) continue;
    FacetTable::Facet facet{id, label, {}, {0}, {}};
    for (auto& [value, number] : numbers) {
      number = static_cast<std::uint32_t>(facet.values.size());
      facet.values.push_back(value);
    }
    for (const auto& values : of_document) {
      for (const auto& value : values) facet.numbers.push_back(numbers.at(value));
      facet.first.push_back(facet.numbers.size());
    }
    table.facets.push_back(std::move(facet));
  }
  return table;
}

/// Facets as meta.json holds them: each value as runs of document ids [first, count, first, count, …].
nlohmann::json facet_runs(const FacetTable& table) {
  auto facets = nlohmann::json::array();
  for (const auto& facet : table.facets) {
    std::vector<std::vector<std::size_t>> runs(facet.values.size());
    for (std::size_t d = 0; d + 1 < facet.first.size(); ++d) {
      for (auto at = facet.first[d]; at < facet.first[d + 1]; ++at) {
        auto& run = runs[facet.numbers[at]];
        if (!run.empty() && run[run.size() - 2] + run.back() == d)
          ++run.back();
        else
          run.insert(run.end(), {d, 1});
      }
    }
    auto values = nlohmann::json::array();
    for (std::size_t v = 0; v < facet.values.size(); ++v) values.push_back({facet.values[v], runs[v]});
    facets.push_back({{"id", facet.id}, {"label", facet.label}, {"values", std::move(values)}});
  }
  return facets;
}

/// How many of a term's documents have each facet value: per facet, [value, count, value, count, …].
std::string facet_counts(const TermPostings& term, const FacetTable& table) {
  auto counts = nlohmann::json::array();
  for (const auto& facet : table.facets) {
    std::vector<std::size_t> count(facet.values.size());
    for (const auto& posting : term.postings)
      for (auto at = facet.first[posting.document]; at < facet.first[posting.document + 1]; ++at) ++count[facet.numbers[at]];
    auto pairs = nlohmann::json::array();
    for (std::size_t v = 0; v < count.size(); ++v)
      if (count[v]) pairs.insert(pairs.end(), {v, count[v]});
    counts.push_back(std::move(pairs));
  }
  return counts.dump();
}

/// A term's postings as the script reads them: for each document, its id gap then its impact.
/// Also the positions, for each document how many then the gaps, when `positions` is given.
void encode_postings(const TermPostings& term, const std::vector<int>& impacts, const std::vector<std::size_t>& chosen, std::string& postings,
                     std::string* positions) {
  std::size_t previous = 0, at = 0, next = 0;
  bool first = true;
  for (std::size_t i = 0; i < term.postings.size(); ++i) {
    const auto& posting = term.postings[i];
    const std::size_t occurrences = posting.title_count + posting.body_count;
    if (positions) {
      detail::append_varint(*positions, occurrences - 1);
      for (std::size_t p = 0; p < occurrences; ++p, ++at)
        detail::append_varint(*positions, p == 0 ? term.positions[at] : term.positions[at] - term.positions[at - 1] - 1);
    }
    if (!chosen.empty()) {
      if (next == chosen.size() || chosen[next] != i) continue;
      ++next;
    }
    detail::append_varint(postings, first ? posting.document : posting.document - previous - 1);
    previous = posting.document;
    first = false;
    postings += digits[static_cast<std::size_t>(std::min(impacts[i], 63))];
  }
}

/// Postings and positions, grouped into files of about postings_file_bytes, written as JSON
/// objects of term → encoded string (terms never hold a character JSON must escape). A term in
/// more than five times top_postings documents has a file of its own for all of them, and in
/// its group's file only its best top_postings, the number of that file and its documents'
/// facet counts: a one-word query loads a few kilobytes however common the word. Returns the
/// number of the file that each term's dictionary entry names.
std::vector<std::size_t> write_postings(const std::vector<TermPostings>& terms, const ImpactScorer& scorer, const FacetTable& facets,
                                        const SearchIndexOptions& options, unsigned jobs, std::map<std::string, std::string>& files) {
  const std::size_t top = std::max<std::size_t>(1, options.top_postings);
  struct Encoded {
    std::string postings, positions, top_postings, facet_counts;
    bool own_file = false;
  };
  // Each term's strings are encoded on every core, then laid into files in term order.
  std::vector<Encoded> encoded(terms.size());
  parallel_for(terms.size(), jobs, [&](std::size_t t) {
    const auto& term = terms[t];
    const auto term_idf = scorer.idf(term);
    std::vector<int> impacts(term.postings.size());
    for (std::size_t i = 0; i < impacts.size(); ++i) impacts[i] = scorer.impact(term_idf, term.postings[i]);
    auto& out = encoded[t];
    encode_postings(term, impacts, {}, out.postings, &out.positions);
    out.own_file = term.postings.size() > 5 * top;
    if (!out.own_file) return;
    // The best, in the order results show them: impact, then document.
    std::vector<std::size_t> best(term.postings.size());
    for (std::size_t i = 0; i < best.size(); ++i) best[i] = i;
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(top), best.end(),
                      [&](std::size_t a, std::size_t b) { return impacts[a] != impacts[b] ? impacts[a] > impacts[b] : a < b; });
    best.resize(top);
    std::sort(best.begin(), best.end());
    encode_postings(term, impacts, best, out.top_postings, nullptr);
    out.facet_counts = facet_counts(term, facets);
  });

  auto file_of = [&](std::size_t number, std::string_view kind) {
    return "search/index/" + std::string(kind) + "/" + std::to_string(number) + ".json";
  };
  std::vector<std::size_t> term_file(terms.size());
  std::size_t file_number = 0;
  for (std::size_t t = 0; t < terms.size(); ++t) {  // the common terms' own files come first
    if (!encoded[t].own_file) continue;
    const auto key = json_text(terms[t].term);
    files[file_of(file_number, "p")] = "{" + key + ":\"" + encoded[t].postings + "\"}";
    files[file_of(file_number, "x")] = "{" + key + ":\"" + encoded[t].positions + "\"}";
    term_file[t] = file_number++;
  }
  std::string postings_file = "{", positions_file = "{";
  auto flush = [&] {
    if (postings_file.size() == 1) return;
    files[file_of(file_number, "p")] = std::move(postings_file) + '}';
    files[file_of(file_number, "x")] = std::move(positions_file) + '}';
    postings_file = positions_file = "{";
    ++file_number;
  };
  auto add = [](std::string& file, const std::string& key, const std::string& value) {
    if (file.size() > 1) file += ',';
    file += key;
    file += ':';
    file += value;
  };
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const auto& term = encoded[t];
    const auto key = json_text(terms[t].term);
    const auto value = term.own_file ? "[\"" + term.top_postings + "\"," + std::to_string(term_file[t]) + "," + term.facet_counts + "]"
                                     : "\"" + term.postings + "\"";
    if (postings_file.size() > 1 && postings_file.size() + value.size() > options.postings_file_bytes) flush();
    add(postings_file, key, value);
    if (!term.own_file) add(positions_file, key, "\"" + term.positions + "\"");
    term_file[t] = file_number;
  }
  flush();
  return term_file;
}

/// The dictionary: every term with its document count and postings file, by prefix. Returns the prefixes.
nlohmann::json write_dictionary(const std::vector<TermPostings>& terms, const std::vector<std::size_t>& term_file, std::size_t terms_per_file,
                                std::map<std::string, std::string>& files) {
  std::vector<std::tuple<std::string, std::size_t, std::size_t>> groups;
  group_by_prefix(terms, 0, terms.size(), 1, terms_per_file, groups);
  auto prefixes = nlohmann::json::array();
  for (const auto& [prefix, begin, end] : groups) {
    auto entries = nlohmann::json::array();
    for (auto t = begin; t < end; ++t) entries.push_back({terms[t].term, terms[t].postings.size(), term_file[t]});
    files["search/index/d/" + hex(prefix) + ".json"] = json_text(entries);
    prefixes.push_back(prefix);
  }
  return prefixes;
}

/// What results show, a few documents a file. A field that is the same as the record's before
/// is written as 0: a dataset's rows share their type and detail.
void write_records(const std::vector<SearchDocument>& documents, std::size_t per_file, std::map<std::string, std::string>& files) {
  for (std::size_t first = 0; first < documents.size(); first += per_file) {
    auto records = nlohmann::json::array();
    std::array<const std::string*, 5> before{};
    for (auto d = first; d < std::min(documents.size(), first + per_file); ++d) {
      const auto& document = documents[d];
      const std::array<const std::string*, 5> fields = {&document.title, &document.url, &document.type, &document.excerpt, &document.detail};
      auto record = nlohmann::json::array();
      for (std::size_t f = 0; f < fields.size(); ++f) {
        if (d > first && *fields[f] == *before[f])
          record.push_back(0);
        else
          record.push_back(*fields[f]);
      }
      before = fields;
      records.push_back(std::move(record));
    }
    files["search/index/r/" + std::to_string(first / per_file) + ".json"] = json_text(records);
  }
}

}  // namespace

std::map<std::string, std::string> build_search_index(std::vector<SearchDocument> documents, const SearchIndexOptions& options) {
  sort_by_facets(documents, options.facets);
  const unsigned jobs = std::max(1u, options.jobs ? options.jobs : std::thread::hardware_concurrency());
  const auto terms = collect_terms(documents, jobs, options.cache);
  const ImpactScorer scorer(terms);
  std::map<std::string, std::string> files;
  const auto facets = facet_table(documents, options.facets);
  const auto term_file = write_postings(terms.terms, scorer, facets, options, jobs, files);
  auto prefixes = write_dictionary(terms.terms, term_file, options.terms_per_dictionary_file, files);
  const auto per_file = options.records_per_file ? options.records_per_file : documents.size() > 50000 ? 16 : 8;
  write_records(documents, per_file, files);

  std::string file_hashes;  // the version changes whenever any file does
  for (const auto& [path, bytes] : files) file_hashes += path + ' ' + content_hash_hex(bytes) + '\n';
  const nlohmann::json meta = {{"version", content_hash_hex(file_hashes)},
                               {"documents", documents.size()},
                               {"records_per_file", per_file},
                               {"dictionary", std::move(prefixes)},
                               {"facets", facet_runs(facets)}};
  files["search/index/meta.json"] = json_text(meta);
  return files;
}

}  // namespace plainsight
