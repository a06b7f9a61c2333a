#pragma once
// The Gaussian-mixture lab: data in D = 1 to 16 dimensions from a known mixture (or the user's),
// fitted three ways on the same data, each keeping its own state and trace so that switching is
// live: CAVI for the Bayesian GMM (Bishop PRML 10.2), EM for the maximum-likelihood GMM (9.2), and
// black-box VI with Monte Carlo gradients for the lecture's 1-D mixture with log-normal priors
// on the variances. For D >= 2 the views show a plane: two chosen coordinates or the first two
// principal axes, with every component and density marginalised onto it exactly.

#include <array>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/math/random.hpp"
#include "core/model.hpp"
#include "core/models/gmm_bbvi.hpp"
#include "core/models/gmm_cavi.hpp"
#include "core/models/gmm_data.hpp"
#include "core/models/gmm_em.hpp"
#include "core/models/gmm_equations.hpp"
#include "core/models/gmm_kernel.hpp"
#include "core/optim/adam.hpp"

namespace vilab {

struct GmmScenario : ScenarioOf<GmmScenario> {
  static constexpr std::string_view kModelName = "gmm";
  enum class Algorithm { Cavi, Em, Bbvi };
  enum class Init { KMeansPlusPlus, Random };
  using Estimator = BbviEstimator;

  int dim = 2;
  struct Data {
    int n = 500;
    int components = 3;
    double separation = 4.0;
    double spread = 1.0;
    double imbalance = 0.0;
    double anisotropy = 2.0;
  } data;
  int k = 5;
  Algorithm algorithm = Algorithm::Cavi;
  Init init = Init::KMeansPlusPlus;
  struct Prior {
    double alpha0 = 0.0;  // 0: 1/K
    double beta0 = 1.0;
    double nu0 = 0.0;  // 0: D
  } prior;
  double regCovar = 1e-6;
  struct View {
    bool pca = false;  // the first two principal axes instead of coordinates x and y
    int x = 1, y = 2;  // 1-based coordinates on the horizontal and vertical axes
  } view;
  // Not a field: the data file's column names (adaptScenario copies them), for the view help.
  std::vector<std::string> columnNames;
  BbviPrior bbviPrior;
  Estimator estimator = Estimator::Reparam;
  bool baseline = true;
  int samples = 10;
  double lr = 0.05;

  // 10 iterations a second: the default CAVI run switches off its unneeded components between
  // iterations 30 and 60, three to six seconds in, slow enough to watch (at 20 it took 1.5 s).
  GmmScenario() { speed = 10.0; }
  std::vector<std::string> crossChecks() const override;

 protected:
  void visitFields(FieldVisitor& v) override;
};

// A mixture ready to draw: plain arrays, row-major.
struct GmmMixtureView {
  struct Ellipse {
    double cx = 0.0, cy = 0.0;
    double major = 0.0, minor = 0.0;  // 1-sigma semi-axes; double them for the 2-sigma ellipse
    double angle = 0.0;               // of the major axis, radians from +x
    double sdx = 0.0, sdy = 0.0;      // marginal standard deviations along the two axes
    // Their correlation: with sdx and sdy the ellipse in any units (major, minor and angle
    // lose the short axis when the two axes' units differ by many orders of magnitude).
    double rho = 0.0;
  };
  int k = 0, dim = 1;
  std::vector<double> weights;      // K
  std::vector<double> means;        // K x dim
  std::vector<double> covariances;  // K x dim x dim
  // D >= 2: each component's marginal in the view's plane, P Sigma P^T about P mu (P: 2 x D, the
  // plane's orthonormal rows).
  std::vector<Ellipse> ellipses;
  std::vector<double> sds;  // 1-D only: standard deviation of each component
};

// What depends only on the data (and the true mixture): shared by every snapshot until the data
// change. Densities are probability densities (not logs).
struct GmmGrid {
  // D >= 2: an 80 x 80 grid over the bounding box of the points in the view's plane (10% margin
  // each side), and the true density's marginal in that plane there: y.size() x x.size(),
  // row-major (row i is y[i]); empty without a truth.
  std::vector<double> x, y;
  std::vector<double> trueDensity;
  // 1-D: 400 points over the data's range (10% margin); the true density and each true
  // component's weighted density (Ktrue x curveX.size(), row-major; they sum to trueCurve),
  // empty without a truth; the histogram over the same range, as a density (count / (N width)).
  std::vector<double> curveX;
  std::vector<double> trueCurve;
  std::vector<double> trueComponentCurves;
  std::vector<double> histEdges;    // bins + 1
  std::vector<double> histDensity;  // bins
};

struct GmmSnapshot : Snapshot {
  using Algorithm = GmmScenario::Algorithm;

  Algorithm algorithm = Algorithm::Cavi;
  int dim = 1;
  int k = 1;
  std::string dataSource;  // "generated", a CSV path
  bool edited = false;     // points were added or removed since the data were made

