#include "app/labs/targets_lab.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <utility>

#include "app/labs/mass_levels.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "app/ui/widgets.hpp"
#include "core/models/targets/model.hpp"

namespace vilab {
namespace {

using plot::LineStyle;
using plot::Point;
using ui::kApprox;
using ui::kExact;
using FamilyKind = TargetsSnapshot::FamilyKind;
using TargetKind = TargetsSnapshot::TargetKind;

// The masses whose regions p and q show: comparable contours for any two densities.
constexpr std::initializer_list<double> kMasses = {0.5, 0.9, 0.99};
constexpr Eigen::Index kMcmcShown = 1000;  // MCMC samples drawn at most
// KL(p‖q) beside KL(q‖p) (blue, q's colour): orange, as the forward direction everywhere here.
constexpr plot::Color kForward = ui::kAccent;
// The second axis's variance ratio beside the first (blue).
constexpr plot::Color kSecondAxis = ui::kPurple;
// The estimators' bars: no green (the MCMC colour) among them.
constexpr std::array<plot::Color, 4> kEstimatorColours = {
    kApprox, ui::kAccent, ui::kPurple, ui::kSky};
// The radius in data units a new bump of the custom target gets, and its weight.
constexpr TargetBump kNewBump{};
// The custom target's canvas reaches at least this far from the origin on both axes.
constexpr double kCanvas = 5.0;

const char* familyToken(FamilyKind f) {
  switch (f) {
    case FamilyKind::MeanField:
      return "meanfield";
    case FamilyKind::FullRank:
      return "fullrank";
    case FamilyKind::Mixture:
      return "mixture";
    case FamilyKind::Planar:
      return "planar";
    case FamilyKind::Coupling:
      return "coupling";
  }
  return "";
}

const char* targetToken(TargetKind t) {
  switch (t) {
    case TargetKind::Gaussian:
      return "gaussian";
    case TargetKind::Banana:
      return "banana";
    case TargetKind::Mixture:
      return "mixture";
    case TargetKind::Ring:
      return "ring";
    case TargetKind::Funnel:
      return "funnel";
    case TargetKind::Constrained:
      return "constrained";
    case TargetKind::Custom:
      return "custom";
  }
  return "";
}

bool isFlow(FamilyKind f) {
  return f == FamilyKind::Planar || f == FamilyKind::Coupling;
}

bool hasGrid(const TargetsGrid* g) {
  return g && g->x.size() >= 2 && g->y.size() >= 2 && g->values.size() == g->x.size() * g->y.size();
}

bool hasTrace(const TraceView& t) {
  return !t.empty() || !t.lastRow().empty();
}

// The newest value of a trace column (NaN when there is none).
double lastValue(const TraceView& t, const char* column) {
  const int c = t.column(column);
  const auto& row = t.lastRow();
  return c >= 0 && c < static_cast<int>(row.size()) ? row[c] : NAN;
}

// The finite range of trace columns (for an axis that must also show reading lines).
std::pair<double, double> columnRange(const TraceView& t, std::initializer_list<const char*> names,
                                      bool positiveOnly) {
  double lo = INFINITY, hi = -INFINITY;
  for (const char* name : names) {
    const int c = t.column(name);
    if (c < 0) continue;
    const auto take = [&](double v) {
      if (std::isfinite(v) && (!positiveOnly || v > 0)) lo = std::min(lo, v), hi = std::max(hi, v);
    };
    for (std::size_t r = 0; r < t.rows(); ++r) take(t.at(r, c));
    take(lastValue(t, name));
  }
  return {lo, hi};
}

// The grid's value nearest a point (NaN outside the grid).
double gridValue(const TargetsGrid* g, Point at) {
  if (!hasGrid(g)) return NAN;
  const std::size_t nx = g->x.size();
  const auto index = [](const std::vector<double>& v, double x) -> long {
    const double step = (v.back() - v.front()) / static_cast<double>(v.size() - 1);
    const long i = std::lround((x - v.front()) / step);
    return i < 0 || i >= static_cast<long>(v.size()) ? -1 : i;
  };
  const long i = index(g->x, at.x), j = index(g->y, at.y);
  return i < 0 || j < 0 ? NAN : g->values[static_cast<std::size_t>(j) * nx + i];
}

nlohmann::ordered_json number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

nlohmann::ordered_json gaussianJson(const TargetsGaussian& g) {
  nlohmann::ordered_json out;
  out["mean"] = {number(g.mean[0]), number(g.mean[1])};
  out["cov"] = {{number(g.cov(0, 0)), number(g.cov(0, 1))},
                {number(g.cov(1, 0)), number(g.cov(1, 1))}};
  return out;
}

// The legend's name of the objective's own estimate (trace column "objective").
const char* objectiveLabel(TargetsSnapshot::Objective o) {
  switch (o) {
    case TargetsSnapshot::Objective::KlQp:
      return "ELBO estimate (S draws)";
    case TargetsSnapshot::Objective::KlPq:
      return "E_p[ln q] (forward KL's objective)";
    case TargetsSnapshot::Objective::Renyi:
      return "Rényi-α bound estimate";
    case TargetsSnapshot::Objective::Iwae:
      return "IWAE bound estimate";
  }
  return "objective estimate";
}


// A short name of the objective for the line of numbers above the objective plot.
const char* objectiveShortName(TargetsSnapshot::Objective o) {
  switch (o) {
    case TargetsSnapshot::Objective::KlQp:
      return "ELBO estimate";
    case TargetsSnapshot::Objective::KlPq:
      return "E_p[ln q]";
    case TargetsSnapshot::Objective::Renyi:
      return "Rényi-α bound";
    case TargetsSnapshot::Objective::Iwae:
      return "IWAE bound";
  }
  return "objective";
}

// The trace rows the objective's estimate is averaged over for its number (it is noisy).
constexpr std::size_t kRecentRows = 50;
// Below this mass of q on the quadrature grid the model takes KL(q‖p) and the ELBO by Monte
// Carlo (the model's kGridMassForQuadrature; the snapshot's qGridMass comment says the same).
constexpr double kGridMassForQuadrature = 0.999;
// The objective estimate's colour in text (its faint curve's colour is too pale to read).
constexpr plot::Color kObjectiveText = plot::rgba(95, 150, 200);

ImVec4 readingColour(double k) {
  if (std::isnan(k) || k == INFINITY) return ImGui::GetStyleColorVec4(ImGuiCol_Text);
  return ui::textColour(k < 0.5 ? ui::TextTone::Ok : k < 0.7 ? ui::TextTone::Warning : ui::TextTone::Error);
}

std::span<const double> column(const Eigen::MatrixXd& m, int c) {
  return {m.col(c).data(), static_cast<std::size_t>(m.rows())};
}

const char* kTargetHelp =
    "Grey shade: the target p(z) = p̃(z)/Z, normalised by quadrature on a fine grid. Red contours "
    "enclose 50%, 90% and 99% of p's mass; blue contours the same masses of q, so that the two "
    "are compared region for region. Blue dots: draws from q; green dots: the MCMC chain's "
    "samples (they fill p whatever q does).\n\nReverse KL(q‖p) punishes q's mass where p has "
    "none: q hides inside p (too narrow, one mode). Forward KL(p‖q) punishes p's mass where q "
    "has none: q covers p (too wide, mass between modes).";

const char* kConstrainedHelp =
    "The constrained target in its own coordinates: λ > 0 and θ in (0, 1). q lives in the "
    "unconstrained space z = (ln λ, logit θ) (left view); here its density carries the inverse "
    "transform's Jacobian, q(λ, θ) = q(z) / (λ θ (1 − θ)) (ADVI, Kucukelbir et al. 2017). A "
    "Gaussian in z becomes a skewed density here: log-normal in λ, logit-normal in θ.";

const char* kCustomHelp =
    "Draw your own target: click to add a Gaussian bump, drag a bump's centre to move it, "
    "right-click a bump to remove it. The bumps are the scenario's text field target.bumps "
    "(\"x,y,sd,w; ...\"), which you may also edit directly.";

const char* kObjectiveHelp =
    "Blue: the exact ELBO of the current q, E_q[ln p̃(z) − ln q(z)] by quadrature; faint: the "
    "objective's own S-sample estimate this step (noisy; for Rényi-α and IWAE a different bound, "
    "for forward KL the quantity it maximizes, E_p[ln q] = −KL(p‖q) − H(p), below the others). "
    "Red: log Z by quadrature. Every ELBO lies below log "
    "Z; the gap log Z − ELBO is KL(q‖p) (Bishop PRML eq. 10.2).\n\nUnder the plot: each curve's "
    "value now, the faint estimate's averaged over the last 50 rows of the trace. The IWAE "
    "bound lies between the ELBO and log Z and nears log Z as K grows (Burda et al. 2016); the "
    "Rényi-α bound likewise as α falls from 1 (the ELBO) to 0 (Li & Turner 2016).";

const char* kMonteCarloHelp =
    "Now q reaches beyond the quadrature grid (which is sized for p): its mass off the grid is "
    "more than 0.1%, so KL(q‖p) and the ELBO are Monte Carlo estimates from the draws of q made "
    "for Pareto k (KL(q‖p) = E_q[ln q − ln p̃] + ln Z), not quadrature. KL(p‖q) stays exact: p lies on the "
    "grid.";

const char* kKlHelp =
    "Both divergences between the current q and p, by quadrature on the grid, on a log scale. "
    "Reverse KL(q‖p) = E_q[ln q − ln p] is what the ELBO minimises; forward KL(p‖q) = "
    "E_p[ln p − ln q] is what expectation propagation's moment matching minimises (PRML §10.7). "
    "Minimising one leaves the other large when q cannot match p: watch both.";

const char* kVarianceHelp =
    "The variance of an S-sample estimate of the ELBO's gradient with respect to all of q's "
    "parameters (the trace of its covariance, over repeated estimates) at the current q, per "
    "estimator. "
    "Reparameterization differentiates through z = m + L ε; the score function (REINFORCE) "
    "multiplies the integrand by ∇ ln q(z): unbiased and far noisier. A baseline (leave-one-out, "
    "or the optimal control variate) leaves the expectation and lowers the variance.";

const char* kKhatHelp =
    "Pareto-smoothed importance sampling k (Yao, Vehtari, Simpson & Gelman 2018): the shape "
    "of a generalised Pareto distribution fitted to the largest importance ratios p̃(z)/q(z), "
    "z ~ q. Below 0.5 (good) importance sampling from q is reliable; 0.5–0.7 usable; above 0.7 "
    "unreliable: q misses mass of p (its tails are too light), whatever the ELBO says. A "
    "negative k is good too: the ratios have a light, bounded tail because q covers p; k = −∞ "
    "when q equals p to rounding (all ratios equal).";

// What the current k says, beyond its band: why a negative k is good.
std::string khatExplanation(double k) {
  if (std::isnan(k)) return "not computed yet.";
  if (k == -INFINITY)
    return "k = −∞: the ratios p̃/q are all equal to rounding, so q equals p (up to Z).";
  if (k < 0.0)
    return "Good (k < 0.5). A negative k means the ratios p̃/q have a light, bounded tail: q "
           "covers p (q's tails are as heavy as p's or heavier), the more so the more negative.";
  if (k < 0.5) return "Good (k < 0.5): importance sampling from q is reliable.";
  if (k < 0.7) return "Usable (0.5 to 0.7): importance sampling from q works, slowly.";
  return "Unreliable (k > 0.7): q misses mass of p; its tails are too light.";
}

const char* kRatiosHelp =
    "The ratio of q's marginal variance to the exact one, per axis (1: right). Mean-field under "
    "reverse KL on a correlated Gaussian gives 1/(Λᵢᵢ Σᵢᵢ) = 1 − ρ² (too narrow); under forward "
    "KL it matches the marginals, ratio 1 (PRML §10.1.2).";

}  // namespace

std::string TargetsLab::plainNumber(double v, int digits) {
  if (std::isnan(v)) return "—";
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  if (v == 0.0) return "0";
  digits = std::clamp(digits, 1, 15);
  // Rounded to the digits first (printf's %e), so that the exponent is the rounded number's:
  // 9.996 to 3 digits is "10.0", not "10.00".
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, v);
  const char* e = std::strchr(buffer, 'e');
  const int exponent = e ? std::atoi(e + 1) : 0;
  if (exponent >= 6 || exponent < -4) {
    static const char* const kSuperscript[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    std::string out(buffer, e ? static_cast<std::size_t>(e - buffer) : std::strlen(buffer));
    out += "×10";
    if (exponent < 0) out += "⁻";
    for (char c : std::to_string(std::abs(exponent))) out += kSuperscript[c - '0'];
    return out;
  }
  const double rounded = std::strtod(buffer, nullptr);
  std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, digits - 1 - exponent), rounded);
  return buffer;
}

