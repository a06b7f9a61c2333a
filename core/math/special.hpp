#pragma once
// Special functions used by the models' closed forms. All are thread-safe (no global state such
// as the signgam of std::lgamma) and take doubles.

#include <span>

namespace vilab {

inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kLog2Pi = 1.83787706640934548356;  // log(2 pi)

// log Gamma(x) for x > 0.
double logGamma(double x);

// digamma psi(x) = d/dx log Gamma(x), x > 0. Recurrence to x >= 12, then the asymptotic series
// (Abramowitz & Stegun 6.3.18); absolute error below 1e-14.
double digamma(double x);

// trigamma psi'(x), x > 0 (A&S 6.4.12 after recurrence); absolute error below 1e-14.
double trigamma(double x);

// log sum_i exp(v_i), stable for large |v_i|; -inf for an empty span or all -inf.
double logSumExp(std::span<const double> v);

// Multivariate log Gamma_D(x) = D(D-1)/4 log(pi) + sum_{j=1..D} log Gamma(x + (1-j)/2),
// x > (D-1)/2 (Bishop PRML B.79 normaliser of the Wishart).
double logMultiGamma(double x, int dim);

// Regularised lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a), a > 0, x >= 0.
double regularizedGammaP(double a, double x);

// d/da P(a, x) by differentiating the series P = x^a e^-x sum_n x^n / Gamma(a+n+1) term by term
// (each term gains the factor log x - psi(a+n+1)). Used by the implicit reparameterisation
// gradient of Gamma samples (Figurnov, Mohamed & Mnih 2018, eq. 6).
double regularizedGammaPDerivA(double a, double x);

// (d/da P(a, x)) / p(x; a, 1), the ratio the implicit Gamma gradient needs, computed without
// forming either factor (both under- or overflow for large a): it equals x/a times the series.
double regularizedGammaPDerivAOverDensity(double a, double x);

}  // namespace vilab
