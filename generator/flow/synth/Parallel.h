// Runs independent synthesis tasks with at most `jobs` of them at a time.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <semaphore>
#include <vector>

namespace ftaccel::flow::synth {

// One std::async thread per task, admitted by a counting semaphore. Once a task failed, the
// tasks not yet started are skipped; the first failure is rethrown after all threads ended.
inline void runParallel(int jobs, const std::vector<std::function<void()>>& tasks) {
  std::counting_semaphore<> slots(std::max(jobs, 1));
  std::atomic<bool> failed{false};
  std::vector<std::future<void>> running;
  running.reserve(tasks.size());
  for (const auto& task : tasks) {
    running.push_back(std::async(std::launch::async, [&slots, &failed, &task] {
      slots.acquire();
      try {
        if (!failed) task();
      } catch (...) {
        failed = true;
        slots.release();
        throw;
      }
      slots.release();
    }));
  }
  std::exception_ptr first;
  for (auto& f : running) {
    try {
      f.get();
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

}  // namespace ftaccel::flow::synth
