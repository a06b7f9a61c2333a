#include "core/models/gmm.hpp"

#include <algorithm>
#include <cmath>

#include "core/math/gauss_hermite.hpp"
#include "core/math/special.hpp"
#include "core/math/student_t.hpp"
#include "core/math/view_plane.hpp"
#include "core/text/subscript.hpp"

namespace vilab {

using Algorithm = GmmScenario::Algorithm;

// One compact block per field, as in the other labs.
// clang-format off
void GmmScenario::visitFields(FieldVisitor& v) {
  v.integer({.key = "dim", .label = "dimension", .group = "Data",
             .help = "1: points on a line (histogram view; all three algorithms). 2 to 16: "
                     "points in D dimensions (CAVI and EM; the views show a plane, see view.x, "
                     "view.y and view.pca). With --data the file's column count decides "
                     "instead.",
             .min = 1, .max = kMaxDim},
            dim);
  v.integer({.key = "data.n", .label = "N", .group = "Data",
             .help = "Number of points drawn from the true mixture. With N below k some "
                     "components get no data of their own.",
             .min = 1, .max = 200000, .logScale = true},
            data.n);
  v.integer({.key = "data.components", .label = "true K", .group = "Data",
             .help = "Number of components of the mixture that generates the data; compare it "
                     "with the number of components that stay alive in the fit.",
             .min = 1, .max = 10},
            data.components);
  v.real({.key = "data.separation", .label = "separation", .group = "Data",
          .help = "Distance between neighbouring true means, in units of spread. Below about 2 "
                  "neighbouring components merge into a single bump.",
          .min = 0, .max = 50},
         data.separation);
  v.real({.key = "data.spread", .label = "spread", .group = "Data",
          .help = "Typical standard deviation of a true component (each one varies mildly "
                  "around it).",
          .min = 1e-3, .max = 1e3, .logScale = true},
         data.spread);
  v.real({.key = "data.imbalance", .label = "imbalance", .group = "Data",
          .help = "Unequal weights: the j-th true component's weight is proportional to "
                  "(1 - imbalance)^j. 0 gives equal weights.",
          .min = 0, .max = 0.95},
         data.imbalance);
  v.real({.key = "data.anisotropy", .label = "anisotropy", .group = "Data",
          .help = "D >= 2: ratio of the longest to the shortest standard deviation of each "
                  "true component (randomly oriented ellipses or ellipsoids); 1 gives circles.",
          .min = 1, .max = 20, .logScale = true},
         data.anisotropy);
  v.integer({.key = "k", .label = "K", .group = "Algorithm",
             .help = "Number of fitted components. With a small α₀ CAVI switches off the "
                     "components it does not need (their weight bars fall to zero); EM and BBVI "
                     "use all K.",
             .min = 1, .max = 20},
            k);
  v.choice({.key = "algorithm", .label = "algorithm", .group = "Algorithm",
            .help = "cavi: coordinate ascent on the ELBO of the Bayesian mixture; it never "
                    "decreases and stays below log p(X). em: maximum likelihood; its curve is "
                    "log p(X|θ) at one point θ, which can exceed any ELBO because it pays nothing "
                    "for being uncertain about θ. bbvi: Monte Carlo gradient ascent on the ELBO "
                    "of the lecture's 1-D mixture (equal weights, log-normal prior on variances).",
            .choices = {"cavi", "em", "bbvi"}},
           algorithm);
  v.choice({.key = "init", .label = "init", .group = "Algorithm",
            .help = "Initial responsibilities shared by all three algorithms. kmeans++: each "
                    "point goes to the nearest of K seeds spread out by k-means++. random: "
                    "uniform random responsibilities, so every component starts near the data "
                    "mean and the symmetry has to break.",
            .choices = {"kmeans++", "random"}},
           init);
  v.real({.key = "prior.alpha0", .label = "α₀", .group = "Prior",
          .help = "Dirichlet concentration of the mixing weights; 0 means 1/K (scikit-learn's "
                  "default). Small values (e.g. 0.001) let unused components die; large values "
                  "keep all K alive with similar weights.",
          .min = 0, .max = 1e6, .logScale = true},
         prior.alpha0);
  v.real({.key = "prior.beta0", .label = "β₀", .group = "Prior",
          .help = "Strength of the prior mean m₀ (the data mean) in pseudo-observations: "
                  "μ_k ~ N(m₀, (β₀Λ_k)⁻¹). Large values pull every component to the centre.",
          .min = 1e-8, .max = 1e8, .logScale = true},
         prior.beta0);
  v.real({.key = "prior.nu0", .label = "ν₀", .group = "Prior",
          .help = "Wishart degrees of freedom of each precision Λ_k, whose scale W₀ is the "
                  "inverse data covariance; 0 means D, the dimension (scikit-learn's default). "
                  "Otherwise it must exceed D − 1.",
          .min = 0, .max = 1e8, .logScale = true},
         prior.nu0);
  v.real({.key = "reg_covar", .label = "reg covar", .group = "Algorithm",
          .help = "EM only: added to each covariance's diagonal after every M-step "
                  "(scikit-learn's reg_covar), so a component cannot collapse onto one point "
                  "and send the likelihood to infinity.",
          .min = 0, .max = 1e3, .logScale = true},
         regCovar);
  v.real({.key = "bbvi.mean_sd", .label = "BBVI prior sd[μ]", .group = "Prior",
          .help = "BBVI: prior standard deviation of each component mean, in units of the "
                  "data's standard deviation; the prior is centred on the data mean.",
          .min = 1e-3, .max = 1e3, .logScale = true},
         bbviPrior.meanSd);
  v.real({.key = "bbvi.logvar_mean", .label = "BBVI prior E[ln σ²]", .group = "Prior",
          .help = "BBVI: prior mean of ln σ_k² (a log-normal prior on each variance), relative "
                  "to ln of the data variance: −2 puts the prior median at e⁻² ≈ 0.14 of the "
                  "data variance.",
          .min = -30, .max = 30},
         bbviPrior.logVarMean);
  v.real({.key = "bbvi.logvar_sd", .label = "BBVI prior sd[ln σ²]", .group = "Prior",
          .help = "BBVI: prior standard deviation of ln σ_k²; 1 lets a variance be a factor e "
                  "above or below the prior median at one standard deviation.",
          .min = 1e-3, .max = 100, .logScale = true},
         bbviPrior.logVarSd);
  v.choice({.key = "estimator", .label = "estimator", .group = "Algorithm",
            .help = "BBVI gradient estimator. reparam differentiates through z = m + s·ε "
                    "(pathwise; low variance). score uses ∇log q(z)·(log p − log q) (REINFORCE, "
                    "the lecture's BBVI): unbiased, but far noisier.",
            .choices = {"reparam", "score"}},
           estimator);
  v.boolean({.key = "baseline", .label = "baseline", .group = "Algorithm",
             .help = "BBVI score estimator: subtract from each sample's log p − log q the mean "
                     "over the other samples (leave-one-out control variate). Still unbiased, "
                     "much less variance; needs samples >= 2."},
            baseline);
  v.integer({.key = "samples", .label = "samples S", .group = "Algorithm",
             .help = "BBVI: samples of q per step, for the gradient and the ELBO estimate; the "
                     "noise falls as 1/√S and each step costs S passes over the data.",
             .min = 1, .max = 1000, .logScale = true},
            samples);
  v.real({.key = "lr", .label = "learning rate", .group = "Optimizer",
          .help = "BBVI: Adam's step size, on data standardised to unit variance. Too large "
                  "(especially with the score estimator) and the fit oscillates or diverges.",
          .min = 1e-5, .max = 1, .logScale = true},
         lr);
  v.boolean({.key = "view.pca", .label = "PCA plane", .group = "View",
             .help = "D >= 2: show the plane of the data's first two principal axes instead of "
                     "the coordinates view.x and view.y. Components and densities are shown as "
                     "their exact marginals in the plane."},
            view.pca);
  v.integer({.key = "view.x", .label = "x coordinate", .group = "View",
             .help = "D >= 2: coordinate (1 to D) on the data view's horizontal axis." +
                    coordinateList(columnNames),
             .min = 1, .max = kMaxDim},
            view.x);
  v.integer({.key = "view.y", .label = "y coordinate", .group = "View",
             .help = "D >= 2: coordinate (1 to D) on the data view's vertical axis." +
                    coordinateList(columnNames),
             .min = 1, .max = kMaxDim},
            view.y);
}
// clang-format on

std::vector<std::string> GmmScenario::crossChecks() const {
  std::vector<std::string> errors;
  if (algorithm == Algorithm::Bbvi && dim != 1)
    errors.push_back(
        "algorithm = bbvi needs dim = 1: black-box VI here is the lecture's 1-D "
        "mixture (use cavi or em for D >= 2)");
  if (prior.nu0 != 0.0 && prior.nu0 <= dim - 1)
    errors.push_back("prior.nu0 = " + formatReal(prior.nu0) + " must exceed dim - 1 = " +
                     std::to_string(dim - 1) + " (or be 0 for the default nu0 = D)");
  return errors;
}

namespace {

const std::vector<std::string> kColumns = {"iteration", "elbo", "loglik"};
constexpr std::uint64_t kInitStream = 0x1a17c0de5eedULL;
constexpr std::uint64_t kBbviStream = 0xbb71c0ffeeULL;
constexpr int kGrid2d = 80;
constexpr int kCurvePoints = 400;
constexpr int kHermiteNodes = 16;
// EM, a component on one point in a coordinate: times the data's variance of that coordinate.
constexpr double kVarianceFloor = 1e-9;
// W0^-1 of singular data: the floor on the eigenvalues of its correlation matrix.
constexpr double kSingularFloor = 1e-6;

std::array<double, 8> generatedKey(const GmmScenario& s) {
  return {double(s.seed),    double(s.dim), double(s.data.n), double(s.data.components),
          s.data.separation, s.data.spread, s.data.imbalance, s.data.anisotropy};
}

MixtureDataSettings dataSettings(const GmmScenario& s) {
  return {s.data.components, s.data.separation, s.data.spread, s.data.imbalance, s.data.anisotropy};
}

std::vector<double> linspace(double lo, double hi, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = lo + (hi - lo) * i / (n - 1);
  return v;
}

Status bbviNeedsOneDimension(int dim, const std::string& source) {
  return Status::error("algorithm = bbvi needs one-dimensional data: " + source + " has " +
                       std::to_string(dim) + " columns (use cavi or em)");
}

Status nuTooSmall(double nu0, int dim) {
  return Status::error("prior.nu0 = " + formatReal(nu0) +
                       " must exceed D - 1 = " + std::to_string(dim - 1) + " for " +
                       std::to_string(dim) + "-dimensional data (or be 0 for the default nu0 = D)");
}

// The mixture's marginal on the plane u = P x (P: q x D): means P mu_k, covariances P Sigma P^T.
GaussianMixture project(const GaussianMixture& g, const Eigen::MatrixXd& p) {
  GaussianMixture out;
  out.weights = g.weights;
  out.means = g.means * p.transpose();
  out.covariances.resize(g.components());
  for (int c = 0; c < g.components(); ++c)
    out.covariances[c] = p * g.covariances[c] * p.transpose();
  return out;
}

GmmMixtureView viewOf(const GaussianMixture& g, const Eigen::MatrixXd& projection) {
  GmmMixtureView v;
  v.k = g.components();
  v.dim = g.dim();
  v.weights.assign(g.weights.data(), g.weights.data() + v.k);
  for (int c = 0; c < v.k; ++c) {
    for (int i = 0; i < v.dim; ++i) v.means.push_back(g.means(c, i));
    const SmallMatrix& cov = g.covariances[c];
    for (int i = 0; i < v.dim; ++i)
      for (int j = 0; j < v.dim; ++j) v.covariances.push_back(cov(i, j));
    if (v.dim == 1) {
      v.sds.push_back(std::sqrt(std::max(cov(0, 0), 0.0)));
    } else {
      const Eigen::Vector2d centre = projection * g.means.row(c).transpose();
      const SmallMatrix marginal = projection * cov * projection.transpose();
      SmallVector values = SmallVector::Zero(2);
      SmallMatrix vectors;
      smallSymmetricEigen(marginal, values, vectors);
      const double sdx = std::sqrt(std::max(marginal(0, 0), 0.0));
      const double sdy = std::sqrt(std::max(marginal(1, 1), 0.0));
      const double rho =
          sdx > 0.0 && sdy > 0.0 ? std::clamp(marginal(0, 1) / sdx / sdy, -1.0, 1.0) : 0.0;
      v.ellipses.push_back({centre(0), centre(1), std::sqrt(std::max(values(1), 0.0)),
                            std::sqrt(std::max(values(0), 0.0)),
                            std::atan2(vectors(1, 1), vectors(0, 1)), sdx, sdy, rho});
    }
  }
  return v;
}

// Densities on display grids: the transcendental part in single precision, twice as fast and
// far more precise than any picture needs.

// Weighted component densities (M x K) at the rows of points (M x q) of a mixture in q
// dimensions: Gaussians N(u | mean_k, scale_k), or with dof given Student-t's St(u | mean_k,
// scale_k^-1, dof_k) (PRML B.68), each formed about its own mean.
Eigen::MatrixXd planeDensities(const Eigen::MatrixXd& points, const Eigen::VectorXd& weights,
                               const Eigen::MatrixXd& means, const std::vector<SmallMatrix>& scales,
                               const Eigen::VectorXd* dof = nullptr) {
  const int k = static_cast<int>(weights.size()), q = static_cast<int>(points.cols());
  Eigen::MatrixXd out(points.rows(), k);
  Eigen::ArrayXf column(points.rows());
  for (int c = 0; c < k; ++c) {
    const SmallMatrix precision = smallInverse(scales[c]);
    const double logDetScale = smallLogDeterminant(scales[c]);
    const Eigen::MatrixXd z = points.rowwise() - means.row(c);
    const Eigen::ArrayXd delta2 = ((z * precision).array() * z.array()).rowwise().sum();
    if (dof) {
      const double nu = (*dof)(c);
      const double logScale = std::log(weights(c)) + studentTLogNormaliser(-logDetScale, nu, q);
      column = (1.0 + delta2 / nu).cast<float>();
      column = (float(logScale) - float(0.5 * (nu + q)) * column.log()).exp();
    } else {
      const double logScale = std::log(weights(c)) - 0.5 * q * kLog2Pi - 0.5 * logDetScale;
      column = (logScale - 0.5 * delta2).cast<float>().exp();
    }
    out.col(c) = column.cast<double>().matrix();
  }
  return out;
}

void toRowMajor(const Eigen::MatrixXd& perPoint, std::vector<double>& out) {
  // perPoint: M x K (column k = component k) -> K x M row-major.
  out.resize(perPoint.size());
  Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      out.data(), perPoint.cols(), perPoint.rows()) = perPoint.transpose();
}

// The grid's points, row i * x.size() + j = (x[j], y[i]).
Eigen::MatrixXd gridPoints(const GmmGrid& grid) {
  const Eigen::Index nx = grid.x.size(), ny = grid.y.size();
  Eigen::MatrixXd points(nx * ny, 2);
  for (Eigen::Index i = 0; i < ny; ++i)
    for (Eigen::Index j = 0; j < nx; ++j) points.row(i * nx + j) << grid.x[j], grid.y[i];
  return points;
}

}  // namespace

