#pragma once
// The factor-analysis lab: y = W z + mu + e with z ~ N(0, I_K), e ~ N(0, Psi) diagonal, fitted by
// EM seen as coordinate ascent on the ELBO (E step: q = p(z|y), the bound touches the
// log-likelihood; M step: W, Psi raise it), with probabilistic PCA as the special case
// Psi = sigma^2 I, its closed form, and the plain PCA directions for comparison.

#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/data/image_set.hpp"
#include "core/model.hpp"
#include "core/models/fa_data.hpp"
#include "core/models/fa_em.hpp"

namespace vilab {

struct FaScenario : ScenarioOf<FaScenario> {
  static constexpr std::string_view kModelName = "fa";
  enum class Init { Random, Pca };

  // "generated" (from the fields below), "fashion-mnist", "synthetic" or an IDX path (see
  // loadImageDataset): the first data.n training images, one row of pixels each.
  std::string dataset = "generated";
  int d = 6;  // generated data only; images and user data bring their own
  bool dataFromFile = false;  // set by adaptScenario while user data decide d (not a field)
  struct Data {
    int n = 500;
    int k = 2;
    double noise = 0.5;
    double psiSpread = 10.0;
    double scale = 1.0;
  } data;
  int k = 2;
  bool ppca = false;
  bool halfsteps = true;
  Init init = Init::Random;
  struct View {
    bool pca = false;
    int x = 1, y = 2;  // 1-based coordinates
  } view;
  // Not a field: the data file's column names (adaptScenario copies them), for the view help.
  std::vector<std::string> columnNames;

  FaScenario() { speed = 4.0; }

  bool generated() const { return dataset == "generated"; }

  std::vector<std::string> crossChecks() const override;

 protected:
  void visitFields(FieldVisitor& v) override;
};

// Everything the lab's views draw, in the data's units. Per-point arrays hold the drawn points:
// rows 0, cloudStride, 2 cloudStride, ... of the data (all of them up to kMaxDrawnPoints).
struct FaSnapshot : Snapshot {
  enum class Phase { None, Full, E, M };  // what the last step did

  // Data and provenance.
  std::shared_ptr<const Eigen::MatrixXd> data;  // N x D, original units (for tooltips)
  std::string dataSource;                       // "generated", the data set's name or the CSV path
  std::vector<std::string> columnNames;  // D: the file's header names; empty without a header
  int n = 0, d = 0, k = 0;
  // Images (the `dataset` field): each row of the data is an image of imageRows x imageCols
  // pixels, row-major (0 x 0 for other data). The image views draw W's columns and psi so.
  int imageRows = 0, imageCols = 0;
  bool ppca = false, halfsteps = false;
  bool nextIsE = true;  // half-step mode: the next step is an E step
  Phase lastPhase = Phase::None;

  // Current parameters theta (--params-out: W, psi, mu).
  Eigen::MatrixXd W;               // D x K
  Eigen::VectorXd psi;             // D (PPCA: all equal sigma^2)
  Eigen::VectorXd mu;              // D, the sample mean (the ML estimate of mu)
  Eigen::VectorXd psiFloor;        // D: the Heywood floor each psi_i is kept above
  std::vector<int> floored;        // 0-based coordinates whose psi sits on the floor (Heywood)
  std::vector<int> constant;       // 0-based constant columns: psi_i = kConstantColumnPsi, w_i = 0
  Eigen::VectorXd sampleVariance;  // D: S_ii (the top of each psi bar's possible range)

  // The generating model (generated data only).
  bool hasTruth = false;
  Eigen::MatrixXd trueW;  // D x Ktrue
  Eigen::VectorXd truePsi, trueMu;

  // The E step's q(z_n) = N(A (y_n - mu), G) and the sufficient statistics the M step uses,
  // from the last E step (after an M step they belong to the previous theta).
  Eigen::MatrixXd G;    // K x K posterior covariance
  Eigen::MatrixXd A;    // K x D: E[z|y] = A (y - mu)
  Eigen::MatrixXd Eyz;  // D x K: (1/N) sum (y - mu) E[z]^T
  Eigen::MatrixXd Ezz;  // K x K: (1/N) sum E[z z^T]

