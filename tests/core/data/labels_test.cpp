// Label columns found by name wherever they stand, and mapped to dense classes named by value.

#include "core/data/labels.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vilab {
namespace {

CsvData parsed(const std::string& text) {
  CsvData d;
  EXPECT_TRUE(parseCsv(text, d).isOk()) << text;
  return d;
}

TEST(Labels, NamesAreLabelClassYTargetInAnyCase) {
  for (const char* name :
       {"label", "Label", "LABELS", "class", "Class", "y", "Y", "target", " target "})
    EXPECT_TRUE(isLabelName(name)) << name;
  for (const char* name : {"pixel0", "x", "classes", "yy", "", "label2", "weight"})
    EXPECT_FALSE(isLabelName(name)) << name;
}

TEST(Labels, ColumnIsFoundByNameFirstMiddleOrLastElseTheLastColumn) {
  EXPECT_EQ(labelColumn(parsed("label,pixel0,pixel1\n3,0,255\n")), 0);
  EXPECT_EQ(labelColumn(parsed("a,Class,b\n1,2,3\n")), 1);
  EXPECT_EQ(labelColumn(parsed("a,b,TARGET\n1,2,3\n")), 2);
  EXPECT_EQ(labelColumn(parsed("a,b,c\n1,2,3\n")), 2);  // no label name: the last column
  EXPECT_EQ(labelColumn(parsed("1,2,3\n")), 2);         // no header: the last column
  EXPECT_EQ(namedLabelColumn(parsed("a,b,c\n1,2,3\n").header), std::nullopt);
  EXPECT_EQ(namedLabelColumn({}), std::nullopt);
  // The first of two label names.
  EXPECT_EQ(namedLabelColumn({"x", "y", "label"}), 1);
}

TEST(Labels, ValuesBecomeDenseClassesNamedByValue) {
  // Numeric-looking labels, unsorted and with gaps: classes follow the order of the values.
  const CsvData d = parsed("x,label\n0.1,10\n0.2,2.5\n0.3,10\n0.4,-1\n0.5,2.50\n");
  ClassLabels labels;
  ASSERT_TRUE(readClassLabels(d, labelColumn(d), 256, labels).isOk());
  EXPECT_EQ(labels.column, 1);
  EXPECT_EQ(labels.names, (std::vector<std::string>{"-1", "2.5", "10"}));
  EXPECT_EQ(labels.classes, (std::vector<int>{2, 1, 2, 0, 1}));
}

TEST(Labels, TooManyClassesIsAnErrorNamingTheColumn) {
  std::string text = "a,class\n";
  for (int i = 0; i < 5; ++i) text += "0," + std::to_string(i) + "\n";
  const CsvData d = parsed(text);
  ClassLabels labels;
  labels.column = 42;
  const Status s = readClassLabels(d, 1, 4, labels);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(),
            "the label column 2 (class) has 5 different values; at most 4 classes are allowed");
  EXPECT_EQ(labels.column, 42);  // untouched
  EXPECT_FALSE(readClassLabels(d, 2, 4, labels).isOk());
}

TEST(Labels, ColumnsExceptDropsOnlyTheLabelColumn) {
  const CsvData d = parsed("label,p0,p1\n7,1,2\n9,3,4\n");
  Eigen::MatrixXd expected(2, 2);
  expected << 1, 2, 3, 4;
  EXPECT_EQ(columnsExcept(d.values, 0), expected);
  EXPECT_EQ(columnsExcept(d.values, -1), d.values);
}

// scikit-learn's iris as a user has it after saving it from a spreadsheet: a header of names with
// spaces and parentheses, the species code in a column named target.
TEST(Labels, IrisSavedFromASpreadsheetReadsExactly) {
  const std::string source = "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv";
  std::ifstream in(source);
  if (!in) GTEST_SKIP() << "python3-sklearn's iris.csv not found";
  std::string line;
  std::getline(in, line);  // sklearn's own first line: "150,4,setosa,versicolor,virginica"
  std::vector<std::vector<double>> truth;
  std::string text =
      "sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),target\r\n";
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    text += line + "\r\n";
    std::vector<double> row;
    std::stringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');)
      row.push_back(std::strtod(f.c_str(), nullptr));
    truth.push_back(row);
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("vilab_iris_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path, std::ios::binary) << text;
  CsvData d;
  const Status s = loadCsv(path.string(), d);
  std::filesystem::remove(path);
  ASSERT_TRUE(s.isOk()) << s.message();
  ASSERT_EQ(d.values.rows(), 150);
  ASSERT_EQ(d.values.cols(), 5);
  for (Eigen::Index i = 0; i < 150; ++i)
    for (Eigen::Index j = 0; j < 5; ++j)
      ASSERT_EQ(d.values(i, j), truth[std::size_t(i)][std::size_t(j)]) << i << "," << j;
  EXPECT_EQ(d.note, path.string() +
                        ": 150 rows × 5 columns, header: sepal length (cm), sepal width (cm), "
                        "petal length (cm), petal width (cm), target; separator ','");
  ClassLabels labels;
  ASSERT_TRUE(readClassLabels(d, labelColumn(d), 256, labels).isOk());
  EXPECT_EQ(labels.column, 4);
  EXPECT_EQ(labels.names, (std::vector<std::string>{"0", "1", "2"}));
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(std::count(labels.classes.begin(), labels.classes.end(), k), 50);
}

// Labs that take no labels leave a named label column out and say so; other tables pass as read.
TEST(Labels, NamedLabelColumnIsLeftOutForLabsWithoutLabels) {
  CsvData d = withoutLabelColumn(parsed("a,Class,b\n1,0,2\n3,1,4\n"));
  EXPECT_EQ(d.header, (std::vector<std::string>{"a", "b"}));
  Eigen::MatrixXd expected(2, 2);
  expected << 1, 2, 3, 4;
  EXPECT_EQ(d.values, expected);
  EXPECT_EQ(d.lines, (std::vector<int>{2, 3}));  // rows are still the same lines
  EXPECT_EQ(d.note, "2 rows × 3 columns, header: a, Class, b; separator ','; column 2 (Class) "
                    "left out: class labels are not fitted by this lab");
  // No label name (or no header): every column stays; so do a lone label column and "y".
  for (const std::string text : {"a,b\n1,2\n", "1,2\n3,4\n", "target\n1\n2\n", "x,y\n1,2\n", "x, Y ,z\n1,2,3\n"}) {
    const CsvData t = parsed(text);
    const CsvData u = withoutLabelColumn(t);
    EXPECT_EQ(u.values, t.values) << text;
    EXPECT_EQ(u.note, t.note) << text;
  }
}

}  // namespace
}  // namespace vilab
