#include "core/models/targets/densities.hpp"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "core/models/targets/bump_text.hpp"
#include "core/models/targets/constrained.hpp"

namespace vilab {

namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

// Half-widths (in sd) of the view box and of the quadrature grid: the quadrature's ends lie
// where a Gaussian's density is e^-32 of its peak, mass beyond ~1e-15.
constexpr double kViewSds = 4.0;
constexpr double kQuadratureSds = 8.0;

// Nodes per axis for a uniform axis of length `span` to resolve a Gaussian feature of sd `sd`:
// the trapezoid rule's relative error on a Gaussian is ~2 exp(-2 pi^2 sd^2 / h^2) (Trefethen &
// Weideman 2014, eq. 3.4), below 1e-14 for sd / h >= 1.3. At least `points`, at most 2 points.
int nodesToResolve(double span, double sd, int points) {
  const double needed = std::ceil(1.3 * span / sd) + 1.0;
  return static_cast<int>(std::clamp(needed, double(points), 2.0 * points));
}

std::array<QuadratureAxis, 2> uniformAxes(const Eigen::Vector4d& b, double sd, int points) {
  return {QuadratureAxis::uniform(b[0], b[1], nodesToResolve(b[1] - b[0], sd, points)),
          QuadratureAxis::uniform(b[2], b[3], nodesToResolve(b[3] - b[2], sd, points))};
}

class GaussianTarget final : public Target {
 public:
  explicit GaussianTarget(const TargetSpec& s) : m_s1(s.sigma1), m_s2(s.sigma2), m_rho(s.rho) {
    const double d = 1.0 - m_rho * m_rho;
    m_p11 = 1.0 / (d * m_s1 * m_s1);
    m_p22 = 1.0 / (d * m_s2 * m_s2);
    m_p12 = -m_rho / (d * m_s1 * m_s2);
  }
  std::string name() const override {
    return "correlated Gaussian (sigma1 " + num(m_s1) + ", sigma2 " + num(m_s2) + ", rho " +
           num(m_rho) + ")";
  }
  void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                  Eigen::MatrixXd* grads) const override {
    values.resize(z.rows());
    if (grads) grads->resize(z.rows(), 2);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double a = z(i, 0), b = z(i, 1);
      const double g0 = m_p11 * a + m_p12 * b, g1 = m_p12 * a + m_p22 * b;  // Lambda z
      values[i] = -0.5 * (a * g0 + b * g1);
      if (grads) {
        (*grads)(i, 0) = -g0;
        (*grads)(i, 1) = -g1;
      }
    }
  }
  Eigen::Vector4d box() const override { return boxAt(kViewSds); }
  std::array<QuadratureAxis, 2> quadratureAxes(int points) const override {
    // The conditional sds sigma_i sqrt(1 - rho^2) set the spacing each axis needs.
    const double c = std::sqrt(1.0 - m_rho * m_rho);
    const Eigen::Vector4d b = boxAt(kQuadratureSds);
    return {QuadratureAxis::uniform(b[0], b[1], nodesToResolve(b[1] - b[0], c * m_s1, points)),
            QuadratureAxis::uniform(b[2], b[3], nodesToResolve(b[3] - b[2], c * m_s2, points))};
  }
  double closedFormLogZ() const override {
    return std::log(kTwoPi * m_s1 * m_s2) + 0.5 * std::log(1.0 - m_rho * m_rho);
  }

 private:
  Eigen::Vector4d boxAt(double k) const { return {-k * m_s1, k * m_s1, -k * m_s2, k * m_s2}; }
  double m_s1, m_s2, m_rho, m_p11 = 0, m_p22 = 0, m_p12 = 0;
};

