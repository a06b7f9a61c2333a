#pragma once
// The built-in labelled image set: 28x28 antialiased drawings of ten simple shapes at random
// position, size, stroke width, rotation and brightness. The VAE lab falls back to it when no
// IDX files are present, so the lab always opens; it also keeps the tests free of large files.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/image_set.hpp"

namespace vilab {

inline constexpr int kShapeSide = 28;

// The ten class names, indexed by label.
const std::vector<std::string>& shapeClassNames();

// `count` images with labels cycling through the classes in random order, from `seed`.
ImageSet generateShapes(std::size_t count, std::uint64_t seed);

// The built-in data set: 20,000 training and 4,000 test images from fixed seeds (the lab's seed
// changes the optimisation, not the data).
ImageDataset syntheticShapesDataset();

}  // namespace vilab