GmmModel::GmmModel()
    : m_caviTrace(kColumns), m_emTrace(kColumns), m_bbviTrace(kColumns), m_trace(kColumns) {}

const ModelInfo& GmmModel::info() const {
  static const ModelInfo kInfo{
      "gmm", "Gaussian mixture",
      "One data set, three fits: CAVI for the Bayesian mixture, EM for maximum likelihood and "
      "black-box VI with Monte Carlo gradients; what each maximises and why they differ."};
  return kInfo;
}

std::unique_ptr<Scenario> GmmModel::defaultScenario() const {
  return std::make_unique<GmmScenario>();
}

std::vector<std::string> GmmModel::dataDecidedFields() const {
  if (!m_userData) return {};
  return {"dim", "data.n", "data.components", "data.separation", "data.spread", "data.imbalance",
          "data.anisotropy"};
}

Status GmmModel::setData(const Eigen::MatrixXd& data, const std::string& source) {
  if (data.size() == 0) {
    m_userData.reset();
    m_userSource.clear();
    m_edited = false;
    return Status::ok();
  }
  if (data.cols() < 1 || data.cols() > kMaxDim)
    return Status::error("the Gaussian-mixture lab takes 1 to " + std::to_string(kMaxDim) +
                         " columns of data, '" + source + "' has " + std::to_string(data.cols()));
  if (!data.allFinite())
    return Status::error("'" + source + "' contains a value that is not a finite number");
  m_userData = std::make_shared<const Eigen::MatrixXd>(data);
  m_userSource = source;
  m_edited = false;
  return Status::ok();
}

