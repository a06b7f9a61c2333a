#include "app/labs/gmm_lab.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <span>
#include <string>

#include "app/labs/mass_levels.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "app/ui/widgets.hpp"
#include "core/models/gmm.hpp"

namespace vilab {
namespace {

using Algorithm = GmmSnapshot::Algorithm;
using plot::LineStyle;
using plot::Point;
using ui::kApprox;
using ui::kExact;

constexpr plot::Color kBbvi = ui::kGood;  // BBVI's curve (CAVI blue, EM vermillion)
constexpr double kActive = 0.01;          // a component with a weight below this is "dead"

const char* algorithmName(Algorithm a) {
  return a == Algorithm::Cavi ? "CAVI" : a == Algorithm::Em ? "EM" : "BBVI";
}

// What each algorithm maximises, and why the curves sit where they do: the teaching text.
const char* kCaviText =
    "CAVI (coordinate ascent VI) on the Bayesian mixture: Dirichlet(α₀) weights, Normal-Wishart "
    "components. It maximises the ELBO = E_q[log p(X, Z, π, μ, Λ)] − E_q[log q], one factor at a "
    "time, so the curve never falls. The ELBO is a lower bound: ELBO = log p(X) − KL(q ‖ "
    "posterior) "
    "≤ log p(X), the evidence of the whole model with every parameter integrated out.";
const char* kEmText =
    "EM maximises the likelihood log p(X | θ) over a single point θ = (π, μ, Σ). Its curve is the "
    "log-likelihood at that point: it pays nothing for uncertainty about θ, and it can shrink a "
    "component onto a few points (held back only by reg_covar) to raise the density there. So it "
    "sits above any ELBO, which must average over the parameters and pay KL(q ‖ prior) for them; "
    "the two numbers measure different things and EM being higher is not a better fit.";
const char* kBbviText =
    "BBVI (black-box VI) on the lecture's 1-D mixture: equal weights, a normal prior on each mean, "
    "a log-normal prior on each variance, assignments summed out. q is a Gaussian over each mean "
    "and each log-variance. Adam follows a Monte Carlo gradient of the ELBO; the curve is noisy "
    "because each value is an estimate from the step's own S samples of q (the noise falls as "
    "1/√S). Its ELBO bounds the evidence of a different model than CAVI's, so the two are not "
    "ranked against each other.";

// "comp 2: 0.93,  comp 1: 0.07" for the largest responsibilities (or densities) of one point.
std::string largestShares(const std::vector<double>& share, std::size_t shown = 5) {
  std::vector<int> order(share.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return share[a] > share[b]; });
  std::string t;
  for (std::size_t i = 0; i < std::min(shown, order.size()); ++i) {
    if (i > 0 && share[order[i]] < 5e-4) break;
    t += "  component " + std::to_string(order[i] + 1) + ": " +
         ui::number(share[order[i]], "%.3f") + "\n";
  }
  return t;
}

bool hasTrace(const TraceView& t) {
  return !t.empty() || !t.lastRow().empty();
}

std::span<const double> column(const Eigen::MatrixXd& m, Eigen::Index j) {
  return {m.col(j).data(), static_cast<std::size_t>(m.rows())};
}

float pointRadius(std::size_t n) {
  return n > 5000 ? 1.3f : n > 1500 ? 1.9f : n > 300 ? 2.6f : 3.4f;
}

std::string fitName(const GmmSnapshot& s) {
  return s.algorithm == Algorithm::Em     ? "EM plug-in p(x | θ)"
         : s.algorithm == Algorithm::Cavi ? "CAVI predictive p(x* | X)"
                                          : "BBVI predictive under q";
}

// "PC 1 (73% of variance)" -> "PC 1"; "x₃" stays.
std::string shortAxis(const std::string& label) {
  return label.substr(0, label.find(" ("));
}

}  // namespace

plot::Color GmmLab::componentColour(int k) {
  // Ten distinct colours: Okabe and Ito's six that are neither the fit's blue nor the truth's
  // black, then the first four of them darkened; every component is also numbered in the views.
  namespace oi = ui::okabe_ito;
  static const plot::Color kColours[10] = {
      oi::kOrange, oi::kSkyBlue, oi::kBluishGreen, oi::kReddishPurple, oi::kVermillion, oi::kYellow,
      plot::mix(oi::kOrange, plot::rgba(0, 0, 0), 0.5f), plot::mix(oi::kSkyBlue, plot::rgba(0, 0, 0), 0.5f),
      plot::mix(oi::kBluishGreen, plot::rgba(0, 0, 0), 0.5f),
      plot::mix(oi::kReddishPurple, plot::rgba(0, 0, 0), 0.5f)};
  // K up to 20: components 11 to 20 take the same colours lightened, so no two share one.
  const plot::Color base = kColours[((k % 10) + 10) % 10];
  return (k / 10) % 2 == 1 ? plot::mix(base, plot::rgba(255, 255, 255), 0.45f) : base;
}

