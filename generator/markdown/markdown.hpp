#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result_cache.hpp"

namespace plainsight {

struct MarkdownOptions {
  bool unsafe_html = false;               ///< pass raw HTML through; off unless site.json turns it on
  std::string base_path = "/";            ///< prefixed to links written as site paths ("/news/")
  std::vector<std::string> reserved_ids;  ///< ids the theme uses, which headings must not take
};

struct Heading {
  int level = 0;
  std::string id;
  std::string text;
  int line = 0;  ///< in the Markdown source, from 1
};

struct MarkdownLink {
  std::string url;  ///< as written, before base_path is added
  int line = 0;
  int column = 0;
};

/// The most characters of a page's first paragraph that its summary shows, when its front
/// matter gives none.
constexpr std::size_t summary_length = 220;

struct RenderedMarkdown {
  std::string html;
  std::vector<Heading> headings;
  std::vector<MarkdownLink> links;  ///< links and images, in document order
  std::string summary;              ///< the first paragraph as plain text, shortened to summary_length
};

/// The rendered Markdown of the Markdown inside data files (SiteModel::snippets), in their
/// order: all of the site's Markdown that a data type's view is given, so that no view depends
/// on a page's body (the build keeps each page's view parts on that ground).
using SnippetMarkdown = std::span<const RenderedMarkdown>;

/// Registers cmark-gfm's extensions; call once from main before any thread starts,
/// because concurrent first registration can abort.
void prepare_markdown();

/// GitHub Flavoured Markdown (tables, strikethrough, autolinks, task lists, footnotes) to HTML,
/// with a stable, unique id on every heading.
RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options);

/// The same, taken from `cache` when the same text was rendered with the same options before.
RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownOptions& options, ResultCache& cache);

/// What `cache` keeps of a text with this hash (content_hash) rendered with these options, if
/// anything: for a text that was not read.
std::optional<RenderedMarkdown> find_rendered_markdown(std::uint64_t text_hash, const MarkdownOptions& options, const ResultCache& cache);

}  // namespace plainsight
