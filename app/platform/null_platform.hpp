#pragma once
// A platform without a window or GPU, for headless UI tests: an ImGui context with a display
// size, a built font atlas and placeholder textures. Frames are built and "rendered" to draw
// lists that nobody draws.

#include <imgui.h>

#include <cstdint>
#include <string>
#include <unordered_map>

#include "app/platform/textures.hpp"

namespace vilab {

class NullPlatform final : public TextureStore {
 public:
  explicit NullPlatform(ImVec2 displaySize = {1600, 900});
  ~NullPlatform() override;
  NullPlatform(const NullPlatform&) = delete;
  NullPlatform& operator=(const NullPlatform&) = delete;

  void beginFrame(float deltaSeconds = 1.0f / 60.0f);
  void render();
  // Rebuilds the font atlas after the UI scale changed.
  void refreshFontTexture();

  ImTextureID update(const std::string& name, int width, int height,
                     std::span<const std::uint32_t> rgba) override;
  int uploads() const { return m_uploads; }
  // Vertices in the last rendered frame: how much a view drew.
  static int drawnVertices();

 private:
  int m_uploads = 0;
  std::unordered_map<std::string, std::uintptr_t> m_ids;
};

}  // namespace vilab
