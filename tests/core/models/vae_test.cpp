#include "core/models/vae.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <numeric>

#include "core/data/csv.hpp"
#include "core/data/image_dataset.hpp"
#include "core/data/synthetic_shapes.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

using Estimator = VaeScenario::Estimator;
using Kl = VaeScenario::Kl;

// A small, quick configuration on the built-in shapes.
VaeScenario small() {
  VaeScenario s;
  s.dataset = "synthetic";
  s.hidden = 64;
  s.batch = 32;
  s.evalEvery = 50;
  s.evalImages = 300;
  s.varianceEvery = 50;
  return s;
}

double column(const TraceView& t, std::size_t row, const char* name) {
  return t.at(row, static_cast<std::size_t>(t.column(name)));
}

TEST(VaeScenario, KeysRangesAndCrossChecks) {
  VaeScenario s;
  for (const char* key :
       {"dataset",      "binarize", "latent_dim",  "hidden",      "activation",
        "estimator",    "baseline", "kl",          "samples",     "beta",
        "anneal_steps", "geco",     "geco.target", "geco.rate",   "geco.alpha",
        "lr",           "batch",    "eval_every",  "eval_images", "variance_every",
        "seed"})
    EXPECT_TRUE(findField(s, key).has_value()) << key;
  EXPECT_TRUE(validate(s).empty());
  EXPECT_FALSE(setField(s, "latent_dim", std::int64_t{17}).isOk());
  EXPECT_TRUE(setFieldFromText(s, "latent_dim", "16").isOk());
  EXPECT_TRUE(setFieldFromText(s, "estimator", "score").isOk());
  EXPECT_TRUE(setFieldFromText(s, "kl", "mc").isOk());
  EXPECT_TRUE(setFieldFromText(s, "dataset", "/tmp/mnist").isOk());
  EXPECT_EQ(s.dataset, "/tmp/mnist");
  EXPECT_TRUE(setFieldFromText(s, "baseline", "loo").isOk());
  const auto errors = validate(s);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("samples >= 2"), std::string::npos);
  s.samples = 4;
  EXPECT_TRUE(validate(s).empty());
  s.batch = 4096;
  s.samples = 8;
  EXPECT_FALSE(validate(s).empty());
  EXPECT_NE(makeModel("vae"), nullptr);
}

TEST(VaeModel, TrainingOnShapesRaisesTheElbo) {
  VaeModel model;
  VaeScenario s = small();
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_EQ(model.dataset().name, "synthetic shapes");
  for (int i = 0; i < 300; ++i) model.step();
  ASSERT_TRUE(model.health().isOk());
  const TraceView t = model.trace().view();
  ASSERT_EQ(t.rows(), 300u);
  EXPECT_EQ(t.columns()[0], "iteration");
  EXPECT_EQ(t.columns()[1], "elbo");
  EXPECT_EQ(t.columns()[2], "recon");
  EXPECT_EQ(t.columns()[3], "kl");
  double first = 0.0, last = 0.0;
  for (std::size_t r = 0; r < 20; ++r) first += column(t, r, "elbo") / 20;
  for (std::size_t r = 280; r < 300; ++r) last += column(t, r, "elbo") / 20;
  EXPECT_GT(last, first + 50.0) << "first " << first << " last " << last;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    EXPECT_NEAR(column(t, r, "elbo"), column(t, r, "recon") - column(t, r, "kl"), 1e-9);
    EXPECT_GE(column(t, r, "kl"), 0.0);
  }
  // The running mean is the mean of the last 100 (or fewer) rows.
  for (std::size_t r : {0u, 49u, 299u}) {
    double mean = 0.0;
    const std::size_t from = r >= 99 ? r - 99 : 0;
    for (std::size_t q = from; q <= r; ++q) mean += column(t, q, "elbo") / double(r - from + 1);
    EXPECT_NEAR(column(t, r, "elbo_avg"), mean, 1e-9) << r;
  }
  // Held-out evaluations every 50 steps, in the trace and in the snapshot; they improve too.
  auto snap = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
  ASSERT_EQ(snap->evaluations->size(), 6u);
  EXPECT_GT(snap->evaluations->back().elbo, snap->evaluations->front().elbo + 20.0);
  EXPECT_EQ(column(t, 49, "heldout_elbo"), snap->evaluations->front().elbo);
  EXPECT_TRUE(std::isnan(column(t, 50, "heldout_elbo")));
  EXPECT_EQ(snap->imagesSeen, 300 * 32);
  EXPECT_NEAR(snap->elboMean, column(t, 299, "elbo_avg"), 1e-12);
  EXPECT_EQ(model.imagesSeen(), 300 * 32);
  EXPECT_NEAR(snap->evaluations->back().kl,
              std::accumulate(snap->evaluations->back().klPerDim.begin(),
                              snap->evaluations->back().klPerDim.end(), 0.0),
              1e-9);
}

