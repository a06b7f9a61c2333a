// What the logistic-regression lab's views draw, computed by the worker from the model's state:
// the predictive grid in data space, boundaries, the exact posterior in the weight plane, and
// the gradient estimators' single-sample statistics at the current q.

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>

#include "core/models/logreg/model.hpp"

namespace vilab {

using Method = LogregScenario::Method;

namespace {

constexpr int kPredictiveGrid = 64;
constexpr int kPredictiveDraws = 256;
constexpr int kBoundaries = 8;
constexpr int kProbeDraws = 256;
constexpr int kHistogramBins = 40;
constexpr int kHmcGrid = 48;

std::uint64_t viewSeedOf(std::uint64_t seed, std::int64_t iteration) {
  return seed * 0xD1B54A32D192ED03ull + static_cast<std::uint64_t>(iteration) * 0x9E3779B97F4A7C15ull + 11;
}

std::vector<double> linspace(double lo, double hi, int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = lo + (hi - lo) * i / (n - 1);
  return v;
}

// theta^T phi = 0 in the view plane with the other inputs at their means.
LogregLine lineOf(const Eigen::VectorXd& theta, const Eigen::VectorXd& means, int ix, int iy) {
  const Eigen::Index d = means.size();
  LogregLine l;
  l.a = theta[ix];
  l.c = theta[iy];
  l.d = theta[d];
  for (Eigen::Index j = 0; j < d; ++j)
    if (j != ix && j != iy) l.d += theta[j] * means[j];
  return l;
}

// Draws from N(mean, cov) (S x P).
Eigen::MatrixXd drawGaussian(const LogregGaussian& g, int s, Random& rng) {
  const Eigen::Index p = g.mean.size();
  const Eigen::MatrixXd l = Eigen::LLT<Eigen::MatrixXd>(g.cov).matrixL();
  Eigen::MatrixXd eps(s, p);
  for (int i = 0; i < s; ++i)
    for (Eigen::Index j = 0; j < p; ++j) eps(i, j) = rng.normal();
  Eigen::MatrixXd z = eps * l.transpose();
  z.rowwise() += g.mean.transpose();
  return z;
}

void fillEstimators(const LogregLikelihood& likelihood, const LogregGaussian& g, GaussianFamily::Kind kind, int viewParam,
                    Random& rng, std::array<LogregEstimatorStats, 4>& out) {
  const GaussianFamily q(kind, g.mean, g.cov);
  const Eigen::Index p = g.mean.size();
  Eigen::MatrixXd eps, z, grads, terms, scores;
  q.sample(rng, kProbeDraws, eps, z);
  Eigen::VectorXd f;
  likelihood.logLikelihoodBatch(z, f, &grads);
  q.scores(eps, scores);
  const char* names[4] = {"reparam", "score", "score + LOO baseline", "score + optimal CV"};
  std::array<Eigen::VectorXd, 4> view;
  for (int e = 0; e < 4; ++e) {
    if (e == 0)
      q.pathwiseTerms(eps, grads, terms);
    else
      scoreFunctionTerms(f, scores, e == 1 ? ScoreBaseline::None : e == 2 ? ScoreBaseline::Loo : ScoreBaseline::Optimal,
                         terms);
    const Eigen::MatrixXd m = terms.leftCols(p);
    const Eigen::MatrixXd centred = m.rowwise() - m.colwise().mean();
    LogregEstimatorStats& st = out[static_cast<std::size_t>(e)];
    st.name = names[e];
    st.variance = centred.colwise().squaredNorm().sum() / double(kProbeDraws - 1);
    st.viewMean = m.col(viewParam).mean();
    st.viewVariance = centred.col(viewParam).squaredNorm() / double(kProbeDraws - 1);
    view[static_cast<std::size_t>(e)] = m.col(viewParam);
  }
  // Shared edges over the central 98% of all four sets (outliers go to the end bins).
  std::vector<double> pooled;  // finite values only: a diverging q must not break the sort
  for (const auto& v : view)
    for (double x : v)
      if (std::isfinite(x)) pooled.push_back(x);
  std::sort(pooled.begin(), pooled.end());
  double lo = 0.0, hi = 0.0;
  if (!pooled.empty()) lo = pooled[pooled.size() / 100], hi = pooled[pooled.size() - 1 - pooled.size() / 100];
  if (!(hi > lo)) lo -= 0.5, hi += 0.5;
  const std::vector<double> edges = linspace(lo, hi, kHistogramBins + 1);
  for (int e = 0; e < 4; ++e) {
    auto& st = out[static_cast<std::size_t>(e)];
    st.edges = edges;
    st.counts.assign(kHistogramBins, 0.0);
    for (double v : view[static_cast<std::size_t>(e)]) {
      if (!std::isfinite(v)) continue;
      const double at = std::clamp((v - lo) / (hi - lo) * kHistogramBins, 0.0, kHistogramBins - 1.0);  // in int range
      const int b = static_cast<int>(at);
      st.counts[static_cast<std::size_t>(b)] += 1.0;
    }
  }
}

}  // namespace

std::shared_ptr<const Snapshot> LogregModel::snapshot() const {
  if (m_snapshot && m_snapshotVersion == m_version) return m_snapshot;
  LogregSnapshot* snap = buildSnapshot();
  fillEquations(*snap);
  m_snapshot.reset(snap);
  m_snapshotVersion = m_version;
  return m_snapshot;
}

LogregSnapshot* LogregModel::buildSnapshot() const {
  auto* s = new LogregSnapshot;
  const LogregScenario& sc = m_scenario;
  s->model = "logreg";
  s->iteration = m_iteration;
  s->trace = m_trace.view();
  s->method = sc.method;
  s->family = sc.family;
  s->estimator = sc.estimator;
  s->baseline = sc.baseline;
  s->predictive = sc.predictive;
  s->samples = sc.samples;
  s->flatBias = sc.prior.bias == LogregScenario::BiasPrior::Flat;

  s->inputs = m_inputs;
  s->labels = m_labels;
  s->classNames = m_data.classNames;
  s->inputNames = m_data.inputNames;
  s->dataSource = m_data.source;
  s->edited = m_edited;
  s->n = static_cast<int>(m_data.n());
  s->d = static_cast<int>(m_data.d());
  s->p = s->d + 1;
  if (s->n == 0) return s;
  const int d = s->d;
  s->viewX = std::clamp(sc.view.x - 1, 0, d - 1);
  s->viewY = std::clamp(sc.view.y - 1, 0, d - 1);
  s->weightX = s->viewX;
  s->weightY = sc.view.bias ? d : s->viewY;
  s->weightXName = weightName(s->weightX, d);
  s->weightYName = weightName(s->weightY, d);
  if (m_data.source != "generated") s->notes.push_back("data from " + m_data.source + " (labels: " + m_data.labelColumn + ")");
  if (m_edited) s->notes.push_back("points added or removed by clicks");
  if (!m_laplace.converged) s->notes.push_back("Newton did not converge: the MAP runs off (separable data?)");
  if (sc.method == Method::Gradient && sc.estimator == LogregScenario::Estimator::Score &&
      sc.baseline != LogregScenario::Baseline::None && sc.samples < 2)
    s->notes.push_back("control variates need samples ≥ 2: plain REINFORCE");

  Random rng(viewSeedOf(sc.seed, m_iteration));
  const LogregGaussian g = currentGaussian();
  s->q = g;
  s->gradientQ = gaussianOf(m_q.mean(), m_q.covariance());
  s->jj = gaussianOf(m_jj.mean(), m_jj.covariance());
  s->laplace = gaussianOf(m_laplace.map, m_laplace.covariance);
  s->map = m_laplace.map;
  s->laplaceIterate = m_newton.theta;
  s->mapConverged = m_laplace.converged;
  s->exact = gaussianOf(m_exact.mean, m_exact.cov);
  s->exactByQuadrature = m_exact.byQuadrature;

  // Data view.
  const Eigen::VectorXd xs = m_data.x.col(s->viewX), ys = m_data.x.col(s->viewY);
  const double mx = 0.1 * std::max(xs.maxCoeff() - xs.minCoeff(), 1e-6), my = 0.1 * std::max(ys.maxCoeff() - ys.minCoeff(), 1e-6);
  s->predictiveGrid.x = linspace(xs.minCoeff() - mx, xs.maxCoeff() + mx, kPredictiveGrid);
  s->predictiveGrid.y = linspace(ys.minCoeff() - my, ys.maxCoeff() + my, kPredictiveGrid);
  Eigen::MatrixXd points(kPredictiveGrid * kPredictiveGrid, d + 1);
  for (int i = 0; i < kPredictiveGrid; ++i)
    for (int j = 0; j < kPredictiveGrid; ++j) {
      auto row = points.row(i * kPredictiveGrid + j);
      row.head(d) = m_inputMeans.transpose();
      row[s->viewX] = s->predictiveGrid.x[static_cast<std::size_t>(j)];
      row[s->viewY] = s->predictiveGrid.y[static_cast<std::size_t>(i)];
      row[d] = 1.0;
    }
  s->mapBoundary = lineOf(m_laplace.map, m_inputMeans, s->viewX, s->viewY);
  if (g.valid) {
    Eigen::VectorXd prob;
    if (sc.predictive == LogregScenario::Predictive::Probit) {
      prob = LogregLikelihood::probitPredictive(points, g.mean, g.cov);
    } else {
      const Eigen::MatrixXd draws = drawGaussian(g, kPredictiveDraws, rng);
      const Eigen::MatrixXd logits = points * draws.transpose();
      prob = logits.unaryExpr([](double a) { return sigmoid(a); }).rowwise().mean();
    }
    s->predictiveGrid.values.assign(prob.data(), prob.data() + prob.size());
    const Eigen::MatrixXd lines = drawGaussian(g, kBoundaries, rng);
    for (int k = 0; k < kBoundaries; ++k)
      s->sampledBoundaries.push_back(lineOf(lines.row(k).transpose(), m_inputMeans, s->viewX, s->viewY));
    const auto onData = LogregLikelihood::probitPredictive(m_likelihood.design(), g.mean, g.cov);
    double correct = 0.0, loss = 0.0;
    for (Eigen::Index i = 0; i < m_data.n(); ++i) {
      const double pr = std::clamp(onData[i], 1e-300, 1.0 - 1e-16);
      correct += ((pr >= 0.5) == (m_data.y[i] > 0.5)) ? 1.0 : 0.0;
      loss -= m_data.y[i] > 0.5 ? std::log(pr) : std::log1p(-pr);
    }
    s->accuracy = correct / double(m_data.n());
    s->logLoss = loss / double(m_data.n());
  }
  {
    const Eigen::VectorXd a = m_likelihood.design() * m_laplace.map;
    double correct = 0.0, loss = 0.0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      correct += ((a[i] >= 0.0) == (m_data.y[i] > 0.5)) ? 1.0 : 0.0;
      loss += softplus(m_data.y[i] > 0.5 ? -a[i] : a[i]);
    }
    s->mapAccuracy = correct / double(a.size());
    s->mapLogLoss = loss / double(a.size());
  }