std::string TargetsLab::displayTargetName(const std::string& name) {
  // The words the model's name uses for the Gaussian target (TargetSpec's fields), each followed
  // by a space and its number, and the symbols the scenario's controls label them with.
  static const std::pair<const char*, const char*> kSymbols[] = {
      {"sigma1 ", "σ₁ = "}, {"sigma2 ", "σ₂ = "}, {"rho ", "ρ = "}};
  std::string out = name;
  for (const auto& [word, symbol] : kSymbols) {
    const std::string w(word);
    for (std::size_t at = out.find(w); at != std::string::npos; at = out.find(w, at)) {
      // Only a whole word: at the start or after "(" or a space.
      if (at > 0 && out[at - 1] != '(' && out[at - 1] != ' ') {
        at += w.size();
        continue;
      }
      out.replace(at, w.size(), symbol);
      at += std::strlen(symbol);
    }
  }
  return out;
}

std::array<std::string, 2> TargetsLab::axisNames(const TargetsSnapshot& s) {
  // Neal's funnel: v ~ N(0, s²) is the log-variance of x | v ~ N(0, eᵛ) (the scenario's help).
  if (s.target == TargetKind::Funnel) return {"x", "v"};
  return s.axisNames;
}

std::string TargetsLab::khatReading(double k) {
  if (std::isnan(k) || k == INFINITY) return "—";
  return k < 0.5 ? "good" : k < 0.7 ? "usable" : "unreliable";
}

