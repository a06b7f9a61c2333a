#include "core/models/vae.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>

#include "core/data/image_dataset.hpp"
#include "core/data/labels.hpp"
#include "core/data/synthetic_shapes.hpp"

namespace vilab {

using Baseline = VaeScenario::Baseline;

void VaeScenario::visitFields(FieldVisitor& v) {
  v.text({.key = "dataset",
          .label = "dataset",
          .group = "Data",
          .help = "fashion-mnist (Debian's dataset-fashion-mnist), synthetic (built-in shapes), a "
                  "directory holding train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz], or the "
                  "path of one ...images-idx3-ubyte[.gz] file (its labels file is found by name).",
          .choices = {"fashion-mnist", "synthetic"}},
         dataset);
  v.boolean({.key = "binarize",
             .label = "binarize",
             .group = "Data",
             .help = "Dynamic binarization: each time an image is used, every pixel becomes 1 "
                     "with probability equal to its grey value, so p(x|z) is a true Bernoulli "
                     "likelihood. Off: grey values in [0, 1] are the targets."},
            binarize);
  v.integer({.key = "latent_dim",
             .label = "latent dim",
             .group = "Model",
             .help = "Dimension of z. Views show the first two; the per-dimension KL shows which "
                     "dimensions the encoder uses (a KL near 0 means a collapsed dimension).",
             .min = 2,
             .max = 16},
            latentDim);
  v.integer({.key = "hidden",
             .label = "hidden units",
             .group = "Model",
             .help = "Width of the encoder's and the decoder's hidden layer. Cost grows linearly.",
             .min = 8,
             .max = 2048,
             .logScale = true},
            hidden);
  v.choice({.key = "activation",
            .label = "activation",
            .group = "Model",
            .help = "Nonlinearity of both hidden layers: tanh (as in Kingma & Welling 2014) or "
                    "relu.",
            .choices = {"tanh", "relu"}},
           activation);
  v.choice({.key = "estimator",
            .label = "estimator",
            .group = "Estimator",
            .help = "Encoder gradient. reparam: differentiate through z = mu + sigma * eps. "
                    "score: REINFORCE, f(z) * grad log q(z|x), unbiased but far noisier; compare "
                    "the two in the gradient-variance plot.",
            .choices = {"reparam", "score"}},
           estimator);
  v.choice({.key = "baseline",
            .label = "baseline",
            .group = "Estimator",
            .help = "Score function only: subtract from f nothing (none), a moving average of "
                    "past minibatch means (moving), or the mean f of the image's other samples "
                    "(loo, needs samples >= 2). Unbiased either way; less variance.",
            .choices = {"none", "moving", "loo"}},
           baseline);
  v.choice({.key = "kl",
            .label = "KL estimator",
            .group = "Estimator",
            .help = "analytic: KL(q(z|x) || N(0, I)) in closed form, only the reconstruction is "
                    "sampled. mc: the whole ELBO by Monte Carlo, log p(x|z) + log p(z) - "
                    "log q(z|x) at the samples (noisier).",
            .choices = {"analytic", "mc"}},
           kl);
  v.integer({.key = "samples",
             .label = "samples",
             .group = "Estimator",
             .help = "Samples of z per image and step. The gradient's variance falls as "
                     "1/samples; the cost of the decoder grows with it.",
             .min = 1,
             .max = 64,
             .logScale = true},
            samples);
  v.real({.key = "beta",
          .label = "β",
          .group = "Objective",
          .help = "Weight of the KL term (beta-VAE, Higgins et al. 2017): above 1 pushes q "
                  "towards the prior (smoother latent space, blurrier images), below 1 favours "
                  "reconstruction. The ELBO curves always use beta = 1.",
          .min = 0,
          .max = 50},
         beta);
  v.integer({.key = "anneal_steps",
             .label = "KL anneal steps",
             .group = "Objective",
             .help = "KL annealing: the KL weight grows linearly from 0 to beta over this many "
                     "steps (0: no annealing). Helps avoid posterior collapse early on.",
             .min = 0,
             .max = 1000000},
            annealSteps);
  v.boolean({.key = "geco",
             .label = "GECO",
             .group = "Objective",
             .help = "Constrained optimisation (Rezende & Viola 2018): minimise KL subject to "
                     "reconstruction error <= target, with a Lagrange multiplier λ that grows "
                     "while the constraint is violated. Replaces beta and annealing."},
            geco.enabled);
  v.real({.key = "geco.target",
          .label = "GECO target",
          .group = "Objective",
          .help = "Tolerated reconstruction error -log p(x|z) per image, in nats (Fashion-MNIST "
                  "with a 2-D latent gets to about 265). Below what the network can reach, λ keeps "
                  "growing and the KL is all but ignored.",
          .min = 0,
          .max = 100000},
         geco.target);
  v.real({.key = "geco.rate",
          .label = "GECO λ rate",
          .group = "Objective",
          .help = "Multiplier update λ <- λ exp(rate * C_ma) per step, C_ma the moving average of "
                  "(reconstruction error - target) in nats.",
          .min = 1e-7,
          .max = 1,
          .logScale = true},
         geco.rate);
  v.real({.key = "geco.alpha",
          .label = "GECO α",
          .group = "Objective",
          .help = "Moving-average factor of the constraint, C_ma <- α C_ma + (1 - α) C. Closer "
                  "to 1: a smoother, slower multiplier.",
          .min = 0,
          .max = 0.9999},
         geco.alpha);
  v.real({.key = "lr",
          .label = "learning rate",
          .group = "Optimizer",
          .help = "Adam's step size for all weights.",
          .min = 1e-6,
          .max = 1,
          .logScale = true},
         lr);
  v.integer({.key = "batch",
             .label = "batch",
             .group = "Optimizer",
             .help = "Training images per step. Larger batches: smoother ELBO curve, more work "
                     "per step.",
             .min = 1,
             .max = 4096,
             .logScale = true},
            batch);
  v.integer({.key = "eval_every",
             .label = "eval every",
             .group = "Run",
             .help = "Steps between held-out ELBO evaluations (0: never).",
             .min = 0,
             .max = 1000000},
            evalEvery);
  v.integer({.key = "eval_images",
             .label = "eval images",
             .group = "Run",
             .help = "Held-out test images used for the held-out ELBO and the latent-space "
                     "view (a fixed random subset; capped at the test set's size).",
             .min = 100,
             .max = 100000,
             .logScale = true},
            evalImages);
  v.integer({.key = "variance_every",
             .label = "variance every",
             .group = "Run",
             .help = "Steps between measurements of the encoder-gradient variance of both "
                     "estimators on the same minibatch (0: never).",
             .min = 0,
             .max = 1000000},
            varianceEvery);
}

std::vector<std::string> VaeScenario::crossChecks() const {
  std::vector<std::string> errors;
  if (estimator == Estimator::Score && baseline == Baseline::LeaveOneOut && samples < 2)
    errors.push_back(
        "baseline = loo needs samples >= 2: it averages the other samples of each "
        "image (samples = " +
        std::to_string(samples) + ")");
  if (static_cast<long long>(batch) * samples > 16384)
    errors.push_back(
        "batch x samples = " + std::to_string(static_cast<long long>(batch) * samples) +
        " is too large: keep it at most 16384");
  return errors;
}

namespace {

// Per step: the minibatch's ELBO terms (nats per image), their means over the last kRecent steps,
// the KL's effective weight, GECO's multiplier (NaN when off), and the held-out ELBO and gradient
// variances on the steps that compute them (NaN on the others).
const std::vector<std::string> kColumns = {
    "iteration", "elbo", "recon",       "kl",           "elbo_avg",         "recon_avg",
    "kl_avg",    "beta", "geco_lambda", "heldout_elbo", "grad_var_reparam", "grad_var_score"};
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kInitStream = 0x1417ULL, kTrainStream = 0x7a11ULL;
constexpr std::uint64_t kPriorStream = 0x9e10ULL, kEvalStream = 0xe7a1ULL;
constexpr std::uint64_t kVarianceStream = 0x7a7aULL;
constexpr std::uint64_t kHeldOutSeed = 0x4e1d0017ULL;
constexpr std::size_t kRecent = 100;
constexpr double kBaselineDecay = 0.9;
constexpr double kLambdaMin = 1e-4, kLambdaMax = 1e4;
constexpr int kVarianceDraws = 8;
constexpr int kLatentPoints = 2000;
constexpr int kReconCount = 16;
constexpr int kEvalChunk = 500;
constexpr int kMaxPixels = 64 * 64;

std::uint64_t mix(std::uint64_t seed, std::uint64_t stream, std::uint64_t iteration = 0) {
  return seed * 0x9e3779b97f4a7c15ULL ^ stream ^ (iteration * 0xbf58476d1ce4e5b9ULL);
}

// Phi^-1(p) for 0 < p < 1 by Newton steps on the normal CDF written with erfc.
double normalQuantile(double p) {
  double x = 0.0;
  for (int i = 0; i < 60; ++i) {
    const double cdf = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2.0 * 3.14159265358979323846);
    const double step = (cdf - p) / pdf;
    x -= std::clamp(step, -1.0, 1.0);
    if (std::fabs(step) < 1e-14) break;
  }
  return x;
}

// The test images used for evaluation and the latent view: a fixed random subset (the same for
// every seed, so runs compare on the same images).
std::vector<std::uint32_t> heldOutSubset(const ImageSet& test, int count) {
  std::vector<std::uint32_t> index(test.count());
  std::iota(index.begin(), index.end(), 0u);
  Random pick(kHeldOutSeed);
  for (std::size_t k = index.size(); k > 1; --k) std::swap(index[k - 1], index[pick.below(k)]);
  index.resize(std::min<std::size_t>(index.size(), count));
  return index;
}

// Data sets stay loaded between resets (and between models, as tests make several).
std::shared_ptr<const ImageDataset> cachedDataset(const std::string& spec, Status& status) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const ImageDataset>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(spec); it != cache.end()) return it->second;
  auto data = std::make_shared<ImageDataset>();
  status = loadImageDataset(spec, *data);
  if (!status) return nullptr;
  if (cache.size() >= 3) cache.clear();
  cache[spec] = data;
  return data;
}

