#include "app/platform/thread_priority.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#if defined(__linux__)
#include <sys/resource.h>
#endif

#include "core/runner.hpp"

namespace vilab {

int yieldCoresToWorker() {
  int reniced = 0;
#if defined(__linux__)
  constexpr int kGuiNice = 10;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    if (name == Runner::kWorkerThreadName) continue;
    const std::string tid = task.path().filename().string();
    if (setpriority(PRIO_PROCESS, static_cast<id_t>(std::stoul(tid)), kGuiNice) == 0) ++reniced;
  }
#endif
  return reniced;
}

void limitSoftwareRendererThreads() { setenv("LP_NUM_THREADS", "1", /*overwrite=*/0); }

}  // namespace vilab