TargetsLab::RecentMean TargetsLab::recentMean(const TraceView& t, const char* name,
                                              std::size_t rows) {
  RecentMean out{NAN, NAN, NAN};
  const int c = t.column(name), it = t.column("iteration");
  if (c < 0 || t.rows() == 0 || rows == 0) return out;
  const std::size_t first = t.rows() > rows ? t.rows() - rows : 0;
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t r = first; r < t.rows(); ++r) {
    const double v = t.at(r, c);
    if (std::isfinite(v)) sum += v, ++n;
  }
  if (n > 0) out.mean = sum / static_cast<double>(n);
  if (it >= 0) out.fromIteration = t.at(first, it), out.toIteration = t.at(t.rows() - 1, it);
  return out;
}

plot::Color TargetsLab::densityShade(double t) {
  if (!std::isfinite(t) || t <= 0.0) return plot::rgba(255, 255, 255);
  // The square root lifts the tails, where q's contours and the samples often are.
  return plot::mix(plot::rgba(255, 255, 255), plot::rgba(118, 118, 118),
                   static_cast<float>(std::sqrt(std::min(t, 1.0))));
}

std::string TargetsLab::bumpsText(const std::vector<TargetBump>& bumps) {
  std::string text;
  for (const TargetBump& b : bumps) {
    char item[128];
    std::snprintf(item, sizeof item, "%.4g,%.4g,%.4g,%.4g", b.x, b.y, b.sd, b.weight);
    text += (text.empty() ? "" : "; ") + std::string(item);
  }
  return text;
}

void TargetsLab::sendBumps(LabContext& context, const std::vector<TargetBump>& bumps) {
  const std::string text = bumpsText(bumps);
  Status status = Status::ok();
  if (context.setField) {
    status = context.setField("target.bumps", text);
  } else {
    std::unique_ptr<Scenario> edited = context.scenario.clone();
    status = setFieldFromText(*edited, "target.bumps", text);
    const std::vector<std::string> errors = status ? validate(*edited) : std::vector<std::string>{};
    if (!errors.empty()) status = Status::error(errors.front());
    if (status) context.runner.apply(std::move(edited));
  }
  m_lastSent = ImGui::GetTime();
  if (!status) m_message = status.message(), m_messageUntil = ImGui::GetTime() + 4.0;
}

void TargetsLab::editBumps(const TargetsSnapshot& s, LabContext& context) {
  std::vector<TargetBump> shown = m_dragged >= 0 ? m_dragBumps : s.bumps;
  if (shown.empty()) shown.push_back(kNewBump);  // an empty list is one bump at the origin
  const bool hovered = plot::isHovered();
  const Point at = plot::mousePosition();
  const float font = ImGui::GetFontSize();
  // The bump under the cursor: within its sd or, when that is small on screen, a line's height.
  int near = -1;
  double nearest = INFINITY;
  const ImVec2 mouse = plot::toPixels(at);
  for (int k = 0; k < static_cast<int>(shown.size()); ++k) {
    const ImVec2 c = plot::toPixels({shown[k].x, shown[k].y});
    const double radius = std::max<double>(
        0.9 * font, std::fabs(plot::toPixels({shown[k].x + shown[k].sd, shown[k].y}).x - c.x));
    const double d = std::hypot(mouse.x - c.x, mouse.y - c.y);
    if (d <= radius && d < nearest) nearest = d, near = k;
  }
  if (m_dragged >= 0) {
    if (m_dragged < static_cast<int>(m_dragBumps.size())) {
      // The point grabbed stays under the cursor (the centre keeps its offset from it).
      m_dragBumps[m_dragged].x = at.x + m_grab.x, m_dragBumps[m_dragged].y = at.y + m_grab.y;
      shown = m_dragBumps;
    }
    const bool released = !ImGui::IsMouseDown(ImGuiMouseButton_Left);
    // While dragging, a few edits a second: each one recomputes the reference on the worker.
    if (released || ImGui::GetTime() - m_lastSent > 0.2) sendBumps(context, m_dragBumps);
    if (released) m_dragged = -1;
  } else if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    if (near >= 0) {
      m_dragBumps = shown, m_dragged = near;
      m_grab = {shown[near].x - at.x, shown[near].y - at.y};
    } else {
      TargetBump b = kNewBump;
      b.x = at.x, b.y = at.y;
      shown.push_back(b);
      sendBumps(context, shown);
    }
  } else if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right) && near >= 0) {
    if (shown.size() <= 1) {
      m_message = "the last bump cannot go: the target needs one",
      m_messageUntil = ImGui::GetTime() + 4.0;
    } else {
      shown.erase(shown.begin() + near);
      sendBumps(context, shown);
    }
  }
  // Each bump: its centre and a circle of radius sd (the one under the cursor bolder).
  for (int k = 0; k < static_cast<int>(shown.size()); ++k) {
    const ImVec2 c = plot::toPixels({shown[k].x, shown[k].y});
    const float r = std::fabs(plot::toPixels({shown[k].x + shown[k].sd, shown[k].y}).x - c.x);
    const bool hot = k == near || k == m_dragged;
    plot::drawList()->AddCircle(c, r, plot::onScreen(plot::withAlpha(ui::kPoint, hot ? 0.9f : 0.45f)), 40,
                                hot ? 2.0f : 1.0f);
    plot::drawList()->AddCircleFilled(c, hot ? 4.5f : 3.0f, plot::onScreen(ui::kPoint));
  }
}