// z1 ~ N(0, 2^2), z2 | z1 ~ N(c z1^2 - 1, 0.7^2) (Haario et al. 1999's twisted Gaussian form).
class BananaTarget final : public Target {
 public:
  explicit BananaTarget(double curvature) : m_c(curvature) {}
  std::string name() const override { return "banana (curvature " + num(m_c) + ")"; }
  void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                  Eigen::MatrixXd* grads) const override {
    values.resize(z.rows());
    if (grads) grads->resize(z.rows(), 2);
    constexpr double kInvVar1 = 1.0 / (kSd1 * kSd1), kInvVar2 = 1.0 / (kSd2 * kSd2);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double a = z(i, 0);
      const double r = z(i, 1) - m_c * a * a - kShift;
      values[i] = -0.5 * (a * a * kInvVar1 + r * r * kInvVar2);
      if (grads) {
        (*grads)(i, 0) = -a * kInvVar1 + 2.0 * m_c * a * r * kInvVar2;
        (*grads)(i, 1) = -r * kInvVar2;
      }
    }
  }
  Eigen::Vector4d box() const override { return boxAt(3.5, kViewSds); }
  std::array<QuadratureAxis, 2> quadratureAxes(int points) const override {
    // |z1| > 6.5 sd holds 8e-11 of the mass; z2 then spans the parabola's range.
    return uniformAxes(boxAt(6.5, kQuadratureSds), kSd2, points);
  }
  double closedFormLogZ() const override { return std::log(kTwoPi * kSd1 * kSd2); }

 private:
  static constexpr double kSd1 = 2.0, kSd2 = 0.7, kShift = -1.0;
  Eigen::Vector4d boxAt(double k1, double k2) const {
    const double a = k1 * kSd1, bend = m_c * a * a;
    return {-a, a, kShift + std::min(0.0, bend) - k2 * kSd2,
            kShift + std::max(0.0, bend) + k2 * kSd2};
  }
  double m_c;
};

// Sum of isotropic Gaussians: the mixture and the custom targets.
class IsotropicMixtureTarget final : public Target {
 public:
  IsotropicMixtureTarget(IsotropicComponents c, std::string name)
      : m_c(std::move(c)), m_name(std::move(name)) {
    const Eigen::Index k = m_c.weight.size();
    m_logConst.resize(k);
    m_invVar.resize(k);
    for (Eigen::Index j = 0; j < k; ++j) {
      m_invVar[j] = 1.0 / (m_c.sd[j] * m_c.sd[j]);
      m_logConst[j] = std::log(m_c.weight[j]) - std::log(kTwoPi * m_c.sd[j] * m_c.sd[j]);
    }
  }
  std::string name() const override { return m_name; }
  void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                  Eigen::MatrixXd* grads) const override {
    values.resize(z.rows());
    if (grads) grads->resize(z.rows(), 2);
    const Eigen::Index k = m_logConst.size();
    // ln of each component's term at the point: on the stack for up to kMaxBumps components.
    double stack[kMaxBumps];
    std::vector<double> heap(k > kMaxBumps ? static_cast<std::size_t>(k) : 0);
    double* t = k > kMaxBumps ? heap.data() : stack;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double a = z(i, 0), b = z(i, 1);
      double m = -std::numeric_limits<double>::infinity();
      for (Eigen::Index j = 0; j < k; ++j) {
        const double da = a - m_c.mean(j, 0), db = b - m_c.mean(j, 1);
        t[j] = m_logConst[j] - 0.5 * (da * da + db * db) * m_invVar[j];
        m = std::max(m, t[j]);
      }
      double sum = 0.0, g0 = 0.0, g1 = 0.0;
      for (Eigen::Index j = 0; j < k; ++j) {
        const double e = std::exp(t[j] - m);
        sum += e;
        if (grads) {  // responsibility-weighted pull towards each mean
          g0 += e * (m_c.mean(j, 0) - a) * m_invVar[j];
          g1 += e * (m_c.mean(j, 1) - b) * m_invVar[j];
        }
      }
      values[i] = m + std::log(sum);
      if (grads) {
        (*grads)(i, 0) = g0 / sum;
        (*grads)(i, 1) = g1 / sum;
      }
    }
  }
  Eigen::Vector4d box() const override { return boxAt(kViewSds); }
  std::array<QuadratureAxis, 2> quadratureAxes(int points) const override {
    return uniformAxes(boxAt(kQuadratureSds), m_c.sd.minCoeff(), points);
  }
  double closedFormLogZ() const override { return std::log(m_c.weight.sum()); }

 private:
  Eigen::Vector4d boxAt(double k) const {
    Eigen::Vector4d b(
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity());
    for (Eigen::Index j = 0; j < m_c.weight.size(); ++j) {
      const double r = k * m_c.sd[j];
      b[0] = std::min(b[0], m_c.mean(j, 0) - r);
      b[1] = std::max(b[1], m_c.mean(j, 0) + r);
      b[2] = std::min(b[2], m_c.mean(j, 1) - r);
      b[3] = std::max(b[3], m_c.mean(j, 1) + r);
    }
    return b;
  }
  IsotropicComponents m_c;
  std::string m_name;
  Eigen::VectorXd m_logConst, m_invVar;
};

