#include "core/models/fa.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <sstream>

#include "core/data/image_dataset.hpp"
#include "core/math/random.hpp"
#include "core/math/view_plane.hpp"
#include "core/text/subscript.hpp"

namespace vilab {

using Phase = FaSnapshot::Phase;

void FaScenario::visitFields(FieldVisitor& v) {
  v.text({.key = "dataset",
          .label = "dataset",
          .group = "Data",
          .help = "generated (drawn from the model below), or images: fashion-mnist (Debian's "
                  "dataset-fashion-mnist), synthetic (built-in shapes), or an MNIST-format IDX "
                  "directory or ...images-idx3-ubyte[.gz] file. Images are fitted as rows of D = "
                  "rows × cols grey values in [0, 1]; data.n says how many. --data overrides it.",
          .choices = {"generated", "fashion-mnist", "synthetic"}},
         dataset);
  v.integer({.key = "data.n",
             .label = "N",
             .group = "Data",
             .help = "Number of observations: drawn from the generating model, or the first N "
                     "training images of the data set. With --data the CSV's rows are used "
                     "instead.",
             .min = 2,
             .max = 100000,
             .logScale = true},
            data.n);
  v.integer({.key = "d",
             .label = "D",
             .group = "Data",
             .help = "Dimension of each observation y of generated data. Data decide it: with "
                     "--data it is the CSV's column count (2 to 784), with images the pixels per "
                     "image.",
             .min = 2,
             .max = kMaxColumns},
            d);
  v.integer({.key = "data.k",
             .label = "K true",
             .group = "Data",
             .help = "Number of factors of the model that generates the data (loadings "
                     "W_true ~ N(0, 1)). Fit a different k to see under- and over-fitting.",
             .min = 1,
             .max = 10},
            data.k);
  v.real({.key = "data.noise",
          .label = "noise",
          .group = "Data",
          .help = "Typical noise standard deviation √ψᵢ of the generating model (geometric mean "
                  "over coordinates), relative to unit loadings: small values give a nearly "
                  "low-rank cloud.",
          .min = 1e-3,
          .max = 10,
          .logScale = true},
         data.noise);
  v.real({.key = "data.psi_spread",
          .label = "ψ spread",
          .group = "Data",
          .help = "Ratio of the largest to the smallest true noise variance ψᵢ, log-spaced along "
                  "the coordinates. 1 gives equal noise, where PPCA is the true model.",
          .min = 1,
          .max = 1e4,
          .logScale = true},
         data.psiSpread);
  v.real({.key = "data.scale",
          .label = "units",
          .group = "Data",
          .help = "Multiplies W_true, μ_true and the noise: the units of the generated data. The "
                  "fit scales with it exactly.",
          .min = 1e-80,
          .max = 1e80,
          .logScale = true},
         data.scale);
  v.integer({.key = "k",
             .label = "K",
             .group = "Model",
             .help = "Number of factors the model fits (columns of W); must be less than D.",
             .min = 1,
             .max = 10},
            k);
  v.boolean({.key = "ppca",
             .label = "PPCA",
             .group = "Model",
             .help = "Probabilistic PCA: Ψ = σ²I, one noise variance shared by all coordinates "
                     "(its M step averages the FA update). Switching keeps W and continues."},
            ppca);
  v.boolean({.key = "halfsteps",
             .label = "half steps",
             .group = "Algorithm",
             .help = "Each step runs only the E step (q = p(z|y): the ELBO touches the "
                     "log-likelihood) or only the M step (W and Ψ raise the ELBO), alternately. "
                     "Off: each step is a full EM iteration."},
            halfsteps);
  v.choice({.key = "init",
            .label = "start",
            .group = "Algorithm",
            .help = "Where EM starts after a reset: random loadings Wᵢⱼ ~ N(0, Sᵢᵢ/(4K)) with "
                    "Ψ = diag S, or pca, the closed-form PPCA solution (then Ψ = diag(S − WWᵀ) "
                    "for FA).",
            .choices = {"random", "pca"}},
           init);
  v.boolean({.key = "view.pca",
             .label = "PCA plane",
             .group = "View",
             .help = "Data view: project onto the first two principal axes instead of showing "
                     "the coordinates view.x and view.y."},
            view.pca);
  v.integer({.key = "view.x",
             .label = "x coordinate",
             .group = "View",
             .help = "Coordinate (1 to D) on the data view's horizontal axis." +
                     coordinateList(columnNames),
             .min = 1,
             .max = kMaxColumns},
            view.x);
  v.integer({.key = "view.y",
             .label = "y coordinate",
             .group = "View",
             .help = "Coordinate (1 to D) on the data view's vertical axis." +
                     coordinateList(columnNames),
             .min = 1,
             .max = kMaxColumns},
            view.y);
}

std::vector<std::string> FaScenario::crossChecks() const {
  std::vector<std::string> errors;
  if (dataset.empty()) errors.push_back("dataset is empty: use generated, fashion-mnist or a path");
  // Images decide D (checked against k by reset, when they are read); so does --data, whose
  // column count adaptScenario copies into d.
  // With a file, reset names the file when k >= d (raising d is no remedy there).
  const bool dKnown = generated() && !dataFromFile;
  if (dKnown && k >= d)
    errors.push_back("k = " + std::to_string(k) +
                     " factors need D > K, but d = " + std::to_string(d) + ": lower k or raise d");
  if (data.n <= k)
    errors.push_back("data.n = " + std::to_string(data.n) + " points cannot determine k = " +
                     std::to_string(k) + " factors: data.n must exceed k");
  if (!view.pca) {
    if (generated() && (view.x > d || view.y > d))
      errors.push_back("view.x and view.y must be coordinates 1 to d = " + std::to_string(d));
    else if (view.x == view.y)
      errors.push_back("view.x and view.y must differ (both are " + std::to_string(view.x) + ")");
  }
  return errors;
}

namespace {

const std::vector<std::string> kColumns = {"iteration", "elbo", "loglik", "kl", "phase", "error"};
constexpr std::uint64_t kInitStream = 0xfa5eed1417ULL;

std::string shortNumber(double v) {
  std::ostringstream out;
  out.precision(3);
  out << v;
  return out.str();
}

}  // namespace

FaModel::FaModel() : m_trace(kColumns) {}

const ModelInfo& FaModel::info() const {
  static const ModelInfo kInfo{
      "fa", "Factor analysis (EM)",
      "EM as coordinate ascent on the ELBO: the E step closes the gap to the log-likelihood, "
      "the M step raises the bound; probabilistic PCA is the special case Ψ = σ²I."};
  return kInfo;
}

std::unique_ptr<Scenario> FaModel::defaultScenario() const {
  return std::make_unique<FaScenario>();
}

std::vector<std::string> FaModel::dataDecidedFields() const {
  if (m_userData)  // the file decides N, D and the values; the dataset field is not used
    return {"dataset", "d", "data.n", "data.k", "data.noise", "data.psi_spread", "data.scale"};
  if (m_images)  // the images decide D; data.n says how many are fitted
    return {"d", "data.k", "data.noise", "data.psi_spread", "data.scale"};
  return {};
}

Status FaModel::setData(const Eigen::MatrixXd& data, const std::string& source) {
  if (data.size() == 0) {
    m_userData.reset();
    m_userSource.clear();
    return Status::ok();
  }
  if (Status check = checkFaData(data); !check)
    return Status::error("'" + source + "': " + check.message());
  m_userData = std::make_shared<const Eigen::MatrixXd>(data);
  m_userSource = source;
  return Status::ok();
}

Status FaModel::setDataTable(const CsvData& table) {
  Status status = Model::setDataTable(table);  // the shared range check, then setData
  if (status) {
    m_userNames = table.header;
    m_namesOf = m_userData;
  }
  return status;
}

std::span<const std::string> FaModel::columnNames() const {
  if (!m_userData || m_namesOf != m_userData ||
      m_userNames.size() != static_cast<std::size_t>(m_userData->cols()))
    return {};
  return m_userNames;
}

std::string FaModel::coordinateName(int i) const {
  return vilab::coordinateName(i, "y", columnNames());
}

void FaModel::adaptScenario(Scenario& scenario) const {
  // d follows the data's columns, so checks such as k < d judge the data actually fitted.
  auto& s = dynamic_cast<FaScenario&>(scenario);
  s.dataFromFile = m_userData != nullptr;
  const auto names = columnNames();
  s.columnNames.assign(names.begin(), names.end());
  if (m_userData)
    s.d = static_cast<int>(m_userData->cols());
  else if (m_images && s.dataset == m_imageSpec)
    s.d = m_images->train.pixelsPerImage();
}

Status FaModel::loadImages(const FaScenario& s, std::shared_ptr<const Eigen::MatrixXd>& data,
                           std::shared_ptr<const ImageDataset>& images) const {
  images = m_images;
  if (!images || s.dataset != m_imageSpec) {
    auto loaded = std::make_shared<ImageDataset>();
    if (Status status = loadImageDataset(s.dataset, *loaded); !status) return status;
    images = std::move(loaded);
  }
  const ImageSet& train = images->train;
  if (static_cast<std::size_t>(s.data.n) > train.count())
    return Status::error("data.n = " + std::to_string(s.data.n) + " images, but " + images->name +
                         " has " + std::to_string(train.count()) + " training images");
  if (train.pixelsPerImage() > kMaxColumns)
    return Status::error("the images of " + images->name + " have " + std::to_string(train.rows) +
                         " × " + std::to_string(train.cols) + " = " +
                         std::to_string(train.pixelsPerImage()) +
                         " pixels; factor analysis takes "
                         "at most " +
                         std::to_string(kMaxColumns));
  if (images == m_images && s.data.n == m_imageCount && m_imageData) {
    data = m_imageData;
    return Status::ok();
  }
  auto y = std::make_shared<const Eigen::MatrixXd>(imageRows(train, s.data.n));
  if (Status check = checkFaData(*y); !check)
    return Status::error("dataset = '" + s.dataset + "': " + check.message());
  data = std::move(y);
  return Status::ok();
}

Status FaModel::reset(const Scenario& scenario) {
  const auto& s = dynamic_cast<const FaScenario&>(scenario);
  // Checks that depend on the data come first, so a failed reset changes nothing.
  std::shared_ptr<const Eigen::MatrixXd> data = m_userData;
  std::shared_ptr<const ImageDataset> images;
  if (!data && !s.generated())
    if (Status status = loadImages(s, data, images); !status) return status;
  const Eigen::Index d = data ? data->cols() : s.d;
  const Eigen::Index n = data ? data->rows() : s.data.n;
  const std::string what = m_userData ? "the data from '" + m_userSource + "'"
                           : images   ? "the images of " + images->name
                                      : std::string();
  if (s.k >= d) {
    const std::string have =
        data ? what + " have D = " + std::to_string(d) + " columns" : "d = " + std::to_string(d);
    return Status::error("k = " + std::to_string(s.k) + " factors need D > k, but " + have +
                         "; choose k < " + std::to_string(d));
  }
  if (n <= s.k)
    return Status::error("k = " + std::to_string(s.k) + " factors need more than " +
                         std::to_string(s.k) + " observations; there are " + std::to_string(n));
  FaTruth truth;
  if (!data) {
    auto y = std::make_shared<Eigen::MatrixXd>();
    truth = generateFaData({.n = s.data.n,
                            .d = s.d,
                            .k = s.data.k,
                            .noise = s.data.noise,
                            .spread = s.data.psiSpread,
                            .scale = s.data.scale,
                            .seed = s.seed},
                           *y);
    if (Status check = checkFaData(*y); !check)
      return Status::error("generated data: " + check.message());
    data = std::move(y);
  }
  // Statistics are computed once per data set: from the shared rows or the same images.
  std::shared_ptr<const FaStats> stats =
      data == m_statsOf && m_stats ? m_stats : std::make_shared<const FaStats>(faStats(*data));
  const Eigen::Index varying = d - static_cast<Eigen::Index>(stats->constant.size());
  if (s.k >= varying)
    return Status::error("k = " + std::to_string(s.k) +
                         " factors need more than k columns that "
                         "vary, but " +
                         (data == m_userData || images ? what : "the data") + " have " +
                         std::to_string(varying) + " (of " + std::to_string(d) + "); choose k < " +
                         std::to_string(varying));

  m_scenario = s;
  m_data = std::move(data);
  m_images = images;
  // The images' rows are kept for a reset with the same data set and N (another k, say).
  m_imageSpec = images ? s.dataset : std::string();
  m_imageCount = images ? s.data.n : 0;
  m_imageData = images ? m_data : nullptr;
  m_hasTruth = !m_userData && !images;
  m_truth = std::move(truth);
  m_stats = std::move(stats);
  m_statsOf = m_data;
  m_dataDim = static_cast<double>(d);
  m_diagS = m_stats->S.diagonal();
  m_constantFloor = kConstantColumnPsi / (m_stats->scale * m_stats->scale);
  if (m_hasTruth) m_trueWScaled = m_truth.W / m_stats->scale;

  const Eigen::Index maxDrawn =
      std::min(kMaxDrawnPoints, std::max<Eigen::Index>(1, kMaxDrawnValues / d));
  m_stride = (n + maxDrawn - 1) / maxDrawn;
  m_drawn = std::make_shared<const Eigen::MatrixXd>(centredRows(*m_data, *m_stats, m_stride));
  const Eigen::Index drawn = m_drawn->rows();
  auto colour = std::make_shared<std::vector<double>>(drawn);
  for (Eigen::Index r = 0; r < drawn; ++r)
    (*colour)[r] = m_hasTruth ? m_truth.z(r * m_stride, 0)
                   : images   ? static_cast<double>(images->train.labels[r * m_stride])
                              : static_cast<double>(r * m_stride + 1);
  m_colour = std::move(colour);
  m_colourLabel = m_hasTruth ? "true z₁" : images ? "class" : "row";
  m_classNames.clear();
  if (images && !m_userData) {
    int classes = 0;
    for (std::uint8_t label : images->train.labels) classes = std::max(classes, label + 1);
    for (int c = 0; c < classes; ++c)
      m_classNames.push_back(static_cast<std::size_t>(c) < images->classNames.size()
                                 ? images->classNames[c]
                                 : std::to_string(c));
  }

  m_dataNotes.clear();
  if (m_userData)
    m_dataNotes.push_back("data from " + m_userSource + ": " + std::to_string(n) + " rows × " +
                          std::to_string(d) + " columns");
  if (images)
    m_dataNotes.push_back("data: the first " + std::to_string(n) + " training images of " +
                          images->name + " (" + std::to_string(images->train.rows) + " × " +
                          std::to_string(images->train.cols) + " pixels, grey values in [0, 1])");
  if (m_stride > 1)
    m_dataNotes.push_back("drawing 1 in " + std::to_string(m_stride) + " of the " +
                          std::to_string(n) + " points");
  if (n <= d)
    m_dataNotes.push_back("N = " + std::to_string(n) + " points in D = " + std::to_string(d) +
                          " dimensions: the sample covariance is singular, expect Heywood cases");
  constexpr std::size_t kCollinearNotes = 6;
  for (std::size_t j = 0; j < std::min(m_stats->collinear.size(), kCollinearNotes); ++j) {
    const auto& [a, b] = m_stats->collinear[j];
    m_dataNotes.push_back(coordinateName(a) + " and " + coordinateName(b) +
                          " are perfectly correlated (duplicated columns?): expect " +
                          indexed("ψ", a + 1) + ", " + indexed("ψ", b + 1) + " on the floor");
  }
  if (m_stats->collinear.size() > kCollinearNotes)
    m_dataNotes.push_back("… and " + std::to_string(m_stats->collinear.size() - kCollinearNotes) +
                          " more perfectly correlated pairs of columns");

  const Eigen::VectorXd ppcaFloor = psiFloor(m_diagS, true);
  m_ppca = ppcaClosedForm(m_stats->eigenvalues, m_stats->eigenvectors, s.k, ppcaFloor[0]);
  m_ppcaLogLik = evaluate(m_ppca, m_stats->S).logLik;

  m_viewValid = false;
  m_latent.reset();
  m_trace.clear();
  initialise();
  return Status::ok();
}

void FaModel::setFloor() {
  m_floor = psiFloor(m_diagS, m_scenario.ppca, m_stats->constant, m_constantFloor);
}

void FaModel::initialise() {
  setFloor();
  const int k = m_scenario.k;
  const Eigen::Index d = m_diagS.size();
  if (m_scenario.init == FaScenario::Init::Pca) {
    m_theta = m_ppca;
    if (!m_scenario.ppca)
      m_theta.psi = (m_diagS - m_theta.W.rowwise().squaredNorm()).cwiseMax(m_floor);
  } else {
    Random rng(m_scenario.seed ^ kInitStream);
    m_theta.W.resize(d, k);
    for (Eigen::Index i = 0; i < d; ++i)
      for (int j = 0; j < k; ++j) m_theta.W(i, j) = 0.5 * std::sqrt(m_diagS[i] / k) * rng.normal();
    m_theta.psi = m_scenario.ppca ? Eigen::VectorXd::Constant(d, m_diagS.mean())
                                  : m_diagS.cwiseMax(m_floor).eval();
  }
  refresh();
  // q starts as the exact posterior at the starting point, as if an E step had run.
  m_q = eStep(m_eval);
  ++m_qVersion;
  m_elbo = vilab::elbo(m_q, m_theta, m_diagS);
  m_iteration = 0;
  m_nextIsE = true;
  m_lastPhase = Phase::None;
}

void FaModel::refresh() {
  m_eval = evaluate(m_theta, m_stats->S);
  m_logLik = m_eval.logLik;
  m_error = m_hasTruth ? covarianceDistance(m_theta.W, m_trueWScaled) : 0.0;
  m_floored.clear();
  for (Eigen::Index i = 0; i < m_theta.psi.size(); ++i)
    if (m_theta.psi[i] <= m_floor[i] && !(m_diagS[i] == 0.0 && !m_scenario.ppca))
      m_floored.push_back(static_cast<int>(i));
}

Status FaModel::apply(const Scenario& scenario) {
  const auto& next = dynamic_cast<const FaScenario&>(scenario);
  // Fields the current data ignore may change without a reset: the generating model's with
  // images or user data, and also the dataset and its N with user data.
  const bool keep =
      m_userData ? sameFieldValues(next, m_scenario,
                                   {"speed", "view.pca", "view.x", "view.y", "halfsteps", "ppca",
                                    "init", "dataset", "d", "data.n", "data.k", "data.noise",
                                    "data.psi_spread", "data.scale"})
      : m_images
          ? sameFieldValues(next, m_scenario,
                            {"speed", "view.pca", "view.x", "view.y", "halfsteps", "ppca", "init",
                             "d", "data.k", "data.noise", "data.psi_spread", "data.scale"})
          : sameFieldValues(next, m_scenario,
                            {"speed", "view.pca", "view.x", "view.y", "halfsteps", "ppca", "init"});
  if (!keep) return reset(next);
  const bool ppcaChanged = next.ppca != m_scenario.ppca;
  if (next.view.pca != m_scenario.view.pca || next.view.x != m_scenario.view.x ||
      next.view.y != m_scenario.view.y)
    m_viewValid = false;
  m_scenario = next;
  if (ppcaChanged) {
    // Keep W; PPCA starts from the average noise variance, FA from the shared one.
    setFloor();
    if (next.ppca) m_theta.psi = Eigen::VectorXd::Constant(m_theta.psi.size(), m_theta.psi.mean());
    m_theta.psi = m_theta.psi.cwiseMax(m_floor);
    refresh();
    m_elbo = vilab::elbo(m_q, m_theta, m_diagS);
    m_nextIsE = true;
  }
  return Status::ok();
}

void FaModel::step() {
  const bool half = m_scenario.halfsteps;
  if (!half || m_nextIsE) {
    m_q = eStep(m_eval);
    ++m_qVersion;
    m_elbo = vilab::elbo(m_q, m_theta, m_diagS);
    if (half) {
      m_nextIsE = false;
      ++m_iteration;
      record(Phase::E);
      return;
    }
  }
  m_theta = mStep(m_q, m_diagS, m_floor, m_scenario.ppca);
  refresh();
  m_elbo = vilab::elbo(m_q, m_theta, m_diagS);
  m_nextIsE = true;
  ++m_iteration;
  record(half ? Phase::M : Phase::Full);
}

void FaModel::record(Phase phase) {
  m_lastPhase = phase;
  const double shift = m_dataDim * std::log(m_stats->scale);
  const double code = phase == Phase::E ? 1.0 : phase == Phase::M ? 2.0 : 0.0;
  const double c2 = m_stats->scale * m_stats->scale;
  m_trace.append({static_cast<double>(m_iteration), m_elbo - shift, m_logLik - shift,
                  m_logLik - m_elbo, code, c2 * m_error});
}

Status FaModel::health() const {
  std::string what;
  if (!m_theta.W.allFinite())
    what = "the loadings W";
  else if (!m_theta.psi.allFinite() || !(m_theta.psi.minCoeff() > 0))
    what = "the noise variances Ψ";
  else if (!std::isfinite(m_logLik))
    what = "the log-likelihood";
  else if (!std::isfinite(m_elbo))
    what = "the ELBO";
  if (what.empty()) return Status::ok();
  return Status::error(what + " became non-finite at iteration " + std::to_string(m_iteration) +
                       ": the sample covariance is nearly singular (few points, collinear or "
                       "near-constant columns); use fewer factors or more data");
}

void FaModel::computeView() const {
  const Eigen::Index d = m_diagS.size();
  const auto& v = m_scenario.view;
  ViewPlane plane = v.pca ? principalPlane(m_stats->eigenvalues, m_stats->eigenvectors,
                                           m_stats->eigenvalues.sum())
                          : coordinatePlane(v.x, v.y, static_cast<int>(d), "y", columnNames());
  m_projection = std::move(plane.projection);
  m_viewXLabel = std::move(plane.xLabel);
  m_viewYLabel = std::move(plane.yLabel);
  m_viewNote = std::move(plane.note);
  m_viewSampleCov = m_projection * m_stats->S * m_projection.transpose();
  // The drawn rows in original units, projected.
  const Eigen::Index rows = m_drawn->rows();
  auto cloud = std::make_shared<Eigen::MatrixXd>(rows, 2);
  for (Eigen::Index r = 0; r < rows; ++r)
    cloud->row(r) = (m_projection * m_data->row(r * m_stride).transpose()).transpose();
  m_cloud = std::move(cloud);
  m_viewValid = true;
}

std::shared_ptr<const Snapshot> FaModel::snapshot() const {
  auto snap = std::make_shared<FaSnapshot>();
  const double c = m_stats->scale, c2 = c * c;
  const double shift = m_dataDim * std::log(c);
  const Eigen::Index d = m_diagS.size();
  const int k = m_scenario.k;
  snap->model = "fa";
  snap->iteration = m_iteration;
  snap->trace = m_trace.view();

  snap->data = m_data;
  snap->dataSource = m_userData ? m_userSource : m_images ? m_images->name : "generated";
  const auto names = columnNames();
  snap->columnNames.assign(names.begin(), names.end());
  if (m_images && !m_userData) {
    snap->imageRows = m_images->train.rows;
    snap->imageCols = m_images->train.cols;
  }
  snap->n = m_stats->n;
  snap->d = static_cast<int>(d);
  snap->k = k;
  snap->ppca = m_scenario.ppca;
  snap->halfsteps = m_scenario.halfsteps;
  snap->nextIsE = m_nextIsE;
  snap->lastPhase = m_lastPhase;

  snap->W = c * m_theta.W;
  snap->psi = c2 * m_theta.psi;
  snap->mu = m_stats->mean;
  snap->psiFloor = c2 * m_floor;
  snap->floored = m_floored;
  snap->constant = m_stats->constant;
  snap->sampleVariance = c2 * m_diagS;

  snap->hasTruth = m_hasTruth;
  if (m_hasTruth) {
    snap->trueW = m_truth.W;
    snap->truePsi = m_truth.psi;
    snap->trueMu = m_truth.mu;
  }

  snap->G = m_q.G;
  snap->A = m_q.A / c;
  snap->Eyz = c * m_q.Eyz;
  snap->Ezz = m_q.Ezz;
  snap->logLik = m_logLik - shift;
  snap->elbo = m_elbo - shift;
  snap->kl = m_logLik - m_elbo;
  snap->error = c2 * m_error;

  snap->ppcaW = c * m_ppca.W;
  snap->ppcaSigma2 = c2 * m_ppca.psi[0];
  snap->ppcaLogLik = m_ppcaLogLik - shift;
  snap->pcaVariances = c2 * m_stats->eigenvalues;
  snap->pcaDirections = m_stats->eigenvectors.leftCols(std::min<Eigen::Index>(d, std::max(k, 2)));

  // The data view.
  if (!m_viewValid) computeView();
  const auto& P = m_projection;
  snap->viewPca = m_scenario.view.pca;
  snap->viewXLabel = m_viewXLabel;
  snap->viewYLabel = m_viewYLabel;
  snap->projection = P;
  snap->cloud = m_cloud;
  snap->cloudStride = static_cast<std::size_t>(m_stride);
  snap->centre = P * m_stats->mean;
  const auto projectCov = [&P](const Eigen::MatrixXd& W, const Eigen::VectorXd& psi) {
    const Eigen::MatrixXd PW = P * W;
    Eigen::Matrix2d cov = PW * PW.transpose();
    cov += P * psi.asDiagonal() * P.transpose();
    return cov;
  };
  snap->modelCov = c2 * projectCov(m_theta.W, m_theta.psi);
  snap->ppcaCov = c2 * projectCov(m_ppca.W, m_ppca.psi);
  snap->sampleCov = c2 * m_viewSampleCov;
  snap->wArrows = c * P * m_theta.W;
  if (m_hasTruth) {
    snap->trueCov = projectCov(m_truth.W, m_truth.psi);
    snap->trueArrows = P * m_truth.W;
  }
  const Eigen::Index pcs = std::min<Eigen::Index>(d, std::max(k, 2));
  snap->pcaArrows = c * P * m_stats->eigenvectors.leftCols(pcs) *
                    m_stats->eigenvalues.head(pcs).cwiseSqrt().asDiagonal();

  // The latent view: recomputed only when an E step changed q.
  if (m_latentVersion != m_qVersion || !m_latent) {
    m_latent = std::make_shared<const Eigen::MatrixXd>(*m_drawn * m_q.A.transpose());
    m_latentVersion = m_qVersion;
  }
  snap->latent = m_latent;
  snap->colour = m_colour;
  snap->colourLabel = m_colourLabel;
  snap->classNames = m_classNames;
  snap->latentCov(0, 0) = m_q.G(0, 0);
  if (k >= 2) snap->latentCov = m_q.G.topLeftCorner(2, 2);
  fillEquations(*snap);

  // Notes to flag on screen.
  snap->notes = m_dataNotes;
  if (!m_viewNote.empty()) snap->notes.push_back(m_viewNote);
  if (const auto& constant = m_stats->constant; !constant.empty()) {
    // Named, as scikit-learn's FactorAnalysis treats them (its floor on psi).
    std::string names;
    constexpr std::size_t kNamed = 12;
    for (std::size_t j = 0; j < std::min(constant.size(), kNamed); ++j)
      names += (j ? ", " : "") + coordinateName(constant[j]);
    if (constant.size() > kNamed) names += ", …";
    std::string note = std::to_string(constant.size()) +
                       (constant.size() == 1 ? " constant column (" : " constant columns (") +
                       names + "): ";
    note += m_scenario.ppca
                ? "zero variance, counted in σ²"
                : "loadings 0, ψᵢ held at scikit-learn's floor " + shortNumber(kConstantColumnPsi);
    snap->notes.push_back(note);
  }
  if (!m_scenario.ppca && (d - k) * (d - k) < d + k)
    snap->notes.push_back("K = " + std::to_string(k) + " factors in D = " + std::to_string(d) +
                          " dimensions: more parameters than the covariance can fix "
                          "((D−K)² < D+K), so W and Ψ are not unique");
  if (!m_floored.empty()) {
    if (m_scenario.ppca) {
      snap->notes.push_back("σ² is on its floor (" + shortNumber(kPsiFloorRelative) +
                            " × the mean sample variance): K factors explain all the variance");
    } else {
      std::string names;
      for (int i : m_floored) names += (names.empty() ? "" : ", ") + indexed("ψ", i + 1);
      snap->notes.push_back("Heywood case: " + names + " on the floor (" +
                            shortNumber(kPsiFloorRelative) +
                            " × the sample variance): the factors explain those coordinates "
                            "almost entirely");
    }
  }
  return snap;
}

}  // namespace vilab
