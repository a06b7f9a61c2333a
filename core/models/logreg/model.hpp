#pragma once
// The Bayesian logistic-regression lab: labels y_n in {0, 1} with p(y_n = 1 | x_n, w, b) =
// sigma(w^T x_n + b) and a prior w, b ~ N(0, sigma0^2 I) (optionally flat on b). Parameters
// theta = (w_1..w_D, b), P = D + 1 of them; phi_n = (x_n, 1) so that the logit is theta^T phi_n.
// Three approximations fitted on the same data, each keeping its own state and trace so that
// switching is live: gradient VI with a mean-field or full-rank Gaussian q (reparameterization or
// score-function gradients with control variates), the Jaakkola-Jordan bound (Bishop PRML 10.6),
// and Laplace at the MAP (PRML 4.4); against the exact posterior (3-D quadrature for D <= 2,
// else a long HMC run) and the exact log evidence.

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/math/random.hpp"
#include "core/model.hpp"
#include "core/models/logreg/data.hpp"
#include "core/models/logreg/jaakkola_jordan.hpp"
#include "core/models/logreg/laplace.hpp"
#include "core/models/logreg/likelihood.hpp"
#include "core/models/logreg/posterior.hpp"
#include "core/optim/adam.hpp"
#include "core/optim/adam_probe.hpp"
#include "core/vi/gaussian_family.hpp"

namespace vilab {

struct LogregScenario : ScenarioOf<LogregScenario> {
  static constexpr std::string_view kModelName = "logreg";
  enum class Method { Gradient, Jj, Laplace };
  enum class Family { MeanField, FullRank };
  enum class Estimator { Reparam, Score };
  enum class Baseline { None, Loo, Optimal };
  enum class Optimizer { Adam, Sgd };
  enum class BiasPrior { Gaussian, Flat };
  enum class Predictive { Probit, MonteCarlo };

  // Generated data: two Gaussian classes (see LogregDataSettings in data.hpp).
  LogregDataSettings data;
  struct Prior {
    double sigma = 2.0;                       // sigma0, the prior sd of every weight
    BiasPrior bias = BiasPrior::Gaussian;     // flat: p(b) = 1 (improper)
  } prior;
  Method method = Method::Gradient;
  Family family = Family::MeanField;
  Estimator estimator = Estimator::Reparam;
  Baseline baseline = Baseline::Loo;  // score function only
  int samples = 16;                   // S, Monte Carlo samples per gradient step
  Optimizer optimizer = Optimizer::Adam;
  double lr = 0.05;
  Predictive predictive = Predictive::Probit;
  static constexpr int kMaxInputsField = 50;  // inputs of a user's table, at most
  struct Exact {
    int grid = 64;       // quadrature points per axis (D <= 2)
    int hmc = 2000;      // HMC samples kept (D > 2)
  } exact;
  struct View {
    int x = 1, y = 2;    // 1-based input coordinates on the data view's axes; weights w_x, w_y
    bool bias = false;   // weight view: (w_x, b) instead of (w_x, w_y)
  } view;

  // 10 iterations a second: the default gradient fit gains 99 % of its ELBO in about 56
  // iterations, five to six seconds to watch q move (at 30 it was over in two).
  LogregScenario() { speed = 10.0; }
  std::vector<std::string> crossChecks() const override;

 protected:
  void visitFields(FieldVisitor& v) override;
};

// A Gaussian over theta = (w_1..w_D, b): mean P, covariance P x P. `valid` is false before the
// method has produced one.
struct LogregGaussian {
  bool valid = false;
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
};

// A density on a regular 2-D grid: values y.size() x x.size(), row-major (row i is y[i]).
struct LogregGrid {
  std::vector<double> x, y;
  std::vector<double> values;
};

// A line a u + c v + d = 0 in the data view's coordinates (u = x_{view.x}, v = x_{view.y});
// the other inputs sit at their data means. Degenerate (a = c = 0) when no line exists.
struct LogregLine {
  double a = 0.0, c = 0.0, d = 0.0;
};

// One estimator's single-sample gradients of E_q[log p(y | X, theta)] at the current q.
struct LogregEstimatorStats {
  std::string name;       // "reparam", "score", "score + LOO baseline", "score + optimal CV"
  double variance = 0.0;  // summed over the mean parameters m_1..m_P: tr Cov(single-sample grad)
  double viewVariance = 0.0;  // of the view's first weight's mean, d/dm_{view.x}
  double viewMean = 0.0;      // sample mean of the same (all four agree within noise)
  // Histogram of the same single-sample gradients: edges (bins + 1, shared by all estimators
  // of a snapshot), counts (bins).
  std::vector<double> edges;
  std::vector<double> counts;
};

struct LogregSnapshot : Snapshot {
  using Method = LogregScenario::Method;
  using Family = LogregScenario::Family;
  using Estimator = LogregScenario::Estimator;
  using Baseline = LogregScenario::Baseline;
  using Predictive = LogregScenario::Predictive;