void GmmLab::updateColours(const GmmSnapshot& s) {
  if (s.responsibilities == m_colourSource && s.data == m_colourData) return;
  m_colourSource = s.responsibilities;
  m_colourData = s.data;
  const std::size_t n = s.data ? static_cast<std::size_t>(s.data->rows()) : 0;
  const std::vector<float>* r = s.responsibilities.get();
  const int k = s.k;
  m_colours.assign(n, plot::withAlpha(ui::kData, 0.8f));
  if (r && k > 0 && r->size() == n * static_cast<std::size_t>(k)) {
    std::vector<std::array<float, 3>> rgb(k);
    for (int c = 0; c < k; ++c) {
      const plot::Color col = componentColour(c);
      rgb[c] = {float(col & 0xff), float((col >> 8) & 0xff), float((col >> 16) & 0xff)};
    }
    for (std::size_t i = 0; i < n; ++i) {
      float red = 0, green = 0, blue = 0, sum = 0;
      for (int c = 0; c < k; ++c) {
        const float w = (*r)[c * n + i];
        if (!(w > 0.0f)) continue;
        red += w * rgb[c][0], green += w * rgb[c][1], blue += w * rgb[c][2], sum += w;
      }
      if (!(sum > 0.0f)) continue;
      const auto channel = [&](float v) {
        return std::clamp(static_cast<int>(v / sum + 0.5f), 0, 255);
      };
      m_colours[i] = plot::rgba(channel(red), channel(green), channel(blue), 215);
    }
  }
  if (m_rugY.size() != n) {
    m_rugY.resize(n);
    // A fixed pseudo-random offset (golden-ratio sequence) spreads the 1-D rug.
    for (std::size_t i = 0; i < n; ++i)
      m_rugY[i] = std::fmod(0.5 + 0.6180339887498949 * double(i), 1.0);
  }
}

void GmmLab::updateHeatmap(const GmmSnapshot& s) {
  const void* source = s.fittedDensity.data();
  if (source == m_heatmapSource && !m_heatmapPixels.empty()) return;
  m_heatmapSource = source;
  const std::size_t nx = s.grid->x.size(), ny = s.grid->y.size();
  m_heatmapPixels.assign(nx * ny, plot::rgba(255, 255, 255));
  if (s.fittedDensity.size() != nx * ny) return;
  double peak = 0.0;
  for (double v : s.fittedDensity)
    if (std::isfinite(v)) peak = std::max(peak, v);
  if (!(peak > 0.0)) return;
  // White to a pale blue: the fit's colour, light enough that contours and ellipses read on it.
  // The square root shows the tails of the smaller components too.
  const plot::Color full = plot::mix(plot::rgba(255, 255, 255), kApprox, 0.75f);
  for (std::size_t i = 0; i < ny; ++i)
    for (std::size_t j = 0; j < nx; ++j) {
      const double v = s.fittedDensity[i * nx + j];
      const float t =
          std::isfinite(v) ? static_cast<float>(std::sqrt(std::clamp(v / peak, 0.0, 1.0))) : 0.0f;
      m_heatmapPixels[(ny - 1 - i) * nx + j] =
          plot::mix(plot::rgba(255, 255, 255), full, t);  // row 0 at the top
    }
}

void GmmLab::editMessage(const std::string& message) {
  m_message = message;
  m_messageUntil = ImGui::GetTime() + 4.0;
}

