#include "core/models/logreg/posterior.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/math/fast_exp.hpp"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif
#include "core/math/random.hpp"
#include "core/mcmc/hmc.hpp"

namespace vilab {

namespace {
constexpr int kBlock = 16;  // b values held in registers by the product loop
constexpr double kGroupRange = 30.0;  // span of b values sharing one scaling (nats per point)

// ln p(theta_j) for a 1-D prior coordinate of precision prec (0: flat).
double logPrior1(double prec, double t) {
  return prec > 0.0 ? 0.5 * std::log(prec / (2.0 * std::numbers::pi)) - 0.5 * prec * t * t : 0.0;
}
// prod[k] *= prod_r (alpha_r + beta_r e[k]) for k < kBlock: the quadrature's hot loop, with the
// 16 products and the 16 factors e[k] held in registers.
void productChunk(const double* alpha, const double* beta, Eigen::Index count, const double* e, double* prod) {
#if defined(__AVX2__) && defined(__FMA__)
  __m256d p0 = _mm256_loadu_pd(prod), p1 = _mm256_loadu_pd(prod + 4), p2 = _mm256_loadu_pd(prod + 8),
          p3 = _mm256_loadu_pd(prod + 12);
  const __m256d e0 = _mm256_loadu_pd(e), e1 = _mm256_loadu_pd(e + 4), e2 = _mm256_loadu_pd(e + 8),
                e3 = _mm256_loadu_pd(e + 12);
  for (Eigen::Index r = 0; r < count; ++r) {
    const __m256d a = _mm256_broadcast_sd(alpha + r), b = _mm256_broadcast_sd(beta + r);
    p0 = _mm256_mul_pd(p0, _mm256_fmadd_pd(b, e0, a));
    p1 = _mm256_mul_pd(p1, _mm256_fmadd_pd(b, e1, a));
    p2 = _mm256_mul_pd(p2, _mm256_fmadd_pd(b, e2, a));
    p3 = _mm256_mul_pd(p3, _mm256_fmadd_pd(b, e3, a));
  }
  _mm256_storeu_pd(prod, p0);
  _mm256_storeu_pd(prod + 4, p1);
  _mm256_storeu_pd(prod + 8, p2);
  _mm256_storeu_pd(prod + 12, p3);
#else
  for (Eigen::Index r = 0; r < count; ++r)
    for (int k = 0; k < kBlock; ++k) prod[k] *= alpha[r] + beta[r] * e[k];
#endif
}

}  // namespace

// For one outer node (w), every b_k of the last axis at once. With s_n = 2 y_n - 1 and
// c_n = -s_n w^T x_n, -ln p(y_n | w, b_k) = softplus(c_n - s_n b_k). Writing u_nk = c_n + t_k
// (t_k = -s_n b_k), M_n = max(0, max_k u_nk) and E_k = exp(t_k - max_k t_k):
//   softplus(u_nk) = M_n + ln(alpha_n + beta_n E_k),  (alpha_n, beta_n) = (e^-M_n, e^(c_n + max t - M_n)),
// one of which is 1 and the other exp(-|c_n + max t|): one exp per point, then a multiply-add
// and a multiply per grid value, the logs of the products taken once per chunk of points (each
// factor lies in [exp(-range of b), 2]).
void logJointOnGrid(const LogregLikelihood& likelihood, const LogregPrior& prior, const GridQuadrature& grid,
                    std::vector<double>& out) {
  const Eigen::MatrixXd& phi = likelihood.design();
  const Eigen::VectorXd& y = likelihood.labels();
  const int dims = grid.dims();
  const Eigen::Index n = phi.rows(), q = dims - 1;  // q weights on the outer axes
  const GridAxis& bAxis = grid.axes().back();
  const int kb = bAxis.points;
  const int padded = (kb + kBlock - 1) / kBlock * kBlock;
  out.assign(grid.size(), 0.0);

  // Points grouped by label: class 1 (s = +1, t_k = -b_k) then class 0 (s = -1, t_k = b_k).
  std::vector<Eigen::Index> order;
  for (int cls : {1, 0})
    for (Eigen::Index i = 0; i < n; ++i)
      if ((y[i] > 0.5) == (cls == 1)) order.push_back(i);
  const auto n1 = static_cast<Eigen::Index>(std::count_if(order.begin(), order.end(), [&](Eigen::Index i) { return y[i] > 0.5; }));
  Eigen::MatrixXd x(n, q);
  for (Eigen::Index r = 0; r < n; ++r) x.row(r) = phi.row(order[static_cast<std::size_t>(r)]).head(q);

  std::vector<double> bNodes(static_cast<std::size_t>(padded));
  for (int k = 0; k < padded; ++k) bNodes[static_cast<std::size_t>(k)] = bAxis.node(std::min(k, kb - 1));
  // b values in groups of whole blocks spanning at most kGroupRange, each with its own max t:
  // every factor then lies in [exp(-kGroupRange), 2] (a single block may exceed it on coarse
  // grids; the chunk length below keeps its products in range up to a block span of 600).
  const double h = bAxis.step();
  const int blocksPerGroup = std::max(1, static_cast<int>(kGroupRange / (kBlock * h)));
  struct Group {
    int begin = 0, end = 0;  // b indices [begin, end) of the padded axis
    double maxT[2] = {0, 0};  // class 1: -b_lo, class 0: b_hi
    int chunk = 1;
  };
  std::vector<Group> groups;
  std::vector<double> e1(static_cast<std::size_t>(padded)), e0(static_cast<std::size_t>(padded));
  for (int k0 = 0; k0 < padded; k0 += blocksPerGroup * kBlock) {
    Group g;
    g.begin = k0;
    g.end = std::min(padded, k0 + blocksPerGroup * kBlock);
    const double lo = bNodes[static_cast<std::size_t>(g.begin)], hi = bNodes[static_cast<std::size_t>(g.end - 1)];
    g.maxT[0] = -lo;
    g.maxT[1] = hi;
    g.chunk = std::max(1, static_cast<int>(600.0 / std::max(hi - lo, std::log(2.0))));
    for (int k = g.begin; k < g.end; ++k) {
      e1[static_cast<std::size_t>(k)] = std::exp(-bNodes[static_cast<std::size_t>(k)] - g.maxT[0]);
      e0[static_cast<std::size_t>(k)] = std::exp(bNodes[static_cast<std::size_t>(k)] - g.maxT[1]);
    }
    groups.push_back(g);
  }
  const bool direct = kBlock * h > 600.0;  // a block too wide for the product form

  std::vector<double> priorB(static_cast<std::size_t>(kb));
  for (int k = 0; k < kb; ++k) priorB[static_cast<std::size_t>(k)] = logPrior1(prior.precision[q], bAxis.node(k));

  std::size_t outer = 1;
  for (int a = 0; a < q; ++a) outer *= static_cast<std::size_t>(grid.axes()[static_cast<std::size_t>(a)].points);
  Eigen::VectorXd c(n), ex(n), alpha(n), beta(n);
  Eigen::VectorXd w(q);
  std::vector<double> negLogLik(static_cast<std::size_t>(padded));
  for (std::size_t o = 0; o < outer; ++o) {
    // The outer node's weights (axes 0..q-1, the last of them fastest).
    std::size_t rest = o;
    double priorW = 0.0;
    for (int a = q - 1; a >= 0; --a) {
      const GridAxis& ax = grid.axes()[static_cast<std::size_t>(a)];
      w[a] = ax.node(static_cast<int>(rest % static_cast<std::size_t>(ax.points)));
      rest /= static_cast<std::size_t>(ax.points);
      priorW += logPrior1(prior.precision[a], w[a]);
    }
    c.noalias() = x * w;
    c.head(n1) = -c.head(n1);
    if (direct) {
      for (int k = 0; k < kb; ++k) {
        double v = 0.0;
        for (Eigen::Index r = 0; r < n; ++r) v += softplus(c[r] + (r < n1 ? -1.0 : 1.0) * bNodes[static_cast<std::size_t>(k)]);
        negLogLik[static_cast<std::size_t>(k)] = v;
      }
    }
    for (const Group& g : direct ? std::vector<Group>() : groups) {
      double sumM = 0.0;
      for (Eigen::Index r = 0; r < n; ++r) {
        const double v = c[r] + g.maxT[r < n1 ? 0 : 1];
        ex[r] = -std::abs(v);
        if (v > 0.0) sumM += v;
      }
      expNonPositiveInPlace(ex.data(), n);
      for (Eigen::Index r = 0; r < n; ++r) {
        const bool positive = c[r] + g.maxT[r < n1 ? 0 : 1] > 0.0;
        alpha[r] = positive ? ex[r] : 1.0;
        beta[r] = positive ? 1.0 : ex[r];
      }
      for (int k0 = g.begin; k0 < g.end; k0 += kBlock) {
        double prod[kBlock], acc[kBlock];
        for (int k = 0; k < kBlock; ++k) prod[k] = 1.0, acc[k] = 0.0;
        for (int cls = 0; cls < 2; ++cls) {
          const double* e = (cls == 0 ? e1.data() : e0.data()) + k0;
          const Eigen::Index begin = cls == 0 ? 0 : n1, end = cls == 0 ? n1 : n;
          for (Eigen::Index r0 = begin; r0 < end; r0 += g.chunk) {
            const Eigen::Index r1 = std::min<Eigen::Index>(end, r0 + g.chunk);
            productChunk(alpha.data() + r0, beta.data() + r0, r1 - r0, e, prod);
            for (int k = 0; k < kBlock; ++k) {
              int exponent = 0;
              prod[k] = std::frexp(prod[k], &exponent);
              acc[k] += exponent;
            }
          }
        }
        for (int k = 0; k < kBlock; ++k)
          negLogLik[static_cast<std::size_t>(k0 + k)] = sumM + std::log(prod[k]) + acc[k] * std::numbers::ln2;
      }
    }
    double* row = out.data() + o * static_cast<std::size_t>(kb);
    for (int k = 0; k < kb; ++k)
      row[k] = -negLogLik[static_cast<std::size_t>(k)] + priorW + priorB[static_cast<std::size_t>(k)];
  }
}

namespace {

std::vector<GridAxis> axesAround(const Eigen::VectorXd& centre, const Eigen::VectorXd& halfWidth, int points) {
  std::vector<GridAxis> axes;
  for (Eigen::Index j = 0; j < centre.size(); ++j)
    axes.push_back({centre[j] - halfWidth[j], centre[j] + halfWidth[j], points});
  return axes;
}

}  // namespace

LogregPosterior computeExactPosterior(const LogregLikelihood& likelihood, const LogregPrior& prior,
                                      const LaplaceFit& laplace, const ExactSettings& settings) {
  LogregPosterior post;
  const Eigen::Index p = likelihood.p();
  const Eigen::VectorXd sd = laplace.covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
  if (p <= 3) {
    post.byQuadrature = true;
    Eigen::VectorXd half = (7.0 * sd).cwiseMax(1e-6 * (1.0 + laplace.map.cwiseAbs().maxCoeff()));
    std::vector<double> logJoint;
    for (int widen = 0; widen <= 4; ++widen) {
      post.grid = GridQuadrature(axesAround(laplace.map, half, settings.gridPoints));
      logJointOnGrid(likelihood, prior, post.grid, logJoint);
      if (post.grid.edgeRatio(logJoint) <= 1e-6) break;
      half *= 1.5;
    }
    post.logEvidence = post.grid.logNormaliser(logJoint);
    post.grid.moments(logJoint, post.mean, post.cov);
    post.logJoint = std::move(logJoint);
    return post;
  }
  post.byQuadrature = false;
  post.logEvidence = std::numeric_limits<double>::quiet_NaN();
  Random rng(settings.seed);
  HmcSettings hs;
  hs.samples = settings.hmcSamples;
  const Eigen::MatrixXd scale = Eigen::LLT<Eigen::MatrixXd>(laplace.covariance).matrixL();
  Eigen::VectorXd values;
  Eigen::MatrixXd grads;
  const HmcResult r = runHmc(
      [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
        likelihood.logLikelihoodBatch(theta.transpose(), values, &grads);
        gradient = grads.row(0).transpose() - (prior.precision.array() * theta.array()).matrix();
        return values[0] + prior.logDensity(theta);
      },
      laplace.map, scale, hs, rng);
  post.samples = r.samples;
  post.acceptance = r.acceptance;
  post.mean = r.samples.colwise().mean().transpose();
  const Eigen::MatrixXd centred = r.samples.rowwise() - post.mean.transpose();
  post.cov = centred.transpose() * centred / double(std::max<Eigen::Index>(1, r.samples.rows() - 1));
  return post;
}

}  // namespace vilab
