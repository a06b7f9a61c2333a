#pragma once
// Follows one entry of an Adam (or plain gradient-ascent) run so that the live-equations panel can
// show that entry's update with its numbers: the same moment recursions as Adam<Scalar>::ascend
// (Kingma & Ba 2015, Algorithm 1, eps scaled like the bias-corrected form), for one index, O(1)
// per step. The model calls reset() wherever it resets its Adam, setLearningRate() wherever it
// changes Adam's rate, and record() once per step with the entry before and after the update.

#include <Eigen/Core>
#include <cmath>

#include "core/optim/adam.hpp"

namespace vilab {

template <class Scalar>
struct AdamProbe {
  Eigen::Index index = 0;  // the entry followed, in the flat parameter vector
  Scalar lr = typename Adam<Scalar>::Settings{}.lr;
  Scalar beta1 = typename Adam<Scalar>::Settings{}.beta1;
  Scalar beta2 = typename Adam<Scalar>::Settings{}.beta2;
  Scalar epsilon = typename Adam<Scalar>::Settings{}.epsilon;
  Scalar m = 0, v = 0;  // Adam's first and second moments of this entry after step t
  long long t = 0;      // steps recorded since reset
  // The last recorded step: the entry before it, its gradient, and the entry after it.
  Scalar before = 0, gradient = 0, after = 0;

  void reset(Eigen::Index entry, Scalar learningRate) {
    *this = AdamProbe{};
    index = entry;
    lr = learningRate;
  }
  void setLearningRate(Scalar learningRate) { lr = learningRate; }
  // With adam = false the step was plain ascent (after = before + lr g): the moments stay.
  void record(Scalar entryBefore, Scalar g, Scalar entryAfter, bool adam = true) {
    before = entryBefore;
    gradient = g;
    after = entryAfter;
    if (!adam) return;
    ++t;
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
  }
  // alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t) and eps_t = eps sqrt(1 - beta2^t), as Adam.
  Scalar alpha() const {
    using std::pow;
    using std::sqrt;
    return lr * sqrt(1 - pow(beta2, Scalar(t))) / (1 - pow(beta1, Scalar(t)));
  }
  Scalar scaledEpsilon() const {
    using std::pow;
    using std::sqrt;
    return epsilon * sqrt(1 - pow(beta2, Scalar(t)));
  }
};

}  // namespace vilab
