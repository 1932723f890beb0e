#pragma once

#include <string>
#include <vector>

#include "core/dates.hpp"

namespace plainsight {

struct AtomEntry {
  std::string id;  ///< stable from build to build, so readers do not show an entry twice
  std::string title, url;
  DateTime published, updated;
  std::string summary;       ///< plain text; left out when empty
  std::string content_html;  ///< left out when empty
};

struct AtomFeed {
  std::string url;  ///< the feed's own address, absolute: also its id
  std::string title, subtitle, language, base_url, author;
  std::string page_url;  ///< the page it is the feed of, absolute
  std::vector<AtomEntry> entries;
};

/// The feed as Atom (RFC 4287) XML. Its `updated` is the newest entry's, never the clock's, so
/// the same entries always give the same bytes.
std::string atom(const AtomFeed& feed);

}  // namespace plainsight