// Copies the tile (rows x cols, bytes or floats) into a row-major float image.
template <class T>
void blit(std::vector<float>& image, int width, int top, int left, const T* tile, int rows,
          int cols, float scale) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      image[std::size_t(top + r) * width + left + c] =
          static_cast<float>(tile[r * cols + c]) * scale;
}

}  // namespace

VaeModel::VaeModel() : m_trace(kColumns) {}

const ModelInfo& VaeModel::info() const {
  static const ModelInfo kInfo{
      "vae", "Variational autoencoder",
      "Amortized inference on images: an encoder q(z|x) and a decoder p(x|z) trained on the ELBO "
      "= reconstruction - KL, with the reparameterization or score-function gradient."};
  return kInfo;
}

std::unique_ptr<Scenario> VaeModel::defaultScenario() const {
  return std::make_unique<VaeScenario>();
}

Status VaeModel::loadData(const VaeScenario& s, std::shared_ptr<const ImageDataset>& data,
                          std::string& note) const {
  note.clear();
  if (m_userData) {
    data = m_userData;
    note = m_userNote;
    return Status::ok();
  }
  Status status;
  data = cachedDataset(s.dataset, status);
  if (!data && s.dataset == "fashion-mnist") {
    // The default must always open: fall back to the built-in shapes and say why.
    note = status.message() + "; using the built-in synthetic shapes";
    data = cachedDataset("synthetic", status);
  }
  return data ? Status::ok() : status;
}