Status GmmModel::setDataTable(const CsvData& table) {
  Status status = Model::setDataTable(table);  // the shared range check, then setData
  if (status) {
    m_userNames = table.header;
    m_namesOf = m_userData;
  }
  return status;
}

std::span<const std::string> GmmModel::columnNames() const {
  if (!m_userData || m_namesOf != m_userData || m_source.empty() ||
      m_userNames.size() != static_cast<std::size_t>(m_userData->cols()))
    return {};
  return m_userNames;
}

std::string GmmModel::coordinateName(int i) const {
  return vilab::coordinateName(i, "x", columnNames());
}

void GmmModel::adaptScenario(Scenario& scenario) const {
  auto& s = dynamic_cast<GmmScenario&>(scenario);
  if (m_userData) s.dim = static_cast<int>(m_userData->cols());
  // (Before the reset that sets m_source: the names of the data just given.)
  const bool named =
      m_userData && m_namesOf == m_userData &&
      m_userNames.size() == static_cast<std::size_t>(m_userData->cols());
  s.columnNames = named ? m_userNames : std::vector<std::string>{};
}

Status GmmModel::reset(const Scenario& scenario) {
  const auto& s = dynamic_cast<const GmmScenario&>(scenario);
  const int dim = m_userData ? static_cast<int>(m_userData->cols()) : s.dim;
  if (s.algorithm == Algorithm::Bbvi && dim != 1)
    return bbviNeedsOneDimension(dim, m_userData ? "'" + m_userSource + "'" : "the data");
  if (s.prior.nu0 > 0.0 && s.prior.nu0 <= dim - 1) return nuTooSmall(s.prior.nu0, dim);
  m_scenario = s;
  const auto key = generatedKey(s);
  if (m_userData) {
    m_truth = {};
    m_hasTruth = false;
    if (!m_edited) m_data = m_userData;
    m_source = m_userSource;
  } else {
    m_source.clear();
    Random dataRng(s.seed);
    m_truth = makeTrueMixture(dataSettings(s), s.dim, dataRng);
    m_hasTruth = true;
    if (!m_edited || key != m_generatedKey || !m_data) {
      m_data = std::make_shared<const Eigen::MatrixXd>(sampleMixture(m_truth, s.data.n, dataRng));
      m_edited = false;
    }
    m_generatedKey = key;
  }

  // Constants fixed until the next reset: centre, scale, the data-derived prior, BBVI's units.
  m_summary = summarise(*m_data);
  m_dim = m_summary.dim;
  m_centre = m_summary.mean;
  const double variance = m_summary.covariance.trace() / m_dim;
  m_scale2 = std::isfinite(variance) && variance > 0.0 ? variance : 1.0;
  m_m0 = m_summary.mean;
  if (m_summary.n < 2 || m_summary.identical) {
    m_w0Inverse = SmallMatrix::Identity(m_dim, m_dim);
  } else {
    m_w0Inverse = m_summary.covariance;
    if (m_summary.singular) {
      // Judged in each coordinate's own units: a constant column gets unit variance, and the
      // correlations are kept off exact collinearity.
      for (int i = 0; i < m_dim; ++i)
        if (!(m_w0Inverse(i, i) > 0.0)) {
          m_w0Inverse.row(i).setZero();
          m_w0Inverse.col(i).setZero();
          m_w0Inverse(i, i) = 1.0;
        }
      floorCorrelationEigenvalues(m_w0Inverse, kSingularFloor);
    }
  }
  // EM's stand-in variance for a coordinate in which a component sits on one point: a tiny
  // fraction of the data's own variance there (unit variance for a constant column).
  m_fallbackVariances.resize(m_dim);
  for (int i = 0; i < m_dim; ++i) {
    const double v = m_summary.covariance(i, i);
    m_fallbackVariances(i) = std::isfinite(v) && v > 0.0 ? kVarianceFloor * v : 1.0;
  }
  if (m_dim == 1) {
    m_bbviShift = m_summary.mean(0);
    m_bbviScale = std::sqrt(m_scale2);
  }
  m_features.build(*m_data, m_centre);
  if (m_dim == 1) {
    m_bbvi.setData(((m_data->array() - m_bbviShift) / m_bbviScale).matrix());
  }
  computePlane();
  buildGrid();
  resolvePrior();

  Random initRng(s.seed ^ kInitStream);
  const Eigen::MatrixXd r0 = s.init == GmmScenario::Init::KMeansPlusPlus
                                 ? kMeansPlusPlusResponsibilities(*m_data, s.k, initRng)
                                 : randomResponsibilities(m_data->rows(), s.k, initRng);
  return initialiseFromResponsibilities(r0);
}

