#include "core/models/targets/model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/diagnostics/ess.hpp"
#include "core/diagnostics/psis.hpp"
#include "core/mcmc/chain.hpp"
#include "core/models/targets/densities.hpp"
#include "core/models/targets/reference.hpp"
#include "core/vi/flows.hpp"
#include "core/vi/gaussian_q.hpp"
#include "core/vi/mixture_family.hpp"
#include "core/vi/objectives.hpp"

namespace vilab {

namespace {

using S = TargetsScenario;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kViewGrid = 128;     // nodes per axis of the heatmaps
constexpr int kViewSamples = 400;  // q's draws on the target view

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
      return std::make_unique<MixtureFamily>(s.components, mean, sd, seed);
    case S::FamilyKind::Planar:
      return std::make_unique<PlanarFlow>(2, s.layers, mean, sd, seed);
    case S::FamilyKind::Coupling:
      return std::make_unique<CouplingFlow>(2, s.layers, mean, sd, seed);
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

bool isFlow(S::FamilyKind f) { return f == S::FamilyKind::Planar || f == S::FamilyKind::Coupling; }

const char* const kObjectiveNames[] = {"ELBO (reverse KL)", "forward KL(p‖q)", "Rényi-α bound", "IWAE bound"};

}  // namespace

std::vector<std::string> TargetsScenario::crossChecks() const {
  std::vector<std::string> out;
  if (target == TargetKind::Custom && !bumps.empty()) {
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

TargetsModel::TargetsModel(const TargetsModel& o)
    : Model(o),
      m_scenario(o.m_scenario),
      m_target(o.m_target ? makeTarget(o.m_scenario.targetSpec()) : nullptr),
      m_reference(o.m_reference),
      m_pView(o.m_pView),
      m_pConstrainedView(o.m_pConstrainedView),
      m_exactMarginals(o.m_exactMarginals),
      m_referenceMs(o.m_referenceMs),
      m_family(o.m_family ? o.m_family->clone() : nullptr),
      m_objective(std::make_unique<ObjectiveEstimator>()),
      m_adam(o.m_adam),
      m_rng(o.m_rng),
      m_diagnosticRng(o.m_diagnosticRng),
      m_objectiveValue(o.m_objectiveValue),
      m_chain(o.m_chain ? std::make_unique<McmcChain>(*o.m_chain) : nullptr),
      m_elbo(o.m_elbo),
      m_klQp(o.m_klQp),
      m_klPq(o.m_klPq),
      m_psisK(o.m_psisK),
      m_varianceRatio(o.m_varianceRatio),
      m_qMoments(o.m_qMoments),
      m_qClosedForm(o.m_qClosedForm),
      m_iteration(o.m_iteration),
      m_trace(o.m_trace),
      m_version(o.m_version) {}

const ModelInfo& TargetsModel::info() const {
  static const ModelInfo i{"targets", "Families and divergences",
                           "Mean-field, full-rank, mixture and flow families fitted to 2-D targets by reverse "
                           "KL, forward KL, Rényi-α and IWAE, against quadrature, MCMC and PSIS k̂."};
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
  else if (s.optimizer != old.optimizer)
    m_adam.reset(m_family->parameterCount(), {.lr = s.lr});
  m_adam.setLearningRate(s.lr);
  if (!targetChanged && (s.mcmc != old.mcmc || s.chain.step != old.chain.step ||
                         s.chain.leapfrog != old.chain.leapfrog || s.chain.warmup != old.chain.warmup))
    startChain();
  evaluateExact();
  ++m_version;
  return Status::ok();
}

void TargetsModel::useTarget() {
  m_target = makeTarget(m_scenario.targetSpec());
  const auto start = std::chrono::steady_clock::now();
  m_reference = std::make_shared<const TargetReference>(computeReference(*m_target));
  m_referenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // Views: p on a uniform grid over the box, the exact marginals at the reference's nodes.
  m_pView = std::make_shared<const TargetsGrid>(densityOnViewGrid(*m_target, *m_reference, kViewGrid));
  m_pConstrainedView = m_target->constrained()
                           ? std::make_shared<const TargetsGrid>(constrainedDensityOnViewGrid(*m_target, *m_reference, kViewGrid))
                           : nullptr;
  m_exactMarginals = std::make_shared<const TargetsGrid>(exactMarginals(*m_reference));
}

void TargetsModel::startFamily() {
  m_family = makeFamily(m_scenario);
  m_objective = std::make_unique<ObjectiveEstimator>();
  m_adam.reset(m_family->parameterCount(), {.lr = m_scenario.lr});
  m_rng.reseed(m_scenario.seed ^ 0x5DEECE66Dull);
  m_diagnosticRng.reseed(m_scenario.seed * 0xBF58476D1CE4E5B9ull + 3);
  m_objectiveValue = kNaN;
}

void TargetsModel::startChain() {
  m_chain.reset();
  if (m_scenario.mcmc == S::Mcmc::Off) return;
  McmcSettings settings;
  settings.kind = m_scenario.mcmc == S::Mcmc::Hmc ? McmcKind::Hmc : McmcKind::Rwm;
  settings.stepSize = m_scenario.chain.step;
  settings.leapfrogSteps = m_scenario.chain.leapfrog;
  settings.warmup = m_scenario.chain.warmup;
  const Target* target = m_target.get();
  LogDensityWithGradient logp = [target](const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
    Eigen::MatrixXd z = x.transpose(), g;
    Eigen::VectorXd v;
    target->logDensity(z, v, &g);
    gradient = g.row(0).transpose();
    return v[0];
  };
  m_chain = std::make_unique<McmcChain>(settings, std::move(logp), m_reference->mean,
                                        m_scenario.seed * 0x2545F4914F6CDD1Dull + 5);
}

void TargetsModel::step() {
  const Target* target = m_target.get();
  const BatchLogDensity logp = [target](const Eigen::MatrixXd& z, Eigen::VectorXd& values, Eigen::MatrixXd* grads) {
    target->logDensity(z, values, grads);
  };
  const ObjectiveStep& st = m_objective->step(*m_family, logp, objectiveSettings(m_scenario), m_rng,
                                              &m_reference->points);
  m_objectiveValue = st.value;
  Eigen::VectorXd lambda = m_family->parameters();
  if (m_scenario.optimizer == S::Optimizer::Adam)
    m_adam.ascend(lambda, st.gradient);
  else
    lambda += m_scenario.lr * st.gradient;
  m_family->setParameters(lambda);
  if (m_chain) m_chain->advance(m_scenario.chain.perStep);
  ++m_iteration;
  // Flows evaluate ln q on the quadrature grid by inverting every layer (milliseconds), so their
  // exact numbers are recorded every iteration at first and every 10th after 100.
  if (!isFlow(m_scenario.family) || m_iteration <= 100 || m_iteration % 10 == 0) {
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
  Eigen::VectorXd logq;
  m_family->logDensity(ref.nodes, logq);
  m_klQp = klQp(ref, logq);
  m_klPq = klPq(ref, logq);
  m_elbo = ref.logZ - m_klQp;
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  m_qClosedForm = m_family->closedFormMoments(mean, cov);
  if (!m_qClosedForm) momentsOnGrid(ref, logq, mean, cov);
  m_qMoments.mean = mean;
  m_qMoments.cov = cov;
  for (int j = 0; j < 2; ++j) m_varianceRatio[j] = cov(j, j) / ref.cov(j, j);
  // k-hat from fresh draws of q (the optimizer's own S are too few for a Pareto tail fit).
  FamilyDraws draws;
  m_family->sample(m_diagnosticRng, m_scenario.psisSamples, Sampling::Ancestral, draws);
  Eigen::VectorXd logp;
  m_target->logDensity(draws.z, logp, nullptr);
  m_psisK = paretoSmoothedImportanceSampling(logp - draws.logq).khat;
}

void TargetsModel::record() {
  const double acceptance = m_chain && m_chain->keptIterations() > 0 ? m_chain->acceptanceRate() : kNaN;
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
  return Status::ok();
}

}  // namespace vilab
