// Flow families benchmark: the time of one draw-and-backward pass (sample + backward, S = 128)
// of the planar flow (L = 8) and of the affine coupling flow (L = 8, 16 hidden units), and of a
// whole reparameterization-ELBO iteration with Adam on the banana
// (x1 ~ N(0, 2^2), x2 | x1 ~ N(x1^2/4 - 1, 0.7^2), log Z = ln(2 pi 2 0.7) = 2.1743), with the
// mean ELBO over the last 200 of 2,000 steps; ln q on a 256 x 256 grid (the layers inverted).
// Medians of repeated runs, wall and thread CPU time. The planar ELBO fit runs side by side with
// the same model in PyTorch (flow_peer.py, one thread, float64) when it is installed.
//
// Usage: flow_bench [runs=7] [steps=2000] [lr=0.01] [nopeer]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/optim/adam.hpp"
#include "core/vi/coupling_flow.hpp"
#include "core/vi/planar_flow.hpp"

using namespace vilab;

// Every heap allocation of the process is counted (Eigen and operator new both end in malloc;
// glibc exports __libc_malloc for such wrappers), to show that a step allocates nothing once the
// sizes settle.
extern "C" void* __libc_malloc(std::size_t);
static std::size_t gMallocCalls = 0;
extern "C" void* malloc(std::size_t size) {
  ++gMallocCalls;
  return __libc_malloc(size);
}

namespace {

constexpr Eigen::Index kSamples = 128;
constexpr int kLayers = 8;

// The banana's unnormalized log density and its gradient for each row of z (S x 2).
void banana(const Eigen::MatrixXd& z, Eigen::VectorXd& logp, Eigen::MatrixXd& grad) {
  const auto x1 = z.col(0).array(), x2 = z.col(1).array();
  const Eigen::ArrayXd r = (x2 - 0.25 * x1.square() + 1.0) / 0.49;  // residual / sd^2
  logp = (-x1.square() / 8.0 - 0.5 * 0.49 * r.square()).matrix();
  grad.resize(z.rows(), 2);
  grad.col(0) = (-x1 / 4.0 + r * 0.5 * x1).matrix();
  grad.col(1) = (-r).matrix();
}

std::unique_ptr<FlowFamily> makeFlow(const std::string& kind) {
  const Eigen::Vector2d mean(0.0, 0.0), sd(1.0, 1.0);
  if (kind == "planar") return std::make_unique<PlanarFlow>(2, kLayers, mean, sd, 7);
  return std::make_unique<CouplingFlow>(2, kLayers, mean, sd, 7);
}

// One ELBO iteration's state: everything reused from step to step.
struct Fit {
  std::unique_ptr<FlowFamily> q;
  Random rng{11};
  FamilyDraws d;
  Eigen::VectorXd logp, glogq, gweight, grad;
  Eigen::MatrixXd gz;
  Adam<double> adam;
  double elbo = 0.0;

  Fit(const std::string& kind, double lr) : q(makeFlow(kind)), adam(q->parameterCount(), {.lr = lr}) {}

