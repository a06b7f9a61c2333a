#pragma once
// The factor-analysis lab's views: the data cloud with the model's covariance W Wᵀ + Ψ against
// the truth, the columns of W and the PCA directions; Ψ as bars against Ψ_true; the latent space
// E[z|y] with the posterior covariance G; the log-likelihood and the ELBO per half step, the gap
// KL(q‖p(z|y)) between them, and the rotation-invariant error ‖WWᵀ − W_true W_trueᵀ‖_F. When the
// rows are images, the mean, the columns of W and Ψ are drawn as images instead of Ψ's bars, and
// the points are coloured by class.

#include <Eigen/Core>
#include <memory>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/plot/plot_math.hpp"

namespace vilab {

struct FaSnapshot;

class FaLab final : public Lab {
 public:
  void drawViews(const Snapshot& snapshot, LabContext& context) override;
  void drawControls(const Snapshot& snapshot, LabContext& context) override;
  nlohmann::ordered_json params(const Snapshot& snapshot) const override;
  std::string summaryExtras(const Snapshot& snapshot, double seconds) const override;

 private:
  void updateColours(const FaSnapshot& s);
  void drawData(const FaSnapshot& s, ImVec2 size);
  void drawPsi(const FaSnapshot& s, ImVec2 size);
  void drawImages(const FaSnapshot& s, LabContext& context, ImVec2 size);
  void updateImages(const FaSnapshot& s, LabContext& context);
  void drawLatent(const FaSnapshot& s, ImVec2 size);
  void drawLikelihood(const FaSnapshot& s, ImVec2 size);
  void drawGap(const FaSnapshot& s, ImVec2 size);
  void drawError(const FaSnapshot& s, ImVec2 size);
  void drawCurves(const FaSnapshot& s, ImVec2 size);
  void colourBar(const char* label, float width);
  // Under the data and latent views: the colour bar, or the class legend when points have
  // classes (wrapped to `width`). legendHeight is what it will take.
  void colourKey(const FaSnapshot& s, float width);
  float colourKeyHeight(const FaSnapshot& s, float width) const;

  bool m_logIterations = false;
  bool m_colourData = false;
  // The drawn point under the cursor in the data or the latent view (-1: none): it is ringed in
  // both views. Found while drawing, shown from the next frame on.
  int m_hovered = -1;
  int m_hoveredNow = -1;

  // Point colours, recomputed when the snapshot's colour property changes (a reset).
  std::shared_ptr<const std::vector<double>> m_colourSource;
  std::vector<plot::Color> m_colours;
  std::vector<double> m_jitter;  // K = 1 strip: a fixed vertical offset per point
  double m_colourLo = 0.0, m_colourHi = 1.0;

  // The image tiles (mean, w_1 ... w_K, psi) and the values they were made from.
  TextureStore* m_imageStore = nullptr;
  Eigen::VectorXd m_tileMu, m_tilePsi;
  Eigen::MatrixXd m_tileW;
  std::vector<ImTextureID> m_tiles;
  std::vector<double> m_tileScale;  // the largest |value| each tile's colours span
};

}  // namespace vilab