  // Live numbers, per data point.
  double logLik = 0.0;  // (1/N) sum log N(y_n | mu, W W^T + Psi)
  double elbo = 0.0;    // with q from the last E step
  double kl = 0.0;      // logLik - elbo = mean KL(q(z|y_n) || p(z|y_n))
  double error = 0.0;   // ||W W^T - Wtrue Wtrue^T||_F (0 without truth)

  // Comparisons: maximum-likelihood PPCA in closed form, and PCA of the sample covariance.
  Eigen::MatrixXd ppcaW;  // D x K
  double ppcaSigma2 = 0.0, ppcaLogLik = 0.0;
  Eigen::VectorXd pcaVariances;   // D eigenvalues of S, descending
  Eigen::MatrixXd pcaDirections;  // D x min(D, max(K, 2)): the leading unit eigenvectors

  // The 2-D data view: the plane spanned by two coordinates or the first two principal axes.
  // Every 2-D quantity is projection * (D-dim quantity); ellipses are 2 x 2 covariances about
  // `centre` (draw e.g. the 1 and 2 standard-deviation contours).
  bool viewPca = false;
  std::string viewXLabel, viewYLabel;
  Eigen::Matrix<double, 2, Eigen::Dynamic> projection;  // 2 x D
  std::shared_ptr<const Eigen::MatrixXd> cloud;         // drawn points x 2
  std::size_t cloudStride = 1;
  Eigen::Vector2d centre = Eigen::Vector2d::Zero();     // projected mu
  Eigen::Matrix2d modelCov = Eigen::Matrix2d::Zero();   // of W W^T + Psi
  Eigen::Matrix2d trueCov = Eigen::Matrix2d::Zero();    // of Wtrue Wtrue^T + Psi_true
  Eigen::Matrix2d sampleCov = Eigen::Matrix2d::Zero();  // of S
  Eigen::Matrix2d ppcaCov = Eigen::Matrix2d::Zero();    // of the closed-form PPCA covariance
  Eigen::MatrixXd wArrows;     // 2 x K: columns of W, arrows from the centre
  Eigen::MatrixXd trueArrows;  // 2 x Ktrue
  Eigen::MatrixXd pcaArrows;   // 2 x min(D, max(K, 2)): sqrt(lambda_j) u_j from the centre

  // The latent view: E[z|y_n] under q for the drawn points (K = 1: a strip; else a scatter of
  // the first two factors), coloured by `colour`, with G's leading 2 x 2 block as the ellipse.
  std::shared_ptr<const Eigen::MatrixXd> latent;  // drawn points x K
  std::shared_ptr<const std::vector<double>> colour;
  std::string colourLabel;              // "true z₁", "class" or "row"
  std::vector<std::string> classNames;  // non-empty: colour holds class indices into it
  Eigen::Matrix2d latentCov = Eigen::Matrix2d::Zero();  // K = 1: only (0,0) is set
};

class FaModel final : public Model {
 public:
  FaModel();

  const ModelInfo& info() const override;
  std::unique_ptr<Scenario> defaultScenario() const override;
  Status reset(const Scenario& scenario) override;
  Status apply(const Scenario& scenario) override;
  Status setData(const Eigen::MatrixXd& data, const std::string& source) override;
  // setData, keeping the header's column names for the axes and notes.
  Status setDataTable(const CsvData& table) override;
  // With user data the generator's fields and the dataset (the file decides N, D and the values);
  // with images the generator's fields (the images decide D, data.n says how many).
  std::vector<std::string> dataDecidedFields() const override;
  void adaptScenario(Scenario& scenario) const override;
  void step() override;
  std::int64_t iteration() const override { return m_iteration; }
  Status health() const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  TraceLog& trace() override { return m_trace; }
  std::unique_ptr<Model> clone() const override { return std::make_unique<FaModel>(*this); }

