// The VAE lab's live equations: the step's reparameterized ELBO estimate for image 1 of the
// minibatch with its samples (Kingma & Welling 2014, eq. 10 with the analytic KL; their generic
// estimator L^A, §2.3, with the Monte Carlo KL) and Adam's update of one weight, the encoder's
// bias of mu_1. Both are Equation::When::Last: the samples are known once drawn, and the results
// are the current state. recordSamples() costs O(L S) per step.

#include <algorithm>
#include <cmath>

#include "core/models/vae.hpp"
#include "core/optim/step_equation.hpp"

namespace vilab {

namespace {

constexpr const char* kElboLabel = "ELBO train";  // app/labs/vae_lab.cpp

}  // namespace

void VaeModel::recordSamples() {
  const auto& head = m_net.lastEncoderOutput();   // 2L x N
  const auto& z = m_net.lastLatentDraws();        // L x N S
  const auto& recon = m_net.lastReconstruction();  // N S
  const Eigen::Index l = m_scenario.latentDim, n = m_x.cols();
  StepSamples& r = m_lastSamples;
  r.batch = static_cast<int>(n);
  r.samples = static_cast<int>(z.cols() / n);
  r.shown = std::min(r.samples, 3);
  r.mu = head(0, 0);
  r.sigma = std::exp(0.5 * double(head(l, 0)));
  const bool mcKl = m_scenario.kl == VaeKl::MonteCarlo;
  double klAnalytic = 0.0;
  for (Eigen::Index j = 0; j < l; ++j) {
    const double mu = head(j, 0), logVar = head(l + j, 0);
    klAnalytic += 0.5 * (mu * mu + std::exp(logVar) - 1.0 - logVar);
  }
  double reconSum = 0.0, klSum = 0.0;
  for (int s = 0; s < r.samples; ++s) {
    const Eigen::Index col = s * n;  // sample s of image 1
    reconSum += recon[col];
    double kl = 0.0;
    if (mcKl)
      for (Eigen::Index j = 0; j < l; ++j) {
        const double zz = z(j, col), e = m_eps(j, col);
        kl += 0.5 * (zz * zz - e * e - double(head(l + j, 0)));
      }
    klSum += kl;
    if (s < r.shown) {
      r.eps[s] = m_eps(0, col);
      r.z[s] = z(0, col);
      r.logLik[s] = recon[col];
      r.klSample[s] = kl;
    }
  }
  r.kl = mcKl ? klSum / r.samples : klAnalytic;
  r.estimate = reconSum / r.samples - r.kl;
}

void VaeModel::fillEquations(VaeSnapshot& snap) const {
  const StepSamples& r = m_lastSamples;
  const bool mcKl = m_scenario.kl == VaeKl::MonteCarlo;
  const bool score = m_scenario.estimator == VaeEstimator::Score;
  Equation e;
  e.when = Equation::When::Last;
  e.highlight = kElboLabel;
  e.title = std::string("ELBO estimate for image 1 of the minibatch, S samples of z") +
            (score ? " (encoder gradient: score function)" : " (reparameterized)");
  if (mcKl) {
    e.source = "Kingma & Welling 2014, §2.3 (generic SGVB estimator, Monte Carlo KL)";
    e.formula =
        "\\tilde{L}(x_{i}) = \\frac{1}{S} \\sum_{s=1}^{S} \\left(\\ln p_{\\theta}(x_{i} | z_{is}) - "
        "\\ln \\frac{q_{\\phi}(z_{is} | x_{i})}{p(z_{is})}\\right), "
        "z_{is} = \\mu_{i} + \\sigma_{i} ⊙ \\epsilon_{is}, \\epsilon_{is} ∼ N(0, I)";
  } else {
    e.source = "Kingma & Welling 2014, eq. (10)";
    e.formula =
        "\\tilde{L}(x_{i}) = \\frac{1}{2} \\sum_{j=1}^{J} \\left(1 + \\ln \\sigma_{ij}^{2} - "
        "\\mu_{ij}^{2} - \\sigma_{ij}^{2}\\right) + \\frac{1}{S} \\sum_{s=1}^{S} "
        "\\ln p_{\\theta}(x_{i} | z_{is}), z_{is} = \\mu_{i} + \\sigma_{i} ⊙ \\epsilon_{is}, "
        "\\epsilon_{is} ∼ N(0, I)";
  }
  if (r.samples > 0) {
    e.inputs = {{"S", double(r.samples)}, {"KL_{1}", r.kl}};
    std::string sum;
    for (int s = 0; s < r.shown; ++s) {
      e.inputs.push_back({"\\ln p(x_{1} | z_{1" + std::to_string(s + 1) + "})", r.logLik[s]});
      sum += (s ? " + #" : "#") + std::to_string(2 + s);
    }
    if (r.samples > r.shown) sum += " + …";
    e.substituted = "-#1 + \\frac{1}{#0}\\left(" + sum + "\\right)";
    e.inputs.push_back({"\\mu_{11}", r.mu});
    e.inputs.push_back({"\\sigma_{11}", r.sigma});
    for (int s = 0; s < r.shown; ++s) {
      const std::string i = std::to_string(s + 1);
      e.inputs.push_back({"\\epsilon_{1" + i + ",1}", r.eps[s]});
      e.inputs.push_back({"z_{1" + i + ",1}", r.z[s]});
      if (mcKl) e.inputs.push_back({"\\ln \\frac{q(z_{1" + i + "})}{p(z_{1" + i + "})}", r.klSample[s]});
    }
    e.inputs.push_back({"N", double(r.batch)});
    e.results = {{"\\tilde{L}(x_{1})", r.estimate},
                 {"\\frac{1}{N} \\sum_{i=1}^{N} \\tilde{L}(x_{i})", m_last.elbo()}};
  }
  snap.equations.push_back(std::move(e));
  if (r.samples > 0)
    snap.equations.push_back(optimizerStepEquation(m_probe, "b_{\\mu_{1}}",
                                                   "the encoder's bias of μ₁", true, kElboLabel));
}

}  // namespace vilab