class RingTarget final : public Target {
 public:
  RingTarget(double radius, double width) : m_r(radius), m_w(width) {}
  std::string name() const override {
    return "ring (radius " + num(m_r) + ", width " + num(m_w) + ")";
  }
  void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                  Eigen::MatrixXd* grads) const override {
    values.resize(z.rows());
    if (grads) grads->resize(z.rows(), 2);
    const double invVar = 1.0 / (m_w * m_w);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double a = z(i, 0), b = z(i, 1);
      const double r = std::hypot(a, b), d = r - m_r;
      values[i] = -0.5 * d * d * invVar;
      if (grads) {
        // The cone at the origin (R > 0) has no gradient; 0 there.
        const double f = r > 0.0 ? -d * invVar / r : 0.0;
        (*grads)(i, 0) = f * a;
        (*grads)(i, 1) = f * b;
      }
    }
  }
  Eigen::Vector4d box() const override { return boxAt(kViewSds); }
  std::array<QuadratureAxis, 2> quadratureAxes(int points) const override {
    return uniformAxes(boxAt(kQuadratureSds), m_w, points);
  }
  double closedFormLogZ() const override {
    // Z = 2 pi int_0^inf r e^{-(r-R)^2/2w^2} dr = 2 pi [w^2 e^{-R^2/2w^2} + R w sqrt(2 pi)
    // Phi(R/w)].
    const double phi = 0.5 * std::erfc(-m_r / (m_w * std::numbers::sqrt2));
    return std::log(kTwoPi * (m_w * m_w * std::exp(-0.5 * m_r * m_r / (m_w * m_w)) +
                              m_r * m_w * std::sqrt(kTwoPi) * phi));
  }

 private:
  Eigen::Vector4d boxAt(double k) const {
    const double h = m_r + k * m_w;
    return {-h, h, -h, h};
  }
  double m_r, m_w;
};

class FunnelTarget final : public Target {
 public:
  explicit FunnelTarget(double scale) : m_s(scale) {}
  std::string name() const override { return "Neal's funnel (scale " + num(m_s) + ")"; }
  void logDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                  Eigen::MatrixXd* grads) const override {
    values.resize(z.rows());
    if (grads) grads->resize(z.rows(), 2);
    const double invVar = 1.0 / (m_s * m_s);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double x = z(i, 0), v = z(i, 1);
      const double e = std::exp(-v);
      values[i] = -0.5 * v * v * invVar - 0.5 * x * x * e - 0.5 * v;
      if (grads) {
        (*grads)(i, 0) = -x * e;
        (*grads)(i, 1) = -v * invVar + 0.5 * x * x * e - 0.5;
      }
    }
  }
  // v within +-3.5 s; x within 3 sd of the slice at v = s.
  Eigen::Vector4d box() const override {
    const double hx = 3.0 * std::exp(0.5 * m_s), hv = 3.5 * m_s;
    return {-hx, hx, -hv, hv};
  }
  std::array<QuadratureAxis, 2> quadratureAxes(int points) const override {
    // v: uniform over +-6 s (mass beyond 2e-9). x: the sinh rule from the narrowest slice's sd
    // e^{-3 s} to 8 sd of the widest, e^{3 s}: every slice N(0, e^v) is integrated to ~1e-9.
    const double kv = 6.0;
    return {QuadratureAxis::sinhMapped(0.0, std::exp(-0.5 * kv * m_s),
                                       8.0 * std::exp(0.5 * kv * m_s), points),
            QuadratureAxis::uniform(-kv * m_s, kv * m_s, points)};
  }
  double closedFormLogZ() const override { return std::log(kTwoPi * m_s); }

 private:
  double m_s;
};

}  // namespace

IsotropicComponents isotropicComponents(const TargetSpec& spec) {
  IsotropicComponents c;
  if (spec.kind == TargetSpec::Kind::Custom) {
    std::vector<TargetBump> bumps = spec.bumps;
    if (bumps.empty()) bumps.push_back(TargetBump{});
    const auto k = static_cast<Eigen::Index>(bumps.size());
    c.weight.resize(k);
    c.sd.resize(k);
    c.mean.resize(k, 2);
    for (Eigen::Index j = 0; j < k; ++j) {
      const TargetBump& b = bumps[static_cast<std::size_t>(j)];
      c.weight[j] = b.weight;
      c.sd[j] = b.sd;
      c.mean.row(j) << b.x, b.y;
    }
    return c;
  }
  const int k = std::clamp(spec.modes, 1, 4);
  const double radius = k == 1 ? 0.0 : spec.separation / (2.0 * std::sin(std::numbers::pi / k));
  const double total = spec.weight + (k - 1);
  c.weight.resize(k);
  c.sd = Eigen::VectorXd::Constant(k, spec.width);
  c.mean.resize(k, 2);
  for (int j = 0; j < k; ++j) {
    const double angle = std::numbers::pi + kTwoPi * j / k;  // the first mode on the left
    c.mean.row(j) << radius * std::cos(angle), radius * std::sin(angle);
    c.weight[j] = (j == 0 ? spec.weight : 1.0) / total * kTwoPi * spec.width * spec.width;
  }
  if (k == 2) c.mean(0, 1) = c.mean(1, 1) = 0.0;  // exactly on the axis (sin pi is not 0)
  return c;
}

