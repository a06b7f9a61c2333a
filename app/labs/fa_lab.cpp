#include "app/labs/fa_lab.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>

#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "app/ui/widgets.hpp"
#include "core/models/fa.hpp"
#include "core/math/view_plane.hpp"
#include "core/text/subscript.hpp"

namespace vilab {
namespace {

using plot::LineStyle;
using plot::Point;
using ui::kApprox;
using ui::kExact;

constexpr plot::Color kSample = ui::kSky;                 // the data's own covariance S
constexpr plot::Color kPca = ui::kGood;                   // plain PCA directions
constexpr plot::Color kPpca = ui::kAccent;                // the closed-form PPCA solution
constexpr plot::Color kGap = ui::kPurple;                 // KL(q‖p), as in the Gaussian lab
// KL = log-likelihood − ELBO is a difference of two numbers of size |log-likelihood|: below this
// fraction of it, it is rounding (it may even be negative), drawn flat at the floor.
constexpr double kRoundingFloor = 1e-13;

// A matrix as bracketed rows, cut to a few rows and columns (W can be 50 x 10).
std::string matrixText(const Eigen::MatrixXd& m, int maxRows = 5, int maxCols = 6) {
  std::string out;
  const int rows = std::min<int>(static_cast<int>(m.rows()), maxRows);
  const int cols = std::min<int>(static_cast<int>(m.cols()), maxCols);
  for (int r = 0; r < rows; ++r) {
    out += "      [ ";
    for (int c = 0; c < cols; ++c) out += (c ? "   " : "") + ui::number(m(r, c));
    if (cols < m.cols()) out += "   …";
    out += " ]\n";
  }
  if (rows < m.rows()) out += "      … (" + std::to_string(m.rows()) + " rows)\n";
  return out;
}

std::string vectorText(const Eigen::VectorXd& v, int maxEntries = 6) {
  std::string out = "(";
  const int n = std::min<int>(static_cast<int>(v.size()), maxEntries);
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + ui::number(v[i]);
  if (n < v.size()) out += ", …";
  return out + ")";
}

std::span<const double> column(const Eigen::MatrixXd& m, Eigen::Index j) {
  return {m.col(j).data(), static_cast<std::size_t>(m.rows())};
}

// W as the M step computes it from the E step's statistics: (Σ y E[z]ᵀ)(Σ E[zzᵀ])⁻¹. After an M
// step this is the current W; after an E step it is the W the next M step will set.
Eigen::MatrixXd mStepW(const FaSnapshot& s) {
  if (s.Ezz.size() == 0) return s.W;
  return s.Ezz.ldlt().solve(s.Eyz.transpose()).transpose();
}

// Which M step the E-step statistics feed: "last" when it has run since, else "next".
const char* whichMStep(const FaSnapshot& s) {
  return s.lastPhase == FaSnapshot::Phase::E || s.lastPhase == FaSnapshot::Phase::None ? "next"
                                                                                       : "last";
}

std::string mStepText(const FaSnapshot& s) {
  const Eigen::MatrixXd W = mStepW(s);
  std::string t;
  t += "M step (θ ← argmax ELBO(q, θ), q fixed), on centred data:\n";
  t += "  W = (Σₙ yₙ E[zₙ]ᵀ) (Σₙ E[zₙ zₙᵀ])⁻¹\n";
  t += "    (1/N) Σ y E[z]ᵀ =\n" + matrixText(s.Eyz);
  t += "    (1/N) Σ E[z zᵀ] =\n" + matrixText(s.Ezz);
  t += std::string("    W (") + whichMStep(s) + " M step) =\n" + matrixText(W);
  t += s.ppca ? "  σ² = mean of diag(S − W (1/N) Σ E[z] yᵀ)\n"
              : "  Ψ = diag(S − W (1/N) Σ E[z] yᵀ), each ψᵢ kept above its floor\n";
  return t;
}

std::string eStepText(const FaSnapshot& s) {
  std::string t;
  t += "E step (q ← p(z | y, θ): the ELBO touches the log-likelihood):\n";
  t += "  G = (I + Wᵀ Ψ⁻¹ W)⁻¹ =\n" + matrixText(s.G);
  t += "  E[z | y] = G Wᵀ Ψ⁻¹ (y − μ) = A (y − μ),   A =\n" + matrixText(s.A);
  t += "  E[z zᵀ | y] = G + E[z | y] E[z | y]ᵀ\n";
  return t;
}

void ring(Point at) {
  if (!std::isfinite(at.x) || !std::isfinite(at.y)) return;
  const float font = ImGui::GetFontSize();
  plot::drawList()->AddCircle(plot::toPixels(at), 0.45f * font, plot::onScreen(ui::kPoint), 20,
                              2.5f * font / 18.0f);
}

std::string pointText(const FaSnapshot& s, int i) {
  const Eigen::Index row = static_cast<Eigen::Index>(i) * static_cast<Eigen::Index>(s.cloudStride);
  if (!s.data || row >= s.data->rows()) return "";
  const Eigen::VectorXd y = s.data->row(row).transpose();
  const Eigen::VectorXd ez = s.A * (y - s.mu);
  std::string t = "Point in row " + std::to_string(row + 1) + " of the data\n";
  t += "  y = " + vectorText(y) + "\n";
  t += "  q(z | y) = N(A (y − μ), G), from the last E step:\n";
  t += "  E[z | y] = " + vectorText(ez) + "\n";
  if (s.colour && static_cast<std::size_t>(i) < s.colour->size()) {
    const double v = (*s.colour)[i];
    const auto c = static_cast<std::size_t>(v);
    t += "  " + s.colourLabel + " = " +
         (c < s.classNames.size() ? s.classNames[c] : ui::number(v)) + "\n";
  }
  t += "  (ringed in the data and latent views)";
  return t;
}

}  // namespace

void FaLab::updateColours(const FaSnapshot& s) {
  if (s.colour == m_colourSource) return;
  m_colourSource = s.colour;
  const std::vector<double>& v = s.colour ? *s.colour : std::vector<double>();
  m_colourLo = 0.0, m_colourHi = 1.0;
  if (!v.empty()) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    m_colourLo = *lo, m_colourHi = *hi;
  }
  const double span = m_colourHi > m_colourLo ? m_colourHi - m_colourLo : 1.0;
  m_colours.resize(v.size());
  m_jitter.resize(v.size());
  const bool classes = !s.classNames.empty();
  for (std::size_t i = 0; i < v.size(); ++i) {
    m_colours[i] = classes ? plot::withAlpha(plot::categorical(static_cast<int>(v[i])), 0.8f)
                           : plot::withAlpha(plot::viridis((v[i] - m_colourLo) / span), 0.85f);
    // A fixed pseudo-random offset (golden-ratio sequence) spreads the K = 1 strip.
    m_jitter[i] = std::fmod(0.5 + 0.6180339887498949 * static_cast<double>(i), 1.0) * 1.6 - 0.8;
  }
}

