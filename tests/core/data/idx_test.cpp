#include "core/data/idx.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/data/image_dataset.hpp"
#include "core/data/synthetic_shapes.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

const std::string kFashionTrainImages =
    std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz";
const std::string kFashionTrainLabels =
    std::string(kFashionMnistDir) + "/train-labels-idx1-ubyte.gz";

void put32(Bytes& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

Bytes idxImages(const ImageSet& set) {
  Bytes b;
  put32(b, kIdxImagesMagic);
  put32(b, static_cast<std::uint32_t>(set.count()));
  put32(b, set.rows);
  put32(b, set.cols);
  b.insert(b.end(), set.pixels.begin(), set.pixels.end());
  return b;
}

Bytes idxLabels(const std::vector<std::uint8_t>& labels) {
  Bytes b;
  put32(b, kIdxLabelsMagic);
  put32(b, static_cast<std::uint32_t>(labels.size()));
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

// A scratch directory removed at the end of each test.
class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("vilab_idx_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::string write(const std::string& name, const Bytes& bytes, bool gz) {
    const std::string path = (m_dir / name).string();
    if (gz) {
      gzFile f = gzopen(path.c_str(), "wb");
      gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
      gzclose(f);
    } else {
      std::ofstream(path, std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    return path;
  }
  Bytes readRaw(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
  }
  std::string error(const std::string& images, const std::string& labels) {
    ImageSet out;
    out.rows = 7;
    const Status s = readIdxPair(images, labels, out);
    EXPECT_FALSE(s.isOk());
    EXPECT_EQ(out.rows, 7) << "the output must be unchanged on error";
    return s.message();
  }

  fs::path m_dir;
  const ImageSet m_set = generateShapes(30, 1);
};

TEST_F(IdxFiles, RoundTripGzipAndRaw) {
  for (bool gz : {true, false}) {
    const std::string images = write("a-images-idx3-ubyte", idxImages(m_set), gz);
    const std::string labels = write("a-labels-idx1-ubyte", idxLabels(m_set.labels), gz);
    ImageSet out;
    ASSERT_TRUE(readIdxPair(images, labels, out).isOk()) << gz;
    EXPECT_EQ(out.rows, 28);
    EXPECT_EQ(out.cols, 28);
    EXPECT_EQ(out.pixels, m_set.pixels);
    EXPECT_EQ(out.labels, m_set.labels);
  }
}

TEST_F(IdxFiles, TruncatedAndMalformedFilesGiveClearErrors) {
  const Bytes images = idxImages(m_set), labels = idxLabels(m_set.labels);
  const std::string goodLabels = write("labels", labels, false);
  const std::string goodImages = write("images", images, false);

  // Truncated payload, raw and gzipped.
  const Bytes cut(images.begin(), images.begin() + images.size() / 2);
  EXPECT_NE(error(write("cut", cut, false), goodLabels).find("truncated"), std::string::npos);
  EXPECT_NE(error(write("cut.gz", cut, true), goodLabels).find("truncated"), std::string::npos);
  // A gzip stream cut short.
  const Bytes gz = readRaw(write("full.gz", images, true));
  const Bytes gzCut(gz.begin(), gz.begin() + gz.size() * 3 / 5);
  EXPECT_NE(error(write("gzcut.gz", gzCut, false), goodLabels).find("gzip"), std::string::npos);
  // Corrupted compressed bytes.
  Bytes gzBad = gz;
  for (std::size_t k = gz.size() / 3; k < gz.size() / 3 + 40; ++k) gzBad[k] ^= 0x5a;
  EXPECT_NE(error(write("gzbad.gz", gzBad, false), goodLabels).find("gzip"), std::string::npos);
  // Cut inside the header; empty file.
  EXPECT_NE(error(write("hdr", Bytes(images.begin(), images.begin() + 9), false), goodLabels)
                .find("header"),
            std::string::npos);
  EXPECT_NE(error(write("empty", {}, false), goodLabels).find("too short"), std::string::npos);
  // Wrong kind of file (labels where images belong) and garbage.
  EXPECT_NE(error(goodLabels, goodLabels).find("magic number 0x00000801, expected 0x00000803"),
            std::string::npos);
  EXPECT_NE(error(write("text", Bytes{'h', 'e', 'l', 'l', 'o', '\n'}, false), goodLabels)
                .find("not an IDX"),
            std::string::npos);
  EXPECT_NE(error(goodImages, goodImages).find("labels file"), std::string::npos);
  // Extra bytes after the data.
  Bytes longer = images;
  longer.push_back(0);
  EXPECT_NE(error(write("long", longer, false), goodLabels).find("after the data"),
            std::string::npos);
  // Counts that disagree.
  std::vector<std::uint8_t> fewer(m_set.labels.begin(), m_set.labels.end() - 1);
  EXPECT_NE(error(goodImages, write("fewer", idxLabels(fewer), false)).find("30 images but"),
            std::string::npos);
  // Absurd dimensions are refused before anything is allocated.
  Bytes huge;
  put32(huge, kIdxImagesMagic);
  put32(huge, 5);
  put32(huge, 5000);
  put32(huge, 5000);
  EXPECT_NE(error(write("huge", huge, false), goodLabels).find("each side"), std::string::npos);
  Bytes many;
  put32(many, kIdxImagesMagic);
  put32(many, 4000000000u);
  put32(many, 28);
  put32(many, 28);
  EXPECT_NE(error(write("many", many, false), goodLabels).find("allowed"), std::string::npos);
  Bytes none;
  put32(none, kIdxImagesMagic);
  put32(none, 0);
  put32(none, 28);
  put32(none, 28);
  EXPECT_NE(error(write("none", none, false), goodLabels).find("no images"), std::string::npos);
  // Missing files and directories.
  EXPECT_NE(error((m_dir / "nope").string(), goodLabels).find("does not exist"), std::string::npos);
  EXPECT_NE(error(m_dir.string(), goodLabels).find("directory"), std::string::npos);
}

TEST_F(IdxFiles, DecompressedSizeIsCapped) {
  const std::string path = write("big.gz", Bytes(5000, 0), true);
  Bytes out;
  EXPECT_TRUE(readMaybeGzipped(path, out, 5000).isOk());
  const Status s = readMaybeGzipped(path, out, 4999);
  EXPECT_NE(s.message().find("larger than"), std::string::npos) << s.message();
}

TEST_F(IdxFiles, DatasetFromDirectoryOrFilePath) {
  const ImageSet test = generateShapes(12, 2);
  const fs::path dir = m_dir / "fashion-like";
  fs::create_directories(dir);
  write("fashion-like/train-images-idx3-ubyte.gz", idxImages(m_set), true);
  write("fashion-like/train-labels-idx1-ubyte.gz", idxLabels(m_set.labels), true);
  ImageDataset data;
  // Without a test pair, the last sixth is held out.
  ASSERT_TRUE(loadImageDataset(dir.string(), data).isOk());
  EXPECT_EQ(data.train.count(), 25u);
  EXPECT_EQ(data.test.count(), 5u);
  EXPECT_EQ(data.test.labels[0], m_set.labels[25]);
  EXPECT_EQ(data.classNames, fashionMnistClassNames());  // "fashion" in the path
  write("fashion-like/t10k-images-idx3-ubyte", idxImages(test), false);
  write("fashion-like/t10k-labels-idx1-ubyte", idxLabels(test.labels), false);
  ASSERT_TRUE(loadImageDataset(dir.string(), data).isOk());
  EXPECT_EQ(data.train.count(), 30u);
  EXPECT_EQ(data.test.count(), 12u);
  EXPECT_EQ(data.test.pixels, test.pixels);

  // One images file names its labels file, and a train- file its t10k- pair.
  const std::string trainFile = (dir / "train-images-idx3-ubyte.gz").string();
  ASSERT_TRUE(loadImageDataset(trainFile, data).isOk());
  EXPECT_EQ(data.test.count(), 12u);
  const std::string other = write("digits-images-idx3-ubyte", idxImages(m_set), false);
  write("digits-labels-idx1-ubyte", idxLabels(m_set.labels), false);
  ASSERT_TRUE(loadImageDataset(other, data).isOk());
  EXPECT_EQ(data.train.count(), 25u);
  ASSERT_EQ(data.classNames.size(), 10u);
  EXPECT_EQ(data.classNames[3], "3");

  EXPECT_NE(loadImageDataset((m_dir / "notes.txt").string(), data).message().find("neither"),
            std::string::npos);
  EXPECT_NE(loadImageDataset(m_dir.string(), data).message().find("train-images-idx3-ubyte"),
            std::string::npos);
  ASSERT_TRUE(loadImageDataset("synthetic", data).isOk());
  EXPECT_EQ(data.classNames, shapeClassNames());
}

// The issue's own-data cases (tests/data/own-data/), against their bytes as dumped by xxd.
const std::string kOwnData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

TEST(IdxOwnData, NonSquareImagesKeepRowsAndColumnsFromTheHeader) {
  ImageDataset data;
  ASSERT_TRUE(loadImageDataset(kOwnData + "nonsquare_5x7_idx", data).isOk());
  EXPECT_EQ(data.train.rows, 5);
  EXPECT_EQ(data.train.cols, 7);
  EXPECT_EQ(data.test.rows, 5);
  EXPECT_EQ(data.test.cols, 7);
  EXPECT_EQ(data.train.count(), 12u);
  EXPECT_EQ(data.test.count(), 4u);
  // The first training image, row by row: a bright top row, a diagonal, 128 at bottom left.
  const Bytes first = {200, 255, 255, 255, 255, 255, 255,  //
                       0,   200, 0,   0,   0,   0,   0,    //
                       0,   0,   200, 0,   0,   0,   0,    //
                       0,   0,   0,   200, 0,   0,   0,    //
                       128, 0,   0,   0,   200, 0,   0};
  EXPECT_EQ(Bytes(data.train.image(0), data.train.image(0) + 35), first);
  EXPECT_EQ(Bytes(data.test.image(0), data.test.image(0) + 35), first);
  EXPECT_EQ(data.train.labels, (Bytes{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"0", "1", "2"}));
}

TEST(IdxOwnData, OnlyTheClassesThatOccurNamedByTheirLabelValues) {
  // Letters-style labels: training 1, 17, 26; test 5, 26. Four classes, not 27.
  ImageDataset data;
  ASSERT_TRUE(loadImageDataset(kOwnData + "tiny_idx_labels_up_to_26", data).isOk());
  EXPECT_EQ(data.train.rows, 28);
  EXPECT_EQ(data.train.cols, 28);
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"1", "5", "17", "26"}));
  EXPECT_EQ(data.train.labels, (Bytes{0, 2, 3}));
  EXPECT_EQ(data.test.labels, (Bytes{1, 3}));
}

