#include "app/labs/logreg_lab.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "app/labs/mass_levels.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "app/ui/widgets.hpp"
#include "core/models/logreg/model.hpp"

namespace vilab {
namespace {

using Method = LogregSnapshot::Method;
using plot::LineStyle;
using plot::Point;
using ui::kApprox;
using ui::kExact;

// The four estimators' colours (as in the Gaussian lab: reparameterization blue, score orange,
// score with a baseline green), the optimal control variate reddish purple.
constexpr std::array<plot::Color, 4> kEstimatorColours = {kApprox, ui::kAccent, ui::kGood, ui::kPurple};
// The masses whose regions every Gaussian and the exact posterior show in weight space.
constexpr double kMasses[] = {0.5, 0.9};

const char* methodName(Method m) {
  return m == Method::Gradient ? "gradient VI" : m == Method::Jj ? "Jaakkola–Jordan" : "Laplace";
}

// "gradient VI (full-rank, score + LOO baseline, S = 16)", "Jaakkola–Jordan", "Laplace".
std::string qName(const LogregSnapshot& s) {
  if (s.method != Method::Gradient) return methodName(s.method);
  std::string t = std::string("gradient VI (") +
                  (s.family == LogregSnapshot::Family::MeanField ? "mean-field" : "full-rank") +
                  ", ";
  if (s.estimator == LogregSnapshot::Estimator::Reparam)
    t += "reparam";
  else
    t += s.baseline == LogregSnapshot::Baseline::None  ? "score"
         : s.baseline == LogregSnapshot::Baseline::Loo ? "score + LOO baseline"
                                                       : "score + optimal CV";
  return t + ", S = " + std::to_string(s.samples) + ")";
}

std::string inputLabel(const LogregSnapshot& s, int j) {
  return j >= 0 && j < static_cast<int>(s.inputNames.size()) ? s.inputNames[j] : inputName(j);
}

// The legend's name of a class: "y = 1" for generated data, "label 2 (y = 1)" for a file's.
std::string className(const LogregSnapshot& s, int label) {
  const std::string& name = s.classNames[label];
  const std::string y = "y = " + std::to_string(label);
  return name == std::to_string(label) ? y : "label " + name + " (" + y + ")";
}

// The 2 x 2 block of a Gaussian over theta on the weight view's two parameters.
struct Block {
  Point mean;
  double sxx, sxy, syy;
};
std::optional<Block> block(const LogregGaussian& g, int i, int j) {
  const Eigen::Index p = g.mean.size();
  if (!g.valid || i < 0 || j < 0 || i >= p || j >= p || g.cov.rows() != p || g.cov.cols() != p)
    return std::nullopt;
  return Block{{g.mean[i], g.mean[j]}, g.cov(i, i), g.cov(i, j), g.cov(j, j)};
}

// The part of the line a u + c v + d = 0 inside the box, or nothing when it misses the box.
std::optional<std::pair<Point, Point>> clipLine(const LogregLine& l, double x0, double x1,
                                                double y0, double y1) {
  std::vector<Point> hits;
  const double scale = std::max(std::fabs(l.a), std::fabs(l.c));
  if (!(scale > 0.0) || !std::isfinite(scale) || !std::isfinite(l.d)) return std::nullopt;
  const double a = l.a / scale, c = l.c / scale, d = l.d / scale;
  const double tolX = 1e-9 * (x1 - x0), tolY = 1e-9 * (y1 - y0);
  if (std::fabs(c) > 1e-12)
    for (double u : {x0, x1}) {
      const double v = -(a * u + d) / c;
      if (v >= y0 - tolY && v <= y1 + tolY) hits.push_back({u, v});
    }
  if (std::fabs(a) > 1e-12)
    for (double v : {y0, y1}) {
      const double u = -(c * v + d) / a;
      if (u >= x0 - tolX && u <= x1 + tolX) hits.push_back({u, v});
    }
  if (hits.size() < 2) return std::nullopt;
  // The two hits farthest apart (a corner can be hit twice).
  std::pair<Point, Point> best{hits[0], hits[1]};
  double far = -1.0;
  for (std::size_t i = 0; i < hits.size(); ++i)
    for (std::size_t j = i + 1; j < hits.size(); ++j) {
      const double dd = std::hypot(hits[i].x - hits[j].x, hits[i].y - hits[j].y);
      if (dd > far) far = dd, best = {hits[i], hits[j]};
    }
  if (!(far > 0.0)) return std::nullopt;
  return best;
}

// The grid's value nearest a point (NaN outside the grid or when it is empty).
double gridValue(const LogregGrid& g, Point at) {
  const std::size_t nx = g.x.size(), ny = g.y.size();
  if (nx < 2 || ny < 2 || g.values.size() != nx * ny) return NAN;
  const double hx = 0.5 * (g.x[1] - g.x[0]), hy = 0.5 * (g.y[1] - g.y[0]);
  if (at.x < g.x.front() - hx || at.x > g.x.back() + hx || at.y < g.y.front() - hy ||
      at.y > g.y.back() + hy)
    return NAN;
  const auto index = [](const std::vector<double>& v, double x) {
    const double step = (v.back() - v.front()) / static_cast<double>(v.size() - 1);
    return static_cast<std::size_t>(
        std::clamp(std::lround((x - v.front()) / step), 0L, static_cast<long>(v.size()) - 1));
  };
  return g.values[index(g.y, at.y) * nx + index(g.x, at.x)];
}

// A number in few characters: "7812", "0.0412", or "7.8e3" (digits significant), for labels in
// a narrow slot.
std::string shortScientific(double v, int digits) {
  if (!std::isfinite(v)) return "—";
  if (std::fabs(v) >= 1.0 && std::fabs(v) < 1e4) return ui::number(std::round(v), "%.0f");
  char mantissa[32];
  std::snprintf(mantissa, sizeof mantissa, "%.*e", std::max(digits - 1, 0), v);
  const std::string text(mantissa);
  const auto e = text.find('e');
  if (e == std::string::npos) return text;
  return text.substr(0, e) + "e" + std::to_string(std::stoi(text.substr(e + 1)));
}

// log p(y | X), or why there is none: HMC (P > 3) gives no evidence; quadrature may fail.
std::string evidenceText(const LogregSnapshot& s) {
  if (std::isfinite(s.logEvidence)) return ui::number(s.logEvidence, "%.6g");
  return s.exactByQuadrature ? "— (quadrature not finite)" : "— (HMC, P > 3)";
}

bool hasGrid(const LogregGrid& g) {
  return g.x.size() >= 2 && g.y.size() >= 2 && g.values.size() == g.x.size() * g.y.size();
}

bool hasTrace(const TraceView& t) {
  return !t.empty() || !t.lastRow().empty();
}

float pointRadius(std::size_t n) {
  return n > 5000 ? 1.5f : n > 1500 ? 2.0f : n > 300 ? 2.8f : 3.8f;
}

nlohmann::ordered_json number(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

nlohmann::ordered_json vectorJson(const Eigen::VectorXd& v) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) out.push_back(number(v[i]));
  return out;
}

nlohmann::ordered_json matrixJson(const Eigen::MatrixXd& m) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(number(m(i, j)));
    out.push_back(std::move(row));
  }
  return out;
}

