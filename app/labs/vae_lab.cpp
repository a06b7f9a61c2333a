#include "app/labs/vae_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <span>
#include <string>

#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "app/ui/widgets.hpp"
#include "core/models/vae.hpp"
#include "core/text/subscript.hpp"

namespace vilab {
namespace {

using plot::LineStyle;
using plot::Point;

// One colour per quantity in every curve view: solid for the training running mean, dashed with
// markers for the held-out evaluations.
constexpr plot::Color kElbo = ui::kApprox;
constexpr plot::Color kRecon = ui::kGood;
constexpr plot::Color kKl = ui::kPurple;
constexpr plot::Color kReparam = ui::kApprox;
constexpr plot::Color kScore = ui::kAccent;
constexpr plot::Color kWeight = ui::kTruth;
constexpr double kCollapsed = 0.1;  // nats: a latent dimension with less KL carries ~nothing

std::string className(const VaeSnapshot& s, int k) {
  return k < static_cast<int>(s.classNames.size()) ? s.classNames[k] : "class " + std::to_string(k);
}

// Grey values in [0, 1] (0 black) to RGBA.
std::uint32_t grey(float v) {
  const int g = std::clamp(static_cast<int>(std::isfinite(v) ? v * 255.0f + 0.5f : 0.0f), 0, 255);
  return plot::rgba(g, g, g);
}

std::vector<std::uint32_t> toRgba(const std::vector<float>& image) {
  std::vector<std::uint32_t> out(image.size());
  std::transform(image.begin(), image.end(), out.begin(), grey);
  return out;
}

const char* kEstimatorText =
    "The encoder's gradient of the ELBO, two ways. Reparameterization: z = μ(x) + σ(x)·ε with ε ~ "
    "N(0, I), so the gradient flows through the decoder into μ and σ (pathwise). Score function "
    "(REINFORCE): ∇ E_q[f(z)] = E_q[(f(z) − b) ∇ log q(z|x)], which needs only f's values; "
    "unbiased, but its variance grows with the size of f (hundreds of nats here) and with the "
    "number of weights, so it learns far more slowly. A baseline b (moving average) removes "
    "some of it; more samples divide it by S.";

// An image (a texture of texW x texH texels) fitted into `size` under a title, framed like the
// plots. Returns where it was drawn; `hovered` is the texel position in [0, 1]^2 under the mouse.
struct ImageRect {
  ImVec2 min, max;
  bool hovered = false;
  ImVec2 at;
};

// `overlay` draws annotations (row labels, separators) over the image rectangle inside the same
// exported panel.
ImageRect imageView(const char* title, ImTextureID texture, int texW, int texH, ImVec2 size,
                    float leftMargin = 0.0f,
                    const std::function<void(ImDrawList*, ImVec2, ImVec2)>& overlay = {}) {
  const float font = ImGui::GetFontSize(), pad = 0.35f * font;
  const ImVec2 frame = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(title, size);
  ImageRect r;
  if (!ImGui::IsItemVisible() || texW <= 0 || texH <= 0) return r;
  plot::beginPanel(title, frame, ImVec2(frame.x + size.x, frame.y + size.y));  // exports as a figure
  ImDrawList* d = ImGui::GetWindowDrawList();
  std::string shown(title);
  if (const auto cut = shown.find("##"); cut != std::string::npos) shown.resize(cut);
  const float titleH = font * 1.35f;
  const ImVec2 areaMin(frame.x + pad + leftMargin, frame.y + titleH),
      areaMax(frame.x + size.x - pad, frame.y + size.y - pad);
  const float aw = std::max(areaMax.x - areaMin.x, 4.0f),
              ah = std::max(areaMax.y - areaMin.y, 4.0f);
  const float scale = std::min(aw / texW, ah / texH);
  const float w = texW * scale, h = texH * scale;
  r.min = ImVec2(std::floor(areaMin.x + 0.5f * (aw - w)), std::floor(areaMin.y + 0.5f * (ah - h)));
  r.max = ImVec2(r.min.x + w, r.min.y + h);
  const std::string fitted = plot::fitText(shown, size.x - font);
  const float tw = ImGui::CalcTextSize(fitted.c_str()).x;
  const float centre =
      std::clamp(0.5f * (r.min.x + r.max.x), frame.x + 0.5f * tw, frame.x + size.x - 0.5f * tw);
  d->AddText(ImVec2(centre - 0.5f * tw, frame.y + font * 0.2f), plot::onScreen(plot::rgba(20, 20, 20)),
             fitted.c_str());
  if (texture) d->AddImage(texture, r.min, r.max);
  d->AddRect(ImVec2(r.min.x - 1, r.min.y - 1), ImVec2(r.max.x + 1, r.max.y + 1),
             plot::onScreen(plot::rgba(150, 150, 150)));
  if (overlay) overlay(d, r.min, r.max);
  plot::endPanel();
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsItemHovered() && m.x >= r.min.x && m.x < r.max.x && m.y >= r.min.y &&
      m.y < r.max.y) {
    r.hovered = true;
    r.at = ImVec2((m.x - r.min.x) / w, (m.y - r.min.y) / h);
  }
  return r;
}

// The held-out evaluations as (iteration, value) points of one field.
std::vector<Point> evaluationPoints(const VaeSnapshot& s, double VaeEvaluation::*field,
                                    double sign = 1.0) {
  std::vector<Point> points;
  if (!s.evaluations) return points;
  for (const auto& e : *s.evaluations)
    points.push_back({static_cast<double>(e.iteration), sign * e.*field});
  return points;
}

// Held-out evaluations: a darker shade of the quantity's colour, dashed, with a dot per evaluation.
void heldOutLine(const char* label, const std::vector<Point>& points, plot::Color colour) {
  const plot::Color dark = plot::mix(colour, plot::rgba(0, 0, 0), 0.35f);
  plot::line(label, points, {dark, 1.6f, true});
  if (points.size() <= 200)
    for (const Point& p : points) plot::marker(label, p, dark, 4.5f);
}

bool hasTrace(const TraceView& t) {
  return !t.empty() || !t.lastRow().empty();
}

}  // namespace