Status VaeModel::reset(const Scenario& scenario) {
  const VaeScenario next = dynamic_cast<const VaeScenario&>(scenario);
  // Everything is checked before anything changes: a failed reset leaves the model as it was.
  std::shared_ptr<const ImageDataset> loaded;
  std::string note;
  if (Status s = loadData(next, loaded, note); !s) return s;
  const ImageDataset& data = *loaded;
  const int pixels = data.train.pixelsPerImage();
  if (pixels > kMaxPixels)
    return Status::error("the images of " + data.name + " have " + std::to_string(data.train.rows) +
                         " x " + std::to_string(data.train.cols) +
                         " pixels (rows x columns); the VAE lab takes at most " +
                         std::to_string(kMaxPixels) + " pixels per image (64 x 64)");
  m_scenario = next;
  m_data = std::move(loaded);
  m_dataNote = std::move(note);

  m_net = VaeNetwork<float>({.input = pixels,
                             .hidden = next.hidden,
                             .latent = next.latentDim,
                             .activation = next.activation});
  Random init(mix(next.seed, kInitStream));
  m_net.initialize(init);
  m_adam.reset(m_net.parameterCount(), {.lr = static_cast<float>(next.lr)});
  m_probe.reset(m_net.layers().b2.data() - m_net.parameters().data(), static_cast<float>(next.lr));
  m_lastSamples = {};
  m_rng.reseed(mix(next.seed, kTrainStream));
  m_order.resize(data.train.count());
  std::iota(m_order.begin(), m_order.end(), 0u);
  m_cursor = m_order.size();  // shuffle at the first step

  m_heldOut = heldOutSubset(data.test, next.evalImages);

  Random prior(mix(next.seed, kPriorStream));
  const VaeViews defaults;
  m_priorZ.resize(next.latentDim, defaults.sampleGrid * defaults.sampleGrid);
  for (Eigen::Index k = 0; k < m_priorZ.size(); ++k)
    m_priorZ.data()[k] = static_cast<float>(prior.normal());

  m_iteration = m_imagesSeen = 0;
  m_lambda = 1.0;
  m_constraintMa = 0.0;
  m_gecoStarted = false;
  m_baseline = 0.0;
  m_baselineReady = false;
  m_last = {};
  m_last.klPerDim = Eigen::VectorXd::Zero(next.latentDim);
  m_klWeight = next.geco.enabled ? 1.0 : (next.annealSteps > 0 ? 0.0 : next.beta);
  m_weights = {1.0, m_klWeight};
  m_recent.clear();
  m_recentCount = 0;
  m_klPerDim.assign(next.latentDim, 0.0);
  m_evaluations = std::make_shared<std::vector<VaeEvaluation>>();
  m_variances = std::make_shared<std::vector<VaeGradientVariance>>();
  m_trace.clear();
  ++m_generation;
  m_views.reset();
  return Status::ok();
}

Status VaeModel::apply(const Scenario& scenario) {
  const auto& next = dynamic_cast<const VaeScenario&>(scenario);
  const VaeScenario& cur = m_scenario;
  const bool rebuild = next.seed != cur.seed || (next.dataset != cur.dataset && !m_userData) ||
                       next.latentDim != cur.latentDim || next.hidden != cur.hidden ||
                       next.activation != cur.activation || !m_data;
  if (rebuild) return reset(next);
  if (next.geco.enabled && !cur.geco.enabled) {
    m_lambda = 1.0;
    m_gecoStarted = false;
  }
  if (next.estimator != cur.estimator || next.kl != cur.kl || next.geco.enabled != cur.geco.enabled)
    m_baselineReady = false;  // the learning signal f changes meaning
  const bool newHeldOut = next.evalImages != cur.evalImages;
  m_scenario = next;
  m_adam.setLearningRate(static_cast<float>(next.lr));
  m_probe.setLearningRate(static_cast<float>(next.lr));
  if (newHeldOut) {
    m_heldOut = heldOutSubset(m_data->test, next.evalImages);
    ++m_generation;
  }
  return Status::ok();
}