nlohmann::ordered_json gaussianJson(const LogregGaussian& g) {
  if (!g.valid) return nlohmann::ordered_json();
  nlohmann::ordered_json out;
  out["mean"] = vectorJson(g.mean);
  out["cov"] = matrixJson(g.cov);
  return out;
}

const char* kDataHelp =
    "The points, coloured by class, over the predictive probability p(y = 1 | x*, data) = "
    "∫ σ(wᵀx* + b) q(w, b) dw db of the current method's q (the shade: towards the class-1 "
    "colour where p → 1, the class-0 colour where p → 0, white at 0.5). Probit: σ(κ(σₐ²) μₐ) with "
    "κ(σ²) = (1 + πσ²/8)^−½ (Bishop PRML eq. 4.155); Monte Carlo: the average of σ(θᵀφ) over draws "
    "from q. The blue curve is its 0.5 contour; the dotted black line is the MAP plug-in's "
    "boundary σ(θ_MAPᵀφ) = 0.5. Far from the data the Bayesian predictive fades towards 0.5 while "
    "the plug-in stays sure; the thin blue lines are boundaries of single draws θ ~ q.";

const char* kWeightsHelp =
    "The posterior over two parameters (the others integrated out). Vermillion, solid: the exact posterior's "
    "regions holding 50%, 90% and 99% of its mass (3-D quadrature when there are at most three "
    "parameters, else a smoothed histogram of a long HMC run). Dashed, the approximations: blue, "
    "gradient VI's Gaussian q; reddish purple, Jaakkola–Jordan's q(θ) = N(m_N, S_N) (PRML §10.6); "
    "green, Laplace, N(θ_MAP, A⁻¹) (PRML §4.4); each drawn at its 50% and 90% regions (radius "
    "√(−2 ln(1 − mass)) in standard deviations), comparable with the exact ones. Black dot: the MAP. The method running is drawn "
    "thicker. Mean-field q is axis-aligned: on correlated weights it is too narrow along the "
    "ridge (it minimises KL(q‖p), which punishes mass where p has none).";

const char* kCurvesHelp =
    "Each method's ELBO against its own iteration count (switching method keeps the others' "
    "curves). ELBO(q) = E_q[ln p(y | X, θ)] − KL(q ‖ p(θ)) ≤ ln p(y | X) (vermillion line, by "
    "quadrature); the gap is KL(q ‖ p(θ | y)). Blue: gradient VI, the exact ELBO of q after each "
    "step (Gauss–Hermite) and, faint, the step's S-sample Monte Carlo estimate. Reddish purple: "
    "Jaakkola–Jordan; solid the ELBO of its q, dashed its own bound L(ξ) (PRML eq. 10.164), which "
    "lies below the ELBO of the same q because it also replaces each σ by a Gaussian-shaped lower "
    "bound; it never decreases over the closed-form updates. Green: the ELBO of N(θₖ, Aₖ⁻¹) at "
    "Laplace's Newton iterates (Laplace does not maximise the ELBO: it ends where it ends).";

const char* kVarianceHelp =
    "The variance of one draw's estimate of ∇_m E_q[ln p(y | X, θ)] at the current q, summed "
    "over the P means (256 fixed probe draws per iteration; an S-sample step has 1/S of it). "
    "Reparameterization differentiates through θ = m + L ε; the score function (REINFORCE) "
    "multiplies f(θ) = ln p(y | X, θ) by ∇ ln q(θ): unbiased, far noisier. A control variate "
    "subtracts a baseline from f: leave-one-out (the mean f of the other draws) or the optimal "
    "scalar c = Cov(f ∇ln q, ∇ln q) / Var(∇ln q); the expectation is unchanged, the variance "
    "falls.";

}  // namespace

