// The tour options: --tour LAB:N, --tour-step K, and what they need.

#include "app/cli/tour_cli.hpp"

#include <gtest/gtest.h>

namespace vilab {
namespace {

Status parse(std::vector<const char*> args, Options& out) {
  args.insert(args.begin(), "vilab");
  return parseOptions(static_cast<int>(args.size()), args.data(), out);
}

TEST(TourCli, SpecNamesALabAndATourCountedFromOne) {
  std::string lab;
  std::size_t tour = 99;
  ASSERT_TRUE(parseTourSpec("gmm:2", lab, tour).isOk());
  EXPECT_EQ(lab, "gmm");
  EXPECT_EQ(tour, 1u);
  ASSERT_TRUE(parseTourSpec("fa", lab, tour).isOk());
  EXPECT_EQ(tour, 0u);
  const Status bad = parseTourSpec("gmn:1", lab, tour);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.message().find("unknown lab 'gmn'"), std::string::npos) << bad.message();
  EXPECT_NE(bad.message().find("gaussian"), std::string::npos) << "lists the labs: " << bad.message();
  for (const char* spec : {"gmm:0", "gmm:x", "gmm:", "gmm:1.5"}) {
    const Status s = parseTourSpec(spec, lab, tour);
    ASSERT_FALSE(s.isOk()) << spec;
    EXPECT_NE(s.message().find("whole number >= 1"), std::string::npos) << s.message();
  }
}

TEST(TourCli, OptionsAndWhatTheyNeed) {
  Options o;
  ASSERT_TRUE(parse({"--tour", "gmm:2", "--tour-step", "3"}, o).isOk());
  EXPECT_EQ(o.tour, "gmm:2");
  EXPECT_EQ(o.tourStep, 3);
  ASSERT_TRUE(parse({"--headless", "--tour", "gmm:2", "--screenshot", "x.png"}, o).isOk());
  EXPECT_EQ(o.tourStep, 1);
  const Status noTour = parse({"--tour-step", "2"}, o);
  ASSERT_FALSE(noTour.isOk());
  EXPECT_NE(noTour.message().find("--tour-step needs --tour"), std::string::npos);
  const Status noShot = parse({"--headless", "--tour", "gmm:1"}, o);
  ASSERT_FALSE(noShot.isOk());
  EXPECT_NE(noShot.message().find("--screenshot"), std::string::npos);
  EXPECT_FALSE(parse({"--headless", "--tour", "gmm:1", "--screenshot", "x.png", "--steps", "5"}, o).isOk());
  EXPECT_FALSE(parse({"--tour", "gmm:1", "--tour-step", "0"}, o).isOk());
  EXPECT_NE(usage().find("--tour LAB:N"), std::string::npos);
  EXPECT_NE(usage().find("--tour-step K"), std::string::npos);
}

}  // namespace
}  // namespace vilab
