#pragma once
// Labelled grey images of rows x cols pixels (not necessarily square), one byte per pixel
// (0 = black, 255 = white), row-major with row 0 at the top as in the MNIST files: what the VAE
// lab trains on and shows.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vilab {

struct ImageSet {
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // count() images of rows x cols bytes, one after another
  std::vector<std::uint8_t> labels;  // one class index per image (into classNames)

  std::size_t count() const { return labels.size(); }
  int pixelsPerImage() const { return rows * cols; }
  const std::uint8_t* image(std::size_t i) const {
    return pixels.data() + i * static_cast<std::size_t>(pixelsPerImage());
  }
};

// A training set and a held-out test set of the same image size, with a name per class.
struct ImageDataset {
  std::string name;    // "Fashion-MNIST", "synthetic shapes", or the path given
  std::string source;  // where the files are (or "built in")
  ImageSet train, test;
  std::vector<std::string> classNames;  // indexed by class index; only classes that occur
};

}  // namespace vilab
