// The targets lab's live equations: the chosen objective's Monte Carlo estimate with the last
// step's first draws (ELBO: Kucukelbir et al. 2017 for the Gaussian families, Rezende & Mohamed
// 2015 for planar flows; Rényi bound: Li & Turner 2016; IWAE: Burda, Grosse & Salakhutdinov
// 2016; forward KL by the grid or self-normalized importance sampling), then the optimizer's
// update of q's first parameter. Both are Equation::When::Last: draws exist only once a step
// has drawn them, and the results are the current state.

#include <cmath>

#include "core/models/targets/model.hpp"
#include "core/optim/step_equation.hpp"

namespace vilab {

namespace {

using S = TargetsScenario;

// Legend labels of the density view (app/labs/targets_lab.cpp).
constexpr const char* kQLabel = "q: 50/90/99% mass";

std::string ref(int k) { return "#" + std::to_string(k); }

}  // namespace

void TargetsModel::fillEquations(TargetsSnapshot& snap) const {
  if (!m_family) return;
  const StepSamples& d = m_lastSamples;
  const bool drawn = d.draws > 0 && m_iteration > 0;
  const S& s = m_scenario;

  Equation e;
  e.when = Equation::When::Last;
  e.highlight = kQLabel;
  const std::string reparamSource =
      s.family == S::FamilyKind::Planar     ? "Rezende & Mohamed 2015 (planar flow), reparameterized ELBO"
      : s.family == S::FamilyKind::Coupling ? "Dinh et al. 2017 (coupling flow), reparameterized ELBO"
                                            : "Kucukelbir et al. 2017 (ADVI): reparameterized ELBO";
  // Inputs 0..: the count, then each shown draw's ln w_s, then its weight, then its z.
  e.inputs.push_back({s.objective == S::Objective::Iwae ? "K" : "S",
                      s.objective == S::Objective::Iwae ? double(s.iwaeK) : double(d.draws)});
  std::string terms;  // "#1 + #2 + #3" over the shown draws
  if (drawn) {
    for (int r = 0; r < d.shown; ++r) {
      const std::string i = std::to_string(r + 1);
      e.inputs.push_back({"\\ln w_{" + i + "}", d.logWeight[r]});
    }
    for (int r = 0; r < d.shown; ++r)
      e.inputs.push_back({"\\omega_{" + std::to_string(r + 1) + "}", d.weight[r]});
    for (int r = 0; r < d.shown; ++r) {
      const std::string i = std::to_string(r + 1);
      e.inputs.push_back({"z_{" + i + ",1}", d.z[r][0]});
      e.inputs.push_back({"z_{" + i + ",2}", d.z[r][1]});
    }
  }
  const int perBound = s.objective == S::Objective::Iwae ? s.iwaeK : d.draws;
  const std::string more = drawn && d.shown < perBound ? " + …" : "";
  const auto join = [&](const std::string& before, const std::string& after) {
    std::string out;
    for (int r = 0; r < d.shown; ++r) out += (r ? " + " : "") + before + ref(1 + r) + after;
    return out + more;
  };
  const bool uniform = drawn && d.shown > 0 && std::abs(d.weight[0] * d.draws - 1.0) < 1e-12;
  switch (s.objective) {
    case S::Objective::KlQp: {
      const bool score = s.estimator == S::Estimator::Score;
      e.title = std::string("ELBO estimate from S draws of q") +
                (score ? " (score-function gradient)" : " (reparameterization gradient)");
      e.source = score ? "Ranganath, Gerrish & Blei 2014 (black-box VI)" : reparamSource;
      e.formula =
          std::string("\\hat{L} = \\sum_{s=1}^{S} \\omega_{s} \\ln w_{s},\\quad "
                      "\\ln w_{s} = \\ln \\tilde{p}(z_{s}) - \\ln q(z_{s}),\\quad z_{s} = T_{\\lambda}(\\epsilon_{s}),\\quad ") +
          (s.family != S::FamilyKind::Mixture ? "\\omega_{s} = \\frac{1}{S}" : "\\omega_{s} = \\frac{\\pi_{k}}{S_{k}} (stratified by component k)");
      if (drawn) {
        if (uniform) {
          e.substituted = "\\frac{1}{#0}\\left(" + join("", "") + "\\right)";
        } else {
          std::string sum;
          for (int r = 0; r < d.shown; ++r)
            sum += (r ? " + " : "") + ref(1 + d.shown + r) + " \\times " + ref(1 + r);
          e.substituted = sum + more;
        }
      }
      e.results = {{"\\hat{L}", m_objectiveValue}};
      break;
    }
    case S::Objective::Renyi: {
      e.title = "Rényi-α bound estimate from S draws of q";
      e.source = "Li & Turner 2016 (variational Rényi bound)";
      e.formula =
          "\\hat{L}_{\\alpha} = \\frac{1}{1 - \\alpha} \\ln \\sum_{s=1}^{S} \\omega_{s} "
          "w_{s}^{1 - \\alpha},\\quad w_{s} = \\frac{\\tilde{p}(z_{s})}{q(z_{s})}";
      const int alphaIndex = static_cast<int>(e.inputs.size());
      e.inputs.push_back({"\\alpha", s.alpha});
      if (drawn) {
        const std::string a = ref(alphaIndex);
        std::string sum;
        for (int r = 0; r < d.shown; ++r)
          sum += std::string(r ? " + " : "") + (uniform ? "" : ref(1 + d.shown + r) + " ") +
                 "\\exp\\left((1 - " + a + ") \\times " + ref(1 + r) + "\\right)";
        e.substituted = "\\frac{1}{1 - " + a + "} \\ln\\left(" + (uniform ? "\\frac{1}{#0}\\left(" : "") +
                        sum + more + (uniform ? "\\right)" : "") + "\\right)";
      }
      e.results = {{"\\hat{L}_{\\alpha}", m_objectiveValue}};
      break;
    }
    case S::Objective::Iwae: {
      e.title = "IWAE bound: the mean over B bounds of K importance-weighted draws each";
      e.source = "Burda, Grosse & Salakhutdinov 2016";
      e.formula =
          "\\hat{L}_{K} = \\frac{1}{B} \\sum_{b=1}^{B} \\ln \\frac{1}{K} \\sum_{k=1}^{K} w_{b,k},\\quad "
          "w_{b,k} = \\frac{\\tilde{p}(z_{b,k})}{q(z_{b,k})}";
      const int bIndex = static_cast<int>(e.inputs.size());
      e.inputs.push_back({"B", double(s.samples)});
      if (drawn)
        e.substituted = "bound 1: \\ln\\left(\\frac{1}{#0}\\left(" + join("\\exp(", ")") +
                        "\\right)\\right), averaged over " + ref(bIndex) + " bounds";
      e.results = {{"\\hat{L}_{K}", m_objectiveValue}};
      break;
    }
    case S::Objective::KlPq: {
      const bool snis = s.forward == S::ForwardGradient::Snis;
      e.title = snis ? "Forward KL: E_p[ln q] by self-normalized importance sampling from q"
                     : "Forward KL: E_p[ln q] on the exact target's grid";
      e.source = snis ? "self-normalized importance sampling (Owen 2013, ch. 9)"
                      : "forward KL(p‖q) = −E_p[ln q] − H[p] (Bishop PRML §10.1.2)";
      e.formula = snis ? "∇_{\\lambda} \\mathbb{E}_{p}[\\ln q] ≈ \\sum_{s=1}^{S} \\hat{w}_{s} "
                         "∇_{\\lambda} \\ln q(z_{s}), \\hat{w}_{s} ∝ \\frac{\\tilde{p}(z_{s})}{q(z_{s})}"
                       : "\\mathbb{E}_{p}[\\ln q] ≈ \\sum_{i} p_{i} \\ln q(x_{i}), "
                         "∇_{\\lambda} ≈ \\sum_{i} p_{i} ∇_{\\lambda} \\ln q(x_{i})";
      if (drawn && snis) e.substituted = "\\ln w_{s}: " + join("", "");
      e.results = {{"\\mathbb{E}_{p}[\\ln q]", m_objectiveValue}};
      break;
    }
  }
  if (!drawn) e.inputs.clear();  // no step yet: the formula alone
  snap.equations.push_back(std::move(e));

  if (!drawn) return;
  const bool gaussian = s.family == S::FamilyKind::MeanField || s.family == S::FamilyKind::FullRank;
  const bool flowBase = s.family == S::FamilyKind::Planar || s.family == S::FamilyKind::Coupling;
  const std::string symbol = gaussian || flowBase ? "m_{1}" : "\\lambda_{1}";
  const std::string what = gaussian   ? "m₁, the mean of z₁ in q"
                           : flowBase ? "m₁, the mean of z₁ in the flow's base"
                                      : "λ₁, the first component's logit";
  snap.equations.push_back(
      optimizerStepEquation(m_probe, symbol, what, s.optimizer == S::Optimizer::Adam, kQLabel));
}

}  // namespace vilab
