#pragma once
// Score-function (REINFORCE) estimates of grad_lambda E_q[f] = E_q[f(z) grad ln q(z)] (Williams
// 1992) from S draws, with the control variates of Ranganath et al. 2014 (black-box VI). Because
// E_q[grad ln q] = 0, any baseline b_s independent of draw s keeps the term (f_s - b_s) h_s
// unbiased:
//   None:    b_s = 0;
//   Loo:     b_s = mean of f over the other S - 1 draws (leave-one-out; 0 when S = 1);
//   Optimal: b_s = a*_{-s}, the optimal scalar control variate a* = sum_j Cov(f h_j, h_j) /
//            sum_j Var(h_j) (Ranganath et al. 2014, eq. 8) estimated from the other draws.

#include <Eigen/Core>

namespace vilab {

enum class ScoreBaseline { None, Loo, Optimal };

// f: S values; scores: S x K (h_s = grad ln q(z_s)); out: S x K per-draw terms (f_s - b_s) h_s,
// whose column means are the estimate.
void scoreFunctionTerms(const Eigen::VectorXd& f, const Eigen::MatrixXd& scores,
                        ScoreBaseline baseline, Eigen::MatrixXd& out);

}  // namespace vilab