void TargetsLab::drawTarget(const TargetsSnapshot& s, LabContext& context, ImVec2 size,
                            bool constrained) {
  const std::shared_ptr<const TargetsGrid>& pShared = constrained ? s.pConstrained : s.p;
  const TargetsGrid* p = pShared.get();
  const TargetsGrid& q = constrained ? s.qConstrained : s.qDensity;
  const Eigen::MatrixXd& qs = constrained ? s.qSamplesConstrained : s.qSamples;
  const Eigen::MatrixXd* mc = constrained ? &s.mcmcSamplesConstrained : s.mcmcSamples.get();
  const std::array<std::string, 2> names = constrained ? s.constrainedNames : axisNames(s);
  const Eigen::Vector4d& box = constrained ? s.constrainedBox : s.box;
  const bool custom = !constrained && s.target == TargetKind::Custom;
  // Beside the first view, the constrained view repeats its colours: no second legend.
  const std::string title =
      constrained ? "p and q in (" + names[0] + ", " + names[1] + ")###targets constrained"
      : s.constrained
          ? "p and q in z = (" + names[0] + ", " + names[1] + "), where q lives###targets target"
          : "p: " + displayTargetName(s.targetName) + ", q: " + s.familyName +
                "###targets target";
  const unsigned flags = (custom ? plot::kNoInput : plot::kNone) |
                         (constrained && !m_tabs ? plot::kNoLegend : plot::kNone);
  if (!plot::begin(title.c_str(), size, flags)) return;
  plot::setupAxes(names[0].c_str(), names[1].c_str());
  Eigen::Vector4d range = box;
  if (custom) {
    // A canvas that does not move under the cursor: at least [-5, 5]^2 (the target's box grows
    // with far bumps), and held still while a bump is dragged.
    range << std::min(box[0], -kCanvas), std::max(box[1], kCanvas), std::min(box[2], -kCanvas),
        std::max(box[3], kCanvas);
    if (m_dragged >= 0) range = m_dragRange;
    m_dragRange = range;
  }
  if (range[1] > range[0] && range[3] > range[2]) {
    plot::setupFitX(range[0], range[1]);
    plot::setupFitY(range[2], range[3]);
  }
  Shade& shade = m_shade[constrained ? 1 : 0];
  if (hasGrid(p) && shade.source != pShared) shade.pLevels = massLevels(p->values, kMasses);
  if (hasGrid(p) && m_showShade) {
    const std::size_t nx = p->x.size(), ny = p->y.size();
    if (shade.source != pShared || shade.pixels.size() != nx * ny) {
      shade.source = pShared;
      double top = 0.0;
      for (double v : p->values)
        if (std::isfinite(v)) top = std::max(top, v);
      shade.pixels.assign(nx * ny, plot::rgba(255, 255, 255));
      for (std::size_t j = 0; j < ny; ++j)
        for (std::size_t i = 0; i < nx; ++i)
          shade.pixels[(ny - 1 - j) * nx + i] =
              densityShade(top > 0.0 ? p->values[j * nx + i] / top : 0.0);  // row 0 on top
    }
    const ImTextureID texture =
        context.textures.update(constrained ? "targets p constrained" : "targets p",
                                static_cast<int>(nx), static_cast<int>(ny), shade.pixels);
    const double dx = 0.5 * (p->x[1] - p->x[0]), dy = 0.5 * (p->y[1] - p->y[0]);
    plot::image("##p (shade)", texture, p->x.front() - dx, p->x.back() + dx, p->y.front() - dy,
                p->y.back() + dy);
  }
  if (hasGrid(p)) shade.source = pShared;
  const float radius = 2.2f * ImGui::GetFontSize() / 18.0f;
  if (m_showMcmc && mc && mc->rows() > 0 && mc->cols() == 2) {
    // At most kMcmcShown samples, evenly through the chain: a denser cloud shows no more and
    // costs a software renderer its frame.
    const Eigen::Index stride = (mc->rows() + kMcmcShown - 1) / kMcmcShown;
    std::vector<double> mx, my;
    for (Eigen::Index i = 0; i < mc->rows(); i += stride) mx.push_back((*mc)(i, 0)), my.push_back((*mc)(i, 1));
    plot::scatter(("MCMC (" + s.mcmcName + ")").c_str(), mx, my, TargetsLab::kMcmc,
                  mc->rows() > kMcmcShown ? 0.75f * radius : radius);
  }
  if (m_showQSamples && qs.rows() > 0 && qs.cols() == 2)
    plot::scatter("draws from q", column(qs, 0), column(qs, 1), kApprox, radius);
  if (hasGrid(p))
    plot::contour("p: 50/90/99% mass", p->values, p->x, p->y, shade.pLevels,
                  {kExact, 3.4f});  // solid, wider than q's dashes: a rim shows where q matches p
  if (hasGrid(&q)) {
    // The iteration and a strided sum of the grid tell one snapshot's q from the next.
    double fingerprint = static_cast<double>(s.iteration) + static_cast<double>(q.values.size());
    for (std::size_t i = 0; i < q.values.size(); i += 97) fingerprint += q.values[i] * static_cast<double>(i + 1);
    QLevels& cached = m_qLevels[constrained ? 1 : 0];
    if (cached.levels.empty() || cached.fingerprint != fingerprint) {
      cached.fingerprint = fingerprint;
      cached.levels = massLevels(q.values, kMasses);
    }
    plot::contour("q: 50/90/99% mass", q.values, q.x, q.y, cached.levels, ui::approxLine(1.8f));
  }
  if (custom) editBumps(s, context);
  if (!hasGrid(p)) plot::note("The reference (quadrature) is being computed.");
  if (plot::isHovered() && m_dragged < 0) {
    const Point at = plot::mousePosition();
    std::string t = constrained ? kConstrainedHelp : kTargetHelp;
    if (custom) t += std::string("\n\n") + kCustomHelp;
    t += "\n\nat (" + ui::number(at.x, "%.3g") + ", " + ui::number(at.y, "%.3g") +
         "): p = " + ui::number(gridValue(p, at), "%.4g") +
         ", q = " + ui::number(gridValue(&q, at), "%.4g");
    if (s.mcmcSamples) t += "\nMCMC: " + std::to_string(s.mcmcSamples->rows()) + " samples kept";
    ui::textTooltip(t);
  }
  if (custom && m_dragged < 0)
    plot::note("click: add a bump · drag: move · right-click: remove", plot::Legend::SouthEast);
  if (custom && !m_message.empty() && ImGui::GetTime() < m_messageUntil)
    plot::note(("⚠ " + m_message).c_str(), plot::Legend::SouthWest);
  plot::end();
}

void TargetsLab::drawMarginal(const TargetsSnapshot& s, ImVec2 size, int axis) {
  const std::string name = axisNames(s)[axis];
  const std::string title =
      "Marginal p(" + name + "): exact vs q###targets marginal " + std::to_string(axis);
  if (!plot::begin(title.c_str(), size)) return;
  plot::setupAxes(name.c_str(), "density");
  // The target view's range, not the reference grid's (which reaches far into the tails).
  if (s.box[2 * axis + 1] > s.box[2 * axis]) plot::setupFitX(s.box[2 * axis], s.box[2 * axis + 1]);
  const TargetsGrid* m = s.exactMarginals.get();
  const std::vector<double>& qv = axis == 0 ? s.qMarginalX : s.qMarginalY;
  bool any = false;
  if (m && m->values.size() == m->x.size() + m->y.size()) {
    const std::vector<double>& nodes = axis == 0 ? m->x : m->y;
    const std::span<const double> exact(m->values.data() + (axis == 0 ? 0 : m->x.size()),
                                        nodes.size());
    // Solid vermillion wider under dashed blue: where q matches p a rim shows.
    plot::line("exact p", nodes, exact, {kExact, 3.4f});
    if (qv.size() == nodes.size()) plot::line("q", nodes, qv, ui::approxLine(1.8f));
    any = true;
  }
  if (!any) plot::note("The reference (quadrature) is being computed.");
  if (plot::isHovered())
    ui::textTooltip(
        "The marginal density of " + name +
        " under p (solid vermillion, by quadrature) and under q (dashed blue), "
        "at the grid's nodes.\nVariance of q / exact: " +
        ui::number(s.varianceRatio[axis], "%.4g") +
        "\nMean-field q under reverse KL is too narrow on correlated targets; under forward KL "
        "it matches each marginal's mean and variance.");
  plot::end();
}