  Method method = Method::Gradient;  // whose q the data view and "q" show
  Family family = Family::MeanField;
  Estimator estimator = Estimator::Reparam;
  Baseline baseline = Baseline::Loo;
  Predictive predictive = Predictive::Probit;
  int samples = 1;
  bool flatBias = false;

  // Data: inputs N x D (the data's units), labels 0/1, class names (legend: class 0, class 1),
  // input names (D: "x₁", ... or the CSV's header names), where they came from.
  std::shared_ptr<const Eigen::MatrixXd> inputs;
  std::shared_ptr<const std::vector<int>> labels;
  std::array<std::string, 2> classNames{"0", "1"};
  std::vector<std::string> inputNames;
  std::string dataSource;  // "generated" or the CSV path
  bool edited = false;     // points were added or removed by clicks
  int n = 0, d = 0, p = 0;  // points, inputs, parameters (p = d + 1)

  // Axes of the views: 0-based input coordinates of the data view, 0-based parameters of the
  // weight view (weightY = d when it shows b), and their names ("w₁", "b").
  int viewX = 0, viewY = 1;
  int weightX = 0, weightY = 1;
  std::string weightXName, weightYName;

  // Data view: p(y = 1 | x*, data) under the current method's q on a 64 x 64 grid over the
  // points' box in (x_{viewX}, x_{viewY}) with a 10% margin (probabilities in [0, 1]); other
  // inputs at their means. Probit: sigma(kappa(s^2) mu_a), PRML eq. 4.155; Monte Carlo: the
  // average of sigma(theta^T phi) over 256 draws from q. Contour it at 0.5 for q's boundary.
  LogregGrid predictiveGrid;
  LogregLine mapBoundary;                 // theta_MAP^T phi = 0 (the plug-in classifier)
  std::vector<LogregLine> sampledBoundaries;  // theta_s^T phi = 0 for 8 draws theta_s ~ q

  // Weight view: the exact posterior's marginal density over (weightX, weightY) on a grid,
  // integrating to 1 over the plane. P <= 3: the quadrature grid's own nodes (exact.grid per
  // axis, the MAP +- 7 Laplace sds or wider); P > 3: a Gaussian kernel density estimate of the
  // HMC samples (Scott's bandwidth) on 48 x 48 nodes over their mean +- 4 sd. hmcSamples: up to
  // 400 of the HMC samples in the plane (M x 2), null with quadrature.
  bool exactByQuadrature = true;
  LogregGrid exactDensity;
  std::shared_ptr<const Eigen::MatrixXd> hmcSamples;
  double hmcAcceptance = std::numeric_limits<double>::quiet_NaN();
  // Full-dimensional Gaussians over theta (take the (weightX, weightY) 2 x 2 block to draw).
  LogregGaussian exact;      // the exact posterior's mean and covariance
  LogregGaussian q;          // the current method's q (= one of the three below)
  LogregGaussian gradientQ;  // gradient VI's q
  LogregGaussian jj;         // the Jaakkola-Jordan q(theta) = N(m_N, S_N)
  LogregGaussian laplace;    // N(theta_MAP, H^-1), from the converged Newton solve
  Eigen::VectorXd map;       // theta_MAP (P), converged
  Eigen::VectorXd laplaceIterate;  // the Laplace method's current Newton iterate (P)
  bool mapConverged = true;  // false: Newton hit its limit (the MAP runs off: separable data and
                             // no proper prior in the separating direction)

