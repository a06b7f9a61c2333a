#pragma once
// The VAE lab: a variational autoencoder (Kingma & Welling 2014) trained live on Fashion-MNIST
// (or any MNIST-format IDX pair, or built-in shapes), with the encoder's gradient estimator
// (reparameterization or score function), the KL estimator (analytic or Monte Carlo), beta,
// KL annealing and GECO (Rezende & Viola 2018) as controls.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/data/image_set.hpp"
#include "core/math/random.hpp"
#include "core/model.hpp"
#include "core/models/vae_network.hpp"
#include "core/optim/adam.hpp"
#include "core/optim/adam_probe.hpp"

namespace vilab {

struct VaeScenario : ScenarioOf<VaeScenario> {
  static constexpr std::string_view kModelName = "vae";
  using Activation = VaeActivation;
  using Estimator = VaeEstimator;
  using Kl = VaeKl;
  enum class Baseline { None, Moving, LeaveOneOut };

  std::string dataset = "fashion-mnist";
  bool binarize = false;
  int latentDim = 2;
  int hidden = 512;
  Activation activation = Activation::Tanh;
  Estimator estimator = Estimator::Reparam;
  Baseline baseline = Baseline::Moving;
  Kl kl = Kl::Analytic;
  int samples = 1;
  double beta = 1.0;
  int annealSteps = 0;
  struct Geco {
    bool enabled = false;
    double target = 265.0;  // reconstruction error -log p(x|z) per image, nats
    double rate = 5e-5;     // multiplier step per nat of constraint violation
    double alpha = 0.99;    // moving-average factor of the constraint
  } geco;
  double lr = 1e-3;
  int batch = 128;
  int evalEvery = 500;
  int evalImages = 2000;
  int varianceEvery = 500;

  std::vector<std::string> crossChecks() const override;

 protected:
  void visitFields(FieldVisitor& v) override;
};

// One held-out evaluation: single-sample ELBO with analytic KL, per image, nats.
struct VaeEvaluation {
  std::int64_t iteration = 0;
  double elbo = 0.0, recon = 0.0, kl = 0.0;
  std::vector<double> klPerDim;  // closed-form KL of each latent dimension
};

// Spread of the encoder's gradient on one minibatch: the mean over encoder parameters of the
// variance across independent draws of the noise, for both estimators on the same batch and
// weights; and the mean squared entry of the averaged gradient (the signal).
struct VaeGradientVariance {
  std::int64_t iteration = 0;
  double reparam = 0.0, score = 0.0;
  double reparamSignal = 0.0, scoreSignal = 0.0;
};

// The heavy view data: computed at most a few times per second and shared by every snapshot
// published meanwhile. Images are row-major floats in [0, 1] (0 black), row 0 at the top.
struct VaeViews {
  std::int64_t iteration = 0;  // the iteration the network had when these were computed

  // Latent space: held-out images encoded to their means (first two latent dimensions), with
  // their labels and their index in dataset->test (for the hover readout).
  std::vector<float> latentX, latentY;
  std::vector<std::uint8_t> latentLabels;
  std::vector<std::uint32_t> latentIndex;

  // Decoded manifold (Kingma & Welling 2014, fig. 4): a grid x grid of decoder means at
  // z = (Phi^-1(u1), Phi^-1(u2), 0, ...) with u on an even grid of (0, 1); z1 grows to the
  // right, z2 upwards. manifoldZ holds the z of each column's centre, ascending.
  int manifoldGrid = 15;
  std::vector<float> manifoldZ;
  int manifoldWidth = 0, manifoldHeight = 0;
  std::vector<float> manifold;

  // Reconstructions: inputs in the top row of tiles, decoder means at z = mu below.
  int reconCount = 0, reconWidth = 0, reconHeight = 0;
  std::vector<float> reconstructions;
  std::vector<std::uint32_t> reconIndex;  // into dataset->test