void TargetsLab::drawObjective(const TargetsSnapshot& s, ImVec2 size) {
  const TraceView& t = s.trace;
  const bool monteCarlo = s.qGridMass < kGridMassForQuadrature;
  const LineStyle estimateStyle{plot::withAlpha(kApprox, 0.35f), 1.0f};
  const LineStyle elboStyle{kApprox, 2.2f}, logZStyle{kExact, 2.0f, true};
  const char* elboLabel = monteCarlo ? "ELBO of q (Monte Carlo: q beyond the grid)"
                                     : "exact ELBO of q (quadrature)";
  // The legend with today's numbers, on lines under the plot so that they never cover its
  // curves: each curve's swatch, name and value (the objective's estimate averaged: it is
  // noisy), top curve first, wrapped between items to the plot's width.
  struct Item {
    std::string text;
    const LineStyle* swatch;
    std::string help;
    bool newLine = false;
  };
  std::vector<Item> items;
  if (hasTrace(t)) {
    const RecentMean recent = recentMean(t, "objective", kRecentRows);
    std::string span;
    if (std::isfinite(recent.fromIteration) && recent.toIteration > recent.fromIteration)
      span = " (iterations " + std::to_string(std::llround(recent.fromIteration)) + " to " +
             std::to_string(std::llround(recent.toIteration)) + ")";
    items = {
        {"log Z " + plainNumber(s.logZ, 4), &logZStyle,
         "Vermillion dashed: log Z by quadrature, the log normaliser ln ∫ p̃(z) dz. Every bound lies "
         "below it."},
        {std::string(objectiveShortName(s.objective)) + " " + plainNumber(recent.mean, 4) +
             " (mean)",
         &estimateStyle,
         std::string("Faint: the ") + objectiveLabel(s.objective) +
             " each step. The number is its mean over the last " + std::to_string(kRecentRows) +
             " rows of the trace" + span + ": its noise averaged out."},
        {std::string("ELBO ") + plainNumber(s.elbo, 4) + (monteCarlo ? " (Monte Carlo)" : ""),
         &elboStyle,
         std::string("Blue: the ") + elboLabel + "." +
             (monteCarlo ? std::string("\n\n") + kMonteCarloHelp : std::string())},
        {"gap KL(q‖p) " + plainNumber(s.logZ - s.elbo), nullptr,
         "log Z − ELBO = KL(q‖p) (Bishop PRML eq. 10.2)."}};
  }
  const float font = ImGui::GetFontSize(), swatchW = 1.4f * font, space = 0.8f * font;
  const float swatchGap = 0.3f * font;
  int lines = 0;
  float x = 0.0f;
  for (Item& item : items) {
    const float lead = item.swatch ? swatchW + swatchGap : 0.0f;
    item.text = plot::fitText(item.text, std::max(font, size.x - lead));
    const float w = lead + ImGui::CalcTextSize(item.text.c_str()).x;
    item.newLine = lines == 0 || x + space + w > size.x;
    if (item.newLine) ++lines, x = w;
    else x += space + w;
  }
  const float below = static_cast<float>(lines) * ImGui::GetTextLineHeightWithSpacing();
  ImGui::BeginGroup();
  const std::string title =
      std::string(monteCarlo ? "Objective, ELBO, log Z" : "Objective, exact ELBO, log Z") +
      "###targets objective";
  // The lines under the plot are its legend (the curves' labels still name the exported series).
  if (plot::begin(title.c_str(), {size.x, std::max(size.y - below, 4.0f * font)},
                  items.empty() ? plot::kNone : plot::kNoLegend)) {
    plot::setupAxes("iteration", "nats");
    const int it = t.column("iteration");
    // Autofit leaves out the first iterations, far below where the curves are now.
    double lo = INFINITY, hi = -INFINITY;
    for (const char* c : {"objective", "elbo", "log_z"}) {
      const double v = lastValue(t, c);
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    if (std::isfinite(lo))
      plot::setupYFitFloor(lo - std::max({4.0 * (hi - lo), 0.05 * std::fabs(lo), 2.0}));
    if (hasTrace(t)) {
      plot::traceLine(objectiveLabel(s.objective), t, it, t.column("objective"), estimateStyle);
      plot::traceLine(elboLabel, t, it, t.column("elbo"), elboStyle);
      plot::traceLine("log Z (quadrature)", t, it, t.column("log_z"), logZStyle);
    } else {
      plot::note("No iterations yet: Play or Step.");
    }
    if (plot::isHovered())
      ui::textTooltip(monteCarlo ? std::string(kObjectiveHelp) + "\n\n" + kMonteCarloHelp
                                 : std::string(kObjectiveHelp));
    plot::end();
  }
  for (const Item& item : items) {
    if (!item.newLine) ImGui::SameLine(0.0f, space);
    ImGui::BeginGroup();
    if (item.swatch) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float y = at.y + 0.5f * ImGui::GetTextLineHeight();
      const float thickness = item.swatch->thickness * font / 18.0f;
      ImDrawList* list = ImGui::GetWindowDrawList();
      const ImU32 colour = plot::onScreen(item.swatch->color);
      for (float d = 0.0f; d < swatchW; d += item.swatch->dashed ? 0.5f * font : swatchW)
        list->AddLine(ImVec2(at.x + d, y),
                      ImVec2(at.x + std::min(d + (item.swatch->dashed ? 0.3f * font : swatchW),
                                             swatchW),
                             y),
                      colour, thickness);
      ImGui::Dummy(ImVec2(swatchW, ImGui::GetTextLineHeight()));
      ImGui::SameLine(0.0f, swatchGap);
    }
    // The faint estimate's colour is too pale for text: a darker tint of it.
    const plot::Color textColour = item.swatch == &estimateStyle ? kObjectiveText
                                   : item.swatch                 ? item.swatch->color
                                                                 : ui::kTruth;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(plot::onScreen(textColour)));
    ImGui::TextUnformatted(item.text.c_str());
    ImGui::PopStyleColor();
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) ui::textTooltip(item.help);
  }
  ImGui::EndGroup();
}

