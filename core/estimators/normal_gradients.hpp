#pragma once
// Single-sample estimates of the gradient of E_{x ~ N(mu, sigma^2)}[f(x)] with respect to
// (mu, sigma), from one standard normal draw eps (x = mu + sigma eps):
//   pathwise (reparameterisation):  d/dmu = f'(x),          d/dsigma = f'(x) eps
//   score function (REINFORCE):     d/dmu = f(x) eps/sigma, d/dsigma = f(x) (eps^2 - 1)/sigma
// Both are unbiased; for f(x) = (x - k)^2 at mu = k, sigma = 1 their variances are
// 4 and 8 (pathwise) against 15 and 74 (score function).

namespace vilab {

struct NormalGradient {
  double dMu = 0.0;
  double dSigma = 0.0;
};

inline NormalGradient pathwiseNormal(double fPrimeAtX, double eps) {
  return {fPrimeAtX, fPrimeAtX * eps};
}

// f may already have a baseline subtracted: E[score] = 0 keeps the estimate unbiased.
inline NormalGradient scoreNormal(double fAtX, double eps, double sigma) {
  return {fAtX * eps / sigma, fAtX * (eps * eps - 1.0) / sigma};
}

}  // namespace vilab
