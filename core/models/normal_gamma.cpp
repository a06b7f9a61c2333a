#include "core/models/normal_gamma.hpp"

#include <cmath>
#include <limits>

#include "core/math/special.hpp"

namespace vilab {

GaussianStats GaussianStats::of(std::span<const double> x) {
  // Welford's running mean and scatter: no cancellation for data far from 0.
  GaussianStats s;
  double mean = 0.0;
  for (double v : x) {
    s.n += 1.0;
    const double delta = v - mean;
    mean += delta / s.n;
    s.scatter += delta * (v - mean);
  }
  s.sum = mean * s.n;
  return s;
}

NormalGamma exactPosterior(const NormalGammaPrior& p, const GaussianStats& s) {
  NormalGamma post;
  post.kappa = p.kappa0 + s.n;
  post.mu = (p.kappa0 * p.mu0 + s.sum) / post.kappa;
  post.a = p.a0 + 0.5 * s.n;
  const double d = s.mean() - p.mu0;
  post.b = p.b0 + 0.5 * s.scatter + 0.5 * p.kappa0 * s.n * d * d / post.kappa;
  return post;
}

double logEvidence(const NormalGammaPrior& p, const GaussianStats& s) {
  const NormalGamma post = exactPosterior(p, s);
  return logGamma(post.a) - logGamma(p.a0) + p.a0 * std::log(p.b0) - post.a * std::log(post.b) +
         0.5 * std::log(p.kappa0 / post.kappa) - 0.5 * s.n * kLog2Pi;
}

MeanFieldQ updateQMu(const MeanFieldQ& q, const NormalGammaPrior& p, const GaussianStats& s) {
  MeanFieldQ next = q;
  next.m = (p.kappa0 * p.mu0 + s.sum) / (p.kappa0 + s.n);
  next.l = (p.kappa0 + s.n) * q.meanTau();
  return next;
}

MeanFieldQ updateQTau(const MeanFieldQ& q, const NormalGammaPrior& p, const GaussianStats& s) {
  MeanFieldQ next = q;
  const double d = q.m - p.mu0;
  next.a = p.a0 + 0.5 * (s.n + 1.0);
  next.b = p.b0 + 0.5 * (s.squaredDistance(q.m) + s.n / q.l + p.kappa0 * (d * d + 1.0 / q.l));
  return next;
}

MeanFieldQ caviFixedPoint(const NormalGammaPrior& p, const GaussianStats& s) {
  MeanFieldQ q;
  q.m = (p.kappa0 * p.mu0 + s.sum) / (p.kappa0 + s.n);
  const double d = q.m - p.mu0;
  const double c = s.squaredDistance(q.m) + p.kappa0 * d * d;
  q.a = p.a0 + 0.5 * (s.n + 1.0);
  q.b = (p.b0 + 0.5 * c) / (1.0 - 0.5 / q.a);
  q.l = (p.kappa0 + s.n) * q.meanTau();
  return q;
}

namespace {

double entropyNormal(double precision) { return 0.5 * (1.0 + kLog2Pi - std::log(precision)); }

double entropyGamma(double a, double b) {
  return a - std::log(b) + logGamma(a) + (1.0 - a) * digamma(a);
}

}  // namespace

double elbo(const MeanFieldQ& q, const NormalGammaPrior& p, const GaussianStats& s) {
  const double eLogTau = digamma(q.a) - std::log(q.b);
  const double eTau = q.meanTau();
  const double d = q.m - p.mu0;
  const double likelihood =
      0.5 * s.n * (eLogTau - kLog2Pi) - 0.5 * eTau * (s.squaredDistance(q.m) + s.n / q.l);
  const double priorMu =
      0.5 * (std::log(p.kappa0) + eLogTau - kLog2Pi) - 0.5 * p.kappa0 * eTau * (d * d + 1.0 / q.l);
  const double priorTau =
      p.a0 * std::log(p.b0) - logGamma(p.a0) + (p.a0 - 1.0) * eLogTau - p.b0 * eTau;
  return likelihood + priorMu + priorTau + entropyNormal(q.l) + entropyGamma(q.a, q.b);
}

double klToPosterior(const MeanFieldQ& q, const NormalGamma& post) {
  const double eLogTau = digamma(q.a) - std::log(q.b);
  const double eTau = q.meanTau();
  const double d = q.m - post.mu;
  const double eLogPMu =
      0.5 * (std::log(post.kappa) + eLogTau - kLog2Pi) - 0.5 * post.kappa * eTau * (d * d + 1.0 / q.l);
  const double eLogPTau =
      post.a * std::log(post.b) - logGamma(post.a) + (post.a - 1.0) * eLogTau - post.b * eTau;
  return -entropyNormal(q.l) - entropyGamma(q.a, q.b) - eLogPMu - eLogPTau;
}

LogJoint logJoint(double mu, double tau, const NormalGammaPrior& p, const GaussianStats& s) {
  const double d = mu - p.mu0;
  const double quad = s.squaredDistance(mu) + p.kappa0 * d * d;
  const double logTauCoef = 0.5 * (s.n + 1.0) + p.a0 - 1.0;
  LogJoint j;
  j.value = logTauCoef * std::log(tau) - 0.5 * (s.n + 1.0) * kLog2Pi + 0.5 * std::log(p.kappa0) -
            0.5 * tau * quad + p.a0 * std::log(p.b0) - logGamma(p.a0) - p.b0 * tau;
  j.dMu = tau * (s.sum - s.n * mu) - tau * p.kappa0 * d;
  j.dTau = logTauCoef / tau - 0.5 * quad - p.b0;
  return j;
}

double normalLogPdf(double x, double mean, double precision) {
  const double d = x - mean;
  return 0.5 * (std::log(precision) - kLog2Pi) - 0.5 * precision * d * d;
}

double gammaLogPdf(double x, double shape, double rate) {
  if (!(x > 0.0)) return -std::numeric_limits<double>::infinity();
  return shape * std::log(rate) - logGamma(shape) + (shape - 1.0) * std::log(x) - rate * x;
}

double studentTLogPdf(double x, double dof, double location, double scale) {
  const double z = (x - location) / scale;
  return logGamma(0.5 * (dof + 1.0)) - logGamma(0.5 * dof) - 0.5 * std::log(dof * kPi) -
         std::log(scale) - 0.5 * (dof + 1.0) * std::log1p(z * z / dof);
}

double normalGammaLogPdf(double mu, double tau, const NormalGamma& ng) {
  if (!(tau > 0.0)) return -std::numeric_limits<double>::infinity();
  return normalLogPdf(mu, ng.mu, ng.kappa * tau) + gammaLogPdf(tau, ng.a, ng.b);
}

double posteriorMarginalMuLogPdf(double mu, const NormalGamma& ng) {
  return studentTLogPdf(mu, 2.0 * ng.a, ng.mu, std::sqrt(ng.b / (ng.a * ng.kappa)));
}

double posteriorPredictiveLogPdf(double x, const NormalGamma& ng) {
  return studentTLogPdf(x, 2.0 * ng.a, ng.mu,
                        std::sqrt(ng.b * (ng.kappa + 1.0) / (ng.a * ng.kappa)));
}

MaximumLikelihood maximumLikelihood(const GaussianStats& s) {
  return {s.mean(), s.scatter > 0.0 ? s.n / s.scatter : std::numeric_limits<double>::infinity()};
}

}  // namespace vilab
