#pragma once
// Adam (Kingma & Ba 2015, Algorithm 1) for gradient ascent on one flat parameter vector, with
// the bias-corrected step size folded into alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace vilab {

template <class Scalar>
class Adam {
 public:
  using Vector = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  struct Settings {
    Scalar lr = Scalar(1e-3);
    Scalar beta1 = Scalar(0.9);
    Scalar beta2 = Scalar(0.999);
    Scalar epsilon = Scalar(1e-8);
  };

  Adam() = default;
  explicit Adam(Eigen::Index size, Settings settings = {}) { reset(size, settings); }

  void reset(Eigen::Index size, Settings settings) {
    m_settings = settings;
    m_m = Vector::Zero(size);
    m_v = Vector::Zero(size);
    m_t = 0;
  }
  void setLearningRate(Scalar lr) { m_settings.lr = lr; }
  Eigen::Index size() const { return m_m.size(); }
  long long steps() const { return m_t; }
  // After a step: the moment estimates M_t, V_t and the alpha_t and eps_hat it used (what the
  // live equations show).
  const Vector& firstMoment() const { return m_m; }
  const Vector& secondMoment() const { return m_v; }
  Scalar stepSize() const {
    using std::pow;
    using std::sqrt;
    return m_settings.lr * sqrt(1 - pow(m_settings.beta2, Scalar(m_t))) / (1 - pow(m_settings.beta1, Scalar(m_t)));
  }
  Scalar epsilonHat() const {
    using std::pow;
    using std::sqrt;
    return m_settings.epsilon * sqrt(1 - pow(m_settings.beta2, Scalar(m_t)));
  }

  // params += step towards larger objective, given its gradient.
  template <class Params, class Grad>
  void ascend(Params&& params, const Grad& gradient) {
    ++m_t;
    const Scalar b1 = m_settings.beta1, b2 = m_settings.beta2;
    m_m = b1 * m_m + (1 - b1) * gradient.array();
    m_v = b2 * m_v + (1 - b2) * gradient.array().square();
    using std::pow;
    using std::sqrt;
    const Scalar alpha = m_settings.lr * sqrt(1 - pow(b2, Scalar(m_t))) / (1 - pow(b1, Scalar(m_t)));
    // epsilon is scaled like the bias-corrected form: eps_hat = eps sqrt(1 - b2^t).
    const Scalar eps = m_settings.epsilon * sqrt(1 - pow(b2, Scalar(m_t)));
    params.array() += alpha * m_m / (m_v.sqrt() + eps);
  }

  // The same step on contiguous storage of size() entries, a cache-sized chunk at a time so
  // that the four arrays are streamed once (the VAE's 800k weights make Adam memory-bound).
  void ascend(Scalar* params, const Scalar* gradient) {
    ++m_t;
    const Scalar b1 = m_settings.beta1, b2 = m_settings.beta2;
    using std::pow;
    using std::sqrt;
    const Scalar alpha = m_settings.lr * sqrt(1 - pow(b2, Scalar(m_t))) / (1 - pow(b1, Scalar(m_t)));
    const Scalar eps = m_settings.epsilon * sqrt(1 - pow(b2, Scalar(m_t)));
    constexpr Eigen::Index kChunk = 1024;
    for (Eigen::Index start = 0; start < m_m.size(); start += kChunk) {
      const Eigen::Index len = std::min(kChunk, m_m.size() - start);
      const Eigen::Map<const Vector> g(gradient + start, len);
      auto m = m_m.segment(start, len);
      auto v = m_v.segment(start, len);
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g.square();
      Eigen::Map<Vector>(params + start, len) += alpha * m / (v.sqrt() + eps);
    }
  }

 private:
  Settings m_settings;
  Vector m_m, m_v;
  long long m_t = 0;
};

}  // namespace vilab
