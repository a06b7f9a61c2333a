#include "core/models/vae_network.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

namespace vilab {
namespace {

using Net = VaeNetwork<double>;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kHalfLog2Pi = 0.91893853320467274178;

double act(double a, VaeActivation f) {
  return f == VaeActivation::Tanh ? std::tanh(a) : std::max(a, 0.0);
}
double softplus(double l) {
  return std::max(l, 0.0) + std::log1p(std::exp(-std::fabs(l)));
}

// The objective (or, for the score function, its surrogate) written the plain way, one image and
// one sample at a time: the oracle for backpropagation. For Score, z and the signal f are held
// at the values given (those at the point where the gradient is checked).
struct Fixed {
  MatrixXd z;  // L x N S
  VectorXd f;  // N S
};

double naiveObjective(const Net& net, const MatrixXd& x, const MatrixXd& eps, const VaeObjective& o,
                      Fixed* fixedOut, const Fixed* fixedIn) {
  const auto& w = net.layers();
  const VaeShape& sh = net.shape();
  const int n = static_cast<int>(x.cols()), m = static_cast<int>(eps.cols()), samples = m / n;
  const int l = sh.latent;
  double total = 0.0;
  if (fixedOut) fixedOut->z.resize(l, m), fixedOut->f.resize(m);
  for (int i = 0; i < n; ++i) {
    VectorXd h1(sh.hidden);
    for (int r = 0; r < sh.hidden; ++r) {
      double a = w.b1[r];
      for (int c = 0; c < sh.input; ++c) a += w.w1(r, c) * x(c, i);
      h1[r] = act(a, sh.activation);
    }
    VectorXd mu(l), lv(l);
    for (int k = 0; k < 2 * l; ++k) {
      double a = w.b2[k];
      for (int r = 0; r < sh.hidden; ++r) a += w.w2(k, r) * h1[r];
      (k < l ? mu[k] : lv[k - l]) = a;
    }
    double klAnalytic = 0.0;
    for (int k = 0; k < l; ++k) klAnalytic += 0.5 * (mu[k] * mu[k] + std::exp(lv[k]) - 1 - lv[k]);
    std::vector<double> f(samples);
    for (int s = 0; s < samples; ++s) {
      const int col = s * n + i;
      VectorXd z(l);
      double logQ = 0.0, logP = 0.0;
      for (int k = 0; k < l; ++k) {
        const double sigma = std::exp(0.5 * lv[k]);
        const double path = mu[k] + sigma * eps(k, col);
        z[k] = fixedIn && o.estimator == VaeEstimator::Score ? fixedIn->z(k, col) : path;
        const double e = o.estimator == VaeEstimator::Score ? (z[k] - mu[k]) / sigma : eps(k, col);
        logQ += -0.5 * e * e - 0.5 * lv[k] - kHalfLog2Pi;
        logP += -0.5 * z[k] * z[k] - kHalfLog2Pi;
      }
      double recon = 0.0;
      VectorXd h3(sh.hidden);
      for (int r = 0; r < sh.hidden; ++r) {
        double a = w.b3[r];
        for (int k = 0; k < l; ++k) a += w.w3(r, k) * z[k];
        h3[r] = act(a, sh.activation);
      }
      for (int c = 0; c < sh.input; ++c) {
        double logit = w.b4[c];
        for (int r = 0; r < sh.hidden; ++r) logit += w.w4(c, r) * h3[r];
        recon += x(c, i) * logit - softplus(logit);
      }
      const double klMc = logQ - logP;
      f[s] = o.reconWeight * recon - (o.kl == VaeKl::MonteCarlo ? o.klWeight * klMc : 0.0);
      if (fixedOut) fixedOut->z.col(col) = z, fixedOut->f[col] = f[s];
      if (o.estimator == VaeEstimator::Reparam) {
        total += f[s] / m;
      } else {
        double base = o.baseline;
        // Without fixed values (the call that records them) the surrogate is not used; the
        // leave-one-out baseline needs every sample's signal, known only from fixedIn.
        if (o.leaveOneOut && fixedIn) {
          double sum = 0.0;
          for (int t = 0; t < samples; ++t) sum += fixedIn->f[t * n + i];
          base = (sum - fixedIn->f[col]) / (samples - 1);
        }
        const double signal = fixedIn ? fixedIn->f[col] : f[s];
        total += (o.reconWeight * recon + (signal - base) * logQ) / m;
      }
    }
    if (o.kl == VaeKl::Analytic) total -= o.klWeight * klAnalytic / n;
  }
  return total;
}

struct Case {
  VaeActivation activation;
  VaeEstimator estimator;
  VaeKl kl;
  bool leaveOneOut;
};

class VaeGradientCheck : public ::testing::TestWithParam<Case> {};

// Backpropagation against central finite differences of the plain implementation, in double:
// relative error below 1e-6 for both estimators' surrogate objectives.
TEST_P(VaeGradientCheck, BackpropMatchesFiniteDifferences) {
  const Case c = GetParam();
  Net net({.input = 6, .hidden = 5, .latent = 2, .activation = c.activation});
  Random rng(11);
  net.initialize(rng);
  net.parameters() *= 2.0;  // away from the tiny initial weights, so every term matters
  const int n = 3, samples = 2;
  MatrixXd x(6, n), eps(2, n * samples);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = rng.uniform();
  for (Eigen::Index k = 0; k < eps.size(); ++k) eps.data()[k] = rng.normal();
  VaeObjective o{.estimator = c.estimator,
                 .kl = c.kl,
                 .reconWeight = 1.3,
                 .klWeight = 0.7,
                 .leaveOneOut = c.leaveOneOut,
                 .baseline = -2.5};

  const VaeBatchStats stats = net.evaluate(x, eps, o, VaeGradient::All);
  const VectorXd backprop = net.gradient();
  Fixed fixed;
  naiveObjective(net, x, eps, o, &fixed, nullptr);
  EXPECT_NEAR(stats.signal, fixed.f.mean(), 1e-12);

  VectorXd fd(net.parameterCount());
  const VectorXd theta = net.parameters();
  const double h = 1e-5;
  for (Eigen::Index k = 0; k < theta.size(); ++k) {
    net.parameters() = theta;
    net.parameters()[k] += h;
    const double up = naiveObjective(net, x, eps, o, nullptr, &fixed);
    net.parameters()[k] -= 2 * h;
    const double down = naiveObjective(net, x, eps, o, nullptr, &fixed);
    fd[k] = (up - down) / (2 * h);
  }
  net.parameters() = theta;
  const double error = (backprop - fd).norm() / fd.norm();
  EXPECT_LT(error, 1e-6) << "backprop " << backprop.transpose() << "\nfd " << fd.transpose();
  EXPECT_GT(fd.norm(), 1e-3);

  // The encoder-only gradient equals the encoder part of the full one.
  net.evaluate(x, eps, o, VaeGradient::Encoder);
  const Eigen::Index enc = net.encoderParameterCount();
  EXPECT_LT((net.gradient().head(enc) - backprop.head(enc)).norm(), 1e-12 * backprop.norm());
}

INSTANTIATE_TEST_SUITE_P(
    AllEstimators, VaeGradientCheck,
    ::testing::Values(Case{VaeActivation::Tanh, VaeEstimator::Reparam, VaeKl::Analytic, false},
                      Case{VaeActivation::Tanh, VaeEstimator::Reparam, VaeKl::MonteCarlo, false},
                      Case{VaeActivation::Tanh, VaeEstimator::Score, VaeKl::Analytic, false},
                      Case{VaeActivation::Tanh, VaeEstimator::Score, VaeKl::MonteCarlo, false},
                      Case{VaeActivation::Tanh, VaeEstimator::Score, VaeKl::Analytic, true},
                      Case{VaeActivation::Relu, VaeEstimator::Reparam, VaeKl::Analytic, false},
                      Case{VaeActivation::Relu, VaeEstimator::Score, VaeKl::MonteCarlo, true}),
    // Named by their fields: gtest's default prints the struct's bytes, padding included, so the
    // names would differ between the listing ctest makes and the run.
    [](const ::testing::TestParamInfo<Case>& info) {
      const Case& c = info.param;
      return std::string(c.activation == VaeActivation::Tanh ? "tanh" : "relu") +
             (c.estimator == VaeEstimator::Reparam ? "_reparam" : "_score") +
             (c.kl == VaeKl::Analytic ? "_analytic" : "_mc") + (c.leaveOneOut ? "_loo" : "");
    });

// The same objectives differentiated by PyTorch's autograd (tests/reference/vae_fixtures.py).
TEST(VaeNetwork, MatchesTorchAutogradFixture) {
  std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/vae/network.json");
  ASSERT_TRUE(in) << "missing fixture";
  const auto j = nlohmann::json::parse(in);
  const int d = j["input"], h = j["hidden"], l = j["latent"], n = j["images"], s = j["samples"];
  const auto params = j["parameters"].get<std::vector<double>>();
  const auto xs = j["x"].get<std::vector<double>>();
  const auto es = j["eps"].get<std::vector<double>>();
  const MatrixXd x = Eigen::Map<const MatrixXd>(xs.data(), d, n);
  const MatrixXd eps = Eigen::Map<const MatrixXd>(es.data(), l, n * s);
  int checked = 0;
  for (const auto& c : j["cases"]) {
    const VaeActivation activation =
        c["activation"] == "tanh" ? VaeActivation::Tanh : VaeActivation::Relu;
    Net net({.input = d, .hidden = h, .latent = l, .activation = activation});
    ASSERT_EQ(net.parameterCount(), static_cast<Eigen::Index>(params.size()));
    net.parameters() = Eigen::Map<const VectorXd>(params.data(), params.size());
    VaeObjective o{
        .estimator = c["estimator"] == "reparam" ? VaeEstimator::Reparam : VaeEstimator::Score,
        .kl = c["kl"] == "analytic" ? VaeKl::Analytic : VaeKl::MonteCarlo,
        .reconWeight = j["recon_weight"],
        .klWeight = j["kl_weight"],
        .leaveOneOut = c["leave_one_out"],
        .baseline = j["baseline"]};
    const VaeBatchStats stats = net.evaluate(x, eps, o, VaeGradient::All);
    const std::string name = c["activation"].get<std::string>() + "/" +
                             c["estimator"].get<std::string>() + "/" + c["kl"].get<std::string>();
    EXPECT_NEAR(stats.recon, c["recon"].get<double>(), 1e-12) << name;
    EXPECT_NEAR(stats.kl, c["kl_value"].get<double>(), 1e-12) << name;
    EXPECT_NEAR(stats.klAnalytic, c["kl_analytic"].get<double>(), 1e-12) << name;
    const auto g = c["gradient"].get<std::vector<double>>();
    const VectorXd expected = Eigen::Map<const VectorXd>(g.data(), g.size());
    EXPECT_LT((net.gradient() - expected).norm(), 1e-10 * expected.norm()) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 12);
}

Net smallNetwork(Random& rng) {
  Net net({.input = 5, .hidden = 4, .latent = 2, .activation = VaeActivation::Tanh});
  net.initialize(rng);
  net.parameters() *= 1.5;
  return net;
}

// E[log q(z|x) - log p(z)] under q equals the closed-form KL (Kingma & Welling 2014, app. B).
TEST(VaeNetwork, MonteCarloKlAgreesWithAnalyticInExpectation) {
  Random rng(3);
  Net net = smallNetwork(rng);
  MatrixXd x(5, 3);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = rng.uniform();
  const VaeObjective o{.kl = VaeKl::MonteCarlo};
  const int batches = 200, samples = 200;
  double sum = 0.0, sum2 = 0.0, analytic = 0.0;
  MatrixXd eps(2, 3 * samples);
  for (int b = 0; b < batches; ++b) {
    for (Eigen::Index k = 0; k < eps.size(); ++k) eps.data()[k] = rng.normal();
    const VaeBatchStats stats = net.evaluate(x, eps, o, VaeGradient::None);
    sum += stats.kl;
    sum2 += stats.kl * stats.kl;
    analytic = stats.klAnalytic;
  }
  const double mean = sum / batches;
  const double se = std::sqrt((sum2 / batches - mean * mean) / batches);
  EXPECT_GT(analytic, 0.05);
  EXPECT_NEAR(mean, analytic, 4 * se);
  EXPECT_LT(se, 0.05 * analytic);
}

// Single-sample encoder gradients of both estimators share their mean (the ELBO's gradient) and
// the score function's spread is larger.
TEST(VaeNetwork, ScoreAndReparamGradientsAgreeInExpectation) {
  Random rng(5);
  Net net = smallNetwork(rng);
  MatrixXd x(5, 2);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = rng.uniform();
  const Eigen::Index enc = net.encoderParameterCount();
  const int draws = 40000;
  MatrixXd eps(2, 2);
  double totalVariance[2] = {0, 0};
  VectorXd mean[2], se[2];
  for (int e = 0; e < 2; ++e) {
    const VaeEstimator estimator = e == 0 ? VaeEstimator::Reparam : VaeEstimator::Score;
    // Any constant baseline is unbiased; one near the mean signal keeps the test quick.
    VaeObjective o{.estimator = estimator, .baseline = -3.5};
    VectorXd sum = VectorXd::Zero(enc), sum2 = VectorXd::Zero(enc);
    for (int r = 0; r < draws; ++r) {
      for (Eigen::Index k = 0; k < eps.size(); ++k) eps.data()[k] = rng.normal();
      net.evaluate(x, eps, o, VaeGradient::Encoder);
      const VectorXd g = net.gradient().head(enc);
      sum += g;
      sum2 += g.cwiseProduct(g);
    }
    mean[e] = sum / draws;
    const VectorXd var = sum2 / draws - mean[e].cwiseProduct(mean[e]);
    se[e] = (var / draws).cwiseSqrt();
    totalVariance[e] = var.sum();
  }
  for (Eigen::Index k = 0; k < enc; ++k) {
    const double tolerance = 4.5 * std::hypot(se[0][k], se[1][k]);
    EXPECT_NEAR(mean[1][k], mean[0][k], tolerance) << "encoder parameter " << k;
  }
  // The comparison has power: the gradient is well resolved on most coordinates.
  EXPECT_GT(mean[0].norm(), 10 * se[1].norm() / std::sqrt(double(enc)));
  EXPECT_GT(totalVariance[1], 3 * totalVariance[0]);
}

TEST(VaeNetwork, FloatAndDoubleAgree) {
  Random rng(8);
  VaeNetwork<double> d({.input = 40, .hidden = 48, .latent = 3});
  d.initialize(rng);
  VaeNetwork<float> f({.input = 40, .hidden = 48, .latent = 3});
  f.parameters() = d.parameters().cast<float>();
  MatrixXd x(40, 32), eps(3, 64);
  for (Eigen::Index k = 0; k < x.size(); ++k) x.data()[k] = rng.uniform();
  for (Eigen::Index k = 0; k < eps.size(); ++k) eps.data()[k] = rng.normal();
  const VaeObjective obj;
  const auto sd = d.evaluate(x, eps, obj, VaeGradient::All);
  const auto sf = f.evaluate(x.cast<float>(), eps.cast<float>(), obj, VaeGradient::All);
  EXPECT_NEAR(sf.recon, sd.recon, 1e-4 * std::fabs(sd.recon));
  EXPECT_NEAR(sf.kl, sd.kl, 1e-4 * std::fabs(sd.kl) + 1e-6);
  EXPECT_LT((f.gradient().cast<double>() - d.gradient()).norm(), 1e-4 * d.gradient().norm());
  MatrixXd mu;
  Eigen::MatrixXf muF;
  d.encode(x, mu);
  f.encode(x.cast<float>(), muF);
  EXPECT_LT((muF.cast<double>() - mu).norm(), 1e-4 * mu.norm());
}

}  // namespace
}  // namespace vilab