TEST(VaeModel, SameSeedSameTraceWhateverTheSnapshots) {
  VaeScenario s = small();
  s.estimator = Estimator::Score;
  s.kl = Kl::MonteCarlo;
  s.binarize = true;
  s.samples = 2;
  s.evalEvery = s.varianceEvery = 10;
  VaeModel a, b;
  ASSERT_TRUE(a.reset(s).isOk());
  ASSERT_TRUE(b.reset(s).isOk());
  a.setViewInterval(std::chrono::milliseconds(0));
  for (int i = 0; i < 30; ++i) {
    a.step();
    b.step();
    a.snapshot();  // heavy views every step on a only
  }
  const TraceView ta = a.trace().view(), tb = b.trace().view();
  ASSERT_EQ(ta.rows(), 30u);
  for (std::size_t r = 0; r < ta.rows(); ++r)
    for (std::size_t c = 0; c < ta.columnCount(); ++c) {
      const double x = ta.at(r, c), y = tb.at(r, c);
      ASSERT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << r << " " << ta.columns()[c];
    }
  s.seed = 2;
  ASSERT_TRUE(b.reset(s).isOk());
  b.step();
  EXPECT_NE(b.trace().view().at(0, 1), ta.at(0, 1));
}

TEST(VaeModel, SnapshotViewsHaveTheDocumentedShapes) {
  VaeModel model;
  VaeScenario s = small();
  s.latentDim = 3;
  ASSERT_TRUE(model.reset(s).isOk());
  model.setViewInterval(std::chrono::milliseconds(0));
  for (int i = 0; i < 5; ++i) model.step();
  auto snap = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
  ASSERT_TRUE(snap->views);
  const VaeViews& v = *snap->views;
  EXPECT_EQ(v.iteration, 5);
  EXPECT_EQ(snap->classNames, shapeClassNames());
  EXPECT_EQ(snap->imageRows, 28);
  ASSERT_EQ(v.latentX.size(), 300u);
  ASSERT_EQ(v.latentY.size(), 300u);
  ASSERT_EQ(v.latentIndex.size(), 300u);
  for (std::size_t k = 0; k < v.latentIndex.size(); ++k) {
    ASSERT_LT(v.latentIndex[k], snap->dataset->test.count());
    EXPECT_EQ(v.latentLabels[k], snap->dataset->test.labels[v.latentIndex[k]]);
  }
  EXPECT_EQ(v.manifoldWidth, 420);
  EXPECT_EQ(v.manifoldHeight, 420);
  EXPECT_EQ(v.manifold.size(), 420u * 420u);
  ASSERT_EQ(v.manifoldZ.size(), 15u);
  EXPECT_NEAR(v.manifoldZ[7], 0.0, 1e-12);
  EXPECT_NEAR(v.manifoldZ[0], -v.manifoldZ[14], 1e-6);
  EXPECT_NEAR(0.5 * std::erfc(-v.manifoldZ[0] / std::sqrt(2.0)), 0.5 / 15, 1e-6);
  EXPECT_EQ(v.reconCount, 16);
  EXPECT_EQ(v.reconWidth, 16 * 28);
  EXPECT_EQ(v.reconHeight, 56);
  EXPECT_EQ(v.samplesWidth, 8 * 28);
  EXPECT_EQ(v.priorSamples.size(), 224u * 224u);
  for (const auto* image : {&v.manifold, &v.reconstructions, &v.priorSamples})
    for (float p : *image) ASSERT_TRUE(p >= 0.0f && p <= 1.0f);
  // The top row of reconstructions is the input itself.
  const std::uint8_t* first = snap->dataset->test.image(v.reconIndex[0]);
  EXPECT_FLOAT_EQ(v.reconstructions[5 * v.reconWidth + 9], first[5 * 28 + 9] / 255.0f);
  // One image of each class first.
  std::vector<bool> seen(10, false);
  for (int k = 0; k < 10; ++k) seen[snap->dataset->test.labels[v.reconIndex[k]]] = true;
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 10);
  EXPECT_EQ(v.parameters.size(), static_cast<std::size_t>(model.network().parameterCount()));
  EXPECT_EQ(snap->klPerDim.size(), 3u);

  // Between recomputations every snapshot shares the same views.
  model.setViewInterval(std::chrono::hours(1));
  model.step();
  auto again = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
  EXPECT_EQ(again->views.get(), snap->views.get());
  EXPECT_EQ(again->iteration, 6);
}

