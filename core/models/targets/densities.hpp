#pragma once
// The 2-D targets behind makeTarget (target.hpp): correlated Gaussian, banana, mixture, ring,
// Neal's funnel, the constrained ADVI target (constrained.hpp) and the "draw your own" sum of
// bumps (bump_text.hpp reads and writes their text). Each gives ln p~ and its gradient for a
// batch of points, a view box, its quadrature grid and ln Z in closed form:
//   gaussian  ln p~ = -z' Sigma^-1 z / 2;  ln Z = ln 2 pi + ln s1 s2 + ln(1 - rho^2) / 2
//   banana    ln p~ = -z1^2/8 - (z2 - c z1^2 + 1)^2 / (2 0.7^2);  ln Z = ln(2 pi 2 0.7)
//   mixture   p~ = sum_k pi_k exp(-|z - mu_k|^2 / (2 width^2));  ln Z = ln(2 pi width^2)
//   ring      ln p~ = -(|z| - R)^2 / (2 w^2);  in polar coordinates
//             ln Z = ln 2 pi + ln(w^2 e^{-R^2/2w^2} + R w sqrt(2 pi) Phi(R/w))
//   funnel    z = (x, v): ln p~ = -v^2/(2 s^2) - x^2 e^{-v}/2 - v/2;  ln Z = ln(2 pi s)
//             (Neal 2003, Ann. Statist. 31, §8)
//   custom    p~ = sum_k w_k N(z; (x_k, y_k), sd_k^2 I);  ln Z = ln sum_k w_k

#include <Eigen/Core>

#include "core/models/targets/target.hpp"
#include "core/status.hpp"

namespace vilab {

// The mixture's and the custom target's isotropic components: p~(z) = sum_k weight_k
// N(z; mean_k, sd_k^2 I). weight, sd: K; mean: K x 2. The mixture's `modes` means sit on the
// vertices of a regular polygon of side `separation` centred at the origin (two modes: (+-s/2, 0));
// weights are pi_k 2 pi width^2 with pi_0 / pi_k = spec.weight.
struct IsotropicComponents {
  Eigen::VectorXd weight, sd;
  Eigen::MatrixXd mean;
};
IsotropicComponents isotropicComponents(const TargetSpec& spec);  // kind Mixture or Custom

// Checks the parameters makeTarget relies on: sigma1, sigma2 > 0, |rho| < 1, modes 2-4,
// separation >= 0, weight, width > 0, radius >= 0, ringWidth > 0, funnelScale > 0,
// dataCount >= 0, bumps' sd and weight > 0. The message names the field and its range.
Status checkTargetSpec(const TargetSpec& spec);

}  // namespace vilab