void GmmLab::drawData2d(const GmmSnapshot& s, LabContext& context, ImVec2 size) {
  const GmmGrid& grid = *s.grid;
  // D > 2: the points and components projected on the plane (marginals), said in the title.
  const std::string title =
      std::string(s.dim > 2
                      // (The axes name the plane: column names can be long.)
                      ? "Data in a plane of D = " + std::to_string(s.dim) +
                            ", marginal components (1σ, 2σ)"
                      : "Data coloured by responsibility, fitted components (1σ, 2σ)") +
      "###gmm data";
  // No equal aspect: the coordinates may be in different units (a population next to a rate),
  // and the axes then span the grid exactly, so the density's shade fills the whole plot.
  if (!plot::begin(title.c_str(), size, plot::kNoInput)) return;
  plot::setupAxes(s.planeX.c_str(), s.planeY.c_str());
  if (!grid.x.empty()) plot::setupFitX(grid.x.front(), grid.x.back());
  if (!grid.y.empty()) plot::setupFitY(grid.y.front(), grid.y.back());
  const Eigen::MatrixXd& data = *s.plane;
  const auto xs = column(data, 0), ys = column(data, 1);
  // No legend entry: the title says what the colours are (a swatch would show one point's blend).
  plot::scatter("##data", xs, ys, m_colours, pointRadius(xs.size()));

  const auto ellipses = [](const char* label, const GmmMixtureView::Ellipse& e, LineStyle style) {
    // x = c + n (sdx cos t, sdy (rho cos t + sqrt(1 - rho^2) sin t)): the n-sigma ellipse through
    // the Cholesky factor of the marginal covariance, exact in any units (an eigen decomposition
    // in data units loses the short axis when the axes' units differ by orders of magnitude).
    const double across = std::sqrt(std::max(0.0, 1.0 - e.rho * e.rho));
    for (double n : {1.0, 2.0}) {
      constexpr int kPoints = 72;
      std::array<Point, kPoints + 1> points;
      for (int i = 0; i <= kPoints; ++i) {
        const double t = 2.0 * std::numbers::pi * (i % kPoints) / kPoints;
        const double u = std::cos(t), v = std::sin(t);
        points[i] = {e.cx + n * e.sdx * u, e.cy + n * e.sdy * (e.rho * u + across * v)};
      }
      plot::line(label, points, style);
      style.thickness *= 0.7f;
    }
  };
  for (const auto& e : s.truth.ellipses) ellipses("true components", e, ui::truthLine(1.7f));
  const auto& f = s.fitted;
  // Dead components (weight < 1%) faint; the live ones after them, on top, and first in the
  // legend (its swatch is the first item's colour).
  for (bool live : {true, false})
    for (int k = 0; k < static_cast<int>(f.ellipses.size()); ++k) {
      const bool alive = k < static_cast<int>(f.weights.size()) && f.weights[k] >= kActive;
      if (alive != live) continue;
      ellipses("fitted components", f.ellipses[k],
               {alive ? componentColour(k) : plot::withAlpha(componentColour(k), 0.3f),
                alive ? 2.6f : 1.2f});
    }
  for (int k = 0; k < static_cast<int>(f.ellipses.size()); ++k) {
    const bool alive = f.weights[k] >= kActive;
    if (!alive) continue;
    plot::labelAt(plot::toPixels({f.ellipses[k].cx, f.ellipses[k].cy}), std::to_string(k + 1),
                  componentColour(k), true);
  }

  const int near = plot::nearestPoint(xs, ys);
  const std::size_t n = xs.size();
  if (near >= 0) {
    std::vector<double> share(s.k, 0.0);
    if (s.responsibilities && s.responsibilities->size() == n * static_cast<std::size_t>(s.k))
      for (int c = 0; c < s.k; ++c) share[c] = (*s.responsibilities)[c * n + near];
    ui::textTooltip("Point " + std::to_string(near + 1) + " of " + std::to_string(n) + ": (" +
                    ui::number(xs[near]) + ", " + ui::number(ys[near]) + ")" +
                    (s.dim > 2 ? " in this plane" : "") + "\nResponsibilities rₙₖ (" +
                    algorithmName(s.algorithm) + "), its colour:\n" + largestShares(share) +
                    "Right-click removes the nearest point.");
    plot::drawList()->AddCircle(plot::toPixels({xs[near], ys[near]}), 0.45f * ImGui::GetFontSize(),
                                plot::onScreen(ui::kPoint), 20, 2.0f);
  }
  if (plot::isHovered()) {
    const Point at = plot::mousePosition();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && s.dim > 2) {
      editMessage("points can be added only for D ≤ 2: this is a plane of D = " +
                  std::to_string(s.dim));
    } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      std::weak_ptr<EditFeedback> feedback = m_feedback;
      context.runner.post([at, feedback](Model& m) {
        const Status st = static_cast<GmmModel&>(m).addPoint(at.x, at.y);
        if (auto fb = feedback.lock(); fb && !st) {
          std::lock_guard lock(fb->mutex);
          fb->message = st.message();
        }
      });
    } else if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
      if (n <= 1) {
        editMessage("cannot remove the last data point");
      } else {
        std::weak_ptr<EditFeedback> feedback = m_feedback;
        context.runner.post([at, feedback](Model& m) {
          const Status st = static_cast<GmmModel&>(m).removeNearestPoint(at.x, at.y);
          if (auto fb = feedback.lock(); fb && !st) {
            std::lock_guard lock(fb->mutex);
            fb->message = st.message();
          }
        });
      }
    }
    if (near < 0)
      plot::note(s.dim > 2 ? "right-click: remove the nearest point"
                           : "click: add a point · right-click: remove the nearest",
                 plot::Legend::SouthEast);
  }
  if (!m_message.empty() && ImGui::GetTime() < m_messageUntil)
    plot::note(("⚠ " + m_message).c_str(), plot::Legend::NorthWest);
  plot::end();
}

void GmmLab::drawDensity2d(const GmmSnapshot& s, LabContext& context, ImVec2 size) {
  const GmmGrid& grid = *s.grid;
  const std::string title = (s.algorithm == Algorithm::Em ? "Plug-in density p(x | θ)"
                                                          : "Posterior predictive p(x* | X)") +
                            std::string(s.truth.k > 0 ? " vs the true density" : "") +
                            "###gmm density";
  if (!plot::begin(title.c_str(), size)) return;  // the data view's axes (see drawData2d)
  plot::setupAxes(s.planeX.c_str(), s.planeY.c_str());
  if (grid.x.size() < 2 || grid.y.size() < 2) {
    plot::end();
    return;
  }
  plot::setupFitX(grid.x.front(), grid.x.back());
  plot::setupFitY(grid.y.front(), grid.y.back());
  const double dx = 0.5 * (grid.x[1] - grid.x[0]), dy = 0.5 * (grid.y[1] - grid.y[0]);
  if (m_heatmap) {
    updateHeatmap(s);
    const ImTextureID texture =
        context.textures.update("gmm fitted density", static_cast<int>(grid.x.size()),
                                static_cast<int>(grid.y.size()), m_heatmapPixels);
    plot::image("##fitted density (shade)", texture, grid.x.front() - dx, grid.x.back() + dx,
                grid.y.front() - dy, grid.y.back() + dy);
  }
  // The regions holding 50%, 90% and 99% of the probability on the grid, for both densities.
  const auto masses = {0.5, 0.9, 0.99};
  plot::contour("fitted: 50/90/99% regions", s.fittedDensity, grid.x, grid.y,
                massLevels(s.fittedDensity, masses), ui::approxLine(2.0f));
  if (!grid.trueDensity.empty())
    plot::contour("true: 50/90/99% regions", grid.trueDensity, grid.x, grid.y,
                  massLevels(grid.trueDensity, masses), ui::truthLine(1.6f));
  if (plot::isHovered()) {
    const Point m = plot::mousePosition();
    const auto index = [](const std::vector<double>& v, double x) {
      const double step = (v.back() - v.front()) / (v.size() - 1);
      return std::clamp(static_cast<long>(std::lround((x - v.front()) / step)), 0L,
                        static_cast<long>(v.size()) - 1);
    };
    const std::size_t i = index(grid.y, m.y), j = index(grid.x, m.x), at = i * grid.x.size() + j;
    std::string t =
        std::string(s.dim > 2 ? "The marginal in this plane of the " + std::to_string(s.dim) +
                                    "-D density (each component's projected mean and "
                                    "covariance; a Student-t stays a Student-t).\n"
                              : "") +
        (s.algorithm == Algorithm::Em
             ? "EM's plug-in density: the mixture at the single point θ, Σₖ πₖ N(x | μₖ, Σₖ)."
             : "CAVI's posterior predictive: p(x* | X) = ∫ p(x* | θ) q(θ) dθ, a mixture of "
               "Student-t "
               "densities (Bishop PRML 10.81), wider than any single fit because it averages over "
               "the uncertain parameters.");
    t += "\nContours enclose 50%, 90% and 99% of the probability on this grid (dashed blue: the fit";
    t += grid.trueDensity.empty() ? ")." : "; dotted: the density that generated the data).";
    t += "\n\nat (" + ui::number(m.x, "%.3g") + ", " + ui::number(m.y, "%.3g") + "):  fitted " +
         ui::number(at < s.fittedDensity.size() ? s.fittedDensity[at] : NAN);
    if (!grid.trueDensity.empty()) t += "   true " + ui::number(grid.trueDensity[at]);
    ui::textTooltip(t);
  }
  plot::end();
}

