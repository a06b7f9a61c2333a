#pragma once
// Images for the views (heatmaps, decoded digits) live in GPU textures owned by the platform;
// labs ask for a texture by name and hand over RGBA pixels. The null platform used by the UI
// tests keeps no pixels and returns a placeholder id.

#include <imgui.h>

#include <cstdint>
#include <span>
#include <string>

namespace vilab {

class TextureStore {
 public:
  virtual ~TextureStore() = default;
  // Uploads width x height RGBA pixels (0xAABBGGRR, row 0 at the top) under `name`, reusing the
  // texture when the size is unchanged; returns the id to draw it with.
  virtual ImTextureID update(const std::string& name, int width, int height,
                             std::span<const std::uint32_t> rgba) = 0;
};

}  // namespace vilab
