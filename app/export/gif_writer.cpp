#include "app/export/gif_writer.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>

namespace vilab {
namespace {

int writeToString(GifFileType* gif, const GifByteType* data, int length) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), length);
  return length;
}

// 15-bit key of a colour (5 bits per channel): the histogram's and the lookup table's bins.
inline int key(const std::uint8_t* p) {
  return (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3);
}

}  // namespace

struct GifWriter::State {
  GifFileType* gif = nullptr;
  ColorMapObject* map = nullptr;
  std::vector<std::uint8_t> lookup;  // 32768 bins -> palette index
  std::vector<std::array<int, 3>> palette;
};

GifWriter::GifWriter() : m_state(new State) {}

GifWriter::~GifWriter() {
  if (m_state->gif) EGifCloseFile(m_state->gif, nullptr);
  if (m_state->map) GifFreeMapObject(m_state->map);
  delete m_state;
}

void GifWriter::start(int width, int height, int delayCs) {
  m_width = width, m_height = height, m_delay = std::max(delayCs, 2);
}

void GifWriter::buildPalette(const std::vector<std::uint8_t>& rgba) {
  // Histogram of 15-bit bins with the sums of their true colours.
  struct Bin {
    long long count = 0, r = 0, g = 0, b = 0;
  };
  std::vector<Bin> bins(32768);
  for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
    Bin& bin = bins[key(&rgba[i])];
    ++bin.count, bin.r += rgba[i], bin.g += rgba[i + 1], bin.b += rgba[i + 2];
  }
  std::vector<int> used;
  for (int k = 0; k < 32768; ++k)
    if (bins[k].count > 0) used.push_back(k);
  // Median cut: split the box with the most pixels (of those with more than one bin) at the
  // pixel median of its widest channel, until 256 boxes.
  struct Box {
    std::vector<int> keys;
    long long pixels = 0;
  };
  std::vector<Box> boxes(1);
  boxes[0].keys = used;
  for (int k : used) boxes[0].pixels += bins[k].count;
  const auto channel = [](int k, int c) { return (k >> (10 - 5 * c)) & 31; };
  while (boxes.size() < 256) {
    int best = -1;
    for (std::size_t i = 0; i < boxes.size(); ++i)
      if (boxes[i].keys.size() > 1 && (best < 0 || boxes[i].pixels > boxes[best].pixels))
        best = static_cast<int>(i);
    if (best < 0) break;
    Box& box = boxes[best];
    int widest = 0, span = -1;
    for (int c = 0; c < 3; ++c) {
      int lo = 31, hi = 0;
      for (int k : box.keys) lo = std::min(lo, channel(k, c)), hi = std::max(hi, channel(k, c));
      if (hi - lo > span) span = hi - lo, widest = c;
    }
    std::sort(box.keys.begin(), box.keys.end(),
              [&](int a, int b) { return channel(a, widest) < channel(b, widest); });
    long long half = 0;
    std::size_t cut = 0;
    while (cut + 1 < box.keys.size() && (half += bins[box.keys[cut]].count) * 2 < box.pixels) ++cut;
    cut = std::clamp<std::size_t>(cut + 1, 1, box.keys.size() - 1);
    Box other;
    other.keys.assign(box.keys.begin() + cut, box.keys.end());
    box.keys.resize(cut);
    box.pixels = 0;
    for (int k : box.keys) box.pixels += bins[k].count;
    for (int k : other.keys) other.pixels += bins[k].count;
    boxes.push_back(std::move(other));
  }
  m_state->palette.clear();
  for (const Box& box : boxes) {
    long long n = 0, r = 0, g = 0, b = 0;
    for (int k : box.keys) n += bins[k].count, r += bins[k].r, g += bins[k].g, b += bins[k].b;
    if (n == 0) continue;
    m_state->palette.push_back({int((r + n / 2) / n), int((g + n / 2) / n), int((b + n / 2) / n)});
  }
  if (m_state->palette.empty()) m_state->palette.push_back({255, 255, 255});
  // Every bin's nearest palette colour, once (frames then map pixels by table look-up).
  m_state->lookup.assign(32768, 0);
  for (int k = 0; k < 32768; ++k) {
    const int r = (k >> 10) * 8 + 4, g = ((k >> 5) & 31) * 8 + 4, b = (k & 31) * 8 + 4;
    int best = 0, bestD = 1 << 30;
    for (std::size_t i = 0; i < m_state->palette.size(); ++i) {
      const auto& p = m_state->palette[i];
      const int d = (p[0] - r) * (p[0] - r) + (p[1] - g) * (p[1] - g) + (p[2] - b) * (p[2] - b);
      if (d < bestD) bestD = d, best = static_cast<int>(i);
    }
    m_state->lookup[k] = static_cast<std::uint8_t>(best);
  }
  // Bins the first frame used go to their own box's colour (exact where the box is one bin).
  for (std::size_t i = 0, entry = 0; i < boxes.size(); ++i) {
    if (boxes[i].pixels == 0) continue;
    for (int k : boxes[i].keys) m_state->lookup[k] = static_cast<std::uint8_t>(entry);
    ++entry;
  }
}