void FaLab::colourBar(const char* label, float width) {
  const float font = ImGui::GetFontSize();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float h = font * 1.3f;
  ImGui::Dummy(ImVec2(width, h));
  const std::string name = std::string("colour: ") + label;
  plot::beginPanel((name + "###colour_bar").c_str(), at, ImVec2(at.x + width, at.y + h));  // exports
  ImDrawList* d = ImGui::GetWindowDrawList();
  const std::string lo = ui::number(m_colourLo), hi = ui::number(m_colourHi);
  const float nameW = ImGui::CalcTextSize(name.c_str()).x;
  const float loW = ImGui::CalcTextSize(lo.c_str()).x, hiW = ImGui::CalcTextSize(hi.c_str()).x;
  const float x0 = at.x + font * 0.5f + nameW + font * 0.6f + loW + font * 0.3f;
  const float x1 = std::max(x0 + font * 3.0f, at.x + width - hiW - font * 0.8f);
  const float y = at.y + (h - font) * 0.5f;
  d->AddText(ImVec2(at.x + font * 0.5f, y), ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
  d->AddText(ImVec2(x0 - font * 0.3f - loW, y), ImGui::GetColorU32(ImGuiCol_Text), lo.c_str());
  const int steps = 24;
  for (int k = 0; k < steps; ++k) {
    const float a = x0 + (x1 - x0) * k / steps, b = x0 + (x1 - x0) * (k + 1) / steps;
    d->AddRectFilledMultiColor(
        ImVec2(a, y + font * 0.15f), ImVec2(b + 0.5f, y + font * 0.85f),
        plot::viridis(double(k) / steps), plot::viridis(double(k + 1) / steps),
        plot::viridis(double(k + 1) / steps), plot::viridis(double(k) / steps));
  }
  d->AddText(ImVec2(x1 + font * 0.3f, y), ImGui::GetColorU32(ImGuiCol_Text), hi.c_str());
  plot::endPanel();
}

float FaLab::colourKeyHeight(const FaSnapshot& s, float width) const {
  const float font = ImGui::GetFontSize(), row = font * 1.3f;
  if (s.classNames.empty()) return row + ImGui::GetStyle().ItemSpacing.y;
  // Entries (a swatch and the name) laid out left to right, wrapping.
  float x = 0.0f;
  int rows = 1;
  for (const std::string& name : s.classNames) {
    const float w = 1.6f * font + ImGui::CalcTextSize(name.c_str()).x;
    if (x > 0.0f && x + w > width) ++rows, x = 0.0f;
    x += w;
  }
  return rows * row + ImGui::GetStyle().ItemSpacing.y;
}

void FaLab::colourKey(const FaSnapshot& s, float width) {
  if (s.classNames.empty()) {
    colourBar(s.colourLabel.c_str(), width);
    return;
  }
  const float font = ImGui::GetFontSize(), row = font * 1.3f;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float height = colourKeyHeight(s, width) - ImGui::GetStyle().ItemSpacing.y;
  ImGui::Dummy(ImVec2(width, height));
  ImDrawList* d = ImGui::GetWindowDrawList();
  float x = 0.0f, y = 0.0f;
  for (std::size_t c = 0; c < s.classNames.size(); ++c) {
    const std::string& name = s.classNames[c];
    const float w = 1.6f * font + ImGui::CalcTextSize(name.c_str()).x;
    if (x > 0.0f && x + w > width) y += row, x = 0.0f;
    const ImVec2 p(at.x + x + 0.4f * font, at.y + y + 0.5f * (row - 0.7f * font));
    d->AddRectFilled(p, ImVec2(p.x + 0.7f * font, p.y + 0.7f * font),
                     plot::categorical(static_cast<int>(c)));
    d->AddText(ImVec2(at.x + x + 1.3f * font, at.y + y + 0.5f * (row - font)),
               ImGui::GetColorU32(ImGuiCol_Text), name.c_str());
    x += w;
  }
}

void FaLab::drawData(const FaSnapshot& s, ImVec2 size) {
  const float barH = m_colourData ? colourKeyHeight(s, size.x) : 0.0f;
  char title[200];
  std::snprintf(title, sizeof title, "Data and the model's covariance W Wᵀ + Ψ###fa data");
  if (!plot::begin(title, {size.x, size.y - barH}, plot::kEqualAspect)) return;
  plot::setupAxes(s.viewXLabel.c_str(), s.viewYLabel.c_str());
  const Eigen::MatrixXd& cloud = *s.cloud;
  const auto xs = column(cloud, 0), ys = column(cloud, 1);
  const float radius = xs.size() > 3000 ? 1.4f : xs.size() > 800 ? 2.0f : 2.6f;
  if (m_colourData && m_colours.size() == xs.size())
    plot::scatter("##data", xs, ys, m_colours, radius);
  else
    plot::scatter("data", xs, ys, plot::withAlpha(ui::kData, xs.size() > 3000 ? 0.4f : 0.6f),
                  radius);

  const Point c{s.centre.x(), s.centre.y()};
  const auto ellipse = [&](const char* label, const Eigen::Matrix2d& m, double n, LineStyle style) {
    plot::ellipse(label, c, m(0, 0), m(0, 1), m(1, 1), n, style);
  };
  // One legend entry per colour: the model (ellipses and the columns of W), the truth, ...
  const char* model = "model (W Wᵀ + Ψ, W)";
  const char* truth = "truth";
  ellipse("sample cov. S", s.sampleCov, 2.0, {kSample, 1.6f});
  if (s.hasTruth) ellipse(truth, s.trueCov, 2.0, ui::truthLine(1.8f));
  if (s.ppca) ellipse("PPCA closed form", s.ppcaCov, 2.0, {kPpca, 2.2f, true});
  ellipse(model, s.modelCov, 1.0, {kApprox, 2.4f});
  ellipse(model, s.modelCov, 2.0, {kApprox, 2.4f});

  const auto arrows = [&](const char* label, const Eigen::MatrixXd& m, LineStyle style,
                          const char* letter) {
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      const Point tip{c.x + m(0, j), c.y + m(1, j)};
      plot::arrow(label, c, tip, style);
      const ImVec2 a = plot::toPixels(c), b = plot::toPixels(tip);
      const float len = std::hypot(b.x - a.x, b.y - a.y), off = 0.8f * ImGui::GetFontSize();
      if (letter && j < 4 && len > 1.5f * off) {
        // Just beyond the tip, along the arrow.
        plot::labelAt(ImVec2(b.x + off * (b.x - a.x) / len, b.y + off * (b.y - a.y) / len),
                      indexed(letter, static_cast<int>(j) + 1), style.color);
      }
    }
  };
  arrows("PCA axes", s.pcaArrows, {kPca, 2.0f}, nullptr);
  if (s.hasTruth) arrows(truth, s.trueArrows, ui::truthLine(1.8f), nullptr);
  arrows(model, s.wArrows, {kApprox, 3.0f}, "w");

  const int near = plot::nearestPoint(xs, ys);
  if (near >= 0) {
    m_hoveredNow = near;
    ui::textTooltip(pointText(s, near));
  } else if (plot::isHovered()) {
    std::string t =
        "Blue: the model's covariance C = W Wᵀ + Ψ (1σ and 2σ), projected on this plane;";
    t += s.hasTruth ? " dotted: the true one; sky blue: the sample covariance S"
                    : " sky blue: the sample covariance S";
    t += s.ppca ? "; orange dashed: the closed-form PPCA solution, which PPCA's EM reaches.\n" : ".\n";
    t += s.hasTruth ? "Arrows: the columns of W (blue), of W_true (dotted), and the PCA directions "
                      "√λⱼ uⱼ (green).\n\n"
                    : "Arrows: the columns of W (blue) and the PCA directions √λⱼ uⱼ (green).\n\n";
    t += mStepText(s);
    t += "\nlog-likelihood per point: " + ui::number(s.logLik);
    ui::textTooltip(t);
  }
  if (m_hovered >= 0 && m_hovered < static_cast<int>(xs.size()))
    ring({xs[m_hovered], ys[m_hovered]});
  plot::end();
  if (m_colourData) colourKey(s, size.x);
}