plot::Color VaeLab::classColour(int k) {
  // Ten hues, then lighter and darker shades of them: 30 distinct colours (a letters set has 26
  // classes) before they repeat.
  const plot::Color hue = plot::categorical(k);
  switch ((k / 10) % 3) {
    case 1:
      return plot::mix(hue, plot::rgba(255, 255, 255), 0.45f);
    case 2:
      return plot::mix(hue, plot::rgba(0, 0, 0), 0.4f);
    default:
      return hue;
  }
}

void VaeLab::updateViews(const VaeSnapshot& s, LabContext& context) {
  if (s.views == m_views && &context.textures == m_store) return;
  m_views = s.views;
  m_store = &context.textures;
  m_hoverIndex = -1;
  const VaeViews& v = *m_views;

  // Latent points split by class: one scatter (and one legend entry) per class.
  int classes = static_cast<int>(s.classNames.size());
  for (std::uint8_t label : v.latentLabels) classes = std::max(classes, label + 1);
  m_classX.assign(classes, {});
  m_classY.assign(classes, {});
  m_classPoint.assign(classes, {});
  m_classLabel.resize(classes);
  for (int k = 0; k < classes; ++k)
    m_classLabel[k] = className(s, k) + "##class" + std::to_string(k);
  for (std::size_t i = 0; i < v.latentX.size(); ++i) {
    const int k = v.latentLabels[i];
    m_classX[k].push_back(v.latentX[i]);
    m_classY[k].push_back(v.latentY[i]);
    m_classPoint[k].push_back(static_cast<int>(i));
  }

  // Decoded manifold and prior samples: one texture each, as the worker laid them out.
  m_manifold = context.textures.update("vae manifold", v.manifoldWidth, v.manifoldHeight,
                                       toRgba(v.manifold));
  m_samples = context.textures.update("vae samples", v.samplesWidth, v.samplesHeight,
                                      toRgba(v.priorSamples));

  // Reconstructions: the worker's strip (inputs above outputs) folded into groups of at most
  // eight columns, each group an input row above its output row.
  const int rows = s.imageRows, cols = s.imageCols, count = v.reconCount;
  m_reconPerRow = std::min(count, 8);
  m_reconGroups = m_reconPerRow > 0 ? (count + m_reconPerRow - 1) / m_reconPerRow : 0;
  const int w = m_reconPerRow * cols, h = m_reconGroups * 2 * rows;
  std::vector<std::uint32_t> pixels(std::size_t(std::max(w, 0)) * std::max(h, 0),
                                    plot::rgba(255, 255, 255));
  if (rows > 0 && cols > 0 && v.reconWidth == count * cols && v.reconHeight == 2 * rows)
    for (int j = 0; j < count; ++j) {
      const int group = j / m_reconPerRow, column = j % m_reconPerRow;
      for (int half = 0; half < 2; ++half)
        for (int r = 0; r < rows; ++r)
          for (int c = 0; c < cols; ++c)
            pixels[std::size_t((group * 2 + half) * rows + r) * w + column * cols + c] =
                grey(v.reconstructions[std::size_t(half * rows + r) * v.reconWidth + j * cols + c]);
    }
  m_recon =
      w > 0 && h > 0 ? context.textures.update("vae reconstructions", w, h, pixels) : ImTextureID{};
}

void VaeLab::drawLatent(const VaeSnapshot& s, LabContext& context, ImVec2 size) {
  const int l = s.shape.latent;
  const int classes = static_cast<int>(m_classX.size());
  const std::string title =
      l > 2 ? "Latent means μ(x): z₁, z₂ of " + std::to_string(l) + "###vae latent"
            : std::string("Latent means μ(x) of held-out images###vae latent");
  if (!plot::begin(title.c_str(), size, plot::kEqualAspect)) return;
  plot::setupAxes("z₁", "z₂");
  // The class legend is a column to the right (ten names above the plot would take rows of it);
  // it lists the classes of the points shown, wraps or scrolls, and a click hides a class.
  plot::setupLegend(plot::Legend::East);
  // The prior's 1σ and 2σ circles: where the aggregate posterior should sit when the KL wins.
  plot::ellipse("prior N(0, I)", {0, 0}, 1, 0, 1, 1, ui::truthLine(1.3f));
  plot::ellipse("prior N(0, I)", {0, 0}, 1, 0, 1, 2, ui::truthLine(1.0f));
  const std::size_t n = m_views ? m_views->latentX.size() : 0;
  const float radius = n > 1500 ? 2.2f : 3.0f;
  for (int k = 0; k < classes; ++k)
    if (!m_classX[k].empty())
      plot::scatter(m_classLabel[k].c_str(), m_classX[k], m_classY[k],
                    plot::withAlpha(classColour(k), 0.85f), radius);
  drawLatentHover(s, context);
  if (n == 0) plot::note("Encoding the held-out images…");
  plot::end();
}