void TargetsLab::drawKl(const TargetsSnapshot& s, ImVec2 size) {
  if (!plot::begin("KL(q‖p) and KL(p‖q) (log scale)###targets kl", size)) return;
  plot::setupAxes("iteration", "nats (log scale)", plot::Scale::Linear, plot::Scale::Log);
  const TraceView& t = s.trace;
  const int it = t.column("iteration");
  if (hasTrace(t)) {
    plot::traceLine(s.qGridMass < kGridMassForQuadrature ? "KL(q‖p) (reverse, Monte Carlo)"
                                                         : "KL(q‖p) (reverse)",
                    t, it, t.column("kl_qp"), {kApprox, 2.2f});
    plot::traceLine("KL(p‖q) (forward)", t, it, t.column("kl_pq"), {kForward, 2.2f});
  } else {
    plot::note("No iterations yet: Play or Step.");
  }
  if (plot::isHovered())
    ui::textTooltip(std::string(kKlHelp) +
                    (s.qGridMass < kGridMassForQuadrature
                         ? std::string("\n\n") + kMonteCarloHelp
                         : std::string()) +
                    "\n\nnow: KL(q‖p) " + plainNumber(s.klQp, 4) + ", KL(p‖q) " +
                    plainNumber(s.klPq, 4));
  plot::end();
}

void TargetsLab::drawVariance(const TargetsSnapshot& s, const LabContext& context, ImVec2 size) {
  if (!plot::begin("Gradient variance###targets var", size, plot::kNoLegend)) return;
  // The flows give no scores d ln q / d lambda (the family interface's hasScores), so only the
  // reparameterization gradient is measured: the axis says so under the single bar.
  plot::setupAxes(isFlow(s.family) ? "flows: reparam only" : "estimator", "variance (log scale)",
                  plot::Scale::Linear, plot::Scale::Log);
  const int n = static_cast<int>(s.estimators.size());
  if (n == 0) {
    plot::note(s.objective != TargetsSnapshot::Objective::KlQp
                   ? "For the ELBO's gradient only (objective kl_qp)."
                   : "No estimator statistics yet: Step once.");
    if (plot::isHovered()) ui::textTooltip(kVarianceHelp);
    plot::end();
    return;
  }
  // The estimator the optimizer uses, framed.
  std::string inUse;
  if (const auto* sc = dynamic_cast<const TargetsScenario*>(&context.scenario)) {
    using E = TargetsScenario::Estimator;
    using B = TargetsScenario::Baseline;
    inUse = sc->estimator == E::Reparam ? "reparam"
            : sc->baseline == B::None   ? "score"
            : sc->baseline == B::Loo    ? "score + LOO"
                                        : "score + optimal CV";
  }
  std::vector<double> at;
  std::vector<std::string> names;
  double top = 0.0, bottom = INFINITY;
  // Short names under the bars (the hover text gives the long ones), shorter still when narrow.
  const float perBar = 0.8f * size.x / (static_cast<float>(n) + 0.2f);
  const bool narrow = ImGui::CalcTextSize("reparam").x + 0.5f * ImGui::GetFontSize() > perBar;
  const auto shortName = [narrow](const std::string& name) -> std::string {
    if (name == "reparam") return narrow ? "RP" : "reparam";
    if (name == "score") return narrow ? "SF" : "score";
    if (name == "score + LOO") return "LOO";
    if (name == "score + optimal CV") return narrow ? "CV" : "opt. CV";
    return name;
  };
  for (int k = 0; k < n; ++k) {
    at.push_back(k);
    names.push_back(plot::fitText(shortName(s.estimators[k].name), perBar));
    const double v = s.estimators[k].variance;
    if (std::isfinite(v) && v > 0.0) top = std::max(top, v), bottom = std::min(bottom, v);
  }
  plot::setupXTicks(at, names);
  plot::setupFitX(-0.6, n - 0.4);
  if (top > 0.0) plot::setupFitY(bottom / 4.0, top * 4.0);
  // Each bar's value on a pale box above its top; where it would overlap a neighbour's (bars of
  // close heights in a narrow plot) it goes just inside its own bar instead, then lower still.
  struct Box {
    float left, right, top, bottom;
  };
  std::vector<Box> placed;
  const auto overlaps = [&](const Box& b) {
    return std::any_of(placed.begin(), placed.end(), [&](const Box& o) {
      return b.left < o.right && o.left < b.right && b.top < o.bottom && o.top < b.bottom;
    });
  };
  const float lineH = ImGui::GetFontSize();
  for (int k = 0; k < n; ++k) {
    const double v = s.estimators[k].variance, x = k;
    if (!(std::isfinite(v) && v > 0.0)) continue;
    plot::bars(s.estimators[k].name.c_str(), std::span<const double>(&x, 1),
               std::span<const double>(&v, 1), 0.62, kEstimatorColours[k % 4]);
    if (s.estimators[k].name == inUse) {
      const ImVec2 a = plot::toPixels({x - 0.36, v}), b = plot::toPixels({x + 0.36, bottom / 4.0});
      plot::drawList()->AddRect(ImVec2(a.x, a.y), ImVec2(b.x, std::max(a.y, b.y)), plot::onScreen(ui::kPoint), 0.0f,
                                0, 2.0f * ImGui::GetFontSize() / 18.0f);
    }
  }
  for (int k = 0; k < n; ++k) {
    const double v = s.estimators[k].variance;
    if (!(std::isfinite(v) && v > 0.0)) continue;
    const std::string label = plainNumber(v);
    ImVec2 top = plot::toPixels({static_cast<double>(k), v});
    const float half = 0.5f * ImGui::CalcTextSize(label.c_str()).x + 3.0f;
    // Inside the fitted range's edges (a label wider than its bar at the first or last bar).
    const float left = plot::toPixels({-0.6, v}).x, right = plot::toPixels({n - 0.4, v}).x;
    if (right - left > 2.0f * half) top.x = std::clamp(top.x, left + half, right - half);
    Box b{top.x - half, top.x + half, top.y - 1.15f * lineH, top.y - 0.1f * lineH};
    for (int tries = 0; overlaps(b) && tries < 4; ++tries) {
      const float drop = tries == 0 ? 1.3f * lineH : 1.1f * lineH;  // first below the bar's top
      b.top += drop, b.bottom += drop;
    }
    placed.push_back(b);
    plot::labelAt(ImVec2(top.x, 0.5f * (b.top + b.bottom)), label, ui::kTruth);
  }
  if (plot::isHovered()) {
    std::string t = kVarianceHelp;
    t += "\n\nThe framed bar is the estimator the optimizer uses (RP: reparameterization, SF: "
         "score function, LOO: with the leave-one-out baseline, CV: with the optimal control "
         "variate).";
    for (const auto& e : s.estimators) t += "\n  " + e.name + ": " + plainNumber(e.variance, 4);
    if (isFlow(s.family)) t += "\n\nFlows: reparameterization only.";
    ui::textTooltip(t);
  }
  plot::end();
}

