#pragma once
// Plain stochastic gradient ascent: params += lr * gradient.

#include <Eigen/Core>

namespace vilab {

template <class Scalar>
class Sgd {
 public:
  explicit Sgd(Scalar lr = Scalar(1e-2)) : m_lr(lr) {}
  void setLearningRate(Scalar lr) { m_lr = lr; }

  template <class Params, class Grad>
  void ascend(Params&& params, const Grad& gradient) {
    params.array() += m_lr * gradient.array();
  }

 private:
  Scalar m_lr;
};

}  // namespace vilab