Status GifWriter::add(const std::vector<std::uint8_t>& rgba) {
  if (rgba.size() != std::size_t(m_width) * m_height * 4 || m_width <= 0)
    return Status::error("GIF frame of the wrong size");
  State& st = *m_state;
  if (!st.gif) {
    buildPalette(rgba);
    int size = 2;
    while (size < static_cast<int>(st.palette.size())) size *= 2;
    std::vector<GifColorType> colours(size, GifColorType{255, 255, 255});
    for (std::size_t i = 0; i < st.palette.size(); ++i)
      colours[i] = GifColorType{GifByteType(st.palette[i][0]), GifByteType(st.palette[i][1]),
                                GifByteType(st.palette[i][2])};
    st.map = GifMakeMapObject(size, colours.data());
    int error = 0;
    st.gif = EGifOpen(&m_bytes, writeToString, &error);
    if (!st.gif) return Status::error(std::string("giflib: ") + GifErrorString(error));
    EGifSetGifVersion(st.gif, true);
    if (EGifPutScreenDesc(st.gif, m_width, m_height, 8, 0, st.map) == GIF_ERROR)
      return Status::error("giflib could not write the screen descriptor");
    // NETSCAPE2.0: loop forever.
    const GifByteType app[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    const GifByteType loop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(st.gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(st.gif, sizeof app, app) == GIF_ERROR ||
        EGifPutExtensionBlock(st.gif, sizeof loop, loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(st.gif) == GIF_ERROR)
      return Status::error("giflib could not write the loop extension");
  }
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.DelayTime = m_delay;
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType ext[4];
  EGifGCBToExtension(&gcb, ext);
  if (EGifPutExtension(st.gif, GRAPHICS_EXT_FUNC_CODE, 4, ext) == GIF_ERROR ||
      EGifPutImageDesc(st.gif, 0, 0, m_width, m_height, false, nullptr) == GIF_ERROR)
    return Status::error("giflib could not start a frame");
  std::vector<GifPixelType> line(m_width);
  for (int y = 0; y < m_height; ++y) {
    const std::uint8_t* row = &rgba[std::size_t(y) * m_width * 4];
    for (int x = 0; x < m_width; ++x) line[x] = st.lookup[key(row + 4 * x)];
    if (EGifPutLine(st.gif, line.data(), m_width) == GIF_ERROR)
      return Status::error("giflib could not write a frame");
  }
  ++m_frames;
  return Status::ok();
}

Status GifWriter::finish() {
  if (!m_state->gif) return Status::error("a GIF needs at least one frame");
  int error = 0;
  const int result = EGifCloseFile(m_state->gif, &error);
  m_state->gif = nullptr;
  if (result == GIF_ERROR) return Status::error(std::string("giflib: ") + GifErrorString(error));
  return Status::ok();
}

std::size_t GifWriter::estimateBytes(const std::vector<std::uint8_t>& sample, int width,
                                     int height, int frames) {
  // The sample encoded once and twice: the difference is one frame, the rest the header.
  GifWriter gif;
  gif.start(width, height, 10);
  if (!gif.add(sample)) return 0;
  const std::size_t one = gif.bytes().size();
  if (!gif.add(sample)) return 0;
  const std::size_t frame = gif.bytes().size() - one;
  return one + frame * static_cast<std::size_t>(std::max(frames - 1, 0)) + 1;
}

Status readGifInfo(const std::string& path, int& frames, int& width, int& height) {
  int error = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
  if (!gif) return Status::error(path + ": " + GifErrorString(error));
  if (DGifSlurp(gif) == GIF_ERROR) {
    const std::string message = GifErrorString(gif->Error);
    DGifCloseFile(gif, &error);
    return Status::error(path + ": " + message);
  }
  frames = gif->ImageCount;
  width = gif->SWidth, height = gif->SHeight;
  for (int i = 0; i < gif->ImageCount; ++i)
    if (gif->SavedImages[i].ImageDesc.Width != width || gif->SavedImages[i].ImageDesc.Height != height)
      width = -1;
  DGifCloseFile(gif, &error);
  return Status::ok();
}

}  // namespace vilab