plot::Color LogregLab::classColour(int label) {
  // Okabe and Ito's orange and bluish green: far from the blue of q and from each other.
  return label == 1 ? ui::okabe_ito::kOrange : ui::okabe_ito::kBluishGreen;
}

plot::Color LogregLab::probabilityColour(double p) {
  if (!std::isfinite(p)) return plot::rgba(255, 255, 255);
  const double t = std::clamp(p, 0.0, 1.0) - 0.5;  // -0.5 .. 0.5
  // Pale at the ends (55% of the class colour) so that the points and the contours read on it.
  return plot::mix(plot::rgba(255, 255, 255), classColour(t > 0 ? 1 : 0),
                   static_cast<float>(1.1 * std::fabs(t)));
}

void LogregLab::updateHeatmap(const LogregSnapshot& s) {
  const LogregGrid& g = s.predictiveGrid;
  const void* source = g.values.data();
  if (source == m_heatmapSource && !m_heatmapPixels.empty()) return;
  m_heatmapSource = source;
  const std::size_t nx = g.x.size(), ny = g.y.size();
  m_heatmapPixels.assign(nx * ny, plot::rgba(255, 255, 255));
  if (!hasGrid(g)) return;
  for (std::size_t i = 0; i < ny; ++i)
    for (std::size_t j = 0; j < nx; ++j)
      m_heatmapPixels[(ny - 1 - i) * nx + j] =
          probabilityColour(g.values[i * nx + j]);  // row 0 on top
}

void LogregLab::editMessage(const std::string& message) {
  m_message = message;
  m_messageUntil = ImGui::GetTime() + 4.0;
}

void LogregLab::drawData(const LogregSnapshot& s, LabContext& context, ImVec2 size) {
  const LogregGrid& g = s.predictiveGrid;
  const std::string title = std::string("Data space: p(y = 1 | x*, data) under ") +
                            methodName(s.method) + "###logreg data";
  // No equal aspect: the predictive grid fills the plot (the points' box) instead of a strip.
  if (!plot::begin(title.c_str(), size, plot::kNoInput)) return;
  const std::string xName = inputLabel(s, s.viewX), yName = inputLabel(s, s.viewY);
  plot::setupAxes(xName.c_str(), yName.c_str());
  const Eigen::MatrixXd& inputs = *s.inputs;
  const std::vector<int>& labels = *s.labels;
  const Eigen::Index n = inputs.rows();
  const bool grid = hasGrid(g);
  // The box the lines are clipped to: the grid's, or the points' own.
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  if (grid) {
    const double hx = 0.5 * (g.x[1] - g.x[0]), hy = 0.5 * (g.y[1] - g.y[0]);
    x0 = g.x.front() - hx, x1 = g.x.back() + hx, y0 = g.y.front() - hy, y1 = g.y.back() + hy;
    plot::setupFitX(x0, x1);
    plot::setupFitY(y0, y1);
    if (m_heatmap) {
      updateHeatmap(s);
      const ImTextureID texture =
          context.textures.update("logreg predictive", static_cast<int>(g.x.size()),
                                  static_cast<int>(g.y.size()), m_heatmapPixels);
      plot::image("##predictive shade", texture, x0, x1, y0, y1);
    }
  } else if (n > 0) {
    x0 = inputs.col(s.viewX).minCoeff(), x1 = inputs.col(s.viewX).maxCoeff();
    y0 = inputs.col(s.viewY).minCoeff(), y1 = inputs.col(s.viewY).maxCoeff();
  }

  const auto boundary = [&](const char* label, const LogregLine& l, LineStyle style) {
    if (const auto seg = clipLine(l, x0, x1, y0, y1)) {
      const Point pts[2] = {seg->first, seg->second};
      plot::line(label, pts, style);
    }
  };
  if (m_sampledBoundaries)
    for (const LogregLine& l : s.sampledBoundaries)
      boundary("θ ~ q", l, {plot::withAlpha(kApprox, 0.45f), 1.1f});
  if (grid) {
    if (m_levels) {
      const double outer[] = {0.1, 0.9};
      plot::contour("p = 0.1, 0.9", g.values, g.x, g.y, outer,
                    {plot::withAlpha(kApprox, 0.8f), 1.3f, true});
    }
    const double half[] = {0.5};
    plot::contour("q: p = 0.5", g.values, g.x, g.y, half, {kApprox, 2.8f});
  }
  boundary("MAP plug-in", s.mapBoundary, {kMap, 2.0f, false, true});

  // The points by class, each ringed in dark grey so that they read on their own colour's shade.
  const float radius = pointRadius(static_cast<std::size_t>(n));
  std::array<std::vector<double>, 2> xs, ys;
  for (Eigen::Index i = 0; i < n && i < static_cast<Eigen::Index>(labels.size()); ++i) {
    const int c = labels[i] == 1 ? 1 : 0;
    xs[c].push_back(inputs(i, s.viewX));
    ys[c].push_back(inputs(i, s.viewY));
  }
  for (int c : {0, 1}) {
    if (xs[c].empty()) continue;
    plot::scatter(("##ring " + std::to_string(c)).c_str(), xs[c], ys[c],
                  plot::rgba(40, 40, 40, 220), radius + 1.2f);
    plot::scatter(className(s, c).c_str(), xs[c], ys[c], classColour(c), radius);
  }

  const std::span<const double> allX(inputs.col(s.viewX).data(), static_cast<std::size_t>(n)),
      allY(inputs.col(s.viewY).data(), static_cast<std::size_t>(n));
  const int near = plot::nearestPoint(allX, allY);
  if (near >= 0 && near < static_cast<int>(labels.size())) {
    const Point at{allX[near], allY[near]};
    ui::textTooltip("Point " + std::to_string(near + 1) + " of " + std::to_string(n) + ": (" +
                    ui::number(at.x) + ", " + ui::number(at.y) + "), " +
                    className(s, labels[near]) +
                    "\np(y = 1 | x*) under q here: " + ui::number(gridValue(g, at), "%.3f") +
                    "\nRight-click removes the nearest point.");
    plot::drawList()->AddCircle(plot::toPixels(at), 0.5f * ImGui::GetFontSize(), plot::onScreen(ui::kPoint), 20,
                                2.0f);
  }
  if (plot::isHovered()) {
    const Point at = plot::mousePosition();
    if (near < 0) {
      std::string t = "q: " + qName(s) + "\n\n" + kDataHelp;
      t += "\n\nat (" + ui::number(at.x, "%.3g") + ", " + ui::number(at.y, "%.3g") + "):";
      t += "\n  p(y = 1 | x*, data) under q = " + ui::number(gridValue(g, at), "%.3f");
      if (s.map.size() == s.p && s.p == s.d + 1 && n > 0) {
        // The plug-in at the cursor, other inputs at their means (as the view's grid).
        Eigen::VectorXd x = inputs.colwise().mean().transpose();
        x[s.viewX] = at.x, x[s.viewY] = at.y;
        const double a = s.map.head(s.d).dot(x) + s.map[s.d];
        t += "\n  MAP plug-in σ(θ_MAPᵀφ) = " + ui::number(sigmoid(a), "%.3f");
      }
      if (s.d > 2) t += "\n  (the other " + std::to_string(s.d - 2) + " inputs at their means)";
      t += "\n\nClick: add a point of class y = 1 · Shift-click: y = 0 · Right-click: remove the "
           "nearest point.";
      ui::textTooltip(t);
    }
    const bool left = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    if (left || ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
      std::weak_ptr<EditFeedback> feedback = m_feedback;
      const int label = ImGui::GetIO().KeyShift ? 0 : 1;
      context.runner.post([at, left, label, feedback](Model& m) {
        auto& model = static_cast<LogregModel&>(m);
        const Status st =
            left ? model.addPoint(at.x, at.y, label) : model.removeNearestPoint(at.x, at.y);
        if (auto fb = feedback.lock(); fb && !st) {
          std::lock_guard lock(fb->mutex);
          fb->message = st.message();
        }
      });
    }
    if (near < 0)
      plot::note("click: add y = 1 · shift-click: y = 0 · right-click: remove",
                 plot::Legend::SouthEast);
  }
  if (!grid) plot::note("The predictive grid is not computed yet.", plot::Legend::NorthWest);
  if (!m_message.empty() && ImGui::GetTime() < m_messageUntil)
    plot::note(("⚠ " + m_message).c_str(), plot::Legend::NorthWest);
  plot::end();
}

