// Gaussian-mixture lab benchmark: one CAVI and one EM iteration at N = 20000, D = 2, K = 5 (full
// covariances), the snapshot the GUI takes while the optimiser runs, one BBVI step in 1-D, and
// CAVI and EM at the lab's largest size, D = 16, K = 20;
// with scikit-learn's BayesianGaussianMixture and GaussianMixture per-iteration times measured
// in the same run by gmm_peer.py, and the ratios.

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/models/gmm.hpp"

using namespace vilab;

namespace {

// This thread's CPU time: on a machine shared with other jobs it leaves out the time the thread
// waited for a core, which wall-clock medians include.
double threadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

struct Timing {
  double wallMs, cpuMs;  // medians
  double cpuP10Ms;       // 10th percentile of the CPU time: the speed when no neighbour interferes
};

Timing summarise(std::vector<double> wall, std::vector<double> cpu) {
  const std::size_t n = wall.size();
  std::nth_element(wall.begin(), wall.begin() + n / 2, wall.end());
  const double wallMedian = wall[n / 2];
  std::nth_element(cpu.begin(), cpu.begin() + n / 2, cpu.end());
  const double cpuMedian = cpu[n / 2];
  std::nth_element(cpu.begin(), cpu.begin() + n / 10, cpu.end());
  return {1e3 * wallMedian, 1e3 * cpuMedian, 1e3 * cpu[n / 10]};
}

template <class F>
Timing median(F&& f, int repeats) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < repeats; ++i) {
    const double c0 = threadSeconds();
    wall.push_back(bench::medianSeconds(f, 1));
    cpu.push_back(threadSeconds() - c0);
  }
  return summarise(std::move(wall), std::move(cpu));
}

Timing iteration(GmmModel& model, int repeats) {
  return median([&] { model.step(); }, repeats);
}

// The snapshot after each step (a new version, so it is rebuilt); the steps are not timed.
Timing snapshotAfterStep(GmmModel& model, int repeats) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < repeats; ++i) {
    model.step();
    const double c0 = threadSeconds();
    wall.push_back(bench::medianSeconds([&] { (void)model.snapshot(); }, 1));
    cpu.push_back(threadSeconds() - c0);
  }
  return summarise(std::move(wall), std::move(cpu));
}

void print(const char* what, Timing t, const char* target = "") {
  std::printf("  ours  %-34s %8.4f ms wall  %8.4f ms cpu  (p10 %.4f)  %s\n", what, t.wallMs,
              t.cpuMs, t.cpuP10Ms, target);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::stoi(argv[1]) : 20000;
  const int k = 5;
  GmmScenario s;
  s.dim = 2;
  s.data.n = n;
  s.data.components = 5;
  s.k = k;
  GmmModel model;
  if (!model.reset(s).isOk()) return 1;
  for (int i = 0; i < 50; ++i) model.step();  // warm up (caches, page faults)

  const Timing cavi = iteration(model, 3000);
  s.algorithm = GmmScenario::Algorithm::Em;
  if (!model.apply(s).isOk()) return 1;
  for (int i = 0; i < 50; ++i) model.step();
  const Timing em = iteration(model, 3000);
  s.algorithm = GmmScenario::Algorithm::Cavi;
  if (!model.apply(s).isOk()) return 1;
  const Timing snapshot = snapshotAfterStep(model, 500);

  GmmScenario one = s;
  one.dim = 1;
  one.algorithm = GmmScenario::Algorithm::Bbvi;
  GmmModel bbviModel;
  if (!bbviModel.reset(one).isOk()) return 1;
  const Timing bbvi = iteration(bbviModel, 300);
  const Timing bbviSnapshot = snapshotAfterStep(bbviModel, 100);
  one.algorithm = GmmScenario::Algorithm::Cavi;
  if (!bbviModel.apply(one).isOk()) return 1;
  const Timing cavi1d = iteration(bbviModel, 3000);
  const Timing snapshot1d = snapshotAfterStep(bbviModel, 500);

  // The largest size: D = 16, K = 20 (136 quadratic features per point and component).
  GmmScenario wide = s;
  wide.dim = 16;
  wide.k = 20;
  GmmModel wideModel;
  if (!wideModel.reset(wide).isOk()) return 1;
  for (int i = 0; i < 5; ++i) wideModel.step();
  const Timing caviWide = iteration(wideModel, 100);
  wide.algorithm = GmmScenario::Algorithm::Em;
  if (!wideModel.apply(wide).isOk()) return 1;
  for (int i = 0; i < 5; ++i) wideModel.step();
  const Timing emWide = iteration(wideModel, 100);
  const Timing snapshotWide = snapshotAfterStep(wideModel, 50);

  std::printf("gmm benchmark: N = %d, K = %d, full covariances, one thread (medians)\n", n, k);
  print("CAVI iteration (D = 2)", cavi, "(target <= 0.3 ms)");
  print("EM iteration (D = 2)", em, "(target <= 0.25 ms)");
  print("snapshot, CAVI (D = 2, 80x80 grid)", snapshot);
  print("CAVI iteration (D = 1)", cavi1d);
  print("snapshot, CAVI (D = 1, curves)", snapshot1d);
  print(("BBVI step (D = 1, S = " + std::to_string(one.samples) + ")").c_str(), bbvi);
  print("snapshot, BBVI (D = 1, curves)", bbviSnapshot);
  print("CAVI iteration (D = 16, K = 20)", caviWide);
  print("EM iteration (D = 16, K = 20)", emWide);
  print("snapshot, EM (D = 16, K = 20, plane)", snapshotWide);

  const auto peer = bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/gmm_peer.py",
                                   "--n " + std::to_string(n) + " --k " + std::to_string(k));
  if (!peer) {
    std::printf("  peer  scikit-learn not available (/usr/bin/python3 with python3-sklearn)\n");
    return 0;
  }
  const auto bgmm = bench::field(*peer, "bayesian_ms");
  const auto gmm = bench::field(*peer, "em_ms");
  // The peer's figure is wall time (NumPy may use several threads); the ratio is against ours.
  if (bgmm)
    std::printf("  peer  sklearn BayesianGaussianMixture iteration %8.4f ms wall  ratio %.1fx\n",
                *bgmm, *bgmm / cavi.wallMs);
  if (gmm)
    std::printf("  peer  sklearn GaussianMixture (EM) iteration    %8.4f ms wall  ratio %.1fx\n",
                *gmm, *gmm / em.wallMs);
  const auto widePeer =
      bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/gmm_peer.py",
                     "--n " + std::to_string(n) + " --k 20 --d 16 --iterations 10 --repeats 3");
  if (!widePeer) return 0;
  if (const auto b = bench::field(*widePeer, "bayesian_ms"))
    std::printf(
        "  peer  sklearn BayesianGaussianMixture, D = 16, K = 20 %8.4f ms wall  ratio %.1fx\n", *b,
        *b / caviWide.wallMs);
  if (const auto e = bench::field(*widePeer, "em_ms"))
    std::printf(
        "  peer  sklearn GaussianMixture, D = 16, K = 20         %8.4f ms wall  ratio %.1fx\n", *e,
        *e / emWide.wallMs);
  return 0;
}
