#include "core/data/image_dataset.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include "core/data/idx.hpp"
#include "core/data/synthetic_shapes.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

// path or path.gz, whichever exists ("" when neither).
std::string existing(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return path.string();
  fs::path gz = path;
  gz += ".gz";
  if (fs::is_regular_file(gz, ec)) return gz.string();
  return "";
}

struct PairPaths {
  std::string images, labels;
};

// Splits the last sixth of `all` off as the test set.
void holdOut(ImageSet& all, ImageSet& test) {
  const std::size_t n = all.count();
  const std::size_t held = std::min(kMaxHeldOut, std::max<std::size_t>(1, n / 6));
  const std::size_t keep = n - held;
  const std::size_t px = static_cast<std::size_t>(all.pixelsPerImage());
  test.rows = all.rows;
  test.cols = all.cols;
  test.pixels.assign(all.pixels.begin() + keep * px, all.pixels.end());
  test.labels.assign(all.labels.begin() + keep, all.labels.end());
  all.pixels.resize(keep * px);
  all.labels.resize(keep);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Maps the label values that occur (in the training or the test set) to dense class indices in
// increasing order of value, and names each class by its value, or by Fashion-MNIST's names when
// `fashion` and every value is below 10. Legends then list only classes that exist: letters
// labelled 1..26 give 26 classes, not 27 with an empty class 0.
void nameClasses(ImageDataset& data, bool fashion) {
  std::array<int, 256> dense;
  dense.fill(-1);
  for (const ImageSet* set : {&data.train, &data.test})
    for (std::uint8_t label : set->labels) dense[label] = 0;
  const auto& fashionNames = fashionMnistClassNames();
  const bool named = fashion && std::all_of(dense.begin() + fashionNames.size(), dense.end(),
                                            [](int k) { return k < 0; });
  data.classNames.clear();
  for (int value = 0; value < 256; ++value)
    if (dense[value] >= 0) {
      dense[value] = static_cast<int>(data.classNames.size());
      data.classNames.push_back(named ? fashionNames[value] : std::to_string(value));
    }
  for (ImageSet* set : {&data.train, &data.test})
    for (std::uint8_t& label : set->labels) label = static_cast<std::uint8_t>(dense[label]);
}

Status loadPairs(const std::string& spec, const PairPaths& train, const PairPaths& test,
                 ImageDataset& out) {
  ImageDataset data;
  data.name = spec;
  data.source = train.images;
  if (Status s = readIdxPair(train.images, train.labels, data.train); !s) return s;
  if (!test.images.empty()) {
    if (Status s = readIdxPair(test.images, test.labels, data.test); !s) return s;
    if (data.test.rows != data.train.rows || data.test.cols != data.train.cols)
      return Status::error(test.images + " has " + std::to_string(data.test.rows) + " x " +
                           std::to_string(data.test.cols) + " images but " + train.images +
                           " has " + std::to_string(data.train.rows) + " x " +
                           std::to_string(data.train.cols));
  } else {
    if (data.train.count() < 2)
      return Status::error(train.images + " holds too few images to hold some out for testing");
    holdOut(data.train, data.test);
  }
  nameClasses(data, lower(spec).find("fashion") != std::string::npos);
  out = std::move(data);
  return Status::ok();
}

}  // namespace

const std::vector<std::string>& fashionMnistClassNames() {
  static const std::vector<std::string> kNames = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                  "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                  "Bag",         "Ankle boot"};
  return kNames;
}

Status loadImageDataset(const std::string& spec, ImageDataset& out) {
  if (spec == "synthetic") {
    out = syntheticShapesDataset();
    return Status::ok();
  }
  const bool fashion = spec == "fashion-mnist";
  const fs::path path = fashion ? fs::path(kFashionMnistDir) : fs::path(spec);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    const PairPaths train{existing(path / "train-images-idx3-ubyte"),
                          existing(path / "train-labels-idx1-ubyte")};
    if (train.images.empty() || train.labels.empty())
      return Status::error(path.string() + " holds no train-images-idx3-ubyte[.gz] and " +
                           "train-labels-idx1-ubyte[.gz]" +
                           (fashion ? " (install the dataset-fashion-mnist package)" : ""));
    PairPaths test{existing(path / "t10k-images-idx3-ubyte"),
                   existing(path / "t10k-labels-idx1-ubyte")};
    if (test.images.empty() || test.labels.empty()) test = {};
    return loadPairs(fashion ? "Fashion-MNIST" : spec, train, test, out);
  }
  if (fashion)
    return Status::error(std::string("Fashion-MNIST is not installed in ") + kFashionMnistDir +
                         " (install the dataset-fashion-mnist package)");
  // Work with the name without ".gz": each partner file may be compressed or not.
  std::string name = path.filename().string();
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) name.resize(name.size() - 3);
  const auto at = name.find("images-idx3");
  if (at == std::string::npos)
    return Status::error("dataset = " + spec +
                         " is neither fashion-mnist, synthetic, a directory of IDX files nor a "
                         "file named ...images-idx3-ubyte[.gz]");
  const fs::path dir = path.parent_path();
  std::string labelsName = name;
  labelsName.replace(at, 11, "labels-idx1");
  const std::string labels = existing(dir / labelsName);
  const PairPaths train{spec, labels.empty() ? (dir / labelsName).string() : labels};
  PairPaths test;
  if (name.rfind("train-", 0) == 0) {
    std::string testImages = name, testLabels = labelsName;
    testImages.replace(0, 5, "t10k");
    testLabels.replace(0, 5, "t10k");
    test = {existing(dir / testImages), existing(dir / testLabels)};
    if (test.images.empty() || test.labels.empty()) test = {};
  }
  return loadPairs(spec, train, test, out);
}

}  // namespace vilab
