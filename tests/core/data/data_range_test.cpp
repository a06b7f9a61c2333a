// The range check all labs share: each limit at its boundary, and messages that name the file,
// the editor line, the column and its header name.

#include "core/data/data_range.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace vilab {
namespace {

const std::string kOwnData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

Status rangeOf(const std::string& text) {
  CsvData table;
  EXPECT_TRUE(parseCsv(text, table, "in.csv").isOk()) << text;
  return checkDataRange(table);
}

TEST(DataRange, MagnitudeLimitIsInclusiveAndNamesTheEditorLine) {
  EXPECT_TRUE(rangeOf("x\n1e100\n-1e100\n3\n").isOk());
  const Status s = rangeOf("x,y\n# comment\n1,2\n\n3,-1.0000001e100\n");
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file 'in.csv': line 5, column 2 (y) is -1e+100: values must stay "
                         "within ±1e+100 (their squares must fit in a double); rescale the data");
  // scinot.csv: 1e300 on editor line 4 (the reader counts the header line).
  CsvData table;
  ASSERT_TRUE(loadCsv(kOwnData + "scinot.csv", table).isOk());
  const Status t = checkDataRange(table);
  ASSERT_FALSE(t.isOk());
  EXPECT_NE(t.message().find("scinot.csv': line 4, column 1 (x) is 1e+300"), std::string::npos)
      << t.message();
}

TEST(DataRange, SpreadLimitOnVaryingColumnsOnly) {
  // Standard deviation of {a, -a} is a: 1e-100 passes, just below it fails.
  EXPECT_TRUE(rangeOf("x\n1e-100\n-1e-100\n").isOk());
  const Status s = rangeOf("x,tiny\n1,0.99e-100\n2,-0.99e-100\n");
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file 'in.csv': column 2 (tiny) has standard deviation 9.9e-101, "
                         "below 1e-100 (its variance would underflow); rescale the data");
  // Constant columns have nothing to underflow, at any magnitude (1e-300 equal values; zeros; a
  // column that differs only by rounding, 1e-13 of its size).
  EXPECT_TRUE(rangeOf("a,b,c,d\n1e-300,0,1,5\n1e-300,0,1.0000000000001,6\n").isOk());
  // A matrix without a file: rows by index.
  Eigen::MatrixXd y(2, 1);
  y << 1, std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(checkDataRange(y).message(), "row 2, column 1 is not a finite number");
}

}  // namespace
}  // namespace vilab