  // Numbers (nats, whole data set, not per point). log_evidence: ln p(y | X) by quadrature
  // (relative to the flat measure on b when its prior is flat), NaN when P > 3.
  double logEvidence = std::numeric_limits<double>::quiet_NaN();
  double laplaceLogEvidence = std::numeric_limits<double>::quiet_NaN();  // PRML eq. 4.137
  double elbo = 0.0;          // of the current method's q (Gauss-Hermite, exact to ~1e-10)
  double elboEstimate = std::numeric_limits<double>::quiet_NaN();  // gradient VI's MC value
  double jjBound = std::numeric_limits<double>::quiet_NaN();       // PRML eq. 10.164, NaN before JJ ran
  double klToExact = std::numeric_limits<double>::quiet_NaN();     // log_evidence - elbo
  // Fit on the data: accuracy (fraction, threshold 1/2) and mean log loss (nats per point) of
  // the current q's probit predictive (whatever `predictive` says; the trace uses the same) and
  // of the MAP plug-in sigma(theta_MAP^T phi).
  double accuracy = 0.0, logLoss = 0.0;
  double mapAccuracy = 0.0, mapLogLoss = 0.0;

  // Per method, to overlay in one plot (each with its own iteration count):
  //   gradient: iteration, elbo (exact, of q after the step), elbo_estimate (the step's MC
  //             estimate at q before the update);
  //   jj:       iteration, elbo (of q(xi) from this step's xi), jj_bound (L(xi), eq. 10.164);
  //   laplace:  iteration, elbo (of N(theta_k, H_k^-1) at the Newton iterate), log_joint.
  // The main trace (Snapshot::trace, the CSV): iteration, elbo, elbo_estimate, method (0
  // gradient, 1 jj, 2 laplace), accuracy, log_loss, log_evidence, jj_bound.
  TraceView gradientTrace, jjTrace, laplaceTrace;
  struct Progress {
    std::int64_t iterations = 0;
    double elbo = std::numeric_limits<double>::quiet_NaN();
  };
  Progress gradientProgress, jjProgress, laplaceProgress;

  // Estimators at the current method's q (256 probe draws, the same for all four, fixed per
  // iteration; gradient VI's family, full-rank for JJ and Laplace): reparam, score, score + LOO
  // baseline, score + optimal scalar control variate, the baselines from the other 255 draws.
  // Variances are of one draw's contribution to d E_q[ln p(y|X,theta)] / d m (divide by S for
  // an S-sample step). Plot them on a log scale: score is typically 100-1000x the others.
  std::array<LogregEstimatorStats, 4> estimators;
};

// A Gaussian from a mean and covariance; valid when both are finite.
LogregGaussian gaussianOf(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov);

class LogregModel final : public Model {
 public:
  LogregModel();

  const ModelInfo& info() const override;
  std::unique_ptr<Scenario> defaultScenario() const override;
  Status reset(const Scenario& scenario) override;
  Status apply(const Scenario& scenario) override;
  // Without names: the last column is the label.
  Status setData(const Eigen::MatrixXd& data, const std::string& source) override;
  // The label column by name (label, class, y, target) else the last; exactly two distinct
  // values, mapped to 0 (smaller) and 1 and named as written; 2 to kMaxInputs input columns.
  Status setDataTable(const CsvData& table) override;
  bool takesLabels() const override { return true; }  // its label column: by name, else the last
  std::vector<std::string> dataDecidedFields() const override;
  void adaptScenario(Scenario& scenario) const override;
  void step() override;
  std::int64_t iteration() const override { return m_iteration; }
  Status health() const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  TraceLog& trace() override { return m_trace; }
  std::unique_ptr<Model> clone() const override { return std::make_unique<LogregModel>(*this); }

  // Clicks in the data view: (u, v) in the view's coordinates (other inputs at their means);
  // label 0 or 1. Every method continues from its state on the changed data; the exact
  // posterior is recomputed. Errors: a label other than 0/1, removing the last points of a class.
  Status addPoint(double u, double v, int label);
  Status removeNearestPoint(double u, double v);

