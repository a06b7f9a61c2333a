#pragma once
// The Gaussian-mixture lab's views: the data coloured by responsibilities with the fitted and
// true components (D >= 2: in a plane of two coordinates or the principal axes, with each
// component's marginal ellipses, right-click to remove points and, for D <= 2, click to add;
// 1-D: histogram, densities and each component's curve), the fitted density against the true one
// (D >= 2: their marginals in the plane), the mixing weights E[π_k], and the ELBO of CAVI and
// BBVI overlaid with EM's log-likelihood.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/plot/plot_math.hpp"

namespace vilab {

struct GmmSnapshot;

class GmmLab final : public Lab {
 public:
  void drawViews(const Snapshot& snapshot, LabContext& context) override;
  void drawControls(const Snapshot& snapshot, LabContext& context) override;
  nlohmann::ordered_json params(const Snapshot& snapshot) const override;
  std::string summaryExtras(const Snapshot& snapshot, double seconds) const override;

  // The colour of fitted component k in every view (data, ellipses, curves, bars, tables).
  static plot::Color componentColour(int k);

 private:
  void updateColours(const GmmSnapshot& s);
  void updateHeatmap(const GmmSnapshot& s);
  void drawData2d(const GmmSnapshot& s, LabContext& context, ImVec2 size);
  void drawDensity2d(const GmmSnapshot& s, LabContext& context, ImVec2 size);
  void drawData1d(const GmmSnapshot& s, ImVec2 size);
  void drawWeights(const GmmSnapshot& s, ImVec2 size);
  void drawCurves(const GmmSnapshot& s, ImVec2 size);
  void editMessage(const std::string& message);

  bool m_logIterations = false;
  bool m_heatmap = true;

  // Point colours: each point's responsibilities blended over the component colours, recomputed
  // when the snapshot's responsibilities change.
  std::shared_ptr<const std::vector<float>> m_colourSource;
  std::shared_ptr<const Eigen::MatrixXd> m_colourData;
  std::vector<plot::Color> m_colours;
  std::vector<double> m_rugY;  // 1-D: a fixed vertical offset per point in [0, 1)

  // The heatmap's pixels, for the fitted density they were made from.
  const void* m_heatmapSource = nullptr;
  std::vector<std::uint32_t> m_heatmapPixels;

  // Why the last click did nothing (the last point cannot go, the model refused an edit),
  // written by the worker thread for edits that fail there.
  struct EditFeedback {
    std::mutex mutex;
    std::string message;
  };
  std::shared_ptr<EditFeedback> m_feedback = std::make_shared<EditFeedback>();
  std::string m_message;
  double m_messageUntil = 0.0;
};

}  // namespace vilab
