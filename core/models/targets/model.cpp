#include "core/models/targets/model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/diagnostics/ess.hpp"
#include "core/diagnostics/psis.hpp"
#include "core/mcmc/chain.hpp"
#include "core/models/targets/bump_text.hpp"
#include "core/models/targets/densities.hpp"
#include "core/models/targets/reference.hpp"
#include "core/vi/coupling_flow.hpp"
#include "core/vi/gaussian_q.hpp"
#include "core/vi/planar_flow.hpp"
#include "core/vi/mixture_family.hpp"
#include "core/vi/objectives.hpp"

namespace vilab {

namespace {

using S = TargetsScenario;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// q's mass on the quadrature grid below which KL(q||p) and q's moments come from Monte Carlo.
constexpr double kGridMassForQuadrature = 0.999;

std::unique_ptr<Family> makeFamily(const S& s) {
  const Eigen::Vector2d mean(s.init.x, s.init.y);
  const double sd = s.init.sd;
  const std::uint64_t seed = s.seed * 0x9E3779B97F4A7C15ull + 11;
  switch (s.family) {
    case S::FamilyKind::MeanField:
      return std::make_unique<GaussianQ>(GaussianFamily::Kind::MeanField, mean, sd * sd * Eigen::Matrix2d::Identity());
    case S::FamilyKind::FullRank:
      return std::make_unique<GaussianQ>(GaussianFamily::Kind::FullRank, mean, sd * sd * Eigen::Matrix2d::Identity());
    case S::FamilyKind::Mixture:
      return std::make_unique<MixtureFamily>(s.components, mean, sd * sd * Eigen::Matrix2d::Identity(), seed);
    case S::FamilyKind::Planar:
      return std::make_unique<PlanarFlow>(2, s.layers, mean, Eigen::Vector2d::Constant(sd), seed);
    case S::FamilyKind::Coupling:
      return std::make_unique<CouplingFlow>(2, s.layers, mean, Eigen::Vector2d::Constant(sd), seed);
  }
  return nullptr;
}

ObjectiveSettings objectiveSettings(const S& s) {
  ObjectiveSettings o;
  o.objective = static_cast<Objective>(static_cast<int>(s.objective));
  o.alpha = s.alpha;
  o.iwaeK = s.iwaeK;
  o.estimator = s.estimator == S::Estimator::Reparam ? GradientEstimator::Reparam : GradientEstimator::Score;
  o.baseline = static_cast<ScoreBaseline>(static_cast<int>(s.baseline));
  o.samples = s.samples;
  o.forwardBySnis = s.forward == S::ForwardGradient::Snis;
  return o;
}

const char* const kObjectiveNames[] = {"ELBO (reverse KL)", "forward KL(p‖q)", "Rényi-α bound", "IWAE bound"};

}  // namespace

std::vector<std::string> TargetsScenario::crossChecks() const {
  std::vector<std::string> out;
  {  // checked whatever the target, so that a scenario file never carries bad bumps unnoticed
    std::vector<TargetBump> parsed;
    if (Status st = parseBumps(bumps, parsed); !st) out.push_back("target.bumps: " + st.message());
  }
  if (const auto family = makeFamily(*this)) {
    const std::string why = unsupportedReason(*family, objectiveSettings(*this));
    if (!why.empty()) out.push_back(why);
  }
  if (estimator == Estimator::Score && baseline != Baseline::None && samples < 2)
    out.push_back("baseline " + std::string(baseline == Baseline::Loo ? "loo" : "optimal") +
                  " needs samples ≥ 2 (it is estimated from the other draws)");
  if (objective == Objective::Iwae && static_cast<long long>(samples) * iwaeK > 65536)
    out.push_back("iwae: samples × iwae_k = " + std::to_string(static_cast<long long>(samples) * iwaeK) +
                  " draws per step exceeds 65536; lower one of them");
  return out;
}

TargetsModel::TargetsModel()
    : m_trace({"iteration", "elbo", "objective", "kl_qp", "kl_pq", "log_z", "psis_k", "var_ratio_1",
               "var_ratio_2", "mcmc_acceptance"}) {}

TargetsModel::~TargetsModel() = default;

// Every member by name (the family and the chain deep-copied): one left out leaves a clone that
// revert, the timeline and compare's B depend on incomplete; model_test compares a clone's
// snapshot and next steps with the original's.
TargetsModel::TargetsModel(const TargetsModel& o)
    : Model(o),
      m_scenario(o.m_scenario),
      m_target(o.m_target),
      m_reference(o.m_reference),
      m_pView(o.m_pView),
      m_pConstrainedView(o.m_pConstrainedView),
      m_exactMarginals(o.m_exactMarginals),
      m_forwardPoints(o.m_forwardPoints),
      m_referenceMs(o.m_referenceMs),
      m_family(o.m_family ? o.m_family->clone() : nullptr),
      m_objective(std::make_unique<ObjectiveEstimator>()),
      m_adam(o.m_adam),
      m_rng(o.m_rng),
      m_diagnosticRng(o.m_diagnosticRng),
      m_objectiveValue(o.m_objectiveValue),
      m_lastSamples(o.m_lastSamples),
      m_probe(o.m_probe),
      m_chain(o.m_chain ? std::make_unique<McmcChain>(*o.m_chain) : nullptr),
      m_elbo(o.m_elbo),
      m_klQp(o.m_klQp),
      m_klPq(o.m_klPq),
      m_psisK(o.m_psisK),
      m_varianceRatio(o.m_varianceRatio),
      m_qMoments(o.m_qMoments),
      m_qGridMass(o.m_qGridMass),
      m_qMarginals(o.m_qMarginals),
      m_qClosedForm(o.m_qClosedForm),
      m_iteration(o.m_iteration),
      m_trace(o.m_trace),
      m_version(o.m_version) {}

const ModelInfo& TargetsModel::info() const {
  static const ModelInfo i{"targets", "Families and divergences",
                           "Mean-field, full-rank, mixture and flow families fitted to 2-D targets by reverse "
                           "KL, forward KL, Rényi-α and IWAE, against quadrature, MCMC and the PSIS Pareto k."};
  return i;
}

std::unique_ptr<Scenario> TargetsModel::defaultScenario() const { return std::make_unique<TargetsScenario>(); }

Status TargetsModel::setData(const Eigen::MatrixXd& data, const std::string&) {
  if (data.size() == 0) return Status::ok();
  return Status::error("the targets lab takes no data file: its targets are densities (choose one with "
                       "`target`, or draw your own with target=custom)");
}

Status TargetsModel::reset(const Scenario& scenario) {
  m_scenario = dynamic_cast<const TargetsScenario&>(scenario);
  m_varianceBars.clear();
  useTarget();
  startFamily();
  startChain();
  m_iteration = 0;
  m_trace.clear();
  evaluateExact();
  ++m_version;
  return Status::ok();
}

Status TargetsModel::apply(const Scenario& scenario) {
  const auto& s = dynamic_cast<const TargetsScenario&>(scenario);
  if (!m_family) return reset(scenario);
  const TargetsScenario old = m_scenario;
  m_scenario = s;
  m_varianceBars.clear();
  const bool targetChanged = !sameFieldValues(
      old, s, {"family", "components", "layers", "init.x", "init.y", "init.sd", "objective", "forward", "alpha",
               "iwae_k", "estimator", "baseline", "samples", "optimizer", "lr", "mcmc", "mcmc.step",
               "mcmc.leapfrog", "mcmc.per_step", "mcmc.warmup", "psis.samples", "speed"});
  if (targetChanged) {
    useTarget();
    startChain();
  }
  const bool familyChanged = s.family != old.family || s.components != old.components || s.layers != old.layers ||
                             s.init.x != old.init.x || s.init.y != old.init.y || s.init.sd != old.init.sd;
  if (familyChanged)
    startFamily();
  else if (s.optimizer != old.optimizer) {
    m_adam.reset(m_family->parameterCount(), {.lr = s.lr});
    m_probe.reset(0, s.lr);
  }
  m_adam.setLearningRate(s.lr);
  m_probe.setLearningRate(s.lr);
  if (!targetChanged && (s.mcmc != old.mcmc || s.chain.step != old.chain.step ||
                         s.chain.leapfrog != old.chain.leapfrog || s.chain.warmup != old.chain.warmup))
    startChain();
  evaluateExact();
  ++m_version;
  return Status::ok();
}

namespace {

// A reference view (ln p normalized on a uniform grid) as the snapshot's density grid.
TargetsGrid gridOf(const DensityView& view) {
  TargetsGrid g;
  g.x.assign(view.x0.data(), view.x0.data() + view.x0.size());
  g.y.assign(view.x1.data(), view.x1.data() + view.x1.size());
  const Eigen::Index nx = view.x0.size(), ny = view.x1.size();
  g.values.resize(static_cast<std::size_t>(nx * ny));
  for (Eigen::Index j = 0; j < ny; ++j)
    for (Eigen::Index i = 0; i < nx; ++i) g.values[static_cast<std::size_t>(j * nx + i)] = std::exp(view.logDensity(j, i));
  return g;
}

}  // namespace

void TargetsModel::useTarget() {
  m_target = makeTarget(m_scenario.targetSpec());
  const auto start = std::chrono::steady_clock::now();
  auto reference = std::make_shared<TargetReference>(computeReference(*m_target));
  m_referenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  m_reference = reference;
  m_pView = std::make_shared<const TargetsGrid>(gridOf(reference->view));
  m_pConstrainedView = reference->constrained ? std::make_shared<const TargetsGrid>(gridOf(reference->constrainedView)) : nullptr;
  auto marginals = std::make_shared<TargetsGrid>();
  const auto& a0 = reference->axes[0].nodes;
  const auto& a1 = reference->axes[1].nodes;
  marginals->x.assign(a0.data(), a0.data() + a0.size());
  marginals->y.assign(a1.data(), a1.data() + a1.size());
  for (const Eigen::VectorXd& m : reference->marginal) marginals->values.insert(marginals->values.end(), m.data(), m.data() + m.size());
  m_exactMarginals = std::move(marginals);
  auto points = std::make_shared<WeightedPoints>();
  points->x = reference->points;
  points->w = reference->pointWeight;
  m_forwardPoints = std::move(points);
}

void TargetsModel::startFamily() {
  m_family = makeFamily(m_scenario);
  m_objective = std::make_unique<ObjectiveEstimator>();
  m_adam.reset(m_family->parameterCount(), {.lr = m_scenario.lr});
  m_probe.reset(0, m_scenario.lr);
  m_lastSamples = {};
  m_rng.reseed(m_scenario.seed ^ 0x5DEECE66Dull);
  m_diagnosticRng.reseed(m_scenario.seed * 0xBF58476D1CE4E5B9ull + 3);
  m_objectiveValue = kNaN;
}

void TargetsModel::startChain() {
  m_chain.reset();
  if (m_scenario.mcmc == S::Mcmc::Off) return;
  McmcSettings settings;
  settings.stepSize = m_scenario.chain.step;
  settings.proposalScale = m_scenario.chain.step;
  settings.leapfrogSteps = m_scenario.chain.leapfrog;
  settings.warmup = m_scenario.chain.warmup;
  LogDensityWithGradient logp = [target = m_target](const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
    Eigen::MatrixXd z = x.transpose(), g;
    Eigen::VectorXd v;
    target->logDensity(z, v, &g);
    gradient = g.row(0).transpose();
    return v[0];
  };
  m_chain = std::make_unique<McmcChain>();
  // The chain starts at the exact mean, or at the target's mode region when ln p is not finite
  // there (a ring's hole is fine; a start that fails leaves the chain off and says so).
  const McmcKind kind = m_scenario.mcmc == S::Mcmc::Hmc ? McmcKind::Hmc : McmcKind::Rwm;
  if (!m_chain->reset(kind, std::move(logp), m_reference->mean, m_scenario.seed * 0x2545F4914F6CDD1Dull + 5, settings))
    m_chain.reset();
}

void TargetsModel::step() {
  const Target* target = m_target.get();
  const BatchLogDensity logp = [target](const Eigen::MatrixXd& z, Eigen::VectorXd& values, Eigen::MatrixXd* grads) {
    target->logDensity(z, values, grads);
  };
  const ObjectiveStep& st = m_objective->step(*m_family, logp, objectiveSettings(m_scenario), m_rng,
                                              m_forwardPoints.get());
  m_objectiveValue = st.value;
  Eigen::VectorXd lambda = m_family->parameters();
  const double before = lambda[0];
  const bool adam = m_scenario.optimizer == S::Optimizer::Adam;
  if (adam)
    m_adam.ascend(lambda, st.gradient);
  else
    lambda += m_scenario.lr * st.gradient;
  m_family->setParameters(lambda);
  // The first draws and the followed parameter, for the live equations (a few copies).
  const FamilyDraws& first = m_objective->draws(0);
  m_lastSamples.draws = static_cast<int>(m_objective->logWeights().size());
  m_lastSamples.shown = static_cast<int>(std::min<Eigen::Index>(3, first.z.rows()));
  for (int r = 0; r < m_lastSamples.shown; ++r) {
    m_lastSamples.z[r] = first.z.row(r).transpose().head<2>();
    m_lastSamples.logWeight[r] = m_objective->logWeights()[r];
    m_lastSamples.weight[r] = first.weight.size() > Eigen::Index(r) ? first.weight[r] : 1.0 / double(first.z.rows());
  }
  m_probe.record(before, st.gradient[0], lambda[0], adam);
  if (m_chain) m_chain->advance(m_scenario.chain.perStep);
  ++m_iteration;
  // The exact numbers integrate ln q over the 65,536-node quadrature grid (about a millisecond;
  // several for flows, which invert every layer), so a run records them, with its trace row, at
  // each of the first 100 iterations and at every 10th after.
  if (m_iteration <= 100 || m_iteration % 10 == 0) {
    evaluateExact();
    record();
  }
  ++m_version;
}

void TargetsModel::evaluateExact() {
  const TargetReference& ref = *m_reference;
  if (!m_family->parameters().allFinite()) {
    m_klQp = m_klPq = m_elbo = m_psisK = kNaN;
    return;
  }
  // Fresh draws of q for k-hat (the optimizer's own S are too few for a Pareto tail fit), and for
  // KL(q||p) and q's moments when q reaches beyond the grid, which is sized for p.
  FamilyDraws draws;
  m_family->sample(m_diagnosticRng, m_scenario.psisSamples, Sampling::Ancestral, draws);
  Eigen::VectorXd logp;
  m_target->logDensity(draws.z, logp, nullptr);
  const Eigen::VectorXd logRatio = logp - draws.logq;
  m_psisK = paretoSmoothedImportanceSampling(logRatio).khat;

  Eigen::VectorXd logq;
  m_family->logDensity(ref.nodes, logq);
  const GridIntegrals q = integrateOnGrid(ref, logq);
  m_qGridMass = std::exp(q.logMass);
  m_qMarginals = q.marginal;
  m_klPq = klPQ(ref, logq);
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  m_qClosedForm = m_family->closedFormMoments(mean, cov);
  if (m_qGridMass >= kGridMassForQuadrature) {
    m_klQp = klQP(ref, logq);
    if (!m_qClosedForm) mean = q.mean, cov = q.cov;
  } else {
    // KL(q||p) = E_q[ln q - ln p~] + ln Z by Monte Carlo over the draws.
    m_klQp = ref.logZ - logRatio.mean();
    if (!m_qClosedForm) {
      mean = draws.z.colwise().mean().transpose();
      const Eigen::MatrixXd centred = draws.z.rowwise() - mean.transpose();
      cov = centred.transpose() * centred / double(draws.z.rows() - 1);
    }
  }
  m_elbo = ref.logZ - m_klQp;
  m_qMoments.mean = mean;
  m_qMoments.cov = cov;
  for (int j = 0; j < 2; ++j) m_varianceRatio[j] = m_qMoments.cov(j, j) / ref.cov(j, j);
}

void TargetsModel::record() {
  const double acceptance = m_chain ? m_chain->acceptanceRate() : kNaN;
  m_trace.append({double(m_iteration), m_elbo, m_objectiveValue, m_klQp, m_klPq, m_reference->logZ, m_psisK,
                  m_varianceRatio[0], m_varianceRatio[1], acceptance});
}

Status TargetsModel::health() const {
  const std::string at = " at iteration " + std::to_string(m_iteration);
  if (!m_family->parameters().allFinite()) return Status::error("q's parameters became non-finite" + at + "; lower lr");
  if (m_iteration > 0 && !std::isfinite(m_objectiveValue))
    return Status::error(std::string(kObjectiveNames[static_cast<int>(m_scenario.objective)]) +
                         " became non-finite" + at + "; lower lr or use more samples");
  if (!std::isfinite(m_elbo)) return Status::error("the exact ELBO became non-finite" + at + "; lower lr");
  // A q far outside the target's region, or collapsed or blown up far beyond its scale, has
  // diverged even while every number stays finite (its gradients vanish there).
  const Eigen::Vector4d box = m_target->box();
  const double scale = std::max(box[1] - box[0], box[3] - box[2]);
  const Eigen::Vector2d centre(0.5 * (box[0] + box[1]), 0.5 * (box[2] + box[3]));
  const double distance = (m_qMoments.mean - centre).norm();
  const double sd = std::sqrt(std::max(m_qMoments.cov(0, 0), m_qMoments.cov(1, 1)));
  if (distance > 1e3 * scale || sd < 1e-8 * scale || sd > 1e8 * scale)
    return Status::error(std::string(distance > 1e3 * scale ? "q left the target's region" : "q collapsed or blew up") +
                         at + " (its mean is " + formatReal(distance) + " from the centre and its largest sd " +
                         formatReal(sd) + ", the target's scale " + formatReal(scale) + "); lower lr");
  return Status::ok();
}

}  // namespace vilab
