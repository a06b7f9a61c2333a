#pragma once
// Images for the views (heatmaps, decoded digits) live in GPU textures owned by the platform;
// labs ask for a texture by name and hand over RGBA pixels. Every store also keeps the pixels it
// was last given per texture, so figure exports (SVG, PDF, PNG) embed images at their native
// resolution without reading the GPU back. The null platform used by the UI tests uploads nothing.

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace vilab {

// An image's pixels: width x height, 0xAABBGGRR, row 0 at the top.
struct TextureImage {
  int width = 0, height = 0;
  std::vector<std::uint32_t> rgba;
};

class TextureStore {
 public:
  virtual ~TextureStore() = default;
  // Uploads width x height RGBA pixels (0xAABBGGRR, row 0 at the top) under `name`, reusing the
  // texture when the size is unchanged and uploading nothing when the pixels are too (labs hand
  // their cached heatmaps over every frame); returns the id to draw it with.
  virtual ImTextureID update(const std::string& name, int width, int height,
                             std::span<const std::uint32_t> rgba) = 0;
  // The pixels last uploaded under `id`, or nullptr for an unknown id.
  const TextureImage* find(ImTextureID id) const {
    const auto it = m_images.find(id);
    return it == m_images.end() ? nullptr : &it->second;
  }

 protected:
  // True when `id` holds exactly these pixels already.
  bool holds(ImTextureID id, int width, int height, std::span<const std::uint32_t> rgba) const {
    const TextureImage* image = find(id);
    return image && image->width == width && image->height == height &&
           std::equal(rgba.begin(), rgba.end(), image->rgba.begin(), image->rgba.end());
  }
  void remember(ImTextureID id, int width, int height, std::span<const std::uint32_t> rgba) {
    TextureImage& image = m_images[id];
    image.width = width, image.height = height;
    image.rgba.assign(rgba.begin(), rgba.end());
  }

 private:
  std::unordered_map<ImTextureID, TextureImage> m_images;
};

}  // namespace vilab