void FaLab::drawPsi(const FaSnapshot& s, ImVec2 size) {
  const int d = s.d;
  // The title flags Heywood cases: the ψᵢ whose maximum-likelihood value is 0, held at the floor.
  std::string title = s.ppca ? "Noise variance Ψ = σ²I" : "Noise variances Ψ";
  title += s.hasTruth ? " against Ψ_true" : "";
  if (!s.floored.empty()) {
    if (s.ppca) {
      title = "⚠ σ² on its floor";
    } else if (s.floored.size() <= 4) {
      title = "⚠ Heywood case: ";
      for (std::size_t j = 0; j < s.floored.size(); ++j)
        title += (j ? ", " : "") + indexed("ψ", s.floored[j] + 1);
      title += " on the floor";
    } else {
      title = "⚠ Heywood case: " + std::to_string(s.floored.size()) + " ψᵢ on the floor";
    }
  }
  title += "###fa psi";
  if (d <= 0 || s.psi.size() != d) return;
  // Constant columns (ψᵢ on scikit-learn's floor 1e-12, Sᵢᵢ = 0; the status bar names them) are
  // left out: they would stretch a log axis over twelve decades.
  std::vector<bool> constant(d, false);
  if (!s.ppca)
    for (int i : s.constant)
      if (i >= 0 && i < d) constant[i] = true;
  // A log axis when the bars span decades (unequal noise, or a ψᵢ on its floor).
  double lo = INFINITY, hi = s.sampleVariance.maxCoeff();
  for (int i = 0; i < d; ++i)
    if (!constant[i]) lo = std::min(lo, s.psi[i]);
  if (s.hasTruth && s.truePsi.size() == d) lo = std::min(lo, s.truePsi.minCoeff());
  const bool logY = !s.floored.empty() || (lo > 0 && hi / lo > 30.0);
  if (!plot::begin(title.c_str(), size)) return;
  const bool named = size.x / d >= 2.4f * ImGui::GetFontSize();  // room for ψ₁₂-style tick labels
  plot::setupAxes(named ? "" : "coordinate i", logY ? "variance (log scale)" : "variance",
                  plot::Scale::Linear, logY ? plot::Scale::Log : plot::Scale::Linear);
  std::vector<double> at(d);
  for (int i = 0; i < d; ++i) at[i] = i + 1;
  if (named) {
    std::vector<std::string> labels;
    for (int i = 0; i < d; ++i) labels.push_back(indexed("ψ", i + 1));
    plot::setupXTicks(at, labels);
  }
  plot::setupFitX(0.4, d + 0.6);
  const auto shifted = [&](double offset) {
    std::vector<double> xs(at);
    for (double& x : xs) x += offset;
    return xs;
  };
  std::vector<double> sii(s.sampleVariance.data(), s.sampleVariance.data() + d);
  std::vector<double> psi(s.psi.data(), s.psi.data() + d);
  for (int i = 0; i < d; ++i)
    if (constant[i]) sii[i] = psi[i] = NAN;
  // Bars while each coordinate gets a few pixels; beyond that (hundreds of pixels as columns)
  // lines over the coordinates, which stay readable at any D.
  const bool dense = size.x / static_cast<float>(d) < 4.0f;
  const double w = s.hasTruth ? 0.36 : 0.5;
  const std::vector<double> psiAt = s.hasTruth && !dense ? shifted(-0.19) : at;
  const char* psiName = s.ppca ? "σ² (EM)" : "ψᵢ (EM)";
  if (dense) {
    plot::line("sample variance Sᵢᵢ", at, sii, {plot::rgba(170, 170, 170), 1.2f});
    plot::line(psiName, at, psi, {kApprox, 1.6f});
  } else {
    plot::bars("sample variance Sᵢᵢ", at, sii, 0.86, plot::rgba(222, 222, 222));
    plot::bars(psiName, psiAt, psi, w, kApprox);
  }
  if (!s.floored.empty()) {
    std::vector<double> fx, fh;
    for (int i : s.floored)
      if (i >= 0 && i < d) fx.push_back(psiAt[i]), fh.push_back(psi[i]);
    if (dense)
      plot::scatter("on the floor", fx, fh, ui::kWarning, 3.0f);
    else
      plot::bars("on the floor", fx, fh, w, ui::kWarning);
  }
  if (s.hasTruth && s.truePsi.size() == d) {
    const std::vector<double> truth(s.truePsi.data(), s.truePsi.data() + d);
    if (dense)
      plot::line("true ψᵢ", at, truth, ui::truthLine(1.4f));
    else
      plot::bars("true ψᵢ", shifted(0.19), truth, w, plot::withAlpha(ui::kTruth, 0.8f));
  }
  if (s.ppca) plot::hline("σ² closed form (Tipping–Bishop)", s.ppcaSigma2, {kPpca, 2.0f, true});
  if (!s.floored.empty() && s.psiFloor.size() == d) {
    // The floor of each coordinate as a short dash over its bar, and the floored bars marked.
    std::vector<double> fx, fy;
    for (int i = 0; i < d; ++i) {
      fx.insert(fx.end(), {i + 0.55, i + 1.45, NAN});
      fy.insert(fy.end(), {s.psiFloor[i], s.psiFloor[i], NAN});
    }
    plot::line(s.ppca ? "floor 10⁻⁶ mean Sᵢᵢ" : "floor 10⁻⁶ Sᵢᵢ", fx, fy,
               {ui::kWarning, 2.0f, true});
  }
  if (plot::isHovered()) {
    const int i = static_cast<int>(std::lround(plot::mousePosition().x)) - 1;
    if (i >= 0 && i < d) {
      const Eigen::MatrixXd W = mStepW(s);
      const double explained = W.row(i).dot(s.Eyz.row(i));
      const std::string name = indexed("ψ", i + 1);
      std::string t =
          coordinateName(i, "y", s.columnNames) + ": " + (s.ppca ? "σ² = " : name + " = ") +
          ui::number(s.psi[i]);
      if (s.hasTruth && s.truePsi.size() == d) t += "   (true " + ui::number(s.truePsi[i]) + ")";
      t += "\n  sample variance Sᵢᵢ = " + ui::number(s.sampleVariance[i]) +
           ";  explained by the factors (W Wᵀ)ᵢᵢ = " + ui::number(s.W.row(i).squaredNorm());
      t += "\n  floor = " + ui::number(s.psiFloor.size() == d ? s.psiFloor[i] : NAN);
      if (std::find(s.floored.begin(), s.floored.end(), i) != s.floored.end())
        t +=
            "  ⚠ on the floor: a Heywood case, the factors explain this coordinate almost entirely";
      const double sI = s.sampleVariance[i];
      if (constant[i])
        t += "\n  a constant column: loadings 0, ψᵢ held at scikit-learn's floor (not drawn)";
      t += std::string("\n\nM step: ψᵢ = Sᵢᵢ − (W (1/N) Σ E[z] yᵀ)ᵢᵢ = ") + ui::number(sI) + " − " +
           ui::number(explained) + " = " + ui::number(sI - explained) + "  (" + whichMStep(s) +
           " M step)";
      if (s.ppca)
        t += "\nPPCA: σ² is the mean of these over the coordinates; closed form σ² = " +
             ui::number(s.ppcaSigma2);
      ui::textTooltip(t);
    }
  }
  plot::end();
}

