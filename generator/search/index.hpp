#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result_cache.hpp"

namespace plainsight {

/// One thing a resident can find: a page, a plan's priority, deliverable or measure, a budget
/// line or a procurement project.
struct SearchDocument {
  std::string title;
  std::string url;      ///< as a link, base path included; may end in #anchor
  std::string type;     ///< shown and filtered on: "Page", "News", "Deliverable", "Contract", …
  std::string excerpt;  ///< a sentence or two, shown under the title
  std::string detail;   ///< a short line of facts, such as "Rating: good · Adults"
  std::string text;     ///< everything else to search, as plain text
  /// Facets to filter on besides type: ("plan", "Council Plan 2021-25"), ("rating", "Good"), …
  std::vector<std::pair<std::string, std::string>> facets;
  /// HTML whose text is searched before `text` (a page's Markdown as HTML), made into text only
  /// when the document's words are not kept; it must outlive build_search_index().
  std::string_view html = {};
};

struct SearchIndexOptions {
  /// Documents per record file: a result list loads only the files it shows. 0: 8, or 16 for
  /// an index of more than 50,000 documents, which would otherwise be mostly record files.
  std::size_t records_per_file = 0;
  std::size_t postings_file_bytes = 12000;  ///< postings are grouped into files of about this size
  std::size_t top_postings = 200;           ///< a term in more than five times this many documents: its best this many load first
  std::size_t terms_per_dictionary_file = 1500;
  unsigned jobs = 0;  ///< threads; 0: one per core
  /// The facets to filter on, as (id, label), in the order the search page shows them; the
  /// data types declare theirs (types/data_type.hpp). Documents' other facets are not indexed.
  std::vector<std::pair<std::string, std::string>> facets = {{"type", "Type"}};
  /// Where the postings of each block of documents are kept between builds, under a hash of
  /// their titles and texts; none: every document's words are cut and stemmed.
  ResultCache* cache = nullptr;
};

/// Builds the sharded index that the site's search script is to read: output path under
/// "search/index/" → bytes. The same documents always give the same bytes.
///   meta.json      document count, dictionary prefixes, facets as runs of document ids
///   d/<hex>.json   the terms with a prefix: [term, documents, postings file]
///   p/<n>.json     term → postings: for each document, its id gap then its impact (1–31,
///                  plus 32 when the term is in the title), in base-64 digits; for a common
///                  term, [its best top_postings, the file of all, facet counts of all]
///   x/<n>.json     term → positions, in the same order, for phrases in quotes
///   r/<n>.json     [title, url, type, excerpt, detail] of a few documents; a field equal
///                  to the one before it in the file is 0
std::map<std::string, std::string> build_search_index(std::vector<SearchDocument> documents, const SearchIndexOptions& options = {});

namespace detail {
/// Non-negative integers as the script reads them: base-64 digits (A–Z a–z 0–9 - _), most
/// significant first, each but the last taken from the upper 32 of the alphabet.
void append_varint(std::string& out, std::size_t value);
}  // namespace detail

}  // namespace plainsight
