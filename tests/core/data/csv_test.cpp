#include "core/data/csv.hpp"

#include <gtest/gtest.h>

namespace vilab {
namespace {

TEST(Csv, ReadsColumnsWithAndWithoutHeader) {
  CsvData d;
  ASSERT_TRUE(parseCsv("x,y\n1,2\n3.5,-4e2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(d.values.rows(), 2);
  EXPECT_EQ(d.values(1, 1), -400.0);
  ASSERT_TRUE(parseCsv("1.5\r\n2.5\r\n\n# comment\n3\n", d).isOk());
  EXPECT_TRUE(d.header.empty());
  EXPECT_EQ(d.values.rows(), 3);
  EXPECT_EQ(d.values(2, 0), 3.0);
  ASSERT_TRUE(parseCsv("1;2\n3;4", d).isOk());
  EXPECT_EQ(d.values(1, 1), 4.0);
}

TEST(Csv, RejectsBadInputWithLineNumbers) {
  CsvData d;
  d.values = Eigen::MatrixXd::Constant(1, 1, 7.0);
  struct Bad {
    const char* text;
    const char* says;
  };
  for (const Bad& bad : {Bad{"1,2\n3\n", "line 2 has 1 values, expected 2"},
                         Bad{"1\nabc\n", "line 2, column 1: 'abc' is not a number"},
                         Bad{"1\nnan\n", "not a finite number"},
                         Bad{"1\n1e999\n", "line 2"}, Bad{"", "no data rows"},
                         Bad{"x,y\n", "no data rows"}, Bad{"1,,2\n", "line 1, column 2 is empty"}}) {
    const Status s = parseCsv(bad.text, d);
    ASSERT_FALSE(s.isOk()) << bad.text;
    EXPECT_NE(s.message().find(bad.says), std::string::npos) << s.message();
    EXPECT_EQ(d.values(0, 0), 7.0);  // untouched on error
  }
}

TEST(Csv, MissingFileIsAClearError) {
  CsvData d;
  const Status s = loadCsv("/nonexistent/data.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace vilab
