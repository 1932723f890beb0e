#include "search/index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
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

/// Cuts and stems every document's words on every core (each range of documents has its own
/// stemmer and its own numbering of the stems it meets, so that the threads share nothing),
/// then gathers the postings in document order. Lets go of each document's text.
Terms collect_terms(std::vector<SearchDocument>& documents, unsigned jobs) {
  struct RangeWords {
    Stemmer stemmer;
    std::unordered_map<std::string, std::uint32_t, WordHash, std::equal_to<>> word_stems, stem_ids;
    std::vector<std::string> stems;
  };
  struct DocumentWords {
    std::vector<std::uint32_t> stems;  ///< the range's stem numbers, title words first
    std::uint32_t title_length = 0;
  };
  const std::size_t ranges = std::min<std::size_t>(jobs, std::max<std::size_t>(1, documents.size() / 64));
  std::vector<RangeWords> range_words(ranges);
  std::vector<DocumentWords> document_words(documents.size());
  auto range_of = [&](std::size_t range) { return std::pair{documents.size() * range / ranges, documents.size() * (range + 1) / ranges}; };
  parallel_for(ranges, jobs, [&](std::size_t range) {
    auto& words = range_words[range];
    const auto [begin, end] = range_of(range);
    for (auto d = begin; d < end; ++d) {
      auto& out = document_words[d];
      auto add_word = [&](std::string_view word) {
        auto known = words.word_stems.find(word);
        if (known == words.word_stems.end()) {
          auto stem = words.stemmer.stem(word);
          auto [id, added] = words.stem_ids.try_emplace(stem, static_cast<std::uint32_t>(words.stems.size()));
          if (added) words.stems.push_back(std::move(stem));
          known = words.word_stems.emplace(std::string(word), id->second).first;
        }
        out.stems.push_back(known->second);
      };
      visit_search_words(documents[d].title, add_word);
      out.title_length = static_cast<std::uint32_t>(out.stems.size());
      visit_search_words(documents[d].text, add_word);
      std::string().swap(documents[d].text);  // the words are all it was for: a large site's text is hundreds of MB
    }
  });

  std::unordered_map<std::string, std::size_t, WordHash, std::equal_to<>> term_ids;
  Terms result;
  auto& terms = result.terms;
  result.lengths.resize(documents.size());
  for (std::size_t range = 0; range < ranges; ++range) {
    std::vector<std::size_t> term_of_stem;
    for (auto& stem : range_words[range].stems) {
      auto [id, added] = term_ids.try_emplace(stem, terms.size());
      if (added) terms.push_back({stem, {}, {}});
      term_of_stem.push_back(id->second);
    }
    const auto [begin, end] = range_of(range);
    for (auto d = begin; d < end; ++d) {
      const auto& words = document_words[d];
      for (std::uint32_t i = 0; i < words.stems.size(); ++i) {
        auto& term = terms[term_of_stem[words.stems[i]]];
        const bool in_title = i < words.title_length;
        if (term.postings.empty() || term.postings.back().document != d) term.postings.push_back({d, 0, 0});
        (in_title ? term.postings.back().title_count : term.postings.back().body_count) += 1;
        term.positions.push_back(in_title ? i : i + static_cast<std::uint32_t>(body_offset));
      }
      result.lengths[d] = words.stems.size();
      std::vector<std::uint32_t>().swap(document_words[d].stems);
    }
  }
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

/// Postings and positions, grouped into files of about postings_file_bytes, written as JSON
/// objects of term → encoded string (terms never hold a character JSON must escape). Returns
/// the number of each term's file.
std::vector<std::size_t> write_postings(const std::vector<TermPostings>& terms, const ImpactScorer& scorer, std::size_t postings_file_bytes,
                                        unsigned jobs, std::map<std::string, std::string>& files) {
  std::vector<std::size_t> term_file(terms.size());
  std::string postings_file = "{", positions_file = "{";
  std::size_t file_number = 0;
  auto flush = [&] {
    if (postings_file.size() == 1) return;
    postings_file += '}';
    positions_file += '}';
    files["search/index/p/" + std::to_string(file_number) + ".json"] = std::move(postings_file);
    files["search/index/x/" + std::to_string(file_number) + ".json"] = std::move(positions_file);
    postings_file = positions_file = "{";
    ++file_number;
  };
  // Each term's strings are encoded on every core, then laid into files in term order.
  std::vector<std::pair<std::string, std::string>> encoded(terms.size());
  parallel_for(terms.size(), jobs, [&](std::size_t t) {
    auto& [postings, positions] = encoded[t];
    std::size_t previous = 0, at = 0;
    bool first = true;
    const auto term_idf = scorer.idf(terms[t]);
    for (const auto& posting : terms[t].postings) {
      detail::append_varint(postings, first ? posting.document : posting.document - previous - 1);
      previous = posting.document;
      first = false;
      postings += digits[static_cast<std::size_t>(std::min(scorer.impact(term_idf, posting), 63))];
      const std::size_t occurrences = posting.title_count + posting.body_count;
      detail::append_varint(positions, occurrences - 1);
      for (std::size_t p = 0; p < occurrences; ++p, ++at)
        detail::append_varint(positions, p == 0 ? terms[t].positions[at] : terms[t].positions[at] - terms[t].positions[at - 1] - 1);
    }
  });
  for (std::size_t t = 0; t < terms.size(); ++t) {
    const auto& [postings, positions] = encoded[t];
    if (postings_file.size() > 1 && postings_file.size() + postings.size() > postings_file_bytes) flush();
    const auto key = json_text(terms[t].term);
    for (auto* file : {&postings_file, &positions_file}) {
      if (file->size() > 1) *file += ',';
      *file += key;
      *file += ':';
      *file += '"';
    }
    postings_file += postings;
    postings_file += '"';
    positions_file += positions;
    positions_file += '"';
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

/// What results show, a few documents a file.
void write_records(const std::vector<SearchDocument>& documents, std::size_t per_file, std::map<std::string, std::string>& files) {
  for (std::size_t first = 0; first < documents.size(); first += per_file) {
    auto records = nlohmann::json::array();
    for (auto d = first; d < std::min(documents.size(), first + per_file); ++d) {
      const auto& document = documents[d];
      records.push_back({document.title, document.url, document.type, document.excerpt, document.detail});
    }
    files["search/index/r/" + std::to_string(first / per_file) + ".json"] = json_text(records);
  }
}

/// Facets: each value as runs of document ids [first, count, first, count, …].
nlohmann::json facet_runs(const std::vector<SearchDocument>& documents, const std::vector<std::pair<std::string, std::string>>& facet_labels) {
  auto facets = nlohmann::json::array();
  for (const auto& [facet, label] : facet_labels) {
    std::map<std::string, std::vector<std::size_t>> runs;
    for (std::size_t d = 0; d < documents.size(); ++d) {
      for (const auto& value : facet_values(documents[d], facet)) {
        auto& run = runs[value];
        if (!run.empty() && run[run.size() - 2] + run.back() == d)
          ++run.back();
        else
          run.insert(run.end(), {d, 1});
      }
    }
    if (runs.empty()) continue;
    auto values = nlohmann::json::array();
    for (const auto& [value, ids] : runs) values.push_back({value, ids});
    facets.push_back({{"id", facet}, {"label", label}, {"values", std::move(values)}});
  }
  return facets;
}

}  // namespace

std::map<std::string, std::string> build_search_index(std::vector<SearchDocument> documents, const SearchIndexOptions& options) {
  sort_by_facets(documents, options.facets);
  const unsigned jobs = std::max(1u, options.jobs ? options.jobs : std::thread::hardware_concurrency());
  const auto terms = collect_terms(documents, jobs);
  const ImpactScorer scorer(terms);
  std::map<std::string, std::string> files;
  const auto term_file = write_postings(terms.terms, scorer, options.postings_file_bytes, jobs, files);
  auto prefixes = write_dictionary(terms.terms, term_file, options.terms_per_dictionary_file, files);
  const auto per_file = std::max<std::size_t>(1, options.records_per_file);
  write_records(documents, per_file, files);
  auto facets = facet_runs(documents, options.facets);

  std::string file_hashes;  // the version changes whenever any file does
  for (const auto& [path, bytes] : files) file_hashes += path + ' ' + content_hash_hex(bytes) + '\n';
  const nlohmann::json meta = {{"version", content_hash_hex(file_hashes)},
                               {"documents", documents.size()},
                               {"records_per_file", per_file},
                               {"dictionary", std::move(prefixes)},
                               {"facets", std::move(facets)}};
  files["search/index/meta.json"] = json_text(meta);
  return files;
}

}  // namespace plainsight
