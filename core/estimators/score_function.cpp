#include "core/estimators/score_function.hpp"

namespace vilab {

void scoreFunctionTerms(const Eigen::VectorXd& f, const Eigen::MatrixXd& scores, ScoreBaseline baseline,
                        Eigen::MatrixXd& out) {
  const Eigen::Index s = f.size();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(s);
  if (s > 1 && baseline == ScoreBaseline::Loo) {
    const double total = f.sum();
    b = (total - f.array()) / double(s - 1);
  } else if (s > 1 && baseline == ScoreBaseline::Optimal) {
    // With E[h] = 0, Cov(f h_j, h_j) = E[f h_j^2] and Var(h_j) = E[h_j^2]: a* = sum_s f_s |h_s|^2
    // / sum_s |h_s|^2, each draw's a*_{-s} from the other draws' sums.
    const Eigen::VectorXd h2 = scores.rowwise().squaredNorm();
    const double num = f.dot(h2), den = h2.sum();
    for (Eigen::Index i = 0; i < s; ++i) {
      const double d = den - h2[i];
      b[i] = d > 0.0 ? (num - f[i] * h2[i]) / d : 0.0;
    }
  }
  out = scores.array().colwise() * (f - b).array();
}

}  // namespace vilab