  // Decoder means at fixed draws z ~ N(0, I) (drawn once per reset), sampleGrid x sampleGrid.
  int sampleGrid = 8, samplesWidth = 0, samplesHeight = 0;
  std::vector<float> priorSamples;

  // All weights (VaeNetwork layout) at `iteration`, for exporting.
  std::vector<float> parameters;
};

struct VaeSnapshot : Snapshot {
  using Estimator = VaeScenario::Estimator;
  using Kl = VaeScenario::Kl;

  // The images (hover readout: dataset->test.image(i)) and the class names for legends.
  std::shared_ptr<const ImageDataset> dataset;
  std::vector<std::string> classNames;
  int imageRows = 0, imageCols = 0;

  // Settings the panel shows.
  VaeShape shape;
  Estimator estimator = Estimator::Reparam;
  Kl klEstimator = Kl::Analytic;
  int samples = 1, batch = 128;
  bool gecoEnabled = false;
  double gecoTarget = 0.0;

  // Training, per image in nats: the last minibatch and means over the last 100 minibatches.
  double elbo = 0.0, recon = 0.0, kl = 0.0;
  double elboMean = 0.0, reconMean = 0.0, klMean = 0.0;
  std::vector<double> klPerDim;  // closed-form KL per latent dimension, recent minibatches
  double klWeight = 1.0;         // effective beta: the KL's weight relative to reconstruction
  double gecoLambda = 1.0;       // GECO's multiplier on the reconstruction constraint
  double gecoConstraint = 0.0;   // moving average of (reconstruction error - target), nats
  double baseline = 0.0;         // score function's moving-average baseline
  std::int64_t imagesSeen = 0;
  double epoch = 0.0;

  std::shared_ptr<const std::vector<VaeEvaluation>> evaluations;
  std::shared_ptr<const std::vector<VaeGradientVariance>> variances;
  std::shared_ptr<const VaeViews> views;
};

class VaeModel final : public Model {
 public:
  VaeModel();

  const ModelInfo& info() const override;
  std::unique_ptr<Scenario> defaultScenario() const override;
  Status reset(const Scenario& scenario) override;
  Status apply(const Scenario& scenario) override;
  // Rows are images: k^2 pixel columns (k <= 64, row-major), plus optionally a label column: the
  // one named label/class/y/target wherever it stands, else the last of k^2 + 1 columns. Labels
  // become classes 0..K-1 (K <= 256) named by their values. Pixel values: all in [0, 1] are grey
  // fractions (x 255); otherwise they must lie in [0, 255] and are grey levels, unless the
  // largest is below 128 (half white: scikit-learn's digits, 0..16), which is then taken as
  // white (x 255 / max); values are rounded to the 256 grey levels. Every sixth row (rows 6, 12, ...; the last row
  // when there are fewer than 6) is held out, so a file sorted by label trains on every class.
  // The note (in the snapshot) says all of this: image size, label column and classes, pixel
  // range and scale, training and held-out counts. setData is setDataTable without column names.
  Status setData(const Eigen::MatrixXd& data, const std::string& source) override;
  Status setDataTable(const CsvData& table) override;
  bool takesLabels() const override { return true; }
  std::vector<std::string> dataDecidedFields() const override;
  void step() override;
  std::int64_t iteration() const override { return m_iteration; }
  Status health() const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  TraceLog& trace() override { return m_trace; }
  // A plain copy: the published histories are copy-on-write and the data is shared read-only.
  std::unique_ptr<Model> clone() const override { return std::make_unique<VaeModel>(*this); }

  // Training images processed since the reset (iterations x batch, summed over batch changes).
  std::int64_t imagesSeen() const { return m_imagesSeen; }
  const VaeNetwork<float>& network() const { return m_net; }
  const ImageDataset& dataset() const { return *m_data; }
  double gecoLambda() const { return m_lambda; }