void TargetsLab::drawKhat(const TargetsSnapshot& s, ImVec2 size) {
  const std::string title =
      "Pareto k (PSIS)" +
      (std::isnan(s.psisK) ? std::string() : ": now " + khatReading(s.psisK)) +
      "###targets khat";
  if (!plot::begin(title.c_str(), size, plot::kNoLegend)) return;
  plot::setupAxes("iteration", "k");
  const TraceView& t = s.trace;
  // The reading lines always in view.
  const auto [lo, hi] = columnRange(t, {"psis_k"}, false);
  plot::setupFitY(std::min(0.0, std::isfinite(lo) ? lo : 0.0),
                  std::max(1.0, std::isfinite(hi) ? hi + 0.1 : 1.0));
  const int it = t.column("iteration");
  // The readings as pale bands behind the curve (no text: the plot is small; the title and the
  // tooltip say them): green good, amber usable, red unreliable.
  const double first = t.rows() > 0 && it >= 0 ? t.at(0, it) : NAN;
  const double last = lastValue(t, "iteration");
  if (std::isfinite(first) && std::isfinite(last) && last > first) {
    const double xs[] = {first, last};
    const auto band = [&](const char* label, double y0, double y1, plot::Color c) {
      const double l[] = {y0, y0}, h[] = {y1, y1};
      plot::band(label, xs, l, h, plot::withAlpha(c, 0.13f));
    };
    const double bottom = std::min(0.0, std::isfinite(lo) ? lo : 0.0) - 10.0;
    const double top = std::max(1.0, std::isfinite(hi) ? hi : 1.0) + 10.0;
    band("good (k < 0.5)", bottom, 0.5, ui::kGood);
    band("usable (0.5 to 0.7)", 0.5, 0.7, ui::kAccent);
    band("unreliable (k > 0.7)", 0.7, top, ui::kWarning);
  }
  if (hasTrace(t)) plot::traceLine("k", t, it, t.column("psis_k"), {kApprox, 2.0f});
  plot::hline("0.5", 0.5, {ui::kTruth, 1.0f, true});
  plot::hline("0.7", 0.7, {ui::kWarning, 1.0f, true});
  if (plot::isHovered())
    ui::textTooltip(std::string(kKhatHelp) + "\n\nNow: k = " + plainNumber(s.psisK) + ". " +
                    khatExplanation(s.psisK));
  plot::end();
}

void TargetsLab::drawRatios(const TargetsSnapshot& s, ImVec2 size) {
  if (!plot::begin("Variance ratio q / exact (log scale)###targets ratios", size)) return;
  plot::setupAxes("iteration", "ratio", plot::Scale::Linear, plot::Scale::Log);
  const TraceView& t = s.trace;
  const std::array<std::string, 2> names = axisNames(s);
  const auto [lo, hi] = columnRange(t, {"var_ratio_1", "var_ratio_2"}, true);
  plot::setupFitY(std::isfinite(lo) ? std::min(0.5, lo / 1.3) : 0.5,
                  std::isfinite(hi) ? std::max(2.0, hi * 1.3) : 2.0);
  if (hasTrace(t)) {
    const int it = t.column("iteration");
    plot::traceLine(names[0].c_str(), t, it, t.column("var_ratio_1"), {kApprox, 2.0f});
    plot::traceLine(names[1].c_str(), t, it, t.column("var_ratio_2"), {kSecondAxis, 2.0f});
  }
  plot::hline("1 (exact)", 1.0, {kExact, 1.3f, true});
  if (plot::isHovered())
    ui::textTooltip(std::string(kRatiosHelp) +
                    "\n\nnow: " + plainNumber(s.varianceRatio[0], 4) + " (" + names[0] + "), " +
                    plainNumber(s.varianceRatio[1], 4) + " (" + names[1] + ")");
  plot::end();
}

void TargetsLab::drawViews(const Snapshot& snapshot, LabContext& context) {
  const auto& s = dynamic_cast<const TargetsSnapshot&>(snapshot);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool both = s.constrained;

  m_tabs = avail.y < 36.0f * font || avail.x < 56.0f * font;
  if (m_tabs) {
    // Large text on a small window (a projector): one view at a time, each big enough to read.
    if (ui::ViewTabs tabs("targets views"); tabs.open()) {
      const auto tab = [&](const char* name, auto&& draw) { tabs.tab(name, draw); };
      tab("Target", [&](ImVec2 size) { drawTarget(s, context, size, false); });
      if (both) tab("Constrained", [&](ImVec2 size) { drawTarget(s, context, size, true); });
      tab("Marginals", [&](ImVec2 size) {
        const float h = std::floor((size.y - gap) * 0.5f);
        drawMarginal(s, {size.x, h}, 0);
        drawMarginal(s, {size.x, size.y - gap - h}, 1);
      });
      tab("Objective", [&](ImVec2 size) { drawObjective(s, size); });
      tab("KL", [&](ImVec2 size) { drawKl(s, size); });
      tab("Grad variance", [&](ImVec2 size) { drawVariance(s, context, size); });
      tab("k and ratios", [&](ImVec2 size) {
        const float h = std::floor((size.y - gap) * 0.5f);
        drawKhat(s, {size.x, h});
        drawRatios(s, {size.x, size.y - gap - h});
      });
    }
    return;
  }
  // Top: the target (and its constrained space), the two marginals stacked. Bottom: objective,
  // KL, gradient variance, k above the variance ratios.
  const float topH = std::floor((avail.y - gap) * 0.55f), bottomH = avail.y - topH - gap;
  const float targetW = std::floor(both ? (avail.x - 2 * gap) * 0.36f : (avail.x - gap) * 0.58f);
  drawTarget(s, context, {targetW, topH}, false);
  float used = targetW + gap;
  if (both) {
    ImGui::SameLine();
    drawTarget(s, context, {targetW, topH}, true);
    used += targetW + gap;
  }
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float marginalW = avail.x - used, marginalH = std::floor((topH - gap) * 0.5f);
  drawMarginal(s, {marginalW, marginalH}, 0);
  drawMarginal(s, {marginalW, topH - gap - marginalH}, 1);
  ImGui::EndGroup();

  const float w = avail.x - 3 * gap;
  const float w1 = std::floor(w * 0.27f), w2 = std::floor(w * 0.23f), w3 = std::floor(w * 0.19f);
  drawObjective(s, {w1, bottomH});
  ImGui::SameLine();
  drawKl(s, {w2, bottomH});
  ImGui::SameLine();
  drawVariance(s, context, {w3, bottomH});
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float w4 = w - w1 - w2 - w3, khatH = std::floor((bottomH - gap) * 0.5f);
  drawKhat(s, {w4, khatH});
  drawRatios(s, {w4, bottomH - gap - khatH});
  ImGui::EndGroup();
}

