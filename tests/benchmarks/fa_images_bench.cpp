// Factor analysis at image size: the first N Fashion-MNIST training images (D = 784), K = 2, as
// the FA lab fits them (dataset = fashion-mnist). Times one full EM iteration, the one-off
// statistics (S by blocks of rows, its eigen-decomposition), the product X^T (X M) / N that an
// E step working on the rows would need per iteration instead, and the whole fit to the
// log-likelihood that scikit-learn's FactorAnalysis (default settings) reaches, against
// scikit-learn's time per iteration on the same images (tests/benchmarks/fa_images_peer.py).
//
// Usage: fa_images_bench [N] [repeats]   (defaults 10000 and 7; medians of `repeats` runs)

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "bench_util.hpp"
#include "core/data/image_dataset.hpp"
#include "core/models/fa.hpp"

using namespace vilab;

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  constexpr int kK = 2;

  ImageDataset images;
  if (Status s = loadImageDataset("fashion-mnist", images); !s) {
    std::printf("Fashion-MNIST not found (%s)\n", s.message().c_str());
    return 1;
  }
  if (n < 3 || static_cast<std::size_t>(n) > images.train.count()) return 1;
  const Eigen::MatrixXd y = imageRows(images.train, n);
  std::printf(
      "factor analysis on the first %d Fashion-MNIST training images, D = %d, K = %d, "
      "%d repeats\n",
      n, static_cast<int>(y.cols()), kK, repeats);

  FaScenario s;
  s.k = kK;
  s.halfsteps = false;
  s.view.pca = true;

  // The one-off part of a reset: checks, mean, S, eigen-decomposition, PPCA closed form, start.
  const double setup = bench::medianSeconds(
      [&] {
        FaModel model;
        if (!model.setData(y, "bench") || !model.reset(s)) std::abort();
      },
      repeats);
  std::printf("ours: reset (S over the rows once, eigen-decomposition)  %8.1f ms\n", setup * 1e3);

  FaModel model;
  if (!model.setData(y, "bench") || !model.reset(s)) return 1;
  for (int i = 0; i < 20; ++i) model.step();
  constexpr int kBlock = 50;
  const double block = bench::medianSeconds(
      [&] {
        for (int i = 0; i < kBlock; ++i) model.step();
      },
      repeats);
  const double iteration = block / kBlock;
  std::printf(
      "ours: one EM iteration (E + M, log-likelihood, ELBO)    %8.3f ms  (median of %d "
      "blocks of %d)\n",
      iteration * 1e3, repeats, kBlock);

  // What an E step on the rows would cost per iteration: T = X^T (X M) / N, M = D x K.
  {
    const Eigen::MatrixXd x = y.rowwise() - y.colwise().mean();
    const Eigen::MatrixXd m = Eigen::MatrixXd::Random(y.cols(), kK);
    Eigen::MatrixXd t;
    const double rows = bench::medianSeconds(
        [&] {
          const Eigen::MatrixXd xm = x * m;
          t.noalias() = x.transpose() * xm / static_cast<double>(n);
        },
        repeats);
    std::printf(
        "      for comparison, X^T (X M) / N on the rows          %8.3f ms  (the O(N D K) "
        "product an E step on the rows needs, %.0fx one of our iterations)\n",
        rows * 1e3, rows / iteration);
  }

  const auto peer = bench::runPeer(
      std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/fa_images_peer.py",
      std::to_string(n) + " " + std::to_string(kK) + " " + std::to_string(std::min(repeats, 3)));
  std::optional<double> target;
  if (peer) {
    const double peerIteration = bench::field(*peer, "iteration_seconds").value_or(NAN);
    target = bench::field(*peer, "loglik_per_sample");
    std::printf(
        "peer: scikit-learn FactorAnalysis, one iteration        %8.1f ms  "
        "(svd_method='randomized', the default)  ratio ours/peer %.3g (1/%.0f)\n",
        peerIteration * 1e3, iteration / peerIteration, peerIteration / iteration);
    std::printf(
        "peer: whole fit, default tol=1e-2: %.2f s, %g iterations, log-likelihood %.6f "
        "per sample\n",
        bench::field(*peer, "fit_seconds").value_or(NAN),
        bench::field(*peer, "n_iter").value_or(NAN), target.value_or(NAN));
  } else {
    std::printf("peer: not run (needs /usr/bin/python3 with python3-sklearn)\n");
  }

  // The whole fit, reset included, to the peer's log-likelihood (or to a gain below 1e-9).
  for (const auto init : {FaScenario::Init::Random, FaScenario::Init::Pca}) {
    FaScenario fit = s;
    fit.init = init;
    int steps = 0;
    double reached = NAN;
    constexpr int kMaxSteps = 100000;
    const double seconds = bench::medianSeconds(
        [&] {
          FaModel m;
          if (!m.setData(y, "bench") || !m.reset(fit)) std::abort();
          steps = 0;
          double previous = -INFINITY;
          while (steps < kMaxSteps) {
            m.step(), ++steps;
            if (target ? m.logLik() >= *target : m.logLik() - previous < 1e-9) break;
            previous = m.logLik();
          }
          reached = m.logLik();
        },
        std::min(repeats, 3));
    std::printf(
        "ours: whole fit, init=%-6s %8.3f s, %d iterations, log-likelihood %.6f per "
        "sample%s\n",
        init == FaScenario::Init::Random ? "random" : "pca", seconds, steps, reached,
        target ? " (to the peer's)" : " (gain < 1e-9)");
  }
  return 0;
}