void GmmLab::drawData1d(const GmmSnapshot& s, ImVec2 size) {
  const GmmGrid& grid = *s.grid;
  const std::string title = "Data, the true density and the fit: " + fitName(s) + "###gmm data1";
  if (!plot::begin(title.c_str(), size)) return;
  plot::setupAxes(s.axis1d.c_str(), "density");
  if (grid.curveX.size() < 2 || grid.histEdges.size() < 2) {
    plot::end();
    return;
  }
  plot::setupFitX(grid.curveX.front(), grid.curveX.back());
  const std::size_t bins = grid.histDensity.size(), m = grid.curveX.size();
  std::vector<double> centres(bins);
  for (std::size_t b = 0; b < bins; ++b)
    centres[b] = 0.5 * (grid.histEdges[b] + grid.histEdges[b + 1]);
  const double width = grid.histEdges[1] - grid.histEdges[0];
  plot::bars("data (histogram)", centres, grid.histDensity, width * 0.94,
             plot::withAlpha(ui::kData, 0.5f));

  // The rug under the axis: every point (up to 5000), coloured by its responsibilities.
  double peak = 0.0;
  for (const auto* v : {&grid.histDensity, &grid.trueCurve, &s.fittedCurve})
    for (double x : *v)
      if (std::isfinite(x)) peak = std::max(peak, x);
  if (!(peak > 0.0)) peak = 1.0;
  const Eigen::MatrixXd& data = *s.data;
  const std::size_t n = static_cast<std::size_t>(data.rows()),
                    stride = std::max<std::size_t>(1, n / 5000);
  std::vector<double> rx, ry;
  std::vector<plot::Color> rc;
  for (std::size_t i = 0; i < n; i += stride) {
    rx.push_back(data(i, 0));
    ry.push_back(-peak * (0.025 + 0.06 * (i < m_rugY.size() ? m_rugY[i] : 0.5)));
    rc.push_back(i < m_colours.size() ? m_colours[i] : ui::kData);
  }
  plot::scatter("##points", rx, ry, rc, pointRadius(n) * 0.8f);

  if (!grid.trueCurve.empty())
    plot::line("true density", grid.curveX, grid.trueCurve, ui::truthLine(2.0f));
  const int k = s.k;
  if (s.fittedComponentCurves.size() == static_cast<std::size_t>(k) * m) {
    for (int c = 0; c < k; ++c) {
      const std::span<const double> curve(s.fittedComponentCurves.data() + c * m, m);
      const bool alive =
          c < static_cast<int>(s.fitted.weights.size()) && s.fitted.weights[c] >= kActive;
      plot::line("components πₖ pₖ(x)", grid.curveX, curve,
                 {alive ? componentColour(c) : plot::withAlpha(componentColour(c), 0.35f),
                  alive ? 1.8f : 1.0f});
    }
  }
  plot::line(fitName(s).c_str(), grid.curveX, s.fittedCurve, ui::approxLine(2.8f));
  // Each live component's number over its peak.
  if (s.fittedComponentCurves.size() == static_cast<std::size_t>(k) * m) {
    for (int c = 0; c < k; ++c) {
      if (c >= static_cast<int>(s.fitted.weights.size()) || s.fitted.weights[c] < kActive) continue;
      const double* curve = s.fittedComponentCurves.data() + c * m;
      const std::size_t top = std::max_element(curve, curve + m) - curve;
      ImVec2 p = plot::toPixels({grid.curveX[top], curve[top]});
      p.y -= 0.7f * ImGui::GetFontSize();
      plot::labelAt(p, std::to_string(c + 1), componentColour(c), true);
    }
  }

  if (plot::isHovered()) {
    const double x = plot::mousePosition().x;
    const double step = (grid.curveX.back() - grid.curveX.front()) / (m - 1);
    const std::size_t j = static_cast<std::size_t>(
        std::clamp(std::lround((x - grid.curveX.front()) / step), 0L, static_cast<long>(m) - 1));
    std::string t =
        "Grey: the data's histogram; under the axis each point, coloured by its responsibilities. "
        "Blue: ";
    t +=
        s.algorithm == Algorithm::Em
            ? "EM's plug-in density Σₖ πₖ N(x | μₖ, σₖ²) at its single estimate θ."
        : s.algorithm == Algorithm::Cavi
            ? "CAVI's posterior predictive p(x* | X) = ∫ p(x* | θ) q(θ) dθ, a mixture of Student-t "
              "densities "
              "(Bishop PRML 10.81): wider than a plug-in fit, it averages over the parameters."
            : "BBVI's predictive ∫ p(x* | θ) q(θ) dθ with equal weights 1/K (μ integrated exactly, "
              "ln σ² by quadrature).";
    t += " Coloured: each component's share πₖ pₖ(x); they sum to the blue curve.";
    if (!grid.trueCurve.empty()) t += " Dashed: the density that generated the data.";
    t += "\n\nat x = " + ui::number(grid.curveX[j], "%.4g") + ":  fitted " +
         ui::number(s.fittedCurve.size() == m ? s.fittedCurve[j] : NAN);
    if (!grid.trueCurve.empty()) t += "   true " + ui::number(grid.trueCurve[j]);
    if (s.fittedComponentCurves.size() == static_cast<std::size_t>(k) * m &&
        s.fittedCurve[j] > 0.0) {
      std::vector<double> share(k);
      for (int c = 0; c < k; ++c) share[c] = s.fittedComponentCurves[c * m + j] / s.fittedCurve[j];
      t += "\nresponsibility of each component for a point here:\n" + largestShares(share);
    }
    ui::textTooltip(t);
  }
  plot::end();
}