void LogregLab::drawWeights(const LogregSnapshot& s, ImVec2 size) {
  const std::string title = "Weight space (" + s.weightXName + ", " + s.weightYName +
                            "): exact posterior vs the approximations###logreg weights";
  if (!plot::begin(title.c_str(), size)) return;
  plot::setupAxes(s.weightXName.c_str(), s.weightYName.c_str());
  const LogregGrid& e = s.exactDensity;
  const int wx = s.weightX, wy = s.weightY;
  if (hasGrid(e)) {
    plot::setupFitX(e.x.front(), e.x.back());
    plot::setupFitY(e.y.front(), e.y.back());
  }
  if (s.hmcSamples && s.hmcSamples->rows() > 0 && s.hmcSamples->cols() == 2) {
    const Eigen::MatrixXd& h = *s.hmcSamples;
    const std::span<const double> hx(h.col(0).data(), static_cast<std::size_t>(h.rows())),
        hy(h.col(1).data(), static_cast<std::size_t>(h.rows()));
    plot::scatter("HMC samples", hx, hy, plot::withAlpha(ui::kData, 0.55f), 1.6f);
  }
  if (hasGrid(e))
    plot::contour(s.exactByQuadrature ? "exact posterior (quadrature): 50/90/99%"
                                      : "exact posterior (HMC): 50/90/99%",
                  e.values, e.x, e.y, massLevels(e.values, {0.5, 0.9, 0.99}), {kExact, 2.2f});

  struct Fit {
    const char* label;
    const LogregGaussian* gaussian;
    plot::Color colour;
    Method method;
  };
  const Fit fits[] = {{"gradient VI q", &s.gradientQ, kApprox, Method::Gradient},
                      {"Jaakkola–Jordan q", &s.jj, kJj, Method::Jj},
                      {"Laplace N(θ_MAP, A⁻¹)", &s.laplace, kLaplace, Method::Laplace}};
  const LogregSnapshot::Progress* progress[] = {&s.gradientProgress, &s.jjProgress, nullptr};
  for (int k = 0; k < 3; ++k) {
    const Fit& f = fits[k];
    // A method that has not run yet has no q to show (Laplace's comes from the converged fit).
    if (progress[k] && progress[k]->iterations == 0) continue;
    const auto b = block(*f.gaussian, wx, wy);
    if (!b) continue;
    const bool current = f.method == s.method;
    for (double mass : kMasses)
      plot::ellipse(f.label, b->mean, b->sxx, b->sxy, b->syy, gaussianMassRadius(mass),
                    {f.colour, current ? 2.8f : 1.7f, true});  // approximations dashed, exact solid
  }
  if (s.method == Method::Laplace && s.laplaceIterate.size() == s.p && wx < s.p && wy < s.p &&
      s.map.size() == s.p && (s.laplaceIterate - s.map).norm() > 1e-9 * (1.0 + s.map.norm()))
    plot::marker("Newton iterate θₖ", {s.laplaceIterate[wx], s.laplaceIterate[wy]}, kLaplace, 5.0f);
  if (s.map.size() == s.p && wx < s.p && wy < s.p)
    plot::marker(s.mapConverged ? "MAP" : "MAP (Newton did not converge)", {s.map[wx], s.map[wy]},
                 kMap, 5.0f);
  if (!hasGrid(e)) plot::note("The exact posterior is being computed.", plot::Legend::SouthWest);
  if (plot::isHovered()) {
    const Point at = plot::mousePosition();
    std::string t = kWeightsHelp;
    t += "\n\nat (" + s.weightXName + ", " + s.weightYName + ") = (" + ui::number(at.x, "%.3g") +
         ", " + ui::number(at.y, "%.3g") + "): exact marginal density " +
         ui::number(gridValue(e, at), "%.4g");
    if (s.map.size() == s.p && wx < s.p && wy < s.p)
      t += "\nMAP (" + ui::number(s.map[wx], "%.4g") + ", " + ui::number(s.map[wy], "%.4g") + ")";
    if (!s.exactByQuadrature) t += "\nHMC acceptance rate " + ui::number(s.hmcAcceptance, "%.2f");
    ui::textTooltip(t);
  }
  plot::end();
}

