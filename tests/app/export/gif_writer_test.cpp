// Animated GIFs (app/export/gif_writer.cpp): frames written, decoded back by giflib.

#include "app/export/gif_writer.hpp"

#include <gif_lib.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "app/export/atomic_file.hpp"

namespace vilab {
namespace {

// A white frame with a coloured bar that moves with `t`.
std::vector<std::uint8_t> frame(int w, int h, int t) {
  std::vector<std::uint8_t> rgba(std::size_t(w) * h * 4, 255);
  for (int y = h / 3; y < 2 * h / 3; ++y)
    for (int x = t; x < t + 10 && x < w; ++x) {
      std::uint8_t* p = &rgba[(std::size_t(y) * w + x) * 4];
      p[0] = 31, p[1] = 119, p[2] = 180;
    }
  return rgba;
}

TEST(GifWriter, TwentyFramesDecodeToTwentyFramesOfTheSizeAndColours) {
  const int w = 64, h = 48;
  GifWriter gif;
  gif.start(w, h, 10);
  for (int t = 0; t < 20; ++t) ASSERT_TRUE(gif.add(frame(w, h, 2 * t)).isOk());
  ASSERT_TRUE(gif.finish().isOk());
  const auto path = std::filesystem::temp_directory_path() / "vilab_gif_writer_test.gif";
  ASSERT_TRUE(writeFileAtomically(path.string(), gif.bytes()).isOk());
  int frames = 0, width = 0, height = 0;
  ASSERT_TRUE(readGifInfo(path.string(), frames, width, height).isOk());
  EXPECT_EQ(frames, 20);
  EXPECT_EQ(width, w);
  EXPECT_EQ(height, h);
  // Few colours: the median-cut palette holds them exactly.
  int error = 0;
  GifFileType* file = DGifOpenFileName(path.string().c_str(), &error);
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(DGifSlurp(file), GIF_OK);
  const SavedImage& last = file->SavedImages[19];
  const GifColorType bar = file->SColorMap->Colors[last.RasterBits[(h / 2) * w + 40]];
  const GifColorType white = file->SColorMap->Colors[last.RasterBits[0]];
  EXPECT_EQ(bar.Red, 31);
  EXPECT_EQ(bar.Green, 119);
  EXPECT_EQ(bar.Blue, 180);
  EXPECT_EQ(white.Red + white.Green + white.Blue, 3 * 255);
  DGifCloseFile(file, &error);
  std::filesystem::remove(path);
  // The estimate from one frame is the right order of magnitude.
  const double estimate = GifWriter::estimateBytes(frame(w, h, 0), w, h, 20);
  EXPECT_GT(estimate, 0.5 * gif.bytes().size());
  EXPECT_LT(estimate, 2.0 * gif.bytes().size());
}

TEST(GifWriter, AFrameOfTheWrongSizeIsAnError) {
  GifWriter gif;
  gif.start(8, 8, 10);
  EXPECT_FALSE(gif.add(std::vector<std::uint8_t>(10)).isOk());
  EXPECT_FALSE(gif.finish().isOk()) << "no frame: no file";
}

TEST(GifWriter, ReadingAFileThatIsNoGifIsAnError) {
  const auto path = std::filesystem::temp_directory_path() / "vilab_not_a.gif";
  ASSERT_TRUE(writeFileAtomically(path.string(), "not a gif").isOk());
  int frames = 0, w = 0, h = 0;
  EXPECT_FALSE(readGifInfo(path.string(), frames, w, h).isOk());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace vilab
