// Gaussian-mixture lab benchmark: one CAVI and one EM iteration at N = 20000, D = 2, K = 5 (full
// covariances), the snapshot the GUI takes while the optimiser runs, and one BBVI step in 1-D;
// with scikit-learn's BayesianGaussianMixture and GaussianMixture per-iteration times measured
// in the same run by gmm_peer.py, and the ratios.

#include <cstdio>
#include <string>

#include "bench_util.hpp"
#include "core/models/gmm.hpp"

using namespace vilab;

namespace {

double medianIterationMs(GmmModel& model, int repeats) {
  return 1e3 * bench::medianSeconds([&] { model.step(); }, repeats);
}

double medianSnapshotMs(GmmModel& model, int repeats) {
  std::vector<double> times;
  return 1e3 * bench::medianSeconds(
                   [&] {
                     model.step();  // a new version, so the snapshot is rebuilt (timed with it)
                     auto snap = model.snapshot();
                     (void)snap;
                   },
                   repeats);
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

  const double cavi = medianIterationMs(model, 3000);
  s.algorithm = GmmScenario::Algorithm::Em;
  if (!model.apply(s).isOk()) return 1;
  for (int i = 0; i < 50; ++i) model.step();
  const double em = medianIterationMs(model, 3000);
  s.algorithm = GmmScenario::Algorithm::Cavi;
  if (!model.apply(s).isOk()) return 1;
  const double stepAndSnapshot = medianSnapshotMs(model, 500);
  const double snapshot = stepAndSnapshot - cavi;

  GmmScenario one = s;
  one.dim = 1;
  one.algorithm = GmmScenario::Algorithm::Bbvi;
  GmmModel bbviModel;
  if (!bbviModel.reset(one).isOk()) return 1;
  const double bbvi = medianIterationMs(bbviModel, 300);
  one.algorithm = GmmScenario::Algorithm::Cavi;
  if (!bbviModel.apply(one).isOk()) return 1;
  const double cavi1d = medianIterationMs(bbviModel, 3000);
  const double snapshot1d = medianSnapshotMs(bbviModel, 500) - cavi1d;

  std::printf("gmm benchmark: N = %d, K = %d, full covariances, one core (medians)\n", n, k);
  std::printf("  ours  CAVI iteration (D = 2)       %8.4f ms   (target <= 0.3 ms)\n", cavi);
  std::printf("  ours  EM iteration (D = 2)         %8.4f ms   (target <= 0.25 ms)\n", em);
  std::printf("  ours  snapshot (D = 2, 80x80 grid) %8.4f ms\n", snapshot);
  std::printf("  ours  CAVI iteration (D = 1)       %8.4f ms\n", cavi1d);
  std::printf("  ours  snapshot (D = 1, curves)     %8.4f ms\n", snapshot1d);
  std::printf("  ours  BBVI step (D = 1, S = %d)    %8.4f ms\n", one.samples, bbvi);

  const auto peer = bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/gmm_peer.py",
                                   "--n " + std::to_string(n) + " --k " + std::to_string(k));
  if (!peer) {
    std::printf("  peer  scikit-learn not available (/usr/bin/python3 with python3-sklearn)\n");
    return 0;
  }
  const auto bgmm = bench::field(*peer, "bayesian_ms");
  const auto gmm = bench::field(*peer, "em_ms");
  if (bgmm)
    std::printf("  peer  sklearn BayesianGaussianMixture %8.4f ms   ratio %.1fx\n", *bgmm,
                *bgmm / cavi);
  if (gmm)
    std::printf("  peer  sklearn GaussianMixture (EM)    %8.4f ms   ratio %.1fx\n", *gmm, *gmm / em);
  return 0;
}