TEST(VaeModel, GecoMultiplierFollowsTheConstraint) {
  for (double target : {5.0, 2000.0}) {
    VaeModel model;
    VaeScenario s = small();
    s.geco.enabled = true;
    s.geco.target = target;
    s.geco.rate = 1e-3;
    s.geco.alpha = 0.9;
    ASSERT_TRUE(model.reset(s).isOk());
    for (int i = 0; i < 60; ++i) model.step();
    const TraceView t = model.trace().view();
    const double lambda = column(t, 59, "geco_lambda");
    EXPECT_EQ(lambda, model.gecoLambda());
    EXPECT_NEAR(column(t, 59, "beta"), 1.0 / column(t, 58, "geco_lambda"), 1e-12);
    // Unreachable target: lambda grows (reconstruction matters more); easy target: it shrinks.
    if (target < 100)
      EXPECT_GT(lambda, 1.5) << target;
    else
      EXPECT_LT(lambda, 0.5) << target;
  }
}

TEST(VaeModel, KlAnnealingRampsTheWeightLinearly) {
  VaeModel model;
  VaeScenario s = small();
  s.beta = 2.0;
  s.annealSteps = 40;
  s.evalEvery = s.varianceEvery = 0;
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 50; ++i) model.step();
  const TraceView t = model.trace().view();
  EXPECT_NEAR(column(t, 0, "beta"), 2.0 / 40, 1e-12);
  EXPECT_NEAR(column(t, 19, "beta"), 1.0, 1e-12);
  EXPECT_NEAR(column(t, 39, "beta"), 2.0, 1e-12);
  EXPECT_NEAR(column(t, 49, "beta"), 2.0, 1e-12);
  EXPECT_TRUE(std::isnan(column(t, 49, "geco_lambda")));
}

TEST(VaeModel, ScoreFunctionGradientIsNoisierOnTheSameBatch) {
  for (Estimator e : {Estimator::Reparam, Estimator::Score}) {
    VaeModel model;
    VaeScenario s = small();
    s.estimator = e;
    s.varianceEvery = 20;
    ASSERT_TRUE(model.reset(s).isOk());
    for (int i = 0; i < 40; ++i) model.step();
    auto snap = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
    ASSERT_EQ(snap->variances->size(), 2u);
    for (const auto& v : *snap->variances) {
      EXPECT_GT(v.score, 10 * v.reparam) << static_cast<int>(e);
      EXPECT_GT(v.reparam, 0.0);
    }
    EXPECT_EQ(column(model.trace().view(), 39, "grad_var_score"), snap->variances->back().score);
  }
}

TEST(VaeModel, ApplyKeepsTheFitUnlessTheNetworkChanges) {
  VaeModel model;
  VaeScenario s = small();
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 5; ++i) model.step();
  const Eigen::VectorXf before = model.network().parameters();
  VaeScenario changed = s;
  changed.lr = 1e-4;
  changed.beta = 0.5;
  changed.estimator = Estimator::Score;
  changed.batch = 16;
  ASSERT_TRUE(model.apply(changed).isOk());
  EXPECT_EQ(model.iteration(), 5);
  EXPECT_EQ(model.network().parameters(), before);
  model.step();
  EXPECT_EQ(model.imagesSeen(), 5 * 32 + 16);
  changed.latentDim = 4;
  ASSERT_TRUE(model.apply(changed).isOk());
  EXPECT_EQ(model.iteration(), 0);
  EXPECT_EQ(model.network().shape().latent, 4);
}

