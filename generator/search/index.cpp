#include "search/index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <limits>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "core/order.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
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

/// Appends a text as a JSON string: one with nothing to escape (no control character, quote or
/// backslash) and only valid UTF-8 is written as it is, as json_text would write it; the rest
/// through json_text.
void append_json_string(std::string& out, std::string_view text) {
  bool escaped = false, ascii = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    escaped = escaped || byte < 0x20 || byte == 0x7F || c == '"' || c == '\\';
    ascii = ascii && byte < 0x80;
  }
  if (escaped || (!ascii && find_invalid_utf8(text) != std::string_view::npos)) {
    out += json_text(std::string(text));
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

std::string json_term(const std::string& term) {
  std::string text;
  append_json_string(text, term);
  return text;
}

struct Posting {
  std::size_t document = 0;
  unsigned title_count = 0, body_count = 0;
};

/// One term's postings in document order, laid out only while the term is encoded.
using TermPostings = std::vector<Posting>;

/// A term, and where its postings lie: in each block that has it, under the block's number for it.
struct Term {
  std::string term;
  std::size_t documents = 0;  ///< how many postings it has in all
  struct Part {
    std::uint32_t block, stem;
  };
  std::vector<Part> parts;  ///< in block order, so that its postings come in document order
};

std::string_view facet_value(const SearchDocument& document, const std::string& facet) {
  if (facet == "type") return document.type;
  for (const auto& [name, value] : document.facets)
    if (name == facet) return value;
  return {};
}

/// Every value a document gives a facet, each once: a contract of two departments has two.
std::vector<std::string_view> facet_values(const SearchDocument& document, const std::string& facet) {
  if (facet == "type") return document.type.empty() ? std::vector<std::string_view>{} : std::vector<std::string_view>{document.type};
  std::vector<std::string_view> values;
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
void group_by_prefix(const std::vector<Term>& terms, std::size_t begin, std::size_t end, std::size_t depth, std::size_t limit,
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
  std::size_t groups[16];  // of five bits, least significant first
  int length = 0;
  do {
    groups[length++] = value & 31;
    value >>= 5;
  } while (value);
  for (int i = length - 1; i >= 0; --i) out += digits[i == 0 ? groups[i] : groups[i] + 32];
}
}  // namespace detail

namespace {

/// Documents sorted by their facets, then URL and title, so that each facet value is a few runs of ids.
void sort_by_facets(std::vector<SearchDocument>& documents, const std::vector<std::pair<std::string, std::string>>& facets) {
  const std::size_t fields = facets.size() + 2;
  std::vector<std::string_view> keys;  // each document's facet values, URL and title in turn
  keys.reserve(documents.size() * fields);
  for (const auto& document : documents) {
    for (const auto& [facet, label] : facets) keys.push_back(facet_value(document, facet));
    keys.push_back(document.url);
    keys.push_back(document.title);
  }
  // Whether document a comes before b by its fields from `first` up to `last`.
  auto before = [&](std::size_t a, std::size_t b, std::size_t first, std::size_t last) {
    for (auto f = first; f < last; ++f)
      if (const auto& key_a = keys[a * fields + f], &key_b = keys[b * fields + f]; key_a != key_b) return key_a < key_b;
    return false;
  };
  const auto by_facets = [&](std::size_t a, std::size_t b) { return before(a, b, 0, fields - 2); };
  const auto by_url_and_title = [&](std::size_t a, std::size_t b) {
    return before(a, b, fields - 2, fields) || (!before(b, a, fields - 2, fields) && a < b);
  };
  // The documents come in the site's order, most of them by URL already: grouped by their facets
  // (short values, most of them equal), a group is sorted only when it is not in order by URL
  // and title. The order is that of one sort by every field.
  std::vector<std::size_t> order(documents.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), by_facets);
  for (auto group = order.begin(); group != order.end();) {
    const auto end = std::partition_point(group, order.end(), [&](std::size_t d) { return !by_facets(*group, d); });
    if (!std::is_sorted(group, end, by_url_and_title)) std::sort(group, end, by_url_and_title);
    group = end;
  }
  move_into_order(documents, order);
}

/// Documents are stemmed, kept and gathered in blocks of about block_documents: a block ends
/// after a document whose key is a multiple of it, so an edited, added or removed document
/// changes only its own block's key, and the blocks after it are still found in the cache.
constexpr std::uint64_t block_documents = 64;
constexpr std::size_t most_block_documents = 4 * block_documents;

/// The inverted postings of one block of documents, by the block's own numbering of its stems.
/// Each stem's postings follow one another in stem order, and so do their positions, already
/// written as the index's positions files hold them: positions depend on nothing outside the
/// block, so a term's are its blocks' put together.
struct BlockTerms {
  std::vector<std::string_view> stems;       ///< into the cache's bytes or the range's stems, which outlive the block
  std::vector<std::uint32_t> first_posting;  ///< stem s's are postings[first_posting[s] … first_posting[s + 1])
  std::vector<std::size_t> first_position;   ///< and positions[first_position[s] … first_position[s + 1])
  std::vector<Posting> postings;             ///< with the document's number in the block
  std::string written_positions;             ///< a block made here: its positions
  std::string_view kept_positions;           ///< a block read back: its positions, in the cache's bytes
  std::vector<std::size_t> lengths;          ///< each document's word count

  [[nodiscard]] std::string_view positions() const { return written_positions.empty() ? kept_positions : written_positions; }
};

/// Every term, sorted, with the blocks that hold their postings, and each document's length.
struct Terms {
  std::vector<BlockTerms> blocks;        ///< (their stems are not kept)
  std::vector<std::size_t> block_first;  ///< block b is documents block_first[b] … block_first[b + 1] - 1
  std::vector<Term> terms;
  std::vector<std::size_t> lengths;

  /// Calls visit(posting) for each of the term's postings in document order.
  template <typename Visit>
  void for_each_posting(const Term& term, Visit&& visit) const {
    for (const auto [b, s] : term.parts) {
      const auto& block = blocks[b];
      for (auto p = block.first_posting[s]; p < block.first_posting[s + 1]; ++p) {
        auto posting = block.postings[p];
        posting.document += block_first[b];
        visit(posting);
      }
    }
  }

  /// The term's postings laid out in `out`, whose room is used again.
  void lay_out(const Term& term, TermPostings& out) const {
    out.clear();
    for_each_posting(term, [&](const Posting& posting) { out.push_back(posting); });
  }

  /// The term's positions as its positions file holds them: its blocks' put together.
  [[nodiscard]] std::string positions(const Term& term) const {
    std::string out;
    for (const auto [b, s] : term.parts) {
      const auto& block = blocks[b];
      out.append(block.positions().substr(block.first_position[s], block.first_position[s + 1] - block.first_position[s]));
    }
    return out;
  }
};

/// Inverts a block's words: each document's stem numbers in reading order, title first.
void invert_block(const std::vector<std::vector<std::uint32_t>>& words, const std::vector<std::uint32_t>& title_lengths, BlockTerms& block) {
  const auto stems = block.stems.size();
  constexpr auto none = std::numeric_limits<std::size_t>::max();
  std::vector<std::uint32_t> postings(stems), occurrences(stems);
  std::vector<std::size_t> last_document(stems, none);
  for (std::size_t d = 0; d < words.size(); ++d)
    for (const auto s : words[d]) {
      ++occurrences[s];
      if (last_document[s] != d) ++postings[s], last_document[s] = d;
    }
  block.first_posting.assign(stems + 1, 0);
  std::vector<std::uint32_t> first_position(stems + 1, 0);
  for (std::size_t s = 0; s < stems; ++s) {
    block.first_posting[s + 1] = block.first_posting[s] + postings[s];
    first_position[s + 1] = first_position[s] + occurrences[s];
  }
  block.postings.resize(block.first_posting[stems]);
  std::vector<std::uint32_t> positions(first_position[stems]);
  std::vector<std::uint32_t> next_posting(block.first_posting.begin(), block.first_posting.end() - 1);
  std::vector<std::uint32_t> next_position(first_position.begin(), first_position.end() - 1);
  std::fill(last_document.begin(), last_document.end(), none);
  block.lengths.resize(words.size());
  for (std::size_t d = 0; d < words.size(); ++d) {
    block.lengths[d] = words[d].size();
    for (std::uint32_t i = 0; i < words[d].size(); ++i) {
      const auto s = words[d][i];
      if (last_document[s] != d) block.postings[next_posting[s]++] = {d, 0, 0}, last_document[s] = d;
      const bool in_title = i < title_lengths[d];
      auto& posting = block.postings[next_posting[s] - 1];
      (in_title ? posting.title_count : posting.body_count) += 1;
      positions[next_position[s]++] = in_title ? i : i + static_cast<std::uint32_t>(body_offset);
    }
  }
  // For each posting, how many positions then their gaps, in the script's digits.
  block.first_position.assign(stems + 1, 0);
  std::size_t at = 0;
  for (std::size_t s = 0; s < stems; ++s) {
    for (auto p = block.first_posting[s]; p < block.first_posting[s + 1]; ++p) {
      const std::size_t count = block.postings[p].title_count + block.postings[p].body_count;
      detail::append_varint(block.written_positions, count - 1);
      for (std::size_t k = 0; k < count; ++k, ++at)
        detail::append_varint(block.written_positions, k == 0 ? positions[at] : positions[at] - positions[at - 1] - 1);
    }
    block.first_position[s + 1] = block.written_positions.size();
  }
}

/// A block as the cache keeps it: each document's length; each stem with its number of
/// postings and the length of its written positions; each posting as its document's gap and its
/// title and body counts; then the written positions.
std::string kept_block(const BlockTerms& block) {
  ByteWriter out;
  out.number(block.lengths.size());
  for (const auto length : block.lengths) out.number(length);
  out.number(block.stems.size());
  for (std::size_t s = 0; s < block.stems.size(); ++s) {
    out.text(block.stems[s]);
    out.number(block.first_posting[s + 1] - block.first_posting[s]);
    out.number(block.first_position[s + 1] - block.first_position[s]);
  }
  for (std::size_t s = 0; s < block.stems.size(); ++s)
    for (auto p = block.first_posting[s]; p < block.first_posting[s + 1]; ++p) {
      const auto& posting = block.postings[p];
      out.number(p == block.first_posting[s] ? posting.document : posting.document - block.postings[p - 1].document - 1);
      out.number(posting.title_count);
      out.number(posting.body_count);
    }
  out.text(block.positions());
  return std::move(out.bytes());
}

/// Reads kept_block() back for a block of `documents`; false when the bytes do not read back
/// as one. Every count is checked against the bytes left before anything is made that size.
bool read_kept_block(std::string_view kept, std::size_t documents, BlockTerms& block) {
  ByteReader in(kept);
  const auto bound = kept.size();  // no count can be larger than the entry
  if (in.number() != documents) return false;
  block.lengths.resize(documents);
  for (auto& length : block.lengths) length = in.number();
  const auto stems = in.number();
  if (in.failed() || stems > bound) return false;
  block.stems.resize(stems);
  block.first_posting.assign(stems + 1, 0);
  block.first_position.assign(stems + 1, 0);
  std::size_t postings = 0, written = 0;
  for (std::size_t s = 0; s < stems; ++s) {
    block.stems[s] = in.text();
    const auto of_stem = in.number(), written_of_stem = in.number();
    if (in.failed() || of_stem > bound || (postings += of_stem) > bound || written_of_stem > bound || (written += written_of_stem) > bound)
      return false;
    block.first_posting[s + 1] = static_cast<std::uint32_t>(postings);
    block.first_position[s + 1] = written;
  }
  block.postings.resize(postings);
  for (std::size_t s = 0; s < stems; ++s) {
    for (auto p = block.first_posting[s]; p < block.first_posting[s + 1]; ++p) {
      const auto gap = in.number();
      if (gap >= documents) return false;  // nor can the sum below wrap round
      const auto document = p == block.first_posting[s] ? gap : block.postings[p - 1].document + 1 + gap;
      const auto title_count = in.number(), body_count = in.number();
      if (in.failed() || document >= documents || title_count > bound || body_count > bound || title_count + body_count == 0) return false;
      block.postings[p] = {static_cast<std::size_t>(document), static_cast<unsigned>(title_count), static_cast<unsigned>(body_count)};
    }
  }
  // Written into the index's JSON as they are: only the script's digits, never a quote.
  block.kept_positions = in.text();
  const auto is_digit = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; };
  const bool digits_only = std::all_of(block.kept_positions.begin(), block.kept_positions.end(), is_digit);
  return in.done() && block.kept_positions.size() == written && digits_only;
}

