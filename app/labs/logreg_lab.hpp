#pragma once
// The Bayesian logistic-regression lab's views: data space (the points by class, the predictive
// p(y = 1 | x*, data) under the current method's q as a heatmap with its 0.5 contour, the MAP
// plug-in's boundary and boundaries sampled from q; clicks add and remove points), weight space
// (the exact posterior against gradient VI's q, Jaakkola–Jordan, Laplace and the MAP, over two
// chosen parameters), the ELBO of each method with log p(y | X) and the JJ bound, and the
// gradient estimators at the current q: their variance (log scale) and a histogram of
// single-sample gradients of one weight.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/plot/plot_math.hpp"

namespace vilab {

struct LogregSnapshot;

class LogregLab final : public Lab {
 public:
  void drawViews(const Snapshot& snapshot, LabContext& context) override;
  void drawControls(const Snapshot& snapshot, LabContext& context) override;
  // {"method", "parameters" (names, the order of every vector below), "q": {"mean", "cov"} of
  // the method run, "map", "log_evidence", "elbo", "jj_bound" (once JJ ran), "laplace": {"mean",
  // "cov", "log_evidence"}, "jj": {"mean", "cov"} (once JJ ran), "accuracy", "log_loss",
  // "map_accuracy", "map_log_loss", "n"}; numbers that are not finite are null.
  nlohmann::ordered_json params(const Snapshot& snapshot) const override;
  std::string summaryExtras(const Snapshot& snapshot, double seconds) const override;

  // Colours shared by the views and the GUI test: class 0 and class 1 (points and the tint of
  // the predictive heatmap towards p = 0 and p = 1), and each method's Gaussian in weight space
  // (gradient VI's q is ui::kApprox, the exact posterior ui::kExact).
  static plot::Color classColour(int label);
  // Okabe and Ito's reddish purple, bluish green and black.
  static constexpr plot::Color kJj = plot::rgba(0xCC, 0x79, 0xA7);
  static constexpr plot::Color kLaplace = plot::rgba(0x00, 0x9E, 0x73);
  static constexpr plot::Color kMap = plot::rgba(0, 0, 0);
  // The heatmap's colour for a probability p(y = 1) in [0, 1] (white at 0.5).
  static plot::Color probabilityColour(double p);

 private:
  void updateHeatmap(const LogregSnapshot& s);
  void drawData(const LogregSnapshot& s, LabContext& context, ImVec2 size);
  void drawWeights(const LogregSnapshot& s, ImVec2 size);
  void drawCurves(const LogregSnapshot& s, ImVec2 size);
  void drawVariance(const LogregSnapshot& s, ImVec2 size);
  void drawHistogram(const LogregSnapshot& s, ImVec2 size);
  void editMessage(const std::string& message);

  bool m_logIterations = false;
  bool m_heatmap = true;
  bool m_sampledBoundaries = true;
  bool m_levels = true;  // the p = 0.1 and 0.9 contours beside 0.5

  // The heatmap's pixels, for the predictive grid they were made from.
  const void* m_heatmapSource = nullptr;
  std::vector<std::uint32_t> m_heatmapPixels;

  // Why the last click did nothing (the last point of a class cannot go, the model refused an
  // edit), written by the worker thread for edits that fail there.
  struct EditFeedback {
    std::mutex mutex;
    std::string message;
  };
  std::shared_ptr<EditFeedback> m_feedback = std::make_shared<EditFeedback>();
  std::string m_message;
  double m_messageUntil = 0.0;
};

}  // namespace vilab
