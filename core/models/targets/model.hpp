#pragma once
// The families-and-divergences lab ("targets"): a variational family q (mean-field, full-rank,
// mixture, planar or coupling flow) fitted to a 2-D target density by reverse KL (the ELBO),
// forward KL, the Renyi-alpha bound or the IWAE bound, with the exact answer from grid
// quadrature, an MCMC chain on the same target, and the PSIS k-hat diagnostic.
// The worker steps the optimizer; the reference is recomputed only when the target changes.

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/math/random.hpp"
#include "core/model.hpp"
#include "core/models/targets/target.hpp"
#include "core/optim/adam.hpp"
#include "core/optim/adam_probe.hpp"

namespace vilab {

class Family;
class McmcChain;
class ObjectiveEstimator;
struct TargetReference;
struct WeightedPoints;

struct TargetsScenario : ScenarioOf<TargetsScenario> {
  static constexpr std::string_view kModelName = "targets";
  enum class TargetKind { Gaussian, Banana, Mixture, Ring, Funnel, Constrained, Custom };
  enum class FamilyKind { MeanField, FullRank, Mixture, Planar, Coupling };
  enum class Objective { KlQp, KlPq, Renyi, Iwae };
  enum class ForwardGradient { Grid, Snis };
  enum class Estimator { Reparam, Score };
  enum class Baseline { None, Loo, Optimal };
  enum class Optimizer { Adam, Sgd };
  enum class Mcmc { Off, Hmc, Rwm };

  TargetKind target = TargetKind::Gaussian;
  TargetSpec spec;          // the target's parameters (kind is taken from `target`)
  std::string bumps = "-1.5,0,0.7,1; 1.5,0.5,0.9,1";  // custom target: "x,y,sd,w; ..."
  FamilyKind family = FamilyKind::MeanField;
  int components = 3;       // mixture family K
  int layers = 8;           // flows L
  struct Init {
    double x = 0.0, y = 0.0, sd = 1.0;  // q's initial mean and sd per axis
  } init;
  Objective objective = Objective::KlQp;
  ForwardGradient forward = ForwardGradient::Grid;  // KL(p||q) gradient: exact grid or SNIS
  double alpha = 0.5;       // Renyi alpha
  int iwaeK = 10;           // IWAE draws per bound
  Estimator estimator = Estimator::Reparam;
  Baseline baseline = Baseline::Loo;
  int samples = 32;         // S per gradient step
  Optimizer optimizer = Optimizer::Adam;
  double lr = 0.02;
  Mcmc mcmc = Mcmc::Hmc;
  struct McmcSettings {
    double step = 0.2;      // HMC initial step size / RWM initial proposal sd
    int leapfrog = 10;      // HMC leapfrog steps
    int perStep = 4;        // chain iterations per optimizer iteration
    int warmup = 200;       // iterations adapting the step size / scale
  } chain;
  int psisSamples = 1000;   // draws from q for k-hat and the variance ratios

  TargetsScenario() { speed = 30.0; }
  std::vector<std::string> crossChecks() const override;
  // Another target's parameters, the other families' sizes, other objectives' settings, the
  // chain's when it is off.
  std::vector<std::string> idleFields() const override;
  // The target's definition, bumps parsed (the text is checked by crossChecks).
  TargetSpec targetSpec() const;

 protected:
  void visitFields(FieldVisitor& v) override;
};

// A density on a uniform grid: values[j * nx + i] at (x[i], y[j]).
struct TargetsGrid {
  std::vector<double> x, y;
  std::vector<double> values;
};

struct TargetsGaussian {
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  Eigen::Matrix2d cov = Eigen::Matrix2d::Identity();
};

struct TargetsEstimatorStats {
  std::string name;       // "reparam", "score", "score + LOO", "score + optimal CV"
  double variance = std::numeric_limits<double>::quiet_NaN();  // tr Cov of one draw's gradient
                                                                // over q's mean parameters
};

struct TargetsSnapshot : Snapshot {
  using TargetKind = TargetsScenario::TargetKind;
  using FamilyKind = TargetsScenario::FamilyKind;
  using Objective = TargetsScenario::Objective;

  TargetKind target = TargetKind::Gaussian;
  FamilyKind family = FamilyKind::MeanField;
  Objective objective = Objective::KlQp;
  std::string targetName, familyName, objectiveName;  // for titles and legends
  std::vector<TargetBump> bumps;  // the custom target's bumps (for dragging)

  // Unconstrained space z (the space q lives in): box, p and q densities normalised on the view
  // grid (shared: the reference changes rarely).
  Eigen::Vector4d box = Eigen::Vector4d(-3, 3, -3, 3);
  std::shared_ptr<const TargetsGrid> p;  // exact density p(z) = p~(z) / Z
  TargetsGrid qDensity;                  // q(z)
  // The constrained target's own coordinates (lambda > 0, theta in (0, 1)); empty otherwise.
  bool constrained = false;
  Eigen::Vector4d constrainedBox = Eigen::Vector4d::Zero();
  std::shared_ptr<const TargetsGrid> pConstrained;
  TargetsGrid qConstrained;
  std::array<std::string, 2> axisNames{"z₁", "z₂"}, constrainedNames{"λ", "θ"};

  // Marginals at the reference's axis nodes: exact and q's.
  std::shared_ptr<const TargetsGrid> exactMarginals;  // x: axis-0 nodes, y: axis-1 nodes,
                                                      // values: p(z1) then p(z2)
  std::vector<double> qMarginalX, qMarginalY;        // at the same nodes

  Eigen::MatrixXd qSamples;                       // up to 400 x 2 draws from q
  Eigen::MatrixXd qSamplesConstrained;            // the same mapped (constrained target)
  std::shared_ptr<const Eigen::MatrixXd> mcmcSamples;  // kept chain samples (n x 2)
  Eigen::MatrixXd mcmcSamplesConstrained;

