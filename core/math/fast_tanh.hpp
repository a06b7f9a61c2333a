#pragma once
// tanh of doubles, four at a time, for the flows' inner loops (Eigen 3.4 vectorises tanh for
// float only): tanh|x| = (1 - e) / (1 + e) with e = exp(-2|x|) from fast_exp.hpp's packet, the
// sign restored, and the odd Taylor series x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835
// (Abramowitz & Stegun 4.5.64) for |x| < 0.01, where 1 - e would lose digits. Absolute error
// below 3e-16 and relative error below 1e-14 everywhere; NaN stays NaN. Without AVX2 + FMA it
// calls std::tanh.

#include <cstddef>

namespace vilab {

// x[i] = tanh(x[i]) for 0 <= i < n.
void tanhInPlace(double* x, std::ptrdiff_t n);

}  // namespace vilab
