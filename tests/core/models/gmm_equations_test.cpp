// The mixture lab's live equations: inputs are the snapshot's own numbers (N_k from its
// responsibilities, the priors), When::Next results are what the next step sets (q's
// hyperparameters, EM's parameters, the shown point's responsibility), When::Last results the
// current state, and each formula on its inputs gives its results.

#include "core/models/gmm_equations.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/models/gmm.hpp"

namespace vilab {
namespace {

using Algorithm = GmmScenario::Algorithm;

std::shared_ptr<const GmmSnapshot> snap(const GmmModel& m) {
  return std::dynamic_pointer_cast<const GmmSnapshot>(m.snapshot());
}

const EquationValue& find(const std::vector<EquationValue>& values, const std::string& symbol) {
  for (const auto& v : values)
    if (v.symbol == symbol) return v;
  static const EquationValue kMissing{"", NAN};
  ADD_FAILURE() << "no value " << symbol;
  return kMissing;
}
double in(const Equation& e, const std::string& s) { return find(e.inputs, s).value; }
double out(const Equation& e, const std::string& s) { return find(e.results, s).value; }

void near(double a, double b, double rel = 1e-9) { EXPECT_NEAR(a, b, rel * std::max(1.0, std::abs(b))); }

GmmScenario scenario(int dim, Algorithm algorithm) {
  GmmScenario s;
  s.dim = dim;
  s.algorithm = algorithm;
  s.data.n = 300;
  s.data.separation = 2.5;
  return s;
}

// N_k = sum_n r_nk of the snapshot's responsibilities (floats) for the shown component.
double responsibilitySum(const GmmSnapshot& s, int k) {
  const auto& r = *s.responsibilities;
  const std::size_t n = s.data->rows();
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += r[k * n + i];
  return sum;
}

TEST(GmmEquations, ShownPairIsTheHeaviestComponentAndItsMostSharedPoint) {
  Eigen::MatrixXd r(3, 2);
  r << 0.9, 0.1, 0.45, 0.55, 0.8, 0.2;  // column 0 carries 2.15
  const GmmShown shown = gmmShownPair(r);
  EXPECT_EQ(shown.component, 0);
  EXPECT_EQ(shown.point, 1);
}

TEST(GmmEquations, CaviPredictsTheNextStep) {
  for (int dim : {1, 2}) {
    GmmModel model;
    ASSERT_TRUE(model.reset(scenario(dim, Algorithm::Cavi)).isOk());
    for (int step = 0; step < 3; ++step) {
      const auto now = snap(model);
      ASSERT_EQ(now->equations.size(), 2u);
      const Equation& m = now->equations[0];
      const Equation& e = now->equations[1];
      const GmmShown shown = gmmShownPair(model.caviResponsibilities());
      const int k = shown.component, n = shown.point;
      // Inputs: the snapshot's priors and N_k of its responsibilities.
      near(in(m, "\\alpha_0"), now->alpha0);
      near(in(m, "\\beta_0"), now->beta0);
      near(in(m, "\\nu_0"), now->nu0);
      near(in(m, "N_k"), responsibilitySum(*now, k), 1e-5);
      // The formula on its inputs gives its results.
      near(out(m, "\\alpha_k"), in(m, "\\alpha_0") + in(m, "N_k"));
      near(out(m, "\\beta_k"), in(m, "\\beta_0") + in(m, "N_k"));
      near(in(e, "\\beta_k"), out(m, "\\beta_k"));
      near(out(e, "r_{nk}"), std::exp(in(e, "\\ln\\rho_{nk}") - in(e, "\\ln\\sum_j \\rho_{nj}")));
      model.step();
      const auto next = snap(model);
      // Results: what the step set.
      near(out(m, "\\alpha_k"), next->alpha[k]);
      near(out(m, "\\beta_k"), next->beta[k]);
      near(out(m, "\\nu_k"), next->nu[k]);
      near(out(m, dim > 1 ? "m_{k,1}" : "m_{k}"), next->fitted.means[k * dim]);
      near(out(e, "r_{nk}"), model.caviResponsibilities()(n, k), 1e-8);
    }
  }
}

TEST(GmmEquations, EmPredictsTheNextStep) {
  for (int dim : {1, 2}) {
    GmmModel model;
    ASSERT_TRUE(model.reset(scenario(dim, Algorithm::Em)).isOk());
    for (int step = 0; step < 3; ++step) {
      const auto now = snap(model);
      ASSERT_EQ(now->equations.size(), 2u);
      const Equation& m = now->equations[0];
      const Equation& e = now->equations[1];
      const GmmShown shown = gmmShownPair(model.emResponsibilities());
      const int k = shown.component, n = shown.point;
      near(in(m, "N_k"), responsibilitySum(*now, k), 1e-5);
      near(in(m, "N"), double(now->data->rows()), 1e-9);
      near(out(m, "\\pi_k"), in(m, "N_k") / in(m, "N"));
      const std::string mu = dim > 1 ? "\\mu_{k,1}" : "\\mu_{k}";
      near(out(m, mu), in(m, "\\sum_n \\gamma(z_{nk}) x_n") / in(m, "N_k"));
      model.step();
      const auto next = snap(model);
      near(out(m, "\\pi_k"), next->fitted.weights[k]);
      near(out(m, mu), next->fitted.means[k * dim]);
      near(out(m, dim > 1 ? "\\Sigma_{k,11}" : "\\Sigma_{k}"), next->fitted.covariances[k * dim * dim]);
      near(out(e, "\\gamma(z_{nk})"), model.emResponsibilities()(n, k), 1e-8);
    }
  }
}

TEST(GmmEquations, BbviShowsTheLastStep) {
  for (auto estimator : {BbviEstimator::Reparam, BbviEstimator::Score}) {
    GmmScenario s = scenario(1, Algorithm::Bbvi);
    s.estimator = estimator;
    GmmModel model;
    ASSERT_TRUE(model.reset(s).isOk());
    EXPECT_TRUE(snap(model)->equations.empty()) << "no step yet";
    for (int step = 0; step < 3; ++step) {
      const double before = model.bbviParameters()(0);
      const double sdBefore = std::exp(model.bbviParameters()(s.k));
      model.step();
      const auto now = snap(model);
      ASSERT_EQ(now->equations.size(), 2u);
      const Equation& est = now->equations[0];
      const Equation& up = now->equations[1];
      EXPECT_EQ(est.when, Equation::When::Last);
      near(in(est, "S"), s.samples);
      near(in(est, "\\sigma_k"), sdBefore);
      near(in(up, "m_{k,t-1}"), before);
      near(out(up, "m_{k,t}"), model.bbviParameters()(0));
      near(in(up, "m_{k,t-1}") + in(up, "\\alpha_t") * in(up, "M_t") /
                                     (std::sqrt(in(up, "V_t")) + in(up, "\\hat{\\epsilon}")),
           out(up, "m_{k,t}"));
    }
  }
}

}  // namespace
}  // namespace vilab