Status VaeModel::setData(const Eigen::MatrixXd& data, const std::string& source) {
  CsvData table;
  table.values = data;
  table.source = source;
  return setDataTable(table);
}

namespace {
constexpr double kHalfWhite = 128.0;  // grey level: a brightest pixel below it is not on 0-255
}  // namespace

Status VaeModel::setDataTable(const CsvData& table) {
  const Eigen::MatrixXd& data = table.values;
  const std::string& source = table.source;
  if (data.size() == 0) {
    m_userData.reset();
    return Status::ok();
  }
  // The label column: the one named label/class/y/target wherever it stands (MNIST CSVs put it
  // first); without such a name, the last column when the others make a square image. Pixel
  // columns are never taken for labels: k^2 columns without a named label are all pixels.
  const auto square = [](Eigen::Index n) {
    const auto side = static_cast<Eigen::Index>(std::lround(std::sqrt(static_cast<double>(std::max<Eigen::Index>(n, 0)))));
    return side * side == n ? side : Eigen::Index(0);
  };
  const Eigen::Index cols = data.cols();
  Eigen::Index labelAt = -1;
  if (const auto named = namedLabelColumn(table.header))
    labelAt = *named;
  else if (!square(cols) && square(cols - 1))
    labelAt = cols - 1;
  const Eigen::Index pixelCount = cols - (labelAt >= 0 ? 1 : 0);
  const int side = static_cast<int>(square(pixelCount));
  if (side == 0)
    return Status::error("the VAE lab needs one image per row with k x k pixel columns (and "
                         "optionally a label column, named label, class, y or target, or last); '" +
                         source + "' has " + std::to_string(cols) + " columns" +
                         (labelAt >= 0 ? " (" + std::to_string(pixelCount) + " beside the label column " +
                                             std::to_string(labelAt + 1) + ")"
                                       : ""));
  if (side < 2 || side > 64)
    return Status::error("'" + source + "' has images of " + std::to_string(side) + " x " +
                         std::to_string(side) + " pixels; the VAE lab takes 2 x 2 to 64 x 64");
  if (data.rows() < 2)
    return Status::error("'" + source + "' holds " + std::to_string(data.rows()) +
                         " image; the VAE lab needs at least 2 (one to train on, one held out)");
  // Pixel c of an image is column c of the table, or c + 1 from the label column on (no copy: a
  // full MNIST CSV is hundreds of megabytes).
  const auto pixelColumn = [labelAt](Eigen::Index c) { return c + (labelAt >= 0 && c >= labelAt ? 1 : 0); };
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (Eigen::Index c = 0; c < pixelCount; ++c) {
    lo = std::min(lo, data.col(pixelColumn(c)).minCoeff());
    hi = std::max(hi, data.col(pixelColumn(c)).maxCoeff());
  }
  if (!(lo >= 0.0) || !(hi <= 255.0))
    return Status::error("'" + source + "' has pixel values outside [0, 255] (from " +
                         formatReal(lo) + " to " + formatReal(hi) +
                         "); the VAE lab reads grey levels 0 to 255 or 0 to 1");
  ClassLabels labels;
  if (labelAt >= 0) {
    if (Status s = readClassLabels(table, labelAt, 256, labels); !s) return Status::error("'" + source + "': " + s.message());
  } else {
    labels.classes.assign(static_cast<std::size_t>(data.rows()), 0);
    labels.names = {"image"};
  }
  // Grey fractions when every value is in [0, 1]; grey levels 0-255 when the brightest pixel is
  // at least half white; below that the file has its own scale (scikit-learn's digits: 0-16) and
  // its largest value is white. The note says which.
  const double scale = hi <= 1.0 ? 255.0 : hi < kHalfWhite ? 255.0 / hi : 1.0;
  const std::size_t px = std::size_t(side) * side;
  const std::size_t n = static_cast<std::size_t>(data.rows());
  // Every sixth row is held out (rows 6, 12, ... in the file), or the last of fewer than six.
  const auto heldOut = [n](std::size_t r) { return n < 6 ? r + 1 == n : r % 6 == 5; };
  auto set = std::make_shared<ImageDataset>();
  set->name = source;
  set->source = source;
  set->train.rows = set->train.cols = set->test.rows = set->test.cols = side;
  bool rounded = false;
  for (std::size_t r = 0; r < n; ++r) {
    ImageSet& to = heldOut(r) ? set->test : set->train;
    for (std::size_t c = 0; c < px; ++c) {
      const double v = data(static_cast<Eigen::Index>(r), pixelColumn(static_cast<Eigen::Index>(c))) * scale;
      const double level = std::round(v);
      rounded = rounded || std::fabs(v - level) > 1e-9;
      to.pixels.push_back(static_cast<std::uint8_t>(level));
    }
    to.labels.push_back(static_cast<std::uint8_t>(labels.classes[r]));
  }
  // What was read, in the words of the user: the guesses are stated, not hidden.
  std::string note = source + ": " + std::to_string(side) + "×" + std::to_string(side) + " images";
  const auto columnName = [&table](Eigen::Index j) {
    std::string s = "column " + std::to_string(j + 1);
    if (static_cast<std::size_t>(j) < table.header.size())
      s += " '" + table.header[static_cast<std::size_t>(j)] + "'";
    return s;
  };
  const std::string classes = std::to_string(labels.names.size()) + " class" + (labels.names.size() == 1 ? "" : "es");
  if (labelAt < 0)
    note += ", no label column";
  else if (namedLabelColumn(table.header))
    note += ", labels from " + columnName(labelAt) + " (" + classes + ")";
  else
    note += ", " + columnName(labelAt) + " taken as labels (" + std::to_string(side) + "² + 1 columns; " + classes + ")";
  note += "; pixel values " + formatReal(lo) + "–" + formatReal(hi);
  if (hi <= 1.0)
    note += " read as 0–1 grey (× 255)";
  else if (scale != 1.0)
    note += " read with " + formatReal(hi) + " as white (× 255/" + formatReal(hi) + ")";
  else
    note += " read as 0–255 grey";
  if (rounded) note += ", rounded to the 256 grey levels";
  note += "; " + std::to_string(set->train.count()) + " training / " + std::to_string(set->test.count()) +
          " held out (" + (n < 6 ? std::string("the last row") : std::string("every sixth row")) + ")";
  set->classNames = std::move(labels.names);
  m_userData = std::move(set);
  m_userNote = std::move(note);
  return Status::ok();
}

