#pragma once
// The Wishart distribution W(Lambda | W, nu) over D x D precision matrices (Bishop PRML B.78):
// its log normaliser, expected log determinant and entropy, each from ln|W| (D >= 1, nu > D - 1).

namespace vilab {

// ln B(W, nu) = -(nu/2) ln|W| - (nu D/2) ln 2 - ln Gamma_D(nu/2)   (Bishop PRML B.79).
double wishartLogNormaliser(double logDetW, double nu, int dim);

// E[ln|Lambda|] = sum_{i=1..D} psi((nu + 1 - i)/2) + D ln 2 + ln|W|   (PRML B.81, 10.65).
double wishartExpectedLogDet(double logDetW, double nu, int dim);

// H[Lambda] = -ln B(W, nu) - ((nu - D - 1)/2) E[ln|Lambda|] + nu D/2   (PRML B.82).
double wishartEntropy(double logDetW, double nu, int dim);

}  // namespace vilab