void LogregLab::drawCurves(const LogregSnapshot& s, ImVec2 size) {
  if (!plot::begin("ELBO of each method, the JJ bound and log p(y | X)###logreg curves", size))
    return;
  plot::setupAxes("iteration (each method its own)", "nats",
                  m_logIterations ? plot::Scale::Log : plot::Scale::Linear);
  struct Curve {
    const char* label;
    const TraceView* trace;
    const char* column;
    LineStyle style;
    Method method;
  };
  const Curve curves[] = {
      {"gradient VI: S-sample estimate",
       &s.gradientTrace,
       "elbo_estimate",
       {plot::withAlpha(kApprox, 0.3f), 1.0f},
       Method::Gradient},
      {"gradient VI: ELBO", &s.gradientTrace, "elbo", {kApprox, 2.2f}, Method::Gradient},
      {"JJ: ELBO of q", &s.jjTrace, "elbo", {kJj, 2.2f}, Method::Jj},
      {"JJ bound L(ξ)", &s.jjTrace, "jj_bound", {kJj, 2.0f, true}, Method::Jj},
      {"Laplace: ELBO at θₖ", &s.laplaceTrace, "elbo", {kLaplace, 2.2f}, Method::Laplace},
  };
  // Autofit leaves out the first iterations far below where the curves are now.
  double lo = INFINITY, hi = -INFINITY;
  for (const Curve& c : curves) {
    const auto& last = c.trace->lastRow();
    const int col = c.trace->column(c.column);
    if (last.empty() || col < 0 || !std::isfinite(last[col])) continue;
    lo = std::min(lo, last[col]), hi = std::max(hi, last[col]);
  }
  if (std::isfinite(s.logEvidence))
    lo = std::min(lo, s.logEvidence), hi = std::max(hi, s.logEvidence);
  if (std::isfinite(lo) && std::isfinite(hi))
    plot::setupYFitFloor(lo - std::max({4.0 * (hi - lo), 0.05 * std::fabs(lo), 5.0}));
  bool any = false;
  for (const Curve& c : curves) {
    if (!hasTrace(*c.trace) || c.trace->column(c.column) < 0) continue;
    any = true;
    LineStyle style = c.style;
    if (c.method != s.method)
      style.color = plot::withAlpha(style.color, 0.55f), style.thickness *= 0.75f;
    plot::traceLine(c.label, *c.trace, c.trace->column("iteration"), c.trace->column(c.column),
                    style);
  }
  if (std::isfinite(s.logEvidence))
    plot::hline("log p(y | X) (quadrature)", s.logEvidence, {kExact, 2.0f});
  if (!any) {
    plot::note("No iterations yet: Play or Step. Each method keeps its own curve when you switch.");
  } else {
    std::string now;
    const auto add = [&](const char* name, const LogregSnapshot::Progress& p) {
      if (p.iterations == 0) return;
      now += std::string(now.empty() ? "" : "\n") + name + " " + ui::number(p.elbo, "%.6g") + " (" +
             std::to_string(p.iterations) + " it.)";
    };
    add("gradient VI: ELBO", s.gradientProgress);
    add("JJ: ELBO", s.jjProgress);
    if (std::isfinite(s.jjBound)) now += "\nJJ bound " + ui::number(s.jjBound, "%.6g");
    add("Laplace: ELBO", s.laplaceProgress);
    now += "\nlog p(y | X) " + evidenceText(s);
    plot::note(now.c_str(), plot::Legend::SouthEast);
  }
  if (plot::isHovered()) ui::textTooltip(kCurvesHelp);
  plot::end();
}