int VaeModel::batchSize() const {
  return static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(m_scenario.batch), m_data->train.count()));
}

std::vector<std::string> VaeModel::dataDecidedFields() const {
  return m_userData ? std::vector<std::string>{"dataset"} : std::vector<std::string>{};
}

void VaeModel::fillBatch(int size) {
  const ImageSet& train = m_data->train;
  const int d = train.pixelsPerImage();
  m_x.resize(d, size);
  for (int j = 0; j < size; ++j) {
    if (m_cursor >= m_order.size()) {
      // A new epoch: Fisher-Yates shuffle with the training generator.
      for (std::size_t k = m_order.size(); k > 1; --k)
        std::swap(m_order[k - 1], m_order[m_rng.below(k)]);
      m_cursor = 0;
    }
    const std::uint8_t* image = train.image(m_order[m_cursor++]);
    float* column = m_x.col(j).data();
    if (m_scenario.binarize) {
      // Pixel on with probability grey/255: compare 32-bit uniforms, two per draw.
      for (int p = 0; p < d; p += 2) {
        const std::uint64_t u = m_rng.next();
        column[p] = (u & 0xffffffffu) * 255.0 < image[p] * 4294967296.0 ? 1.0f : 0.0f;
        if (p + 1 < d)
          column[p + 1] = (u >> 32) * 255.0 < image[p + 1] * 4294967296.0 ? 1.0f : 0.0f;
      }
    } else {
      for (int p = 0; p < d; ++p) column[p] = image[p] * (1.0f / 255.0f);
    }
  }
}

VaeObjective VaeModel::objective(double reconWeight, double klWeight) const {
  VaeObjective o;
  o.estimator = m_scenario.estimator;
  o.kl = m_scenario.kl;
  o.reconWeight = reconWeight;
  o.klWeight = klWeight;
  o.leaveOneOut = m_scenario.baseline == Baseline::LeaveOneOut && m_scenario.samples > 1;
  o.baseline = m_scenario.baseline == Baseline::Moving ? m_baseline : 0.0;
  return o;
}

