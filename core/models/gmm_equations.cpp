#include "core/models/gmm_equations.hpp"

#include <cmath>
#include <limits>

#include "core/math/small_matrix.hpp"
#include "core/math/special.hpp"

namespace vilab {

namespace {

// Subscripts naming the shown component, point and coordinate: "k" reads as the shown k.
std::string coordinate(const std::string& name, int dim) { return dim > 1 ? name + ",1" : name; }

double logSumExp(const Eigen::VectorXd& v) {
  const double top = v.maxCoeff();
  if (!std::isfinite(top)) return top;
  return top + std::log((v.array() - top).exp().sum());
}

std::string which(GmmShown s) {
  return "k = " + std::to_string(s.component + 1) + " (the heaviest component), n = " +
         std::to_string(s.point + 1) + " (the point most shared)";
}

}  // namespace

GmmShown gmmShownPair(const Eigen::MatrixXd& r) {
  GmmShown out;
  if (r.rows() == 0 || r.cols() == 0) return out;
  r.colwise().sum().maxCoeff(&out.component);
  (r.col(out.component).array() - 0.5).abs().minCoeff(&out.point);
  return out;
}

std::vector<Equation> gmmCaviEquations(const NormalWishartPrior& p, const ComponentStats& s,
                                       const BayesianGmmPosterior& q, const Eigen::MatrixXd& x,
                                       GmmShown shown, const std::string& highlight) {
  const int k = shown.component, n = shown.point, d = q.dim();
  if (k >= q.components() || n >= x.rows()) return {};
  const std::string m1 = coordinate("k", d);
  Equation m;
  m.title = "CAVI M-step: q(π) and q(μ_k, Λ_k) for " + which(shown) +
            (d > 1 ? "; first coordinate of m_k" : "");
  m.source = "Bishop PRML eqs. (10.51)–(10.52), (10.58), (10.60)–(10.61), (10.63); α₀ and ν₀ as used "
             "(a setting of 0 means 1/K and D)";
  m.formula = "\\alpha_k = \\alpha_0 + N_k,\\quad \\beta_k = \\beta_0 + N_k,\\quad \\nu_k = \\nu_0 + "
              "N_k,\\quad m_{" + m1 + "} = \\frac{\\beta_0 m_{0" + (d > 1 ? ",1" : "") +
              "} + N_k \\bar{x}_{" + m1 + "}}{\\beta_k}";
  m.substituted = "#0 + #1,\\quad \\beta_k = #2 + #1,\\quad \\nu_k = #3 + #1,\\quad m_{" + m1 +
                  "} = \\frac{#2 \\cdot #4 + #1 \\cdot #5}{#6}";
  m.inputs = {{"\\alpha_0", p.alpha0},
              {"N_k", s.n(k)},
              {"\\beta_0", p.beta0},
              {"\\nu_0", p.nu0},
              {"m_{0,1}", p.m0(0)},
              {"\\bar{x}_{k,1}", s.mean(k, 0)},
              {"\\beta_k", q.beta(k)}};
  m.results = {{"\\alpha_k", q.alpha(k)}, {"\\beta_k", q.beta(k)}, {"\\nu_k", q.nu(k)},
               {"m_{" + m1 + "}", q.m(k, 0)}};
  m.highlight = highlight;

  // ln rho_nj under the new q for every j, then r_nk.
  Eigen::VectorXd logRho(q.components());
  double quadratic = 0.0;
  for (int j = 0; j < q.components(); ++j) {
    const SmallVector diff = (x.row(n) - q.m.row(j)).transpose();
    const double mahalanobis = q.nu(j) * diff.dot(q.w[j] * diff);
    if (j == k) quadratic = mahalanobis;
    logRho(j) = q.expectedLogPi(j) + 0.5 * q.expectedLogDetLambda(j) - 0.5 * d * kLog2Pi -
                0.5 * d / q.beta(j) - 0.5 * mahalanobis;
  }
  const double lse = logSumExp(logRho);
  Equation e;
  e.title = "CAVI E-step: the responsibility r_nk of " + which(shown) + ", under the new q";
  e.source = "Bishop PRML eqs. (10.46), (10.49), (10.64)–(10.66)";
  e.formula =
      "r_{nk} = \\exp\\left(\\ln\\rho_{nk} - \\ln\\sum_{j=1}^{K}\\rho_{nj}\\right),\\quad "
      "\\ln\\rho_{nk} = \\mathbb{E}[\\ln\\pi_k] + \\frac{1}{2}\\mathbb{E}[\\ln|\\Lambda_k|] - "
      "\\frac{D}{2}\\ln(2\\pi) - \\frac{D}{2\\beta_k} - \\frac{1}{2}\\nu_k (x_n - m_k)^{\\top} W_k "
      "(x_n - m_k)";
  e.substituted = "\\exp\\left(#0 - #1\\right),\\quad \\ln\\rho_{nk} = #2 + \\frac{1}{2} \\cdot #3 - "
                  "\\frac{#4}{2}\\ln(2\\pi) - \\frac{#4}{2 \\cdot #5} - \\frac{1}{2} \\cdot #6";
  e.inputs = {{"\\ln\\rho_{nk}", logRho(k)},
              {"\\ln\\sum_j \\rho_{nj}", lse},
              {"\\mathbb{E}[\\ln\\pi_k]", q.expectedLogPi(k)},
              {"\\mathbb{E}[\\ln|\\Lambda_k|]", q.expectedLogDetLambda(k)},
              {"D", double(d)},
              {"\\beta_k", q.beta(k)},
              {"\\nu_k \\Delta^2", quadratic}};
  e.results = {{"r_{nk}", std::exp(logRho(k) - lse)}, {"\\ln\\rho_{nk}", logRho(k)}};
  e.highlight = highlight;
  return {m, e};
}

std::vector<Equation> gmmEmEquations(const ComponentStats& s, double regCovar,
                                     const GaussianMixture& next, const Eigen::MatrixXd& x,
                                     GmmShown shown, const std::string& highlight) {
  const int k = shown.component, n = shown.point, d = next.dim();
  if (k >= next.components() || n >= x.rows()) return {};
  const std::string c1 = d > 1 ? "k,1" : "k", c11 = d > 1 ? "k,11" : "k";
  const double nk = s.n(k), total = s.n.sum();
  Equation m;
  m.title = "EM M-step: π_k, μ_k, Σ_k for " + which(shown) +
            (d > 1 ? "; first coordinate of μ_k and entry (1,1) of Σ_k" : "");
  m.source = "Bishop PRML eqs. (9.24)–(9.27); reg_covar added to Σ_k's diagonal (scikit-learn)";
  m.formula = "\\pi_k = \\frac{N_k}{N},\\quad \\mu_{" + c1 +
              "} = \\frac{1}{N_k}\\sum_{n=1}^{N}\\gamma(z_{nk})\\,x_{n" + (d > 1 ? ",1" : "") +
              "},\\quad \\Sigma_{" + c11 + "} = \\frac{1}{N_k}\\sum_{n=1}^{N}\\gamma(z_{nk})(x_{n" +
              (d > 1 ? ",1" : "") + "} - \\mu_{" + c1 + "})^2 + \\epsilon_{reg}";
  m.substituted = "\\frac{#0}{#1},\\quad \\mu_{" + c1 + "} = \\frac{#2}{#0},\\quad \\Sigma_{" + c11 +
                  "} = \\frac{#3}{#0} + #4";
  m.inputs = {{"N_k", nk},
              {"N", total},
              {"\\sum_n \\gamma(z_{nk}) x_n", nk * s.mean(k, 0)},
              {"\\sum_n \\gamma(z_{nk})(x_n - \\mu_k)^2", nk * s.scatter[k](0, 0)},
              {"\\epsilon_{reg}", regCovar}};
  m.results = {{"\\pi_k", next.weights(k)}, {"\\mu_{" + c1 + "}", next.means(k, 0)},
               {"\\Sigma_{" + c11 + "}", next.covariances[k](0, 0)}};
  m.highlight = highlight;

  Eigen::VectorXd logJoint(next.components());
  double logDensity = 0.0;
  for (int j = 0; j < next.components(); ++j) {
    const SmallVector diff = (x.row(n) - next.means.row(j)).transpose();
    const double ln = -0.5 * d * kLog2Pi - 0.5 * smallLogDeterminant(next.covariances[j]) -
                      0.5 * diff.dot(smallInverse(next.covariances[j]) * diff);
    if (j == k) logDensity = ln;
    logJoint(j) = std::log(next.weights(j)) + ln;
  }
  const double lse = logSumExp(logJoint);
  Equation e;
  e.title = "EM E-step: the responsibility γ(z_nk) of " + which(shown) + " at the new parameters";
  e.source = "Bishop PRML eq. (9.23), in logs";
  e.formula = "\\gamma(z_{nk}) = \\frac{\\pi_k N(x_n | \\mu_k, \\Sigma_k)}{\\sum_{j=1}^{K} \\pi_j "
              "N(x_n | \\mu_j, \\Sigma_j)},\\quad \\gamma(z_{nk}) = \\exp\\left(\\ln\\pi_k + \\ln N(x_n | \\mu_k, \\Sigma_k) - "
              "\\ln\\sum_{j=1}^{K}\\pi_j N(x_n | \\mu_j, \\Sigma_j)\\right)";
  e.substituted = "\\exp\\left(#0 + #1 - #2\\right)";
  e.inputs = {{"\\ln\\pi_k", std::log(next.weights(k))},
              {"\\ln N(x_n | \\mu_k, \\Sigma_k)", logDensity},
              {"\\ln\\sum_j \\pi_j N(x_n | \\mu_j, \\Sigma_j)", lse}};
  e.results = {{"\\gamma(z_{nk})", std::exp(logJoint(k) - lse)}};
  e.highlight = highlight;
  return {m, e};
}

std::vector<Equation> gmmBbviEquations(const GmmBbviRecord& r, double meanNow,
                                       const std::string& highlight) {
  if (!r.valid) return {};
  const std::string more = r.samples > 1 ? " + \\cdots" : "";
  const std::string k = std::to_string(r.component + 1);
  Equation est;
  est.when = Equation::When::Last;
  est.highlight = highlight;
  if (r.reparam) {
    est.title = "BBVI: reparameterization estimate of ∂ELBO/∂m_k for k = " + k +
                " (standardised units), S samples, the first shown";
    est.source = "Kingma & Welling 2014 (reparameterization); the lectures' black-box VI";
    est.formula = "\\hat{g}_{m_k} = \\frac{1}{S}\\sum_{s=1}^{S}\\frac{\\partial \\ln p(x, z_s)}{\\partial "
                  "\\mu_k},\\quad \\mu_{k,s} = m_k + \\sigma_k \\epsilon_s";
    est.substituted = "\\frac{1}{#0}\\left(#1" + more + "\\right),\\quad \\mu_{k,1} = #2 + #3 \\cdot #4";
    est.inputs = {{"S", double(r.samples)}, {"\\partial_{\\mu_k} \\ln p(x, z_1)", r.dLogP},
                  {"m_k", r.mean},          {"\\sigma_k", r.sd},
                  {"\\epsilon_1", r.eps}};
  } else {
    est.title = "BBVI: score-function estimate of ∂ELBO/∂m_k for k = " + k +
                " (standardised units), S samples, the first shown";
    est.source = "Ranganath, Gerrish & Blei 2014 (black-box VI); the lectures";
    est.formula = "\\hat{g}_{m_k} = \\frac{1}{S}\\sum_{s=1}^{S}(f_s - b_s)\\frac{\\epsilon_s}{\\sigma_k},"
                  "\\quad f_s = \\ln p(x, z_s) - \\ln q(z_s)";
    est.substituted = "\\frac{1}{#0}\\left(\\left(#1 - #2\\right)\\frac{#3}{#4}" + more + "\\right)";
    est.inputs = {{"S", double(r.samples)}, {"f_1", r.f}, {"b_1", r.baseline},
                  {"\\epsilon_1", r.eps},    {"\\sigma_k", r.sd}};
  }
  est.results = {{"\\hat{g}_{m_k}", r.gradient}};

  Equation up;
  up.when = Equation::When::Last;
  up.highlight = highlight;
  up.title = "BBVI: Adam's step on m_k";
  up.source = "Kingma & Ba 2015, Algorithm 1 (bias correction folded into α_t)";
  up.formula = "m_{k,t} = m_{k,t-1} + \\alpha_t \\frac{M_t}{\\sqrt{V_t} + \\hat{\\epsilon}}";
  up.substituted = "#0 + #1 \\cdot \\frac{#2}{\\sqrt{#3} + #4}";
  up.inputs = {{"m_{k,t-1}", r.mean}, {"\\alpha_t", r.alpha}, {"M_t", r.first},
               {"V_t", r.second},     {"\\hat{\\epsilon}", r.epsilonHat}};
  up.results = {{"m_{k,t}", meanNow}};
  return {est, up};
}

}  // namespace vilab
