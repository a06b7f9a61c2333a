// The targets lab's scenario fields: one listing drives --set, scenario files, --print-fields,
// validation and the GUI.

#include "core/models/targets/model.hpp"

#include "core/models/targets/bump_text.hpp"

namespace vilab {

void TargetsScenario::visitFields(FieldVisitor& v) {
  v.choice({.key = "target", .label = "target", .group = "Target",
            .help = "The density p(z) to approximate. gaussian: correlated; banana: a twisted "
                    "Gaussian; mixture: 2–4 modes; ring: a donut; funnel: Neal's funnel; "
                    "constrained: a Gamma × Beta posterior fitted in (ln λ, logit θ) as ADVI does; "
                    "custom: Gaussian bumps you place by clicking on the target view.",
            .choices = {"gaussian", "banana", "mixture", "ring", "funnel", "constrained", "custom"}},
           target);
  v.real({.key = "target.sigma1", .label = "σ₁", .group = "Target",
          .help = "Gaussian target: standard deviation of z₁.", .min = 0.05, .max = 20, .logScale = true},
         spec.sigma1);
  v.real({.key = "target.sigma2", .label = "σ₂", .group = "Target",
          .help = "Gaussian target: standard deviation of z₂.", .min = 0.05, .max = 20, .logScale = true},
         spec.sigma2);
  v.real({.key = "target.rho", .label = "ρ", .group = "Target",
          .help = "Gaussian target: correlation of z₁ and z₂. Near ±1 a mean-field q becomes far "
                  "too narrow under KL(q‖p): its variances are 1/Λᵢᵢ, not Σᵢᵢ.",
          .min = -0.99, .max = 0.99},
         spec.rho);
  v.real({.key = "target.curvature", .label = "curvature", .group = "Target",
          .help = "Banana: z₁ ~ N(0, 2²), z₂ | z₁ ~ N(c z₁² − 1, 0.7²); c bends the ridge.",
          .min = 0, .max = 2},
         spec.curvature);
  v.integer({.key = "target.modes", .label = "modes", .group = "Target",
             .help = "Mixture target: number of modes (2–4), at the corners of a regular polygon (two "
                  "modes: at ±separation/2 on z₁).",
          .min = 2, .max = 4},
            spec.modes);
  v.real({.key = "target.separation", .label = "separation", .group = "Target",
          .help = "Mixture target: distance between neighbouring modes. Far apart, KL(q‖p) "
                  "locks onto one mode while KL(p‖q) covers all of them.",
          .min = 0, .max = 12},
         spec.separation);
  v.real({.key = "target.weight", .label = "weight", .group = "Target",
          .help = "Mixture target: the first mode's weight relative to each of the others.",
          .min = 0.05, .max = 20, .logScale = true},
         spec.weight);
  v.real({.key = "target.width", .label = "width", .group = "Target",
          .help = "Mixture target: standard deviation of each mode.", .min = 0.05, .max = 5, .logScale = true},
         spec.width);
  v.real({.key = "target.radius", .label = "radius", .group = "Target",
          .help = "Ring target: radius of the ring.", .min = 0.2, .max = 10},
         spec.radius);
  v.real({.key = "target.ring_width", .label = "ring width", .group = "Target",
          .help = "Ring target: standard deviation across the ring.", .min = 0.02, .max = 3, .logScale = true},
         spec.ringWidth);
  v.real({.key = "target.funnel_scale", .label = "funnel scale", .group = "Target",
          .help = "Funnel: v ~ N(0, s²), x | v ~ N(0, eᵛ), with z₁ = x and z₂ = v. Larger s makes "
                  "the neck narrower and the mouth wider — hard for a Gaussian q and for HMC alike.",
          .min = 0.5, .max = 4},
         spec.funnelScale);
  v.integer({.key = "target.data_n", .label = "observations", .group = "Target",
             .help = "Constrained target: observations drawn (from the seed) for the Poisson–Gamma "
                     "and Beta–Bernoulli parts. Few observations leave a skewed posterior.",
             .min = 1, .max = 1000, .logScale = true},
            spec.dataCount);
  v.text({.key = "target.bumps", .label = "bumps", .group = "Target",
          .help = "Custom target: Gaussian bumps \"x,y,sd,w; x,y,sd,w\": centre in [-20, 20]², sd in "
                  "[0.05, 10], weight in [0.01, 100], at most 64 bumps. Click the target view to add "
                  "one, drag to move it, right-click to remove it."},
         bumps);
  v.choice({.key = "family", .label = "family", .group = "Family",
            .help = "q: meanfield (independent axes), fullrank (a Cholesky factor), mixture (K "
                    "Gaussians, softmax weights), planar (a planar flow, Rezende & Mohamed 2015) or "
                    "coupling (affine coupling layers, real NVP). q restarts when it changes. Flows "
                    "have no density in closed form in their parameters, so they take the "
                    "reparameterization gradient and not forward KL.",
            .choices = {"meanfield", "fullrank", "mixture", "planar", "coupling"}},
           family);
  v.integer({.key = "components", .label = "components K", .group = "Family",
             .help = "Mixture family: number of Gaussian components.", .min = 1, .max = 10},
            components);
  v.integer({.key = "layers", .label = "layers L", .group = "Family",
             .help = "Flows: number of planar or coupling layers on the Gaussian base.", .min = 1, .max = 32},
            layers);
  v.real({.key = "init.x", .label = "start z₁", .group = "Family",
          .help = "Where q starts: the mean of z₁ (of the flow's base; the mixture spreads its "
                  "components around it). Which mode KL(q‖p) finds depends on it.",
          .min = -20, .max = 20},
         init.x);
  v.real({.key = "init.y", .label = "start z₂", .group = "Family",
          .help = "Where q starts: the mean of z₂.", .min = -20, .max = 20},
         init.y);
  v.real({.key = "init.sd", .label = "start sd", .group = "Family",
          .help = "q's initial standard deviation on each axis.", .min = 0.01, .max = 20, .logScale = true},
         init.sd);
  v.choice({.key = "objective", .label = "objective", .group = "Objective",
            .help = "kl_qp: maximize the ELBO (reverse KL, mode-seeking). kl_pq: minimize KL(p‖q) "
                    "(forward KL, mass-covering). renyi: the Rényi-α bound (Li & Turner 2016; "
                    "α = 1 is the ELBO, α = 0 the IWAE bound). iwae: the importance-weighted bound "
                    "with K draws (Burda et al. 2016). Forward KL needs a Gaussian or mixture q.",
            .choices = {"kl_qp", "kl_pq", "renyi", "iwae"}},
           objective);
  v.choice({.key = "forward", .label = "KL(p‖q) gradient", .group = "Objective",
            .help = "kl_pq only: grid uses −E_p[∇ln q] by the exact quadrature; snis estimates it by "
                    "self-normalized importance sampling from q's own draws (noisy, biased while q "
                    "misses mass).",
            .choices = {"grid", "snis"}},
           forward);
  v.real({.key = "alpha", .label = "α", .group = "Objective",
          .help = "Rényi bound's α: 1 gives the ELBO, 0 the IWAE bound with K = S; between, it "
                  "interpolates from mode-seeking to mass-covering. Below 0 the bound lies above "
                  "log Z and q widens without limit; above 1 it is more mode-seeking than the ELBO.",
          .min = -1, .max = 2},
         alpha);
  v.integer({.key = "iwae_k", .label = "K", .group = "Objective",
             .help = "IWAE: draws per importance-weighted bound; the bound tightens towards log Z "
                     "as K grows. Each step averages `samples` bounds.",
             .min = 1, .max = 1000, .logScale = true},
            iwaeK);
  v.choice({.key = "estimator", .label = "estimator", .group = "Objective",
            .help = "reparam differentiates through z = T(ε); score uses f(z)∇ln q(z) (REINFORCE), "
                    "unbiased but far noisier. Score needs a family with an explicit density "
                    "(meanfield, fullrank, mixture) and the ELBO.",
            .choices = {"reparam", "score"}},
           estimator);
  v.choice({.key = "baseline", .label = "control variate", .group = "Objective",
            .help = "Score function only: none, loo (mean of the other samples) or optimal (scalar "
                    "control variate, Ranganath et al. 2014). Both stay unbiased; they need S ≥ 2.",
            .choices = {"none", "loo", "optimal"}},
           baseline);
  v.integer({.key = "samples", .label = "samples S", .group = "Objective",
             .help = "Monte Carlo draws per gradient step (IWAE: bounds per step).", .min = 1, .max = 4096,
             .logScale = true},
            samples);
  v.choice({.key = "optimizer", .label = "optimizer", .group = "Optimizer",
            .help = "adam (adaptive steps) or sgd (steps of lr × gradient).", .choices = {"adam", "sgd"}},
           optimizer);
  v.real({.key = "lr", .label = "learning rate", .group = "Optimizer",
          .help = "Step size: Adam moves each parameter by about lr per step; SGD by lr × its "
                  "gradient. Flows want smaller steps (0.01) than Gaussians (0.05).",
          .min = 1e-6, .max = 2, .logScale = true},
         lr);
  v.choice({.key = "mcmc", .label = "MCMC", .group = "MCMC",
            .help = "A chain on the same target beside the optimizer, for reference: hmc "
                    "(Hamiltonian Monte Carlo, step size adapted in warm-up) or rwm (random-walk "
                    "Metropolis, for contrast).",
            .choices = {"off", "hmc", "rwm"}},
           mcmc);
  v.real({.key = "mcmc.step", .label = "step size", .group = "MCMC",
          .help = "HMC's initial leapfrog step size, or RWM's initial proposal sd; both adapt "
                  "during warm-up.",
          .min = 1e-3, .max = 5, .logScale = true},
         chain.step);
  v.integer({.key = "mcmc.leapfrog", .label = "leapfrog steps", .group = "MCMC",
             .help = "HMC: leapfrog steps per iteration (trajectory length = steps × step size).",
             .min = 1, .max = 100},
            chain.leapfrog);
  v.integer({.key = "mcmc.per_step", .label = "chain per step", .group = "MCMC",
             .help = "Chain iterations per optimizer iteration.", .min = 1, .max = 100},
            chain.perStep);
  v.integer({.key = "mcmc.warmup", .label = "warm-up", .group = "MCMC",
             .help = "Chain iterations that adapt the step size (discarded).", .min = 0, .max = 10000},
            chain.warmup);
  v.integer({.key = "psis.samples", .label = "Pareto k draws", .group = "Diagnostics",
             .help = "Draws from q, each recorded iteration, for the PSIS diagnostic, the Pareto k "
                     "(Yao et al. 2018), and for KL(q‖p), the ELBO and (flows) q's moments when q "
                     "reaches beyond the quadrature grid.",
             .min = 100, .max = 20000, .logScale = true},
            psisSamples);
}

std::vector<std::string> TargetsScenario::idleFields() const {
  static const std::vector<std::pair<TargetKind, std::vector<std::string>>> targetFields{
      {TargetKind::Gaussian, {"target.sigma1", "target.sigma2", "target.rho"}},
      {TargetKind::Banana, {"target.curvature"}},
      {TargetKind::Mixture, {"target.modes", "target.separation", "target.weight", "target.width"}},
      {TargetKind::Ring, {"target.radius", "target.ring_width"}},
      {TargetKind::Funnel, {"target.funnel_scale"}},
      {TargetKind::Constrained, {"target.data_n"}},
      {TargetKind::Custom, {"target.bumps"}},
  };
  std::vector<std::string> idle;
  for (const auto& [kind, keys] : targetFields)
    if (kind != target) idle.insert(idle.end(), keys.begin(), keys.end());
  if (family != FamilyKind::Mixture) idle.push_back("components");
  if (family != FamilyKind::Planar && family != FamilyKind::Coupling) idle.push_back("layers");
  if (objective != Objective::KlPq) idle.push_back("forward");
  if (objective != Objective::Renyi) idle.push_back("alpha");
  if (objective != Objective::Iwae) idle.push_back("iwae_k");
  if (objective != Objective::KlQp) idle.push_back("estimator");
  if (objective != Objective::KlQp || estimator != Estimator::Score) idle.push_back("baseline");
  if (mcmc == Mcmc::Off) idle.insert(idle.end(), {"mcmc.step", "mcmc.leapfrog", "mcmc.per_step", "mcmc.warmup"});
  if (mcmc == Mcmc::Rwm) idle.push_back("mcmc.leapfrog");
  return idle;
}

TargetSpec TargetsScenario::targetSpec() const {
  TargetSpec out = spec;
  out.kind = static_cast<TargetSpec::Kind>(static_cast<int>(target));
  out.dataSeed = seed;
  out.bumps.clear();
  (void)parseBumps(bumps, out.bumps);  // checked by crossChecks
  return out;
}

}  // namespace vilab
