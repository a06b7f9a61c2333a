#pragma once
// The univariate-Gaussian lab: x_n ~ N(mu, 1/tau) with a Normal-Gamma prior, approximated by
// mean-field q(mu) q(tau) fitted by CAVI or by gradient VI with Monte Carlo gradients.

#include <array>
#include <memory>
#include <vector>

#include "core/math/random.hpp"
#include "core/model.hpp"
#include "core/models/gaussian_equations.hpp"
#include "core/models/normal_gamma.hpp"
#include "core/optim/adam.hpp"

namespace vilab {

struct GaussianScenario : ScenarioOf<GaussianScenario> {
  static constexpr std::string_view kModelName = "gaussian";
  enum class Algorithm { Cavi, Gradient };
  enum class Estimator { Reparam, Score };
  enum class Optimizer { Adam, Sgd };

  struct Data {
    int n = 20;
    double mu = 1.0;
    double sigma = 1.5;
  } data;
  NormalGammaPrior prior;
  Algorithm algorithm = Algorithm::Cavi;
  bool halfsteps = true;
  Estimator estimator = Estimator::Reparam;
  bool baseline = true;
  int samples = 10;
  Optimizer optimizer = Optimizer::Adam;
  double lr = 0.05;
  // Where q starts (Bishop PRML Figure 10.4 starts q away from the posterior, so that coordinate
  // ascent's zig-zag shows): E_q[mu] and E_q[tau] at iteration 0. q(tau) starts with the shape
  // CAVI gives it (a_N = a0 + (N+1)/2, PRML 10.29) and q(mu) with the precision the q(mu) update
  // would give at this E[tau] ((kappa0 + N) E[tau], PRML 10.27), so q starts as a compact blob.
  struct Start {
    double mu = -1.0;
    double tau = 0.15;
  } q0;

  // 1.5 iterations per second: CAVI in half steps shows one factor's update at a time, slowly
  // enough for a class to follow the first moves.
  GaussianScenario() { speed = 1.5; }

 protected:
  void visitFields(FieldVisitor& v) override;
};

struct GaussianSnapshot : Snapshot {
  using Algorithm = GaussianScenario::Algorithm;
  using Estimator = GaussianScenario::Estimator;

  std::shared_ptr<const std::vector<double>> data;
  std::string dataSource;  // "generated" or the CSV path
  GaussianStats stats;
  NormalGammaPrior prior;
  NormalGamma posterior;
  MeanFieldQ q;
  MaximumLikelihood ml;
  double logEvidence = 0.0, elbo = 0.0, kl = 0.0;
  double elboMc = 0.0;  // last Monte Carlo ELBO estimate (S samples at the current q)
  Algorithm algorithm = Algorithm::Cavi;
  Estimator estimator = Estimator::Reparam;
  bool halfsteps = false;
  bool nextUpdatesMu = true;  // half-step mode: which factor the next step updates
  int samples = 1;
  // The path of q's means (m, E[tau]) over the last kPathLength iterations, oldest first.
  static constexpr std::size_t kPathLength = 400;
  std::vector<double> pathMu, pathTau;

  // Views: densities (not logs) on grids. Joint grids are row-major, tau rows by mu columns.
  std::vector<double> muGrid, tauGrid;
  std::vector<double> exactJoint, qJoint;
  std::vector<double> exactMu, qMu, exactTau, qTau;
  std::vector<double> xGrid, exactPredictive, qPredictive;

  // Variance of single-sample gradients at the current q, per parameter (m, log s, log a,
  // log b): reparameterization, score function, and score function with the leave-one-out
  // baseline. The comparison the lectures make.
  static constexpr std::array<const char*, 4> kParamNames{"m", "log s", "log a", "log b"};
  std::array<double, 4> reparamVariance{}, scoreVariance{}, baselineVariance{};
};

class GaussianModel final : public Model {
 public:
  GaussianModel();

  const ModelInfo& info() const override;
  std::unique_ptr<Scenario> defaultScenario() const override;
  Status reset(const Scenario& scenario) override;
  Status apply(const Scenario& scenario) override;
  Status setData(const Eigen::MatrixXd& data, const std::string& source) override;
  // With user data: the generator's fields (the file decides N, the dimension and the values).
  std::vector<std::string> dataDecidedFields() const override;
  void step() override;
  std::int64_t iteration() const override { return m_iteration; }
  Status health() const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  TraceLog& trace() override { return m_trace; }
  std::unique_ptr<Model> clone() const override { return std::make_unique<GaussianModel>(*this); }

  const MeanFieldQ& q() const { return m_q; }
  const GaussianStats& stats() const { return m_stats; }

  // One gradient estimate of the ELBO with respect to theta = (m, log s, log a, log b), averaged
  // over the scenario's samples, drawn from rng; also returns the Monte Carlo ELBO estimate.
  // Exposed for the estimator tests.
  struct GradientEstimate {
    Eigen::Vector4d gradient;
    double elbo;
  };
  static GradientEstimate estimateGradient(const MeanFieldQ& q, const GaussianScenario& s,
                                           const GaussianStats& stats, Random& rng);
  // The same, also recording the first sample into `first` when given.
  static GradientEstimate estimateGradient(const MeanFieldQ& q, const GaussianScenario& s,
                                           const GaussianStats& stats, Random& rng,
                                           GaussianGradientRecord* first);

 private:
  void regenerateData();
  void refreshPosterior();
  void caviStep();
  void gradientStep();
  void rememberPath();

  GaussianScenario m_scenario;
  std::shared_ptr<const std::vector<double>> m_data;
  std::shared_ptr<const std::vector<double>> m_userData;
  std::string m_userSource;
  GaussianStats m_stats;
  NormalGamma m_posterior;
  double m_logEvidence = 0.0;
  MeanFieldQ m_q;
  double m_elbo = 0.0, m_kl = 0.0, m_elboMc = 0.0;
  std::int64_t m_iteration = 0;
  bool m_nextUpdatesMu = true;
  std::vector<double> m_pathMu, m_pathTau;  // ring of the last kPathLength means of q
  std::size_t m_pathNext = 0;
  Random m_rng;
  Adam<double> m_adam;
  GaussianGradientRecord m_lastGradient;  // the last gradient step, for its live equations
  TraceLog m_trace;
};

}  // namespace vilab
