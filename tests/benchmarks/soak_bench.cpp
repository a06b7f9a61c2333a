// Soak benchmark: each lab runs through the Runner flat out for a while (default 10 minutes)
// with a reader taking snapshots at 60 Hz as the UI would; resident memory is sampled every
// second after the first minute, and its growth over the run must stay within 5 MB.
//   soak_bench [seconds-per-lab] [model ...]

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <vector>

#include "core/registry.hpp"
#include "core/runner.hpp"

namespace {

double residentMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
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
    std::vector<double> rss;  // one sample a second after the warm-up
    long frames = 0;
    for (double nextSample = warmup;;) {
      const double t =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (t >= seconds) break;
      const auto state = runner.state();  // what a UI frame does
      (void)state.snapshot->trace.rows();
      ++frames;
      if (t >= nextSample) rss.push_back(residentMb()), nextSample += 1.0;
      std::this_thread::sleep_for(std::chrono::milliseconds(16));
    }
    runner.pause();
    runner.sync();
    // Growth is the median of the last minute against the median of the first minute after the
    // warm-up: a leak or creeping fragmentation moves both, a checkpoint being copied at the
    // moment of one sample does not (the peak shows those).
    const std::size_t window = std::max<std::size_t>(1, std::min<std::size_t>(60, rss.size() / 4));
    const double first = median({rss.begin(), rss.begin() + window});
    const double last = median({rss.end() - window, rss.end()});
    const double peak = *std::max_element(rss.begin(), rss.end());
    const double growth = last - first;
    const bool ok = growth <= 5.0;
    failures += !ok;
    std::printf(
        "model=%s seconds=%.0f iterations=%lld frames=%ld rss_first_minute_mb=%.1f "
        "rss_last_minute_mb=%.1f "
        "rss_peak_mb=%.1f growth_mb=%.2f %s\n",
        name.c_str(), seconds, static_cast<long long>(runner.state().snapshot->iteration), frames,
        first, last, peak, growth, ok ? "ok" : "TOO MUCH GROWTH");
    std::fflush(stdout);
  }
  return failures ? 1 : 0;
}