TEST(VaeModel, BadInputGivesOneClearMessage) {
  VaeModel model;
  ASSERT_TRUE(model.reset(small()).isOk());
  model.step();
  model.step();
  VaeScenario s = small();
  s.dataset = "/nonexistent/train-images-idx3-ubyte.gz";
  Status st = model.reset(s);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("/nonexistent/train-images-idx3-ubyte.gz"), std::string::npos);
  // A failed reset changes nothing: the run goes on.
  EXPECT_EQ(model.iteration(), 2);
  model.step();
  EXPECT_EQ(model.iteration(), 3);
  EXPECT_EQ(model.trace().view().rows(), 3u);
  ASSERT_TRUE(model.reset(small()).isOk());
  Eigen::MatrixXd wrong(20, 11);
  wrong.setZero();
  st = model.setData(wrong, "x.csv");
  EXPECT_NE(st.message().find("11 columns"), std::string::npos) << st.message();
  Eigen::MatrixXd negative = Eigen::MatrixXd::Constant(20, 16, -1.0);
  EXPECT_NE(model.setData(negative, "n.csv").message().find("outside"), std::string::npos);
  // A batch larger than a small user data set: each step takes every training image, and says so.
  Eigen::MatrixXd images = Eigen::MatrixXd::Random(60, 17).cwiseAbs();
  images.col(16) = Eigen::VectorXd::LinSpaced(60, 0, 2).array().round();
  ASSERT_TRUE(model.setData(images, "tiny.csv").isOk());
  VaeScenario big = small();
  big.batch = 64;
  ASSERT_TRUE(model.reset(big).isOk());
  model.step();
  EXPECT_EQ(model.imagesSeen(), 50);
  const auto bigSnap = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
  EXPECT_EQ(bigSnap->batch, 50);
  ASSERT_EQ(bigSnap->notes.size(), 2u);
  EXPECT_NE(bigSnap->notes[1].find("batch = 64 is more than the 50 training images"),
            std::string::npos)
      << bigSnap->notes[1];
  VaeScenario fits = small();
  fits.batch = 10;
  ASSERT_TRUE(model.reset(fits).isOk());
  EXPECT_EQ(model.dataset().train.rows, 4);
  EXPECT_EQ(model.dataset().classNames.size(), 3u);
  model.step();
  EXPECT_TRUE(model.health().isOk());
  auto snap = model.snapshot();
  ASSERT_FALSE(snap->notes.empty());
  EXPECT_NE(snap->notes[0].find("tiny.csv"), std::string::npos);
}

