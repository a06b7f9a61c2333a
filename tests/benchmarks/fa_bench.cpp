// Factor-analysis benchmark: one EM iteration, and the whole fit (covariance included) to
// scikit-learn's final log-likelihood, at N = 5000, D = 20, K = 3, against scikit-learn's
// FactorAnalysis(svd_method='lapack') on the same data (tests/benchmarks/fa_peer.py).
//
// Usage: fa_bench [repeats]   (default 11; medians of `repeats` runs)

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench_util.hpp"
#include "core/models/fa.hpp"

using namespace vilab;

namespace {

constexpr int kN = 5000, kD = 20, kK = 3;
constexpr double kWithin = 1e-6;  // per sample
constexpr int kMaxSteps = 1000000;

// Fits from the raw data: setData (checks), reset (mean, covariance, eigen-decomposition,
// start), then full EM iterations until the log-likelihood per sample is within kWithin of
// target. Returns the number of iterations (kMaxSteps when it never got there).
int fitTo(const Eigen::MatrixXd& y, const FaScenario& s, double target) {
  FaModel model;
  if (!model.setData(y, "bench") || !model.reset(s)) std::abort();
  int steps = 0;
  while (model.logLik() < target - kWithin && steps < kMaxSteps) model.step(), ++steps;
  return steps;
}

// Our own stopping rule, without the peer's answer: until an iteration gains < 1e-12 per sample.
double fitToConvergence(const Eigen::MatrixXd& y, const FaScenario& s, int& steps) {
  FaModel model;
  if (!model.setData(y, "bench") || !model.reset(s)) std::abort();
  double previous = -INFINITY;
  steps = 0;
  while (steps < kMaxSteps) {
    model.step(), ++steps;
    if (model.logLik() - previous < 1e-12) break;
    previous = model.logLik();
  }
  return model.logLik();
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 11;

  FaScenario s;
  s.data.n = kN;
  s.d = kD;
  s.k = kK;
  s.data.k = kK;
  s.halfsteps = false;
  FaModel generator;
  if (!generator.reset(s)) return 1;
  const Eigen::MatrixXd y = *std::static_pointer_cast<const FaSnapshot>(generator.snapshot())->data;
  std::printf("factor analysis, N = %d, D = %d, K = %d (generated, seed %llu), %d repeats\n", kN,
              kD, kK, static_cast<unsigned long long>(s.seed), repeats);

  // One full EM iteration (E, M, log-likelihood, ELBO, error, trace row), timed in blocks.
  FaModel model;
  if (!model.setData(y, "bench") || !model.reset(s)) return 1;
  for (int i = 0; i < 200; ++i) model.step();
  constexpr int kBlock = 2000;
  const double block = bench::medianSeconds(
      [&] {
        for (int i = 0; i < kBlock; ++i) model.step();
      },
      repeats);
  std::printf("ours: one EM iteration          %8.2f us  (median of %d blocks of %d)\n",
              block / kBlock * 1e6, repeats, kBlock);

  // The peer, on the same data.
  const std::string csv = "/tmp/vilab_fa_bench_" + std::to_string(getpid()) + ".csv";
  {
    std::ofstream out(csv);
    char buffer[32];
    for (Eigen::Index r = 0; r < y.rows(); ++r)
      for (Eigen::Index c = 0; c < y.cols(); ++c) {
        std::snprintf(buffer, sizeof buffer, "%.17g", y(r, c));
        out << buffer << (c + 1 < y.cols() ? ',' : '\n');
      }
  }
  const auto peer =
      bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/fa_peer.py",
                     csv + " " + std::to_string(kK) + " " + std::to_string(std::min(repeats, 5)));
  std::remove(csv.c_str());

  int ownSteps = 0;
  const double ownLogLik = fitToConvergence(y, s, ownSteps);
  double target = ownLogLik;
  std::optional<double> peerSeconds, peerDefaultSeconds;
  if (peer) {
    target = bench::field(*peer, "loglik_per_sample").value_or(ownLogLik);
    peerSeconds = bench::field(*peer, "fit_seconds");
    peerDefaultSeconds = bench::field(*peer, "fit_seconds_default");
    std::printf(
        "peer: scikit-learn FactorAnalysis(svd_method='lapack', tol=1e-12): %.4f s, "
        "%g iterations, log-likelihood %.10f per sample\n",
        peerSeconds.value_or(NAN), bench::field(*peer, "n_iter").value_or(NAN), target);
    std::printf(
        "peer: same with the default tol=1e-2:                           %.4f s, "
        "%g iterations, log-likelihood %.10f per sample\n",
        peerDefaultSeconds.value_or(NAN), bench::field(*peer, "n_iter_default").value_or(NAN),
        bench::field(*peer, "loglik_per_sample_default").value_or(NAN));
  } else {
    std::printf("peer: not run (needs /usr/bin/python3 with python3-sklearn)\n");
  }
  std::printf(
      "ours: converged (gain < 1e-12)  log-likelihood %.10f per sample after %d iterations"
      " (%+.2e vs the target)\n",
      ownLogLik, ownSteps, ownLogLik - target);

  for (const auto init : {FaScenario::Init::Random, FaScenario::Init::Pca}) {
    FaScenario fit = s;
    fit.init = init;
    int steps = 0;
    const double seconds = bench::medianSeconds([&] { steps = fitTo(y, fit, target); }, repeats);
    const char* name = init == FaScenario::Init::Random ? "random" : "pca";
    if (steps >= kMaxSteps) {
      std::printf("ours: init=%-6s did not reach the target within %d iterations\n", name,
                  kMaxSteps);
      continue;
    }
    std::printf("ours: whole fit to the target within %.0e, init=%-6s %8.3f ms (%d iterations)",
                kWithin, name, seconds * 1e3, steps);
    if (peerSeconds)
      std::printf("  ratio ours/peer %.4f (1/%.0f)", seconds / *peerSeconds,
                  *peerSeconds / seconds);
    if (peerDefaultSeconds) std::printf(", vs default tol 1/%.0f", *peerDefaultSeconds / seconds);
    std::printf("\n");
  }
  return 0;
}
