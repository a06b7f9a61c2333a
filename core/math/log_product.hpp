#pragma once
// A sum of logarithms kept as a product m 2^e (m renormalised by frexp), so that summing the log
// of every row's normaliser in an E-step costs a multiplication per value and one logarithm per
// pass instead of one logarithm per value.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace vilab {

class LogProduct {
 public:
  // Multiplies in v[0..n), each in [e^-logBound, e^logBound] (logBound >= 0): chunks of values
  // whose product stays inside the double range, then a renormalisation.
  void multiply(const double* v, std::ptrdiff_t n, double logBound) {
    const std::ptrdiff_t chunk =
        logBound > 0.0 ? std::max<std::ptrdiff_t>(1, static_cast<std::ptrdiff_t>(600.0 / logBound))
                       : std::max<std::ptrdiff_t>(n, 1);
    for (std::ptrdiff_t i = 0; i < n; i += chunk) {
      const std::ptrdiff_t len = std::min(chunk, n - i);
      int exponent = 0;
      m_mantissa =
          std::frexp(m_mantissa * Eigen::Map<const Eigen::ArrayXd>(v + i, len).prod(), &exponent);
      m_exponent += exponent;
    }
  }
  // sum of the logarithms multiplied in so far.
  double log() const { return std::log(m_mantissa) + double(m_exponent) * kLn2; }
  void clear() { m_mantissa = 1.0, m_exponent = 0; }

 private:
  static constexpr double kLn2 = 0.69314718055994530942;
  double m_mantissa = 1.0;  // in [0.5, 1) after a multiply
  long long m_exponent = 0;
};

}  // namespace vilab
