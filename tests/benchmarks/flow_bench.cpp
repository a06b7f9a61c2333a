// Flow families benchmark (issue 10, "Performance"), through the lab's own parts:
//  1. one draw-and-backward pass (sample + backward, S = 128) of the planar flow (L = 8) and of
//     the affine coupling flow (L = 8, 16 hidden units), its heap allocations, and ln q on a
//     256 x 256 grid (every layer inverted);
//  2. the benchmark: the optimizer step TargetsModel::step runs (core/models/targets/
//     model.cpp) — ObjectiveEstimator's reparameterization ELBO (S = 128) of q against the banana
//     from makeTarget (curvature 0.25: z1 ~ N(0, 2^2), z2 | z1 ~ N(z1^2/4 - 1, 0.7^2),
//     log Z = ln(2 pi 2 0.7) = 2.1743), then Adam on q's flat parameters — for 2,000 steps:
//     iterations per second and the mean ELBO estimate over the last 200;
//  3. the lab's whole TargetsModel::step() on the scenario target=banana family=planar layers=8
//     samples=128 mcmc=off (the rest the lab's defaults): the same optimizer step plus the exact
//     numbers by quadrature at iterations 1-100 and every 10th after (the default schedule);
//  4. the planar fit of 2. side by side with the same model in PyTorch (flow_peer.py: one
//     thread, float64, started from the same parameters), and the ratio of iterations per second.
// Medians of repeated runs, wall and thread CPU time.
//
// Usage: flow_bench [runs=7] [steps=2000] [lr=0.01] [nopeer]

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/models/targets/model.hpp"
#include "core/models/targets/target.hpp"
#include "core/optim/adam.hpp"
#include "core/scenario.hpp"
#include "core/vi/coupling_flow.hpp"
#include "core/vi/objectives.hpp"
#include "core/vi/planar_flow.hpp"

using namespace vilab;

// Every heap allocation of the process is counted (Eigen and operator new both end in malloc;
// glibc exports __libc_malloc for such wrappers), to show what a step allocates once the sizes
// settle.
extern "C" void* __libc_malloc(std::size_t);
static std::size_t gMallocCalls = 0;
extern "C" void* malloc(std::size_t size) {
  ++gMallocCalls;
  return __libc_malloc(size);
}

namespace {

constexpr int kSamples = 128;
constexpr int kLayers = 8;
constexpr int kTail = 200;  // the ELBO is averaged over the last kTail steps

std::unique_ptr<FlowFamily> makeFlow(const std::string& kind) {
  const Eigen::Vector2d mean(0.0, 0.0), sd(1.0, 1.0);
  if (kind == "planar") return std::make_unique<PlanarFlow>(2, kLayers, mean, sd, 7);
  return std::make_unique<CouplingFlow>(2, kLayers, mean, sd, 7);
}

TargetSpec bananaSpec() {
  TargetSpec spec;
  spec.kind = TargetSpec::Kind::Banana;
  spec.curvature = 0.25;
  return spec;
}

// The lab's optimizer step (TargetsModel::step without the MCMC chain and the exact numbers):
// the objective's estimate and gradient, then Adam on the flat parameters.
struct Fit {
  std::unique_ptr<const Target> target = makeTarget(bananaSpec());
  std::unique_ptr<FlowFamily> q;
  ObjectiveEstimator objective;
  ObjectiveSettings settings;
  Adam<double> adam;
  Random rng{11};
  double elbo = 0.0;

  Fit(const std::string& kind, double lr) : q(makeFlow(kind)), adam(q->parameterCount(), {.lr = lr}) {
    settings.objective = Objective::KlQp;
    settings.estimator = GradientEstimator::Reparam;
    settings.samples = kSamples;
  }

  void step() {
    const Target* t = target.get();
    const BatchLogDensity logp = [t](const Eigen::MatrixXd& z, Eigen::VectorXd& values, Eigen::MatrixXd* grads) {
      t->logDensity(z, values, grads);
    };
    const ObjectiveStep& st = objective.step(*q, logp, settings, rng, nullptr);
    elbo = st.value;
    Eigen::VectorXd lambda = q->parameters();
    adam.ascend(lambda, st.gradient);
    q->setParameters(lambda);
  }
};

double threadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// Iterations per second (wall and thread CPU) of `steps` calls of step(i).
template <class Step>
std::pair<double, double> timeSteps(int steps, Step&& step) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu0 = threadCpuSeconds();
  for (int i = 0; i < steps; ++i) step(i);
  const double cpu = threadCpuSeconds() - cpu0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {steps / wall, steps / cpu};
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const int runs = argc > 1 ? std::atoi(argv[1]) : 7;
  const int steps = argc > 2 ? std::atoi(argv[2]) : 2000;
  const double lr = argc > 3 ? std::atof(argv[3]) : 0.01;
  const bool withPeer = !(argc > 4 && std::string(argv[4]) == "nopeer");
  if (runs < 1 || steps < kTail) {
    std::fprintf(stderr, "flow_bench: runs must be >= 1 and steps >= %d\n", kTail);
    return 2;
  }
  const auto banana = makeTarget(bananaSpec());
  std::printf("S=%d L=%d %s log_z=%.4f adam lr=%g steps=%d runs=%d\n", kSamples, kLayers, banana->name().c_str(),
              banana->closedFormLogZ(), lr, steps, runs);

