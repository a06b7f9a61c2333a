#include "core/models/logreg/model.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/data/data_range.hpp"

namespace vilab {

using Method = LogregScenario::Method;
using Family = LogregScenario::Family;

void LogregScenario::visitFields(FieldVisitor& v) {
  v.integer({.key = "data.n", .label = "N", .group = "Data",
             .help = "Number of generated points (both classes together). Few points leave the "
                     "posterior broad, so the Bayesian classifier is unsure away from the data.",
             .min = 2, .max = 100000, .logScale = true},
            data.n);
  v.integer({.key = "data.dim", .label = "inputs D", .group = "Data",
             .help = "Number of input coordinates of the generated data. With D = 2 the exact "
                     "posterior over (w₁, w₂, b) comes from quadrature; with more, from a long HMC "
                     "run. With --data the file's columns decide.",
             .min = 2, .max = kMaxInputsField},
            data.dim);
  v.real({.key = "data.separation", .label = "separation", .group = "Data",
          .help = "Distance between the two class means, in units of spread. Above about 6 the "
                  "classes are usually separable and the MAP runs off to infinity without a prior.",
          .min = 0, .max = 20},
         data.separation);
  v.real({.key = "data.spread", .label = "spread", .group = "Data",
          .help = "Within-class standard deviation of every input (data units).",
          .min = 1e-3, .max = 1e3, .logScale = true},
         data.spread);
  v.real({.key = "data.balance", .label = "balance", .group = "Data",
          .help = "Fraction of the points in class 1.", .min = 0.05, .max = 0.95},
         data.balance);
  v.real({.key = "data.flip", .label = "flipped", .group = "Data",
          .help = "Fraction of labels flipped at random after drawing the points (label noise).",
          .min = 0, .max = 0.5},
         data.flip);
  v.real({.key = "data.correlation", .label = "correlation", .group = "Data",
          .help = "Within-class correlation of neighbouring inputs (ρ^|i−j| between x_i and x_j). "
                  "Correlated inputs give correlated weights in the posterior, which a mean-field q "
                  "cannot represent.",
          .min = -0.95, .max = 0.95},
         data.correlation);
  v.real({.key = "data.offset", .label = "offset", .group = "Data",
          .help = "Shift of every point along x₁ (data units). Data far from the origin correlate "
                  "w₁ with the bias b.",
          .min = -100, .max = 100},
         data.offset);
  v.real({.key = "prior.sigma", .label = "σ₀", .group = "Prior",
          .help = "Prior standard deviation of every weight: w_j ~ N(0, σ₀²), and b too unless "
                  "prior.bias is flat. Large σ₀ on separable data lets the MAP drift far out; the "
                  "posterior stays finite.",
          .min = 1e-2, .max = 1e3, .logScale = true},
         prior.sigma);
  v.choice({.key = "prior.bias", .label = "prior on b", .group = "Prior",
            .help = "gaussian: b ~ N(0, σ₀²) like the weights. flat: p(b) = 1, an improper prior; "
                    "the log evidence is then relative to the flat measure on b.",
            .choices = {"gaussian", "flat"}},
           prior.bias);
  v.choice({.key = "method", .label = "method", .group = "Algorithm",
            .help = "gradient: stochastic gradient ascent on the ELBO of a Gaussian q. jj: the "
                    "Jaakkola–Jordan bound, closed-form updates of q and one ξ_n per point (Bishop "
                    "PRML 10.6); its bound lies below the ELBO. laplace: Newton's method to the MAP, "
                    "q = N(MAP, H⁻¹). Each keeps its own state; switching is live.",
            .choices = {"gradient", "jj", "laplace"}},
           method);
  v.choice({.key = "family", .label = "family", .group = "Algorithm",
            .help = "Gradient VI: meanfield (independent weights, diagonal covariance) or fullrank "
                    "(a Cholesky factor: correlations between weights).",
            .choices = {"meanfield", "fullrank"}},
           family);
  v.choice({.key = "estimator", .label = "estimator", .group = "Algorithm",
            .help = "Gradient of E_q[ln p(y|X,θ)]: reparam differentiates through θ = m + Lε; "
                    "score uses ln p(y|X,θ)·∇ln q(θ) (REINFORCE), unbiased but far noisier. The "
                    "prior term and the entropy are exact.",
            .choices = {"reparam", "score"}},
           estimator);
  v.choice({.key = "baseline", .label = "control variate", .group = "Algorithm",
            .help = "Score function only. none: plain REINFORCE. loo: subtract the mean "
                    "log-likelihood of the other samples. optimal: subtract a*·∇ln q with the "
                    "optimal scalar a* (Ranganath et al. 2014) from the other samples. Both stay "
                    "unbiased; they need samples ≥ 2.",
            .choices = {"none", "loo", "optimal"}},
           baseline);
  v.integer({.key = "samples", .label = "samples S", .group = "Algorithm",
             .help = "Monte Carlo samples per gradient step; the variance falls as 1/S.",
             .min = 1, .max = 4096, .logScale = true},
            samples);
  v.choice({.key = "optimizer", .label = "optimizer", .group = "Optimizer",
            .help = "Gradient VI: adam (adaptive steps) or sgd (steps of lr × gradient; the "
                    "gradient is of the whole data set's ELBO, so lr should be near 1/N).",
            .choices = {"adam", "sgd"}},
           optimizer);
  v.real({.key = "lr", .label = "learning rate", .group = "Optimizer",
          .help = "Step size of gradient VI.", .min = 1e-6, .max = 10, .logScale = true},
         lr);
  v.choice({.key = "predictive", .label = "predictive", .group = "View",
            .help = "How the data view computes p(y=1|x, data) under q: probit uses "
                    "σ(κ(s²)μ) with κ = (1 + πs²/8)^(-1/2) (PRML eq. 4.155); mc averages σ(θᵀφ) "
                    "over 256 draws from q.",
            .choices = {"probit", "mc"}},
           predictive);
  v.integer({.key = "exact.grid", .label = "grid points", .group = "Exact",
             .help = "Quadrature points per axis of the exact posterior over (w₁, w₂, b) (D = 2).",
             .min = 16, .max = 128},
            exact.grid);
  v.integer({.key = "exact.hmc", .label = "HMC samples", .group = "Exact",
             .help = "Samples of the HMC run that stands in for the exact posterior when D > 2 "
                     "(after 500 warm-up iterations).",
             .min = 200, .max = 20000, .logScale = true},
            exact.hmc);
  v.integer({.key = "view.x", .label = "view x", .group = "View",
             .help = "Input on the data view's horizontal axis; its weight on the weight view's.",
             .min = 1, .max = kMaxInputsField},
            view.x);
  v.integer({.key = "view.y", .label = "view y", .group = "View",
             .help = "Input on the data view's vertical axis; its weight on the weight view's "
                     "(unless view.bias).",
             .min = 1, .max = kMaxInputsField},
            view.y);
  v.boolean({.key = "view.bias", .label = "show b", .group = "View",
             .help = "Weight view: the bias b on the vertical axis instead of the weight of view.y."},
            view.bias);
}

std::vector<std::string> LogregScenario::crossChecks() const {
  std::vector<std::string> out;
  if (view.x > data.dim)
    out.push_back("view.x = " + std::to_string(view.x) + " exceeds the number of inputs (" + std::to_string(data.dim) + ")");
  if (view.y > data.dim)
    out.push_back("view.y = " + std::to_string(view.y) + " exceeds the number of inputs (" + std::to_string(data.dim) + ")");
  if (view.x == view.y) out.push_back("view.x and view.y must differ");
  return out;
}

LogregGaussian gaussianOf(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov) {
  LogregGaussian g;
  g.valid = mean.size() > 0 && mean.allFinite() && cov.allFinite();
  g.mean = mean;
  g.cov = cov;
  return g;
}

namespace {

const char* const kMethodNames[] = {"gradient VI", "JJ", "Laplace"};

ScoreBaseline toBaseline(LogregScenario::Baseline b) {
  switch (b) {
    case LogregScenario::Baseline::Loo: return ScoreBaseline::Loo;
    case LogregScenario::Baseline::Optimal: return ScoreBaseline::Optimal;
    default: return ScoreBaseline::None;
  }
}

GaussianFamily::Kind toKind(Family f) {
  return f == Family::FullRank ? GaussianFamily::Kind::FullRank : GaussianFamily::Kind::MeanField;
}

}  // namespace

LogregModel::LogregModel()
    : m_gradientTrace({"iteration", "elbo", "elbo_estimate"}),
      m_jjTrace({"iteration", "elbo", "jj_bound"}),
      m_laplaceTrace({"iteration", "elbo", "log_joint"}),
      m_trace({"iteration", "elbo", "elbo_estimate", "method", "accuracy", "log_loss", "log_evidence", "jj_bound"}) {}

const ModelInfo& LogregModel::info() const {
  static const ModelInfo i{"logreg", "Bayesian logistic regression",
                           "REINFORCE against reparameterization and control variates, the Jaakkola–Jordan "
                           "bound and Laplace against the exact posterior, in weight space and in data space."};
  return i;
}

std::unique_ptr<Scenario> LogregModel::defaultScenario() const { return std::make_unique<LogregScenario>(); }

Status LogregModel::setData(const Eigen::MatrixXd& data, const std::string& source) {
  if (data.size() == 0) {
    m_userData.reset();
    return Status::ok();
  }
  CsvData table;
  table.values = data;
  table.source = source;
  return setDataTable(table);
}

Status LogregModel::setDataTable(const CsvData& table) {
  if (table.values.size() == 0) return setData(Eigen::MatrixXd(), table.source);
  if (Status s = checkDataRange(table); !s) return s;
  LogregData data;
  if (Status s = logregDataFromTable(table, kMaxInputs, data); !s) return s;
  m_userData = std::make_shared<const LogregData>(std::move(data));
  return Status::ok();
}

std::vector<std::string> LogregModel::dataDecidedFields() const {
  if (!m_userData) return {};
  return {"data.n", "data.dim", "data.separation", "data.spread", "data.balance", "data.flip", "data.correlation",
          "data.offset"};
}

void LogregModel::adaptScenario(Scenario& scenario) const {
  if (!m_userData) return;
  auto& s = dynamic_cast<LogregScenario&>(scenario);
  s.data.n = static_cast<int>(m_userData->n());
  s.data.dim = static_cast<int>(m_userData->d());
}

bool LogregModel::sameDataSource(const LogregScenario& s) const {
  if (m_userData) return m_data.source == m_userData->source && std::isnan(m_dataKey[0]);
  const std::array<double, 9> key{double(s.data.n), double(s.data.dim), s.data.separation, s.data.spread,
                                  s.data.balance,   s.data.flip,        s.data.correlation, s.data.offset,
                                  double(s.seed)};
  return key == m_dataKey;
}

Status LogregModel::reset(const Scenario& scenario) {
  const auto& s = dynamic_cast<const LogregScenario&>(scenario);
  const int d = m_userData ? static_cast<int>(m_userData->d()) : s.data.dim;
  if (s.view.x > d || s.view.y > d)
    return Status::error("view.x and view.y must name inputs 1 to " + std::to_string(d));
  const bool keepEdits = m_edited && m_data.n() > 0 && sameDataSource(s);
  m_scenario = s;
  if (!keepEdits) {
    m_edited = false;
    if (m_userData) {
      m_dataKey.fill(std::numeric_limits<double>::quiet_NaN());
      m_data = *m_userData;
    } else {
      m_dataKey = {double(s.data.n), double(s.data.dim), s.data.separation, s.data.spread, s.data.balance,
                   s.data.flip,      s.data.correlation, s.data.offset,     double(s.seed)};
      m_data = generateLogregData(s.data, s.seed);
    }
  }
  useData(m_data);
  startMethods();
  m_iteration = 0;
  m_trace.clear();
  ++m_version;
  return Status::ok();
}

void LogregModel::useData(LogregData data) {
  m_data = std::move(data);
  m_inputs = std::make_shared<const Eigen::MatrixXd>(m_data.x);
  auto labels = std::make_shared<std::vector<int>>();
  for (Eigen::Index i = 0; i < m_data.n(); ++i) labels->push_back(m_data.y[i] > 0.5 ? 1 : 0);
  m_labels = std::move(labels);
  m_inputMeans = m_data.x.colwise().mean().transpose();
  m_likelihood = LogregLikelihood(m_data.design(), m_data.y);
  refreshFit();
}

void LogregModel::refreshFit() {
  const int p = static_cast<int>(m_data.d()) + 1;
  m_prior = LogregPrior::make(p, m_scenario.prior.sigma, m_scenario.prior.bias == LogregScenario::BiasPrior::Flat);
  m_laplace = fitLaplace(m_likelihood, m_prior);
  m_exactGrid = m_scenario.exact.grid;
  m_exactHmc = m_scenario.exact.hmc;
  m_exact = computeExactPosterior(m_likelihood, m_prior, m_laplace,
                                  {m_exactGrid, m_exactHmc, viewSeed(m_scenario.seed, -1)});
  ++m_exactVersion;
}

void LogregModel::startMethods() {
  const Eigen::Index p = m_likelihood.p();
  // q starts at the prior's scale (sd min(sigma0, 1)), centred at 0.
  const double sd = std::min(m_scenario.prior.sigma, 1.0);
  m_q = GaussianFamily(toKind(m_scenario.family), Eigen::VectorXd::Zero(p), sd * sd * Eigen::MatrixXd::Identity(p, p));
  m_adam.reset(m_q.parameterCount(), {.lr = m_scenario.lr});
  m_probe.reset(0, m_scenario.lr);
  m_lastGradient = {};
  m_rng.reseed(m_scenario.seed ^ 0x5DEECE66Dull);
  m_gradientElbo = logregElbo(m_likelihood, m_prior, m_q.mean(), m_q.covariance());
  m_elboEstimate = std::numeric_limits<double>::quiet_NaN();
  m_gradientIterations = 0;
  m_gradientTrace.clear();

  m_jj.reset(m_likelihood, m_prior);
  m_jjElbo = logregElbo(m_likelihood, m_prior, m_jj.mean(), m_jj.covariance());
  m_jjIterations = 0;
  m_jjTrace.clear();

  m_newton = evaluateNewton(m_likelihood, m_prior, Eigen::VectorXd::Zero(p));
  m_newtonElbo = logregElbo(m_likelihood, m_prior, m_newton.theta, m_newton.precision.inverse());
  m_newtonIterations = 0;
  m_laplaceTrace.clear();
}

Status LogregModel::apply(const Scenario& scenario) {
  const auto& s = dynamic_cast<const LogregScenario&>(scenario);
  if (!sameDataSource(s)) return reset(scenario);
  if (m_likelihood.n() == 0) return reset(scenario);
  const int d = static_cast<int>(m_data.d());
  if (s.view.x > d || s.view.y > d) return Status::error("view.x and view.y must name inputs 1 to " + std::to_string(d));
  const LogregScenario old = m_scenario;
  m_scenario = s;
  const bool priorChanged = s.prior.sigma != old.prior.sigma || s.prior.bias != old.prior.bias;
  if (priorChanged || s.exact.grid != old.exact.grid || s.exact.hmc != old.exact.hmc) {
    refreshFit();
    if (priorChanged) {
      m_jj.setXi(m_likelihood, m_prior, m_jj.xi());
      m_jjElbo = logregElbo(m_likelihood, m_prior, m_jj.mean(), m_jj.covariance());
      m_newton = evaluateNewton(m_likelihood, m_prior, m_newton.theta);
      m_gradientElbo = logregElbo(m_likelihood, m_prior, m_q.mean(), m_q.covariance());
    }
  }
  if (s.family != old.family) {
    m_q = GaussianFamily(toKind(s.family), m_q.mean(), m_q.covariance());
    m_adam.reset(m_q.parameterCount(), {.lr = s.lr});
    m_probe.reset(0, s.lr);
  } else if (s.optimizer != old.optimizer) {
    m_adam.reset(m_q.parameterCount(), {.lr = s.lr});
    m_probe.reset(0, s.lr);
  }
  m_adam.setLearningRate(s.lr);
  m_probe.setLearningRate(s.lr);
  ++m_version;
  return Status::ok();
}

void LogregModel::step() {
  switch (m_scenario.method) {
    case Method::Gradient: gradientStep(); break;
    case Method::Jj: jjStep(); break;
    case Method::Laplace: laplaceStep(); break;
  }
  ++m_iteration;
  recordMain();
  ++m_version;
}

void LogregModel::gradientStep() {
  const BatchLogDensity logLik = [this](const Eigen::MatrixXd& z, Eigen::VectorXd& values, Eigen::MatrixXd* grads) {
    m_likelihood.logLikelihoodBatch(z, values, grads);
  };
  const GradientEstimator estimator =
      m_scenario.estimator == LogregScenario::Estimator::Reparam ? GradientEstimator::Reparam : GradientEstimator::Score;
  const ElboGradient g =
      monteCarloElboGradient(m_q, logLik, estimator, toBaseline(m_scenario.baseline), m_scenario.samples, m_rng);
  // The prior's expected log density in closed form: its quadratic part and the normalisers.
  Eigen::VectorXd priorGradient;
  const double quadratic = expectedDiagonalQuadratic(m_q, m_prior.precision, &priorGradient);
  double normalisers = 0.0;
  for (Eigen::Index j = 0; j < m_prior.precision.size(); ++j)
    if (m_prior.precision[j] > 0.0) normalisers += 0.5 * std::log(m_prior.precision[j] / (2.0 * std::numbers::pi));
  m_elboEstimate = g.expectedF + quadratic + normalisers + m_q.entropy();
  Eigen::VectorXd lambda = m_q.parameters();
  const Eigen::VectorXd gradient = g.gradient + priorGradient;
  const double before = lambda[0];
  const bool adam = m_scenario.optimizer == LogregScenario::Optimizer::Adam;
  if (adam)
    m_adam.ascend(lambda, gradient);
  else
    lambda += m_scenario.lr * gradient;
  m_q.setParameters(lambda);
  // The numbers of m₁'s update (O(S) for the column mean).
  m_lastGradient.samples = static_cast<int>(g.terms.rows());
  for (Eigen::Index s = 0; s < std::min<Eigen::Index>(3, g.terms.rows()); ++s) m_lastGradient.terms[s] = g.terms(s, 0);
  m_lastGradient.termMean = g.terms.col(0).mean();
  m_lastGradient.priorGradient = priorGradient[0];
  m_lastGradient.gradient = gradient[0];
  m_probe.record(before, gradient[0], lambda[0], adam);
  m_gradientElbo = lambda.allFinite() ? logregElbo(m_likelihood, m_prior, m_q.mean(), m_q.covariance())
                                      : std::numeric_limits<double>::quiet_NaN();
  ++m_gradientIterations;
  m_gradientTrace.append({double(m_gradientIterations), m_gradientElbo, m_elboEstimate});
}

void LogregModel::jjStep() {
  m_jj.step(m_likelihood, m_prior);
  m_jjElbo = logregElbo(m_likelihood, m_prior, m_jj.mean(), m_jj.covariance());
  ++m_jjIterations;
  m_jjTrace.append({double(m_jjIterations), m_jjElbo, m_jj.bound()});
}

void LogregModel::laplaceStep() {
  m_newton = newtonStep(m_likelihood, m_prior, m_newton);
  const Eigen::LLT<Eigen::MatrixXd> llt(m_newton.precision);
  m_newtonElbo = llt.info() == Eigen::Success
                     ? logregElbo(m_likelihood, m_prior, m_newton.theta,
                                  llt.solve(Eigen::MatrixXd::Identity(m_newton.theta.size(), m_newton.theta.size())))
                     : std::numeric_limits<double>::quiet_NaN();
  ++m_newtonIterations;
  m_laplaceTrace.append({double(m_newtonIterations), m_newtonElbo, m_newton.logJoint});
}

LogregGaussian LogregModel::currentGaussian() const {
  switch (m_scenario.method) {
    case Method::Jj: return gaussianOf(m_jj.mean(), m_jj.covariance());
    case Method::Laplace: {
      const Eigen::LLT<Eigen::MatrixXd> llt(m_newton.precision);
      if (llt.info() != Eigen::Success) return {};
      return gaussianOf(m_newton.theta,
                        llt.solve(Eigen::MatrixXd::Identity(m_newton.theta.size(), m_newton.theta.size())));
    }
    default: return gaussianOf(m_q.mean(), m_q.covariance());
  }
}

double LogregModel::currentElbo() const {
  switch (m_scenario.method) {
    case Method::Jj: return m_jjElbo;
    case Method::Laplace: return m_newtonElbo;
    default: return m_gradientElbo;
  }
}

namespace {
// Accuracy (fraction) and mean log loss (nats per point) of predictive probabilities.
std::pair<double, double> fitQuality(const Eigen::VectorXd& prob, const Eigen::VectorXd& y) {
  double correct = 0.0, loss = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double pr = std::clamp(prob[i], 1e-300, 1.0 - 1e-16);
    correct += ((pr >= 0.5) == (y[i] > 0.5)) ? 1.0 : 0.0;
    loss -= y[i] > 0.5 ? std::log(pr) : std::log1p(-pr);
  }
  return {correct / double(y.size()), loss / double(y.size())};
}
}  // namespace