namespace {

constexpr plot::Color kNegative = ui::okabe_ito::kBlue;        // loadings below 0
constexpr plot::Color kPositive = ui::okabe_ito::kVermillion;  // and above
constexpr plot::Color kWhite = plot::rgba(255, 255, 255);

// One image of `values` (rows x cols, row-major), coloured symmetrically about 0 (loadings) or
// on viridis from 0 (variances) or in grey from the minimum (the mean).
enum class TileColours { Diverging, Viridis, Grey };

std::vector<std::uint32_t> tilePixels(const Eigen::VectorXd& values, TileColours colours,
                                      double& scale) {
  std::vector<std::uint32_t> out(values.size());
  const double lo = values.minCoeff(), hi = values.maxCoeff();
  scale = colours == TileColours::Diverging ? values.cwiseAbs().maxCoeff() : hi;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const double v = values[i];
    switch (colours) {
      case TileColours::Diverging: {
        const double t = scale > 0 ? v / scale : 0.0;
        out[i] = plot::mix(kWhite, t < 0 ? kNegative : kPositive, static_cast<float>(std::fabs(t)));
        break;
      }
      case TileColours::Viridis:
        out[i] = plot::viridis(scale > 0 ? v / scale : 0.0);
        break;
      case TileColours::Grey: {
        const int g = hi > lo ? static_cast<int>(std::lround(255.0 * (v - lo) / (hi - lo))) : 0;
        out[i] = plot::rgba(g, g, g);
        break;
      }
    }
  }
  return out;
}

}  // namespace

void FaLab::updateImages(const FaSnapshot& s, LabContext& context) {
  // Uploaded again when what they show changes (compared by value: a new snapshot may reuse an
  // old one's address), or the texture store does.
  const auto same = [](const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && a == b;
  };
  if (m_imageStore == &context.textures && same(m_tileMu, s.mu) && same(m_tileW, s.W) &&
      same(m_tilePsi, s.psi) && static_cast<int>(m_tiles.size()) == s.k + 2)
    return;
  m_imageStore = &context.textures;
  m_tileMu = s.mu;
  m_tileW = s.W;
  m_tilePsi = s.psi;
  m_tiles.clear();
  m_tileScale.clear();
  const auto upload = [&](const std::string& name, const Eigen::VectorXd& v, TileColours c) {
    double scale = 0.0;
    const auto pixels = tilePixels(v, c, scale);
    m_tiles.push_back(context.textures.update(name, s.imageCols, s.imageRows, pixels));
    m_tileScale.push_back(scale);
  };
  upload("fa mean", s.mu, TileColours::Grey);
  for (int j = 0; j < s.k; ++j)
    upload("fa w" + std::to_string(j + 1), s.W.col(j), TileColours::Diverging);
  upload("fa psi", s.psi, TileColours::Viridis);
}