  void step() {
    q->sample(rng, kSamples, Sampling::Reparameterized, d);
    banana(d.z, logp, gz);
    elbo = (d.weight.array() * (logp - d.logq).array()).sum();
    // d/dlambda sum_s w_s [ln p(z_s) - ln q(z_s)].
    gz.array().colwise() *= d.weight.array();
    glogq = -d.weight;
    gweight.setZero(kSamples);
    grad.setZero(q->parameterCount());
    q->backward(d, gz, glogq, gweight, grad);
    Eigen::VectorXd lambda = q->parameters();
    adam.ascend(lambda, grad);
    q->setParameters(lambda);
  }
};

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int runs = argc > 1 ? std::atoi(argv[1]) : 7;
  const int steps = argc > 2 ? std::atoi(argv[2]) : 2000;
  const double lr = argc > 3 ? std::atof(argv[3]) : 0.01;
  std::printf("S=%ld L=%d banana log_z=%.4f adam lr=%g steps=%d\n", long(kSamples), kLayers,
              std::log(2.0 * std::numbers::pi * 2.0 * 0.7), lr, steps);
  double planarRate = 0.0, planarElbo = 0.0;
  for (const std::string kind : {"planar", "coupling"}) {
    // sample + backward alone, 1000 passes per timing.
    auto q = makeFlow(kind);
    Random rng(3);
    FamilyDraws d;
    Eigen::MatrixXd gz = Eigen::MatrixXd::Constant(kSamples, 2, 0.01);
    Eigen::VectorXd glogq = Eigen::VectorXd::Constant(kSamples, -0.01), gweight = Eigen::VectorXd::Zero(kSamples);
    Eigen::VectorXd grad = Eigen::VectorXd::Zero(q->parameterCount());
    constexpr int kPasses = 1000;
    const auto pass = [&] {
      for (int i = 0; i < kPasses; ++i) {
        q->sample(rng, kSamples, Sampling::Reparameterized, d);
        q->backward(d, gz, glogq, gweight, grad);
      }
    };
    const auto sampleOnly = [&] {
      for (int i = 0; i < kPasses; ++i) q->sample(rng, kSamples, Sampling::Reparameterized, d);
    };
    const std::size_t atStart = gMallocCalls;
    pass();  // sizes settle in the first of these passes
    const std::size_t settled = gMallocCalls;
    pass();
    std::printf("%s: heap allocations in %d sample+backward passes: %zu, in the next %d: %zu\n", kind.c_str(),
                kPasses, settled - atStart, kPasses, gMallocCalls - settled);
    const double wall = bench::medianSeconds(pass, runs) / kPasses;
    const double cpu = bench::medianCpuSeconds(pass, runs) / kPasses;
    const double cpuSample = bench::medianCpuSeconds(sampleOnly, runs) / kPasses;
    std::printf("%s: sample+backward %.1f us (cpu %.1f us; sample alone cpu %.1f us), %ld parameters\n",
                kind.c_str(), wall * 1e6, cpu * 1e6, cpuSample * 1e6, long(q->parameterCount()));

    // ln q on a 256 x 256 grid over [-6, 6]^2.
    {
      constexpr int n = 256;
      Eigen::MatrixXd grid(n * n, 2);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) grid.row(i * n + j) << -6.0 + 12.0 * (i + 0.5) / n, -6.0 + 12.0 * (j + 0.5) / n;
      Eigen::VectorXd lq;
      const double sec = bench::medianSeconds([&] { q->logDensity(grid, lq); }, runs);
      std::printf("%s: logDensity on a 256x256 grid %.2f ms\n", kind.c_str(), sec * 1e3);
    }

    // Whole ELBO iterations.
    std::vector<double> rates, cpuRates, elbos;
    for (int r = 0; r < runs; ++r) {
      Fit fit(kind, lr);
      double tail = 0.0;
      const int from = std::max(0, steps - 200);
      const auto start = std::chrono::steady_clock::now();
      timespec c0, c1;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
      for (int i = 0; i < steps; ++i) {
        fit.step();
        if (i >= from) tail += fit.elbo / double(steps - from);
      }
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
      const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double cpuSec = double(c1.tv_sec - c0.tv_sec) + 1e-9 * double(c1.tv_nsec - c0.tv_nsec);
      rates.push_back(steps / sec);
      cpuRates.push_back(steps / cpuSec);
      elbos.push_back(tail);
    }
    std::printf("%s: elbo iterations/s %.0f (per cpu second %.0f), mean ELBO over the last 200 %.3f"
                " (median of %d runs)\n",
                kind.c_str(), median(rates), median(cpuRates), median(elbos), runs);
    if (kind == "planar") {
      planarRate = median(rates);
      planarElbo = median(elbos);
    }
  }

  if (argc > 4 && std::string(argv[4]) == "nopeer") return 0;
  const auto peer = bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/flow_peer.py",
                                   "--steps " + std::to_string(steps) + " --lr " + std::to_string(lr));
  if (!peer) {
    std::printf("peer skipped: /usr/bin/python3 with torch not available\n");
    return 0;
  }
  const auto peerRate = bench::field(*peer, "iterations_per_s");
  const auto peerElbo = bench::field(*peer, "elbo_last_200");
  if (!peerRate || !peerElbo) {
    std::printf("peer output not understood:\n%s", peer->c_str());
    return 0;
  }
  std::printf("peer planar: elbo iterations/s %.0f (torch, 1 thread, float64), mean ELBO over the last 200 %.3f\n",
              *peerRate, *peerElbo);
  std::printf("speed_ratio=%.0f elbo_difference=%.3f (ours - peer)\n", planarRate / *peerRate,
              planarElbo - *peerElbo);
  return 0;
}