void GmmModel::resolvePrior() {
  const auto& p = m_scenario.prior;
  m_prior.alpha0 = p.alpha0 > 0.0 ? p.alpha0 : 1.0 / m_scenario.k;
  m_prior.beta0 = p.beta0;
  m_prior.nu0 = p.nu0 > 0.0 ? p.nu0 : m_dim;
  m_prior.m0 = m_m0;
  m_prior.w0Inverse = m_w0Inverse;
  m_bbvi.setPrior(m_scenario.bbviPrior);
}

Status GmmModel::initialiseFromResponsibilities(const Eigen::MatrixXd& r0) {
  const Eigen::Index n = m_data->rows();
  const int k = m_scenario.k;
  if (r0.rows() != n || r0.cols() != k)
    return Status::error("initial responsibilities must be " + std::to_string(n) + " x " +
                         std::to_string(k) + ", not " + std::to_string(r0.rows()) + " x " +
                         std::to_string(r0.cols()));
  if (!r0.allFinite() || (r0.array() < 0.0).any() ||
      ((r0.rowwise().sum().array() - 1.0).abs() > 1e-6).any())
    return Status::error(
        "initial responsibilities must be finite, non-negative, and each row "
        "must sum to 1");
  const Eigen::MatrixXd moments = r0.transpose() * m_features.phi();
  ComponentStats stats;
  stats.fromMoments(moments, m_features, &r0);
  const double sumRLogR = (r0.array() > 0.0).select(r0.array() * r0.array().log(), 0.0).sum();

  // CAVI: q(pi, mu, Lambda) from r0, then q(Z).
  caviUpdateGlobal(m_prior, stats, m_q);
  m_caviElboAfterMStep = vilab::caviElbo(m_q, m_prior, stats, sumRLogR);
  caviScores(m_q, m_caviScores, m_caviShift);
  m_pass.run(m_features, m_caviScores, &m_caviShift, &m_caviR, m_caviTotals);
  m_caviElbo = m_caviTotals.logSumExp + caviGlobalTerms(m_q, m_prior);
  m_caviLoglik = m_caviTotals.shiftedLogSumExp;

  // EM: components without responsibility start at the data mean and covariance.
  m_em.weights = Eigen::VectorXd::Constant(k, 1.0 / k);
  m_em.means = m_m0.transpose().replicate(k, 1);
  m_em.covariances.assign(k, m_w0Inverse);
  m_emGuards = emUpdate(stats, m_scenario.regCovar, m_fallbackVariances, m_em);
  emScores(m_em, m_emScores);
  m_pass.run(m_features, m_emScores, nullptr, &m_emR, m_emTotals, false);
  m_emLoglik = m_emTotals.logSumExp;

  // BBVI (1-D): q from the standardised statistics of r0.
  m_bbviElbo = std::numeric_limits<double>::quiet_NaN();
  if (m_dim == 1) {
    ComponentStats standardised;
    standardised.fromMoments(r0.transpose() * m_bbvi.features().phi(), m_bbvi.features());
    m_bbvi.configure(k, m_scenario.bbviPrior);
    m_phi = BbviObjective::initialPhi(standardised, m_scenario.bbviPrior);
    m_bbviRecord = {};
    m_adam.reset(m_phi.size(), {.lr = m_scenario.lr});
    m_bbviRng.reseed(m_scenario.seed ^ kBbviStream);
    bbviRefresh();
    bbviElboOffTheRecord();
  } else {
    m_phi.resize(0);
    m_bbviR.resize(0, 0);
    m_bbviLoglik = std::numeric_limits<double>::quiet_NaN();
  }

  m_caviIterations = m_emIterations = m_bbviIterations = m_iteration = 0;
  m_caviTrace.clear();
  m_emTrace.clear();
  m_bbviTrace.clear();
  m_trace.clear();
  ++m_version;
  return Status::ok();
}