void LogregLab::drawVariance(const LogregSnapshot& s, ImVec2 size) {
  if (!plot::begin("Gradient variance at the current q###logreg var", size, plot::kNoLegend))
    return;
  plot::setupAxes("estimator", "variance (log scale)", plot::Scale::Linear, plot::Scale::Log);
  const bool gradient = s.method == Method::Gradient;
  // The estimator in use (gradient VI only) is marked ●.
  int inUse = -1;
  if (gradient)
    inUse = s.estimator == LogregSnapshot::Estimator::Reparam ? 0
            : s.baseline == LogregSnapshot::Baseline::None    ? 1
            : s.baseline == LogregSnapshot::Baseline::Loo     ? 2
                                                              : 3;
  // Short names under the bars (the hover text and the histogram's legend give the long ones),
  // shorter still when the bars are narrow (large text, a small window).
  static const char* kShort[] = {"reparam", "score", "LOO", "opt. CV"};
  static const char* kShorter[] = {"RP", "SF", "LOO", "CV"};
  const float perBar = 0.8f * size.x / 4.2f;
  const bool narrow = ImGui::CalcTextSize("reparam").x + ImGui::GetFontSize() > perBar;
  std::vector<double> at;
  std::vector<std::string> names;
  double top = 0.0, bottom = INFINITY;
  for (int k = 0; k < 4; ++k) {
    at.push_back(k);
    names.push_back(narrow ? kShorter[k] : kShort[k]);
    const double v = s.estimators[k].variance;
    if (std::isfinite(v) && v > 0.0) top = std::max(top, v), bottom = std::min(bottom, v);
  }
  plot::setupXTicks(at, names);
  plot::setupFitX(-0.6, 3.6);
  if (top > 0.0) plot::setupFitY(bottom / 4.0, top * 4.0);  // room for the values over the bars
  bool any = false;
  for (int k = 0; k < 4; ++k) {
    const double v = s.estimators[k].variance, x = k;
    if (!(std::isfinite(v) && v > 0.0)) continue;
    any = true;
    plot::bars(kShort[k], std::span<const double>(&x, 1), std::span<const double>(&v, 1), 0.62,
               kEstimatorColours[k]);
    // The value over its bar, in as few digits as it takes to fit the bar's slot.
    const double slot = 0.95 * plot::pixelsPerUnitX();
    for (const std::string& value :
         {ui::number(v, "%.3g"), shortScientific(v, 2), shortScientific(v, 1)}) {
      if (ImGui::CalcTextSize(value.c_str()).x <= slot) {
        plot::text({x, v}, value.c_str(), ui::kTruth, {0.5f, 1.1f});
        break;
      }
    }
    if (k == inUse) {  // the estimator gradient VI runs with: framed
      const ImVec2 a = plot::toPixels({x - 0.36, v}), b = plot::toPixels({x + 0.36, bottom / 4.0});
      plot::drawList()->AddRect(ImVec2(a.x, a.y), ImVec2(b.x, std::max(a.y, b.y)), plot::onScreen(ui::kPoint), 0.0f,
                                0, 2.0f * ImGui::GetFontSize() / 18.0f);
    }
  }
  if (!any) plot::note("No estimator statistics yet: Step once.");
  if (plot::isHovered()) {
    std::string t = kVarianceHelp;
    const double base = s.estimators[0].variance;
    if (std::isfinite(base) && base > 0.0) {
      t += "\n\nRelative to reparameterization:";
      for (int k = 1; k < 4; ++k)
        t += std::string("\n  ") + kShort[k] + ": " +
             ui::number(s.estimators[k].variance / base, "%.3g") + "×";
    }
    if (!gradient)
      t += "\n\nThe method running is " + std::string(methodName(s.method)) +
           ": the estimators are measured at its q all the same.";
    ui::textTooltip(t);
  }
  plot::end();
}

void LogregLab::drawHistogram(const LogregSnapshot& s, ImVec2 size) {
  const std::string title = "Single-draw gradients ∂/∂m of " + s.weightXName + "###logreg hist";
  if (!plot::begin(title.c_str(), size)) return;
  // Counts on a log axis: the score function's wide, low histogram shows beside reparam's spike.
  // An empty bin sits on the axis's floor (half a draw).
  constexpr double kFloor = 0.5;
  plot::setupAxes(("∂/∂m of " + s.weightXName).c_str(), "draws (log scale)", plot::Scale::Linear,
                  plot::Scale::Log);
  double most = 1.0;
  for (const auto& e : s.estimators)
    for (double c : e.counts) most = std::max(most, c);
  plot::setupYRange(kFloor, 2.0 * most);
  bool any = false;
  for (int k = 0; k < 4; ++k) {
    const LogregEstimatorStats& e = s.estimators[k];
    if (e.edges.size() < 2 || e.counts.size() + 1 != e.edges.size()) continue;
    any = true;
    // A step outline: every estimator's histogram stays visible where they overlap.
    std::vector<Point> pts;
    pts.reserve(2 * e.counts.size() + 2);
    pts.push_back({e.edges.front(), kFloor});
    for (std::size_t b = 0; b < e.counts.size(); ++b) {
      const double c = std::max(e.counts[b], kFloor);
      pts.push_back({e.edges[b], c});
      pts.push_back({e.edges[b + 1], c});
    }
    pts.push_back({e.edges.back(), kFloor});
    plot::line(e.name.c_str(), pts, {kEstimatorColours[k], k == 0 ? 2.2f : 1.6f});
  }
  if (any && std::isfinite(s.estimators[0].viewMean))
    plot::vline("mean (all agree)", s.estimators[0].viewMean, ui::truthLine(1.2f));
  if (!any) plot::note("No estimator statistics yet: Step once.");
  if (plot::isHovered()) {
    std::string t =
        "Histograms of 256 single-draw estimates of the same number, ∂/∂m E_q[ln p(y | X, θ)] for "
        "the mean of " +
        s.weightXName +
        ", by each estimator at the current q. All four are unbiased (their means agree, the "
        "dotted line); reparameterization is narrow, the score function wide, and a control "
        "variate narrows it.\n";
    for (const auto& e : s.estimators)
      if (!e.name.empty())
        t += "\n  " + e.name + ": mean " + ui::number(e.viewMean, "%.4g") + ", variance " +
             ui::number(e.viewVariance, "%.4g");
    ui::textTooltip(t);
  }
  plot::end();
}