/// Cuts and stems every document's words, in blocks on every core (each range of blocks has
/// its own stemmer and stems, so that the threads share nothing), or takes a block's postings
/// from the cache; then gathers every block's postings in document order. Lets go of each
/// document's text.
Terms collect_terms(std::vector<SearchDocument>& documents, unsigned jobs, ResultCache* cache) {
  std::vector<std::uint64_t> keys(documents.size());
  parallel_for(documents.size(), jobs, [&](std::size_t d) {
    ContentHasher hasher;
    hasher.add("stems\n");
    hasher.add_number(documents[d].title.size());
    hasher.add(documents[d].title);
    hasher.add_number(documents[d].html.size());
    hasher.add(documents[d].html);
    hasher.add(documents[d].text);
    keys[d] = hasher.digest();
  });
  std::vector<std::size_t> block_first{0};  // block b is documents block_first[b] … block_first[b + 1] - 1
  for (std::size_t d = 0; d < documents.size(); ++d)
    if (keys[d] % block_documents == 0 || d + 1 - block_first.back() == most_block_documents || d + 1 == documents.size())
      block_first.push_back(d + 1);
  const auto blocks = block_first.size() - 1;

  struct RangeWords {
    Stemmer stemmer;
    TextMap<std::uint32_t> word_stems, stem_ids;
    std::deque<std::string> stems;  // a deque, so that the blocks' views of them stay put
  };
  const std::size_t ranges = std::min<std::size_t>(jobs, blocks);
  std::vector<RangeWords> range_words(ranges);
  std::vector<BlockTerms> block_terms(blocks);
  parallel_for(ranges, jobs, [&](std::size_t range) {
    auto& words = range_words[range];
    constexpr auto unplaced = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> in_block;  // a range stem's number in the block being made
    std::vector<std::uint32_t> placed;    // the range stems that have one
    auto stem_number = [&](std::string_view stem) {
      if (const auto known = words.stem_ids.find(stem); known != words.stem_ids.end()) return known->second;
      const auto id = static_cast<std::uint32_t>(words.stems.size());
      words.stem_ids.emplace(words.stems.emplace_back(stem), id);
      in_block.push_back(unplaced);
      return id;
    };
    for (auto b = blocks * range / ranges; b < blocks * (range + 1) / ranges; ++b) {
      const auto first = block_first[b], count = block_first[b + 1] - first;
      auto& block = block_terms[b];
      ContentHasher hasher;
      hasher.add("search block\n");
      for (auto d = first; d < first + count; ++d) hasher.add_number(keys[d]);
      const auto key = hasher.digest();
      const auto kept = cache ? cache->find(key) : std::nullopt;
      if (!kept || !read_kept_block(*kept, count, block)) {
        block = {};
        std::vector<std::vector<std::uint32_t>> block_words(count);
        std::vector<std::uint32_t> title_lengths(count);
        for (std::size_t i = 0; i < count; ++i) {
          auto add_word = [&](std::string_view word) {
            auto known = words.word_stems.find(word);
            if (known == words.word_stems.end()) known = words.word_stems.emplace(std::string(word), stem_number(words.stemmer.stem(word))).first;
            auto& local = in_block[known->second];
            if (local == unplaced) {
              local = static_cast<std::uint32_t>(block.stems.size());
              block.stems.push_back(words.stems[known->second]);
              placed.push_back(known->second);
            }
            block_words[i].push_back(local);
          };
          visit_search_words(documents[first + i].title, add_word);
          title_lengths[i] = static_cast<std::uint32_t>(block_words[i].size());
          if (!documents[first + i].html.empty()) visit_search_words(html_text(documents[first + i].html), add_word);
          visit_search_words(documents[first + i].text, add_word);
        }
        for (const auto stem : placed) in_block[stem] = unplaced;
        placed.clear();
        invert_block(block_words, title_lengths, block);
        if (cache) cache->put(key, kept_block(block));
      }
      // The words are all the text was for: a large site's text is hundreds of MB.
      for (auto d = first; d < first + count; ++d) std::string().swap(documents[d].text);
    }
  });

  std::unordered_map<std::string_view, std::size_t> term_ids;
  Terms result;
  auto& terms = result.terms;
  for (std::size_t b = 0; b < blocks; ++b) {
    const auto& block = block_terms[b];
    for (std::size_t s = 0; s < block.stems.size(); ++s) {
      auto [id, added] = term_ids.try_emplace(block.stems[s], terms.size());
      if (added) terms.push_back({std::string(block.stems[s]), 0, {}});
      auto& term = terms[id->second];
      // A block made here names each stem once; one read back that names a stem twice was not
      // made here, and only its first is taken, so that no document is a term's twice.
      if (!term.parts.empty() && term.parts.back().block == b) continue;
      term.documents += block.first_posting[s + 1] - block.first_posting[s];
      term.parts.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(s)});
    }
  }
  result.lengths.resize(documents.size());
  for (std::size_t b = 0; b < blocks; ++b) {
    std::copy(block_terms[b].lengths.begin(), block_terms[b].lengths.end(), result.lengths.begin() + static_cast<std::ptrdiff_t>(block_first[b]));
    block_terms[b].stems = {};  // views of the ranges' stems, which go with this function
  }
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.term < b.term; });
  result.blocks = std::move(block_terms);
  result.block_first = std::move(block_first);
  return result;
}