void VaeLab::drawLatentHover(const VaeSnapshot& s, LabContext& context) {
  if (plot::isHovered() && m_views && s.dataset) {
    // The point nearest the mouse within a few pixels: show its image.
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float reach = 0.6f * ImGui::GetFontSize();
    float best = reach * reach;
    int found = -1, foundClass = -1;
    for (std::size_t k = 0; k < m_classX.size(); ++k)
      for (std::size_t i = 0; i < m_classX[k].size() && plot::isShown(m_classLabel[k].c_str());
           ++i) {
        const ImVec2 p = plot::toPixels({m_classX[k][i], m_classY[k][i]});
        const float d = (p.x - m.x) * (p.x - m.x) + (p.y - m.y) * (p.y - m.y);
        if (d < best) best = d, found = m_classPoint[k][i], foundClass = static_cast<int>(k);
      }
    if (found >= 0) {
      const VaeViews& v = *m_views;
      const std::uint32_t index = v.latentIndex[found];
      const ImageSet& test = s.dataset->test;
      if (index != m_hoverIndex && index < test.count()) {
        std::vector<std::uint32_t> pixels(test.pixelsPerImage());
        const std::uint8_t* image = test.image(index);
        for (std::size_t p = 0; p < pixels.size(); ++p)
          pixels[p] = plot::rgba(image[p], image[p], image[p]);
        m_hover = context.textures.update("vae hovered image", test.cols, test.rows, pixels);
        m_hoverIndex = index;
      }
      plot::drawList()->AddCircle(plot::toPixels({v.latentX[found], v.latentY[found]}),
                                  0.45f * ImGui::GetFontSize(), plot::onScreen(ui::kPoint), 20, 2.0f);
      ImGui::BeginTooltip();
      const float side = 5.0f * ImGui::GetFontSize();
      ImGui::Image(m_hover, ImVec2(side, side * test.rows / std::max(test.cols, 1)));
      ImGui::SameLine();
      ImGui::BeginGroup();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(classColour(foundClass)), "■ %s",
                         className(s, foundClass).c_str());
      ImGui::Text("test image %u", index);
      ImGui::Text("μ(x) = (%s, %s)", ui::number(v.latentX[found], "%.3f").c_str(),
                  ui::number(v.latentY[found], "%.3f").c_str());
      ImGui::EndGroup();
      ImGui::EndTooltip();
    } else {
      ui::textTooltip(
          "Each point is one held-out image encoded to the mean μ(x) of q(z|x), coloured by its "
          "class (the "
          "encoder never sees the labels). Classes separate as the ELBO rises. The dotted circles "
          "are the "
          "prior's 1σ and 2σ: the KL term pulls the cloud towards them; a large β squeezes it "
          "there. The legend lists the classes of the points shown (scroll it with the wheel "
          "when they do not all fit); click a class to hide it; hover a point to see its image.");
    }
  }
}

void VaeLab::drawManifold(const VaeSnapshot& s, ImVec2 size) {
  const VaeViews* v = m_views.get();
  const bool more = s.shape.latent > 2;
  const ImageRect r =
      imageView(more ? "Decoded manifold, z₁ →, z₂ ↑, rest 0##vae manifold"
                     : "Decoded manifold over z₁ →, z₂ ↑##vae manifold",
                m_manifold, v ? v->manifoldWidth : 0, v ? v->manifoldHeight : 0, size);
  if (!r.hovered || !v) return;
  const int g = v->manifoldGrid;
  const int c = std::clamp(static_cast<int>(r.at.x * g), 0, g - 1),
            row = std::clamp(static_cast<int>(r.at.y * g), 0, g - 1);
  const double z1 = v->manifoldZ[c], z2 = v->manifoldZ[g - 1 - row];
  // Tiles are as wide and as high as the images: not square unless the images are.
  const float tileW = (r.max.x - r.min.x) / g, tileH = (r.max.y - r.min.y) / g;
  ImGui::GetWindowDrawList()->AddRect(
      ImVec2(r.min.x + c * tileW, r.min.y + row * tileH),
      ImVec2(r.min.x + (c + 1) * tileW, r.min.y + (row + 1) * tileH), ui::kAccent, 0.0f, 0, 2.0f);
  ui::textTooltip(
      "This tile: the decoder's mean E[x | z] at z = (" + ui::number(z1, "%.2f") + ", " +
      ui::number(z2, "%.2f") + (more ? ", 0, …)" : ")") +
      ".\n\nAs in Kingma & Welling (2014, fig. 4): a " + std::to_string(g) + " × " +
      std::to_string(g) +
      " grid of z = Φ⁻¹(u) for u evenly spaced in (0, 1), so the tiles cover the prior N(0, I) "
      "by its quantiles (from " +
      ui::number(v->manifoldZ.front(), "%.2f") + " to " + ui::number(v->manifoldZ.back(), "%.2f") +
      "). Neighbouring tiles blend smoothly: the decoder maps the latent plane onto a "
      "continuous sheet of images.");
}