void FaLab::drawImages(const FaSnapshot& s, LabContext& context, ImVec2 size) {
  const int rows = s.imageRows, cols = s.imageCols;
  if (rows <= 0 || cols <= 0 || s.W.rows() != rows * cols) return;
  updateImages(s, context);
  const float font = ImGui::GetFontSize(), pad = 0.4f * font, titleH = 1.35f * font;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##fa images", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* d = ImGui::GetWindowDrawList();
  d->AddRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), plot::onScreen(plot::rgba(200, 200, 200)));
  const std::string heading = plot::fitText(
      s.ppca ? "Mean μ, loadings wⱼ and σ² as images" : "Mean μ, loadings wⱼ and noise Ψ as images",
      size.x - font);
  d->AddText(ImVec2(origin.x + pad, origin.y + 0.2f * font), plot::onScreen(plot::rgba(20, 20, 20)),
             heading.c_str());
  const float captionH = 1.25f * font;  // the value range under each tile
  // The column count that gives the largest tiles for the K + 2 images.
  const int tiles = static_cast<int>(m_tiles.size());
  const float areaW = size.x - 2 * pad, areaH = size.y - titleH - pad;
  float best = 0.0f;
  int perRow = 1;
  for (int c = 1; c <= tiles; ++c) {
    const int r = (tiles + c - 1) / c;
    const float scale = std::min((areaW / c - pad) / cols, (areaH / r - 2 * captionH) / rows);
    if (scale > best) best = scale, perRow = c;
  }
  if (best <= 0.0f) return;
  const float w = best * cols, h = best * rows;
  const float cellW = areaW / perRow, cellH = h + 2 * captionH;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int t = 0; t < tiles; ++t) {
    const float x = origin.x + pad + (t % perRow) * cellW + 0.5f * (cellW - w);
    const float y = origin.y + titleH + (t / perRow) * cellH;
    const bool isPsi = t == tiles - 1, isMean = t == 0;
    const std::string name = isMean  ? std::string("μ (mean)")
                             : isPsi ? std::string(s.ppca ? "σ²" : "ψ")
                                     : indexed("w", t);
    const float nameW = ImGui::CalcTextSize(name.c_str()).x;
    d->AddText(ImVec2(x + 0.5f * (w - nameW), y), plot::onScreen(plot::rgba(20, 20, 20)), name.c_str());
    const ImVec2 a(x, y + captionH), b(x + w, y + captionH + h);
    if (m_tiles[t]) d->AddImage(m_tiles[t], a, b);
    d->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), plot::onScreen(plot::rgba(150, 150, 150)));
    const std::string range =
        isMean  ? ui::number(s.mu.minCoeff()) + " … " + ui::number(s.mu.maxCoeff())
        : isPsi ? "0 … " + ui::number(m_tileScale[t])
                : "± " + ui::number(m_tileScale[t]);
    const std::string fitted = plot::fitText(range, cellW);
    const float rangeW = ImGui::CalcTextSize(fitted.c_str()).x;
    d->AddText(ImVec2(x + 0.5f * (w - rangeW), b.y + 0.1f * font), plot::onScreen(plot::rgba(90, 90, 90)),
               fitted.c_str());
    if (!hovered || mouse.x < a.x || mouse.x >= b.x || mouse.y < a.y || mouse.y >= b.y) continue;
    const int r = std::min(rows - 1, static_cast<int>((mouse.y - a.y) / best));
    const int c = std::min(cols - 1, static_cast<int>((mouse.x - a.x) / best));
    const int i = r * cols + c;
    std::string tip = "pixel (" + std::to_string(r + 1) + ", " + std::to_string(c + 1) +
                      ") = " + coordinateName(i, "y", s.columnNames) + "\n";
    if (isMean) {
      tip += "  mean μᵢ = " + ui::number(s.mu[i]);
    } else if (isPsi) {
      tip += "  " + std::string(s.ppca ? "σ² = " : "ψᵢ = ") + ui::number(s.psi[i]) +
             "   sample variance Sᵢᵢ = " + ui::number(s.sampleVariance[i]) +
             "\n  explained by the factors (W Wᵀ)ᵢᵢ = " + ui::number(s.W.row(i).squaredNorm());
      if (std::find(s.constant.begin(), s.constant.end(), i) != s.constant.end())
        tip += "\n  a constant pixel: ψᵢ held at scikit-learn's floor, loadings 0";
      else if (std::find(s.floored.begin(), s.floored.end(), i) != s.floored.end())
        tip += "\n  ⚠ on the floor (a Heywood case)";
    } else {
      tip += "  " + indexed("w", t) + " at this pixel: Wᵢ" + indexed("", t) + " = " +
             ui::number(s.W(i, t - 1));
    }
    tip +=
        "\n\nEach image is a column of W (vermillion above 0, blue below, white 0): moving zⱼ by +1 adds "
        "wⱼ to the image μ + W z. Ψ is the variance the factors leave per pixel. W is defined up "
        "to a rotation, so the wⱼ may mix as EM runs; W Wᵀ does not.";
    ui::textTooltip(tip);
    const ImVec2 p(a.x + c * best, a.y + r * best);
    d->AddRect(p, ImVec2(p.x + best, p.y + best), plot::onScreen(ui::kPoint), 0.0f, 0, 2.0f);
  }
}