  // Per-point values in the data's units, for tests and the benchmark.
  double logLik() const { return m_logLik - m_dataDim * std::log(m_stats->scale); }
  double elbo() const { return m_elbo - m_dataDim * std::log(m_stats->scale); }
  Eigen::MatrixXd W() const { return m_stats->scale * m_theta.W; }
  Eigen::VectorXd psi() const { return m_stats->scale * m_stats->scale * m_theta.psi; }
  const Eigen::VectorXd& mu() const { return m_stats->mean; }
  bool nextIsE() const { return m_nextIsE; }

  // At most this many points are drawn (and get per-point latent means in a snapshot), and at
  // most kMaxDrawnValues / D of them (the drawn rows are kept centred: 64 MB at most).
  static constexpr Eigen::Index kMaxDrawnPoints = 20000;
  static constexpr Eigen::Index kMaxDrawnValues = 8'000'000;

 private:
  void initialise();
  void refresh();  // evaluation, log-likelihood, error at the current theta
  void record(FaSnapshot::Phase phase);
  void setFloor();
  void computeView() const;
  // The E and/or M step the next step applies, with its numbers (fa_equations.cpp).
  void fillEquations(FaSnapshot& snap) const;
  Status loadImages(const FaScenario& s, std::shared_ptr<const Eigen::MatrixXd>& data,
                    std::shared_ptr<const ImageDataset>& images) const;

  FaScenario m_scenario;
  std::shared_ptr<const Eigen::MatrixXd> m_userData;
  std::string m_userSource;
  // The header of the table given to setDataTable and the data it came with (names hold only
  // while m_userData is that data: setData alone gives none).
  std::vector<std::string> m_userNames;
  std::shared_ptr<const Eigen::MatrixXd> m_namesOf;
  std::span<const std::string> columnNames() const;
  std::string coordinateName(int i) const;  // "petal_length", else "y₃"

  // Heavy and unchanging parts are shared (clone() is the runner's checkpoint; a reset with the
  // same data, e.g. another k, reuses the statistics).
  std::shared_ptr<const Eigen::MatrixXd> m_data;
  std::shared_ptr<const ImageDataset> m_images;  // the data set the rows come from, if images
  std::shared_ptr<const Eigen::MatrixXd> m_imageData;
  std::string m_imageSpec;
  int m_imageCount = 0;
  bool m_hasTruth = false;
  FaTruth m_truth;                // original units
  Eigen::MatrixXd m_trueWScaled;  // internal units
  std::shared_ptr<const FaStats> m_stats;
  std::shared_ptr<const Eigen::MatrixXd> m_statsOf;  // the data m_stats were computed from
  double m_dataDim = 0.0;
  double m_constantFloor = 0.0;  // kConstantColumnPsi in internal units
  Eigen::VectorXd m_diagS, m_floor;
  std::shared_ptr<const Eigen::MatrixXd> m_drawn;  // centred, scaled drawn rows
  Eigen::Index m_stride = 1;
  std::shared_ptr<const std::vector<double>> m_colour;
  std::string m_colourLabel;
  std::vector<std::string> m_classNames;
  std::vector<std::string> m_dataNotes;
  FaParams m_ppca;
  double m_ppcaLogLik = 0.0;

  // The fit, in internal units.
  FaParams m_theta;
  FaEvaluation m_eval;
  FaPosterior m_q;
  double m_logLik = 0.0, m_elbo = 0.0, m_error = 0.0;
  std::vector<int> m_floored;
  bool m_nextIsE = true;
  FaSnapshot::Phase m_lastPhase = FaSnapshot::Phase::None;
  std::int64_t m_iteration = 0;
  std::uint64_t m_qVersion = 0;
  TraceLog m_trace;

  // Snapshot caches (the worker is the only caller): the projected cloud per view, latent
  // means per q.
  mutable std::shared_ptr<const Eigen::MatrixXd> m_cloud;
  mutable Eigen::Matrix<double, 2, Eigen::Dynamic> m_projection;
  mutable Eigen::Matrix2d m_viewSampleCov;  // P S P^T, internal units
  mutable std::string m_viewXLabel, m_viewYLabel, m_viewNote;
  mutable bool m_viewValid = false;
  mutable std::shared_ptr<const Eigen::MatrixXd> m_latent;
  mutable std::uint64_t m_latentVersion = ~std::uint64_t{0};
};

}  // namespace vilab
