// The factor-analysis lab's live equations: the E and M steps of EM (Bishop PRML 12.2.4) and of
// probabilistic PCA (PRML 12.2.2; Tipping & Bishop 1999) with this iteration's numbers, in the
// data's units. Every step is deterministic, so each row says what the next step will set,
// computed here from the model's state with the same functions step() calls (O(D K^2) beyond the
// E step's K x K products: negligible next to a step's O(D^2 K) evaluation).

#include "core/models/fa.hpp"

namespace vilab {

namespace {

// Labels of the views these updates move (app/labs/fa_lab.cpp).
constexpr const char* kModelLabel = "model (W Wᵀ + Ψ, W)";

}  // namespace

void FaModel::fillEquations(FaSnapshot& snap) const {
  const double c = m_stats->scale, c2 = c * c;
  const int k = m_scenario.k;
  const bool ppca = m_scenario.ppca, half = m_scenario.halfsteps;
  const bool eNext = !half || m_nextIsE, mNext = !half || !m_nextIsE;
  // q as the M step will see it: the E step's (run first in a full iteration) or the current.
  const FaPosterior qNext = eNext ? eStep(m_eval) : FaPosterior{};
  const FaPosterior& qM = eNext ? qNext : m_q;

  if (eNext) {
    Equation e;
    e.title = ppca ? "E step: q(z_n) = p(z_n | y_n, W, σ²)" : "E step: q(z_n) = p(z_n | y_n, W, Ψ)";
    e.highlight = k >= 2 ? "posterior covariance G, 1σ" : "posterior ±1 sd: √G";
    // (W^T Psi^-1 W)_11, unitless: the same in internal and data units.
    const double wPw = m_theta.W.col(0).cwiseAbs2().cwiseQuotient(m_theta.psi).sum();
    if (ppca) {
      e.source = "Bishop PRML eqs. (12.54)-(12.55); Tipping & Bishop 1999";
      e.formula =
          "M = W^{T} W + \\sigma^{2} I, G = \\sigma^{2} M^{-1}, "
          "\\mathbb{E}[z_{n}] = M^{-1} W^{T} (y_{n} - \\bar{y})";
    } else {
      e.source = "Bishop PRML eqs. (12.66)-(12.68)";
      e.formula =
          "G = \\left(I + W^{T} \\Psi^{-1} W\\right)^{-1}, "
          "\\mathbb{E}[z_{n}] = G W^{T} \\Psi^{-1} (y_{n} - \\bar{y})";
    }
    e.substituted = k == 1 ? "G = \\frac{1}{1 + #0}"
                           : "G_{11} = [\\left(I + W^{T} \\Psi^{-1} W\\right)^{-1}]_{11}, "
                             "(W^{T} \\Psi^{-1} W)_{11} = #0";
    e.inputs = {{"(W^{T} \\Psi^{-1} W)_{11}", wPw},
                {"W_{11}", c * m_theta.W(0, 0)},
                {ppca ? "\\sigma^{2}" : "\\psi_{1}", c2 * m_theta.psi[0]},
                {"y_{11} - \\bar{y}_{1}", (*m_data)(0, 0) - m_stats->mean[0]}};
    const double ez = (qNext.A.row(0) * (m_data->row(0).transpose() - m_stats->mean)).value() / c;
    e.results = {{"G_{11}", qNext.G(0, 0)}, {"\\mathbb{E}[z_{1}]_{1}", ez}};
    snap.equations.push_back(std::move(e));
  }
  if (mNext) {
    const FaParams next = mStep(qM, m_diagS, m_floor, ppca);
    const Eigen::VectorXd explained = next.W.cwiseProduct(qM.Eyz).rowwise().sum();  // diag(W Eyz^T)
    Equation w;
    w.title = "M step: loadings W";
    w.source = ppca ? "Bishop PRML eq. (12.56)" : "Bishop PRML eq. (12.69)";
    w.formula =
        "W = [\\sum_{n=1}^{N} (y_{n} - \\bar{y}) \\mathbb{E}[z_{n}]^{T}] "
        "[\\sum_{n=1}^{N} \\mathbb{E}[z_{n} z_{n}^{T}]]^{-1}";
    w.substituted = k == 1 ? "W_{11} = \\frac{#0}{#1}"
                           : "W_{11} = [E_{yz} E_{zz}^{-1}]_{11}, (E_{yz})_{11} = #0, "
                             "(E_{zz})_{11} = #1";
    w.inputs = {{"(E_{yz})_{11} = \\frac{1}{N}\\sum_{n} (y_{n1} - \\bar{y}_{1}) \\mathbb{E}[z_{n1}]",
                 c * qM.Eyz(0, 0)},
                {"(E_{zz})_{11} = \\frac{1}{N}\\sum_{n} \\mathbb{E}[z_{n1}^{2}]", qM.Ezz(0, 0)}};
    w.results = {{"W_{11}", c * next.W(0, 0)}};
    w.highlight = kModelLabel;
    snap.equations.push_back(std::move(w));

    Equation p;
    p.highlight = ppca ? "σ² (EM)" : "ψᵢ (EM)";
    if (ppca) {
      const double d = static_cast<double>(m_diagS.size());
      p.title = "M step: noise variance σ²";
      p.source = "Bishop PRML eq. (12.57); Tipping & Bishop 1999 eq. (28)";
      p.formula =
          "\\sigma^{2} = max\\left(\\frac{1}{D} tr \\left(S - W E_{yz}^{T}\\right), "
          "floor\\right)";
      p.substituted = "max\\left(\\frac{#0 - #1}{#2}, #3\\right)";
      p.inputs = {{"tr S", c2 * m_diagS.sum()},
                  {"tr (W E_{yz}^{T})", c2 * explained.sum()},
                  {"D", d},
                  {"floor", c2 * m_floor[0]}};
      p.results = {{"\\sigma^{2}", c2 * next.psi[0]}};
    } else {
      p.title = "M step: noise variances Ψ (given the new W)";
      p.source = "Bishop PRML eq. (12.70)";
      p.formula =
          "\\psi_{i} = max\\left([S - W \\frac{1}{N}\\sum_{n=1}^{N} \\mathbb{E}[z_{n}] "
          "(y_{n} - \\bar{y})^{T}]_{ii}, floor_{i}\\right)";
      p.substituted = "\\psi_{1} = max\\left(#0 - #1, #2\\right)";
      p.inputs = {{"S_{11}", c2 * m_diagS[0]},
                  {"(W E_{yz}^{T})_{11}", c2 * explained[0]},
                  {"floor_{1}", c2 * m_floor[0]}};
      p.results = {{"\\psi_{1}", c2 * next.psi[0]}};
    }
    snap.equations.push_back(std::move(p));
  }
}

}  // namespace vilab
