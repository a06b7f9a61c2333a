// The logistic-regression lab's live equations, for the current method:
//   gradient VI: the last step's Monte Carlo gradient for w₁'s mean m₁ (reparameterization,
//     Kingma & Welling 2014 / Kucukelbir et al. 2017; or the score function, Ranganath et al.
//     2014) with its first samples, and the optimizer's update of m₁ (Equation::When::Last);
//   Jaakkola-Jordan: the next alternation, xi from q (PRML eq. 10.163) then q from xi
//     (eqs. 10.156-10.157), for the first point and the first parameter (When::Next);
//   Laplace: the next damped Newton step on ln p(y, theta) (PRML eq. 4.92 with the Hessian of
//     eq. 4.143), for the first parameter (When::Next).
// The Next rows run the step on a copy (one JJ or Newton step: O(N P^2 + P^3), small next to the
// snapshot's probe draws).

#include <Eigen/Cholesky>
#include <cmath>

#include "core/models/logreg/model.hpp"
#include "core/optim/step_equation.hpp"

namespace vilab {

namespace {

// Legend labels of the weight view (app/labs/logreg_lab.cpp).
constexpr const char* kGradientLabel = "gradient VI q";
constexpr const char* kJjLabel = "Jaakkola–Jordan q";
constexpr const char* kNewtonLabel = "Newton iterate θₖ";

}  // namespace

void LogregModel::fillEquations(LogregSnapshot& snap) const {
  using Method = LogregScenario::Method;
  if (m_likelihood.n() == 0) return;
  const Eigen::MatrixXd& phi = m_likelihood.design();
  const Eigen::VectorXd phi1 = phi.row(0).transpose();

  if (m_scenario.method == Method::Gradient) {
    const bool reparam = m_scenario.estimator == LogregScenario::Estimator::Reparam;
    Equation g;
    g.when = Equation::When::Last;
    g.highlight = kGradientLabel;
    if (reparam) {
      g.title = "Reparameterization gradient of the ELBO for m₁ (the mean of w₁)";
      g.source = "Kingma & Welling 2014; Kucukelbir et al. 2017 (ADVI)";
      g.formula =
          "g_{m_{1}} = \\frac{1}{S}\\sum_{s=1}^{S} \\frac{∂\\ln p(y | X, \\theta_{s})}"
          "{∂\\theta_{1}} + \\frac{∂\\mathbb{E}_{q}[\\ln p(\\theta)]}{∂m_{1}}, "
          "\\theta_{s} = m + L \\epsilon_{s}, \\epsilon_{s} ∼ N(0, I)";
    } else {
      g.title = "Score-function gradient of the ELBO for m₁ (the mean of w₁)";
      g.source = "Ranganath, Gerrish & Blei 2014 (black-box VI); Williams 1992";
      g.formula =
          "g_{m_{1}} = \\frac{1}{S}\\sum_{s=1}^{S} (f_{s} - b_{s}) \\frac{∂\\ln q(\\theta_{s})}"
          "{∂m_{1}} + \\frac{∂\\mathbb{E}_{q}[\\ln p(\\theta)]}{∂m_{1}}, "
          "f_{s} = \\ln p(y | X, \\theta_{s})";
    }
    const GradientSamples& last = m_lastGradient;
    if (last.samples > 0) {
      g.inputs = {{"S", double(last.samples)},
                  {"\\frac{∂\\mathbb{E}_{q}[\\ln p(\\theta)]}{∂m_{1}}", last.priorGradient},
                  {"\\frac{1}{S}\\sum_{s} t_{s}", last.termMean}};
      std::string sum;
      const int shown = std::min(last.samples, 3);
      for (int s = 0; s < shown; ++s) {
        g.inputs.push_back({"t_{" + std::to_string(s + 1) + "}", last.terms[s]});
        sum += (s ? " + #" : "#") + std::to_string(3 + s);
      }
      if (last.samples > shown) sum += " + …";
      g.substituted = "\\frac{1}{#0}\\left(" + sum + "\\right) + #1";
      g.results = {{"g_{m_{1}}", last.gradient}};
    }
    snap.equations.push_back(std::move(g));
    if (last.samples > 0)
      snap.equations.push_back(optimizerStepEquation(
          m_probe, "m_{1}", "m₁, the mean of w₁ in q",
          m_scenario.optimizer == LogregScenario::Optimizer::Adam, kGradientLabel));
    return;
  }

  if (m_scenario.method == Method::Jj) {
    JaakkolaJordan next = m_jj;
    next.step(m_likelihood, m_prior);
    Equation xi;
    xi.title = "Jaakkola–Jordan: local parameters ξₙ from q (shown for n = 1)";
    xi.source = "Bishop PRML eq. (10.163); Jaakkola & Jordan 2000";
    xi.formula = "\\xi_{n}^{2} = \\phi_{n}^{T} \\left(S_{N} + m_{N} m_{N}^{T}\\right) \\phi_{n}";
    xi.substituted = "\\xi_{1} = \\sqrt{#0 + #1^{2}}";
    xi.inputs = {{"\\phi_{1}^{T} S_{N} \\phi_{1}", phi1.dot(m_jj.covariance() * phi1)},
                 {"m_{N}^{T} \\phi_{1}", m_jj.mean().dot(phi1)},
                 {"\\xi_{1}", m_jj.xi()[0]}};
    xi.results = {{"\\xi_{1}", next.xi()[0]}};
    xi.highlight = kJjLabel;
    snap.equations.push_back(std::move(xi));

    Equation q;
    q.title = "Jaakkola–Jordan: q(θ) = N(m_N, S_N) from the new ξ";
    q.source = "Bishop PRML eqs. (10.156)-(10.157), λ(ξ) eq. (10.150)";
    q.formula =
        "S_{N}^{-1} = S_{0}^{-1} + 2 \\sum_{n=1}^{N} \\lambda(\\xi_{n}) \\phi_{n} \\phi_{n}^{T}, "
        "m_{N} = S_{N} \\sum_{n=1}^{N} \\left(y_{n} - \\frac{1}{2}\\right) \\phi_{n}, "
        "\\lambda(\\xi) = \\frac{\\sigma(\\xi) - 1/2}{2 \\xi}";
    q.substituted = "(S_{N}^{-1})_{11} = #0 + 2 \\times #1";
    double lambdaSum = 0.0;
    for (Eigen::Index n = 0; n < phi.rows(); ++n) lambdaSum += jjLambda(next.xi()[n]) * phi(n, 0) * phi(n, 0);
    q.inputs = {{"(S_{0}^{-1})_{11}", m_prior.precision[0]},
                {"\\sum_{n} \\lambda(\\xi_{n}) \\phi_{n1}^{2}", lambdaSum},
                {"\\lambda(\\xi_{1})", jjLambda(next.xi()[0])}};
    q.results = {{"(S_{N}^{-1})_{11}", m_prior.precision[0] + 2.0 * lambdaSum},
                 {"m_{N,1}", next.mean()[0]},
                 {"(S_{N})_{11}", next.covariance()(0, 0)}};
    q.highlight = kJjLabel;
    snap.equations.push_back(std::move(q));
    return;
  }

  // Laplace: Newton's next step.
  const NewtonIterate next = newtonStep(m_likelihood, m_prior, m_newton);
  const Eigen::VectorXd direction = m_newton.precision.ldlt().solve(m_newton.gradient);
  const Eigen::VectorXd moved = next.theta - m_newton.theta;
  const double dd = direction.squaredNorm();
  const double t = dd > 0.0 && std::isfinite(dd) ? moved.dot(direction) / dd : 0.0;
  Equation n;
  n.title = "Newton step towards θ_MAP (shown for θ₁ = w₁)";
  n.source = "Bishop PRML eq. (4.92) with the Hessian of eq. (4.143); Laplace §4.4";
  n.formula =
      "\\theta_{k+1} = \\theta_{k} + t A^{-1} ∇\\ln p(y, \\theta_{k}), "
      "A = S_{0}^{-1} + \\sum_{n=1}^{N} \\sigma_{n} (1 - \\sigma_{n}) \\phi_{n} \\phi_{n}^{T}, "
      "t = 1, \\frac{1}{2}, … until \\ln p(y, \\theta) rises";
  n.substituted = "#0 + #1 \\times #2";
  n.inputs = {{"\\theta_{k,1}", m_newton.theta[0]},
              {"t", t},
              {"(A^{-1} ∇)_{1}", direction[0]},
              {"(∇\\ln p)_{1}", m_newton.gradient[0]},
              {"A_{11}", m_newton.precision(0, 0)},
              {"\\ln p(y, \\theta_{k})", m_newton.logJoint}};
  n.results = {{"\\theta_{k+1,1}", next.theta[0]}, {"\\ln p(y, \\theta_{k+1})", next.logJoint}};
  n.highlight = kNewtonLabel;
  snap.equations.push_back(std::move(n));
}

}  // namespace vilab