  // Weight view: the exact posterior's marginal in the plane of (weightX, weightY), cached.
  const std::array<std::uint64_t, 3> key{m_exactVersion, std::uint64_t(s->weightX), std::uint64_t(s->weightY)};
  if (key != m_exactViewKey) {
    m_exactView = {};
    m_exactSamplesView.reset();
    if (m_exact.byQuadrature && m_exact.grid.dims() == 3) {
      m_exactView.x = m_exact.grid.axes()[static_cast<std::size_t>(s->weightX)].nodes();
      m_exactView.y = m_exact.grid.axes()[static_cast<std::size_t>(s->weightY)].nodes();
      m_exactView.values = m_exact.grid.marginal2(m_exact.logJoint, s->weightX, s->weightY);
    } else if (m_exact.samples.rows() > 0) {
      const Eigen::VectorXd a = m_exact.samples.col(s->weightX), b = m_exact.samples.col(s->weightY);
      const double sa = std::sqrt(std::max(m_exact.cov(s->weightX, s->weightX), 1e-300));
      const double sb = std::sqrt(std::max(m_exact.cov(s->weightY, s->weightY), 1e-300));
      const double ca = m_exact.mean[s->weightX], cb = m_exact.mean[s->weightY];
      m_exactView.x = linspace(ca - 4 * sa, ca + 4 * sa, kHmcGrid);
      m_exactView.y = linspace(cb - 4 * sb, cb + 4 * sb, kHmcGrid);
      // A Gaussian kernel density estimate (Scott's bandwidth per axis).
      const double ha = sa * std::pow(double(a.size()), -1.0 / 6.0), hb = sb * std::pow(double(a.size()), -1.0 / 6.0);
      std::vector<double>& v = m_exactView.values;
      v.assign(kHmcGrid * kHmcGrid, 0.0);
      Eigen::MatrixXd ka(kHmcGrid, a.size()), kb(kHmcGrid, a.size());
      for (int i = 0; i < kHmcGrid; ++i)
        for (Eigen::Index k = 0; k < a.size(); ++k) {
          const double za = (m_exactView.x[static_cast<std::size_t>(i)] - a[k]) / ha;
          const double zb = (m_exactView.y[static_cast<std::size_t>(i)] - b[k]) / hb;
          ka(i, k) = std::exp(-0.5 * za * za);
          kb(i, k) = std::exp(-0.5 * zb * zb);
        }
      const Eigen::MatrixXd dens = kb * ka.transpose() / (double(a.size()) * 2.0 * std::numbers::pi * ha * hb);
      for (int i = 0; i < kHmcGrid; ++i)
        for (int j = 0; j < kHmcGrid; ++j) v[static_cast<std::size_t>(i * kHmcGrid + j)] = dens(i, j);
      const Eigen::Index shown = std::min<Eigen::Index>(400, a.size());
      auto samples = std::make_shared<Eigen::MatrixXd>(shown, 2);
      for (Eigen::Index k = 0; k < shown; ++k) {
        const Eigen::Index r = k * a.size() / shown;
        (*samples)(k, 0) = a[r];
        (*samples)(k, 1) = b[r];
      }
      m_exactSamplesView = std::move(samples);
    }
    m_exactViewKey = key;
  }
  s->exactDensity = m_exactView;
  s->hmcSamples = m_exactSamplesView;
  if (!m_exact.byQuadrature) s->hmcAcceptance = m_exact.acceptance;

  s->logEvidence = m_exact.logEvidence;
  s->laplaceLogEvidence = m_laplace.logEvidence;
  s->elbo = currentElbo();
  s->elboEstimate = m_elboEstimate;
  s->jjBound = m_jjIterations > 0 ? m_jj.bound() : std::numeric_limits<double>::quiet_NaN();
  s->klToExact = s->logEvidence - s->elbo;

  s->gradientTrace = m_gradientTrace.view();
  s->jjTrace = m_jjTrace.view();
  s->laplaceTrace = m_laplaceTrace.view();
  s->gradientProgress = {m_gradientIterations, m_gradientElbo};
  s->jjProgress = {m_jjIterations, m_jjElbo};
  s->laplaceProgress = {m_newtonIterations, m_newtonElbo};

  if (g.valid) {
    const auto kind = sc.method == Method::Gradient ? m_q.kind() : GaussianFamily::Kind::FullRank;
    fillEstimators(m_likelihood, g, kind, s->weightX, rng, s->estimators);
  }
  return s;
}

}  // namespace vilab