void FaLab::drawLatent(const FaSnapshot& s, ImVec2 size) {
  const float barH = colourKeyHeight(s, size.x);
  const bool strip = s.k == 1;
  if (!plot::begin(
          strip ? "Latent means E[z | y] (K = 1)###fa latent" : "Latent means E[z | y]###fa latent",
          {size.x, size.y - barH}, strip ? plot::kNone : plot::kEqualAspect))
    return;
  const Eigen::MatrixXd& z = *s.latent;
  const auto xs = column(z, 0);
  const auto ys = strip ? std::span<const double>(m_jitter) : column(z, 1);
  plot::setupAxes("E[z₁ | y]", strip ? "(spread for visibility)" : "E[z₂ | y]");
  if (strip) plot::setupYRange(-1.0, 1.0);
  const float radius = xs.size() > 3000 ? 1.4f : xs.size() > 800 ? 2.0f : 2.6f;
  // No legend entry: the colour bar under the plot says what the colours mean.
  if (m_colours.size() == xs.size()) plot::scatter("##E[z | y]", xs, ys, m_colours, radius);

  const int near = plot::nearestPoint(xs, ys);
  const int h = near >= 0 ? near : m_hovered;
  const bool hasHover = h >= 0 && h < static_cast<int>(xs.size());
  const Point at = hasHover ? Point{xs[h], ys[h]} : Point{0.0, strip ? -0.9 : 0.0};
  if (strip) {
    plot::vline("prior N(0, 1): ±1", -1.0, ui::truthLine(1.5f));
    plot::vline("prior N(0, 1): ±1", 1.0, ui::truthLine(1.5f));
    const double sd = std::sqrt(std::max(0.0, s.latentCov(0, 0)));
    const std::vector<double> bx = {at.x - sd, at.x + sd}, by = {at.y, at.y};
    plot::line("posterior ±1 sd: √G", bx, by, {kApprox, 3.0f});
  } else {
    plot::ellipse("prior N(0, I), 1σ", {0.0, 0.0}, 1.0, 0.0, 1.0, 1.0, ui::truthLine(1.5f));
    plot::ellipse("posterior covariance G, 1σ", at, s.latentCov(0, 0), s.latentCov(0, 1),
                  s.latentCov(1, 1), 1.0, {kApprox, 2.4f});
  }
  if (near >= 0) {
    m_hoveredNow = near;
    ui::textTooltip(pointText(s, near) + "\n\n" + eStepText(s));
  } else if (plot::isHovered()) {
    std::string t =
        "Each point is the mean E[z | y] of its posterior q(z | y); all share the covariance G ";
    t += strip ? "(blue bar: ±1 sd)" : "(blue ellipse)";
    t += ". Dashed: the prior N(0, I).\nHover a point to see its own posterior here and its y in "
         "the data view.\n\n";
    ui::textTooltip(t + eStepText(s));
  }
  if (hasHover) ring(at);
  plot::end();
  colourKey(s, size.x);
}

void FaLab::drawLikelihood(const FaSnapshot& s, ImVec2 size) {
  char title[200];
  std::snprintf(title, sizeof title, "log-likelihood %.6g  ≥  ELBO %.6g  (per point)###fa loglik",
                s.logLik, s.elbo);
  if (!plot::begin(title, size)) return;
  const TraceView& t = s.trace;
  plot::setupAxes(s.halfsteps ? "half step" : "iteration", "nats per point",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear);
  const int it = t.column("iteration"), ll = t.column("loglik"), el = t.column("elbo"),
            ph = t.column("phase");
  plot::hline("PPCA optimum", s.ppcaLogLik, {kPpca, 1.5f, true});
  plot::traceLine("log p(y | θ)", t, it, ll, {kExact, 2.4f});
  plot::traceLine("ELBO(q, θ)", t, it, el, {kApprox, 2.0f});
  // Markers after each half step, an E step together with the M step after it, while the pairs
  // are far enough apart to read (never only the E or only the M steps).
  if (it >= 0 && el >= 0 && ph >= 0 && t.rows() > 0) {
    const float spacing = 0.9f * ImGui::GetFontSize();
    float lastX = -1e9f;
    bool drawing = false;
    std::size_t eRows = 0, mRows = 0;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const double x = t.at(r, it), phase = t.at(r, ph);
      eRows += phase == 1.0, mRows += phase == 2.0;
      if (phase == 1.0) {
        // Only where the plot shows them: before the axes first fit the trace, every row lies far
        // outside and would pass the spacing test (a million hidden triangles in one frame).
        const ImVec2 p = plot::toPixels({x, t.at(r, el)});
        drawing = plot::inDataArea(p) && p.x - lastX >= spacing;
        const float px = p.x;
        if (drawing) lastX = px;
      }
      if (!drawing) continue;
      if (phase == 1.0) plot::marker("after E: touches", {x, t.at(r, el)}, kApprox, 4.0f);
      if (phase == 2.0) plot::marker("after M: gap", {x, t.at(r, el)}, ui::kAccent, 4.0f);
    }
    // A long trace keeps every 2nd, 4th, ... row: in half steps that is every E or every M step.
    if (s.halfsteps && t.stride() > 1 && (eRows == 0 || mRows == 0)) {
      const std::string note = "The trace keeps 1 half step in " + std::to_string(t.stride()) +
                               ": only " + (mRows == 0 ? "E steps" : "M steps") +
                               " are left. Reset, or turn half steps off, to see the gap again.";
      plot::note(note.c_str(), plot::Legend::SouthEast);
    }
  }
  if (!t.empty() && s.halfsteps) {
    const double x = t.lastRow()[it];
    // Under the newest point, on a pale box (the PPCA line may pass there).
    const char* next = s.nextIsE ? "next: E step" : "next: M step";
    const ImVec2 p = plot::toPixels({x, std::min(s.logLik, s.elbo)});
    const float font = ImGui::GetFontSize();
    plot::labelAt(ImVec2(p.x - 0.5f * ImGui::CalcTextSize(next).x - 0.6f * font, p.y + 1.1f * font),
                  next, ui::kTruth);
  }
  if (plot::isHovered()) {
    std::string tip =
        "ELBO(q, θ) = log p(y | θ) − KL(q(z) ‖ p(z | y, θ)), per data point. EM is coordinate "
        "ascent on the ELBO.\n\n";
    tip +=
        "E step, q ← p(z | y, θ): the KL is 0, the ELBO touches the log-likelihood (blue "
        "markers).\n\n";
    tip +=
        "M step, θ ← argmax ELBO(q, θ): the ELBO rises, the log-likelihood rises at least as much, "
        "and "
        "a gap KL(q ‖ p(z | y, θ_new)) opens (orange markers). So the log-likelihood never "
        "falls.\n\n";
    tip +=
        "Dashed orange: the maximum-likelihood PPCA solution in closed form (Tipping & Bishop "
        "1999). "
        "PPCA's EM climbs to it; factor analysis, with its own ψᵢ per coordinate, can go "
        "higher.\n\n";
    char now[200];
    std::snprintf(now, sizeof now,
                  "now:  log-likelihood %.8g   ELBO %.8g   KL %.3g\nPPCA optimum %.8g", s.logLik,
                  s.elbo, s.kl, s.ppcaLogLik);
    tip += now;
    ui::textTooltip(tip);
  }
  plot::end();
}