Status checkTargetSpec(const TargetSpec& s) {
  const auto bad = [](const std::string& field, double v, const std::string& range) {
    return Status::error("target." + field + " is " + num(v) + "; it must be " + range);
  };
  using K = TargetSpec::Kind;
  switch (s.kind) {
    case K::Gaussian:
      if (!(s.sigma1 > 0.0) || !std::isfinite(s.sigma1)) return bad("sigma1", s.sigma1, "> 0");
      if (!(s.sigma2 > 0.0) || !std::isfinite(s.sigma2)) return bad("sigma2", s.sigma2, "> 0");
      if (!(std::abs(s.rho) < 1.0)) return bad("rho", s.rho, "in (-1, 1)");
      break;
    case K::Banana:
      if (!std::isfinite(s.curvature)) return bad("curvature", s.curvature, "finite");
      break;
    case K::Mixture:
      if (s.modes < 2 || s.modes > 4) return bad("modes", s.modes, "2, 3 or 4");
      if (!(s.separation >= 0.0) || !std::isfinite(s.separation))
        return bad("separation", s.separation, ">= 0");
      if (!(s.weight > 0.0) || !std::isfinite(s.weight)) return bad("weight", s.weight, "> 0");
      if (!(s.width > 0.0) || !std::isfinite(s.width)) return bad("width", s.width, "> 0");
      break;
    case K::Ring:
      if (!(s.radius >= 0.0) || !std::isfinite(s.radius)) return bad("radius", s.radius, ">= 0");
      if (!(s.ringWidth > 0.0) || !std::isfinite(s.ringWidth))
        return bad("ring_width", s.ringWidth, "> 0");
      break;
    case K::Funnel:
      if (!(s.funnelScale > 0.0) || !std::isfinite(s.funnelScale))
        return bad("funnel_scale", s.funnelScale, "> 0");
      break;
    case K::Constrained:
      if (s.dataCount < 0) return bad("data_count", s.dataCount, ">= 0");
      break;
    case K::Custom:
      if (s.bumps.size() > static_cast<std::size_t>(kMaxBumps))
        return Status::error("target.bumps has " + std::to_string(s.bumps.size()) +
                             " bumps; at most " + std::to_string(kMaxBumps));
      for (std::size_t j = 0; j < s.bumps.size(); ++j) {
        const TargetBump& b = s.bumps[j];
        const std::string where = "bumps (bump " + std::to_string(j + 1) + ") ";
        if (!std::isfinite(b.x) || !std::isfinite(b.y))
          return Status::error("target." + where + "centre must be finite");
        if (!(b.sd > 0.0) || !std::isfinite(b.sd)) return bad(where + "sd", b.sd, "> 0");
        if (!(b.weight > 0.0) || !std::isfinite(b.weight)) return bad(where + "w", b.weight, "> 0");
      }
      break;
  }
  return Status::ok();
}

std::unique_ptr<Target> makeTarget(const TargetSpec& spec) {
  using K = TargetSpec::Kind;
  switch (spec.kind) {
    case K::Gaussian:
      return std::make_unique<GaussianTarget>(spec);
    case K::Banana:
      return std::make_unique<BananaTarget>(spec.curvature);
    case K::Mixture:
      return std::make_unique<IsotropicMixtureTarget>(
          isotropicComponents(spec), "mixture of " + std::to_string(std::clamp(spec.modes, 1, 4)) +
                                         " Gaussians (separation " + num(spec.separation) +
                                         ", weight " + num(spec.weight) + ", width " +
                                         num(spec.width) + ")");
    case K::Ring:
      return std::make_unique<RingTarget>(spec.radius, spec.ringWidth);
    case K::Funnel:
      return std::make_unique<FunnelTarget>(spec.funnelScale);
    case K::Constrained:
      return makeConstrainedTarget(spec);
    case K::Custom: {
      IsotropicComponents c = isotropicComponents(spec);
      const std::string name = "your own (" + std::to_string(c.weight.size()) + " bump" +
                               (c.weight.size() == 1 ? "" : "s") + ")";
      return std::make_unique<IsotropicMixtureTarget>(std::move(c), name);
    }
  }
  return nullptr;
}

}  // namespace vilab