void TargetsLab::drawControls(const Snapshot& snapshot, LabContext&) {
  const auto& s = dynamic_cast<const TargetsSnapshot&>(snapshot);
  ImGui::Checkbox("shade p", &m_showShade);
  ui::helpMarker("Target views: p as a grey shade (white where p = 0).");
  ImGui::SameLine();
  ImGui::Checkbox("draws from q", &m_showQSamples);
  ui::helpMarker("Target views: up to 400 draws from q (blue dots).");
  ImGui::SameLine();
  ImGui::Checkbox("MCMC", &m_showMcmc);
  ui::helpMarker("Target views: the MCMC chain's kept samples (green dots).");
  if (s.target == TargetKind::Custom) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Note));
    ImGui::TextWrapped(
        "Custom target: click the target view to add a bump, drag to move it, "
        "right-click to remove it.");
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ui::textTooltip(kCustomHelp);
  }
  for (const auto& note : s.notes) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Warning));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
  if (!ImGui::BeginTable("numbers", 2,
                         ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp))
    return;
  const auto row = [&](const char* name, const std::string& value, const std::string& help,
                       const ImVec4* colour = nullptr) {
    ImGui::TableNextRow();
    ui::tableCell(name, help.c_str());
    if (colour) ImGui::PushStyleColor(ImGuiCol_Text, *colour);
    ui::tableCell(value, help.c_str());
    if (colour) ImGui::PopStyleColor();
  };
  row("log Z", ui::number(s.logZ, "%.6g"),
      "The log normaliser ln ∫ p̃(z) dz of the target, by quadrature on a fine grid chosen from the "
      "target (recomputed only when the target changes). Every ELBO lies below it.");
  const bool monteCarlo = s.qGridMass < kGridMassForQuadrature;
  row(monteCarlo ? "ELBO (Monte Carlo)" : "ELBO", ui::number(s.elbo, "%.6g"),
      monteCarlo ? kMonteCarloHelp
                 : "E_q[ln p̃(z) − ln q(z)] of the current q, by quadrature: log Z − KL(q‖p).");
  row("objective (estimate)", ui::number(s.objectiveValue, "%.6g"),
      "This step's S-sample estimate of the objective the optimizer follows (the ELBO, the "
      "Rényi-α or IWAE bound, or the forward-KL surrogate): noisy, unlike the exact numbers.");
  row(monteCarlo ? "KL(q‖p) (Monte Carlo)" : "KL(q‖p)", ui::number(s.klQp, "%.4g"),
      monteCarlo ? kMonteCarloHelp
                 : "Reverse KL, E_q[ln q − ln p] by quadrature: the gap log Z − ELBO. Zero only "
                   "when q = p.");
  row("KL(p‖q)", ui::number(s.klPq, "%.4g"),
      "Forward KL, E_p[ln p − ln q] by quadrature: large when q misses mass of p.");
  const ImVec4 khatColour = readingColour(s.psisK);
  row("PSIS k", plainNumber(s.psisK) + " (" + khatReading(s.psisK) + ")",
      std::string(kKhatHelp) + "\n\nNow: " + khatExplanation(s.psisK), &khatColour);
  const std::array<std::string, 2> names = axisNames(s);
  const std::string perAxis = "per axis (" + names[0] + " / " + names[1] + ")";
  row("variance ratio",
      ui::number(s.varianceRatio[0], "%.3g") + " / " + ui::number(s.varianceRatio[1], "%.3g"),
      "q's marginal variance over the exact one, " + perAxis +
          "; 1 is right. Mean-field under reverse KL on ρ = 0.9: 1 − ρ² = 0.19.");
  if (!s.mcmcName.empty()) {
    row("MCMC", s.mcmcName + ", " + std::to_string(s.mcmcIterations) + " it.",
        "The chain run beside the optimizer on the same target: Hamiltonian Monte Carlo (leapfrog "
        "steps, step size adapted during warm-up) or random-walk Metropolis for contrast. Its "
        "samples fill p whatever q does.");
    row("acceptance", ui::number(s.mcmcAcceptance, "%.3f"),
        "The fraction of proposals accepted (after warm-up). HMC's adaptation aims near 0.65–0.8; "
        "random-walk Metropolis near 0.23 in many dimensions, higher in two.");
    row("ESS", ui::number(s.mcmcEss[0], "%.0f") + " / " + ui::number(s.mcmcEss[1], "%.0f"),
        "Effective sample size " + perAxis +
            ": the number of independent draws the correlated chain is worth for each mean "
            "(Geyer's initial positive sequence).");
    row("step size", ui::number(s.mcmcStepSize, "%.3g"),
        "HMC's leapfrog step size, or the random walk's proposal sd, as adapted.");
  } else {
    row("MCMC", "off", "Turn the chain on with the mcmc field (hmc or rwm).");
  }
  row("quadrature", ui::number(s.referenceMs, "%.1f") + " ms",
      "The time the worker took for the last reference (log Z, p on the grid, the marginals), "
      "which it computes only when the target changes.");
  ImGui::EndTable();
}

nlohmann::ordered_json TargetsLab::params(const Snapshot& snapshot) const {
  const auto& s = dynamic_cast<const TargetsSnapshot&>(snapshot);
  nlohmann::ordered_json out;
  out["target"] = targetToken(s.target);
  out["family"] = familyToken(s.family);
  nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
  for (double v : s.parameters) parameters.push_back(number(v));
  out["parameters"] = std::move(parameters);
  out["parameter_layout"] = s.parameterLayout;
  out["q"] = gaussianJson(s.qMoments);
  out["q_closed_form"] = s.qClosedForm;
  out["exact"] = gaussianJson(s.exactMoments);
  out["log_z"] = number(s.logZ);
  out["elbo"] = number(s.elbo);
  out["kl_qp"] = number(s.klQp);
  out["kl_pq"] = number(s.klPq);
  out["psis_k"] = number(s.psisK);
  out["variance_ratio"] = {number(s.varianceRatio[0]), number(s.varianceRatio[1])};
  nlohmann::ordered_json mcmc;
  mcmc["kind"] = s.mcmcName.empty() ? "off" : s.mcmcName == "HMC" ? "hmc" : "rwm";
  mcmc["acceptance"] = number(s.mcmcAcceptance);
  mcmc["step_size"] = number(s.mcmcStepSize);
  mcmc["ess"] = {number(s.mcmcEss[0]), number(s.mcmcEss[1])};
  const nlohmann::ordered_json moments = gaussianJson(s.mcmcMoments);
  mcmc["mean"] = s.mcmcIterations > 0 ? moments["mean"] : nlohmann::ordered_json();
  mcmc["cov"] = s.mcmcIterations > 0 ? moments["cov"] : nlohmann::ordered_json();
  mcmc["iterations"] = s.mcmcIterations;
  out["mcmc"] = std::move(mcmc);
  return out;
}

std::string TargetsLab::summaryExtras(const Snapshot& snapshot, double) const {
  const auto& s = dynamic_cast<const TargetsSnapshot&>(snapshot);
  std::string t = " log_z=" + formatReal(s.logZ) + " kl_qp=" + formatReal(s.klQp) +
                  " kl_pq=" + formatReal(s.klPq) + " psis_k=" + formatReal(s.psisK);
  if (!s.mcmcName.empty()) t += " mcmc_acceptance=" + formatReal(s.mcmcAcceptance);
  return t;
}

}  // namespace vilab