/// BM25 with title words weighted up, scaled to 1–31 over the whole index; a title match
/// adds 32, so that it ranks above any match in the body alone.
class ImpactScorer {
 public:
  ImpactScorer(const Terms& terms, unsigned jobs) : count_(static_cast<double>(terms.lengths.size())) {
    double total_length = 0;
    for (const auto length : terms.lengths) total_length += static_cast<double>(length);
    const double average_length = terms.lengths.empty() ? 1 : std::max(1.0, total_length / count_);
    // Each document's length normalisation, worked out once rather than for each of its postings.
    length_norms_.reserve(terms.lengths.size());
    for (const auto length : terms.lengths) length_norms_.push_back(bm25_k1 * (1 - bm25_b + bm25_b * static_cast<double>(length) / average_length));
    // The highest score of all, a pass over every posting: a few thousand terms to each core at a time.
    constexpr std::size_t terms_at_once = 4096;
    std::vector<double> highest((terms.terms.size() + terms_at_once - 1) / terms_at_once);
    parallel_for(highest.size(), jobs, [&](std::size_t part) {
      for (auto t = part * terms_at_once; t < std::min(terms.terms.size(), (part + 1) * terms_at_once); ++t) {
        const auto term_idf = idf(terms.terms[t]);
        terms.for_each_posting(terms.terms[t], [&](const Posting& posting) { highest[part] = std::max(highest[part], bm25(term_idf, posting)); });
      }
    });
    for (const auto part : highest) highest_ = std::max(highest_, part);
  }
  [[nodiscard]] double idf(const Term& term) const {
    const double df = static_cast<double>(term.documents);
    return std::log(1 + (count_ - df + 0.5) / (df + 0.5));
  }
  [[nodiscard]] int impact(double term_idf, const Posting& posting) const {
    const double score = highest_ > 0 ? std::clamp(bm25(term_idf, posting) / highest_, 0.0, 1.0) : 0;
    return 1 + static_cast<int>(std::floor(score * 30)) + (posting.title_count ? title_flag : 0);
  }