void LogregModel::recordMain() {
  const LogregGaussian g = currentGaussian();
  double accuracy = std::numeric_limits<double>::quiet_NaN(), logLoss = accuracy;
  if (g.valid) {
    const auto [a, l] = fitQuality(LogregLikelihood::probitPredictive(m_likelihood.design(), g.mean, g.cov), m_data.y);
    accuracy = a;
    logLoss = l;
  }
  const double jjBound = m_jjIterations > 0 ? m_jj.bound() : std::numeric_limits<double>::quiet_NaN();
  const double estimate = m_scenario.method == Method::Gradient ? m_elboEstimate : std::numeric_limits<double>::quiet_NaN();
  m_trace.append({double(m_iteration), currentElbo(), estimate, double(static_cast<int>(m_scenario.method)), accuracy,
                  logLoss, m_exact.logEvidence, jjBound});
}

Status LogregModel::health() const {
  const std::string at = " at iteration " + std::to_string(m_iteration);
  const char* name = kMethodNames[static_cast<int>(m_scenario.method)];
  if (!std::isfinite(currentElbo()))
    return Status::error(std::string(name) + ": the ELBO became non-finite" + at +
                         (m_scenario.method == Method::Gradient ? "; lower lr or use more samples" : ""));
  if (m_scenario.method == Method::Gradient && !m_q.parameters().allFinite())
    return Status::error(std::string(name) + ": q's parameters became non-finite" + at + "; lower lr");
  return Status::ok();
}

