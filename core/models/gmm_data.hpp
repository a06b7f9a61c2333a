#pragma once
// Data for the Gaussian-mixture lab: a mixture's plain parameters, the generating ("true")
// mixture built from the data settings, sampling from it, a summary of a data set (mean,
// covariance, duplicates, bounding box) and the initial responsibilities every algorithm starts
// from (k-means++ seeds or random).

#include <Eigen/Core>
#include <vector>

#include "core/math/random.hpp"
#include "core/math/small_matrix.hpp"

namespace vilab {

// sum_k weights_k N(x | means.row(k), covariances[k]).
struct GaussianMixture {
  Eigen::VectorXd weights;               // K, summing to 1
  Eigen::MatrixXd means;                 // K x D
  std::vector<SmallMatrix> covariances;  // K of D x D
  int components() const { return static_cast<int>(weights.size()); }
  int dim() const { return static_cast<int>(means.cols()); }
};

struct MixtureDataSettings {
  int components = 3;       // true number of components
  double separation = 4.0;  // distance between neighbouring means, in units of spread
  double spread = 1.0;      // typical standard deviation of a component
  double imbalance = 0.0;   // 0: equal weights; weights proportional to (1 - imbalance)^j
  double anisotropy = 2.0;  // D >= 2: ratio of the major to the minor standard deviation
};

// Means evenly spaced on a line (1-D) or a circle in the plane of the first two coordinates
// (D >= 2) at the given separation, centred at 0, with randomly oriented ellipses or ellipsoids
// (D >= 2) and standard deviations varying mildly around spread. D = 1 to kMaxDim.
GaussianMixture makeTrueMixture(const MixtureDataSettings& settings, int dim, Random& rng);

// n rows drawn from the mixture.
Eigen::MatrixXd sampleMixture(const GaussianMixture& mixture, int n, Random& rng);

// Density of the mixture at each row of points (M x D), and optionally each weighted component's
// (K x M, row k for component k).
void mixtureDensity(const GaussianMixture& mixture, const Eigen::MatrixXd& points,
                    Eigen::VectorXd& total, Eigen::MatrixXd* perComponent = nullptr);

inline constexpr double kCollinear = 1e-12;

struct DataSummary {
  Eigen::Index n = 0;
  int dim = 1;
  SmallVector mean;
  SmallMatrix covariance;       // unbiased (divisor N - 1), zero when N = 1
  Eigen::Index duplicates = 0;  // rows equal to an earlier row
  bool identical = false;       // every row the same (or N = 1)
  // Covariance rank-deficient: identical points, a constant column, or the smallest eigenvalue
  // of the correlation matrix at most kCollinear (collinear points in 2-D), whatever the units.
  bool singular = false;
  SmallVector lo, hi;           // bounding box
};
DataSummary summarise(const Eigen::MatrixXd& x);

// Hard assignment of each point to the nearest of k seeds chosen by k-means++ (Arthur &
// Vassilvitskii 2007: each next seed drawn with probability proportional to its squared
// distance to the nearest seed so far). With k > N or repeated points some components get none.
Eigen::MatrixXd kMeansPlusPlusResponsibilities(const Eigen::MatrixXd& x, int k, Random& rng);

// Rows of independent uniform numbers, normalised to sum to 1 (scikit-learn's "random" init).
Eigen::MatrixXd randomResponsibilities(Eigen::Index n, int k, Random& rng);

}  // namespace vilab
