// Soak benchmark: each lab runs through the Runner flat out for a while (default 10 minutes)
// with a reader taking snapshots at 60 Hz as the UI would; resident memory is sampled, and its
// growth after the first minute must stay within 5 MB.
//   soak_bench [seconds-per-lab] [model ...]

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "core/registry.hpp"
#include "core/runner.hpp"

namespace {

double residentMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 600.0;
  std::vector<std::string> models;
  for (int i = 2; i < argc; ++i) models.emplace_back(argv[i]);
  if (models.empty()) models = vilab::modelNames();
  int failures = 0;
  for (const auto& name : models) {
    auto model = vilab::makeModel(name);
    if (!model) return std::fprintf(stderr, "unknown model %s\n", name.c_str()), 2;
    auto scenario = model->defaultScenario();
    scenario->speed = 0.0;
    if (!model->reset(*scenario)) return 1;
    vilab::Runner runner(std::move(model), std::move(scenario), true);
    const auto start = std::chrono::steady_clock::now();
    const double warmup = std::min(60.0, seconds / 10.0);
    double afterWarmup = -1.0, peak = 0.0;
    long frames = 0;
    for (;;) {
      const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (t >= seconds) break;
      const auto state = runner.state();  // what a UI frame does
      (void)state.snapshot->trace.rows();
      ++frames;
      if (afterWarmup < 0.0 && t >= warmup) afterWarmup = residentMb();
      if (afterWarmup >= 0.0) peak = std::max(peak, residentMb());
      std::this_thread::sleep_for(std::chrono::milliseconds(16));
    }
    runner.pause();
    runner.sync();
    const double growth = peak - afterWarmup;
    const bool ok = growth <= 5.0;
    failures += !ok;
    std::printf("model=%s seconds=%.0f iterations=%lld frames=%ld rss_after_%.0fs_mb=%.1f rss_peak_mb=%.1f growth_mb=%.2f %s\n",
                name.c_str(), seconds, static_cast<long long>(runner.state().snapshot->iteration), frames, warmup,
                afterWarmup, peak, growth, ok ? "ok" : "TOO MUCH GROWTH");
    std::fflush(stdout);
  }
  return failures ? 1 : 0;
}