Status GmmModel::apply(const Scenario& scenario) {
  const auto& next = dynamic_cast<const GmmScenario&>(scenario);
  const auto& cur = m_scenario;
  const bool newData = !m_userData && generatedKey(next) != generatedKey(cur);
  if (newData || next.seed != cur.seed || next.k != cur.k || next.init != cur.init)
    return reset(next);
  if (next.algorithm == Algorithm::Bbvi && m_dim != 1)
    return bbviNeedsOneDimension(m_dim, m_source.empty() ? "the data" : "'" + m_source + "'");
  if (next.prior.nu0 > 0.0 && next.prior.nu0 <= m_dim - 1) return nuTooSmall(next.prior.nu0, m_dim);
  const bool newView =
      next.view.pca != cur.view.pca || next.view.x != cur.view.x || next.view.y != cur.view.y;
  m_scenario = next;
  if (newView) {
    computePlane();
    buildGrid();
  }
  resolvePrior();
  // The same q under the new prior; q itself moves at the next CAVI step.
  m_caviElbo = m_caviTotals.logSumExp + caviGlobalTerms(m_q, m_prior);
  m_adam.setLearningRate(next.lr);
  ++m_version;
  return Status::ok();
}

void GmmModel::caviStep() {
  m_caviStats.fromPass(m_caviTotals, m_features, &m_caviR);
  const double sumRLogR = m_caviTotals.entropyTerm();
  caviUpdateGlobal(m_prior, m_caviStats, m_q);
  m_caviElboAfterMStep = vilab::caviElbo(m_q, m_prior, m_caviStats, sumRLogR);
  caviScores(m_q, m_caviScores, m_caviShift);
  m_pass.run(m_features, m_caviScores, &m_caviShift, &m_caviR, m_caviTotals);
  // With q(Z) optimal for q(pi, mu, Lambda), E[ln p(X, Z | .)] - E[ln q(Z)] = sum_n ln sum_k
  // rho_nk.
  m_caviElbo = m_caviTotals.logSumExp + caviGlobalTerms(m_q, m_prior);
  m_caviLoglik = m_caviTotals.shiftedLogSumExp;
  ++m_caviIterations;
  m_caviTrace.append({double(m_caviIterations), m_caviElbo, m_caviLoglik});
}

void GmmModel::emStep() {
  m_emStats.fromPass(m_emTotals, m_features, &m_emR);
  m_emGuards = emUpdate(m_emStats, m_scenario.regCovar, m_fallbackVariances, m_em);
  emScores(m_em, m_emScores);
  m_pass.run(m_features, m_emScores, nullptr, &m_emR, m_emTotals, false);
  // The E-step's bound equals the log-likelihood at the new parameters: elbo = loglik for EM.
  m_emLoglik = m_emTotals.logSumExp;
  ++m_emIterations;
  m_emTrace.append({double(m_emIterations), m_emLoglik, m_emLoglik});
}

void GmmModel::bbviRefresh() {
  const int k = m_scenario.k;
  const BbviLayout at{k};
  m_bbviMeans.resize(k);
  m_bbviVariances.resize(k);
  for (int c = 0; c < k; ++c) {
    const double sd = std::exp(m_phi(at.vLogSd(c)));
    m_bbviMeans(c) = m_phi(at.muMean(c));
    m_bbviVariances(c) = std::exp(m_phi(at.vMean(c)) + 0.5 * sd * sd);  // E[sigma^2] under q
  }
  const double jacobian = m_data->rows() * std::log(m_bbviScale);
  m_bbviLoglik = m_bbvi.plugInLogLikelihood(m_bbviMeans, m_bbviVariances, &m_bbviR) - jacobian;
}

void GmmModel::bbviElboOffTheRecord() {
  // From a generator of its own (seeded from the seed and the iteration), so that resets and
  // edits leave the optimiser's random stream untouched.
  Random rng(m_scenario.seed * 7919 + static_cast<std::uint64_t>(m_iteration) + 1);
  m_bbvi.estimate(m_phi, m_scenario.estimator, m_scenario.baseline, m_scenario.samples, rng,
                  m_estimate);
  m_bbviElbo = m_estimate.elbo - m_data->rows() * std::log(m_bbviScale);
}

void GmmModel::bbviStep() {
  const BbviLayout at{m_scenario.k};
  GmmBbviRecord record;
  record.mean = m_phi(at.muMean(0));
  record.sd = std::exp(m_phi(at.muLogSd(0)));
  m_bbvi.estimate(m_phi, m_scenario.estimator, m_scenario.baseline, m_scenario.samples, m_bbviRng,
                  m_estimate);
  // The live equations show component 1's mean and the first sample.
  const int samples = m_scenario.samples;
  record.valid = true;
  record.reparam = m_scenario.estimator == BbviEstimator::Reparam;
  record.samples = samples;
  record.eps = m_bbvi.noise()(0, 0);
  if (record.reparam) record.dLogP = m_bbvi.sampleGradients()(0, 0);
  record.f = m_bbvi.sampleObjectives()(0);
  if (!record.reparam && m_scenario.baseline && samples > 1)
    record.baseline = (m_bbvi.sampleObjectives().sum() - record.f) / (samples - 1);
  record.gradient = m_estimate.gradient(at.muMean(0));
  // Densities of standardised data differ from the data's by the factor 1/scale per point.
  m_bbviElbo = m_estimate.elbo - m_data->rows() * std::log(m_bbviScale);
  m_adam.ascend(m_phi, m_estimate.gradient);
  record.alpha = m_adam.stepSize();
  record.first = m_adam.firstMoment()(at.muMean(0));
  record.second = m_adam.secondMoment()(at.muMean(0));
  record.epsilonHat = m_adam.epsilonHat();
  m_bbviRecord = record;
  bbviRefresh();
  ++m_bbviIterations;
  m_bbviTrace.append({double(m_bbviIterations), m_bbviElbo, m_bbviLoglik});
}

void GmmModel::step() {
  double elbo = 0.0, loglik = 0.0;
  switch (m_scenario.algorithm) {
    case Algorithm::Cavi:
      caviStep();
      elbo = m_caviElbo, loglik = m_caviLoglik;
      break;
    case Algorithm::Em:
      emStep();
      elbo = loglik = m_emLoglik;
      break;
    case Algorithm::Bbvi:
      if (m_dim != 1) return;  // unreachable: reset and apply refuse bbvi in 2-D
      bbviStep();
      elbo = m_bbviElbo, loglik = m_bbviLoglik;
      break;
  }
  ++m_iteration;
  m_trace.append({double(m_iteration), elbo, loglik});
  ++m_version;
}

