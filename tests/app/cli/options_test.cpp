#include "app/cli/options.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace vilab {
namespace {

Status parse(std::vector<const char*> args, Options& o) {
  args.insert(args.begin(), "vilab");
  return parseOptions(static_cast<int>(args.size()), args.data(), o);
}

TEST(Options, ReadsTheDocumentedForms) {
  Options o;
  ASSERT_TRUE(parse({"--model", "gaussian", "--set", "lr=0.1", "--set=seed=3", "--headless",
                     "--steps=50", "--csv", "t.csv", "--params-out", "p.json"},
                    o)
                  .isOk());
  EXPECT_EQ(o.model, "gaussian");
  ASSERT_EQ(o.sets.size(), 2u);
  EXPECT_EQ(o.sets[0], (std::pair<std::string, std::string>{"lr", "0.1"}));
  EXPECT_EQ(o.sets[1], (std::pair<std::string, std::string>{"seed", "3"}));
  EXPECT_TRUE(o.headless);
  EXPECT_EQ(o.steps, 50);
  EXPECT_EQ(o.csv, "t.csv");
  ASSERT_TRUE(parse({}, o).isOk());
  EXPECT_TRUE(o.model.empty());
  EXPECT_FALSE(o.headless);
}

TEST(Options, RejectsBadCombinationsWithAReason) {
  Options o;
  EXPECT_NE(parse({"--frobnicate"}, o).message().find("unknown argument '--frobnicate'"),
            std::string::npos);
  EXPECT_NE(parse({"--headless"}, o).message().find("--steps"), std::string::npos);
  EXPECT_NE(parse({"--csv", "x.csv"}, o).message().find("--headless"), std::string::npos);
  EXPECT_NE(parse({"--headless", "--steps", "-3"}, o).message().find("whole number"),
            std::string::npos);
  EXPECT_NE(parse({"--headless", "--steps", "ten"}, o).message().find("'ten'"), std::string::npos);
  EXPECT_NE(parse({"--set", "novalue"}, o).message().find("key=value"), std::string::npos);
  EXPECT_NE(parse({"--model"}, o).message().find("needs a value"), std::string::npos);
  EXPECT_NE(parse({"--ui-scale", "9"}, o).message().find("0.75 to 3"), std::string::npos);
}

TEST(Options, FigureFlagsAndTheirRanges) {
  Options o;
  ASSERT_TRUE(parse({"--headless", "--steps", "5", "--export-svg", "a", "--export-pdf=b", "--export-png",
                     "c", "--png-scale", "3", "--figure-width", "8.5", "--record", "r.gif",
                     "--record-every", "2", "--record-plot", "elbo"},
                    o)
                  .isOk());
  EXPECT_EQ(o.exportSvg, "a");
  EXPECT_EQ(o.exportPdf, "b");
  EXPECT_EQ(o.exportPng, "c");
  EXPECT_EQ(o.pngScale, 3);
  EXPECT_DOUBLE_EQ(o.figureWidthCm, 8.5);
  EXPECT_EQ(o.record, "r.gif");
  EXPECT_EQ(o.recordEvery, 2);
  EXPECT_EQ(o.recordPlot, "elbo");
  for (const char* bad : {"0", "5", "2.5"})
    EXPECT_NE(parse({"--headless", "--steps", "1", "--png-scale", bad}, o).message().find("--png-scale"),
              std::string::npos)
        << bad;
  for (const char* bad : {"0.5", "101", "8cm"})
    EXPECT_NE(parse({"--headless", "--steps", "1", "--figure-width", bad}, o).message().find("--figure-width"),
              std::string::npos)
        << bad;
  EXPECT_NE(parse({"--export-svg", "a"}, o).message().find("--headless"), std::string::npos);
  EXPECT_NE(parse({"--headless", "--steps", "1", "--record-every", "3"}, o).message().find("--record"),
            std::string::npos);
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

TEST(Options, ThemeAndPresentation) {
  Options o;
  ASSERT_TRUE(parse({}, o).isOk());
  EXPECT_EQ(o.theme, "light");
  EXPECT_FALSE(o.presentation);
  ASSERT_TRUE(parse({"--theme", "dark", "--presentation"}, o).isOk());
  EXPECT_EQ(o.theme, "dark");
  EXPECT_TRUE(o.presentation);
  const Status bad = parse({"--theme", "blue"}, o);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.message().find("--theme needs light or dark, not 'blue'"), std::string::npos) << bad.message();
  EXPECT_NE(usage().find("--theme light|dark"), std::string::npos);
  EXPECT_NE(usage().find("--presentation"), std::string::npos);
}

}  // namespace
}  // namespace vilab
