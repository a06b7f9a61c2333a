// Figures from the command line: --export-svg/--export-pdf/--export-png, --record (GIF).
// Deterministic for a scenario and seed; bad paths exit 2 with one line and write nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "app/export/gif_writer.hpp"
#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;
using test::Result;
using test::run;
using test::slurp;
using ExportCommandLine = test::TempDirTest;

std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Width and height from a PNG's IHDR chunk.
std::pair<int, int> pngSize(const std::string& bytes) {
  const auto be = [&](std::size_t at) {
    return int((unsigned char)bytes[at]) << 24 | int((unsigned char)bytes[at + 1]) << 16 |
           int((unsigned char)bytes[at + 2]) << 8 | int((unsigned char)bytes[at + 3]);
  };
  return bytes.size() > 24 ? std::pair{be(16), be(20)} : std::pair{0, 0};
}

TEST_F(ExportCommandLine, OneFilePerPlotAGifOfTwentyFramesAndTheSameBytesTwice) {
  std::vector<std::vector<std::string>> files;
  for (const char* sub : {"a", "b"}) {
    const fs::path out = dir / sub;
    fs::create_directories(out);
    const Result r = run("--model gaussian --set seed=7 --headless --steps 19 --export-svg " + out.string() +
                         " --export-pdf " + out.string() + " --export-png " + out.string() + " --png-scale 2" +
                         " --record " + (out / "run.gif").string() + " --record-every 1 --record-plot elbo");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("recording 20 frames"), std::string::npos) << r.err;
    files.push_back(names(out));
  }
  ASSERT_EQ(files[0], files[1]);
  for (const char* plot : {"gaussian_elbo", "gaussian_views", "gaussian_marginal-of-mu-q-mu-vs-p-mu-x"})
    for (const char* ext : {".svg", ".pdf", ".png"})
      EXPECT_NE(std::find(files[0].begin(), files[0].end(), std::string(plot) + ext), files[0].end())
          << plot << ext;
  for (const auto& name : files[0])
    EXPECT_EQ(slurp(dir / "a" / name), slurp(dir / "b" / name)) << name << " differs between runs";

  int frames = 0, w = 0, h = 0;
  ASSERT_TRUE(readGifInfo((dir / "a" / "run.gif").string(), frames, w, h).isOk());
  EXPECT_EQ(frames, 20) << "the start and one frame per iteration";
  // The frames are the ELBO plot at --png-scale, as its PNG.
  const auto [pw, ph] = pngSize(slurp(dir / "a" / "gaussian_elbo.png"));
  EXPECT_EQ(w, pw);
  EXPECT_EQ(h, ph);
}

TEST_F(ExportCommandLine, BadFoldersAndExtensionsExitTwoWithOneLineAndWriteNothing) {
  const std::string file = (dir / "plain-file").string();
  { std::ofstream(file) << "x"; }
  const std::string csv = " --csv " + (dir / "trace.csv").string();
  const std::string cases[] = {
      "--export-svg " + (dir / "missing").string(),
      "--export-pdf " + file,
      "--export-png " + (dir / "missing" / "deeper").string(),
      "--record " + (dir / "run.bmp").string(),
      "--record " + (dir / "run.mp4").string(),
      "--record " + (dir / "missing" / "run.gif").string(),
      "--record-plot elbo --record-every 0 --record " + (dir / "run.gif").string(),
  };
  for (const std::string& args : cases) {
    const Result r = run("--headless --steps 3" + csv + " " + args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    EXPECT_EQ(names(dir), std::vector<std::string>{"plain-file"}) << args << ": something was written";
  }
  const Result plot = run("--headless --steps 3 --record " + (dir / "run.gif").string() + " --record-plot nosuch");
  EXPECT_EQ(plot.code, 2);
  EXPECT_NE(plot.err.find("nosuch"), std::string::npos) << plot.err;
  EXPECT_EQ(names(dir), std::vector<std::string>{"plain-file"});
  EXPECT_EQ(run("--export-svg " + dir.string()).code, 2) << "needs --headless";
  EXPECT_EQ(run("--headless --steps 1 --png-scale 5").code, 2);
}

}  // namespace
}  // namespace vilab