// The common MNIST-CSV layout, label first (tests/data/own-data/label_first_images.csv: header
// label,pixel0..pixel783 and 12 images): every image must keep its pixels and its class. The
// truth is the file itself, split here by hand.
TEST(VaeModel, LabelColumnIsFoundByNameNotByPosition) {
  const std::string path = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/label_first_images.csv";
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.rfind("label,pixel0,pixel1,", 0), 0u);
  std::vector<std::string> labels;
  std::vector<std::vector<int>> images;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string f;
    std::getline(fields, f, ',');
    labels.push_back(f);
    images.emplace_back();
    while (std::getline(fields, f, ',')) images.back().push_back(std::stoi(f));
  }
  ASSERT_EQ(images.size(), 12u);
  CsvData table;
  ASSERT_TRUE(loadCsv(path, table).isOk());
  VaeModel model;
  ASSERT_TRUE(model.setDataTable(table).isOk());
  VaeScenario s = small();
  s.batch = 5;
  ASSERT_TRUE(model.reset(s).isOk());
  const ImageDataset& data = model.dataset();
  ASSERT_EQ(data.train.rows, 28);
  ASSERT_EQ(data.train.count(), 10u);  // every sixth row (rows 6 and 12) is held out
  ASSERT_EQ(data.test.count(), 2u);
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  for (std::size_t r = 0; r < 12; ++r) {
    const bool held = r % 6 == 5;
    const ImageSet& set = held ? data.test : data.train;
    const std::size_t i = held ? r / 6 : r - r / 6;
    EXPECT_EQ(data.classNames[set.labels[i]], labels[r]) << "image " << r;
    for (int p = 0; p < 784; ++p)
      ASSERT_EQ(set.image(i)[p], images[r][std::size_t(p)]) << "image " << r << " pixel " << p;
  }
  EXPECT_EQ(model.dataDecidedFields(), (std::vector<std::string>{"dataset"}));
  // Without a label name, k x k columns are all pixels, whatever their values.
  CsvData square;
  ASSERT_TRUE(parseCsv([] {
    std::string t = "a,b,c,d\n";
    for (int i = 0; i < 12; ++i) t += "1,2,3," + std::to_string(i) + "\n";
    return t;
  }(), square).isOk());
  ASSERT_TRUE(model.setDataTable(square).isOk());
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_EQ(model.dataset().classNames, (std::vector<std::string>{"image"}));
  // The 10th row (the 6th is held out); the largest value, 11, is white: 9 is 9 * 255 / 11.
  EXPECT_EQ(model.dataset().train.image(8)[3], 209);
  // A label named y in the middle of 2 x 2 pixels; classes named by the label values.
  CsvData middle;
  ASSERT_TRUE(parseCsv([] {
    std::string t = "p0,p1,y,p2,p3\n";
    for (int i = 0; i < 12; ++i) t += "0,1," + std::to_string(i % 2 ? 7 : 3) + ",2,255\n";
    return t;
  }(), middle).isOk());
  ASSERT_TRUE(model.setDataTable(middle).isOk());
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_EQ(model.dataset().classNames, (std::vector<std::string>{"3", "7"}));
  EXPECT_EQ(model.dataset().train.rows, 2);
  const std::uint8_t* first = model.dataset().train.image(0);
  EXPECT_EQ(std::vector<int>(first, first + 4), (std::vector<int>{0, 1, 2, 255}));
  EXPECT_EQ(model.dataset().train.labels[1], 1);
}

TEST(VaeModel, DivergenceIsReportedWithItsLikelyCause) {
  VaeModel model;
  VaeScenario s = small();
  s.lr = 1.0;
  s.activation = VaeScenario::Activation::Relu;
  s.evalEvery = s.varianceEvery = 0;
  ASSERT_TRUE(model.reset(s).isOk());
  int steps = 0;
  while (model.health().isOk() && steps < 500) model.step(), ++steps;
  const Status h = model.health();
  ASSERT_FALSE(h.isOk()) << "lr = 1 with relu units did not diverge";
  EXPECT_NE(h.message().find("non-finite at iteration " + std::to_string(steps)), std::string::npos)
      << h.message();
  EXPECT_NE(h.message().find("lr = 1"), std::string::npos) << h.message();
}

const std::string kOwnData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

// Mean of row r of the tile at (top, left), rows x cols, in a row-major image `width` wide.
float tileRowMean(const std::vector<float>& image, int width, int top, int left, int r, int cols) {
  float sum = 0.0f;
  for (int c = 0; c < cols; ++c) sum += image[std::size_t(top + r) * width + left + c];
  return sum / cols;
}