void VaeLab::drawReconstructions(const VaeSnapshot& s, ImVec2 size) {
  const VaeViews* v = m_views.get();
  const float margin = ImGui::CalcTextSize("out").x + 0.4f * ImGui::GetFontSize();
  const int w = m_reconPerRow * s.imageCols, h = m_reconGroups * 2 * s.imageRows;
  const int groups = v ? m_reconGroups : 0;
  // The "in"/"out" row labels and the lines between groups, inside the panel so they export.
  const auto labels = [groups](ImDrawList* d, ImVec2 min, ImVec2 max) {
    if (groups == 0 || max.y <= min.y) return;
    const float band = (max.y - min.y) / (2 * groups);
    for (int row = 0; row < 2 * groups; ++row) {
      const char* label = row % 2 == 0 ? "in" : "out";
      const ImVec2 t = ImGui::CalcTextSize(label);
      d->AddText(ImVec2(min.x - t.x - 0.25f * ImGui::GetFontSize(), min.y + (row + 0.5f) * band - 0.5f * t.y),
                 plot::onScreen(plot::rgba(20, 20, 20)), label);
      if (row > 0 && row % 2 == 0)  // between groups
        d->AddLine(ImVec2(min.x, min.y + row * band), ImVec2(max.x, min.y + row * band), ui::kAccent, 2.0f);
    }
  };
  const ImageRect r = imageView("Reconstructions##vae recon", m_recon, w, h, size, margin, labels);
  if (!v || m_reconGroups == 0 || r.max.y <= r.min.y || !r.hovered) return;
  const int column = std::clamp(static_cast<int>(r.at.x * m_reconPerRow), 0, m_reconPerRow - 1);
  const int group = std::clamp(static_cast<int>(r.at.y * m_reconGroups), 0, m_reconGroups - 1);
  const int j = group * m_reconPerRow + column;
  std::string t;
  if (j < v->reconCount && s.dataset && v->reconIndex[j] < s.dataset->test.count())
    t = "Test image " + std::to_string(v->reconIndex[j]) + " (" +
        className(s, s.dataset->test.labels[v->reconIndex[j]]) + ").\n\n";
  t += "Upper row: held-out inputs x (one per class first). Lower row: the decoder's mean E[x | z] "
       "at z = μ(x), the "
       "encoder's mean. Blurry outputs are the price of a small latent space and of the KL term; a "
       "larger β blurs "
       "more, a larger latent dimension or GECO's reconstruction target sharpens them.";
  ui::textTooltip(t);
}

void VaeLab::drawSamples(const VaeSnapshot& s, ImVec2 size) {
  const VaeViews* v = m_views.get();
  const ImageRect r = imageView("Prior samples, z ~ N(0, I)##vae samples", m_samples,
                                v ? v->samplesWidth : 0, v ? v->samplesHeight : 0, size);
  if (!r.hovered) return;
  ui::textTooltip(
      "The generative model on its own: z drawn from the prior N(0, I) (the same " +
      std::to_string(v ? v->sampleGrid * v->sampleGrid : 0) +
      " draws since the reset) and decoded to E[x | z]. "
      "They look like the data only where the aggregate posterior covers the prior: with a "
      "small β the encoder "
      "leaves holes in N(0, I) that decode to blends of classes." +
      (s.shape.latent > 2
           ? " All " + std::to_string(s.shape.latent) + " latent dimensions are sampled."
           : std::string()));
}

void VaeLab::drawElbo(const VaeSnapshot& s, ImVec2 size) {
  if (!plot::begin("ELBO = reconstruction − KL###vae elbo", size)) return;
  plot::setupAxes("iteration", "nats per image",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear);
  plot::setupLegend(plot::Legend::SouthEast);  // the curves rise to the top: the corner stays free
  const TraceView& t = s.trace;
  const auto elboHeld = evaluationPoints(s, &VaeEvaluation::elbo);
  const auto reconHeld = evaluationPoints(s, &VaeEvaluation::recon);
  // Autofit leaves out the first iterations, far below where the curves are now.
  double lo = std::min(s.elboMean, elboHeld.empty() ? INFINITY : elboHeld.back().y);
  if (s.gecoEnabled) lo = std::min(lo, -s.gecoTarget);
  if (std::isfinite(lo)) plot::setupYFitFloor(lo - std::max(0.3 * std::fabs(lo), 20.0));
  if (hasTrace(t)) {
    plot::traceLine("log p(x|z) train", t, t.column("iteration"), t.column("recon_avg"),
                    {kRecon, 2.2f});
    plot::traceLine("ELBO train", t, t.column("iteration"), t.column("elbo_avg"), {kElbo, 2.2f});
  }
  heldOutLine("log p(x|z) held-out", reconHeld, kRecon);
  heldOutLine("ELBO held-out", elboHeld, kElbo);
  if (s.gecoEnabled) plot::hline("GECO target", -s.gecoTarget, {ui::kWarning, 1.4f, true});
  if (!hasTrace(t))
    plot::note("No iterations yet: Play or Step.");
  else if (elboHeld.empty())
    plot::note("Held-out ELBO every eval_every steps.");
  if (plot::isHovered())
    ui::textTooltip(
        "The evidence lower bound per image, ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)) ≤ log "
        "p(x), in nats "
        "(always with β = 1, whatever the training weights). Green: the reconstruction term; the "
        "gap between "
        "green and blue is the KL.\n\nSolid: means over the last 100 training minibatches. Dashed "
        "with dots: the "
        "held-out test images (analytic KL, one sample). Held-out below train by more than the "
        "noise means "
        "overfitting." +
        std::string(
            s.gecoEnabled
                ? "\n\nVermillion dashed: GECO's constraint, log p(x|z) ≥ −target; λ grows while the "
                  "green curve is below it."
                : ""));
  plot::end();
}