Status LogregModel::addPoint(double u, double v, int label) {
  if (label != 0 && label != 1) return Status::error("a clicked point's label must be 0 or 1");
  if (!std::isfinite(u) || !std::isfinite(v)) return Status::error("a clicked point must have finite coordinates");
  if (m_data.n() == 0) return Status::error("no data yet");
  LogregData next = m_data;
  const Eigen::Index n = next.n();
  next.x.conservativeResize(n + 1, Eigen::NoChange);
  next.y.conservativeResize(n + 1);
  next.x.row(n) = m_inputMeans.transpose();
  next.x(n, m_scenario.view.x - 1) = u;
  next.x(n, m_scenario.view.y - 1) = v;
  next.y[n] = label;
  m_edited = true;
  // JJ's new point starts from its xi under the current q (eq. 10.163).
  Eigen::VectorXd xi = m_jj.xi();
  Eigen::VectorXd phi(next.d() + 1);
  phi << next.x.row(n).transpose(), 1.0;
  const double xi2 = phi.dot((m_jj.covariance() + m_jj.mean() * m_jj.mean().transpose()) * phi);
  xi.conservativeResize(n + 1);
  xi[n] = std::sqrt(std::max(xi2, 0.0));
  useData(std::move(next));
  m_jj.setXi(m_likelihood, m_prior, xi);
  m_jjElbo = logregElbo(m_likelihood, m_prior, m_jj.mean(), m_jj.covariance());
  m_newton = evaluateNewton(m_likelihood, m_prior, m_newton.theta);
  m_gradientElbo = logregElbo(m_likelihood, m_prior, m_q.mean(), m_q.covariance());
  ++m_version;
  return Status::ok();
}

