#pragma once
// Animated GIF of a run (giflib): frames of RGBA pixels, all of one size, looping forever.
// Colours: one global palette of at most 256 by median cut (Heckbert 1982) over the first
// frame. Why: a plot has few exact colours (white, greys, the lab's blues and reds) and their
// anti-aliased blends; median cut keeps those tones exact where a fixed 6x6x6 cube would shift a
// lab's blue visibly, and one palette for every frame keeps colours steady and the file small.
// Colours that appear only later map to the nearest palette entry.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace vilab {

class GifWriter {
 public:
  GifWriter();
  ~GifWriter();
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;

  // `delayCs`: hundredths of a second each frame shows.
  void start(int width, int height, int delayCs);
  // One frame, width x height RGBA bytes, top row first; the first one fixes the palette.
  Status add(const std::vector<std::uint8_t>& rgba);
  // The whole file so far (complete once finish() ran).
  Status finish();
  const std::string& bytes() const { return m_bytes; }
  int frames() const { return m_frames; }

  // The file's size for `frames` frames like `sample` (the sample encoded, per frame).
  static std::size_t estimateBytes(const std::vector<std::uint8_t>& sample, int width, int height,
                                   int frames);

 private:
  void buildPalette(const std::vector<std::uint8_t>& rgba);
  struct State;
  State* m_state;
  std::string m_bytes;
  int m_width = 0, m_height = 0, m_delay = 10, m_frames = 0;
};

// Reads a GIF file back (giflib): frames, width, height; an error for a file that is not one.
Status readGifInfo(const std::string& path, int& frames, int& width, int& height);

}  // namespace vilab