  double planarRate = 0.0, planarCpuRate = 0.0, planarElbo = 0.0;
  for (const std::string kind : {"planar", "coupling"}) {
    // 1. sample + backward alone, 1000 passes per timing.
    {
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
      constexpr int n = 256;
      Eigen::MatrixXd grid(n * n, 2);
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) grid.row(i * n + j) << -6.0 + 12.0 * (i + 0.5) / n, -6.0 + 12.0 * (j + 0.5) / n;
      Eigen::VectorXd lq;
      const double sec = bench::medianSeconds([&] { q->logDensity(grid, lq); }, runs);
      std::printf("%s: logDensity on a 256x256 grid %.2f ms\n", kind.c_str(), sec * 1e3);
    }

    // 2. The lab's optimizer step, `steps` of them per run.
    std::vector<double> rates, cpuRates, elbos;
    std::size_t allocations = 0;
    for (int r = 0; r < runs; ++r) {
      Fit fit(kind, lr);
      double tail = 0.0;
      std::size_t settled = 0;
      const auto [rate, cpuRate] = timeSteps(steps, [&](int i) {
        if (i == 10) settled = gMallocCalls;  // sizes settle in the first steps
        fit.step();
        if (i >= steps - kTail) tail += fit.elbo / kTail;
      });
      allocations = gMallocCalls - settled;
      rates.push_back(rate);
      cpuRates.push_back(cpuRate);
      elbos.push_back(tail);
    }
    std::printf("%s: ELBO iterations/s %.0f (per cpu second %.0f), mean ELBO over the last %d %.3f"
                " (medians of %d runs); heap allocations per step after the first 10: %.1f\n",
                kind.c_str(), median(rates), median(cpuRates), kTail, median(elbos), runs,
                double(allocations) / double(steps - 10));
    if (kind == "planar") {
      planarRate = median(rates);
      planarCpuRate = median(cpuRates);
      planarElbo = median(elbos);
    }
  }

  // 3. The lab's whole step() (optimizer step + exact numbers on the default schedule).
  {
    TargetsScenario s;
    const std::pair<const char*, const char*> fields[] = {
        {"target", "banana"}, {"family", "planar"}, {"layers", "8"}, {"samples", "128"}, {"mcmc", "off"}};
    for (const auto& [key, value] : fields)
      if (Status st = setFieldFromText(s, key, value); !st) {
        std::fprintf(stderr, "flow_bench: %s\n", st.message().c_str());
        return 1;
      }
    if (const auto problems = validate(s); !problems.empty()) {
      std::fprintf(stderr, "flow_bench: %s\n", problems.front().c_str());
      return 1;
    }
    std::vector<double> rates, cpuRates, elbos;
    for (int r = 0; r < runs; ++r) {
      TargetsModel model;
      if (Status st = model.reset(s); !st) {
        std::fprintf(stderr, "flow_bench: %s\n", st.message().c_str());
        return 1;
      }
      const auto [rate, cpuRate] = timeSteps(steps, [&](int) { model.step(); });
      rates.push_back(rate);
      cpuRates.push_back(cpuRate);
      elbos.push_back(dynamic_cast<const TargetsSnapshot&>(*model.snapshot()).elbo);
    }
    const int exact = std::min(steps, 100) + std::max(0, steps / 10 - 10);
    std::printf("model step() (target=banana family=planar layers=8 samples=128 mcmc=off, lr=%g, exact numbers"
                " at %d of %d steps): iterations/s %.0f (per cpu second %.0f), exact ELBO after %d steps %.3f"
                " (medians of %d runs)\n",
                s.lr, exact, steps, median(rates), median(cpuRates), steps, median(elbos), runs);
    // What the exact numbers add, from the two medians (the optimizer step's cost hardly depends on lr).
    std::printf("model step(): %.3f ms per iteration on average, of which the optimizer step %.3f ms; so one"
                " evaluation of the exact numbers about %.1f ms (cpu %.1f ms)\n",
                1e3 / median(rates), 1e3 / planarRate, 1e3 * (steps / median(rates) - steps / planarRate) / exact,
                1e3 * (steps / median(cpuRates) - steps / planarCpuRate) / exact);
  }

  // 4. PyTorch, from the same initial parameters as the planar fit.
  if (!withPeer) return 0;
  std::string init;
  for (const double v : makeFlow("planar")->parameters()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s%.17g", init.empty() ? "" : ",", v);
    init += buffer;
  }
  const auto peer = bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/flow_peer.py",
                                   "--steps " + std::to_string(steps) + " --lr " + std::to_string(lr) +
                                       " --layers " + std::to_string(kLayers) + " --samples " +
                                       std::to_string(kSamples) + " --init " + init);
  if (!peer) {
    std::printf("peer skipped: /usr/bin/python3 with torch not available\n");
    return 0;
  }
  const auto peerRate = bench::field(*peer, "iterations_per_s");
  const auto peerCpuRate = bench::field(*peer, "iterations_per_cpu_s");
  const auto peerElbo = bench::field(*peer, "elbo_last_200");
  if (!peerRate || !peerCpuRate || !peerElbo) {
    std::printf("peer output not understood:\n%s", peer->c_str());
    return 0;
  }
  std::printf("peer planar: ELBO iterations/s %.0f (per cpu second %.0f; torch, 1 thread, float64), mean ELBO over"
              " the last %d %.3f\n",
              *peerRate, *peerCpuRate, kTail, *peerElbo);
  // Per CPU second too: on a machine shared with other jobs the wall ratio moves with the load.
  std::printf("speed_ratio=%.0f (per cpu second %.0f) elbo_difference=%.3f (ours - peer)\n", planarRate / *peerRate,
              planarCpuRate / *peerCpuRate, planarElbo - *peerElbo);
  return 0;
}
