// What the targets lab's views draw: the snapshot, built from the model's state on request
// (at the publish rate, never per iteration).

#include <cmath>

#include "core/diagnostics/ess.hpp"
#include "core/mcmc/chain.hpp"
#include "core/models/targets/constrained.hpp"
#include "core/models/targets/model.hpp"
#include "core/models/targets/reference.hpp"
#include "core/vi/family.hpp"
#include "core/vi/objectives.hpp"

namespace vilab {

namespace {

constexpr int kViewSamples = 400;  // q's draws on the target view
constexpr int kVarianceRepeats = 128;  // gradient estimates per estimator for its variance
// The bars are measured on one snapshot in this many (about 15 times a second at the runner's 60
// snapshots): the 4 x 128 gradient estimates cost more than the rest of a snapshot, and bars from
// 128 repeats move more from their own noise than from q's change over a few snapshots.
constexpr int kVarianceEvery = 4;

// q's density on the uniform grid of `like` (its x and y nodes), as exp(ln q).
TargetsGrid densityLike(const Family& q, const TargetsGrid& like, bool constrained) {
  TargetsGrid out;
  out.x = like.x;
  out.y = like.y;
  const Eigen::Index nx = static_cast<Eigen::Index>(like.x.size()), ny = static_cast<Eigen::Index>(like.y.size());
  Eigen::MatrixXd points(nx * ny, 2);
  for (Eigen::Index j = 0; j < ny; ++j)
    for (Eigen::Index i = 0; i < nx; ++i) points.row(j * nx + i) << like.x[i], like.y[j];
  Eigen::VectorXd logq;
  if (constrained) {
    // q seen in (lambda, theta): ln q_x(x) = ln q_z(z(x)) - ln |det dx/dz|.
    Eigen::MatrixXd z;
    toUnconstrained(points, z);
    q.logDensity(z, logq);
    toConstrainedLogDensity(z, logq);
  } else {
    q.logDensity(points, logq);
  }
  out.values.resize(static_cast<std::size_t>(logq.size()));
  for (Eigen::Index k = 0; k < logq.size(); ++k) out.values[static_cast<std::size_t>(k)] = std::exp(logq[k]);
  return out;
}

}  // namespace

std::shared_ptr<const Snapshot> TargetsModel::snapshot() const {
  if (m_snapshotVersion != m_version || !m_snapshot) {
    TargetsSnapshot* snap = buildSnapshot();
    fillEquations(*snap);
    m_snapshot.reset(snap);
    m_snapshotVersion = m_version;
  }
  return m_snapshot;
}

TargetsSnapshot* TargetsModel::buildSnapshot() const {
  auto* s = new TargetsSnapshot;
  s->model = "targets";
  s->iteration = m_iteration;
  s->trace = m_trace.view();
  s->target = m_scenario.target;
  s->family = m_scenario.family;
  s->objective = m_scenario.objective;
  s->targetName = m_target->name();
  s->familyName = m_family->name();
  // What the trace's "objective" column holds (forward KL maximizes E_p[ln q] = −KL(p‖q) − H[p]).
  static const char* const objectiveNames[] = {"ELBO", "E_p[ln q]", "Rényi bound", "IWAE bound"};
  s->objectiveName = objectiveNames[static_cast<int>(m_scenario.objective)];
  s->bumps = m_scenario.targetSpec().bumps;
  s->box = m_target->box();
  s->p = m_pView;
  s->constrained = m_target->constrained();
  s->exactMarginals = m_exactMarginals;
  s->logZ = m_reference->logZ;
  s->elbo = m_elbo;
  s->objectiveValue = m_objectiveValue;
  s->klQp = m_klQp;
  s->klPq = m_klPq;
  s->psisK = m_psisK;
  s->varianceRatio = m_varianceRatio;
  s->exactMoments.mean = m_reference->mean;
  s->exactMoments.cov = m_reference->cov;
  s->qMoments = m_qMoments;
  s->qClosedForm = m_qClosedForm;
  s->referenceMs = m_referenceMs;
  s->qGridMass = m_qGridMass;
  if (m_qGridMass < 0.999)
    s->notes.push_back("q reaches beyond the quadrature grid (" + formatReal(std::round(1000 * (1 - m_qGridMass)) / 10) +
                       " % of its mass): KL(q‖p) and the ELBO by Monte Carlo from " + std::to_string(m_scenario.psisSamples) + " draws");
  const Eigen::VectorXd& lambda = m_family->parameters();
  s->parameters.assign(lambda.data(), lambda.data() + lambda.size());
  s->parameterLayout = m_family->parameterLayout();
  if (!lambda.allFinite()) return s;

  s->qDensity = densityLike(*m_family, *m_pView, false);

  Random rng(viewSeed(m_scenario.seed, m_iteration));
  FamilyDraws draws;
  m_family->sample(rng, kViewSamples, Sampling::Ancestral, draws);
  s->qSamples = draws.z;
  s->qMarginalX.assign(m_qMarginals[0].data(), m_qMarginals[0].data() + m_qMarginals[0].size());
  s->qMarginalY.assign(m_qMarginals[1].data(), m_qMarginals[1].data() + m_qMarginals[1].size());

  if (s->constrained) {
    s->constrainedBox = m_reference->constrainedView.box;
    s->pConstrained = m_pConstrainedView;
    s->qConstrained = densityLike(*m_family, *m_pConstrainedView, true);
    toConstrained(draws.z, s->qSamplesConstrained);
  }

  if (m_chain) s->mcmcName = m_scenario.mcmc == TargetsScenario::Mcmc::Hmc ? "HMC" : "random-walk Metropolis";
  if (m_chain && m_chain->keptCount() > 0) {
    auto samples = std::make_shared<const Eigen::MatrixXd>(m_chain->samples());  // copied: the chain moves on
    s->mcmcAcceptance = m_chain->acceptanceRate();
    s->mcmcStepSize = m_chain->stepSize();
    s->mcmcIterations = m_chain->postWarmupIterations();
    const Eigen::VectorXd ess = m_chain->effectiveSampleSizes();
    for (int j = 0; j < 2; ++j) s->mcmcEss[j] = ess[j];
    if (m_chain->keptCount() >= 2) {
      Eigen::VectorXd mean;
      Eigen::MatrixXd cov;
      m_chain->keptMoments(mean, cov);
      s->mcmcMoments.mean = mean;
      s->mcmcMoments.cov = cov;
    }
    if (s->constrained) toConstrained(*samples, s->mcmcSamplesConstrained);
    s->mcmcSamples = std::move(samples);
  }

  // Gradient variance per estimator at the current q (the ELBO's gradient; all parameters).
  if (m_scenario.objective == TargetsScenario::Objective::KlQp && !m_varianceBars.empty() &&
      ++m_varianceAge < kVarianceEvery) {
    s->estimators = m_varianceBars;
  } else if (m_scenario.objective == TargetsScenario::Objective::KlQp) {
    const Target* target = m_target.get();
    const BatchLogDensity logp = [target](const Eigen::MatrixXd& z, Eigen::VectorXd& v, Eigen::MatrixXd* g) {
      target->logDensity(z, v, g);
    };
    struct Option {
      const char* name;
      GradientEstimator estimator;
      ScoreBaseline baseline;
    };
    std::vector<Option> options{{"reparam", GradientEstimator::Reparam, ScoreBaseline::None}};
    if (m_family->hasScores()) {
      options.push_back({"score", GradientEstimator::Score, ScoreBaseline::None});
      if (m_scenario.samples >= 2) {
        options.push_back({"score + LOO", GradientEstimator::Score, ScoreBaseline::Loo});
        options.push_back({"score + optimal CV", GradientEstimator::Score, ScoreBaseline::Optimal});
      }
    }
    ObjectiveEstimator estimator;
    for (const Option& o : options) {
      ObjectiveSettings settings;
      settings.objective = Objective::KlQp;
      settings.estimator = o.estimator;
      settings.baseline = o.baseline;
      settings.samples = m_scenario.samples;
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(lambda.size()), sumSq = sum;
      for (int r = 0; r < kVarianceRepeats; ++r) {
        const Eigen::VectorXd& g = estimator.step(*m_family, logp, settings, rng, nullptr).gradient;
        sum += g;
        sumSq += g.cwiseProduct(g);
      }
      const double n = kVarianceRepeats;
      const double variance = ((sumSq - sum.cwiseProduct(sum) / n) / (n - 1)).sum();
      s->estimators.push_back({o.name, variance});
    }
    m_varianceBars = s->estimators;
    m_varianceAge = 0;
  }
  return s;
}

}  // namespace vilab