void LogregLab::drawViews(const Snapshot& snapshot, LabContext& context) {
  const auto& s = dynamic_cast<const LogregSnapshot&>(snapshot);
  if (!s.inputs || !s.labels || s.inputs->rows() == 0 || s.viewX >= s.inputs->cols() ||
      s.viewY >= s.inputs->cols())
    return;
  {
    std::lock_guard lock(m_feedback->mutex);
    if (!m_feedback->message.empty()) editMessage(m_feedback->message), m_feedback->message.clear();
  }
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();

  if (avail.y < 38.0f * font || avail.x < 60.0f * font) {
    // Large text on a small window (a projector): one view at a time, each big enough to read.
    if (ui::ViewTabs tabs("logreg views"); tabs.open()) {
      const auto tab = [&](const char* name, auto&& draw) { tabs.tab(name, draw); };
      tab("Data space", [&](ImVec2 size) { drawData(s, context, size); });
      tab("Weight space", [&](ImVec2 size) { drawWeights(s, size); });
      tab("ELBO", [&](ImVec2 size) { drawCurves(s, size); });
      tab("Gradient variance", [&](ImVec2 size) { drawVariance(s, size); });
      tab("Gradient histogram", [&](ImVec2 size) { drawHistogram(s, size); });
    }
    return;
  }
  const float topH = std::floor((avail.y - gap) * 0.58f), bottomH = avail.y - topH - gap;
  const float half = std::floor((avail.x - gap) * 0.5f);
  drawData(s, context, {half, topH});
  ImGui::SameLine();
  drawWeights(s, {avail.x - gap - half, topH});
  const float w1 = std::floor((avail.x - 2 * gap) * 0.4f),
              w2 = std::floor((avail.x - 2 * gap) * 0.28f);
  drawCurves(s, {w1, bottomH});
  ImGui::SameLine();
  drawVariance(s, {w2, bottomH});
  ImGui::SameLine();
  drawHistogram(s, {avail.x - 2 * gap - w1 - w2, bottomH});
}

