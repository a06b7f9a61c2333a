#pragma once
// The families-and-divergences lab's views ("targets"): the target p as a shaded density with its
// 50/90/99 % mass contours (red) against q's (blue), q's samples and the MCMC chain's; for the
// constrained target the same in its own coordinates (λ, θ); both marginals, exact against q;
// the objective's curve with the exact ELBO and log Z, their values on legend lines under the
// plot (the objective's averaged); KL(q‖p) and KL(p‖q) on a log scale; the
// gradient variance per estimator; PSIS k̂ and the variance ratios. Everything drawn comes from
// TargetsSnapshot: the panel computes no model numbers. On the custom target, clicks edit the
// scenario's `target.bumps` text (add, drag, remove a bump).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/plot/plot_math.hpp"
#include "core/models/targets/target.hpp"
#include "core/trace.hpp"

namespace vilab {

struct TargetsSnapshot;
struct TargetsGrid;

class TargetsLab final : public Lab {
 public:
  void drawViews(const Snapshot& snapshot, LabContext& context) override;
  void drawControls(const Snapshot& snapshot, LabContext& context) override;
  // {"target", "family", "parameters" (q's flat parameters), "parameter_layout", "q": {"mean",
  // "cov"}, "exact": {"mean", "cov"}, "log_z", "elbo", "kl_qp", "kl_pq", "psis_k",
  // "variance_ratio": [axis 1, axis 2], "mcmc": {"kind" (off|hmc|rwm), "acceptance",
  // "step_size", "ess": [axis 1, axis 2], "mean", "cov", "iterations"}}; numbers that are not
  // finite are null.
  nlohmann::ordered_json params(const Snapshot& snapshot) const override;
  std::string summaryExtras(const Snapshot& snapshot, double seconds) const override;

  // The MCMC chain's colour (beside ui::kExact for p and ui::kApprox for q), shared with the GUI
  // test: green, far from both and from the grey shade of p.
  static constexpr plot::Color kMcmc = plot::rgba(0x00, 0x9E, 0x73);  // Okabe–Ito bluish green
  // The shade of p: white where p = 0 to grey at p's maximum (`t` = p / max p in [0, 1]).
  static plot::Color densityShade(double t);

  // The custom target's bumps as the scenario's `target.bumps` text: "x,y,sd,w; ...".
  static std::string bumpsText(const std::vector<TargetBump>& bumps);

  // A number for the panel's labels: `digits` significant digits in plain notation ("130",
  // "0.385", "12300"), as a power of ten from 10⁶ up and below 10⁻⁴ ("1.50×10⁷"); "—" for NaN,
  // "∞" / "−∞" for infinities. One format for every number a view prints beside another.
  static std::string plainNumber(double v, int digits = 3);
  // The model's target name with the controls' symbols for the Gaussian's parameters:
  // "sigma1 1, sigma2 2, rho 0.9" reads "σ₁ = 1, σ₂ = 2, ρ = 0.9" (numbers untouched).
  static std::string displayTargetName(const std::string& name);
  // The axes' names in the unconstrained views: "x" and "v" (log-variance) on Neal's funnel,
  // the snapshot's axisNames otherwise.
  static std::array<std::string, 2> axisNames(const TargetsSnapshot& s);
  // PSIS k's reading (Yao et al. 2018, §2.3): "good" below 0.5, "usable" to 0.7, "unreliable"
  // above, "—" for NaN; −∞ (all ratios equal: q = p to rounding) is good.
  static std::string khatReading(double k);
  // The mean of a trace column's last `rows` stored rows (finite values only; NaN when none),
  // with the first and last iteration they span (NaN when the trace has no "iteration").
  struct RecentMean {
    double mean, fromIteration, toIteration;
  };
  static RecentMean recentMean(const TraceView& trace, const char* column, std::size_t rows);

 private:
  struct Space;  // one of the two target views' inputs (unconstrained or constrained)
  void drawTarget(const TargetsSnapshot& s, LabContext& context, ImVec2 size, bool constrained);
  void drawMarginal(const TargetsSnapshot& s, ImVec2 size, int axis);
  void drawObjective(const TargetsSnapshot& s, ImVec2 size);
  void drawKl(const TargetsSnapshot& s, ImVec2 size);
  void drawVariance(const TargetsSnapshot& s, const LabContext& context, ImVec2 size);
  void drawKhat(const TargetsSnapshot& s, ImVec2 size);
  void drawRatios(const TargetsSnapshot& s, ImVec2 size);
  void editBumps(const TargetsSnapshot& s, LabContext& context);
  void sendBumps(LabContext& context, const std::vector<TargetBump>& bumps);

  // Shade textures, remade when their grid changes (the reference is shared and rarely new; held
  // here so that a new grid never reuses the old one's address).
  struct Shade {
    std::shared_ptr<const TargetsGrid> source;
    std::vector<std::uint32_t> pixels;
    std::vector<double> pLevels;  // p's 50/90/99 % mass levels, for `source`
  };
  Shade m_shade[2];
  // q's mass levels per view (sorting its grid every frame cost the UI thread milliseconds),
  // with a fingerprint of the grid they were found for.
  struct QLevels {
    double fingerprint = 0.0;
    std::vector<double> levels;
  } m_qLevels[2];

  bool m_showQSamples = true;
  bool m_showMcmc = true;
  bool m_showShade = true;
  bool m_tabs = false;  // one view at a time (large text on a small window)

  // The custom target while a bump is dragged: the bumps as the panel shows them, the one moved.
  std::vector<TargetBump> m_dragBumps;
  int m_dragged = -1;
  plot::Point m_grab{};  // the dragged bump's centre minus the point grabbed
  Eigen::Vector4d m_dragRange = Eigen::Vector4d::Zero();  // the canvas while dragging
  double m_lastSent = -1.0;
  std::string m_message;  // why the last edit was refused
  double m_messageUntil = 0.0;
};

}  // namespace vilab