void VaeLab::drawKl(const VaeSnapshot& s, ImVec2 size) {
  if (!plot::begin("KL(q(z|x) ‖ p(z))###vae kl", size)) return;
  plot::setupAxes("iteration", "nats", m_logIterations ? plot::Scale::Log : plot::Scale::Linear);
  const TraceView& t = s.trace;
  if (hasTrace(t))
    plot::traceLine("train", t, t.column("iteration"), t.column("kl_avg"), {kKl, 2.2f});
  heldOutLine("held-out", evaluationPoints(s, &VaeEvaluation::kl), kKl);
  if (plot::isHovered())
    ui::textTooltip(
        std::string(
            "KL(q(z|x) ‖ N(0, I)) per image: how many nats the code carries about the image. ") +
        (s.klEstimator == VaeSnapshot::Kl::Analytic
             ? "Train: the closed form (Kingma & Welling 2014, appendix B)."
             : "Train: the Monte Carlo estimate log q(z|x) − log p(z) at the samples (noisier; it "
               "can go below 0 "
               "on a minibatch).") +
        " Held-out: closed form. Solid: mean of the last 100 minibatches.");
  plot::end();
}

void VaeLab::drawWeight(const VaeSnapshot& s, ImVec2 size) {
  const TraceView& t = s.trace;
  if (s.gecoEnabled) {
    if (!plot::begin("GECO multiplier λ on the reconstruction###vae lambda", size, plot::kNoLegend))
      return;
    plot::setupAxes("iteration", "λ", m_logIterations ? plot::Scale::Log : plot::Scale::Linear,
                    plot::Scale::Log);
    if (hasTrace(t))
      plot::traceLine("λ", t, t.column("iteration"), t.column("geco_lambda"), {kWeight, 2.0f});
    plot::hline("λ = 1", 1.0, {ui::kData, 1.0f, true});
    plot::note(("λ = " + ui::number(s.gecoLambda, "%.3g") +
                ",  C = " + ui::number(s.gecoConstraint, "%+.3g") + " nats")
                   .c_str(),
               plot::Legend::SouthEast);
    if (plot::isHovered())
      ui::textTooltip(
          "GECO (Rezende & Viola 2018): minimise the KL subject to reconstruction error ≤ target. "
          "The loss is "
          "KL + λ·(error − target); λ ← λ·exp(rate·C_ma), C_ma a moving average of (error − "
          "target). λ grows "
          "while the reconstruction misses the target (the KL then matters less) and shrinks once "
          "it is met. "
          "Effective β = 1/λ.");
  } else {
    if (!plot::begin("KL weight β in the loss###vae beta", size, plot::kNoLegend)) return;
    plot::setupAxes("iteration", "β", m_logIterations ? plot::Scale::Log : plot::Scale::Linear);
    // From 0, so that annealing's ramp and a constant β both read at a glance.
    plot::setupFitY(0.0, 1.15 * std::max({1.0, s.klWeight, m_betaTarget}));
    if (hasTrace(t))
      plot::traceLine("β", t, t.column("iteration"), t.column("beta"), {kWeight, 2.0f});
    plot::hline("β = 1 (the ELBO)", 1.0, {ui::kData, 1.0f, true});
    if (plot::isHovered())
      ui::textTooltip(
          "The weight of the KL term in the training loss: −E_q[log p(x|z)] + β·KL. β = 1 is the "
          "ELBO; β > 1 "
          "(β-VAE) buys a smoother, more prior-like latent space with blurrier images. With KL "
          "annealing β "
          "rises linearly from 0 over anneal_steps, so the encoder first learns to use z before "
          "the KL pulls "
          "it back (a remedy for posterior collapse).");
  }
  plot::end();
}

