#include "app/labs/gaussian_lab.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "app/ui/widgets.hpp"
#include "core/models/gaussian.hpp"

namespace vilab {
namespace {

using plot::LineStyle;
using ui::kApprox;
using ui::kExact;

// Density levels of the 1, 2 and 3 sigma contours of a Gaussian, as fractions of the peak.
std::vector<double> sigmaLevels(const std::vector<double>& grid) {
  const double peak = grid.empty() ? 0.0 : *std::max_element(grid.begin(), grid.end());
  return {peak * std::exp(-4.5), peak * std::exp(-2.0), peak * std::exp(-0.5)};
}

const GaussianScenario* generatedData(const LabContext& c, const GaussianSnapshot& s) {
  return s.dataSource == "generated" ? dynamic_cast<const GaussianScenario*>(&c.scenario) : nullptr;
}

void drawJoint(const GaussianSnapshot& s, ImVec2 size) {
  if (!plot::begin("Joint posterior over (μ, τ): exact vs mean-field q", size)) return;
  plot::setupAxes("μ  (mean)", "τ  (precision)");
  plot::setupFitX(s.muGrid.front(), s.muGrid.back());
  plot::setupFitY(s.tauGrid.front(), s.tauGrid.back());
  plot::contour("exact p(μ,τ | x)", s.exactJoint, s.muGrid, s.tauGrid, sigmaLevels(s.exactJoint),
                {kExact, 2.2f});
  plot::contour("q(μ) q(τ)", s.qJoint, s.muGrid, s.tauGrid, sigmaLevels(s.qJoint), ui::approxLine(2.2f));
  plot::line("path of E_q[μ, τ]", s.pathMu, s.pathTau, {plot::withAlpha(kApprox, 0.55f), 1.5f});
  plot::marker("##q mean", {s.q.m, s.q.meanTau()}, kApprox, 5.0f);
  if (std::isfinite(s.ml.tau))
    plot::marker("maximum likelihood", {s.ml.mu, s.ml.tau}, ui::kPoint, 5.0f);
  if (s.algorithm == GaussianSnapshot::Algorithm::Cavi && s.halfsteps) {
    const char* next =
        s.nextUpdatesMu ? "next half step: q(μ), along μ" : "next half step: q(τ), along τ";
    plot::note(next, plot::Legend::SouthWest);  // wrapped to the area: fits at any scale
  }
  plot::end();
}

void drawMarginal(const char* title, const char* axis, const std::vector<double>& grid,
                  const std::vector<double>& exact, const std::vector<double>& q, double truth,
                  const char* truthLabel, double ml, ImVec2 size) {
  if (!plot::begin(title, size)) return;
  plot::setupAxes(axis, "density");
  plot::setupFitX(grid.front(), grid.back());
  plot::line("exact posterior", grid, exact, {kExact, 2.2f});
  plot::line("q", grid, q, ui::approxLine(2.2f));
  if (std::isfinite(truth)) plot::vline(truthLabel, truth, ui::truthLine(1.5f));
  if (std::isfinite(ml)) plot::vline("maximum likelihood", ml, {ui::kPoint, 1.0f});
  plot::end();
}

void drawPredictive(const GaussianSnapshot& s, const GaussianScenario* truth, ImVec2 size) {
  if (!plot::begin("Data and posterior predictive p(x* | x)", size)) return;
  plot::setupAxes("x", "density");
  const double lo = s.xGrid.front(), hi = s.xGrid.back();
  plot::setupFitX(lo, hi);
  const auto& x = *s.data;
  const int bins =
      std::clamp(static_cast<int>(2.0 * std::sqrt(static_cast<double>(x.size()))), 5, 60);
  const auto counts = plot::histogram(x, lo, hi, bins, true);
  std::vector<double> centres(bins);
  for (int b = 0; b < bins; ++b) centres[b] = lo + (b + 0.5) * (hi - lo) / bins;
  plot::bars("data (histogram)", centres, counts, (hi - lo) / bins * 0.92,
             plot::withAlpha(ui::kData, 0.55f));
  if (x.size() <= 300) {
    const std::vector<double> zeros(x.size(), 0.0);
    plot::scatter("##rug", x, zeros, plot::withAlpha(ui::kPoint, 0.7f), 2.5f);
  }
  if (truth) {
    std::vector<double> density(s.xGrid.size());
    for (std::size_t i = 0; i < density.size(); ++i)
      density[i] = std::exp(
          normalLogPdf(s.xGrid[i], truth->data.mu, 1.0 / (truth->data.sigma * truth->data.sigma)));
    plot::line("true density", s.xGrid, density, ui::truthLine(1.6f));
  }
  plot::line("exact predictive", s.xGrid, s.exactPredictive, {kExact, 2.2f});
  plot::line("q predictive", s.xGrid, s.qPredictive, ui::approxLine(2.2f));
  plot::end();
}

void drawElbo(const GaussianSnapshot& s, bool logX, ImVec2 size) {
  char title[160];
  std::snprintf(title, sizeof title, "ELBO %.4f  ≤  log p(x) %.4f###elbo", s.elbo, s.logEvidence);
  if (!plot::begin(title, size)) return;
  plot::setupAxes("iteration", "nats", logX ? plot::Scale::Log : plot::Scale::Linear);
  const TraceView& t = s.trace;
  const int it = t.column("iteration");
  if (s.algorithm == GaussianSnapshot::Algorithm::Gradient || s.samples > 0)
    plot::traceLine("ELBO (MC estimate)", t, it, t.column("elbo_mc"),
                    {plot::withAlpha(kApprox, 0.3f), 1.0f});
  plot::traceLine("log p(x)", t, it, t.column("log_evidence"), {kExact, 2.2f});
  plot::traceLine("ELBO(q)", t, it, t.column("elbo"), {kApprox, 2.2f});
  if (!t.empty()) {
    // The gap between the curves at the newest iteration is KL(q || p).
    const double x = t.lastRow()[it];
    const ImVec2 top = plot::toPixels({x, s.logEvidence}), bottom = plot::toPixels({x, s.elbo});
    ImDrawList* d = plot::drawList();
    const float r = ImGui::GetFontSize() * 0.25f;
    d->AddLine(ImVec2(top.x - r * 3, top.y), ImVec2(top.x - r * 3, bottom.y), plot::onScreen(ui::kTruth), 1.5f);
    char label[64];
    std::snprintf(label, sizeof label, "KL(q‖p) = %.4g", s.kl);
    plot::text({x, s.elbo}, label, ui::kTruth, {1.05f, -0.25f});
  }
  plot::end();
}

void drawKl(const GaussianSnapshot& s, bool logX, ImVec2 size) {
  if (!plot::begin("KL(q ‖ p) = log p(x) − ELBO", size, plot::kNoLegend)) return;
  plot::setupAxes("iteration", "nats (log scale)", logX ? plot::Scale::Log : plot::Scale::Linear,
                  plot::Scale::Log);
  plot::traceLine("KL(q‖p)", s.trace, s.trace.column("iteration"), s.trace.column("kl"),
                  {ui::kPurple, 2.2f});
  plot::end();
}

void drawVariance(const GaussianSnapshot& s, ImVec2 size) {
  if (!plot::begin("Gradient variance (one sample, current q)", size)) return;
  plot::setupAxes("parameter of q", "variance (log scale)", plot::Scale::Linear, plot::Scale::Log);
  const std::vector<double> at = {0, 1, 2, 3};
  std::vector<std::string> names;
  for (const char* n : GaussianSnapshot::kParamNames) names.emplace_back(n);
  plot::setupXTicks(at, names);
  plot::setupFitX(-0.6, 3.6);
  const auto series = [&](const char* label, const std::array<double, 4>& v, double offset,
                          plot::Color c) {
    std::vector<double> xs, hs;
    for (int k = 0; k < 4; ++k) xs.push_back(k + offset), hs.push_back(v[k]);
    plot::bars(label, xs, hs, 0.26, c);
  };
  series("reparameterization", s.reparamVariance, -0.28, kApprox);
  series("score function", s.scoreVariance, 0.0, ui::kAccent);
  series("score + baseline", s.baselineVariance, 0.28, ui::kGood);
  plot::end();
}

}  // namespace

void GaussianLab::drawViews(const Snapshot& snapshot, LabContext& context) {
  const auto& s = dynamic_cast<const GaussianSnapshot&>(snapshot);
  const GaussianScenario* truth = generatedData(context, s);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float font = ImGui::GetFontSize();

  // The two marginals, one above the other.
  const auto marginals = [&](ImVec2 size) {
    ImGui::BeginGroup();
    const float marginalH = std::floor((size.y - gap) * 0.5f);
    drawMarginal("Marginal of μ: q(μ) vs p(μ | x)", "μ", s.muGrid, s.exactMu, s.qMu,
                 truth ? truth->data.mu : NAN, "μ true", s.ml.mu, {size.x, marginalH});
    drawMarginal("Marginal of τ: q(τ) vs p(τ | x)", "τ", s.tauGrid, s.exactTau, s.qTau,
                 truth ? 1.0 / (truth->data.sigma * truth->data.sigma) : NAN, "τ true", s.ml.tau,
                 {size.x, size.y - marginalH - gap});
    ImGui::EndGroup();
  };
  const auto posterior = [&](ImVec2 size) {
    const float jointW = std::floor((size.x - gap) * 0.5f), sideW = size.x - gap - jointW;
    drawJoint(s, {jointW, size.y});
    ImGui::SameLine();
    marginals({sideW, size.y});
  };
  const auto curves = [&](ImVec2 size) {
    const float elboH = std::floor((size.y - gap) * 0.55f);
    drawElbo(s, m_logIterations, {size.x, elboH});
    drawKl(s, m_logIterations, {size.x, size.y - elboH - gap});
  };

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (avail.y < 38.0f * font || avail.x < 60.0f * font) {
    // Large text on a small window (a projector): one view at a time, each big enough to read.
    if (ui::ViewTabs tabs("gaussian views"); tabs.open()) {
      const auto tab = [&](const char* name, auto&& draw) { tabs.tab(name, draw); };
      // Too narrow for the joint and the marginals side by side (a compare column at a
      // projector's scale): each gets its own tab.
      if (avail.x < 40.0f * font) {
        tab("Joint", [&](ImVec2 size) { drawJoint(s, size); });
        tab("Marginals", marginals);
      } else {
        tab("Posterior", posterior);
      }
      tab("Data", [&](ImVec2 size) { drawPredictive(s, truth, size); });
      tab("ELBO and KL", curves);
      tab("Gradient variance", [&](ImVec2 size) { drawVariance(s, size); });
    }
    return;
  }
  const float topH = std::floor(avail.y * 0.5f), bottomH = avail.y - topH - gap;
  posterior({avail.x, topH});
  const float w1 = std::floor((avail.x - 2 * gap) * 0.33f),
              w2 = std::floor((avail.x - 2 * gap) * 0.37f);
  const float w3 = avail.x - 2 * gap - w1 - w2;
  drawPredictive(s, truth, {w1, bottomH});
  ImGui::SameLine();
  ImGui::BeginGroup();
  curves({w2, bottomH});
  ImGui::EndGroup();
  ImGui::SameLine();
  drawVariance(s, {w3, bottomH});
}

void GaussianLab::drawControls(const Snapshot& snapshot, LabContext&) {
  const auto& s = dynamic_cast<const GaussianSnapshot&>(snapshot);
  ImGui::Checkbox("log iteration axis", &m_logIterations);
  ui::helpMarker(
      "Plot the ELBO and KL curves against log(iteration): early and late iterations both show.");
  if (ImGui::BeginTable("numbers", 3,
                        ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("");
    ImGui::TableSetupColumn("q (blue, dashed)");
    ImGui::TableSetupColumn("exact (vermillion)");
    ImGui::TableHeadersRow();
    const auto row = [](const char* name, double q, double exact, const char* help) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", help);
      ImGui::TableNextColumn();
      ImGui::Text("%.5g", q);
      ImGui::TableNextColumn();
      if (std::isfinite(exact))
        ImGui::Text("%.5g", exact);
      else
        ImGui::TextDisabled("—");
    };
    const auto& p = s.posterior;
    const double exactSdMu = std::sqrt(p.b / (p.a * p.kappa) * (p.a > 1 ? p.a / (p.a - 1) : NAN));
    row("E[μ]", s.q.m, p.mu,
        "q: m (CAVI: (κ₀μ₀ + Σx)/(κ₀ + N)). Exact: μ_N of the Normal-Gamma posterior.");
    row("sd[μ]", 1.0 / std::sqrt(s.q.l), exactSdMu,
        "q: 1/√l. Exact: the Student-t marginal's standard deviation. Mean-field q is narrower: it "
        "ignores how μ's spread grows when τ is small.");
    row("E[τ]", s.q.meanTau(), p.a / p.b, "a/b of q(τ) = Gamma(a, b); exact a_N/b_N.");
    row("shape a", s.q.a, p.a, "CAVI: a = a₀ + (N+1)/2; exact a_N = a₀ + N/2.");
    row("rate b", s.q.b, p.b, "CAVI: b = b₀ + ½E_q[Σ(x−μ)² + κ₀(μ−μ₀)²].");
    ImGui::EndTable();
  }
  ImGui::Text("ELBO %.6g   log p(x) %.6g", s.elbo, s.logEvidence);
  ImGui::Text("KL(q‖p) %.6g nats", s.kl);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "log p(x) = ELBO(q) + KL(q‖p): maximizing the ELBO is minimizing the KL.\n"
        "Mean-field q cannot reach KL = 0 here: the exact posterior couples μ and τ.");
}

nlohmann::ordered_json GaussianLab::params(const Snapshot& snapshot) const {
  const auto& s = dynamic_cast<const GaussianSnapshot&>(snapshot);
  const auto number = [](double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
  };
  nlohmann::ordered_json out;
  out["q"] = {{"m", s.q.m}, {"l", s.q.l}, {"a", s.q.a}, {"b", s.q.b}};
  out["posterior"] = {{"mu", s.posterior.mu},
                      {"kappa", s.posterior.kappa},
                      {"a", s.posterior.a},
                      {"b", s.posterior.b}};
  out["maximum_likelihood"] = {{"mu", number(s.ml.mu)}, {"tau", number(s.ml.tau)}};
  out["elbo"] = s.elbo;
  out["log_evidence"] = s.logEvidence;
  out["kl"] = s.kl;
  return out;
}

}  // namespace vilab