void GmmLab::drawWeights(const GmmSnapshot& s, ImVec2 size) {
  const auto& w = s.fitted.weights;
  const int k = static_cast<int>(w.size());
  std::string title;
  if (s.algorithm == Algorithm::Bbvi)
    title = "Weights: fixed at 1/K = " + ui::number(1.0 / std::max(k, 1), "%.3g") + " in BBVI";
  else
    title = std::string(s.algorithm == Algorithm::Cavi ? "Weights E[πₖ]: " : "Weights πₖ (EM): ") +
            std::to_string(s.activeComponents) + " of " + std::to_string(k) + " above 1%";
  if (s.truth.k > 0) title += " · true K = " + std::to_string(s.truth.k);
  title += "###gmm weights";
  if (!plot::begin(title.c_str(), size)) return;
  plot::setupAxes("component", "weight");
  // Fitted components at 1..K in their colours; the true weights, largest first, after a gap.
  std::vector<double> at;
  std::vector<std::string> names;
  std::vector<double> trueWeights = s.truth.weights;
  std::sort(trueWeights.begin(), trueWeights.end(), std::greater<>());
  const double trueStart = k + 1.5;
  // With many bars (K up to 20 beside up to 10 true ones) every label would not fit under its
  // bar: label every 2nd, 5th or 10th (and the first fitted one), so the labels never overlap.
  const double units = trueStart + trueWeights.size();
  const double perBar = 0.8 * size.x / std::max(units, 1.0);
  const double label = ImGui::CalcTextSize("t10").x + 0.4 * ImGui::GetFontSize();
  const int every = perBar >= label ? 1 : 2 * perBar >= label ? 2 : 5 * perBar >= label ? 5 : 10;
  const auto shown = [&](int i) { return i == 1 || i % every == 0; };
  for (int c = 0; c < k; ++c)
    if (shown(c + 1)) at.push_back(c + 1), names.push_back(std::to_string(c + 1));
  for (std::size_t j = 0; j < trueWeights.size(); ++j)
    if ((static_cast<int>(j) + 1) % every == 0)  // t1 only if all: it would touch K's label
      at.push_back(trueStart + j), names.push_back("t" + std::to_string(j + 1));
  plot::setupXTicks(at, names);
  double top = 0.0;
  for (double v : w) top = std::max(top, std::isfinite(v) ? v : 0.0);
  for (double v : trueWeights) top = std::max(top, v);
  plot::setupFitX(0.4, (trueWeights.empty() ? k + 0.6 : trueStart + trueWeights.size() - 0.4));
  plot::setupFitY(0.0, std::max(top, 0.05) * 1.22);
  for (int c = 0; c < k; ++c) {
    const double x = c + 1, h = w[c];
    plot::bars("fitted", std::span<const double>(&x, 1), std::span<const double>(&h, 1), 0.7,
               componentColour(c));
  }
  if (!trueWeights.empty()) {
    std::vector<double> xs(trueWeights.size());
    for (std::size_t j = 0; j < xs.size(); ++j) xs[j] = trueStart + j;
    plot::bars("true (largest first)", xs, trueWeights, 0.7, plot::withAlpha(ui::kTruth, 0.45f));
  }
  if (s.algorithm != Algorithm::Bbvi) plot::hline("1%", kActive, {ui::kWarning, 1.2f, true});
  // The value over each fitted bar, where the bars are wide enough to carry it.
  const double barPixels = 0.7 * plot::pixelsPerUnitX();
  for (int c = 0; c < k; ++c) {
    const std::string v = w[c] < 0.001 ? "<.001" : ui::number(w[c], "%.2f");
    if (ImGui::CalcTextSize(v.c_str()).x > barPixels * 1.35) continue;  // e.g. "<.001"
    plot::text({c + 1.0, std::isfinite(w[c]) ? w[c] : 0.0}, v.c_str(), ui::kTruth, {0.5f, 1.1f});
  }
  if (plot::isHovered()) {
    const int c = static_cast<int>(std::lround(plot::mousePosition().x)) - 1;
    std::string t;
    if (c >= 0 && c < k) {
      t = "Component " + std::to_string(c + 1) + ": weight " + ui::number(w[c], "%.5g");
      if (s.algorithm == Algorithm::Cavi && c < static_cast<int>(s.alpha.size())) {
        const double sum = std::accumulate(s.alpha.begin(), s.alpha.end(), 0.0);
        t += "\n  q(π) = Dirichlet(α):  αₖ = α₀ + Nₖ = " + ui::number(s.alpha[c], "%.5g") +
             ",  Σα = " + ui::number(sum, "%.5g") +
             "\n  E[πₖ] = αₖ / Σα;  Nₖ = αₖ − α₀ = " + ui::number(s.alpha[c] - s.alpha0, "%.4g") +
             " points' worth of responsibility";
      }
      t += "\n\n";
    }
    if (s.algorithm == Algorithm::Cavi)
      t += "CAVI: E[πₖ] under q(π) = Dirichlet(α₀ + Nₖ). With a small α₀ (now " +
           ui::number(s.alpha0, "%.3g") +
           ") the prior favours few components: a component that explains little gets αₖ ≈ α₀, its "
           "E[ln πₖ] = "
           "ψ(αₖ) − ψ(Σα) falls far below the others', so it receives still less responsibility "
           "and dies. Its "
           "bar falls to nearly zero; a large α₀ keeps all K alive with similar weights.";
    else if (s.algorithm == Algorithm::Em)
      t += "EM: πₖ = Nₖ / N, the share of responsibility; no prior, so no component is switched "
           "off. Surplus "
           "components split clusters or shrink onto a few points instead.";
    else
      t += "BBVI: the lecture's model has equal weights 1/K; only the means and variances are "
           "inferred.";
    if (!trueWeights.empty())
      t += "\nGrey: the true weights, largest first (t1, t2, ...): the fitted numbering is "
           "arbitrary.";
    ui::textTooltip(t);
  }
  plot::end();
}

