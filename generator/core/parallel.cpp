#include "core/parallel.hpp"

#include <condition_variable>
#include <system_error>
#include <thread>

namespace plainsight::detail {

namespace {

/// A call of run_on_workers: its function and how many more workers may join it.
struct Task {
  const std::function<void()>* run;
  unsigned wanted;
  unsigned active = 0;  ///< workers in it now
};

class WorkerPool {
 public:
  void run(unsigned helpers, const std::function<void()>& work) {
    Task task{&work, helpers};
    {
      std::lock_guard lock(mutex_);
      // Never fewer workers than the largest call asked for; a call made inside another may
      // find them busy, and then does more of its work itself, as it does when the system
      // will start no more threads.
      try {
        for (; workers_ < helpers; ++workers_) std::thread([this] { serve(); }).detach();
      } catch (const std::system_error&) {
      }
      tasks_.push_back(&task);
    }
    wake_.notify_all();
    work();
    // Every item is taken once the calling thread's call returns: no worker may join now, and
    // those that did are waited for (their calls return as soon as they find nothing left).
    std::unique_lock lock(mutex_);
    std::erase(tasks_, &task);
    finished_.wait(lock, [&] { return task.active == 0; });
  }

 private:
  Task* wanting() {
    for (auto* task : tasks_)
      if (task->wanted > 0) return task;
    return nullptr;
  }

  [[noreturn]] void serve() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return wanting() != nullptr; });
      auto& task = *wanting();
      --task.wanted;
      ++task.active;
      lock.unlock();
      (*task.run)();
      lock.lock();
      if (--task.active == 0) finished_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::vector<Task*> tasks_;
  unsigned workers_ = 0;
};

}  // namespace

void run_on_workers(unsigned helpers, const std::function<void()>& run) {
  // Never destroyed: its workers wait for work until the process ends.
  static auto& pool = *new WorkerPool;
  pool.run(helpers, run);
}

}  // namespace plainsight::detail
