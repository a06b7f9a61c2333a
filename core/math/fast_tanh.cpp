#include "core/math/fast_tanh.hpp"

#include <algorithm>
#include <cmath>

#include "core/math/fast_exp.hpp"

namespace vilab {

#ifdef VILAB_FAST_EXP_AVX2
namespace {
inline __m256d tanhPacket(__m256d x) {
  const __m256d signBit = _mm256_set1_pd(-0.0);
  const __m256d ax = _mm256_andnot_pd(signBit, x);
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d e = detail::expNonPositivePacket(_mm256_mul_pd(_mm256_set1_pd(-2.0), ax));
  const __m256d big = _mm256_div_pd(_mm256_sub_pd(one, e), _mm256_add_pd(one, e));
  const __m256d x2 = _mm256_mul_pd(ax, ax);
  __m256d poly = _mm256_fmadd_pd(x2, _mm256_set1_pd(62.0 / 2835.0), _mm256_set1_pd(-17.0 / 315.0));
  poly = _mm256_fmadd_pd(x2, poly, _mm256_set1_pd(2.0 / 15.0));
  poly = _mm256_fmadd_pd(x2, poly, _mm256_set1_pd(-1.0 / 3.0));
  poly = _mm256_fmadd_pd(x2, poly, one);
  const __m256d small = _mm256_mul_pd(ax, poly);
  const __m256d useSmall = _mm256_cmp_pd(ax, _mm256_set1_pd(0.01), _CMP_LT_OQ);
  const __m256d magnitude = _mm256_blendv_pd(big, small, useSmall);
  return _mm256_or_pd(magnitude, _mm256_and_pd(signBit, x));  // tanh is odd; NaN stays NaN
}
}  // namespace

void tanhInPlace(double* x, std::ptrdiff_t n) {
  std::ptrdiff_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(x + i, tanhPacket(_mm256_loadu_pd(x + i)));
  if (i < n) {  // the tail through the same code, so every position rounds alike
    double tail[4] = {0.0, 0.0, 0.0, 0.0};
    std::copy(x + i, x + n, tail);
    _mm256_storeu_pd(tail, tanhPacket(_mm256_loadu_pd(tail)));
    std::copy(tail, tail + (n - i), x + i);
  }
}
#else
void tanhInPlace(double* x, std::ptrdiff_t n) {
  for (std::ptrdiff_t i = 0; i < n; ++i) x[i] = std::tanh(x[i]);
}
#endif

}  // namespace vilab
