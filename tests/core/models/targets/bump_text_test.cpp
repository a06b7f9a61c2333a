// The custom target's bumps as text: round trip, and one clear error per kind of bad text.

#include "core/models/targets/bump_text.hpp"

#include <gtest/gtest.h>

namespace vilab {
namespace {

TEST(BumpText, ParsesAndRoundTrips) {
  std::vector<TargetBump> b;
  ASSERT_TRUE(parseBumps(" 1,2,0.5,1 ;-1.25, 0 ,0.3, 2e-1", b).isOk());
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].x, -1.25);
  EXPECT_EQ(b[1].sd, 0.3);
  EXPECT_EQ(b[1].weight, 0.2);
  b.push_back({0.1, 1.0 / 3.0, 0.7, 0.0125});
  std::vector<TargetBump> back;
  ASSERT_TRUE(parseBumps(formatBumps(b), back).isOk()) << formatBumps(b);
  ASSERT_EQ(back.size(), b.size());
  for (std::size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(back[i].x, b[i].x);
    EXPECT_EQ(back[i].y, b[i].y);
    EXPECT_EQ(back[i].sd, b[i].sd);
    EXPECT_EQ(back[i].weight, b[i].weight);
  }
  EXPECT_EQ(formatBumps({{1, -2, 0.5, 3}}), "1,-2,0.5,3");
  ASSERT_TRUE(parseBumps("  ", b).isOk());
  EXPECT_TRUE(b.empty());
}

void expectError(const std::string& text, const std::vector<std::string>& parts) {
  std::vector<TargetBump> b{{}};
  const Status s = parseBumps(text, b);
  ASSERT_FALSE(s.isOk()) << text;
  for (const std::string& p : parts)
    EXPECT_NE(s.message().find(p), std::string::npos) << s.message();
  EXPECT_TRUE(b.empty());
}

TEST(BumpText, ErrorsNameTheBumpAndField) {
  expectError("1,2,0.5", {"bump 1", "3 field", "x,y,sd,w"});
  expectError("1,2,0.5,1,9", {"bump 1", "5 field"});
  expectError("1,2,0.5,1; a,2,0.5,1", {"bump 2", "field x", "\"a\"", "[-20, 20]"});
  expectError("1,,0.5,1", {"bump 1", "field y"});
  expectError("1,2,0,1", {"bump 1", "field sd", "[0.05, 10]"});
  expectError("1,2,11,1", {"bump 1", "field sd", "[0.05, 10]"});
  expectError("21,2,1,1", {"bump 1", "field x", "[-20, 20]"});
  expectError("1,2,0.5,-1", {"bump 1", "field w", "[0.01, 100]"});
  expectError("1,2,nan,1", {"field sd"});
  expectError("inf,2,0.5,1", {"field x"});
  expectError("1,2,0.5,1;", {"bump 2", "empty"});
  expectError("1,2,0.5,1x", {"field w", "\"1x\""});
  std::string many;
  for (int i = 0; i <= kMaxBumps; ++i) many += "0,0,1,1;";
  many.pop_back();
  expectError(many, {"at most"});
}

}  // namespace
}  // namespace vilab