  // Numbers (nats). elbo = log Z - KL(q||p) by quadrature; objective = this step's estimate.
  double logZ = std::numeric_limits<double>::quiet_NaN();
  double elbo = std::numeric_limits<double>::quiet_NaN();
  double objectiveValue = std::numeric_limits<double>::quiet_NaN();
  double klQp = std::numeric_limits<double>::quiet_NaN();
  double klPq = std::numeric_limits<double>::quiet_NaN();
  double psisK = std::numeric_limits<double>::quiet_NaN();
  std::array<double, 2> varianceRatio{std::numeric_limits<double>::quiet_NaN(),
                                      std::numeric_limits<double>::quiet_NaN()};
  TargetsGaussian exactMoments, qMoments;  // (q's by quadrature where not closed-form)
  bool qClosedForm = true;
  double referenceMs = 0.0;  // time the last reference took (quadrature)
  double qGridMass = 1.0;    // q's mass on the quadrature grid (< 0.999: KL(q||p) by Monte Carlo)

  // MCMC summaries (NaN when off or before samples).
  std::string mcmcName;  // "HMC", "random-walk Metropolis", "" when off
  double mcmcAcceptance = std::numeric_limits<double>::quiet_NaN();
  double mcmcStepSize = std::numeric_limits<double>::quiet_NaN();
  std::array<double, 2> mcmcEss{std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::quiet_NaN()};
  std::int64_t mcmcIterations = 0;
  TargetsGaussian mcmcMoments;

  std::vector<TargetsEstimatorStats> estimators;  // at the current q (empty for flows: reparam only)

  // The flat parameters of q (for --params-out) with their meaning.
  std::vector<double> parameters;
  std::string parameterLayout;
};

class TargetsModel final : public Model {
 public:
  TargetsModel();
  TargetsModel(const TargetsModel& other);
  ~TargetsModel() override;

  const ModelInfo& info() const override;
  std::unique_ptr<Scenario> defaultScenario() const override;
  Status reset(const Scenario& scenario) override;
  // Target changes keep q and the trace but recompute the reference; a family change restarts
  // q; optimizer, objective, estimator and MCMC settings apply at the next step.
  Status apply(const Scenario& scenario) override;
  // The lab takes no data file: the targets are densities.
  Status setData(const Eigen::MatrixXd& data, const std::string& source) override;
  void step() override;
  std::int64_t iteration() const override { return m_iteration; }
  Status health() const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  TraceLog& trace() override { return m_trace; }
  std::unique_ptr<Model> clone() const override { return std::make_unique<TargetsModel>(*this); }

  // For tests and benchmarks.
  const Family& family() const { return *m_family; }
  const TargetReference& reference() const { return *m_reference; }
  const Target& target() const { return *m_target; }

 private:
  void useTarget();    // the target and its reference follow m_scenario
  void startFamily();  // fresh q, optimizer state
  void startChain();
  void evaluateExact();  // KL(q||p), KL(p||q), ELBO, k-hat and moments for the trace
  void record();
  TargetsSnapshot* buildSnapshot() const;
  // The objective's estimate and the update of q's first parameter, with the last step's numbers
  // (equations.cpp).
  void fillEquations(TargetsSnapshot& snap) const;

  TargetsScenario m_scenario;
  std::shared_ptr<const Target> m_target;  // immutable; shared with clones and the chain
  std::shared_ptr<const TargetReference> m_reference;
  std::shared_ptr<const TargetsGrid> m_pView, m_pConstrainedView, m_exactMarginals;
  std::shared_ptr<const WeightedPoints> m_forwardPoints;  // p on the grid, for KL(p||q)
  double m_referenceMs = 0.0;

  std::unique_ptr<Family> m_family;
  std::unique_ptr<ObjectiveEstimator> m_objective;
  Adam<double> m_adam;
  Random m_rng, m_diagnosticRng;
  double m_objectiveValue = std::numeric_limits<double>::quiet_NaN();
  // The last step's first draws for the live equations: count of draws (all blocks), the first
  // min(3, draws of block 0) z_s (rows), their ln w_s = ln p~(z_s) - ln q(z_s) and weights.
  struct StepSamples {
    int draws = 0, shown = 0;
    std::array<Eigen::Vector2d, 3> z{};
    std::array<double, 3> logWeight{}, weight{};
  } m_lastSamples;
  AdamProbe<double> m_probe;  // follows q's parameter 0 through the optimizer

  std::unique_ptr<McmcChain> m_chain;

  double m_elbo = std::numeric_limits<double>::quiet_NaN();
  double m_klQp = std::numeric_limits<double>::quiet_NaN();
  double m_klPq = std::numeric_limits<double>::quiet_NaN();
  double m_psisK = std::numeric_limits<double>::quiet_NaN();
  std::array<double, 2> m_varianceRatio{};
  TargetsGaussian m_qMoments;
  double m_qGridMass = 1.0;  // q's mass on the quadrature grid
  std::array<Eigen::VectorXd, 2> m_qMarginals;  // at the reference's axis nodes
  bool m_qClosedForm = true;

  std::int64_t m_iteration = 0;
  TraceLog m_trace;
  std::uint64_t m_version = 0;
  mutable std::uint64_t m_snapshotVersion = ~std::uint64_t(0);
  mutable std::shared_ptr<const Snapshot> m_snapshot;
  // The gradient-variance bars, measured on one snapshot in kVarianceEvery (views.cpp) and
  // shown by the others; cleared by reset and apply (the estimators or S may change).
  mutable std::vector<TargetsEstimatorStats> m_varianceBars;
  mutable int m_varianceAge = 0;
};

}  // namespace vilab