void LogregLab::drawControls(const Snapshot& snapshot, LabContext&) {
  const auto& s = dynamic_cast<const LogregSnapshot&>(snapshot);
  ImGui::Checkbox("log iteration axis", &m_logIterations);
  ui::helpMarker(
      "Plot the ELBO curves against log(iteration): JJ and Laplace converge in a few iterations, "
      "gradient VI takes hundreds; on a log axis all show.");
  ImGui::Checkbox("shade p(y = 1 | x*)", &m_heatmap);
  ui::helpMarker(
      "Data view: the predictive probability as a shade from the class-0 colour (p = 0) through "
      "white (0.5) to the class-1 colour (p = 1).");
  ImGui::Checkbox("boundaries sampled from q", &m_sampledBoundaries);
  ui::helpMarker(
      "Data view: the decision boundaries θᵀφ = 0 of 8 draws θ ~ q (thin blue). Their spread is "
      "the uncertainty the predictive averages over; the MAP plug-in has one line only.");
  ImGui::Checkbox("p = 0.1 and 0.9 contours", &m_levels);
  ui::helpMarker(
      "Data view: where the predictive reaches 0.1 and 0.9 (dashed). They fan out away from the "
      "data: the Bayesian classifier is unsure there, the plug-in is not.");

  for (const auto& note : s.notes) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Warning));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
  if (!s.mapConverged) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Error));
    ImGui::TextWrapped(
        "Newton's method did not converge: the MAP runs off to infinity (separable data with a "
        "flat or very wide prior). The posterior itself stays finite.");
    ImGui::PopStyleColor();
  }
  const Eigen::Index positives = s.labels ? std::count(s.labels->begin(), s.labels->end(), 1) : 0;
  ImGui::TextWrapped("%d points (%d of y = 1), D = %d inputs, P = %d parameters%s", s.n,
                     static_cast<int>(positives), s.d, s.p, s.edited ? ", edited by clicks" : "");
  if (ImGui::IsItemHovered())
    ui::textTooltip("Data: " + s.dataSource +
                    "\nθ = (w₁ … w_D, b): one weight per input and the bias. The prior is "
                    "N(0, σ₀² I)" +
                    (s.flatBias ? " on w, flat on b." : " on all of them."));

  if (ImGui::BeginTable("methods", 3,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("method");
    ImGui::TableSetupColumn("iterations");
    ImGui::TableSetupColumn("ELBO");
    ImGui::TableHeadersRow();
    const auto row = [&](Method m, const LogregSnapshot::Progress& p, const char* help) {
      ImGui::TableNextRow();
      ui::tableCell(std::string(m == s.method ? "● " : "") + methodName(m), help);
      ui::tableCell(std::to_string(p.iterations), nullptr);
      ui::tableCell(p.iterations > 0 ? ui::number(p.elbo, "%.6g") : "—", nullptr);
    };
    row(Method::Gradient, s.gradientProgress,
        "Gradient VI: a Gaussian q (mean-field or full-rank) moved by Adam or SGD along a Monte "
        "Carlo gradient of the ELBO. The ELBO shown is exact for its q (Gauss–Hermite).");
    row(Method::Jj, s.jjProgress,
        "Jaakkola–Jordan: σ(a) ≥ σ(ξ) exp((a − ξ)/2 − λ(ξ)(a² − ξ²)), λ(ξ) = (σ(ξ) − ½)/(2ξ), "
        "makes the likelihood Gaussian in θ; q(θ) = N(m_N, S_N) and ξₙ² = E_q[(θᵀφₙ)²] are "
        "updated in closed form (Bishop PRML eqs. 10.156–10.163). The ELBO shown is that of its "
        "q.");
    row(Method::Laplace, s.laplaceProgress,
        "Laplace: Newton's method (IRLS) to the MAP, then q = N(θ_MAP, A⁻¹) with A the negative "
        "Hessian of the log joint there (PRML §4.4).");
    ImGui::EndTable();
  }
  if (ImGui::BeginTable("numbers", 2,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    const auto row = [&](const char* name, const std::string& value, const char* help) {
      ImGui::TableNextRow();
      ui::tableCell(name, help);
      ui::tableCell(value, help);
    };
    row("log p(y | X)", evidenceText(s),
        "The exact log evidence by 3-D quadrature over (w₁, w₂, b) (relative to the flat measure "
        "on b when b has no prior). Every ELBO lies below it.");
    row("Laplace's estimate", ui::number(s.laplaceLogEvidence, "%.6g"),
        "ln p(y, θ_MAP) + P/2 ln 2π − ½ ln |A| (Bishop PRML eq. 4.137): not a bound; close to "
        "log p(y | X) when the posterior is nearly Gaussian.");
    row("JJ bound L(ξ)", std::isfinite(s.jjBound) ? ui::number(s.jjBound, "%.6g") : "— (not run)",
        "Jaakkola–Jordan's own bound (PRML eq. 10.164), below the ELBO of its q and below log p(y "
        "| X).");
    row("KL(q ‖ p)", ui::number(s.klToExact, "%.4g"),
        "log p(y | X) − ELBO(q) for the method running: how far q is from the exact posterior.");
    row("accuracy (q / MAP)",
        ui::number(s.accuracy, "%.3f") + " / " + ui::number(s.mapAccuracy, "%.3f"),
        "Fraction of the data classified right by p(y = 1 | x) > 0.5, under q's predictive and "
        "under the MAP plug-in.");
    row("log loss (q / MAP)",
        ui::number(s.logLoss, "%.4f") + " / " + ui::number(s.mapLogLoss, "%.4f"),
        "Mean −ln p(yₙ | xₙ) in nats per point, under q's predictive and the MAP plug-in. The "
        "plug-in is over-confident: on overlapping classes it pays for it here.");
    if (!s.exactByQuadrature)
      row("HMC acceptance", ui::number(s.hmcAcceptance, "%.2f"),
          "P > 3: the exact posterior is a long HMC run (mass matrix from Laplace); its mean "
          "acceptance rate.");
    ImGui::EndTable();
  }
}

nlohmann::ordered_json LogregLab::params(const Snapshot& snapshot) const {
  const auto& s = dynamic_cast<const LogregSnapshot&>(snapshot);
  nlohmann::ordered_json out;
  out["method"] = s.method == Method::Gradient ? "gradient"
                  : s.method == Method::Jj     ? "jj"
                                               : "laplace";
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (int j = 0; j < s.d; ++j) names.push_back("w" + std::to_string(j + 1));
  names.push_back("b");
  out["parameters"] = std::move(names);
  out["q"] = gaussianJson(s.q);
  out["map"] = vectorJson(s.map);
  out["log_evidence"] = number(s.logEvidence);
  out["elbo"] = number(s.elbo);
  if (std::isfinite(s.jjBound)) {
    out["jj_bound"] = s.jjBound;
    out["jj"] = gaussianJson(s.jj);
  }
  nlohmann::ordered_json laplace = gaussianJson(s.laplace);
  if (!laplace.is_null()) laplace["log_evidence"] = number(s.laplaceLogEvidence);
  out["laplace"] = std::move(laplace);
  out["accuracy"] = number(s.accuracy);
  out["log_loss"] = number(s.logLoss);
  out["map_accuracy"] = number(s.mapAccuracy);
  out["map_log_loss"] = number(s.mapLogLoss);
  out["n"] = s.n;
  return out;
}

std::string LogregLab::summaryExtras(const Snapshot& snapshot, double) const {
  const auto& s = dynamic_cast<const LogregSnapshot&>(snapshot);
  std::string t = " log_evidence=" + formatReal(s.logEvidence);
  if (std::isfinite(s.jjBound)) t += " jj_bound=" + formatReal(s.jjBound);
  return t + " accuracy=" + formatReal(s.accuracy) + " log_loss=" + formatReal(s.logLoss) +
         " n=" + std::to_string(s.n);
}

}  // namespace vilab