TEST_F(IdxFiles, FashionNamesOnlyForLabelsBelowTen) {
  // A Fashion-MNIST subset without some classes keeps each present class's own name.
  ImageSet few = generateShapes(6, 3);
  few.labels = {2, 9, 2, 9, 9, 2};
  const fs::path dir = m_dir / "fashion-part";
  fs::create_directories(dir);
  write("fashion-part/train-images-idx3-ubyte", idxImages(few), false);
  write("fashion-part/train-labels-idx1-ubyte", idxLabels(few.labels), false);
  ImageDataset data;
  ASSERT_TRUE(loadImageDataset(dir.string(), data).isOk());
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"Pullover", "Ankle boot"}));
  EXPECT_EQ(data.train.labels, (Bytes{0, 1, 0, 1, 1}));
  EXPECT_EQ(data.test.labels, (Bytes{0}));
  few.labels[0] = 12;  // not Fashion-MNIST's labels: named by value
  write("fashion-part/train-labels-idx1-ubyte", idxLabels(few.labels), false);
  ASSERT_TRUE(loadImageDataset(dir.string(), data).isOk());
  EXPECT_EQ(data.classNames, (std::vector<std::string>{"2", "9", "12"}));
}

// Debian's Fashion-MNIST read by our loader against facts read by Python's gzip module.
TEST(IdxFashionMnist, MatchesPythonReading) {
  if (!fs::exists(kFashionTrainImages)) GTEST_SKIP() << "dataset-fashion-mnist not installed";
  std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/vae/idx.json");
  ASSERT_TRUE(in);
  const auto fixture = nlohmann::json::parse(in);
  ImageDataset data;
  ASSERT_TRUE(loadImageDataset("fashion-mnist", data).isOk());
  EXPECT_EQ(data.classNames, fashionMnistClassNames());
  for (const auto& [part, set] : {std::pair{"train", &data.train}, std::pair{"t10k", &data.test}}) {
    const auto& f = fixture.at(part);
    ASSERT_EQ(set->count(), f["count"].get<std::size_t>()) << part;
    EXPECT_EQ(set->rows, f["rows"].get<int>());
    EXPECT_EQ(set->cols, f["cols"].get<int>());
    const auto first = f["first_labels"].get<std::vector<int>>();
    for (std::size_t k = 0; k < first.size(); ++k) EXPECT_EQ(set->labels[k], first[k]) << part << k;
    std::vector<int> histogram(10, 0);
    for (std::uint8_t label : set->labels) ++histogram[label];
    EXPECT_EQ(histogram, f["label_histogram"].get<std::vector<int>>());
    const auto sum = [&](std::size_t i) {
      return std::accumulate(set->image(i), set->image(i) + 784, 0LL);
    };
    EXPECT_EQ(sum(0), f["first_image_sum"].get<long long>());
    EXPECT_EQ(sum(set->count() - 1), f["last_image_sum"].get<long long>());
    const double mean =
        std::accumulate(set->pixels.begin(), set->pixels.end(), 0.0) / set->pixels.size();
    EXPECT_NEAR(mean, f["mean_pixel"].get<double>(), 1e-9);
  }
}

}  // namespace
}  // namespace vilab