void VaeModel::step() {
  if (!m_data) return;  // never successfully reset
  const VaeScenario& s = m_scenario;
  const std::int64_t t = m_iteration + 1;
  // Weights of the two terms. GECO: lambda on the reconstruction, 1 on the KL (Rezende & Viola
  // 2018, Algorithm 1 with the KL as the objective). Else beta with linear annealing.
  double reconWeight = 1.0, klWeight = s.beta;
  if (s.geco.enabled) {
    reconWeight = m_lambda;
    klWeight = 1.0;
  } else if (s.annealSteps > 0) {
    klWeight = s.beta * std::min(1.0, static_cast<double>(t) / s.annealSteps);
  }

  const int batch = batchSize();
  fillBatch(batch);
  m_eps.resize(s.latentDim, static_cast<Eigen::Index>(batch) * s.samples);
  for (Eigen::Index k = 0; k < m_eps.size(); ++k)
    m_eps.data()[k] = static_cast<float>(m_rng.normal());

  VaeObjective obj = objective(reconWeight, klWeight);
  if (s.estimator == VaeEstimator::Score && s.baseline == Baseline::Moving && !m_baselineReady) {
    // No history yet: start the moving average at this batch's mean signal.
    obj.baseline = m_baseline = m_net.evaluate(m_x, m_eps, obj, VaeGradient::None).signal;
    m_baselineReady = true;
  }
  m_last = m_net.evaluate(m_x, m_eps, obj, VaeGradient::All);
  recordSamples();
  const float before = m_net.parameters()[m_probe.index];
  m_adam.ascend(m_net.parameters().data(), m_net.gradient().data());
  m_probe.record(before, m_net.gradient()[m_probe.index], m_net.parameters()[m_probe.index]);

  m_baseline = m_baselineReady
                   ? kBaselineDecay * m_baseline + (1.0 - kBaselineDecay) * m_last.signal
                   : m_last.signal;
  m_baselineReady = true;
  if (s.geco.enabled) {
    // C = reconstruction error - target; its moving average drives lambda multiplicatively.
    const double constraint = -m_last.recon - s.geco.target;
    m_constraintMa = m_gecoStarted
                         ? s.geco.alpha * m_constraintMa + (1.0 - s.geco.alpha) * constraint
                         : constraint;
    m_gecoStarted = true;
    m_lambda =
        std::clamp(m_lambda * std::exp(std::clamp(s.geco.rate * m_constraintMa, -50.0, 50.0)),
                   kLambdaMin, kLambdaMax);
  }
  m_klWeight = klWeight / reconWeight;
  m_weights = {reconWeight, klWeight};
  ++m_iteration;
  m_imagesSeen += batch;

  std::optional<VaeEvaluation> eval;
  std::optional<VaeGradientVariance> variance;
  if (s.evalEvery > 0 && m_iteration % s.evalEvery == 0 && !m_heldOut.empty()) {
    eval = evaluateHeldOut();
    auto next = std::make_shared<std::vector<VaeEvaluation>>(*m_evaluations);
    next->push_back(*eval);
    m_evaluations = std::move(next);
  }
  if (s.varianceEvery > 0 && m_iteration % s.varianceEvery == 0) {
    variance = measureGradientVariance();
    auto next = std::make_shared<std::vector<VaeGradientVariance>>(*m_variances);
    next->push_back(*variance);
    m_variances = std::move(next);
  }
  record(m_last, m_klWeight, eval ? &*eval : nullptr, variance ? &*variance : nullptr);
}

void VaeModel::record(const VaeBatchStats& stats, double klWeight, const VaeEvaluation* eval,
                      const VaeGradientVariance* variance) {
  const std::size_t slot = (m_iteration - 1) % kRecent;
  m_recent.resize(3 * kRecent);
  m_recentCount = std::min(m_recentCount + 1, kRecent);
  m_recent[3 * slot] = stats.elbo();
  m_recent[3 * slot + 1] = stats.recon;
  m_recent[3 * slot + 2] = stats.kl;
  const double decay = m_iteration == 1 ? 0.0 : 0.98;
  for (int k = 0; k < m_scenario.latentDim; ++k)
    m_klPerDim[k] = decay * m_klPerDim[k] + (1.0 - decay) * stats.klPerDim[k];
  const std::array<double, 3> mean = recentMeans();
  m_trace.append({static_cast<double>(m_iteration), stats.elbo(), stats.recon, stats.kl, mean[0],
                  mean[1], mean[2], klWeight, m_scenario.geco.enabled ? m_lambda : kNan,
                  eval ? eval->elbo : kNan, variance ? variance->reparam : kNan,
                  variance ? variance->score : kNan});
}

std::array<double, 3> VaeModel::recentMeans() const {
  std::array<double, 3> mean{0.0, 0.0, 0.0};
  for (std::size_t k = 0; k < m_recentCount; ++k)
    for (int c = 0; c < 3; ++c) mean[c] += m_recent[3 * k + c] / double(m_recentCount);
  return mean;
}

VaeEvaluation VaeModel::evaluateHeldOut() const {
  // A copy of the network keeps the training workspace untouched; evaluation draws come from
  // their own generator, so evaluating never changes the training run.
  VaeNetwork<float> net = m_net;
  Random rng(mix(m_scenario.seed, kEvalStream, static_cast<std::uint64_t>(m_iteration)));
  const ImageSet& test = m_data->test;
  const int d = test.pixelsPerImage(), l = m_scenario.latentDim;
  VaeObjective obj;  // the plain ELBO: analytic KL, unit weights
  VaeEvaluation out;
  out.iteration = m_iteration;
  out.klPerDim.assign(l, 0.0);
  Eigen::MatrixXf x, eps;
  const std::size_t total = m_heldOut.size();
  for (std::size_t start = 0; start < total; start += kEvalChunk) {
    const int n = static_cast<int>(std::min<std::size_t>(kEvalChunk, total - start));
    x.resize(d, n);
    for (int j = 0; j < n; ++j) {
      const std::uint8_t* image = test.image(m_heldOut[start + j]);
      for (int p = 0; p < d; ++p)
        x(p, j) = m_scenario.binarize ? (rng.uniform() * 255.0 < image[p] ? 1.0f : 0.0f)
                                      : image[p] * (1.0f / 255.0f);
    }
    eps.resize(l, n);
    for (Eigen::Index k = 0; k < eps.size(); ++k) eps.data()[k] = static_cast<float>(rng.normal());
    const VaeBatchStats stats = net.evaluate(x, eps, obj, VaeGradient::None);
    const double w = static_cast<double>(n) / total;
    out.recon += w * stats.recon;
    out.kl += w * stats.kl;
    for (int k = 0; k < l; ++k) out.klPerDim[k] += w * stats.klPerDim[k];
  }
  out.elbo = out.recon - out.kl;
  return out;
}