Status GmmModel::health() const {
  const std::string at = " at iteration " + std::to_string(m_iteration);
  switch (m_scenario.algorithm) {
    case Algorithm::Cavi:
      if (!std::isfinite(m_caviElbo) || !std::isfinite(m_caviLoglik) || !m_q.alpha.allFinite())
        return Status::error("CAVI: the ELBO became non-finite" + at +
                             ": the prior is too extreme for double precision (check "
                             "prior.alpha0, prior.beta0 and prior.nu0)");
      break;
    case Algorithm::Em:
      if (!std::isfinite(m_emLoglik) || !m_em.means.allFinite())
        return Status::error("EM: the log-likelihood became non-finite" + at +
                             ": a component collapsed onto a point; raise reg_covar");
      break;
    case Algorithm::Bbvi:
      if (!m_phi.allFinite() || !std::isfinite(m_bbviElbo) || !std::isfinite(m_bbviLoglik)) {
        std::string cause = "the learning rate is too high";
        if (m_scenario.estimator == BbviEstimator::Score)
          cause += " for the score-function estimator; lower lr, add the baseline or use reparam";
        else
          cause += "; lower lr";
        return Status::error("BBVI: the variational parameters became non-finite" + at + ": " +
                             cause);
      }
      break;
  }
  return Status::ok();
}

Status GmmModel::addPoint(double x, double y) {
  if (m_dim > 2)
    return Status::error("points can be added only for D <= 2: the view shows a plane of the " +
                         std::to_string(m_dim) + "-dimensional data");
  if (!std::isfinite(x) || (m_dim == 2 && !std::isfinite(y)))
    return Status::error("a new point needs finite coordinates");
  Eigen::MatrixXd next(m_data->rows() + 1, m_dim);
  next.topRows(m_data->rows()) = *m_data;
  if (m_dim == 2)  // P is orthonormal and square: x = P^T u
    next.row(m_data->rows()) = (m_projection.transpose() * Eigen::Vector2d(x, y)).transpose();
  else
    next(m_data->rows(), 0) = x;
  replaceData(std::move(next));
  return Status::ok();
}

Status GmmModel::removeNearestPoint(double x, double y) {
  const Eigen::Index n = m_data->rows();
  if (n <= 1) return Status::error("cannot remove the last data point");
  const Eigen::MatrixXd& at = m_plane ? *m_plane : *m_data;
  Eigen::ArrayXd distance = (at.col(0).array() - x).square();
  if (m_plane) distance += (at.col(1).array() - y).square();
  Eigen::Index nearest = 0;
  distance.minCoeff(&nearest);
  Eigen::MatrixXd next(n - 1, m_dim);
  next.topRows(nearest) = m_data->topRows(nearest);
  next.bottomRows(n - 1 - nearest) = m_data->bottomRows(n - 1 - nearest);
  replaceData(std::move(next));
  return Status::ok();
}

void GmmModel::replaceData(Eigen::MatrixXd x) {
  m_data = std::make_shared<const Eigen::MatrixXd>(std::move(x));
  m_edited = true;
  // Centre, scale and prior stay as at the reset; every algorithm keeps its parameters and
  // recomputes its responsibilities on the new data.
  m_summary = summarise(*m_data);
  m_features.build(*m_data, m_centre);
  if (m_dim == 1) {
    m_bbvi.setData(((m_data->array() - m_bbviShift) / m_bbviScale).matrix());
  }
  computePlane();
  buildGrid();
  caviScores(m_q, m_caviScores, m_caviShift);
  m_pass.run(m_features, m_caviScores, &m_caviShift, &m_caviR, m_caviTotals);
  m_caviElbo = m_caviTotals.logSumExp + caviGlobalTerms(m_q, m_prior);
  m_caviLoglik = m_caviTotals.shiftedLogSumExp;
  emScores(m_em, m_emScores);
  m_pass.run(m_features, m_emScores, nullptr, &m_emR, m_emTotals, false);
  m_emLoglik = m_emTotals.logSumExp;
  if (m_dim == 1) {
    bbviRefresh();
    bbviElboOffTheRecord();
  }
  ++m_version;
}

void GmmModel::computePlane() {
  m_viewNote.clear();
  if (m_dim == 1) {
    m_projection = Eigen::MatrixXd::Identity(1, 1);
    m_plane.reset();
    return;
  }
  const auto& v = m_scenario.view;
  ViewPlane plane;
  if (v.pca) {
    SmallVector values;
    SmallMatrix vectors;
    smallSymmetricEigen(m_summary.covariance, values, vectors);  // increasing order
    plane = principalPlane(values.reverse(), vectors.rowwise().reverse(), values.sum());
  } else {
    plane = coordinatePlane(v.x, v.y, m_dim, "x", columnNames());
  }
  m_projection = std::move(plane.projection);
  m_planeX = std::move(plane.xLabel);
  m_planeY = std::move(plane.yLabel);
  m_viewNote = std::move(plane.note);
  m_plane = std::make_shared<const Eigen::MatrixXd>(*m_data * m_projection.transpose());
}

void GmmModel::buildGrid() {
  auto grid = std::make_shared<GmmGrid>();
  const double sd = std::sqrt(m_scale2);
  const Eigen::MatrixXd& shown = m_plane ? *m_plane : *m_data;
  const auto range = [&](int j) {
    double lo = shown.col(j).minCoeff(), hi = shown.col(j).maxCoeff();
    if (!(hi > lo)) lo -= sd, hi += sd;  // a single point or identical points
    const double pad = 0.1 * (hi - lo);
    return std::pair{lo - pad, hi + pad};
  };
  if (m_plane) {
    const auto [x0, x1] = range(0);
    const auto [y0, y1] = range(1);
    grid->x = linspace(x0, x1, kGrid2d);
    grid->y = linspace(y0, y1, kGrid2d);
    if (m_hasTruth) {
      Eigen::VectorXd total;
      mixtureDensity(project(m_truth, m_projection), gridPoints(*grid), total);
      grid->trueDensity.assign(total.data(), total.data() + total.size());
    }
  } else {
    const auto [x0, x1] = range(0);
    grid->curveX = linspace(x0, x1, kCurvePoints);
    const Eigen::Map<const Eigen::VectorXd> points(grid->curveX.data(), kCurvePoints);
    if (m_hasTruth) {
      Eigen::VectorXd total;
      Eigen::MatrixXd perComponent;
      mixtureDensity(m_truth, points, total, &perComponent);
      grid->trueCurve.assign(total.data(), total.data() + total.size());
      toRowMajor(perComponent.transpose(), grid->trueComponentCurves);
    }
    const Eigen::Index n = m_data->rows();
    const int bins = std::clamp(static_cast<int>(std::ceil(2.0 * std::cbrt(double(n)))), 8, 100);
    grid->histEdges = linspace(x0, x1, bins + 1);
    std::vector<double> counts(bins, 0.0);
    const double width = (x1 - x0) / bins;
    for (Eigen::Index i = 0; i < n; ++i) {
      const int b = std::clamp(static_cast<int>(((*m_data)(i, 0) - x0) / width), 0, bins - 1);
      counts[b] += 1.0;
    }
    for (auto& c : counts) c /= n * width;
    grid->histDensity = std::move(counts);
  }
  m_grid = std::move(grid);
}

