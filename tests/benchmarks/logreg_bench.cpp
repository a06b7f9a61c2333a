// Logistic-regression lab benchmark (N = 1000 points in 2-D, 3 weights): one reparameterized
// gradient-VI step with S = 64 (draws, logits, gradient, Adam; the same work as the PyTorch peer),
// the model's whole gradient iteration (plus its exact ELBO by Gauss-Hermite and the trace row),
// one Jaakkola-Jordan iteration (against the same updates in numpy), and the exact posterior's
// 3-D quadrature on a 64^3 grid (the log joint at 262144 nodes and log Z; budget 50 ms). The
// peers run in the same process tree by logreg_peer.py; medians of repeated runs (ours: this
// thread's CPU time, the machine being shared, for the peers as for us).

#include <algorithm>
#include <cstdio>
#include <string>

#include "bench_util.hpp"
#include "core/models/logreg/model.hpp"
#include "core/models/logreg/posterior.hpp"

using namespace vilab;

int main() {
  constexpr int kN = 1000, kSamples = 64;
  LogregDataSettings ds;
  ds.n = kN;
  const LogregData data = generateLogregData(ds, 3);
  const LogregLikelihood lik(data.design(), data.y);
  const LogregPrior prior = LogregPrior::make(3, 2.0, false);

  // The reparameterized step alone: what the PyTorch peer does.
  GaussianFamily q(GaussianFamily::Kind::MeanField, Eigen::VectorXd::Zero(3), Eigen::MatrixXd::Identity(3, 3));
  Adam<double> adam(q.parameterCount(), {.lr = 0.05});
  Random rng(1);
  const BatchLogDensity f = [&](const Eigen::MatrixXd& z, Eigen::VectorXd& v, Eigen::MatrixXd* g) {
    lik.logLikelihoodBatch(z, v, g);
  };
  const double stepMs = 1e3 * bench::medianCpuSeconds(
                                  [&] {
                                    const ElboGradient g = monteCarloElboGradient(q, f, GradientEstimator::Reparam,
                                                                                  ScoreBaseline::None, kSamples, rng);
                                    Eigen::VectorXd pg;
                                    expectedDiagonalQuadratic(q, prior.precision, &pg);
                                    Eigen::VectorXd lambda = q.parameters();
                                    adam.ascend(lambda, g.gradient + pg);
                                    q.setParameters(lambda);
                                  },
                                  400);

  // The model's iteration: the step plus the exact ELBO and the trace row.
  LogregModel model;
  LogregScenario sc;
  sc.data.n = kN;
  sc.samples = kSamples;
  if (!model.reset(sc)) return 1;
  const double modelMs = 1e3 * bench::medianCpuSeconds([&] { model.step(); }, 400);

  // The snapshot the GUI takes (rebuilt after each step; the step itself not timed), with the
  // probit and the Monte Carlo predictive grid.
  double snapshotMs[2];
  for (int k = 0; k < 2; ++k) {
    sc.predictive = k == 0 ? LogregScenario::Predictive::Probit : LogregScenario::Predictive::MonteCarlo;
    if (!model.apply(sc)) return 1;
    std::vector<double> times;
    for (int r = 0; r < 41; ++r) {
      model.step();
      times.push_back(bench::medianCpuSeconds([&] { model.snapshot(); }, 1));
    }
    std::nth_element(times.begin(), times.begin() + 20, times.end());
    snapshotMs[k] = 1e3 * times[20];
  }

  JaakkolaJordan jj;
  jj.reset(lik, prior);
  const double jjMs = 1e3 * bench::medianCpuSeconds([&] { jj.step(lik, prior); }, 400);

  const LaplaceFit lap = fitLaplace(lik, prior);
  std::vector<GridAxis> axes;
  for (int j = 0; j < 3; ++j) {
    const double sd = std::sqrt(lap.covariance(j, j));
    axes.push_back({lap.map[j] - 6 * sd, lap.map[j] + 6 * sd, 64});
  }
  const GridQuadrature grid(axes);
  std::vector<double> logJoint;
  double logZ = 0.0;
  const double quadMs = 1e3 * bench::medianCpuSeconds(
                                  [&] {
                                    logJointOnGrid(lik, prior, grid, logJoint);
                                    logZ = grid.logNormaliser(logJoint);
                                  },
                                  15);
  const double exactMs =
      1e3 * bench::medianCpuSeconds([&] { computeExactPosterior(lik, prior, lap, {64, 0, 1}); }, 7);
  // The hot loop: one multiply-add and one multiply per (grid node, data point) term.
  const double gflops = double(grid.size()) * kN / (quadMs * 1e-3) / 1e9;

  std::printf("logreg, N = %d, 3 weights (medians of thread CPU time, peers too, 1 thread)\n", kN);
  std::printf("  gradient-VI step, reparam, S = %d:       %8.3f ms\n", kSamples, stepMs);
  std::printf("  model iteration (step + exact ELBO):    %8.3f ms\n", modelMs);
  std::printf("  snapshot (views), probit / MC grid:     %8.3f / %.3f ms\n", snapshotMs[0], snapshotMs[1]);
  std::printf("  JJ iteration:                           %8.3f ms\n", jjMs);
  std::printf("  quadrature 64^3 (log joint + log Z):    %8.3f ms  (%.1f G point-node terms/s; log Z = %.4f)\n", quadMs, gflops, logZ);
  std::printf("  exact posterior (+ moments, grid check): %7.3f ms\n", exactMs);

  const auto peer = bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/logreg_peer.py",
                                   "--n " + std::to_string(kN) + " --samples " + std::to_string(kSamples));
  if (!peer) {
    std::printf("  peer: /usr/bin/python3 with numpy/torch not available\n");
    return 0;
  }
  if (const auto v = bench::field(*peer, "jj_ms"))
    std::printf("  numpy JJ iteration:                     %8.3f ms  (ours %.2fx faster)\n", *v, *v / jjMs);
  if (const auto v = bench::field(*peer, "torch_step_ms"))
    std::printf("  PyTorch reparam step (1 thread):        %8.3f ms  (ours %.2fx faster)\n", *v, *v / stepMs);
  return 0;
}