Status LogregModel::removeNearestPoint(double u, double v) {
  const Eigen::Index n = m_data.n();
  if (n == 0) return Status::error("no data yet");
  const int ix = m_scenario.view.x - 1, iy = m_scenario.view.y - 1;
  Eigen::Index best = 0;
  double bestD = std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < n; ++i) {
    const double du = m_data.x(i, ix) - u, dv = m_data.x(i, iy) - v;
    if (du * du + dv * dv < bestD) bestD = du * du + dv * dv, best = i;
  }
  const bool positive = m_data.y[best] > 0.5;
  const Eigen::Index same = positive ? m_data.positives() : n - m_data.positives();
  if (same <= 1)
    return Status::error("the nearest point is the last of class " + m_data.classNames[positive ? 1 : 0] +
                         "; logistic regression needs both classes");
  LogregData next = m_data;
  Eigen::VectorXd xi(n - 1);
  for (Eigen::Index i = 0, k = 0; i < n; ++i) {
    if (i == best) continue;
    next.x.row(k) = m_data.x.row(i);
    next.y[k] = m_data.y[i];
    xi[k++] = m_jj.xi()[i];
  }
  next.x.conservativeResize(n - 1, Eigen::NoChange);
  next.y.conservativeResize(n - 1);
  m_edited = true;
  useData(std::move(next));
  m_jj.setXi(m_likelihood, m_prior, xi);
  m_jjElbo = logregElbo(m_likelihood, m_prior, m_jj.mean(), m_jj.covariance());
  m_newton = evaluateNewton(m_likelihood, m_prior, m_newton.theta);
  m_gradientElbo = logregElbo(m_likelihood, m_prior, m_q.mean(), m_q.covariance());
  ++m_version;
  return Status::ok();
}

}  // namespace vilab