void GmmLab::drawCurves(const GmmSnapshot& s, ImVec2 size) {
  if (!plot::begin("ELBO (CAVI, BBVI) and log-likelihood (EM)###gmm curves", size)) return;
  plot::setupAxes("iteration (each algorithm its own)", "nats",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear);
  struct Curve {
    const char* label;
    const TraceView* trace;
    const char* column;
    plot::Color colour;
    Algorithm algorithm;
    const GmmSnapshot::Progress* progress;
  };
  const Curve curves[] = {
      {"CAVI: ELBO", &s.caviTrace, "elbo", kApprox, Algorithm::Cavi, &s.cavi},
      {"EM: log p(X | θ)", &s.emTrace, "loglik", kExact, Algorithm::Em, &s.em},
      {"BBVI: ELBO (S-sample estimate)", &s.bbviTrace, "elbo", kBbvi, Algorithm::Bbvi, &s.bbvi},
  };
  // Autofit leaves out the first iterations far below where the curves are now.
  double lo = INFINITY, hi = -INFINITY;
  for (const Curve& c : curves) {
    const auto& last = c.trace->lastRow();
    const int col = c.trace->column(c.column);
    if (last.empty() || col < 0 || !std::isfinite(last[col])) continue;
    lo = std::min(lo, last[col]), hi = std::max(hi, last[col]);
  }
  if (std::isfinite(lo)) {
    plot::setupYFitFloor(lo - std::max({4.0 * (hi - lo), 0.05 * std::fabs(lo), 10.0}));
  }
  bool any = false;
  for (const Curve& c : curves) {
    if (!hasTrace(*c.trace)) continue;
    any = true;
    const TraceView& t = *c.trace;
    const bool current = c.algorithm == s.algorithm;
    const float thickness =
        c.algorithm == Algorithm::Bbvi ? (current ? 1.6f : 1.1f) : (current ? 2.8f : 1.6f);
    plot::traceLine(c.label, t, t.column("iteration"), t.column(c.column),
                    {current ? c.colour : plot::withAlpha(c.colour, 0.6f), thickness});
  }
  if (!any) {
    plot::note(
        "No iterations yet: Play or Step. Each algorithm keeps its own curve when you switch.");
  } else {
    std::string now;
    for (const Curve& c : curves) {
      if (c.progress->iterations == 0) continue;
      const double v = c.algorithm == Algorithm::Em ? c.progress->loglik : c.progress->elbo;
      now += std::string(now.empty() ? "" : "\n") + c.label + " = " + ui::number(v, "%.8g") +
             "  (" + std::to_string(c.progress->iterations) + " it.)";
    }
    if (!now.empty()) plot::note(now.c_str(), plot::Legend::SouthEast);
  }
  if (plot::isHovered()) {
    std::string t =
        "Three algorithms, three objectives, each curve against its own iteration count (switching "
        "algorithm keeps the others' curves).\n\nBlue — ";
    t += kCaviText;
    t += "\n\nRed — ";
    t += kEmText;
    if (s.dim == 1) {
      t += "\n\nGreen — ";
      t += kBbviText;
    }
    ui::textTooltip(t);
  }
  plot::end();
}

