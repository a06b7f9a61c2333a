// Timeline memory benchmark: long runs through the Runner with the checkpoint history on, printing
// at milestones the number of kept checkpoints, their estimated bytes (CheckpointHistory's
// measure) and the process's resident memory. Bounded memory shows as counts that stop growing
// past the capacity and RSS that levels off while the iterations multiply.
//   timeline_bench [gaussian-iterations] [vae-iterations]   (defaults 100000 and 3000)

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "bench_util.hpp"
#include "core/registry.hpp"
#include "core/runner.hpp"

namespace {

double residentMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// The worker's cost of one checkpoint: clone() alone, and CheckpointHistory::record (the clone and
// the allocator's statistics read twice to measure it), median over repeats.
void recordCost(vilab::Model& model, const std::shared_ptr<const vilab::Scenario>& scenario) {
  const double clone = vilab::bench::medianSeconds([&] { (void)model.clone(); }, 21);
  const double record = vilab::bench::medianSeconds(
      [&] {
        vilab::CheckpointHistory history;
        history.record(model, scenario);
      },
      21);
  std::printf("one checkpoint: clone %.1f µs, record (clone + measure) %.1f µs\n", clone * 1e6,
              record * 1e6);
}

void run(const char* name, long long iterations, int milestones) {
  auto model = vilab::makeModel(name);
  auto scenario = model->defaultScenario();
  scenario->speed = 0;
  if (const vilab::Status s = model->reset(*scenario); !s) {
    std::printf("%s: %s\n", name, s.message().c_str());
    return;
  }
  recordCost(*model, std::shared_ptr<const vilab::Scenario>(scenario->clone()));
  vilab::Runner runner(std::move(model), std::move(scenario));
  std::printf("\n%s, default scenario, %lld iterations\n", name, iterations);
  std::printf("%12s %8s %12s %10s %10s\n", "iteration", "kept", "history MB", "RSS MB", "seconds");
  const auto start = std::chrono::steady_clock::now();
  long long done = 0;
  for (int m = 0; m <= milestones; ++m) {
    const long long target = iterations * m / milestones;
    if (target > done) runner.step(static_cast<int>(target - done)), done = target;
    runner.sync();
    const auto state = runner.state();
    std::printf("%12lld %8zu %12.1f %10.1f %10.1f\n", static_cast<long long>(state.liveIteration),
                state.keptIterations ? state.keptIterations->size() : 0, state.historyBytes / 1048576.0,
                residentMb(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const long long gaussian = argc > 1 ? std::atoll(argv[1]) : 100000;
  const long long vae = argc > 2 ? std::atoll(argv[2]) : 3000;
  std::printf("checkpoint history: at most %zu checkpoints and %.0f MB per run\n",
              vilab::CheckpointHistory::kDefaultCapacity,
              vilab::CheckpointHistory::kDefaultByteBudget / 1048576.0);
  run("gaussian", gaussian, 10);
  run("vae", vae, 10);
  return 0;
}