  std::shared_ptr<const Eigen::MatrixXd> data;  // N x dim
  // D >= 2: the points in the view's plane (N x 2, u = P x), its axis names ("x₃", the file's
  // column name "petal_length", "PC 1 (73% of variance)"). Null for D = 1.
  std::shared_ptr<const Eigen::MatrixXd> plane;
  std::string planeX, planeY;
  std::string axis1d = "x";  // D = 1: the x axis (the column name when the file has one)
  // Of the current algorithm, component by component: r_nk = (*responsibilities)[k * N + n].
  std::shared_ptr<const std::vector<float>> responsibilities;

  // The current algorithm's fit, also the --params-out content: CAVI weights E[pi_k], means m_k,
  // covariances (nu_k W_k)^-1; EM the ML estimates; BBVI weights 1/K, means E[mu_k],
  // variances E[sigma_k^2] under q.
  GmmMixtureView fitted;
  GmmMixtureView truth;  // k = 0 for user data
  std::shared_ptr<const GmmGrid> grid;
  // Fitted densities on the grid: CAVI and BBVI their posterior predictive (a Student-t mixture
  // for CAVI, PRML 10.81), EM the plug-in mixture; for D > 2 their exact marginals in the plane
  // (a Student-t's marginal is a Student-t with the same degrees of freedom and the projected
  // scale matrix).
  // D >= 2: like grid->trueDensity. 1-D: the total on grid->curveX, and each component's weighted
  // density (K x curveX.size(), row-major) summing to it.
  std::vector<double> fittedDensity;
  std::vector<double> fittedCurve;
  std::vector<double> fittedComponentCurves;

  double elbo = 0.0, loglik = 0.0;  // the current algorithm's latest values
  struct Progress {
    std::int64_t iterations = 0;
    double elbo = std::numeric_limits<double>::quiet_NaN();
    double loglik = std::numeric_limits<double>::quiet_NaN();
  };
  Progress cavi, em, bbvi;
  // Per algorithm, to overlay in one plot: iteration (its own count), elbo, loglik.
  //   CAVI: elbo = the full ELBO at q after the iteration; loglik = ln p(X | E[pi], m_k,
  //         (nu_k W_k)^-1), the plug-in log-likelihood.
  //   EM:   elbo = loglik = ln p(X | theta): the E-step's bound is tight at the new parameters.
  //   BBVI: elbo = the Monte Carlo estimate from the step's own S samples (q before the update);
  //         loglik = the plug-in log-likelihood at E[mu_k], E[sigma_k^2] after the update.
  // The main trace (Snapshot::trace, the CSV) holds the same columns for whichever algorithm ran
  // each global iteration.
  TraceView caviTrace, emTrace, bbviTrace;
  int activeComponents = 0;  // fitted weights >= 1%

  // The effective priors (defaults resolved) and CAVI's posterior hyperparameters.
  double alpha0 = 0.0, beta0 = 0.0, nu0 = 0.0;
  std::vector<double> alpha, beta, nu;  // K each
  // BBVI's q in data units: sd of q(mu_k), mean and sd of q(ln sigma_k^2). Empty in 2-D.
  std::vector<double> bbviMeanSd, bbviLogVarMean, bbviLogVarSd;
};

class GmmModel final : public Model {
 public:
  GmmModel();

  const ModelInfo& info() const override;
  std::unique_ptr<Scenario> defaultScenario() const override;
  Status reset(const Scenario& scenario) override;
  Status apply(const Scenario& scenario) override;
  Status setData(const Eigen::MatrixXd& data, const std::string& source) override;
  // setData, keeping the header's column names for the axes, notes and help.
  Status setDataTable(const CsvData& table) override;
  // With user data: the generator's fields (the file decides N, the dimension and the values).
  std::vector<std::string> dataDecidedFields() const override;
  // With user data, dim follows the data's columns (so that checks such as bbvi's D = 1 judge
  // the data actually fitted).
  void adaptScenario(Scenario& scenario) const override;
  void step() override;
  std::int64_t iteration() const override { return m_iteration; }
  Status health() const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  TraceLog& trace() override { return m_trace; }
  std::unique_ptr<Model> clone() const override { return std::make_unique<GmmModel>(*this); }

  // Data editing in the view: (x, y) in the view's plane (y is ignored in 1-D; adding needs
  // D <= 2, where the plane is all of the space, else an error); the nearest point in the plane
  // goes. The fit continues from its current parameters on the changed data. Edits survive
  // reset() until the data settings or the data source change.
  Status addPoint(double x, double y);
  Status removeNearestPoint(double x, double y);

  // Restarts every algorithm from the given responsibilities (N x K, rows summing to 1): one
  // M-step from them, then the E-step, as scikit-learn starts from its initial responsibilities.
  Status initialiseFromResponsibilities(const Eigen::MatrixXd& r);

