#include "core/models/gaussian_equations.hpp"

#include <cmath>

namespace vilab {

namespace {

constexpr const char* kJoint = "q(μ) q(τ)";  // the joint view's contour of q (gaussian_lab.cpp)

Equation updateMu(const MeanFieldQ& q, const NormalGammaPrior& p, const GaussianStats& s) {
  const MeanFieldQ next = updateQMu(q, p, s);
  Equation e;
  e.title = "CAVI: update q(μ) = N(μ_N, λ_N⁻¹) given E[τ]";
  e.source = "Bishop PRML eqs. (10.26)–(10.27), with λ₀ written κ₀";
  e.formula =
      "\\mu_N = \\frac{\\kappa_0 \\mu_0 + N \\bar{x}}{\\kappa_0 + N},\\quad "
      "\\lambda_N = (\\kappa_0 + N)\\,\\mathbb{E}[\\tau]";
  e.substituted = "\\frac{#0 \\cdot #1 + #2 \\cdot #3}{#0 + #2},\\quad \\lambda_N = (#0 + #2) \\cdot #4";
  e.inputs = {{"\\kappa_0", p.kappa0}, {"\\mu_0", p.mu0}, {"N", s.n}, {"\\bar{x}", s.mean()},
              {"\\mathbb{E}[\\tau]", q.meanTau()}};
  e.results = {{"\\mu_N", next.m}, {"\\lambda_N", next.l}};
  e.highlight = kJoint;
  return e;
}

std::vector<Equation> updateTau(const MeanFieldQ& q, const NormalGammaPrior& p,
                                const GaussianStats& s) {
  const MeanFieldQ next = updateQTau(q, p, s);
  const double sumSquares = s.scatter + s.n * s.mean() * s.mean();
  const double meanMu = q.m, meanMuSquared = q.m * q.m + 1.0 / q.l;
  Equation shape;
  shape.title = "CAVI: update q(τ) = Gamma(τ | a_N, b_N): its shape";
  shape.source = "Bishop PRML eq. (10.29)";
  shape.formula = "a_N = a_0 + \\frac{N + 1}{2}";
  shape.substituted = "#0 + \\frac{#1 + 1}{2}";
  shape.inputs = {{"a_0", p.a0}, {"N", s.n}};
  shape.results = {{"a_N", next.a}};
  shape.highlight = kJoint;

  Equation rate;
  rate.title = "CAVI: update q(τ): its rate, given E[μ] and E[μ²] under q(μ)";
  rate.source = "Bishop PRML eq. (10.30); the substituted line expands it in the data's sums";
  rate.formula =
      "b_N = b_0 + \\frac{1}{2}\\mathbb{E}_\\mu\\left[\\sum_{n=1}^{N} (x_n - \\mu)^2 + \\kappa_0(\\mu - "
      "\\mu_0)^2\\right],\\quad \\mathbb{E}[\\tau] = \\frac{a_N}{b_N}";
  rate.substituted =
      "#0 + \\frac{1}{2}\\left(#1 - 2 \\cdot #2 \\cdot #3 + #4 \\cdot #5 + #6 \\cdot \\left(#5 - 2 \\cdot #7 "
      "\\cdot #2 + #7^2\\right)\\right)";
  // E[tau] = a_N / b_N with a_N from the shape update.
  rate.substituted += ",\\quad \\mathbb{E}[\\tau] = \\frac{#8}{b_N}";
  rate.inputs = {{"b_0", p.b0},
                 {"\\sum x_n^2", sumSquares},
                 {"\\mathbb{E}[\\mu]", meanMu},
                 {"\\sum x_n", s.sum},
                 {"N", s.n},
                 {"\\mathbb{E}[\\mu^2]", meanMuSquared},
                 {"\\kappa_0", p.kappa0},
                 {"\\mu_0", p.mu0},
                 {"a_N", next.a}};
  rate.results = {{"b_N", next.b}, {"\\mathbb{E}[\\tau]", next.meanTau()}};
  rate.highlight = kJoint;
  return {shape, rate};
}

}  // namespace

std::vector<Equation> gaussianCaviEquations(const MeanFieldQ& q, const NormalGammaPrior& prior,
                                            const GaussianStats& stats, bool halfsteps,
                                            bool nextUpdatesMu) {
  std::vector<Equation> out;
  if (halfsteps && !nextUpdatesMu) return updateTau(q, prior, stats);
  out.push_back(updateMu(q, prior, stats));
  if (halfsteps) return out;
  for (Equation& e : updateTau(updateQMu(q, prior, stats), prior, stats)) {
    e.title += " (then, with the new q(μ))";
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Equation> gaussianGradientEquations(const GaussianGradientRecord& r,
                                                const MeanFieldQ& now) {
  if (!r.valid) return {};
  const double sigma = 1.0 / std::sqrt(r.before.l);
  const std::string more = r.samples > 1 ? " + \\cdots" : "";
  Equation estimate;
  estimate.when = Equation::When::Last;
  estimate.highlight = kJoint;
  if (r.reparam) {
    estimate.title = "Gradient VI: reparameterization estimate of ∂ELBO/∂m (m: the mean of q(μ)), "
                     "S samples, the first shown";
    estimate.source = "Kingma & Welling 2014 (reparameterization trick); the lectures' gradient VI";
    estimate.formula =
        "\\hat{g}_m = \\frac{1}{S}\\sum_{s=1}^{S} \\frac{\\partial}{\\partial\\mu} \\ln p(x, \\mu_s, "
        "\\tau_s),\\quad \\mu_s = m + \\sigma\\epsilon_s";
    estimate.substituted = "\\frac{1}{#0}\\left(#1" + more +
                           "\\right),\\quad \\mu_1 = #2 + #3 \\cdot #4 = #5,\\; \\tau_1 = #6";
    estimate.inputs = {{"S", double(r.samples)}, {"\\partial_\\mu \\ln p(x, \\mu_1, \\tau_1)", r.dLogPdMu},
                       {"m", r.before.m},         {"\\sigma", sigma},
                       {"\\epsilon_1", r.eps},    {"\\mu_1", r.mu},
                       {"\\tau_1", r.tau}};
  } else {
    estimate.title = "Gradient VI: score-function estimate of ∂ELBO/∂m (m: the mean of q(μ)), "
                     "S samples, the first shown";
    estimate.source = "Ranganath, Gerrish & Blei 2014 (black-box VI, score function); the lectures";
    estimate.formula =
        "\\hat{g}_m = \\frac{1}{S}\\sum_{s=1}^{S} (f_s - b_s)\\,\\frac{\\epsilon_s}{\\sigma},\\quad "
        "f_s = \\ln p(x, \\mu_s, \\tau_s) - \\ln q(\\mu_s, \\tau_s)";
    estimate.substituted = "\\frac{1}{#0}\\left(\\left(#1 - #2\\right)\\frac{#3}{#4}" + more +
                           "\\right),\\quad \\mu_1 = #5,\\; \\tau_1 = #6";
    estimate.inputs = {{"S", double(r.samples)}, {"f_1", r.f},     {"b_1", r.baseline},
                       {"\\epsilon_1", r.eps},    {"\\sigma", sigma}, {"\\mu_1", r.mu},
                       {"\\tau_1", r.tau}};
  }
  estimate.results = {{"\\hat{g}_m", r.gradientM}};

  Equation update;
  update.when = Equation::When::Last;
  update.highlight = kJoint;
  if (r.adam) {
    update.title = "Gradient VI: Adam's step on m";
    update.source = "Kingma & Ba 2015, Algorithm 1 (bias correction folded into α_t)";
    update.formula = "m_t = m_{t-1} + \\alpha_t \\frac{M_t}{\\sqrt{V_t} + \\hat{\\epsilon}},\\quad "
                     "M_t = \\beta_1 M_{t-1} + (1 - \\beta_1)\\hat{g}_m";
    update.substituted = "#0 + #1 \\cdot \\frac{#2}{\\sqrt{#3} + #4}";
    update.inputs = {{"m_{t-1}", r.before.m}, {"\\alpha_t", r.lr}, {"M_t", r.adamFirst},
                     {"V_t", r.adamSecond},    {"\\hat{\\epsilon}", r.adamEpsilon}};
  } else {
    update.title = "Gradient VI: a plain gradient step on m";
    update.source = "Stochastic gradient ascent (Robbins & Monro 1951); the lectures";
    update.formula = "m_t = m_{t-1} + \\eta\\,\\hat{g}_m";
    update.substituted = "#0 + #1 \\cdot #2";
    update.inputs = {{"m_{t-1}", r.before.m}, {"\\eta", r.lr}, {"\\hat{g}_m", r.gradientM}};
  }
  update.results = {{"m_t", now.m}};
  return {estimate, update};
}

}  // namespace vilab