TEST(VaeModel, NonSquareImagesAreDecodedRowsByColumns) {
  // 5 rows x 7 columns, every image with a bright top row (tests/data/own-data/nonsquare_5x7_idx).
  VaeModel model;
  VaeScenario s = small();
  s.dataset = kOwnData + "nonsquare_5x7_idx";
  s.batch = 8;
  s.evalEvery = s.varianceEvery = 0;
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_EQ(model.network().shape().input, 35) << "the input size follows the data";
  for (int i = 0; i < 2000; ++i) model.step();
  model.setViewInterval(std::chrono::milliseconds(0));
  auto snap = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
  EXPECT_EQ(snap->imageRows, 5);
  EXPECT_EQ(snap->imageCols, 7);
  const VaeViews& v = *snap->views;
  const int rows = 5, cols = 7;
  ASSERT_EQ(v.reconCount, 4);
  EXPECT_EQ(v.reconWidth, 4 * cols);
  EXPECT_EQ(v.reconHeight, 2 * rows);
  EXPECT_EQ(v.manifoldWidth, 15 * cols);
  EXPECT_EQ(v.manifoldHeight, 15 * rows);
  EXPECT_EQ(v.samplesWidth, 8 * cols);
  EXPECT_EQ(v.samplesHeight, 8 * rows);
  // The input tiles are the files' images as they are: test image 0 row by row (xxd).
  const float first[5][7] = {{200, 255, 255, 255, 255, 255, 255},
                             {0, 200, 0, 0, 0, 0, 0},
                             {0, 0, 200, 0, 0, 0, 0},
                             {0, 0, 0, 200, 0, 0, 0},
                             {128, 0, 0, 0, 200, 0, 0}};
  const auto at = std::find(v.reconIndex.begin(), v.reconIndex.end(), 0u);
  ASSERT_NE(at, v.reconIndex.end());
  const int left = static_cast<int>(at - v.reconIndex.begin()) * cols;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      EXPECT_FLOAT_EQ(v.reconstructions[std::size_t(r) * v.reconWidth + left + c],
                      first[r][c] / 255.0f)
          << r << " " << c;
  // Every decoded tile (reconstructions, manifold, prior samples) has its bright row on top.
  const auto brightTop = [&](const std::vector<float>& image, int width, int top, int left) {
    const float head = tileRowMean(image, width, top, left, 0, cols);
    float body = 0.0f;
    for (int r = 1; r < rows; ++r)
      body = std::max(body, tileRowMean(image, width, top, left, r, cols));
    return head > 0.75f && body < 0.45f;
  };
  for (int j = 0; j < v.reconCount; ++j)
    EXPECT_TRUE(brightTop(v.reconstructions, v.reconWidth, rows, j * cols)) << "output " << j;
  for (int r = 0; r < 15; ++r)
    for (int c = 0; c < 15; ++c)
      EXPECT_TRUE(brightTop(v.manifold, v.manifoldWidth, r * rows, c * cols)) << r << " " << c;
  for (int k = 0; k < 64; ++k)
    EXPECT_TRUE(brightTop(v.priorSamples, v.samplesWidth, (k / 8) * rows, (k % 8) * cols)) << k;
}

TEST(VaeModel, TinyLetterSetTrainsOnAllItsImagesEachStep) {
  // Three training images labelled 1, 17, 26 and two test images labelled 5, 26: the default
  // batch of 128 becomes all three images per step, with a note saying so.
  VaeModel model;
  VaeScenario s = small();
  s.dataset = kOwnData + "tiny_idx_labels_up_to_26";
  s.batch = 128;
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 5; ++i) model.step();
  EXPECT_TRUE(model.health().isOk());
  EXPECT_EQ(model.imagesSeen(), 15);
  auto snap = std::static_pointer_cast<const VaeSnapshot>(model.snapshot());
  ASSERT_EQ(snap->notes.size(), 1u);
  EXPECT_NE(snap->notes[0].find("batch = 128 is more than the 3 training images"),
            std::string::npos)
      << snap->notes[0];
  EXPECT_EQ(snap->classNames, (std::vector<std::string>{"1", "5", "17", "26"}));
  ASSERT_EQ(snap->views->latentLabels.size(), 2u);
  for (std::uint8_t k : snap->views->latentLabels) EXPECT_TRUE(k == 1 || k == 3) << int(k);
}

