#include "core/diagnostics/ess.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <unsupported/Eigen/FFT>
#include <vector>

namespace vilab {

namespace {

// acov[t] = (1/N) sum_{i < N - t} y_i y_{i+t} for centred y, t = 0..N-1, by FFT.
void autocovariance(const Eigen::VectorXd& y, std::vector<double>& acov) {
  const std::size_t n = static_cast<std::size_t>(y.size());
  std::size_t padded = 1;
  while (padded < 2 * n) padded *= 2;
  std::vector<double> in(padded, 0.0), back;
  for (std::size_t i = 0; i < n; ++i) in[i] = y[static_cast<Eigen::Index>(i)];
  std::vector<std::complex<double>> spectrum;
  Eigen::FFT<double> fft;
  fft.fwd(spectrum, in);
  for (auto& c : spectrum) c = std::norm(c);
  fft.inv(back, spectrum);  // Eigen scales the inverse by 1 / padded
  acov.assign(back.begin(), back.begin() + static_cast<std::ptrdiff_t>(n));
  for (double& a : acov) a /= double(n);
}

}  // namespace

double effectiveSampleSize(const Eigen::Ref<const Eigen::VectorXd>& draws) {
  const Eigen::Index n = draws.size();
  if (n < 4) return std::numeric_limits<double>::quiet_NaN();
  const Eigen::VectorXd y = draws.array() - draws.mean();
  if (y.cwiseAbs().maxCoeff() <= 1e-14 * std::max(1.0, draws.cwiseAbs().maxCoeff())) return 1.0;
  std::vector<double> acov;
  autocovariance(y, acov);
  // Vehtari et al. 2021 eq. 10 with one chain: W = acov_0 N / (N - 1), var+ = W (N - 1) / N.
  const double w = acov[0] * double(n) / double(n - 1);
  const double varPlus = w * double(n - 1) / double(n);
  auto rho = [&](Eigen::Index t) {
    return t == 0 ? 1.0 : 1.0 - (w - acov[static_cast<std::size_t>(t)]) / varPlus;
  };

  // Initial positive sequence of pair sums P_k = rho_2k + rho_2k+1, made monotone as it grows.
  double sum = rho(0) + rho(1);  // P_0
  double previous = sum;
  double nextEven = 0.0;  // rho at the first lag left out, when it is even and positive
  for (Eigen::Index t = 2; t + 1 < n - 2; t += 2) {
    const double even = rho(t), pair = even + rho(t + 1);
    if (!(pair > 0.0)) {
      nextEven = std::max(0.0, even);
      break;
    }
    previous = std::min(previous, pair);  // initial monotone sequence
    sum += previous;
  }
  double tau = -1.0 + 2.0 * sum + nextEven;
  tau = std::max(tau, 1.0 / std::log10(double(n)));
  return double(n) / tau;
}

Eigen::VectorXd effectiveSampleSizes(const Eigen::Ref<const Eigen::MatrixXd>& draws) {
  Eigen::VectorXd out(draws.cols());
  for (Eigen::Index j = 0; j < draws.cols(); ++j) out[j] = effectiveSampleSize(draws.col(j));
  return out;
}

}  // namespace vilab