GaussianMixture GmmModel::bbviPointEstimate() const {
  GaussianMixture g;
  const int k = m_scenario.k;
  g.weights = Eigen::VectorXd::Constant(k, 1.0 / k);
  g.means.resize(k, 1);
  g.covariances.resize(k);
  for (int c = 0; c < k; ++c) {
    g.means(c, 0) = m_bbviShift + m_bbviScale * m_bbviMeans(c);
    g.covariances[c] = SmallMatrix::Constant(1, 1, m_bbviScale * m_bbviScale * m_bbviVariances(c));
  }
  return g;
}

std::vector<std::string> GmmModel::notes() const {
  std::vector<std::string> out;
  const Eigen::Index n = m_data->rows();
  const std::string points = std::to_string(n) + (n == 1 ? " point" : " points");
  if (!m_source.empty())
    out.push_back("data from " + m_source + (m_edited ? " (edited: " + points + ")" : ""));
  else if (m_edited)
    out.push_back("generated data edited (" + points +
                  "): reset keeps the edits; a new seed or data setting discards them");
  if (!m_viewNote.empty()) out.push_back(m_viewNote);
  if (!m_source.empty() && m_scenario.dim != m_dim)
    out.push_back("dim = " + std::to_string(m_scenario.dim) + " is not used: the data from " +
                  m_source + " have " + std::to_string(m_dim) +
                  (m_dim == 1 ? " column" : " columns"));
  if (m_scenario.k > n) {
    const long spare = m_scenario.k - n;
    out.push_back("k = " + std::to_string(m_scenario.k) + " exceeds the " + points + ": at least " +
                  std::to_string(spare) +
                  (spare == 1 ? " component has no data of its own" :
                              " components have no data of their own") +
                  " (CAVI leaves " + (spare == 1 ? "it" : "them") + " at the prior, EM keeps " +
                  (spare == 1 ? "it" : "them") + " empty)");
  }
  if (n == 1)
    out.push_back(
        "N = 1: a single point has no spread, so W0^-1 = I (unit scale) stands in for "
        "the data covariance");
  else if (m_summary.identical)
    out.push_back("all " + points +
                  " are identical: no spread, so W0^-1 = I (unit scale) stands "
                  "in for the data covariance and EM's components collapse onto the point");
  else {
    if (m_summary.singular) {
      std::string constant;
      for (int i = 0; i < m_dim; ++i)
        if (!(m_summary.covariance(i, i) > 0.0))
          constant += (constant.empty() ? "" : ", ") + coordinateName(i);
      out.push_back(
          (constant.empty()
               ? std::string(m_dim == 2 ? "the points lie on a line"
                                        : "the points lie in a subspace of fewer than " +
                                              std::to_string(m_dim) + " dimensions") +
                     ": their covariance is singular, so W0^-1 is regularised (the smallest "
                     "eigenvalue of its correlation matrix raised to 1e-6)"
               : "constant column(s) " + constant +
                     ": the covariance is singular, so W0^-1 takes unit variance there"));
    }
    if (m_summary.duplicates > 0)
      out.push_back(std::to_string(m_summary.duplicates) +
                    (m_summary.duplicates == 1 ? " point repeats" : " points repeat") +
                    " an earlier point: EM may collapse a component onto it (its covariance is "
                    "then floored; raise reg_covar)");
  }
  const bool em = m_scenario.algorithm == Algorithm::Em;
  if (em && m_emGuards.collapsed > 0)
    out.push_back("EM: " + std::to_string(m_emGuards.collapsed) +
                  " component(s) collapsed onto a single point in some coordinate (variance "
                  "below what doubles resolve at its mean): that variance is set to 1e-9 x the "
                  "data's variance of the coordinate; raise reg_covar (in the data's units)");
  if (em && m_emGuards.floored > 0)
    out.push_back("EM: " + std::to_string(m_emGuards.floored) +
                  " component covariance(s) nearly singular (the component's points lie close "
                  "to a line or plane): the eigenvalues of its correlation matrix floored at "
                  "1e-9; raise reg_covar (in the data's units)");
  if (em && m_emGuards.empty > 0)
    out.push_back("EM: " + std::to_string(m_emGuards.empty) +
                  " component(s) without responsibility keep their last mean and covariance");
  return out;
}