TEST(VaeModel, FashionMnistIsTheDefault) {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist not installed";
  VaeModel model;
  VaeScenario s;
  s.hidden = 32;
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_EQ(model.dataset().train.count(), 60000u);
  EXPECT_EQ(model.dataset().test.count(), 10000u);
  EXPECT_EQ(model.dataset().classNames, fashionMnistClassNames());
  for (int i = 0; i < 3; ++i) model.step();
  EXPECT_TRUE(model.health().isOk());
  EXPECT_TRUE(model.snapshot()->notes.empty());
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

// The model's notes after a reset with `table`; the first is what was read from the table.
std::vector<std::string> notesAfterReading(VaeModel& model, const CsvData& table) {
  EXPECT_TRUE(model.setDataTable(table).isOk());
  VaeScenario s = small();
  s.batch = 2;
  EXPECT_TRUE(model.reset(s).isOk());
  return model.snapshot()->notes;
}

// What the VAE lab reads from a user's table is said, guesses included (scikit-learn's digits:
// 0..16 grey values, label last, no header, sorted by label).
TEST(VaeModel, NoteSaysHowTheTableWasReadAsImages) {
  std::string text;
  for (int r = 0; r < 12; ++r)  // 2 x 2 pixels 0, 8, 16, r; label r / 4 (sorted: 0 0 0 0 1 ...)
    text += "0,8,16," + std::to_string(r) + "," + std::to_string(r / 4) + "\n";
  CsvData table;
  ASSERT_TRUE(parseCsv(text, table, "digits.csv").isOk());
  VaeModel model;
  const auto notes = notesAfterReading(model, table);
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0],
            "digits.csv: 2×2 images, column 5 taken as labels (2² + 1 columns; 3 classes); pixel "
            "values 0–16 read with 16 as white (× 255/16), rounded to the 256 grey levels; 10 "
            "training / 2 held out (every sixth row)");
  // 16 is white, 8 is 127.5 rounded; rows 6 and 12 (labels 1 and 2) held out, every class trains.
  const ImageDataset& data = model.dataset();
  EXPECT_EQ(std::vector<int>(data.train.image(0), data.train.image(0) + 4), (std::vector<int>{0, 128, 255, 0}));
  EXPECT_EQ(std::vector<int>(data.test.labels.begin(), data.test.labels.end()), (std::vector<int>{1, 2}));
  std::vector<int> trained(data.train.labels.begin(), data.train.labels.end());
  for (int k = 0; k < 3; ++k) EXPECT_NE(std::find(trained.begin(), trained.end(), k), trained.end()) << k;

  // Named label column, grey fractions, a header.
  ASSERT_TRUE(parseCsv("p0,p1,p2,p3,Label\n0,0.5,1,0.25,3\n1,1,1,1,7\n0,0,0,0,3\n", table, "f.csv").isOk());
  EXPECT_EQ(notesAfterReading(model, table)[0],
            "f.csv: 2×2 images, labels from column 5 'Label' (2 classes); pixel values 0–1 read "
            "as 0–1 grey (× 255), rounded to the 256 grey levels; 2 training / 1 held out (the "
            "last row)");
  // Whole grey levels up to 255, no label column: nothing rounded or scaled.
  ASSERT_TRUE(parseCsv("0,255,3,4\n9,9,9,9\n", table, "g.csv").isOk());
  EXPECT_EQ(notesAfterReading(model, table)[0],
            "g.csv: 2×2 images, no label column; pixel values 0–255 read as 0–255 grey; 1 "
            "training / 1 held out (the last row)");
  EXPECT_EQ(model.dataset().train.image(0)[1], 255);
  // A brightest pixel of at least 128 (half white) means 0-255 grey levels: 200 stays 200.
  ASSERT_TRUE(parseCsv("0,200,3,4\n9,9,9,9\n", table, "d.csv").isOk());
  EXPECT_EQ(notesAfterReading(model, table)[0],
            "d.csv: 2×2 images, no label column; pixel values 0–200 read as 0–255 grey; 1 "
            "training / 1 held out (the last row)");
  EXPECT_EQ(model.dataset().train.image(0)[1], 200);
  // Outside [0, 255]: refused with the range.
  ASSERT_TRUE(parseCsv("0,256,3,4\n9,9,9,9\n", table, "h.csv").isOk());
  const Status s = model.setDataTable(table);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "'h.csv' has pixel values outside [0, 255] (from 0 to 256); the VAE lab "
                         "reads grey levels 0 to 255 or 0 to 1");
}

}  // namespace
}  // namespace vilab
