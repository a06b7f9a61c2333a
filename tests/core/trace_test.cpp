#include "core/trace.hpp"

#include <gtest/gtest.h>

namespace vilab {
namespace {

TEST(Trace, ViewsAreSnapshotsOfTheLog) {
  TraceLog log({"iteration", "elbo"});
  for (int i = 1; i <= 3000; ++i) log.append({double(i), -1.0 / i});
  const TraceView early = log.view();
  for (int i = 3001; i <= 5000; ++i) log.append({double(i), -1.0 / i});
  EXPECT_EQ(early.rows(), 3000u);
  EXPECT_EQ(early.at(2999, 0), 3000.0);
  EXPECT_EQ(log.view().rows(), 5000u);
  EXPECT_EQ(log.view().column("elbo"), 1);
  EXPECT_EQ(log.view().column("nope"), -1);
  EXPECT_EQ(log.view().lastRow()[0], 5000.0);
}

TEST(Trace, ThinsToBoundedRowsKeepingEveryStrideRow) {
  const std::size_t maxRows = 4096;
  TraceLog log({"iteration"}, maxRows);
  std::vector<double> heard;
  log.setListener([&](std::span<const double> row) { heard.push_back(row[0]); });
  const TraceView before = [&] {
    for (int i = 0; i < 3072; ++i) log.append({double(i)});
    return log.view();
  }();
  for (int i = 3072; i < 100000; ++i) log.append({double(i)});
  const TraceView v = log.view();
  EXPECT_LE(v.rows(), maxRows);
  EXPECT_GE(v.rows(), maxRows / 3 - 1024);
  for (std::size_t r = 0; r < v.rows(); ++r) ASSERT_EQ(v.at(r, 0), double(r * v.stride()));
  EXPECT_EQ(v.lastRow()[0], 99999.0);
  EXPECT_EQ(heard.size(), 100000u);  // the listener hears every row, thinned or not
  // A view published before thinning still reads its own rows.
  for (std::size_t r = 0; r < before.rows(); ++r) ASSERT_EQ(before.at(r, 0), double(r));
}

TEST(Trace, ThinningKeepsBothPhasesOfAlternatingSteps) {
  TraceLog log({"iteration", "phase"}, 3072);
  for (int i = 0; i < 50000; ++i) log.append({double(i), double(i % 2)});
  const TraceView v = log.view();
  ASSERT_GT(v.stride(), 1u);
  int odd = 0;
  for (std::size_t r = 0; r < v.rows(); ++r) odd += v.at(r, 1) == 1.0;
  EXPECT_GT(odd, static_cast<int>(v.rows()) / 3);
  EXPECT_LT(odd, 2 * static_cast<int>(v.rows()) / 3);
}

TEST(Trace, ClearStartsOver) {
  TraceLog log({"iteration", "elbo"});
  log.append({1.0, 2.0});
  const TraceView old = log.view();
  log.clear();
  EXPECT_TRUE(log.view().empty());
  EXPECT_EQ(old.rows(), 1u);
  EXPECT_EQ(log.columns().size(), 2u);
}

}  // namespace
}  // namespace vilab