 private:
  [[nodiscard]] double bm25(double term_idf, const Posting& posting) const {
    const double tf = posting.body_count + title_weight * posting.title_count;
    return term_idf * tf * (bm25_k1 + 1) / (tf + length_norms_[posting.document]);
  }
  std::vector<double> length_norms_;
  double count_;
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
    std::vector<std::vector<std::string_view>> of_document(documents.size());
    std::map<std::string_view, std::uint32_t> numbers;
    for (std::size_t d = 0; d < documents.size(); ++d) {
      of_document[d] = facet_values(documents[d], id);
      for (const auto& value : of_document[d]) numbers.emplace(value, 0);
    }
    if (numbers.empty()) continue;
    FacetTable::Facet facet{id, label, {}, {0}, {}};
    for (auto& [value, number] : numbers) {
      number = static_cast<std::uint32_t>(facet.values.size());
      facet.values.emplace_back(value);
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
    for (const auto& posting : term)
      for (auto at = facet.first[posting.document]; at < facet.first[posting.document + 1]; ++at) ++count[facet.numbers[at]];
    auto pairs = nlohmann::json::array();
    for (std::size_t v = 0; v < count.size(); ++v)
      if (count[v]) pairs.insert(pairs.end(), {v, count[v]});
    counts.push_back(std::move(pairs));
  }
  return counts.dump();
}

