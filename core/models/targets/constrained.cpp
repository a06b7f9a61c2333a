#include "core/models/targets/constrained.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/math/random.hpp"
#include "core/math/special.hpp"

namespace vilab {

namespace {

// ln sigma(v) = -ln(1 + e^-v) without overflow.
double logSigmoid(double v) {
  return -(std::max(-v, 0.0) + std::log1p(std::exp(-std::abs(v))));
}
double sigmoid(double v) {
  return v >= 0 ? 1.0 / (1.0 + std::exp(-v)) : std::exp(v) / (1.0 + std::exp(v));
}

// Poisson(mean) by multiplying uniforms (Knuth, TAOCP 2 §3.4.1): fine for the small rates here.
int poisson(Random& rng, double mean) {
  const double limit = std::exp(-mean);
  int k = 0;
  for (double p = rng.uniform(); p > limit; p *= rng.uniform()) ++k;
  return k;
}

double logBeta(double a, double b) {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

// The point on one side (dir = +-1) of the mode of a concave f where f has dropped by `drop`.
template <class F>
double dropPoint(F f, double mode, double dir, double drop) {
  const double target = f(mode) - drop;
  double inside = mode, step = 0.5;
  double outside = mode + dir * step;
  while (f(outside) > target) {
    inside = outside;
    step *= 2.0;
    outside = mode + dir * step;
  }
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (inside + outside);
    (f(mid) > target ? inside : outside) = mid;
  }
  return 0.5 * (inside + outside);
}

class ConstrainedTarget final : public Target {
 public:
  explicit ConstrainedTarget(ConstrainedModel m) : m_model(std::move(m)) {
    double logFactorials = 0.0;
    for (int y : m_model.counts) logFactorials += logGamma(y + 1.0);
    m_constant = m_model.a0 * std::log(m_model.b0) - logGamma(m_model.a0) - logFactorials -
                 logBeta(m_model.alpha0, m_model.beta0);
  }

  std::string name() const override {
    return "constrained (Poisson-Gamma x Bernoulli-Beta, n = " +
           std::to_string(m_model.counts.size()) + ")";
  }

  void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                  Eigen::MatrixXd* grads) const override {
    const Eigen::Index s = z.rows();
    values.resize(s);
    if (grads) grads->resize(s, 2);
    const double a = m_model.an, b = m_model.bn, al = m_model.alphan, be = m_model.betan;
    for (Eigen::Index i = 0; i < s; ++i) {
      const double u = z(i, 0), v = z(i, 1);
      const double lambda = std::exp(u);
      values[i] = m_constant + a * u - b * lambda + al * logSigmoid(v) + be * logSigmoid(-v);
      if (grads) {
        const double theta = sigmoid(v);
        (*grads)(i, 0) = a - b * lambda;
        (*grads)(i, 1) = al * (1.0 - theta) - be * theta;
      }
    }
  }

  Eigen::Vector4d box() const override { return boxAt(10.0); }

  std::array<QuadratureAxis, 2> quadratureAxes(int points) const override {
    const Eigen::Vector4d b = boxAt(30.0);  // density e^-30 of the peak at the ends
    return {QuadratureAxis::uniform(b[0], b[1], points),
            QuadratureAxis::uniform(b[2], b[3], points)};
  }

  double closedFormLogZ() const override { return m_model.logEvidence; }
  bool constrained() const override { return true; }

 private:
  // The box where each (separable) factor of the z density is within e^-drop of its peak.
  Eigen::Vector4d boxAt(double drop) const {
    const double a = m_model.an, b = m_model.bn, al = m_model.alphan, be = m_model.betan;
    const auto f1 = [&](double u) { return a * u - b * std::exp(u); };
    const auto f2 = [&](double v) { return al * logSigmoid(v) + be * logSigmoid(-v); };
    const double m1 = std::log(a / b), m2 = std::log(al / be);
    return {dropPoint(f1, m1, -1.0, drop), dropPoint(f1, m1, 1.0, drop),
            dropPoint(f2, m2, -1.0, drop), dropPoint(f2, m2, 1.0, drop)};
  }

  ConstrainedModel m_model;
  double m_constant = 0.0;
};

}  // namespace

ConstrainedModel constrainedModel(const TargetSpec& spec) {
  ConstrainedModel m;
  Random rng(spec.dataSeed);
  const int n = std::max(spec.dataCount, 0);
  int sumY = 0, sumX = 0;
  for (int i = 0; i < n; ++i) {
    m.counts.push_back(poisson(rng, m.trueLambda));
    m.successes.push_back(rng.uniform() < m.trueTheta ? 1 : 0);
    sumY += m.counts.back();
    sumX += m.successes.back();
  }
  m.an = m.a0 + sumY;
  m.bn = m.b0 + n;
  m.alphan = m.alpha0 + sumX;
  m.betan = m.beta0 + (n - sumX);
  double logFactorials = 0.0;
  for (int y : m.counts) logFactorials += logGamma(y + 1.0);
  // p(y) = prod 1/y_i! b0^a0 Gamma(a_n) / (Gamma(a0) b_n^a_n);  p(x) = B(alpha_n, beta_n) /
  // B(alpha0, beta0).
  m.logEvidence = m.a0 * std::log(m.b0) - logGamma(m.a0) + logGamma(m.an) - m.an * std::log(m.bn) -
                  logFactorials + logBeta(m.alphan, m.betan) - logBeta(m.alpha0, m.beta0);
  return m;
}

std::unique_ptr<Target> makeConstrainedTarget(const TargetSpec& spec) {
  return std::make_unique<ConstrainedTarget>(constrainedModel(spec));
}

void toConstrained(const Eigen::MatrixXd& z, Eigen::MatrixXd& x) {
  x.resize(z.rows(), 2);
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    x(i, 0) = std::exp(z(i, 0));
    x(i, 1) = sigmoid(z(i, 1));
  }
}

void toUnconstrained(const Eigen::MatrixXd& x, Eigen::MatrixXd& z) {
  z.resize(x.rows(), 2);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    z(i, 0) = std::log(x(i, 0));
    z(i, 1) = std::log(x(i, 1)) - std::log1p(-x(i, 1));
  }
}

void logJacobian(const Eigen::MatrixXd& z, Eigen::VectorXd& out) {
  out.resize(z.rows());
  for (Eigen::Index i = 0; i < z.rows(); ++i)
    out[i] = z(i, 0) + logSigmoid(z(i, 1)) + logSigmoid(-z(i, 1));
}

void toConstrainedLogDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& logDensityAtZ) {
  for (Eigen::Index i = 0; i < z.rows(); ++i)
    logDensityAtZ[i] -= z(i, 0) + logSigmoid(z(i, 1)) + logSigmoid(-z(i, 1));
}

Eigen::Vector4d constrainedBox(const Eigen::Vector4d& zBox) {
  return {std::exp(zBox[0]), std::exp(zBox[1]), sigmoid(zBox[2]), sigmoid(zBox[3])};
}

}  // namespace vilab