void GmmLab::drawViews(const Snapshot& snapshot, LabContext& context) {
  const auto& s = dynamic_cast<const GmmSnapshot&>(snapshot);
  if (!s.data || !s.grid || s.data->rows() == 0) return;
  updateColours(s);
  {
    std::lock_guard lock(m_feedback->mutex);
    if (!m_feedback->message.empty()) editMessage(m_feedback->message), m_feedback->message.clear();
  }
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool plane = s.plane != nullptr;

  if (avail.y < 38.0f * font || avail.x < 60.0f * font) {
    // Large text on a small window (a projector): one view at a time, each big enough to read.
    if (ui::ViewTabs tabs("gmm views"); tabs.open()) {
      const auto tab = [&](const char* name, auto&& draw) { tabs.tab(name, draw); };
      if (plane) {
        tab("Data", [&](ImVec2 size) { drawData2d(s, context, size); });
        tab("Density", [&](ImVec2 size) { drawDensity2d(s, context, size); });
      } else {
        tab("Data and densities", [&](ImVec2 size) { drawData1d(s, size); });
      }
      tab("Weights", [&](ImVec2 size) { drawWeights(s, size); });
      tab("ELBO and log-likelihood", [&](ImVec2 size) { drawCurves(s, size); });
    }
    return;
  }
  const float topH = std::floor((avail.y - gap) * (plane ? 0.6f : 0.56f)),
              bottomH = avail.y - topH - gap;
  if (plane) {
    const float w1 = std::floor((avail.x - gap) * 0.5f);
    drawData2d(s, context, {w1, topH});
    ImGui::SameLine();
    drawDensity2d(s, context, {avail.x - gap - w1, topH});
  } else {
    drawData1d(s, {avail.x, topH});
  }
  const float w1 = std::floor((avail.x - gap) * 0.36f);
  drawWeights(s, {w1, bottomH});
  ImGui::SameLine();
  drawCurves(s, {avail.x - gap - w1, bottomH});
}

void GmmLab::drawControls(const Snapshot& snapshot, LabContext&) {
  const auto& s = dynamic_cast<const GmmSnapshot&>(snapshot);
  ImGui::Checkbox("log iteration axis", &m_logIterations);
  ui::helpMarker(
      "Plot the curves against log(iteration): CAVI and EM converge in tens of iterations, BBVI "
      "takes "
      "thousands; on a log axis all three show.");
  if (s.plane) {
    ImGui::Checkbox("shade the fitted density", &m_heatmap);
    ui::helpMarker(
        "Density view: the fitted density as a blue shade under the contours (square-root scale, "
        "so "
        "the tails of small components show).");
  }
  for (const auto& note : s.notes) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Warning));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
  if (ImGui::BeginTable("algorithms", 4,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("");
    ImGui::TableSetupColumn(s.algorithm == Algorithm::Cavi ? "CAVI ●" : "CAVI");
    ImGui::TableSetupColumn(s.algorithm == Algorithm::Em ? "EM ●" : "EM");
    ImGui::TableSetupColumn(s.algorithm == Algorithm::Bbvi ? "BBVI ●" : "BBVI");
    ImGui::TableHeadersRow();
    const GmmSnapshot::Progress* p[3] = {&s.cavi, &s.em, &s.bbvi};
    ImGui::TableNextRow();
    ui::tableCell("iterations", "Each algorithm's own count; ● marks the one running.");
    for (auto* q : p) ui::tableCell(std::to_string(q->iterations), nullptr);
    ImGui::TableNextRow();
    ui::tableCell("ELBO",
         "CAVI: the full ELBO of the Bayesian mixture (Bishop 10.70–10.77, every constant), ≤ log "
         "p(X).\n"
         "EM: no ELBO of its own; its E-step bound equals the log-likelihood.\n"
         "BBVI: the S-sample Monte Carlo estimate of the last step.");
    ui::tableCell(ui::number(s.cavi.elbo, "%.6g"), kCaviText);
    ui::tableCell("= log-lik", kEmText);
    ui::tableCell(s.dim == 1 ? ui::number(s.bbvi.elbo, "%.6g") : "1-D only", kBbviText);
    ImGui::TableNextRow();
    ui::tableCell("log p(X | θ)",
         "The log-likelihood at a point estimate θ: for CAVI the posterior means (E[π], mₖ, "
         "(νₖ Wₖ)⁻¹), for BBVI q's means (equal weights), for EM its estimate. Above the ELBO: "
         "a single point pays nothing for uncertainty.");
    ui::tableCell(ui::number(s.cavi.loglik, "%.6g"), nullptr);
    ui::tableCell(ui::number(s.em.loglik, "%.6g"), kEmText);
    ui::tableCell(s.dim == 1 ? ui::number(s.bbvi.loglik, "%.6g") : "—", nullptr);
    ImGui::EndTable();
  }
  ImGui::Text("α₀ %s   β₀ %s   ν₀ %s", ui::number(s.alpha0, "%.3g").c_str(),
              ui::number(s.beta0, "%.3g").c_str(), ui::number(s.nu0, "%.3g").c_str());
  if (ImGui::IsItemHovered())
    ui::textTooltip(
        "CAVI's prior in use: Dirichlet(α₀) weights (α₀ = 0 in the settings means 1/K), μₖ ~ N(m₀, "
        "(β₀Λₖ)⁻¹) "
        "with m₀ the data mean, Λₖ ~ Wishart(W₀, ν₀) with W₀⁻¹ the data covariance (ν₀ = 0 means "
        "D): "
        "scikit-learn's defaults.");

  // One row per fitted component of the running algorithm, in its colour.
  const auto& f = s.fitted;
  const bool oneD = f.dim == 1;
  const char* extra = s.algorithm == Algorithm::Cavi   ? "αₖ"
                      : s.algorithm == Algorithm::Bbvi ? "sd q(μ)"
                                                       : nullptr;
  const int columns = extra ? 5 : 4;
  if (f.k > 0 &&
      ImGui::BeginTable("components", columns,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("k");
    ImGui::TableSetupColumn(s.algorithm == Algorithm::Cavi ? "E[π]" : "π");
    // D >= 2: the two coordinates of the view's plane (for PCA the scores on the axes).
    const std::string axes =
        oneD ? "" : " (" + shortAxis(s.planeX) + ", " + shortAxis(s.planeY) + ")";
    ImGui::TableSetupColumn(oneD ? "mean" : ("mean" + axes).c_str());
    ImGui::TableSetupColumn(oneD ? "sd" : ("sd" + axes).c_str());
    if (extra) ImGui::TableSetupColumn(extra);
    ImGui::TableHeadersRow();
    const int d = f.dim;
    for (int c = 0; c < f.k; ++c) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const plot::Color colour = componentColour(c);
      const bool alive = f.weights[c] >= kActive;
      ImGui::TextColored(
          ImGui::ColorConvertU32ToFloat4(alive ? colour : plot::withAlpha(colour, 0.45f)), "■ %d",
          c + 1);
      std::string help =
          "Component " + std::to_string(c + 1) + (alive ? "" : " (weight below 1%: dead)") + "\n";
      help += "  weight " + ui::number(f.weights[c], "%.6g") + "\n  mean (";
      for (int i = 0; i < d; ++i) help += (i ? ", " : "") + ui::number(f.means[c * d + i], "%.6g");
      help += ")\n  covariance [";
      for (int i = 0; i < d * d; ++i)
        help += (i ? (i % d == 0 ? "; " : ", ") : "") +
                ui::number(f.covariances[c * d * d + i], "%.5g");
      help += "]";
      if (s.algorithm == Algorithm::Cavi && c < static_cast<int>(s.alpha.size()))
        help += "\n  q: αₖ = " + ui::number(s.alpha[c], "%.5g") +
                ", βₖ = " + ui::number(s.beta[c], "%.5g") +
                ", νₖ = " + ui::number(s.nu[c], "%.5g") +
                "\n  (the covariance shown is (νₖ Wₖ)⁻¹, scikit-learn's convention)";
      if (s.algorithm == Algorithm::Bbvi && c < static_cast<int>(s.bbviMeanSd.size()))
        help += "\n  q(μₖ) = N(" + ui::number(f.means[c], "%.5g") + ", " +
                ui::number(s.bbviMeanSd[c], "%.3g") + "²)\n  q(ln σₖ²) = N(" +
                ui::number(s.bbviLogVarMean[c], "%.4g") + ", " +
                ui::number(s.bbviLogVarSd[c], "%.3g") + "²)\n  (the variance shown is E_q[σₖ²])";
      if (ImGui::IsItemHovered()) ui::textTooltip(help);
      ui::tableCell(ui::number(f.weights[c], "%.3f"), nullptr);
      if (oneD) {
        ui::tableCell(ui::number(f.means[c], "%.4g"), nullptr);
        ui::tableCell(ui::number(c < static_cast<int>(f.sds.size()) ? f.sds[c] : NAN, "%.3g"), nullptr);
      } else if (c < static_cast<int>(f.ellipses.size())) {
        const auto& e = f.ellipses[c];
        ui::tableCell(ui::number(e.cx, "%.3g") + ", " + ui::number(e.cy, "%.3g"), nullptr);
        ui::tableCell(ui::number(e.sdx, "%.3g") + ", " + ui::number(e.sdy, "%.3g"), nullptr);
      }
      if (s.algorithm == Algorithm::Cavi)
        ui::tableCell(ui::number(c < static_cast<int>(s.alpha.size()) ? s.alpha[c] : NAN, "%.4g"), nullptr);
      if (s.algorithm == Algorithm::Bbvi)
        ui::tableCell(ui::number(c < static_cast<int>(s.bbviMeanSd.size()) ? s.bbviMeanSd[c] : NAN, "%.3g"),
             nullptr);
    }
    ImGui::EndTable();
  }
}

