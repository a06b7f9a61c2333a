#pragma once
// Anti-aliased discs pre-rasterised into the font atlas, so that a scatter marker on screen is one
// textured quad (2 triangles, batched with the text) instead of a filled 10-gon with its
// anti-aliased fringe (28 triangles). Software OpenGL (Mesa's llvmpipe, the projector laptop's
// usual renderer) spends most of a frame setting up triangles, and the labs' clouds of samples
// hold thousands of markers. Exports keep drawing true circles (canvas.hpp's DisplayList).

#include <imgui.h>

namespace vilab::plot {

// Reserves the discs' rectangles in the atlas: call after adding the fonts, before Build().
void reserveMarkerSprites(ImFontAtlas& atlas);
// Writes the discs' pixels (white, alpha = coverage) into the atlas's RGBA32 pixels: call after
// Build(), before the atlas is uploaded.
void bakeMarkerSprites(ImFontAtlas& atlas);

// The baked disc whose radius is nearest `radius` (pixels): the quad's corners relative to the
// centre (half-size in pixels) and its texture coordinates. False when no disc is baked (the
// atlas was built without them) or the radius is out of the baked range (1 to 24 pixels).
struct MarkerSprite {
  float halfSize = 0.0f;
  ImVec2 uv0, uv1;
};
bool markerSprite(float radius, MarkerSprite& sprite);

}  // namespace vilab::plot
