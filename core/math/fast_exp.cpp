#include "core/math/fast_exp.hpp"

#include <algorithm>

namespace vilab {

void expNonPositiveInPlace(double* x, std::ptrdiff_t n) {
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) {
    Eigen::Map<Eigen::Array4d> packet(x + i);
    packet = expNonPositive(packet);
  }
  if (i < n) {  // the tail through the same code, so every position rounds alike
    Eigen::Array4d tail = Eigen::Array4d::Zero();
    std::copy(x + i, x + n, tail.data());
    tail = expNonPositive(tail);
    std::copy(tail.data(), tail.data() + (n - i), x + i);
  }
}

}  // namespace vilab
