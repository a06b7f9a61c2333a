#pragma once
// The factor-analysis lab's data: generation from a known model y = W z + mu + e, the checks
// that reject data factor analysis cannot fit, and the statistics EM needs (mean, sample
// covariance, its eigen-decomposition) in internal units: centred and divided by one global
// scale c, which both FA and PPCA are equivariant under, so that S has mean diagonal 1.

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/data/data_range.hpp"
#include "core/data/image_set.hpp"
#include "core/status.hpp"

namespace vilab {

// A generating model and its draw: y_n = W z_n + mu + e_n, z_n ~ N(0, I), e_n ~ N(0, diag psi).
struct FaTruth {
  Eigen::MatrixXd W;    // D x Ktrue
  Eigen::VectorXd psi;  // D
  Eigen::VectorXd mu;   // D
  Eigen::MatrixXd z;    // N x Ktrue, the latent values that produced the data
};

struct FaGenerateOptions {
  int n = 500, d = 6, k = 2;
  double noise = 0.5;    // geometric mean of sqrt(psi_i), relative to unit loadings
  double spread = 10.0;  // max psi / min psi (psi_i log-spaced along the coordinates)
  double scale = 1.0;    // multiplies W, mu and the noise: the data's units
  std::uint64_t seed = 1;
};

// Loadings W_ij ~ N(0, 1) scaled, mu_i ~ N(0, 1) scaled, psi_i = (scale noise)^2
// spread^(i/(D-1) - 1/2); rows of y (N x D) in one seeded stream.
FaTruth generateFaData(const FaGenerateOptions& options, Eigen::MatrixXd& y);

// Limits in original units: |y| <= kMaxAbsValue; 2 <= D <= kMaxColumns (28 x 28 images) with at
// least two columns that vary; every varying column's standard deviation above kMinColumnSd and
// above kMinColumnSdRatio times the largest one.
inline constexpr double kMaxAbsValue = kMaxDataMagnitude;  // checkDataRange (core/data)
inline constexpr double kMinColumnSd = kMinDataSpread;
inline constexpr double kMinColumnSdRatio = 1e-60;
inline constexpr int kMaxColumns = 784;

// The 0-based columns of y (N x D) that are constant: spread at most 1e-12 of the column's largest
// magnitude (identical values, or values that differ only by rounding). Factor analysis keeps
// them, with zero loadings and psi_i on scikit-learn's floor (kConstantColumnPsi).
std::vector<int> constantColumns(const Eigen::MatrixXd& y);

// Ok, or one line naming the first problem (non-finite or huge values, too few rows or columns,
// fewer than two varying columns, varying columns on wildly different scales).
Status checkFaData(const Eigen::MatrixXd& y);

struct FaStats {
  int n = 0;
  Eigen::VectorXd mean;                        // D, original units
  double scale = 1.0;                          // c: internal y' = (y - mean) / c
  Eigen::MatrixXd S;                           // D x D, (1/N) sum y' y'^T
  Eigen::VectorXd eigenvalues;                 // of S, descending
  Eigen::MatrixXd eigenvectors;                // D x D, column j belongs to eigenvalue j
  std::vector<std::pair<int, int>> collinear;  // coordinate pairs with |correlation| ~ 1
  std::vector<int> constant;                   // constantColumns(y): rows and columns of S are 0
};

// Statistics of data that passed checkFaData (N x D, original units). S is accumulated over
// blocks of rows (no centred copy of the data): one pass of N D^2 / 2 multiply-adds, after which
// every EM step costs O(D^2 K) whatever N is (less than the O(N D K) of working on the rows when
// N >= D). The eigen-decomposition costs O(D^3) once (about 0.3 s at D = 784).
FaStats faStats(const Eigen::MatrixXd& y);

// The first n images of `set` as rows of grey values in [0, 1] (byte / 255), pixels row-major:
// n x (rows * cols). Precondition: n <= set.count().
Eigen::MatrixXd imageRows(const ImageSet& set, Eigen::Index n);

// The centred, scaled rows of y (internal units) with indices 0, stride, 2 stride, ...
Eigen::MatrixXd centredRows(const Eigen::MatrixXd& y, const FaStats& stats, Eigen::Index stride);

}  // namespace vilab
