#pragma once
// Closed forms for the univariate Gaussian with unknown mean mu and precision tau under the
// conjugate Normal-Gamma prior p(mu|tau) = N(mu0, (kappa0 tau)^-1), p(tau) = Gamma(a0, rate b0):
// the exact posterior and evidence (Murphy 2007, "Conjugate Bayesian analysis of the Gaussian
// distribution", sec. 8), and mean-field q(mu) q(tau) = N(m, 1/l) Gamma(a, b) with its CAVI
// updates (Bishop PRML 10.1.3, eqs. 10.26-10.30), ELBO and KL to the exact posterior.

#include <span>

namespace vilab {

// Sufficient statistics of x_1..x_N.
struct GaussianStats {
  double n = 0.0;
  double sum = 0.0;      // sum x_n
  double scatter = 0.0;  // sum (x_n - mean)^2, accumulated stably
  double mean() const { return n > 0 ? sum / n : 0.0; }
  // sum (x_n - c)^2
  double squaredDistance(double c) const {
    const double d = mean() - c;
    return scatter + n * d * d;
  }
  static GaussianStats of(std::span<const double> x);
};

struct NormalGammaPrior {
  double mu0 = 0.0, kappa0 = 1.0, a0 = 1.0, b0 = 1.0;
};

// NG(mu, tau | mu, kappa, a, b) = N(mu | mu, (kappa tau)^-1) Gamma(tau | a, rate b).
struct NormalGamma {
  double mu = 0.0, kappa = 1.0, a = 1.0, b = 1.0;
};

// q(mu) q(tau) = N(mu | m, 1/l) Gamma(tau | a, rate b).
struct MeanFieldQ {
  double m = 0.0, l = 1.0, a = 1.0, b = 1.0;
  double meanTau() const { return a / b; }
};

NormalGamma exactPosterior(const NormalGammaPrior& prior, const GaussianStats& stats);

// log p(x) = log Gamma(aN) - log Gamma(a0) + a0 log b0 - aN log bN + (1/2) log(kappa0/kappaN)
//            - (N/2) log(2 pi).
double logEvidence(const NormalGammaPrior& prior, const GaussianStats& stats);

// CAVI half steps. q(mu) update (Bishop 10.26-10.27): m = (kappa0 mu0 + N xbar)/(kappa0 + N),
// l = (kappa0 + N) E[tau]. q(tau) update (10.29-10.30): a = a0 + (N+1)/2,
// b = b0 + (1/2) E_mu[sum (x_n - mu)^2 + kappa0 (mu - mu0)^2].
MeanFieldQ updateQMu(const MeanFieldQ& q, const NormalGammaPrior& prior, const GaussianStats& s);
MeanFieldQ updateQTau(const MeanFieldQ& q, const NormalGammaPrior& prior, const GaussianStats& s);

// The CAVI fixed point, solved in closed form: with C the b-update's data term at m*,
// b* = (b0 + C/2) / (1 - 1/(2a*)).
MeanFieldQ caviFixedPoint(const NormalGammaPrior& prior, const GaussianStats& stats);

// ELBO(q) = E_q[log p(x, mu, tau)] + H[q(mu)] + H[q(tau)], every constant included.
double elbo(const MeanFieldQ& q, const NormalGammaPrior& prior, const GaussianStats& stats);

// KL(q || NG(post)) in closed form, independent of the ELBO (so log p(x) = ELBO + KL is a check).
double klToPosterior(const MeanFieldQ& q, const NormalGamma& posterior);

// log p(x, mu, tau) and its partial derivatives (tau > 0).
struct LogJoint {
  double value, dMu, dTau;
};
LogJoint logJoint(double mu, double tau, const NormalGammaPrior& prior, const GaussianStats& stats);

// Densities for the views.
double normalLogPdf(double x, double mean, double precision);
double gammaLogPdf(double x, double shape, double rate);  // -inf for x <= 0
double studentTLogPdf(double x, double dof, double location, double scale);
double normalGammaLogPdf(double mu, double tau, const NormalGamma& ng);

// Exact marginal of mu: Student-t with 2a degrees of freedom, location mu, scale^2 b/(a kappa).
// Exact posterior predictive: Student-t, 2a dof, location mu, scale^2 b (kappa + 1)/(a kappa).
double posteriorMarginalMuLogPdf(double mu, const NormalGamma& ng);
double posteriorPredictiveLogPdf(double x, const NormalGamma& ng);

// Maximum likelihood: mu = xbar, tau = N / sum (x - xbar)^2 (infinite for identical points).
struct MaximumLikelihood {
  double mu, tau;
};
MaximumLikelihood maximumLikelihood(const GaussianStats& stats);

}  // namespace vilab
