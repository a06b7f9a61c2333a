#pragma once
// The univariate-Gaussian lab's views: the joint posterior over (mu, tau) with exact and q
// contours, both marginals, the data with posterior predictives, the ELBO against log p(x) with
// the KL gap, and the per-sample variance of the gradient estimators.

#include "app/labs/lab.hpp"

namespace vilab {

class GaussianLab final : public Lab {
 public:
  void drawViews(const Snapshot& snapshot, LabContext& context) override;
  void drawControls(const Snapshot& snapshot, LabContext& context) override;
  nlohmann::ordered_json params(const Snapshot& snapshot) const override;

 private:
  bool m_logIterations = false;
};

}  // namespace vilab