void VaeLab::drawVariance(const VaeSnapshot& s, ImVec2 size) {
  if (!plot::begin("Encoder gradient variance###vae variance", size)) return;
  plot::setupAxes("iteration", "variance per weight",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear, plot::Scale::Log);
  const bool reparam = s.estimator == VaeSnapshot::Estimator::Reparam;
  std::vector<Point> a, b;
  if (s.variances)
    for (const auto& v : *s.variances) {
      const double x = static_cast<double>(v.iteration);
      if (v.reparam > 0) a.push_back({x, v.reparam});
      if (v.score > 0) b.push_back({x, v.score});
    }
  const char* la = reparam ? "reparameterization (in use)" : "reparameterization";
  const char* lb = reparam ? "score function" : "score function (in use)";
  plot::line(la, a, {kReparam, reparam ? 2.6f : 1.6f});
  plot::line(lb, b, {kScore, reparam ? 1.6f : 2.6f});
  if (a.size() <= 200) {
    for (const Point& p : a) plot::marker(la, p, kReparam, 3.5f);
    for (const Point& p : b) plot::marker(lb, p, kScore, 3.5f);
  }
  const auto* last = s.variances && !s.variances->empty() ? &s.variances->back() : nullptr;
  if (!last) plot::note("Measured every variance_every steps.");
  if (plot::isHovered()) {
    std::string t = kEstimatorText;
    t += "\n\nEach point: both estimators on the same minibatch and weights, 8 independent draws "
         "of the noise each; "
         "the variance of each encoder weight's gradient across the draws, averaged over the "
         "weights.";
    if (last)
      t += "\n\nLast (iteration " + std::to_string(last->iteration) + "): variance " +
           ui::number(last->reparam, "%.3g") + " (reparameterization) vs " +
           ui::number(last->score, "%.3g") + " (score function), " +
           ui::number(last->score / last->reparam, "%.3g") +
           " times larger; squared mean gradient " + ui::number(last->reparamSignal, "%.3g") +
           " vs " + ui::number(last->scoreSignal, "%.3g") + " (the signal).";
    ui::textTooltip(t);
  }
  plot::end();
}

void VaeLab::drawKlPerDim(const VaeSnapshot& s, ImVec2 size) {
  if (!plot::begin("KL per latent dimension###vae kl per dim", size, plot::kNoInput)) return;
  const int l = static_cast<int>(s.klPerDim.size());
  plot::setupAxes("latent dimension", "nats");
  std::vector<double> xs(l), tickAt;
  std::vector<std::string> names;
  for (int k = 0; k < l; ++k) xs[k] = k + 1;
  // Name every dimension when the names fit side by side, else every 2nd, 4th... (and the last).
  const float spacing = std::max(size.x - 4.5f * ImGui::GetFontSize(), 1.0f) / std::max(l, 1);
  const float widest =
      ImGui::CalcTextSize(indexed("z", l).c_str()).x + 0.5f * ImGui::GetFontSize();
  int every = 1;
  while (every < l && widest > spacing * every) every *= 2;
  for (int k = 0; k < l; ++k)
    if (k % every == 0 || (k == l - 1 && (l - 1) % every >= every / 2 + 1))
      tickAt.push_back(k + 1), names.push_back(indexed("z", k + 1));
  plot::setupXTicks(tickAt, names);
  plot::setupXRange(0.4, l + 0.6);
  for (int k = 0; k < 2 * l; ++k) {  // the used bars first: their entry leads the legend
    const bool used = s.klPerDim[k % l] >= kCollapsed;
    if (used != (k < l)) continue;
    plot::bars(used ? "used" : "collapsed", std::span<const double>(&xs[k % l], 1),
               std::span<const double>(&s.klPerDim[k % l], 1), 0.7, used ? kKl : ui::kData);
  }
  if (s.evaluations && !s.evaluations->empty()) {
    const auto& per = s.evaluations->back().klPerDim;
    for (int k = 0; k < std::min<int>(l, static_cast<int>(per.size())); ++k)
      plot::marker("held-out", {xs[k], per[k]}, ui::kTruth, 4.0f);
  }
  plot::hline("##collapse threshold", kCollapsed, {ui::kWarning, 1.0f, true});
  if (plot::isHovered()) {
    const int k = static_cast<int>(std::lround(plot::mousePosition().x)) - 1;
    std::string t;
    if (k >= 0 && k < l)
      t = indexed("z", k + 1) + ": " + ui::number(s.klPerDim[k], "%.3g") + " nats\n\n";
    t += "The closed-form KL of each latent dimension, averaged over recent minibatches (bars) and "
         "over the held-out "
         "images (dots). A dimension whose KL stays near 0 has q(z_k|x) = p(z_k) for every x: the "
         "encoder ignores "
         "it and the decoder learns to as well — posterior collapse. Grey bars are below 0.1 nats "
         "(the vermillion dashed line). KL annealing "
         "and a smaller β keep more dimensions in use.";
    ui::textTooltip(t);
  }
  plot::end();
}

