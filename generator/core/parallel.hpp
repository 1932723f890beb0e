#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <vector>

namespace plainsight {

namespace detail {

/// Calls `run` on the calling thread and on up to `helpers` of the process's worker threads,
/// those that come free while the calling thread's call lasts; returns when every call has
/// returned. The workers are started when first wanted and kept for the process's life: a
/// thread's start and exit cost more than a small build's phases (its allocator's caches are
/// made, then flushed and given back to the system).
void run_on_workers(unsigned helpers, const std::function<void()>& run);

}  // namespace detail

/// Calls work(i) for every i in [0, count) on up to `jobs` threads. The first exception
/// thrown by any call is rethrown after all threads have finished. May be called from inside
/// work: the calling thread always takes part, so a call never waits for a worker to be free.
template <typename Work>
void parallel_for(std::size_t count, unsigned jobs, Work&& work) {
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::min<std::size_t>(count, 1024))));
  if (jobs <= 1) {
    for (std::size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  detail::run_on_workers(jobs - 1, [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) {
      try {
        work(i);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  });
  if (failure) std::rethrow_exception(failure);
}

}  // namespace plainsight
