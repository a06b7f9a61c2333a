// Live-equations benchmark: iterations per second (this thread's CPU time, median of 5 runs) of
// four labs' step() alone and of step() followed by snapshot(), which fills Snapshot::equations.
// The runner publishes at most 60 snapshots a second, so step() is what the equations must not
// slow; the snapshot column bounds their cost per published frame. Build the same file against
// another commit's core to compare.
//
// Usage: equations_bench

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/models/fa.hpp"
#include "core/models/logreg/model.hpp"
#include "core/models/targets/model.hpp"
#include "core/models/vae.hpp"

using namespace vilab;

namespace {

double cpuSeconds() {  // this thread's CPU time
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

template <class M, class S>
void run(const char* name, const S& s, int steps) {
  for (bool withSnapshot : {false, true}) {
    std::vector<double> times;
    for (int rep = 0; rep < 5; ++rep) {
      M model;  // reset outside the timed loop
      if constexpr (std::is_same_v<M, VaeModel>) model.setViewInterval(std::chrono::hours(1));
      if (!model.reset(s)) std::abort();
      const double start = cpuSeconds();
      for (int i = 0; i < steps; ++i) {
        model.step();
        if (withSnapshot) model.snapshot();
      }
      times.push_back(cpuSeconds() - start);
    }
    std::nth_element(times.begin(), times.begin() + 2, times.end());
    const double seconds = times[2];
    std::printf("%-16s %-16s %10.0f it/s\n", name, withSnapshot ? "step+snapshot" : "step", steps / seconds);
  }
}

}  // namespace

int main() {
  run<FaModel>("fa (D=6)", FaScenario(), 4000);
  {
    FaScenario s;
    s.dataset = "synthetic";
    s.data.n = 2000;
    s.k = 5;
    run<FaModel>("fa (images)", s, 300);
  }
  for (auto method : {LogregScenario::Method::Gradient, LogregScenario::Method::Jj, LogregScenario::Method::Laplace}) {
    LogregScenario s;
    s.method = method;
    const char* names[] = {"logreg gradient", "logreg JJ", "logreg Laplace"};
    run<LogregModel>(names[static_cast<int>(method)], s, 2000);
  }
  {
    TargetsScenario s;
    s.mcmc = TargetsScenario::Mcmc::Off;
    run<TargetsModel>("targets", s, 2000);
  }
  {
    VaeScenario s;
    s.dataset = "synthetic";
    s.evalEvery = 0;
    s.varianceEvery = 0;
    run<VaeModel>("vae (synthetic)", s, 100);
  }
}
