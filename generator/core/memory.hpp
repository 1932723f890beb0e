#pragma once

namespace plainsight {

/// Gives the memory freed so far back to the system at once, where the allocator would keep it
/// for ten seconds: called between a build's phases, so that what the load and the Markdown let
/// go is not counted again at the build's peak, while the pages and the search index are made.
/// Does nothing without jemalloc (the sanitizer builds bring their own allocator).
void return_freed_memory();

}  // namespace plainsight