nlohmann::ordered_json GmmLab::params(const Snapshot& snapshot) const {
  const auto& s = dynamic_cast<const GmmSnapshot&>(snapshot);
  const auto value = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  const auto& f = s.fitted;
  const int k = f.k, d = f.dim;
  nlohmann::ordered_json weights = nlohmann::ordered_json::array(),
                         means = nlohmann::ordered_json::array(),
                         covariances = nlohmann::ordered_json::array();
  for (int c = 0; c < k; ++c) {
    weights.push_back(value(f.weights[c]));
    nlohmann::ordered_json mean = nlohmann::ordered_json::array(),
                           cov = nlohmann::ordered_json::array();
    for (int i = 0; i < d; ++i) {
      mean.push_back(value(f.means[c * d + i]));
      nlohmann::ordered_json row = nlohmann::ordered_json::array();
      for (int j = 0; j < d; ++j) row.push_back(value(f.covariances[(c * d + i) * d + j]));
      cov.push_back(std::move(row));
    }
    means.push_back(std::move(mean));
    covariances.push_back(std::move(cov));
  }
  nlohmann::ordered_json out;
  out["weights"] = std::move(weights);
  out["means"] = std::move(means);
  out["covariances"] = std::move(covariances);
  return out;
}

std::string GmmLab::summaryExtras(const Snapshot& snapshot, double) const {
  const auto& s = dynamic_cast<const GmmSnapshot&>(snapshot);
  return " loglik=" + formatReal(s.loglik) + " active=" + std::to_string(s.activeComponents) +
         " k=" + std::to_string(s.k) + " n=" + std::to_string(s.data ? s.data->rows() : 0);
}

}  // namespace vilab