VaeGradientVariance VaeModel::measureGradientVariance() {
  // Both estimators on the current minibatch and weights, kVarianceDraws independent noise draws
  // each, from a generator of their own (the training stream is untouched).
  const VaeScenario& s = m_scenario;
  Random rng(mix(s.seed, kVarianceStream, static_cast<std::uint64_t>(m_iteration)));
  VaeNetwork<float> net = m_net;
  const Eigen::Index count = net.encoderParameterCount();
  const auto [reconWeight, klWeight] = m_weights;
  Eigen::MatrixXf eps(s.latentDim, m_x.cols() * s.samples);
  VaeGradientVariance out;
  out.iteration = m_iteration;
  for (VaeEstimator estimator : {VaeEstimator::Reparam, VaeEstimator::Score}) {
    VaeObjective obj = objective(reconWeight, klWeight);
    obj.estimator = estimator;
    m_varSum.assign(count, 0.0);
    m_varSumSq.assign(count, 0.0);
    for (int r = 0; r < kVarianceDraws; ++r) {
      for (Eigen::Index k = 0; k < eps.size(); ++k)
        eps.data()[k] = static_cast<float>(rng.normal());
      net.evaluate(m_x, eps, obj, VaeGradient::Encoder);
      const float* g = net.gradient().data();
      for (Eigen::Index k = 0; k < count; ++k) {
        m_varSum[k] += g[k];
        m_varSumSq[k] += double(g[k]) * g[k];
      }
    }
    double variance = 0.0, signal = 0.0;
    for (Eigen::Index k = 0; k < count; ++k) {
      const double mean = m_varSum[k] / kVarianceDraws;
      variance += (m_varSumSq[k] - kVarianceDraws * mean * mean) / (kVarianceDraws - 1);
      signal += mean * mean;
    }
    (estimator == VaeEstimator::Reparam ? out.reparam : out.score) = variance / count;
    (estimator == VaeEstimator::Reparam ? out.reparamSignal : out.scoreSignal) = signal / count;
  }
  return out;
}

Status VaeModel::health() const {
  std::string what;
  if (!std::isfinite(m_last.elbo()))
    what = "the minibatch ELBO";
  else if (!std::isfinite(m_lambda))
    what = "the GECO multiplier λ";
  else if (m_scenario.estimator == VaeEstimator::Score && !std::isfinite(m_baseline))
    what = "the score-function baseline";
  if (what.empty()) return Status::ok();
  std::string cause = "the learning rate (lr = " + formatReal(m_scenario.lr) + ") is too high";
  if (m_scenario.estimator == VaeEstimator::Score)
    cause +=
        " for the score-function estimator's noisy gradients; lower lr, add samples or use "
        "reparam";
  else if (m_scenario.activation == VaeActivation::Relu)
    cause += " for relu units, whose log-variances can blow up; lower lr or use tanh";
  else
    cause += "; lower lr";
  return Status::error(what + " became non-finite at iteration " + std::to_string(m_iteration) +
                       ": " + cause);
}

