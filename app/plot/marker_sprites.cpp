#include "app/plot/marker_sprites.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace vilab::plot {
namespace {

// Radii 1, 1.5, ..., 24 pixels: markers scale with the UI (font size), so every half pixel is
// baked and a marker is drawn at its own size, never resampled.
constexpr int kSprites = 47;
constexpr float radiusOf(int k) { return 1.0f + 0.5f * static_cast<float>(k); }
// Each rectangle holds the disc and one pixel of transparent border (bilinear sampling).
int sizeOf(int k) { return static_cast<int>(std::ceil(2.0f * radiusOf(k))) + 2; }

struct Baked {
  const ImFontAtlas* atlas = nullptr;
  std::array<int, kSprites> rect{};
  std::array<MarkerSprite, kSprites> sprite{};
  bool ready = false;
};
Baked gBaked;

}  // namespace

void reserveMarkerSprites(ImFontAtlas& atlas) {
  gBaked = Baked{};
  gBaked.atlas = &atlas;
  for (int k = 0; k < kSprites; ++k) gBaked.rect[k] = atlas.AddCustomRectRegular(sizeOf(k), sizeOf(k));
}

void bakeMarkerSprites(ImFontAtlas& atlas) {
  if (gBaked.atlas != &atlas) return;
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  atlas.GetTexDataAsRGBA32(&pixels, &width, &height);
  if (!pixels) return;
  for (int k = 0; k < kSprites; ++k) {
    const ImFontAtlasCustomRect* r = atlas.GetCustomRectByIndex(gBaked.rect[k]);
    if (!r || !r->IsPacked()) return;
    const int size = sizeOf(k);
    const float centre = 0.5f * static_cast<float>(size), radius = radiusOf(k);
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x) {
        // Coverage of the pixel by the disc, from the distance of its centre to the edge.
        const float dx = static_cast<float>(x) + 0.5f - centre, dy = static_cast<float>(y) + 0.5f - centre;
        const float coverage = std::clamp(radius + 0.5f - std::sqrt(dx * dx + dy * dy), 0.0f, 1.0f);
        unsigned char* p = pixels + 4 * ((r->Y + y) * width + r->X + x);
        p[0] = p[1] = p[2] = 255;
        p[3] = static_cast<unsigned char>(std::lround(255.0f * coverage));
      }
    MarkerSprite& s = gBaked.sprite[k];
    s.halfSize = centre;
    s.uv0 = ImVec2(static_cast<float>(r->X) / width, static_cast<float>(r->Y) / height);
    s.uv1 = ImVec2(static_cast<float>(r->X + size) / width, static_cast<float>(r->Y + size) / height);
  }
  gBaked.ready = true;
}

bool markerSprite(float radius, MarkerSprite& sprite) {
  if (!gBaked.ready || gBaked.atlas != ImGui::GetIO().Fonts) return false;
  const int k = static_cast<int>(std::lround((radius - 1.0f) * 2.0f));
  if (k < 0 || k >= kSprites) return false;
  sprite = gBaked.sprite[k];
  return true;
}

}  // namespace vilab::plot
