// The A/B CSV writer (app/export/compare_csv.cpp): header order, rows joined on the iteration, and
// empty cells (never a guessed value) where one side lacks an iteration.

#include "app/export/compare_csv.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

TEST(CompareCsv, HeaderIsIterationThenAThenBInTraceOrder) {
  EXPECT_EQ(CompareCsvWriter::header({"iteration", "elbo", "m"}, {"iteration", "elbo", "m", "s"}),
            "iteration,a_elbo,a_m,b_elbo,b_m,b_s\n");
}

TEST(CompareCsv, RowsJoinOnTheIterationAndAMissingSideStaysEmpty) {
  const auto path = std::filesystem::temp_directory_path() / ("vilab_compare_csv_" + std::to_string(::getpid()) + ".csv");
  CompareCsvWriter w;
  ASSERT_TRUE(w.open(path.string(), {"iteration", "x"}, {"x", "iteration"}).isOk());
  const double a1[] = {1, 0.5}, a2[] = {2, 0.25}, a4[] = {4, 4};
  const double b1[] = {10, 1}, b3[] = {30, 3}, b4[] = {40, 4};
  w.rowA(a1), w.rowA(a2);
  w.rowB(b1), w.rowB(b3);  // B thinned differently: no iteration 2, an iteration 3
  w.rowA(a4), w.rowB(b4);
  ASSERT_TRUE(w.commit().isOk());
  EXPECT_EQ(test::slurp(path), "iteration,a_x,b_x\n1,0.5,10\n2,0.25,\n3,,30\n4,4,40\n");
  std::filesystem::remove(path);
}

TEST(CompareCsv, ATraceWithoutIterationIsRefused) {
  CompareCsvWriter w;
  EXPECT_FALSE(w.open("/tmp/unused.csv", {"elbo"}, {"iteration", "elbo"}).isOk());
}

}  // namespace
}  // namespace vilab