  static constexpr int kMaxInputs = 50;

  // Read access for tests and the benchmark.
  const LogregData& data() const { return m_data; }
  const LogregPosterior& exactPosterior() const { return m_exact; }
  const LaplaceFit& laplaceFit() const { return m_laplace; }
  const JaakkolaJordan& jjState() const { return m_jj; }
  const GaussianFamily& gradientFamily() const { return m_q; }
  const LogregLikelihood& likelihood() const { return m_likelihood; }
  const LogregPrior& prior() const { return m_prior; }
  // ELBO (exact, Gauss-Hermite) of each method's current q.
  double gradientElbo() const { return m_gradientElbo; }
  double jjElbo() const { return m_jjElbo; }

 private:
  bool sameDataSource(const LogregScenario& s) const;
  void useData(LogregData data);  // likelihood, exact posterior, method states follow the data
  void refreshFit();              // prior or data changed: Laplace, exact posterior, JJ, Newton
  void startMethods();
  void gradientStep();
  void jjStep();
  void laplaceStep();
  void recordMain();
  LogregGaussian currentGaussian() const;
  double currentElbo() const;
  LogregSnapshot* buildSnapshot() const;
  // The current method's update with its numbers (equations.cpp).
  void fillEquations(LogregSnapshot& snap) const;

  LogregScenario m_scenario;
  LogregData m_data;
  std::shared_ptr<const LogregData> m_userData;
  std::array<double, 9> m_dataKey{};  // the generated data's settings and seed (NaN: user data)
  bool m_edited = false;
  std::shared_ptr<const Eigen::MatrixXd> m_inputs;
  std::shared_ptr<const std::vector<int>> m_labels;
  Eigen::VectorXd m_inputMeans;
  LogregLikelihood m_likelihood;
  LogregPrior m_prior;

  // Exact posterior and Laplace (the converged fit that also places the quadrature grid).
  LogregPosterior m_exact;
  LaplaceFit m_laplace;
  int m_exactGrid = 0, m_exactHmc = 0;

  // Gradient VI
  GaussianFamily m_q;
  Adam<double> m_adam;
  Random m_rng;
  double m_gradientElbo = std::numeric_limits<double>::quiet_NaN();
  double m_elboEstimate = std::numeric_limits<double>::quiet_NaN();
  std::int64_t m_gradientIterations = 0;
  TraceLog m_gradientTrace;
  // The last gradient step's numbers for w₁'s mean m₁ (parameter 0), for the live equations:
  // the first min(S, 3) per-sample terms of its Monte Carlo gradient, their mean over all S, the
  // prior's closed-form part, and the gradient; m_probe follows m₁ through Adam.
  struct GradientSamples {
    int samples = 0;
    std::array<double, 3> terms{};
    double termMean = 0.0, priorGradient = 0.0, gradient = 0.0;
  } m_lastGradient;
  AdamProbe<double> m_probe;

  // Jaakkola-Jordan
  JaakkolaJordan m_jj;
  double m_jjElbo = std::numeric_limits<double>::quiet_NaN();
  std::int64_t m_jjIterations = 0;
  TraceLog m_jjTrace;

  // Laplace method: visible Newton iterations from theta = 0.
  NewtonIterate m_newton;
  double m_newtonElbo = std::numeric_limits<double>::quiet_NaN();
  std::int64_t m_newtonIterations = 0;
  TraceLog m_laplaceTrace;

  std::int64_t m_iteration = 0;
  TraceLog m_trace;

  std::uint64_t m_version = 0;
  // The exact posterior's view (its marginal or KDE in the weight plane), kept until the exact
  // posterior or the plane change.
  std::uint64_t m_exactVersion = 0;
  mutable std::array<std::uint64_t, 3> m_exactViewKey{~std::uint64_t(0), 0, 0};
  mutable LogregGrid m_exactView;
  mutable std::shared_ptr<const Eigen::MatrixXd> m_exactSamplesView;
  mutable std::uint64_t m_snapshotVersion = ~std::uint64_t(0);
  mutable std::shared_ptr<const Snapshot> m_snapshot;
};

}  // namespace vilab
