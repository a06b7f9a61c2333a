#pragma once
// The VAE lab's views: the latent space of held-out images coloured by class (hover shows the
// image), the decoded manifold over the latent plane, reconstructions and prior samples, the
// ELBO with its two terms (train running mean and held-out), the KL weight β or GECO's λ, the
// encoder-gradient variance of both estimators, and the KL of each latent dimension.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/plot/plot_math.hpp"

namespace vilab {

struct VaeSnapshot;
struct VaeViews;

class VaeLab final : public Lab {
 public:
  void drawViews(const Snapshot& snapshot, LabContext& context) override;
  void drawControls(const Snapshot& snapshot, LabContext& context) override;
  nlohmann::ordered_json params(const Snapshot& snapshot) const override;
  std::string summaryExtras(const Snapshot& snapshot, double seconds) const override;

  // The colour of class k in the latent view and its legend: distinct for k < 30.
  static plot::Color classColour(int k);

 private:
  void updateViews(const VaeSnapshot& s, LabContext& context);
  void drawLatent(const VaeSnapshot& s, LabContext& context, ImVec2 size);
  void drawLatentHover(const VaeSnapshot& s, LabContext& context);
  void drawManifold(const VaeSnapshot& s, ImVec2 size);
  void drawReconstructions(const VaeSnapshot& s, ImVec2 size);
  void drawSamples(const VaeSnapshot& s, ImVec2 size);
  void drawElbo(const VaeSnapshot& s, ImVec2 size);
  void drawKl(const VaeSnapshot& s, ImVec2 size);
  void drawWeight(const VaeSnapshot& s, ImVec2 size);
  void drawVariance(const VaeSnapshot& s, ImVec2 size);
  void drawKlPerDim(const VaeSnapshot& s, ImVec2 size);

  bool m_logIterations = false;
  double m_betaTarget = 1.0;  // β of the scenario shown (annealing ramps to it)

  // What was built from the newest heavy views (recomputed when the snapshot's views change):
  // the latent points split by class, and the image grids uploaded as textures.
  std::shared_ptr<const VaeViews> m_views;
  TextureStore* m_store = nullptr;
  std::vector<std::vector<double>> m_classX, m_classY;
  std::vector<std::vector<int>> m_classPoint;  // index into the views' latent arrays
  std::vector<std::string> m_classLabel;       // legend label of each class ("name##classK")
  ImTextureID m_manifold{}, m_recon{}, m_samples{};
  int m_reconPerRow = 0, m_reconGroups = 0;

  // The held-out image under the mouse in the latent view, as a texture.
  std::int64_t m_hoverIndex = -1;
  ImTextureID m_hover{};

  // Training images per second, measured between snapshots about every half second.
  std::int64_t m_rateImages = -1;
  double m_rateTime = 0.0, m_rate = 0.0;
};

}  // namespace vilab
