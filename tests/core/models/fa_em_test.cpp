#include "core/models/fa_em.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <Eigen/QR>
#include <cmath>

#include "core/math/random.hpp"

namespace vilab {
namespace {

constexpr double kLog2Pi = 1.8378770664093454836;

Eigen::MatrixXd randomMatrix(Eigen::Index rows, Eigen::Index cols, Random& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  return m;
}

// A sample covariance of n points of a D-dim Gaussian with a random covariance.
Eigen::MatrixXd sampleCovariance(int d, int n, Random& rng) {
  const Eigen::MatrixXd L = randomMatrix(d, d, rng);
  const Eigen::MatrixXd y = randomMatrix(n, d, rng) * L.transpose();
  const Eigen::MatrixXd c = y.rowwise() - y.colwise().mean();
  return c.transpose() * c / n;
}

FaParams randomParams(int d, int k, Random& rng) {
  FaParams theta{randomMatrix(d, k, rng), Eigen::VectorXd(d)};
  for (int i = 0; i < d; ++i) theta.psi[i] = 0.2 + std::fabs(rng.normal());
  return theta;
}

// The Gaussian log-likelihood per point from the full D x D covariance: an independent oracle.
double directLogLik(const FaParams& theta, const Eigen::MatrixXd& S) {
  Eigen::MatrixXd C = theta.W * theta.W.transpose();
  C.diagonal() += theta.psi;
  const Eigen::LLT<Eigen::MatrixXd> llt(C);
  const double logDet = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  const double trace = llt.solve(S).trace();
  return -0.5 * (S.rows() * kLog2Pi + logDet + trace);
}

// Mean over the data of KL(N(A y, Gq) || N(B y, Gp)) given S = (1/N) sum y y^T.
double meanKl(const FaPosterior& q, const FaPosterior& p, const Eigen::MatrixXd& S) {
  const Eigen::MatrixXd Pinv = p.G.inverse();
  const Eigen::MatrixXd D = q.A - p.A;
  const double k = static_cast<double>(q.G.rows());
  return 0.5 * ((Pinv * q.G).trace() - k + p.logDetG - q.logDetG +
                (Pinv * D * S * D.transpose()).trace());
}

struct Shape {
  int d, k;
};
class FaEm : public ::testing::TestWithParam<Shape> {};

TEST_P(FaEm, LogLikelihoodMatchesTheFullCovarianceFormula) {
  Random rng(3);
  const auto [d, k] = GetParam();
  const Eigen::MatrixXd S = sampleCovariance(d, 50, rng);
  for (int trial = 0; trial < 3; ++trial) {
    const FaParams theta = randomParams(d, k, rng);
    const double expected = directLogLik(theta, S);
    EXPECT_NEAR(evaluate(theta, S).logLik, expected, 1e-11 * std::fabs(expected));
  }
}

TEST_P(FaEm, ElboIsTheLogLikelihoodMinusTheKlToThePosterior) {
  Random rng(4);
  const auto [d, k] = GetParam();
  const Eigen::MatrixXd S = sampleCovariance(d, 50, rng);
  const FaParams old = randomParams(d, k, rng), theta = randomParams(d, k, rng);
  const FaEvaluation at = evaluate(theta, S);
  const FaPosterior exact = eStep(at);
  // At the posterior the bound is tight.
  EXPECT_NEAR(elbo(exact, theta, S.diagonal()), at.logLik, 1e-11 * std::fabs(at.logLik));
  // With q from other parameters the gap is the mean KL(q || p(z|y)), computed independently.
  const FaPosterior stale = eStep(evaluate(old, S));
  const double kl = meanKl(stale, exact, S);
  EXPECT_GT(kl, 1e-3);
  EXPECT_NEAR(at.logLik - elbo(stale, theta, S.diagonal()), kl, 1e-9 * (1 + kl));
}

TEST_P(FaEm, MStepIsAStationaryPointOfTheElbo) {
  Random rng(5);
  const auto [d, k] = GetParam();
  const Eigen::MatrixXd S = sampleCovariance(d, 50, rng);
  const FaPosterior q = eStep(evaluate(randomParams(d, k, rng), S));
  const Eigen::VectorXd floor = Eigen::VectorXd::Constant(d, 1e-12);
  for (bool ppca : {false, true}) {
    const FaParams best = mStep(q, S.diagonal(), floor, ppca);
    const double top = elbo(q, best, S.diagonal());
    const double h = 1e-5;
    // Central differences of the ELBO along every loading and (log) noise variance vanish.
    for (int i = 0; i < d; ++i) {
      for (int j = 0; j < k; ++j) {
        FaParams up = best, down = best;
        up.W(i, j) += h, down.W(i, j) -= h;
        const double g = (elbo(q, up, S.diagonal()) - elbo(q, down, S.diagonal())) / (2 * h);
        EXPECT_NEAR(g, 0.0, 1e-6) << "W(" << i << "," << j << ") ppca " << ppca;
      }
      if (!ppca) {
        FaParams up = best, down = best;
        up.psi[i] *= std::exp(h), down.psi[i] *= std::exp(-h);
        const double g = (elbo(q, up, S.diagonal()) - elbo(q, down, S.diagonal())) / (2 * h);
        EXPECT_NEAR(g, 0.0, 1e-6) << "psi " << i;
      }
    }
    if (ppca) {
      FaParams up = best, down = best;
      up.psi *= std::exp(h), down.psi *= std::exp(-h);
      EXPECT_NEAR((elbo(q, up, S.diagonal()) - elbo(q, down, S.diagonal())) / (2 * h), 0.0, 1e-6);
      // Any unequal psi is worse than the shared sigma^2 only if it leaves the PPCA family;
      // within it, the M step is the maximum: a 1% change lowers the bound.
      FaParams off = best;
      off.psi *= 1.01;
      EXPECT_LT(elbo(q, off, S.diagonal()), top);
    }
  }
}

TEST_P(FaEm, FlooredMStepStillRaisesTheElbo) {
  Random rng(6);
  const auto [d, k] = GetParam();
  const Eigen::MatrixXd S = sampleCovariance(d, 50, rng);
  // A floor high enough to bind: the floored M step maximises the ELBO over psi >= floor, so it
  // beats every other point of that set (theta, and random perturbations of the result).
  FaParams theta = randomParams(d, k, rng);
  const FaParams free =
      mStep(eStep(evaluate(theta, S)), S.diagonal(), Eigen::VectorXd::Zero(d), false);
  Eigen::VectorXd floor = 0.5 * free.psi;
  for (int i = 0; i < d; i += 2) floor[i] = 1.5 * free.psi[i];
  theta.psi = theta.psi.cwiseMax(floor);
  const FaPosterior q = eStep(evaluate(theta, S));
  const FaParams next = mStep(q, S.diagonal(), floor, false);
  EXPECT_TRUE((next.psi.array() >= floor.array()).all());
  EXPECT_TRUE((next.psi.array() == floor.array()).any()) << "the floor should bind somewhere";
  const double top = elbo(q, next, S.diagonal());
  EXPECT_GE(top, elbo(q, theta, S.diagonal()));
  for (int trial = 0; trial < 20; ++trial) {
    FaParams other = next;
    other.W += 0.01 * randomMatrix(d, k, rng);
    for (int i = 0; i < d; ++i)
      other.psi[i] = std::max(floor[i], other.psi[i] * (1 + 0.01 * rng.normal()));
    EXPECT_LE(elbo(q, other, S.diagonal()), top);
  }
}

TEST_P(FaEm, PpcaClosedFormIsAFixedPointOfPpcaEm) {
  Random rng(7);
  const auto [d, k] = GetParam();
  const Eigen::MatrixXd S = sampleCovariance(d, 200, rng);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(S);
  const Eigen::VectorXd values = eig.eigenvalues().reverse();
  const Eigen::MatrixXd vectors = eig.eigenvectors().rowwise().reverse();
  const FaParams ml = ppcaClosedForm(values, vectors, k, 0.0);
  const FaParams next = mStep(eStep(evaluate(ml, S)), S.diagonal(), Eigen::VectorXd::Zero(d), true);
  EXPECT_NEAR(next.psi[0], ml.psi[0], 1e-10 * ml.psi[0]);
  EXPECT_NEAR(covarianceDistance(next.W, ml.W), 0.0, 1e-9 * (ml.W.transpose() * ml.W).norm());
  // Tipping & Bishop (1999) eq. 4 at the maximum.
  const double sigma2 = ml.psi[0];
  const double expected =
      -0.5 * (d * kLog2Pi + values.head(k).array().log().sum() + (d - k) * std::log(sigma2) + d);
  EXPECT_NEAR(evaluate(ml, S).logLik, expected, 1e-11 * std::fabs(expected));
}

TEST_P(FaEm, CovarianceDistanceIsTheFrobeniusNormOfTheDifference) {
  Random rng(8);
  const auto [d, k] = GetParam();
  const Eigen::MatrixXd W = randomMatrix(d, k, rng), V = randomMatrix(d, k + 1, rng);
  const double expected = (W * W.transpose() - V * V.transpose()).norm();
  EXPECT_NEAR(covarianceDistance(W, V), expected, 1e-10 * expected);
  // Rotation invariant: W R for an orthogonal R gives the same W W^T.
  const Eigen::MatrixXd R = randomMatrix(k, k, rng).householderQr().householderQ();
  EXPECT_NEAR(covarianceDistance(W * R, V), expected, 1e-10 * expected);
  // Nearly equal covariances keep their relative accuracy (no cancelling expansion in traces).
  const Eigen::MatrixXd near = W + 1e-9 * randomMatrix(d, k, rng);
  const double small = (W * W.transpose() - near * near.transpose()).norm();
  EXPECT_NEAR(covarianceDistance(W, near), small, 1e-5 * small);
}

INSTANTIATE_TEST_SUITE_P(Shapes, FaEm,
                         ::testing::Values(Shape{2, 1}, Shape{5, 2}, Shape{12, 3}, Shape{30, 10}));

}  // namespace
}  // namespace vilab
