#pragma once
// Gradients through Gamma(shape a, rate b) samples tau = g / b, g ~ Gamma(a, 1).
// Pathwise: d tau/d b = -tau/b, and for the shape the implicit reparameterisation gradient
// (Figurnov, Mohamed & Mnih 2018): d g/d a = -(dP(a, g)/da) / p(g; a), P the Gamma(a,1) CDF.
// Score function: d/da log q(tau) = log b - psi(a) + log tau, d/db log q(tau) = a/b - tau.

namespace vilab {

// d g / d a for a Gamma(a, 1) sample g > 0.
double gammaSampleShapeDerivative(double a, double g);

struct GammaScore {
  double dA = 0.0;
  double dB = 0.0;
};
GammaScore gammaScore(double tau, double a, double b);

}  // namespace vilab
