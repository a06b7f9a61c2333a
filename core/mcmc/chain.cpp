#include "core/mcmc/chain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/diagnostics/ess.hpp"

namespace vilab {

namespace {

constexpr std::size_t kMaxKeptLimit = std::size_t{1} << 24;

bool inUnitInterval(double v) {
  return v > 0.0 && v < 1.0;
}

Status checkSettings(const McmcSettings& s) {
  if (s.warmup < 0)
    return Status::error("MCMC warmup is " + std::to_string(s.warmup) + "; allowed: >= 0");
  if (!(s.stepSize > 0.0) || !std::isfinite(s.stepSize))
    return Status::error("MCMC step size is " + std::to_string(s.stepSize) + "; allowed: > 0");
  if (s.leapfrogSteps < 1 || s.leapfrogSteps > 1000)
    return Status::error("MCMC leapfrog steps is " + std::to_string(s.leapfrogSteps) +
                         "; allowed: 1..1000");
  if (!inUnitInterval(s.hmcTargetAcceptance))
    return Status::error("HMC target acceptance is " + std::to_string(s.hmcTargetAcceptance) +
                         "; allowed: (0, 1)");
  if (!(s.proposalScale > 0.0) || !std::isfinite(s.proposalScale))
    return Status::error("RWM proposal scale is " + std::to_string(s.proposalScale) +
                         "; allowed: > 0");
  if (!inUnitInterval(s.rwmTargetAcceptance))
    return Status::error("RWM target acceptance is " + std::to_string(s.rwmTargetAcceptance) +
                         "; allowed: (0, 1)");
  if (s.maxKept < 2 || s.maxKept > kMaxKeptLimit)
    return Status::error("MCMC kept-sample cap is " + std::to_string(s.maxKept) + "; allowed: 2.." +
                         std::to_string(kMaxKeptLimit));
  return Status::ok();
}

}  // namespace

Status McmcChain::reset(McmcKind kind, LogDensityWithGradient logDensity,
                        const Eigen::VectorXd& start, std::uint64_t seed,
                        const McmcSettings& settings) {
  *this = McmcChain();
  if (Status s = checkSettings(settings); !s) return s;
  if (!logDensity) return Status::error("MCMC chain needs a log density");
  if (start.size() < 1 || !start.allFinite())
    return Status::error("MCMC start point must be finite with dim >= 1");
  ChainPoint point;
  point.x = start;
  point.gradient = Eigen::VectorXd::Zero(start.size());
  point.logDensity = logDensity(point.x, point.gradient);
  if (!std::isfinite(point.logDensity))
    return Status::error("MCMC start point has ln p = " + std::to_string(point.logDensity) +
                         "; start inside the target's support");
  m_kind = kind;
  m_logDensity = std::move(logDensity);
  m_settings = settings;
  m_rng.reseed(seed);
  m_point = std::move(point);
  m_evaluations = 1;
  m_stepSize = kind == McmcKind::Hmc ? settings.stepSize : settings.proposalScale;
  m_adaptation = DualAveraging(m_stepSize, kind == McmcKind::Hmc ? settings.hmcTargetAcceptance
                                                                 : settings.rwmTargetAcceptance);
  return Status::ok();
}

void McmcChain::advance(int n) {
  if (empty()) return;
  for (int i = 0; i < n; ++i) {
    const MetropolisStep s =
        m_kind == McmcKind::Hmc
            ? m_hmc.step(m_logDensity, m_stepSize, m_settings.leapfrogSteps, m_rng, m_point)
            : m_rwm.step(m_logDensity, m_stepSize, m_rng, m_point);
    m_evaluations += s.evaluations;
    if (m_iterations < m_settings.warmup) {
      m_warmupAcceptSum += s.acceptProbability;
      m_stepSize = m_adaptation.update(s.acceptProbability);
      if (m_iterations + 1 == m_settings.warmup) m_stepSize = m_adaptation.finalValue();
    } else {
      m_acceptSum += s.acceptProbability;
      if (m_kind == McmcKind::Hmc && s.divergent) ++m_divergences;
      if ((m_iterations - m_settings.warmup) % m_stride == 0) keep();
    }
    ++m_iterations;
  }
}

void McmcChain::keep() {
  const auto d = static_cast<std::size_t>(dim());
  // Grows to the cap on demand (doubling), then stays.
  if (m_samples.size() < (static_cast<std::size_t>(m_kept) + 1) * d)
    m_samples.resize(std::min(m_settings.maxKept,
                              std::max<std::size_t>(64, 2 * static_cast<std::size_t>(m_kept))) *
                     d);
  std::copy(m_point.x.data(), m_point.x.data() + d,
            m_samples.begin() + static_cast<std::ptrdiff_t>(m_kept * d));
  if (static_cast<std::size_t>(++m_kept) < m_settings.maxKept) return;
  // Full: keep rows 0, 2, 4, ... (post-warm-up iterations that are multiples of 2 stride).
  Eigen::Index kept = 0;
  for (Eigen::Index r = 0; r < m_kept; r += 2, ++kept)
    std::copy_n(m_samples.begin() + static_cast<std::ptrdiff_t>(r * d), d,
                m_samples.begin() + static_cast<std::ptrdiff_t>(kept * d));
  m_kept = kept;
  m_stride *= 2;
}

long long McmcChain::postWarmupIterations() const {
  return std::max<long long>(0, m_iterations - m_settings.warmup);
}

double McmcChain::acceptanceRate() const {
  const long long n = postWarmupIterations();
  return n > 0 ? m_acceptSum / double(n) : std::numeric_limits<double>::quiet_NaN();
}

double McmcChain::warmupAcceptanceRate() const {
  const long long n = std::min<long long>(m_iterations, m_settings.warmup);
  return n > 0 ? m_warmupAcceptSum / double(n) : std::numeric_limits<double>::quiet_NaN();
}

Eigen::Map<const McmcChain::SampleMatrix> McmcChain::samples() const {
  return Eigen::Map<const SampleMatrix>(m_samples.data(), m_kept, dim());
}

void McmcChain::keptMoments(Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const {
  const Eigen::Index d = dim();
  mean = Eigen::VectorXd::Zero(d);
  cov = Eigen::MatrixXd::Zero(d, d);
  if (m_kept < 2) return;
  const auto x = samples();
  mean = x.colwise().mean().transpose();
  const Eigen::MatrixXd centred = x.rowwise() - mean.transpose();
  cov = centred.transpose() * centred / double(m_kept - 1);
}

Eigen::VectorXd McmcChain::effectiveSampleSizes() const {
  return vilab::effectiveSampleSizes(samples());
}

}  // namespace vilab
