#pragma once
// An MCMC chain that a worker advances a few iterations at a time (the lab's live MCMC overlay):
// HMC (core/mcmc/hmc.hpp) or random-walk Metropolis (core/mcmc/rwm.hpp) on a log density with
// a gradient, in the target's own coordinates. The first `warmup` iterations adapt HMC's step
// size or RWM's proposal scale by dual averaging (Hoffman & Gelman 2014, Algorithm 5) towards a
// target acceptance rate and are not kept; afterwards the value is fixed (the averaged one).
//
// Bounded memory: kept samples are every stride-th post-warm-up iteration. When maxKept samples
// are held, every second one is dropped and the stride doubles (as core/trace thins its rows),
// so the kept set always spans the whole run evenly and holds between maxKept/2 and maxKept
// draws. A thinned chain is a chain of the kernel K^stride, with the same stationary law.

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/math/random.hpp"
#include "core/mcmc/dual_averaging.hpp"
#include "core/mcmc/hmc.hpp"
#include "core/mcmc/rwm.hpp"
#include "core/status.hpp"

namespace vilab {

enum class McmcKind { Hmc, Rwm };

struct McmcSettings {
  int warmup = 200;  // adaptation iterations, not kept; >= 0
  // HMC
  double stepSize = 0.2;             // leapfrog step size at the start of warm-up (units of x); > 0
  int leapfrogSteps = 16;            // 1..1000
  double hmcTargetAcceptance = 0.8;  // in (0, 1)
  // RWM
  double proposalScale = 0.5;        // proposal sd at the start of warm-up (units of x); > 0
  double rwmTargetAcceptance = 0.3;  // in (0, 1); ~0.3 is near optimal in low dimension
                                     // (Roberts, Gelman & Gilks 1997 give 0.234 as dim -> inf)
  std::size_t maxKept = 8192;        // cap on kept samples; 2..2^24 (memory maxKept x dim doubles)
};

class McmcChain {
 public:
  // Row-major so that one sample (a row) is contiguous.
  using SampleMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  McmcChain() = default;

  // Starts a new chain at `start` (dim >= 1) with its own generator seeded by `seed`, dropping
  // any previous state. Errors: settings out of range (the message names the field and its
  // range), a non-finite start, or ln p(start) not finite. On error the chain is left empty.
  Status reset(McmcKind kind, LogDensityWithGradient logDensity, const Eigen::VectorXd& start,
               std::uint64_t seed, const McmcSettings& settings);

  // Runs n >= 0 more iterations (warm-up first). Does nothing on an empty chain.
  void advance(int n);

  bool empty() const { return !m_logDensity; }
  McmcKind kind() const { return m_kind; }
  const McmcSettings& settings() const { return m_settings; }
  Eigen::Index dim() const { return m_point.x.size(); }

  long long iterations() const { return m_iterations; }  // all, warm-up included
  bool inWarmup() const { return m_iterations < m_settings.warmup; }
  long long postWarmupIterations() const;
  const Eigen::VectorXd& position() const { return m_point.x; }  // the current state (dim)
  double logDensity() const { return m_point.logDensity; }       // ln p at the current state

  // HMC: the leapfrog step size; RWM: the proposal sd (units of x). Adapting during warm-up,
  // fixed afterwards.
  double stepSize() const { return m_stepSize; }
  // Mean acceptance probability over the post-warm-up iterations (NaN before any).
  double acceptanceRate() const;
  // Mean acceptance probability over the warm-up iterations run so far (NaN before any).
  double warmupAcceptanceRate() const;
  // Post-warm-up HMC iterations whose energy error exceeded 1000 nats or was not finite (always
  // 0 for RWM).
  long long divergences() const { return m_divergences; }
  // Calls of the log density so far (the fair cost to compare HMC with RWM).
  long long densityEvaluations() const { return m_evaluations; }

  // The kept samples: keptCount() x dim, oldest first. Valid until the next advance() or reset().
  Eigen::Map<const SampleMatrix> samples() const;
  Eigen::Index keptCount() const { return m_kept; }
  // Kept samples are the post-warm-up iterations j = 0, stride, 2 stride, ... (a power of two).
  long long keptStride() const { return m_stride; }

  // Sample mean (dim) and covariance (dim x dim, divisor n - 1) of the kept samples; zeros
  // with fewer than two samples.
  void keptMoments(Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const;
  // Effective sample size of the kept samples per coordinate (core/diagnostics/ess.hpp); NaN
  // entries with fewer than 4 kept samples. After thinning this is the ESS of the thinned chain.
  Eigen::VectorXd effectiveSampleSizes() const;

 private:
  void keep();

  McmcKind m_kind = McmcKind::Hmc;
  LogDensityWithGradient m_logDensity;
  McmcSettings m_settings;
  Random m_rng;
  ChainPoint m_point;
  HmcKernel m_hmc;
  RwmKernel m_rwm;
  DualAveraging m_adaptation{1.0, 0.5};
  double m_stepSize = 0.0;
  long long m_iterations = 0;
  long long m_divergences = 0;
  long long m_evaluations = 0;
  double m_acceptSum = 0.0;
  double m_warmupAcceptSum = 0.0;
  std::vector<double> m_samples;  // up to maxKept x dim, row-major; the first m_kept rows are used
  Eigen::Index m_kept = 0;
  long long m_stride = 1;
};

}  // namespace vilab