std::shared_ptr<const Snapshot> GmmModel::snapshot() const {
  if (m_snapshot && m_snapshotVersion == m_version) return m_snapshot;
  auto snap = std::make_shared<GmmSnapshot>();
  snap->model = "gmm";
  snap->iteration = m_iteration;
  snap->trace = m_trace.view();
  snap->notes = notes();
  snap->algorithm = m_scenario.algorithm;
  snap->dim = m_dim;
  snap->k = m_scenario.k;
  snap->dataSource = m_source.empty() ? "generated" : m_source;
  snap->edited = m_edited;
  snap->data = m_data;
  snap->plane = m_plane;
  snap->planeX = m_planeX;
  snap->planeY = m_planeY;
  snap->axis1d = m_dim == 1 ? coordinateName(0) : "x";
  snap->grid = m_grid;
  snap->cavi = {m_caviIterations, m_caviElbo, m_caviLoglik};
  snap->em = {m_emIterations, m_emLoglik, m_emLoglik};
  snap->bbvi = {m_bbviIterations, m_bbviElbo, m_bbviLoglik};
  snap->caviTrace = m_caviTrace.view();
  snap->emTrace = m_emTrace.view();
  snap->bbviTrace = m_bbviTrace.view();
  snap->alpha0 = m_prior.alpha0;
  snap->beta0 = m_prior.beta0;
  snap->nu0 = m_prior.nu0;
  snap->alpha.assign(m_q.alpha.data(), m_q.alpha.data() + m_q.alpha.size());
  snap->beta.assign(m_q.beta.data(), m_q.beta.data() + m_q.beta.size());
  snap->nu.assign(m_q.nu.data(), m_q.nu.data() + m_q.nu.size());
  if (m_hasTruth) snap->truth = viewOf(m_truth, m_projection);

  GaussianMixture fitted;
  const Eigen::MatrixXd* r = nullptr;
  switch (m_scenario.algorithm) {
    case Algorithm::Cavi:
      fitted = caviPointEstimate(m_q);
      r = &m_caviR;
      snap->elbo = m_caviElbo, snap->loglik = m_caviLoglik;
      break;
    case Algorithm::Em:
      fitted = m_em;
      r = &m_emR;
      snap->elbo = snap->loglik = m_emLoglik;
      break;
    case Algorithm::Bbvi:
      fitted = bbviPointEstimate();
      r = &m_bbviR;
      snap->elbo = m_bbviElbo, snap->loglik = m_bbviLoglik;
      break;
  }
  snap->fitted = viewOf(fitted, m_projection);
  snap->activeComponents = static_cast<int>((fitted.weights.array() >= 0.01).count());
  auto rf = std::make_shared<std::vector<float>>(r->size());
  Eigen::Map<Eigen::MatrixXf>(rf->data(), r->rows(), r->cols()) = r->cast<float>();
  snap->responsibilities = std::move(rf);
  // Live equations: the next step's M- and E-step (CAVI, EM) for a representative component and
  // point, from the statistics the next M-step will use; BBVI's last step.
  const std::string highlight = m_dim == 1 ? "components πₖ pₖ(x)" : "fitted components";
  if (m_scenario.algorithm == Algorithm::Cavi && m_caviR.size() > 0) {
    ComponentStats stats;
    stats.fromPass(m_caviTotals, m_features, &m_caviR);
    BayesianGmmPosterior next = m_q;
    caviUpdateGlobal(m_prior, stats, next);
    snap->equations = gmmCaviEquations(m_prior, stats, next, *m_data, gmmShownPair(m_caviR), highlight);
  } else if (m_scenario.algorithm == Algorithm::Em && m_emR.size() > 0) {
    ComponentStats stats;
    stats.fromPass(m_emTotals, m_features, &m_emR);
    GaussianMixture next = m_em;
    emUpdate(stats, m_scenario.regCovar, m_fallbackVariances, next);
    snap->equations = gmmEmEquations(stats, m_scenario.regCovar, next, *m_data, gmmShownPair(m_emR), highlight);
  } else if (m_scenario.algorithm == Algorithm::Bbvi && m_phi.size() > 0) {
    snap->equations = gmmBbviEquations(m_bbviRecord, m_phi(BbviLayout{m_scenario.k}.muMean(0)),
                                       m_dim == 1 ? "components πₖ pₖ(x)" : "fitted components");
  }

  // Fitted densities at the grid (D >= 2: their marginals in the plane) or curve (1-D) points,
  // one column per component.
  const Eigen::MatrixXd points =
      m_plane ? gridPoints(*m_grid)
              : Eigen::Map<const Eigen::VectorXd>(m_grid->curveX.data(), m_grid->curveX.size());
  Eigen::MatrixXd perComponent;
  if (m_scenario.algorithm == Algorithm::Cavi) {
    const StudentTMixture t = caviPredictive(m_q);
    std::vector<SmallMatrix> scales(t.precision.size());
    for (std::size_t c = 0; c < scales.size(); ++c)
      scales[c] = m_projection * smallInverse(t.precision[c]) * m_projection.transpose();
    perComponent =
        planeDensities(points, t.weights, t.means * m_projection.transpose(), scales, &t.dof);
  } else if (m_scenario.algorithm == Algorithm::Em) {
    const GaussianMixture marginal = project(m_em, m_projection);
    perComponent = planeDensities(points, marginal.weights, marginal.means, marginal.covariances);
  } else {
    // (1/K) E_q N(x | mu_k, sigma_k^2): mu integrated exactly, ln sigma^2 by Gauss-Hermite.
    static const Quadrature gh = gaussHermiteNormal(kHermiteNodes);
    const int k = m_scenario.k;
    const BbviLayout at{k};
    const Eigen::ArrayXd xs = (points.col(0).array() - m_bbviShift) / m_bbviScale;
    perComponent.setZero(xs.size(), k);
    for (int c = 0; c < k; ++c) {
      const double m = m_phi(at.muMean(c)), sm = std::exp(m_phi(at.muLogSd(c)));
      const double mv = m_phi(at.vMean(c)), sv = std::exp(m_phi(at.vLogSd(c)));
      for (int j = 0; j < kHermiteNodes; ++j) {
        const double variance = sm * sm + std::exp(mv + sv * gh.nodes[j]);
        perComponent.col(c).array() += gh.weights[j] /
                                       (k * m_bbviScale * std::sqrt(2.0 * kPi * variance)) *
                                       (-0.5 * (xs - m).square() / variance).exp();
      }
    }
  }
  if (m_plane) {
    const Eigen::VectorXd total = perComponent.rowwise().sum();
    snap->fittedDensity.assign(total.data(), total.data() + total.size());
  } else {
    const Eigen::VectorXd total = perComponent.rowwise().sum();
    snap->fittedCurve.assign(total.data(), total.data() + total.size());
    toRowMajor(perComponent, snap->fittedComponentCurves);
  }
  if (m_dim == 1 && m_phi.size() > 0) {
    const int k = m_scenario.k;
    const BbviLayout at{k};
    for (int c = 0; c < k; ++c) {
      snap->bbviMeanSd.push_back(m_bbviScale * std::exp(m_phi(at.muLogSd(c))));
      snap->bbviLogVarMean.push_back(m_phi(at.vMean(c)) + 2.0 * std::log(m_bbviScale));
      snap->bbviLogVarSd.push_back(std::exp(m_phi(at.vLogSd(c))));
    }
  }
  m_snapshot = snap;
  m_snapshotVersion = m_version;
  return snap;
}

}  // namespace vilab