void VaeLab::drawViews(const Snapshot& snapshot, LabContext& context) {
  const auto& s = dynamic_cast<const VaeSnapshot&>(snapshot);
  if (!s.views) {
    ImGui::TextDisabled("Loading the data and the network…");
    return;
  }
  updateViews(s, context);
  const auto* scenario = dynamic_cast<const VaeScenario*>(&context.scenario);
  m_betaTarget = scenario && !scenario->geco.enabled ? scenario->beta : 1.0;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();

  if (avail.y < 38.0f * font || avail.x < 60.0f * font) {
    // Large text on a small window (a projector): one view at a time, each big enough to read.
    if (ui::ViewTabs tabs("vae views"); tabs.open()) {
      const auto tab = [&](const char* name, auto&& draw) { tabs.tab(name, draw); };
      tab("Latent space", [&](ImVec2 size) { drawLatent(s, context, size); });
      tab("Manifold", [&](ImVec2 size) { drawManifold(s, size); });
      tab("Images", [&](ImVec2 size) {
        const float w = std::floor((size.x - gap) * 0.5f);
        drawReconstructions(s, {w, size.y});
        ImGui::SameLine();
        drawSamples(s, {size.x - gap - w, size.y});
      });
      tab("ELBO", [&](ImVec2 size) { drawElbo(s, size); });
      tab(s.gecoEnabled ? "KL and λ" : "KL and β", [&](ImVec2 size) {
        const float h = std::floor((size.y - gap) * 0.5f);
        drawKl(s, {size.x, h});
        drawWeight(s, {size.x, size.y - gap - h});
      });
      tab("Grad variance", [&](ImVec2 size) { drawVariance(s, size); });
      tab("KL per dim", [&](ImVec2 size) { drawKlPerDim(s, size); });
    }
    return;
  }

  // Top: latent space, manifold, and a column of reconstructions above prior samples.
  // Bottom: the ELBO, the KL above its weight, the gradient variance, the KL per dimension.
  const float topH = std::floor((avail.y - gap) * 0.56f), bottomH = avail.y - topH - gap;
  const float latentW = std::floor(std::min(topH * 1.4f, avail.x * 0.42f));
  const float manifoldW = std::floor(std::min(topH * 0.94f, avail.x * 0.34f));
  const float columnW = avail.x - latentW - manifoldW - 2 * gap;
  drawLatent(s, context, {latentW, topH});
  ImGui::SameLine();
  drawManifold(s, {manifoldW, topH});
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float reconH = std::floor((topH - gap) * 0.4f);
  drawReconstructions(s, {columnW, reconH});
  drawSamples(s, {columnW, topH - gap - reconH});
  ImGui::EndGroup();

  const float w1 = std::floor((avail.x - 3 * gap) * 0.3f),
              w2 = std::floor((avail.x - 3 * gap) * 0.24f);
  const float w3 = std::floor((avail.x - 3 * gap) * 0.25f), w4 = avail.x - 3 * gap - w1 - w2 - w3;
  drawElbo(s, {w1, bottomH});
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float klH = std::floor((bottomH - gap) * 0.55f);
  drawKl(s, {w2, klH});
  drawWeight(s, {w2, bottomH - gap - klH});
  ImGui::EndGroup();
  ImGui::SameLine();
  drawVariance(s, {w3, bottomH});
  ImGui::SameLine();
  drawKlPerDim(s, {w4, bottomH});
}

