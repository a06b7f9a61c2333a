#pragma once
// Finds the VAE lab's images from its `dataset` setting: "fashion-mnist" (Debian's
// dataset-fashion-mnist package), "synthetic" (the built-in shapes), or a path naming an
// MNIST-format IDX pair (see loadImageDataset).

#include <string>
#include <vector>

#include "core/data/image_set.hpp"
#include "core/status.hpp"

namespace vilab {

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
inline constexpr std::size_t kMaxHeldOut = 10000;

// T-shirt/top, Trouser, ..., Ankle boot (Xiao, Rasul & Vollgraf 2017), indexed by label.
const std::vector<std::string>& fashionMnistClassNames();

// Loads the data set named by `spec`:
//  - "fashion-mnist": the IDX files in kFashionMnistDir;
//  - "synthetic": the built-in shapes;
//  - a directory holding train-images-idx3-ubyte and train-labels-idx1-ubyte (each optionally
//    .gz), and usually t10k-images-idx3-ubyte / t10k-labels-idx1-ubyte as the test set;
//  - the path of an images file whose name contains "images-idx3"; its labels file is the same
//    path with "labels-idx1" in its place. A train-... file takes the t10k-... pair beside it
//    as the test set.
// Images of any rows x columns (both files of a pair alike). Without a test pair the last sixth
// of the images (at most kMaxHeldOut) is held out. The label values that occur in either set
// become dense class indices 0..K-1 in increasing order of value (labels 1, 5, 17, 26 give
// classes 0..3), named by their values, or by Fashion-MNIST's names when the spec mentions
// "fashion" and every value is below 10.
Status loadImageDataset(const std::string& spec, ImageDataset& out);

}  // namespace vilab