/// A term's postings as the script reads them: for each document, its id gap then its impact.
void encode_postings(const TermPostings& term, const std::vector<int>& impacts, const std::vector<std::size_t>& chosen, std::string& postings) {
  std::size_t previous = 0, next = 0;
  bool first = true;
  for (std::size_t i = 0; i < term.size(); ++i) {
    const auto& posting = term[i];
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

/// Each thread's room for the postings of the term it is encoding.
thread_local TermPostings laid_out;

/// Postings and positions, grouped into files of about postings_file_bytes, written as JSON
/// objects of term → encoded string (terms never hold a character JSON must escape). A term in
/// more than five times top_postings documents has a file of its own for all of them, and in
/// its group's file only its best top_postings, the number of that file and its documents'
/// facet counts: a one-word query loads a few kilobytes however common the word. Returns the
/// number of the file that each term's dictionary entry names.
std::vector<std::size_t> write_postings(const Terms& all, const ImpactScorer& scorer, const FacetTable& facets, const SearchIndexOptions& options,
                                        unsigned jobs, std::map<std::string, std::string>& files) {
  const auto& terms = all.terms;
  const std::size_t top = std::max<std::size_t>(1, options.top_postings);
  struct Encoded {
    std::string postings, positions, top_postings, facet_counts;
  };
  auto own_file = [&](std::size_t t) { return terms[t].documents > 5 * top; };
  auto encode = [&](std::size_t t, Encoded& out) {
    auto& term = laid_out;
    all.lay_out(terms[t], term);
    const auto term_idf = scorer.idf(terms[t]);
    std::vector<int> impacts(term.size());
    for (std::size_t i = 0; i < impacts.size(); ++i) impacts[i] = scorer.impact(term_idf, term[i]);
    encode_postings(term, impacts, {}, out.postings);
    out.positions = all.positions(terms[t]);
    if (!own_file(t)) return;
    // The best, in the order results show them: impact, then document.
    std::vector<std::size_t> best(term.size());
    for (std::size_t i = 0; i < best.size(); ++i) best[i] = i;
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(top), best.end(),
                      [&](std::size_t a, std::size_t b) { return impacts[a] != impacts[b] ? impacts[a] > impacts[b] : a < b; });
    best.resize(top);
    std::sort(best.begin(), best.end());
    encode_postings(term, impacts, best, out.top_postings);
    out.facet_counts = facet_counts(term, facets);
  };
  auto file_of = [&](std::size_t number, std::string_view kind) {
    return "search/index/" + std::string(kind) + "/" + std::to_string(number) + ".json";
  };
  // The common terms' own files come first; each term's strings are encoded on every core, then
  // laid into files in term order.
  std::vector<std::size_t> common;
  for (std::size_t t = 0; t < terms.size(); ++t)
    if (own_file(t)) common.push_back(t);
  std::vector<Encoded> common_encoded(common.size());
  parallel_for(common.size(), jobs, [&](std::size_t i) { encode(common[i], common_encoded[i]); });
  std::vector<std::size_t> term_file(terms.size());
  std::size_t file_number = 0;
  for (std::size_t i = 0; i < common.size(); ++i) {
    const auto key = json_term(terms[common[i]].term);
    auto& term = common_encoded[i];
    files[file_of(file_number, "p")] = "{" + key + ":\"" + std::exchange(term.postings, {}) + "\"}";
    files[file_of(file_number, "x")] = "{" + key + ":\"" + std::exchange(term.positions, {}) + "\"}";
    term_file[common[i]] = file_number++;
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
  // The others a few thousand at a time: all of them encoded at once would hold the index twice.
  constexpr std::size_t terms_at_once = 4096;
  for (std::size_t from = 0, next_common = 0; from < terms.size(); from += terms_at_once) {
    const auto to = std::min(terms.size(), from + terms_at_once);
    std::vector<Encoded> encoded(to - from);
    parallel_for(to - from, jobs, [&](std::size_t i) {
      if (!own_file(from + i)) encode(from + i, encoded[i]);
    });
    for (auto t = from; t < to; ++t) {
      const bool own = own_file(t);
      auto& term = own ? common_encoded[next_common++] : encoded[t - from];
      const auto key = json_term(terms[t].term);
      const auto value =
          own ? "[\"" + term.top_postings + "\"," + std::to_string(term_file[t]) + "," + term.facet_counts + "]" : "\"" + term.postings + "\"";
      if (postings_file.size() > 1 && postings_file.size() + value.size() > options.postings_file_bytes) flush();
      add(postings_file, key, value);
      if (!own) add(positions_file, key, "\"" + term.positions + "\"");
      term_file[t] = file_number;
      term = {};  // in a file now: the index is not held twice
    }
  }
  laid_out = {};  // this thread's room, which would otherwise outlive the build
  flush();
  return term_file;
}

/// The dictionary: every term with its document count and postings file, by prefix. Returns the prefixes.
nlohmann::json write_dictionary(const std::vector<Term>& terms, const std::vector<std::size_t>& term_file, std::size_t terms_per_file,
                                std::map<std::string, std::string>& files) {
  std::vector<std::tuple<std::string, std::size_t, std::size_t>> groups;
  group_by_prefix(terms, 0, terms.size(), 1, terms_per_file, groups);
  auto prefixes = nlohmann::json::array();
  for (const auto& [prefix, begin, end] : groups) {
    std::string entries = "[";  // [[term, documents, file], …], as nlohmann::json writes it, without a value for each
    for (auto t = begin; t < end; ++t) {
      entries += t == begin ? "[" : ",[";
      append_json_string(entries, terms[t].term);
      fmt::format_to(std::back_inserter(entries), ",{},{}]", terms[t].documents, term_file[t]);
    }
    entries += ']';
    files["search/index/d/" + hex(prefix) + ".json"] = std::move(entries);
    prefixes.push_back(prefix);
  }
  return prefixes;
}

/// What results show, a few documents a file. A field that is the same as the record's before
/// is written as 0: a dataset's rows share their type and detail.
void write_records(const std::vector<SearchDocument>& documents, std::size_t per_file, std::map<std::string, std::string>& files) {
  for (std::size_t first = 0; first < documents.size(); first += per_file) {
    std::string records = "[";  // [[title, url, type, excerpt, detail], …]
    std::array<const std::string*, 5> before{};
    for (auto d = first; d < std::min(documents.size(), first + per_file); ++d) {
      const auto& document = documents[d];
      const std::array<const std::string*, 5> fields = {&document.title, &document.url, &document.type, &document.excerpt, &document.detail};
      records += d == first ? "[" : ",[";
      for (std::size_t f = 0; f < fields.size(); ++f) {
        if (f > 0) records += ',';
        if (d > first && *fields[f] == *before[f])
          records += '0';
        else
          append_json_string(records, *fields[f]);
      }
      records += ']';
      before = fields;
    }
    records += ']';
    files["search/index/r/" + std::to_string(first / per_file) + ".json"] = std::move(records);
  }
}

}  // namespace

std::map<std::string, std::string> build_search_index(std::vector<SearchDocument> documents, const SearchIndexOptions& options) {
  sort_by_facets(documents, options.facets);
  const unsigned jobs = std::max(1u, options.jobs ? options.jobs : std::thread::hardware_concurrency());
  // The records need only the documents' fields that results show, which nothing below changes
  // (collect_terms() lets go of their texts): written meanwhile, on a thread of their own, or
  // last with one job.
  const auto per_file = options.records_per_file ? options.records_per_file : documents.size() > 50000 ? 16 : 8;
  std::map<std::string, std::string> files;
  auto records = std::async(jobs > 1 ? std::launch::async : std::launch::deferred, [&documents, per_file] {
    std::map<std::string, std::string> written;
    write_records(documents, per_file, written);
    return written;
  });
  const auto terms = collect_terms(documents, jobs, options.cache);
  const ImpactScorer scorer(terms, jobs);
  const auto facets = facet_table(documents, options.facets);
  const auto term_file = write_postings(terms, scorer, facets, options, jobs, files);
  auto prefixes = write_dictionary(terms.terms, term_file, options.terms_per_dictionary_file, files);
  files.merge(records.get());

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