  // Read access for tests and the benchmark.
  const Eigen::MatrixXd& data() const { return *m_data; }
  const NormalWishartPrior& prior() const { return m_prior; }
  const BayesianGmmPosterior& caviPosterior() const { return m_q; }
  const GaussianMixture& emMixture() const { return m_em; }
  // The responsibilities of the last E-step (N x K).
  const Eigen::MatrixXd& caviResponsibilities() const { return m_caviR; }
  const Eigen::MatrixXd& emResponsibilities() const { return m_emR; }
  double caviElbo() const { return m_caviElbo; }
  // The ELBO at (the previous iteration's q(Z), this iteration's q(pi, mu, Lambda)): where
  // scikit-learn evaluates its lower bound.
  double caviElboAfterMStep() const { return m_caviElboAfterMStep; }
  double caviLogLikelihood() const { return m_caviLoglik; }
  double emLogLikelihood() const { return m_emLoglik; }
  const Eigen::VectorXd& bbviParameters() const { return m_phi; }
  double bbviElbo() const { return m_bbviElbo; }
  // In data units: the mean of q(mu_k) and E[sigma_k^2] under q.
  GaussianMixture bbviPointEstimate() const;

 private:
  struct DataKey;
  bool prepareData(std::string& error);
  void buildGrid();
  void computePlane();
  void resolvePrior();
  void caviStep();
  void emStep();
  void bbviStep();
  void refreshAfterEdit();
  void bbviRefresh();
  void bbviElboOffTheRecord();  // the ELBO estimate at reset and after edits
  void replaceData(Eigen::MatrixXd x);
  std::vector<std::string> notes() const;
  // The data file's column names when it had a header, else empty.
  std::span<const std::string> columnNames() const;
  std::string coordinateName(int i) const;  // "petal_length", else "x₃"

  GmmScenario m_scenario;
  // Data: the base (generated or the user's) and the current (edited) set.
  std::shared_ptr<const Eigen::MatrixXd> m_data;
  std::shared_ptr<const Eigen::MatrixXd> m_userData;
  std::string m_userSource;
  // The header of the table given to setDataTable and the data it came with (names hold only
  // while m_userData is that data: setData alone gives none).
  std::vector<std::string> m_userNames;
  std::shared_ptr<const Eigen::MatrixXd> m_namesOf;
  std::string m_source;  // of the data in use: the user's file, or empty for generated data
  bool m_edited = false;
  std::array<double, 8> m_generatedKey{};  // the settings that made the generated data
  int m_dim = 1;
  DataSummary m_summary;
  GaussianMixture m_truth;
  bool m_hasTruth = false;
  SmallVector m_centre;
  double m_scale2 = 1.0;    // typical data variance (the view of identical points, BBVI's units)
  SmallVector m_fallbackVariances;  // D: EM's variance for a coordinate without spread
  SmallVector m_m0;         // data mean at reset
  SmallMatrix m_w0Inverse;  // data covariance at reset (regularised when singular)
  // The view's plane: u = P x (P: 2 x D, orthonormal rows; 1 x 1 for D = 1), the points there.
  Eigen::MatrixXd m_projection;
  std::shared_ptr<const Eigen::MatrixXd> m_plane;
  std::string m_planeX, m_planeY, m_viewNote;
  double m_bbviShift = 0.0, m_bbviScale = 1.0;  // standardisation of 1-D data for BBVI
  QuadraticFeatures m_features;
  ResponsibilityPass m_pass;

  // CAVI
  NormalWishartPrior m_prior;
  BayesianGmmPosterior m_q;
  ComponentStats m_caviStats;
  GaussianScores m_caviScores;
  Eigen::MatrixXd m_caviR;
  Eigen::VectorXd m_caviShift;
  PassTotals m_caviTotals;
  double m_caviElbo = 0.0, m_caviElboAfterMStep = 0.0, m_caviLoglik = 0.0;
  std::int64_t m_caviIterations = 0;
  TraceLog m_caviTrace;

  // EM
  GaussianMixture m_em;
  ComponentStats m_emStats;
  GaussianScores m_emScores;
  Eigen::MatrixXd m_emR;
  PassTotals m_emTotals;
  EmGuards m_emGuards;
  double m_emLoglik = 0.0;
  std::int64_t m_emIterations = 0;
  TraceLog m_emTrace;

  // BBVI (1-D data only)
  BbviObjective m_bbvi;
  BbviObjective::Estimate m_estimate;
  Eigen::VectorXd m_phi;
  Eigen::MatrixXd m_bbviR;
  Eigen::VectorXd m_bbviMeans, m_bbviVariances;
  Adam<double> m_adam;
  GmmBbviRecord m_bbviRecord;  // the last BBVI step, for its live equations
  Random m_bbviRng;
  double m_bbviElbo = std::numeric_limits<double>::quiet_NaN();
  double m_bbviLoglik = std::numeric_limits<double>::quiet_NaN();
  std::int64_t m_bbviIterations = 0;
  TraceLog m_bbviTrace;

  std::int64_t m_iteration = 0;
  TraceLog m_trace;

  // Views: the grid (per data and plane) and the last snapshot per version.
  std::shared_ptr<const GmmGrid> m_grid;
  std::uint64_t m_version = 0;
  mutable std::uint64_t m_snapshotVersion = ~std::uint64_t(0);
  mutable std::shared_ptr<const Snapshot> m_snapshot;
};

}  // namespace vilab