  // Minimum time between recomputations of the heavy views (tests set zero: every snapshot).
  void setViewInterval(std::chrono::milliseconds interval) { m_viewInterval = interval; }
  // The views now, whatever the interval.
  std::shared_ptr<const VaeViews> computeViews() const;
  VaeEvaluation evaluateHeldOut() const;
  VaeGradientVariance measureGradientVariance();

 private:
  Status loadData(const VaeScenario& s, std::shared_ptr<const ImageDataset>& data,
                  std::string& note) const;
  // Images per step: `batch`, or every training image when the data set has fewer (said in a
  // note: a small data set of one's own trains without a hunt for the batch field).
  int batchSize() const;
  void fillBatch(int size);
  VaeObjective objective(double reconWeight, double klWeight) const;
  void record(const VaeBatchStats& stats, double klWeight, const VaeEvaluation* eval,
              const VaeGradientVariance* variance);
  std::array<double, 3> recentMeans() const;  // (elbo, recon, kl) over the last steps
  // Keeps image 1's numbers of the step's estimate (m_lastSamples); O(L S).
  void recordSamples();
  // The ELBO estimator and an Adam update with the last step's numbers (vae_equations.cpp).
  void fillEquations(VaeSnapshot& snap) const;

  VaeScenario m_scenario;
  std::shared_ptr<const ImageDataset> m_data;
  std::shared_ptr<const ImageDataset> m_userData;
  std::string m_dataNote;
  std::string m_userNote;  // what setDataTable read from the user's table
  VaeNetwork<float> m_net;
  Adam<float> m_adam;
  Random m_rng;
  std::vector<std::uint32_t> m_order;  // the current epoch's shuffled training indices
  std::size_t m_cursor = 0;
  std::vector<std::uint32_t> m_heldOut;  // test indices for evaluation and the latent view
  Eigen::MatrixXf m_x, m_eps, m_priorZ;
  std::int64_t m_iteration = 0, m_imagesSeen = 0;

  double m_lambda = 1.0, m_constraintMa = 0.0;
  bool m_gecoStarted = false;
  double m_baseline = 0.0;
  bool m_baselineReady = false;

  VaeBatchStats m_last;
  // The last step's numbers for image 1 of the minibatch (the live equations): latent
  // dimension 1's mu and sigma, the first min(S, 3) samples' eps, z and log p(x_1 | z_1s), the
  // KL term (analytic, or the mean of its per-sample Monte Carlo values, shown per sample too),
  // and the image's estimate over all S samples.
  struct StepSamples {
    int samples = 0, batch = 0, shown = 0;
    double mu = 0.0, sigma = 0.0, kl = 0.0, estimate = 0.0;
    std::array<double, 3> eps{}, z{}, logLik{}, klSample{};
  } m_lastSamples;
  AdamProbe<float> m_probe;  // follows the encoder's bias of mu_1 (b2[0]) through Adam
  double m_klWeight = 1.0;
  std::pair<double, double> m_weights{1.0, 1.0};  // (reconstruction, KL) weights of the last step
  std::vector<double> m_recent;  // ring of (elbo, recon, kl) for the last kRecent steps
  std::size_t m_recentCount = 0;
  std::vector<double> m_klPerDim;
  std::shared_ptr<std::vector<VaeEvaluation>> m_evaluations;
  std::shared_ptr<std::vector<VaeGradientVariance>> m_variances;
  std::vector<double> m_varSum, m_varSumSq;  // gradient-variance accumulators

  std::uint64_t m_generation = 0;  // bumped whenever the network is replaced
  std::chrono::milliseconds m_viewInterval{250};
  mutable std::shared_ptr<const VaeViews> m_views;
  mutable std::uint64_t m_viewsGeneration = ~std::uint64_t(0);
  mutable std::chrono::steady_clock::time_point m_viewsTime{};
  mutable std::chrono::steady_clock::duration m_viewsCost{};

  TraceLog m_trace;
};

}  // namespace vilab