void FaLab::drawGap(const FaSnapshot& s, ImVec2 size) {
  const char* title = s.halfsteps ? "Gap KL(q ‖ p(z | y)) after M steps###fa gap"
                                  : "Gap KL(q ‖ p(z | y)) = log p − ELBO###fa gap";
  if (!plot::begin(title, size, plot::kNoLegend)) return;
  plot::setupAxes(s.halfsteps ? "half step" : "iteration", "nats per point (log scale)",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear, plot::Scale::Log);
  const TraceView& t = s.trace;
  // The gap after each M step (E-step rows skipped), floored at rounding: from rows, not a column.
  const auto gap = [](const TraceView& t, std::vector<double>& xs, std::vector<double>& ys) {
    const int it = t.column("iteration"), kl = t.column("kl"), ph = t.column("phase"), ll = t.column("loglik");
    if (it < 0 || kl < 0 || ph < 0 || ll < 0) return;
    xs.reserve(t.rows()), ys.reserve(t.rows());
    for (std::size_t r = 0; r < t.rows(); ++r) {
      if (t.at(r, ph) == 1.0) continue;  // after an E step KL = 0 up to rounding
      xs.push_back(t.at(r, it));
      ys.push_back(std::max(t.at(r, kl), kRoundingFloor * std::max(1.0, std::fabs(t.at(r, ll)))));
    }
  };
  std::vector<double> xs, ys;
  gap(t, xs, ys);
  plot::line(plot::comparisonLabel("KL gap", false).c_str(), xs, ys, {kGap, 2.2f});
  if (const TraceView* other = plot::comparison()) {  // A/B: the other run's gap, dashed
    std::vector<double> bx, by;
    gap(*other, bx, by);
    plot::line(plot::comparisonLabel("KL gap", true).c_str(), bx, by, {kGap, 2.2f, true});
  }
  if (xs.empty())
    plot::note(t.stride() > 1
                   ? "The thinned trace kept no M step, so no gap to draw (reset to start over)."
                   : "The gap opens after the first M step.");
  if (xs.size() <= 60) plot::scatter("##KL points", xs, ys, kGap, 3.0f);
  if (plot::isHovered())
    ui::textTooltip(
        "The gap between the log-likelihood and the ELBO is the mean KL(q(zₙ) ‖ p(zₙ | yₙ, θ)).\n"
        "An E step sets q to the exact posterior (KL = 0, not drawable on a log axis); the next M "
        "step moves θ, so q is the posterior of the old θ and a gap opens. It shrinks as EM "
        "converges: θ moves less and less. Below about 10⁻¹³ × |log-likelihood| it is rounding and "
        "drawn flat.\nnow: KL = " +
        ui::number(s.kl));
  plot::end();
}

void FaLab::drawError(const FaSnapshot& s, ImVec2 size) {
  char title[160];
  std::snprintf(title, sizeof title, "‖WWᵀ − W_true W_trueᵀ‖_F = %.3g###fa error", s.error);
  if (!plot::begin(title, size, plot::kNoLegend)) return;
  plot::setupAxes(s.halfsteps ? "half step" : "iteration", "error (log scale)",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear, plot::Scale::Log);
  const TraceView& t = s.trace;
  plot::traceLine("error", t, t.column("iteration"), t.column("error"), {ui::kTruth, 2.2f});
  if (plot::isHovered())
    ui::textTooltip(
        "The distance between the fitted and the true low-rank covariance, ‖W Wᵀ − W_true "
        "W_trueᵀ‖_F.\n"
        "W itself is defined only up to a rotation (W R gives the same model for any orthogonal "
        "R), "
        "so compare W Wᵀ. It does not reach 0: N points carry sampling error, and Ψ takes up part "
        "of the variance.\nnow: " +
        ui::number(s.error));
  plot::end();
}

void FaLab::drawCurves(const FaSnapshot& s, ImVec2 size) {
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float topH = std::floor((size.y - gap) * 0.55f), bottomH = size.y - topH - gap;
  drawLikelihood(s, {size.x, topH});
  if (s.hasTruth) {
    const float w = std::floor((size.x - gap) * 0.5f);
    drawGap(s, {w, bottomH});
    ImGui::SameLine();
    drawError(s, {size.x - gap - w, bottomH});
  } else {
    drawGap(s, {size.x, bottomH});
  }
}

void FaLab::drawViews(const Snapshot& snapshot, LabContext& context) {
  const auto& s = dynamic_cast<const FaSnapshot&>(snapshot);
  if (!s.cloud || !s.latent) return;
  updateColours(s);
  m_hoveredNow = -1;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();

  if (avail.y < 38.0f * font || avail.x < 60.0f * font) {
    // Large text on a small window (a projector): one view at a time, each big enough to read.
    if (ui::ViewTabs tabs("fa views"); tabs.open()) {
      const auto tab = [&](const char* name, auto&& draw) { tabs.tab(name, draw); };
      tab("Data", [&](ImVec2 size) { drawData(s, size); });
      tab("Latent space", [&](ImVec2 size) { drawLatent(s, size); });
      if (s.imageRows > 0)
        tab("Loadings as images", [&](ImVec2 size) { drawImages(s, context, size); });
      else
        tab("Noise Ψ", [&](ImVec2 size) { drawPsi(s, size); });
      tab("Log-likelihood and ELBO", [&](ImVec2 size) { drawCurves(s, size); });
    }
  } else {
    // Views that add a colour bar under their plot are groups, so the row stays on one line.
    const auto group = [](auto&& draw) {
      ImGui::BeginGroup();
      draw();
      ImGui::EndGroup();
    };
    const float topH = std::floor((avail.y - gap) * 0.56f), bottomH = avail.y - topH - gap;
    const float w1 = std::floor((avail.x - 2 * gap) * 0.38f),
                w2 = std::floor((avail.x - 2 * gap) * 0.31f);
    const float w3 = avail.x - 2 * gap - w1 - w2;
    group([&] { drawData(s, {w1, topH}); });
    ImGui::SameLine();
    group([&] { drawLatent(s, {w2, topH}); });
    ImGui::SameLine();
    if (s.imageRows > 0)
      drawImages(s, context, {w3, topH});
    else
      drawPsi(s, {w3, topH});
    const float c1 = std::floor((avail.x - 2 * gap) * 0.46f);
    const float c2 = s.hasTruth ? std::floor((avail.x - 2 * gap) * 0.27f) : avail.x - gap - c1;
    drawLikelihood(s, {c1, bottomH});
    ImGui::SameLine();
    drawGap(s, {c2, bottomH});
    if (s.hasTruth) {
      ImGui::SameLine();
      drawError(s, {avail.x - 2 * gap - c1 - c2, bottomH});
    }
  }
  m_hovered = m_hoveredNow;
}