std::shared_ptr<const VaeViews> VaeModel::computeViews() const {
  const auto start = std::chrono::steady_clock::now();
  auto views = std::make_shared<VaeViews>();
  views->iteration = m_iteration;
  const ImageSet& test = m_data->test;
  const int rows = test.rows, cols = test.cols, d = test.pixelsPerImage();
  const int l = m_scenario.latentDim;

  // Latent space: the first kLatentPoints held-out images, encoded to their means.
  const int n = static_cast<int>(std::min<std::size_t>(kLatentPoints, m_heldOut.size()));
  Eigen::MatrixXf x(d, n), mu;
  for (int j = 0; j < n; ++j) {
    const std::uint8_t* image = test.image(m_heldOut[j]);
    for (int p = 0; p < d; ++p) x(p, j) = image[p] * (1.0f / 255.0f);
  }
  m_net.encode(x, mu);
  views->latentX.resize(n);
  views->latentY.resize(n);
  views->latentLabels.resize(n);
  views->latentIndex.assign(m_heldOut.begin(), m_heldOut.begin() + n);
  for (int j = 0; j < n; ++j) {
    views->latentX[j] = mu(0, j);
    views->latentY[j] = mu(1, j);
    views->latentLabels[j] = test.labels[m_heldOut[j]];
  }

  // Manifold: decoder means over Phi^-1 of an even grid, other latent dimensions at 0.
  const int g = views->manifoldGrid;
  views->manifoldZ.resize(g);
  for (int k = 0; k < g; ++k)
    views->manifoldZ[k] = static_cast<float>(normalQuantile((k + 0.5) / g));
  Eigen::MatrixXf z = Eigen::MatrixXf::Zero(l, g * g), probs;
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c) {
      z(0, r * g + c) = views->manifoldZ[c];
      z(1, r * g + c) = views->manifoldZ[g - 1 - r];  // top row: largest z2
    }
  m_net.decodeMean(z, probs);
  views->manifoldWidth = g * cols;
  views->manifoldHeight = g * rows;
  views->manifold.assign(std::size_t(views->manifoldWidth) * views->manifoldHeight, 0.0f);
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c)
      blit(views->manifold, views->manifoldWidth, r * rows, c * cols, probs.col(r * g + c).data(),
           rows, cols, 1.0f);

  // Reconstructions: one held-out image per class first, then the next ones in order.
  std::vector<std::uint32_t> picks;
  std::vector<bool> seen(256, false);
  for (std::uint32_t i : m_heldOut)
    if (picks.size() < kReconCount && !seen[test.labels[i]])
      seen[test.labels[i]] = true, picks.push_back(i);
  for (std::uint32_t i : m_heldOut)
    if (picks.size() < kReconCount && std::find(picks.begin(), picks.end(), i) == picks.end())
      picks.push_back(i);
  const int count = static_cast<int>(picks.size());
  Eigen::MatrixXf inputs(d, count), codes;
  for (int j = 0; j < count; ++j)
    for (int p = 0; p < d; ++p) inputs(p, j) = test.image(picks[j])[p] * (1.0f / 255.0f);
  m_net.encode(inputs, codes);
  m_net.decodeMean(codes, probs);
  views->reconCount = count;
  views->reconIndex = picks;
  views->reconWidth = count * cols;
  views->reconHeight = 2 * rows;
  views->reconstructions.assign(std::size_t(views->reconWidth) * views->reconHeight, 0.0f);
  for (int j = 0; j < count; ++j) {
    blit(views->reconstructions, views->reconWidth, 0, j * cols, inputs.col(j).data(), rows, cols,
         1.0f);
    blit(views->reconstructions, views->reconWidth, rows, j * cols, probs.col(j).data(), rows, cols,
         1.0f);
  }

  // Samples: decoder means at the fixed prior draws.
  const int sg = views->sampleGrid;
  m_net.decodeMean(m_priorZ, probs);
  views->samplesWidth = sg * cols;
  views->samplesHeight = sg * rows;
  views->priorSamples.assign(std::size_t(views->samplesWidth) * views->samplesHeight, 0.0f);
  for (int k = 0; k < sg * sg; ++k)
    blit(views->priorSamples, views->samplesWidth, (k / sg) * rows, (k % sg) * cols,
         probs.col(k).data(), rows, cols, 1.0f);

  views->parameters.assign(m_net.parameters().data(),
                           m_net.parameters().data() + m_net.parameterCount());
  m_viewsCost = std::chrono::steady_clock::now() - start;
  return views;
}

std::shared_ptr<const Snapshot> VaeModel::snapshot() const {
  auto snap = std::make_shared<VaeSnapshot>();
  snap->model = "vae";
  snap->iteration = m_iteration;
  snap->trace = m_trace.view();
  if (!m_dataNote.empty()) snap->notes.push_back(m_dataNote);
  if (m_scenario.geco.enabled && (m_scenario.beta != 1.0 || m_scenario.annealSteps > 0))
    snap->notes.push_back("GECO is on: beta and anneal_steps are ignored");
  snap->dataset = m_data;
  if (m_data) {
    snap->classNames = m_data->classNames;
    snap->imageRows = m_data->test.rows;
    snap->imageCols = m_data->test.cols;
  }
  snap->shape = m_net.shape();
  snap->estimator = m_scenario.estimator;
  snap->klEstimator = m_scenario.kl;
  snap->samples = m_scenario.samples;
  snap->batch = m_data ? batchSize() : m_scenario.batch;
  if (m_data && snap->batch < m_scenario.batch)
    snap->notes.push_back("batch = " + std::to_string(m_scenario.batch) + " is more than the " +
                          std::to_string(snap->batch) + " training images of " + m_data->name +
                          ": each step uses all " + std::to_string(snap->batch));
  snap->gecoEnabled = m_scenario.geco.enabled;
  snap->gecoTarget = m_scenario.geco.target;
  snap->elbo = m_last.elbo();
  snap->recon = m_last.recon;
  snap->kl = m_last.kl;
  const std::array<double, 3> mean = recentMeans();
  snap->elboMean = mean[0];
  snap->reconMean = mean[1];
  snap->klMean = mean[2];
  snap->klPerDim = m_klPerDim;
  snap->klWeight = m_klWeight;
  snap->gecoLambda = m_lambda;
  snap->gecoConstraint = m_constraintMa;
  snap->baseline = m_baseline;
  snap->imagesSeen = m_imagesSeen;
  snap->epoch =
      m_data && m_data->train.count() ? double(m_imagesSeen) / m_data->train.count() : 0.0;
  snap->evaluations = m_evaluations;
  snap->variances = m_variances;

  if (m_data) {
    // Heavy views at most every m_viewInterval (and at most ~1/8 of the worker's time).
    const auto now = std::chrono::steady_clock::now();
    const auto wait =
        std::max<std::chrono::steady_clock::duration>(m_viewInterval, 8 * m_viewsCost);
    const bool stale = !m_views || m_viewsGeneration != m_generation ||
                       (m_views->iteration != m_iteration && now - m_viewsTime >= wait);
    if (stale) {
      m_views = computeViews();
      m_viewsGeneration = m_generation;
      m_viewsTime = now;
    }
  }
  snap->views = m_views;
  fillEquations(*snap);
  return snap;
}

}  // namespace vilab
