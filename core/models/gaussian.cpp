#include "core/models/gaussian.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/estimators/gamma_gradients.hpp"
#include "core/estimators/normal_gradients.hpp"
#include "core/math/special.hpp"

namespace vilab {

using Estimator = GaussianScenario::Estimator;

void GaussianScenario::visitFields(FieldVisitor& v) {
  v.integer({.key = "data.n", .label = "N", .group = "Data",
             .help = "Number of observations x_1..x_N drawn from N(μ_true, σ_true²). With few "
                     "points the posterior is broad and the mean-field gap KL(q‖p) is largest.",
             .min = 1, .max = 100000, .logScale = true},
            data.n);
  v.real({.key = "data.mu", .label = "μ true", .group = "Data",
          .help = "Mean of the Gaussian that generates the data.", .min = -1000, .max = 1000},
         data.mu);
  v.real({.key = "data.sigma", .label = "σ true", .group = "Data",
          .help = "Standard deviation of the Gaussian that generates the data (τ_true = 1/σ²).",
          .min = 1e-3, .max = 1000, .logScale = true},
         data.sigma);
  v.real({.key = "prior.mu0", .label = "μ₀", .group = "Prior",
          .help = "Prior mean of μ: p(μ|τ) = N(μ₀, (κ₀τ)⁻¹).", .min = -10000, .max = 10000},
         prior.mu0);
  v.real({.key = "prior.kappa0", .label = "κ₀", .group = "Prior",
          .help = "Prior strength of μ₀, in pseudo-observations. Small κ₀ is a vague prior; large "
                  "κ₀ with a wrong μ₀ is a confident wrong one.",
          .min = 1e-6, .max = 1e6, .logScale = true},
         prior.kappa0);
  v.real({.key = "prior.a0", .label = "a₀", .group = "Prior",
          .help = "Shape of the Gamma prior on the precision τ (worth about 2a₀ observations of "
                  "the spread).",
          .min = 1e-3, .max = 1e6, .logScale = true},
         prior.a0);
  v.real({.key = "prior.b0", .label = "b₀", .group = "Prior",
          .help = "Rate of the Gamma prior on τ; the prior mean is E[τ] = a₀/b₀.",
          .min = 1e-6, .max = 1e6, .logScale = true},
         prior.b0);
  v.choice({.key = "algorithm", .label = "algorithm", .group = "Algorithm",
            .help = "cavi: closed-form coordinate ascent, q(μ) then q(τ) (Bishop PRML 10.1.3); "
                    "the ELBO never decreases. gradient: stochastic gradient ascent on the ELBO "
                    "over (m, log s, log a, log b) with Monte Carlo gradients.",
            .choices = {"cavi", "gradient"}},
           algorithm);
  v.boolean({.key = "halfsteps", .label = "half steps", .group = "Algorithm",
             .help = "CAVI: each step updates one factor, q(μ) then q(τ), so each move is "
                     "parallel to one axis of the joint plot."},
            halfsteps);
  v.choice({.key = "estimator", .label = "estimator", .group = "Algorithm",
            .help = "Gradient VI: reparam differentiates through the samples μ = m + s·ε and "
                    "τ ~ Gamma(a, b) (implicit reparameterization); score uses "
                    "f(z)·∇log q(z) (REINFORCE), unbiased but far noisier.",
            .choices = {"reparam", "score"}},
           estimator);
  v.boolean({.key = "baseline", .label = "baseline", .group = "Algorithm",
             .help = "Score function: subtract from each sample's f the mean f of the other "
                     "samples (leave-one-out control variate). Still unbiased, much less "
                     "variance. Needs samples >= 2."},
            baseline);
  v.integer({.key = "samples", .label = "samples S", .group = "Algorithm",
             .help = "Monte Carlo samples per gradient step (and for the noisy ELBO estimate). "
                     "Variance falls as 1/S.",
             .min = 1, .max = 10000, .logScale = true},
            samples);
  v.choice({.key = "optimizer", .label = "optimizer", .group = "Optimizer",
            .help = "Gradient VI: adam (adaptive steps) or sgd (plain steps of lr × gradient).",
            .choices = {"adam", "sgd"}},
           optimizer);
  v.real({.key = "lr", .label = "learning rate", .group = "Optimizer",
          .help = "Step size of gradient VI. Too large with the score-function estimator and the "
                  "optimizer diverges.",
          .min = 1e-6, .max = 10, .logScale = true},
         lr);
  v.real({.key = "q0.mu", .label = "start E[μ]", .group = "Start",
          .help = "Where q starts: the mean of q(μ) at iteration 0. Away from the posterior (as in "
                  "Bishop PRML Figure 10.4) the first CAVI half steps move q visibly, one axis at "
                  "a time. CAVI reaches the same fixed point from any start.",
          .min = -10000, .max = 10000},
         q0.mu);
  v.real({.key = "q0.tau", .label = "start E[τ]", .group = "Start",
          .help = "Where q starts: the mean of q(τ) at iteration 0 (q(μ) starts with precision "
                  "(κ₀ + N)·E[τ]). A start below the posterior's precision gives a wide first "
                  "q(μ) that narrows step by step.",
          .min = 1e-3, .max = 1e3, .logScale = true},
         q0.tau);
}

namespace {

const std::vector<std::string> kColumns = {"iteration", "elbo", "log_evidence", "kl", "elbo_mc"};
constexpr std::uint64_t kOptimizerStream = 0x5eed0fa11ULL;
constexpr std::size_t kGrid = 96;

// Single-sample gradient terms at q whose mean estimates the ELBO gradient (for reparam, up to
// the analytic entropy gradient added by the caller), with the per-sample f = log p - log q.
// With `first`, also what the first sample was (the live equations show it).
std::vector<Eigen::Vector4d> perSampleGradients(const MeanFieldQ& q, const GaussianScenario& s,
                                                const GaussianStats& stats, Random& rng,
                                                int count, std::vector<double>& f,
                                                GaussianGradientRecord* first = nullptr) {
  const double sd = 1.0 / std::sqrt(q.l);
  const bool reparam = s.estimator == GaussianScenario::Estimator::Reparam;
  std::vector<Eigen::Vector4d> terms(count);
  f.resize(count);
  for (int i = 0; i < count; ++i) {
    const double eps = rng.normal();
    const double g = std::max(rng.gamma(q.a), std::numeric_limits<double>::min());
    const double mu = q.m + sd * eps;
    const double tau = g / q.b;
    const LogJoint joint = logJoint(mu, tau, s.prior, stats);
    f[i] = joint.value - normalLogPdf(mu, q.m, q.l) - gammaLogPdf(tau, q.a, q.b);
    if (first && i == 0) {
      first->eps = eps, first->mu = mu, first->tau = tau;
      first->dLogPdMu = joint.dMu, first->f = f[i], first->baseline = 0.0;
    }
    if (reparam) {
      const NormalGradient mean = pathwiseNormal(joint.dMu, eps);
      const double dTauDLogA = gammaSampleShapeDerivative(q.a, g) / q.b * q.a;
      terms[i] << mean.dMu, mean.dSigma * sd, joint.dTau * dTauDLogA, -joint.dTau * tau;
    } else {
      const NormalGradient mean = scoreNormal(1.0, eps, sd);  // the score itself
      const GammaScore gamma = gammaScore(tau, q.a, q.b);
      terms[i] << mean.dMu, mean.dSigma * sd, gamma.dA * q.a, gamma.dB * q.b;
    }
  }
  if (!reparam) {
    double sum = 0.0;
    for (double v : f) sum += v;
    for (int i = 0; i < count; ++i) {
      const double base = s.baseline && count > 1 ? (sum - f[i]) / (count - 1) : 0.0;
      if (first && i == 0) first->baseline = base;
      terms[i] *= f[i] - base;
    }
  }
  return terms;
}

// d/dtheta of H[q(mu)] + H[q(tau)], theta = (m, log s, log a, log b).
Eigen::Vector4d entropyGradient(const MeanFieldQ& q) {
  return {0.0, 1.0, q.a * (1.0 + (1.0 - q.a) * trigamma(q.a)), -1.0};
}

Eigen::Vector4d toTheta(const MeanFieldQ& q) {
  return {q.m, -0.5 * std::log(q.l), std::log(q.a), std::log(q.b)};
}

MeanFieldQ fromTheta(const Eigen::Vector4d& t) {
  return {t[0], std::exp(-2.0 * t[1]), std::exp(t[2]), std::exp(t[3])};
}

std::vector<double> linspace(double lo, double hi, std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = lo + (hi - lo) * i / (n - 1);
  return v;
}

}  // namespace

GaussianModel::GaussianModel() : m_trace(kColumns) {}

const ModelInfo& GaussianModel::info() const {
  static const ModelInfo kInfo{
      "gaussian", "Univariate Gaussian",
      "Unknown mean and precision under a Normal-Gamma prior: mean-field CAVI and gradient VI "
      "against the exact posterior; log p(x) = ELBO + KL(q‖p)."};
  return kInfo;
}

std::unique_ptr<Scenario> GaussianModel::defaultScenario() const {
  return std::make_unique<GaussianScenario>();
}

GaussianModel::GradientEstimate GaussianModel::estimateGradient(const MeanFieldQ& q,
                                                                const GaussianScenario& s,
                                                                const GaussianStats& stats,
                                                                Random& rng) {
  return estimateGradient(q, s, stats, rng, nullptr);
}

GaussianModel::GradientEstimate GaussianModel::estimateGradient(const MeanFieldQ& q,
                                                                const GaussianScenario& s,
                                                                const GaussianStats& stats,
                                                                Random& rng,
                                                                GaussianGradientRecord* first) {
  std::vector<double> f;
  const auto terms = perSampleGradients(q, s, stats, rng, s.samples, f, first);
  GradientEstimate out{Eigen::Vector4d::Zero(), 0.0};
  for (int i = 0; i < s.samples; ++i) {
    out.gradient += terms[i];
    out.elbo += f[i];
  }
  out.gradient /= s.samples;
  out.elbo /= s.samples;
  if (s.estimator == GaussianScenario::Estimator::Reparam) out.gradient += entropyGradient(q);
  return out;
}

void GaussianModel::regenerateData() {
  if (m_userData) {
    m_data = m_userData;
  } else {
    Random dataRng(m_scenario.seed);
    auto x = std::make_shared<std::vector<double>>(m_scenario.data.n);
    for (auto& v : *x) v = m_scenario.data.mu + m_scenario.data.sigma * dataRng.normal();
    m_data = std::move(x);
  }
  m_stats = GaussianStats::of(*m_data);
}

void GaussianModel::refreshPosterior() {
  m_posterior = exactPosterior(m_scenario.prior, m_stats);
  m_logEvidence = logEvidence(m_scenario.prior, m_stats);
  m_elbo = elbo(m_q, m_scenario.prior, m_stats);
  m_kl = klToPosterior(m_q, m_posterior);
}

Status GaussianModel::reset(const Scenario& scenario) {
  m_scenario = dynamic_cast<const GaussianScenario&>(scenario);
  regenerateData();
  // q starts at the scenario's point (E[mu], E[tau]) = (q0.mu, q0.tau), with the shapes CAVI's
  // updates give: a = a0 + (N+1)/2 (PRML 10.29), l = (kappa0 + N) E[tau] (PRML 10.27).
  const auto& p = m_scenario.prior;
  const double shape = p.a0 + 0.5 * (m_stats.n + 1.0);
  m_q = {m_scenario.q0.mu, (p.kappa0 + m_stats.n) * m_scenario.q0.tau, shape,
         shape / m_scenario.q0.tau};
  m_iteration = 0;
  m_nextUpdatesMu = true;
  m_rng.reseed(m_scenario.seed ^ kOptimizerStream);
  m_adam.reset(4, {.lr = m_scenario.lr});
  m_lastGradient = {};
  m_trace.clear();
  refreshPosterior();
  m_elboMc = m_elbo;
  m_pathMu.clear();
  m_pathTau.clear();
  m_pathNext = 0;
  rememberPath();
  return Status::ok();
}

void GaussianModel::rememberPath() {
  if (m_pathMu.size() < GaussianSnapshot::kPathLength) {
    m_pathMu.push_back(m_q.m);
    m_pathTau.push_back(m_q.meanTau());
  } else {
    m_pathMu[m_pathNext] = m_q.m;
    m_pathTau[m_pathNext] = m_q.meanTau();
    m_pathNext = (m_pathNext + 1) % GaussianSnapshot::kPathLength;
  }
}

Status GaussianModel::apply(const Scenario& scenario) {
  const auto& next = dynamic_cast<const GaussianScenario&>(scenario);
  const auto& cur = m_scenario;
  const bool newData = next.seed != cur.seed || next.data.n != cur.data.n ||
                       next.data.mu != cur.data.mu || next.data.sigma != cur.data.sigma;
  if (newData && !m_userData) return reset(next);
  // A new start point means a new run from it.
  if (next.q0.mu != cur.q0.mu || next.q0.tau != cur.q0.tau) return reset(next);
  const bool newOptimizer = next.algorithm != cur.algorithm || next.optimizer != cur.optimizer;
  if (next.algorithm != cur.algorithm) m_lastGradient = {};
  m_scenario = next;
  if (newOptimizer) m_adam.reset(4, {.lr = next.lr});
  m_adam.setLearningRate(next.lr);
  refreshPosterior();
  return Status::ok();
}

std::vector<std::string> GaussianModel::dataDecidedFields() const {
  if (!m_userData) return {};
  return {"data.n", "data.mu", "data.sigma"};
}

Status GaussianModel::setData(const Eigen::MatrixXd& data, const std::string& source) {
  if (data.size() == 0) {
    m_userData.reset();
    m_userSource.clear();
    return Status::ok();
  }
  if (data.cols() != 1)
    return Status::error("the Gaussian lab needs one column of data, '" + source + "' has " +
                         std::to_string(data.cols()));
  m_userData = std::make_shared<const std::vector<double>>(data.data(), data.data() + data.size());
  m_userSource = source;
  return Status::ok();
}

void GaussianModel::caviStep() {
  const auto& p = m_scenario.prior;
  if (!m_scenario.halfsteps) {
    m_q = updateQTau(updateQMu(m_q, p, m_stats), p, m_stats);
    m_nextUpdatesMu = true;
  } else if (m_nextUpdatesMu) {
    m_q = updateQMu(m_q, p, m_stats);
    m_nextUpdatesMu = false;
  } else {
    m_q = updateQTau(m_q, p, m_stats);
    m_nextUpdatesMu = true;
  }
}

void GaussianModel::gradientStep() {
  GaussianGradientRecord record;
  const GradientEstimate estimate = estimateGradient(m_q, m_scenario, m_stats, m_rng, &record);
  Eigen::Vector4d theta = toTheta(m_q);
  const bool adam = m_scenario.optimizer == GaussianScenario::Optimizer::Adam;
  if (adam) {
    m_adam.ascend(theta, estimate.gradient);
  } else {
    theta += m_scenario.lr * estimate.gradient;
  }
  record.valid = true;
  record.reparam = m_scenario.estimator == Estimator::Reparam;
  record.adam = adam;
  record.samples = m_scenario.samples;
  record.before = m_q;
  record.gradientM = estimate.gradient[0];
  record.lr = adam ? m_adam.stepSize() : m_scenario.lr;
  if (adam) {
    record.adamFirst = m_adam.firstMoment()[0];
    record.adamSecond = m_adam.secondMoment()[0];
    record.adamEpsilon = m_adam.epsilonHat();
  }
  m_lastGradient = record;
  m_q = fromTheta(theta);
  m_elboMc = estimate.elbo;
}

void GaussianModel::step() {
  if (m_scenario.algorithm == GaussianScenario::Algorithm::Cavi) {
    caviStep();
    std::vector<double> f;
    perSampleGradients(m_q, m_scenario, m_stats, m_rng, m_scenario.samples, f);
    double sum = 0.0;
    for (double v : f) sum += v;
    m_elboMc = sum / m_scenario.samples;
  } else {
    gradientStep();
  }
  ++m_iteration;
  m_elbo = elbo(m_q, m_scenario.prior, m_stats);
  m_kl = klToPosterior(m_q, m_posterior);
  m_trace.append({static_cast<double>(m_iteration), m_elbo, m_logEvidence, m_kl, m_elboMc});
  rememberPath();
}

Status GaussianModel::health() const {
  const bool finiteQ = std::isfinite(m_q.m) && std::isfinite(m_q.l) && std::isfinite(m_q.a) &&
                       std::isfinite(m_q.b) && m_q.l > 0 && m_q.a > 0 && m_q.b > 0;
  std::string what;
  if (!finiteQ) what = "the parameters of q";
  else if (!std::isfinite(m_elbo)) what = "the ELBO";
  else if (!std::isfinite(m_elboMc)) what = "the Monte Carlo ELBO estimate";
  if (what.empty()) return Status::ok();
  std::string cause = "the learning rate is too high";
  if (m_scenario.estimator == GaussianScenario::Estimator::Score)
    cause += " for the score-function estimator; lower lr, add the baseline or use reparam";
  else
    cause += "; lower lr";
  return Status::error(what + " became non-finite at iteration " + std::to_string(m_iteration) +
                       ": " + cause);
}

std::shared_ptr<const Snapshot> GaussianModel::snapshot() const {
  auto snap = std::make_shared<GaussianSnapshot>();
  snap->model = "gaussian";
  snap->iteration = m_iteration;
  snap->trace = m_trace.view();
  snap->data = m_data;
  snap->dataSource = m_userData ? m_userSource : "generated";
  if (m_userData) snap->notes.push_back("data from " + m_userSource);
  snap->stats = m_stats;
  snap->prior = m_scenario.prior;
  snap->posterior = m_posterior;
  snap->q = m_q;
  snap->ml = maximumLikelihood(m_stats);
  snap->logEvidence = m_logEvidence;
  snap->elbo = m_elbo;
  snap->kl = m_kl;
  snap->elboMc = m_elboMc;
  snap->algorithm = m_scenario.algorithm;
  snap->estimator = m_scenario.estimator;
  snap->halfsteps = m_scenario.halfsteps;
  snap->nextUpdatesMu = m_nextUpdatesMu;
  snap->samples = m_scenario.samples;
  snap->equations =
      m_scenario.algorithm == GaussianScenario::Algorithm::Cavi
          ? gaussianCaviEquations(m_q, m_scenario.prior, m_stats, m_scenario.halfsteps, m_nextUpdatesMu)
          : gaussianGradientEquations(m_lastGradient, m_q);
  for (std::size_t i = 0; i < m_pathMu.size(); ++i) {
    const std::size_t k = (m_pathNext + i) % m_pathMu.size();
    snap->pathMu.push_back(m_pathMu[k]);
    snap->pathTau.push_back(m_pathTau[k]);
  }

  const NormalGamma& post = m_posterior;
  const MeanFieldQ& q = m_q;
  const bool qOk = std::isfinite(q.m) && q.l > 0 && q.a > 0 && q.b > 0 && std::isfinite(q.l) &&
                   std::isfinite(q.a) && std::isfinite(q.b);

  // Axes: cover the exact posterior, and q as far as 4x the posterior's extent.
  const double dof = 2.0 * post.a;
  const double muScale = std::sqrt(post.b / (post.a * post.kappa));
  const double muHalf = 4.0 * muScale * (dof > 4.0 ? std::sqrt(dof / (dof - 2.0)) : 2.0);
  const double tauMean = post.a / post.b, tauSd = std::sqrt(post.a) / post.b;
  double muLo = post.mu - muHalf, muHi = post.mu + muHalf;
  double tauLo = std::max(0.0, tauMean - 4.5 * tauSd), tauHi = tauMean + 4.5 * tauSd;
  if (qOk) {
    const double qSd = 1.0 / std::sqrt(q.l);
    muLo = std::max(std::min(muLo, q.m - 3.0 * qSd), post.mu - 4.0 * muHalf);
    muHi = std::min(std::max(muHi, q.m + 3.0 * qSd), post.mu + 4.0 * muHalf);
    const double qTauMean = q.a / q.b, qTauSd = std::sqrt(q.a) / q.b;
    tauLo = std::max({0.0, std::min(tauLo, qTauMean - 3.0 * qTauSd), tauMean - 4.0 * 4.5 * tauSd});
    tauHi = std::min(std::max(tauHi, qTauMean + 3.0 * qTauSd), tauMean + 4.0 * 4.5 * tauSd);
  }
  // And the path of q's means, within the same limits: the zig-zag from a distant start stays in
  // view after q has reached the posterior.
  for (std::size_t i = 0; i < snap->pathMu.size(); ++i) {
    if (!std::isfinite(snap->pathMu[i]) || !std::isfinite(snap->pathTau[i])) continue;
    const double muPad = 0.05 * (muHi - muLo), tauPad = 0.05 * (tauHi - tauLo);
    muLo = std::max(std::min(muLo, snap->pathMu[i] - muPad), post.mu - 4.0 * muHalf);
    muHi = std::min(std::max(muHi, snap->pathMu[i] + muPad), post.mu + 4.0 * muHalf);
    tauLo = std::max({0.0, std::min(tauLo, snap->pathTau[i] - tauPad), tauMean - 4.0 * 4.5 * tauSd});
    tauHi = std::min(std::max(tauHi, snap->pathTau[i] + tauPad), tauMean + 4.0 * 4.5 * tauSd);
  }
  snap->muGrid = linspace(muLo, muHi, kGrid);
  snap->tauGrid = linspace(tauLo + (tauHi - tauLo) * 1e-3, tauHi, kGrid);
  snap->exactJoint.resize(kGrid * kGrid);
  snap->qJoint.resize(kGrid * kGrid);
  snap->exactMu.resize(kGrid);
  snap->qMu.resize(kGrid);
  snap->exactTau.resize(kGrid);
  snap->qTau.resize(kGrid);
  for (std::size_t j = 0; j < kGrid; ++j) {
    const double mu = snap->muGrid[j], tau = snap->tauGrid[j];
    snap->exactMu[j] = std::exp(posteriorMarginalMuLogPdf(mu, post));
    snap->exactTau[j] = std::exp(gammaLogPdf(tau, post.a, post.b));
    snap->qMu[j] = qOk ? std::exp(normalLogPdf(mu, q.m, q.l)) : 0.0;
    snap->qTau[j] = qOk ? std::exp(gammaLogPdf(tau, q.a, q.b)) : 0.0;
  }
  for (std::size_t i = 0; i < kGrid; ++i)
    for (std::size_t j = 0; j < kGrid; ++j) {
      snap->exactJoint[i * kGrid + j] =
          std::exp(normalLogPdf(snap->muGrid[j], post.mu, post.kappa * snap->tauGrid[i])) *
          snap->exactTau[i];
      snap->qJoint[i * kGrid + j] = snap->qMu[j] * snap->qTau[i];
    }

  // Predictive densities over the data's range: exact Student-t; under q by quadrature over tau.
  const auto [xMin, xMax] = std::minmax_element(m_data->begin(), m_data->end());
  const double predScale = std::sqrt(post.b * (post.kappa + 1.0) / (post.a * post.kappa));
  const double lo = std::min(*xMin, post.mu - 4.0 * predScale);
  const double hi = std::max(*xMax, post.mu + 4.0 * predScale);
  const double pad = 0.05 * (hi - lo);
  snap->xGrid = linspace(lo - pad, hi + pad, 256);
  snap->exactPredictive.resize(snap->xGrid.size());
  snap->qPredictive.assign(snap->xGrid.size(), 0.0);
  std::vector<double> tauNodes, tauWeights;
  if (qOk) {
    const double m = q.a / q.b, sd = std::sqrt(q.a) / q.b;
    tauNodes = linspace(std::max(m * 1e-3, m - 6.0 * sd), m + 8.0 * sd, 160);
    double total = 0.0;
    for (double t : tauNodes) total += tauWeights.emplace_back(std::exp(gammaLogPdf(t, q.a, q.b)));
    for (auto& w : tauWeights) w /= total;
  }
  for (std::size_t i = 0; i < snap->xGrid.size(); ++i) {
    const double x = snap->xGrid[i];
    snap->exactPredictive[i] = std::exp(posteriorPredictiveLogPdf(x, post));
    for (std::size_t k = 0; k < tauNodes.size(); ++k)
      snap->qPredictive[i] +=
          tauWeights[k] * std::exp(normalLogPdf(x, q.m, 1.0 / (1.0 / tauNodes[k] + 1.0 / q.l)));
  }

  // Estimator spread at the current q, from a generator of its own so that how often the UI
  // asks for snapshots never changes the optimisation.
  if (qOk) {
    Random rng(m_scenario.seed * 7919 + static_cast<std::uint64_t>(m_iteration));
    GaussianScenario s = m_scenario;
    const auto variance = [&](Estimator estimator, bool baseline, std::array<double, 4>& out) {
      s.estimator = estimator;
      s.baseline = baseline;
      std::vector<double> f;
      const auto terms = perSampleGradients(q, s, m_stats, rng, 256, f);
      Eigen::Vector4d mean = Eigen::Vector4d::Zero(), sq = Eigen::Vector4d::Zero();
      for (const auto& t : terms) mean += t, sq += t.cwiseProduct(t);
      mean /= static_cast<double>(terms.size());
      const Eigen::Vector4d var = sq / static_cast<double>(terms.size()) - mean.cwiseProduct(mean);
      for (int k = 0; k < 4; ++k) out[k] = std::max(0.0, var[k]);
    };
    variance(Estimator::Reparam, false, snap->reparamVariance);
    variance(Estimator::Score, false, snap->scoreVariance);
    variance(Estimator::Score, true, snap->baselineVariance);
  }
  return snap;
}

}  // namespace vilab