void FaLab::drawControls(const Snapshot& snapshot, LabContext&) {
  const auto& s = dynamic_cast<const FaSnapshot&>(snapshot);
  ImGui::Checkbox("log iteration axis", &m_logIterations);
  ui::helpMarker(
      "Plot the curves against log(iteration): the first steps and the slow tail both show.");
  const std::string colourLabel = "colour the data by " + s.colourLabel;
  ImGui::Checkbox(colourLabel.c_str(), &m_colourData);
  ui::helpMarker(
      "Colour the data points as in the latent view, to see which way each factor runs through "
      "the cloud.");
  if (ImGui::BeginTable("numbers", 2,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    const auto row = [](const char* name, const std::string& value, const std::string& help) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name);
      if (ImGui::IsItemHovered()) ui::textTooltip(help);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(value.c_str());
      if (ImGui::IsItemHovered()) ui::textTooltip(help);
    };
    // The data decide N and D (a CSV's shape, the images' pixels), whatever the fields say.
    std::string shape = std::to_string(s.n) + " × " + std::to_string(s.d);
    if (s.imageRows > 0)
      shape += " (" + std::to_string(s.imageRows) + " × " + std::to_string(s.imageCols) + " px)";
    row("data N × D", shape,
        "Fitted data: " + s.dataSource + ", N rows of D columns" +
            (s.constant.empty() ? std::string()
                                : ", " + std::to_string(s.constant.size()) + " of them constant") +
            ". With images or a CSV these, not the generator's fields, are what EM fits.");
    const char* phase = s.lastPhase == FaSnapshot::Phase::E      ? "E step"
                        : s.lastPhase == FaSnapshot::Phase::M    ? "M step"
                        : s.lastPhase == FaSnapshot::Phase::Full ? "full EM step"
                                                                 : "start";
    row("last / next",
        std::string(phase) + " / " +
            (s.halfsteps ? (s.nextIsE ? "E step" : "M step") : "full EM step"),
        std::string(
            s.halfsteps
                ? "Half steps: Step runs the E step, then the M step, alternately. Next:\n\n"
                : "Full steps: Step runs an E step and an M step. The M step, after the E "
                  "step:\n\n") +
            (s.halfsteps && s.nextIsE ? eStepText(s) : mStepText(s)));
    const auto precise = [](double v) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.8g", v);
      return std::string(buffer);
    };
    row("log-likelihood", precise(s.logLik),
        "(1/N) Σₙ log N(yₙ | μ, W Wᵀ + Ψ): never decreases under EM.");
    row("ELBO", precise(s.elbo),
        "(1/N) Σₙ E_q[log p(yₙ | z) + log p(z) − log q(z)], with q from the last E step.");
    row("KL gap", ui::number(s.kl),
        "log-likelihood − ELBO = mean KL(q(zₙ) ‖ p(zₙ | yₙ, θ)): 0 after an E step (up to "
        "rounding).");
    if (s.hasTruth)
      row("‖WWᵀ − W_true W_trueᵀ‖", ui::number(s.error),
          "Frobenius distance between fitted and true low-rank covariances: rotation invariant.");
    row("PPCA optimum", precise(s.ppcaLogLik),
        "Log-likelihood of maximum-likelihood PPCA (Tipping & Bishop 1999): σ² = mean of the D − K "
        "smallest "
        "eigenvalues of S, W = U_K (Λ_K − σ²I)^½. PPCA's EM reaches it; FA's optimum is at least "
        "as high.");
    if (s.ppca)
      row("σ² EM / closed",
          ui::number(s.psi.size() ? s.psi[0] : NAN) + " / " + ui::number(s.ppcaSigma2),
          "EM's σ² against the closed-form σ²: they agree at convergence.");
    row("Heywood cases",
        s.floored.empty() ? std::string("none")
                          : std::to_string(s.floored.size()) + " on the floor",
        "ψᵢ whose maximum-likelihood value is 0 are kept at a floor of 10⁻⁶ Sᵢᵢ (PPCA: 10⁻⁶ × the "
        "mean "
        "variance) and marked in the Ψ view.");
    ImGui::EndTable();
  }
}

nlohmann::ordered_json FaLab::params(const Snapshot& snapshot) const {
  const auto& s = dynamic_cast<const FaSnapshot&>(snapshot);
  const auto value = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json W = nlohmann::ordered_json::array(), psi = nlohmann::ordered_json::array(),
                         mu = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < s.W.rows(); ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index j = 0; j < s.W.cols(); ++j) row.push_back(value(s.W(i, j)));
    W.push_back(std::move(row));
  }
  for (Eigen::Index i = 0; i < s.psi.size(); ++i) psi.push_back(value(s.psi[i]));
  for (Eigen::Index i = 0; i < s.mu.size(); ++i) mu.push_back(value(s.mu[i]));
  nlohmann::ordered_json out;
  out["W"] = std::move(W);
  out["psi"] = std::move(psi);
  out["mu"] = std::move(mu);
  return out;
}

std::string FaLab::summaryExtras(const Snapshot& snapshot, double) const {
  const auto& s = dynamic_cast<const FaSnapshot&>(snapshot);
  std::string out = " loglik=" + formatReal(s.logLik) + " kl=" + formatReal(s.kl);
  if (s.hasTruth) out += " error=" + formatReal(s.error);
  if (!s.floored.empty()) out += " floored=" + std::to_string(s.floored.size());
  return out;
}

}  // namespace vilab
