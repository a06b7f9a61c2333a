#pragma once
// exp of non-positive numbers, the inner loop of every mixture E-step: Cody-Waite reduction
// x = k ln 2 + r (|r| <= ln2 / 2), exp(r) by a degree-11 polynomial in Estrin's scheme
// (relative error a few units in the last place, below 6e-16), times 2^k built in the exponent
// bits. With AVX2 + FMA it works on four doubles at once and needs no division and no general
// ldexp (the inputs never overflow); otherwise it calls std::exp.

#include <Eigen/Core>
#include <cmath>
#include <cstddef>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define VILAB_FAST_EXP_AVX2 1
#endif

namespace vilab {

namespace detail {
inline constexpr double kLowestExpArgument = -708.0;  // exp(-708) is still a normal double
#ifdef VILAB_FAST_EXP_AVX2
inline __m256d expNonPositivePacket(__m256d v) {
  constexpr double kLog2e = 1.4426950408889634074;
  // ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (fdlibm's constants).
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const __m256d lowest = _mm256_set1_pd(kLowestExpArgument);
  const __m256d tooSmall = _mm256_cmp_pd(v, lowest, _CMP_LT_OQ);
  v = _mm256_max_pd(lowest, v);  // NaN passes through (max returns its second operand)
  const __m256d k = _mm256_round_pd(_mm256_mul_pd(v, _mm256_set1_pd(kLog2e)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(kLn2Hi), v);
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(kLn2Lo), r);
  // exp(r) on |r| <= ln2/2 by a degree-11 polynomial (a Chebyshev fit computed with mpmath;
  // relative error about 2e-17 before rounding) in Estrin's scheme: a shallow dependency chain.
  const auto c = [](double x) { return _mm256_set1_pd(x); };
  const __m256d r2 = _mm256_mul_pd(r, r);
  const __m256d r4 = _mm256_mul_pd(r2, r2);
  const __m256d r8 = _mm256_mul_pd(r4, r4);
  const __m256d q0 = _mm256_fmadd_pd(c(1.0), r, c(1.0));
  const __m256d q2 = _mm256_fmadd_pd(c(0.1666666666666668), r, c(0.5000000000000019));
  const __m256d q4 = _mm256_fmadd_pd(c(0.008333333333319601), r, c(0.0416666666664881));
  const __m256d q6 = _mm256_fmadd_pd(c(0.00019841269890047113), r, c(0.0013888888952314775));
  const __m256d q8 = _mm256_fmadd_pd(c(2.755724091857897e-06), r, c(2.4801485482328494e-05));
  const __m256d q10 = _mm256_fmadd_pd(c(2.5110037605963777e-08), r, c(2.763263963904103e-07));
  const __m256d s0 = _mm256_fmadd_pd(q2, r2, q0);
  const __m256d s4 = _mm256_fmadd_pd(q6, r2, q4);
  const __m256d s8 = _mm256_fmadd_pd(q10, r2, q8);
  const __m256d t0 = _mm256_fmadd_pd(s4, r4, s0);
  const __m256d p = _mm256_fmadd_pd(s8, r8, t0);
  const __m128i biased = _mm_add_epi32(_mm256_cvtpd_epi32(k), _mm_set1_epi32(1023));
  const __m256d scale = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_cvtepi32_epi64(biased), 52));
  return _mm256_andnot_pd(tooSmall, _mm256_mul_pd(p, scale));
}
#endif
}  // namespace detail

// exp(x) elementwise for x <= 0; arguments below -708 give 0 (no subnormal results), NaN stays NaN.
inline Eigen::Array4d expNonPositive(const Eigen::Array4d& x) {
#ifdef VILAB_FAST_EXP_AVX2
  Eigen::Array4d out;
  _mm256_storeu_pd(out.data(), detail::expNonPositivePacket(_mm256_loadu_pd(x.data())));
  return out;
#else
  return x.unaryExpr([](double v) { return v < detail::kLowestExpArgument ? 0.0 : std::exp(v); });
#endif
}

// x[i] = exp(x[i]) for an array of non-positive numbers (as expNonPositive).
void expNonPositiveInPlace(double* x, std::ptrdiff_t n);

}  // namespace vilab