void VaeLab::drawControls(const Snapshot& snapshot, LabContext&) {
  const auto& s = dynamic_cast<const VaeSnapshot&>(snapshot);
  ImGui::Checkbox("log iteration axis", &m_logIterations);
  ui::helpMarker(
      "Plot the curves against log(iteration): the fast first hundred steps and the slow later "
      "ones both show.");
  for (const auto& note : s.notes) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Warning));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }

  // Training speed, measured between snapshots (reset when the run restarts).
  const double now = ImGui::GetTime();
  if (m_rateImages < 0 || s.imagesSeen < m_rateImages) {
    m_rateImages = s.imagesSeen, m_rateTime = now, m_rate = 0.0;
  } else if (now - m_rateTime >= 0.5) {
    m_rate = (s.imagesSeen - m_rateImages) / (now - m_rateTime);
    m_rateImages = s.imagesSeen, m_rateTime = now;
  }

  if (s.dataset) {
    ImGui::TextWrapped("%s: %zu train / %zu test, %d×%d pixels (rows × columns), %zu classes",
                       s.dataset->name.c_str(), s.dataset->train.count(), s.dataset->test.count(),
                       s.imageRows, s.imageCols, s.classNames.size());
    if (ImGui::IsItemHovered()) ui::textTooltip("From " + s.dataset->source);
  }
  const auto& sh = s.shape;
  const char* act = sh.activation == VaeActivation::Tanh ? "tanh" : "relu";
  ImGui::Text("encoder %d–%d–%d, decoder %d–%d–%d (%s)", sh.input, sh.hidden, sh.latent, sh.latent,
              sh.hidden, sh.input, act);
  if (ImGui::IsItemHovered())
    ui::textTooltip(
        "Encoder x → h → (μ, log σ²), decoder z → h → Bernoulli logits; one hidden layer of " +
        std::to_string(sh.hidden) + " " + act +
        " units each, trained by Adam on hand-written backpropagation.");

  const VaeEvaluation* held =
      s.evaluations && !s.evaluations->empty() ? &s.evaluations->back() : nullptr;
  if (ImGui::BeginTable("vae numbers", 4,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("nats/image");
    ImGui::TableSetupColumn("batch");
    ImGui::TableSetupColumn("mean 100");
    ImGui::TableSetupColumn("held-out");
    ImGui::TableHeadersRow();
    ImGui::TableNextRow();
    ui::tableCell("ELBO",
         "Reconstruction − KL per image, with β = 1. Batch: the last minibatch; mean 100: the last "
         "100 "
         "minibatches; held-out: the last evaluation on the test images.");
    ui::tableCell(ui::number(s.elbo, "%.1f")), ui::tableCell(ui::number(s.elboMean, "%.1f")),
        ui::tableCell(held ? ui::number(held->elbo, "%.1f") : "—");
    ImGui::TableNextRow();
    ui::tableCell("log p(x|z)",
         "The reconstruction term E_q[log p(x|z)]: Bernoulli log-likelihood of the pixels.");
    ui::tableCell(ui::number(s.recon, "%.1f")), ui::tableCell(ui::number(s.reconMean, "%.1f")),
        ui::tableCell(held ? ui::number(held->recon, "%.1f") : "—");
    ImGui::TableNextRow();
    ui::tableCell("KL", "KL(q(z|x) ‖ N(0, I)) per image (the training estimate: analytic or Monte Carlo).");
    ui::tableCell(ui::number(s.kl, "%.2f")), ui::tableCell(ui::number(s.klMean, "%.2f")),
        ui::tableCell(held ? ui::number(held->kl, "%.2f") : "—");
    ImGui::EndTable();
  }
  if (held)
    ImGui::TextDisabled("held-out at iteration %lld", static_cast<long long>(held->iteration));
  ImGui::Text("iteration %lld   epoch %.2f", static_cast<long long>(s.iteration), s.epoch);
  ImGui::Text("%s images/s", ui::number(m_rate, "%.0f").c_str());
  if (ImGui::IsItemHovered())
    ui::textTooltip("Training images per second, measured over the last half second of the GUI.");
  if (s.gecoEnabled) {
    ImGui::Text("GECO λ %s   C %s nats", ui::number(s.gecoLambda, "%.3g").c_str(),
                ui::number(s.gecoConstraint, "%+.2f").c_str());
    if (ImGui::IsItemHovered())
      ui::textTooltip(
          "λ multiplies the reconstruction term; C is the moving average of (reconstruction error "
          "− target), "
          "target " +
          ui::number(s.gecoTarget, "%.4g") + " nats. C > 0: the target is missed and λ grows.");
  } else {
    ImGui::Text("KL weight β %s", ui::number(s.klWeight, "%.3g").c_str());
    if (ImGui::IsItemHovered())
      ui::textTooltip("The KL's weight in the loss this step (β, ramped up by KL annealing).");
  }
  if (s.variances && !s.variances->empty() && s.variances->back().reparam > 0) {
    const auto& v = s.variances->back();
    ImGui::Text(
        "gradient variance: score %s× reparam",
        ui::number(v.score / v.reparam, v.score > 100 * v.reparam ? "%.0f" : "%.3g").c_str());
    if (ImGui::IsItemHovered())
      ui::textTooltip("At iteration " + std::to_string(v.iteration) +
                      ", on the same minibatch: the score-function "
                      "estimator's encoder gradient varies this many times more than the "
                      "reparameterization one's.\n\n" +
                      kEstimatorText);
  }
  if (s.estimator == VaeSnapshot::Estimator::Score) {
    ImGui::Text("score baseline %s nats", ui::number(s.baseline, "%.1f").c_str());
    if (ImGui::IsItemHovered())
      ui::textTooltip(
          "Moving average of the learning signal f (the weighted log-likelihood), subtracted from "
          "f in the score "
          "function estimator: unbiased, and the variance falls.");
  }
}

nlohmann::ordered_json VaeLab::params(const Snapshot& snapshot) const {
  const auto& s = dynamic_cast<const VaeSnapshot&>(snapshot);
  const auto value = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  const auto values = [&](const std::vector<double>& vs) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (double v : vs) a.push_back(value(v));
    return a;
  };
  nlohmann::ordered_json out;
  out["iterations"] = s.iteration;
  out["images_seen"] = s.imagesSeen;
  out["latent_dim"] = s.shape.latent;
  out["train"] = {{"elbo", value(s.elboMean)},
                  {"recon", value(s.reconMean)},
                  {"kl", value(s.klMean)},
                  {"kl_per_dim", values(s.klPerDim)}};
  nlohmann::ordered_json held;  // null until the first evaluation
  if (s.evaluations && !s.evaluations->empty()) {
    const VaeEvaluation& e = s.evaluations->back();
    held = {{"iteration", e.iteration},
            {"elbo", value(e.elbo)},
            {"recon", value(e.recon)},
            {"kl", value(e.kl)},
            {"kl_per_dim", values(e.klPerDim)}};
  }
  out["heldout"] = std::move(held);
  out["kl_weight"] = value(s.klWeight);
  out["geco_lambda"] = s.gecoEnabled ? value(s.gecoLambda) : nlohmann::ordered_json();
  return out;
}

std::string VaeLab::summaryExtras(const Snapshot& snapshot, double seconds) const {
  const auto& s = dynamic_cast<const VaeSnapshot&>(snapshot);
  const double rate = seconds > 0.0 ? static_cast<double>(s.imagesSeen) / seconds : 0.0;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.0f", rate);
  std::string out = " samples_per_s=" + std::string(buffer) + " elbo_avg=" + formatReal(s.elboMean);
  if (s.evaluations && !s.evaluations->empty())
    out += " heldout_elbo=" + formatReal(s.evaluations->back().elbo);
  return out;
}

}  // namespace vilab
