// --data with the files users really have (tests/data/own-data/): what is read is said on a
// `vilab: note:` line; a refused file exits 2 with one line naming file, line, column and reason.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

using test::Result;
using test::run;
using DataFile = test::TempDirTest;

const std::string kOwnData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

// A refused file: exit 2, one error line holding each fragment, nothing on standard output.
void expectRefused(const std::string& args, const std::vector<std::string>& fragments) {
  const Result r = run(args + " --headless --steps 5");
  EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("vilab: error: data file '", 0), 0u) << r.err;
  for (const auto& f : fragments)
    EXPECT_NE(r.err.find(f), std::string::npos) << "'" << f << "' not in " << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(DataFile, ByteOrderMarkKeepsAllSixRowsAndTheNoteSaysSo) {
  const std::string file = kOwnData + "bom_noheader_2col.csv";
  const Result r = run("--model gmm --data " + file + " --headless --steps 5");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(" n=6"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("vilab: note: " + file +
                       ": 6 rows × 2 columns, no header; separator ','; "
                       "UTF-8 byte-order mark skipped\n"),
            std::string::npos)
      << r.err;
}

TEST_F(DataFile, HeaderNamesAreInTheNote) {
  std::ofstream(dir / "h.csv")
      << "\"height, cm\";\"weight, kg\"\r\n170;65.5\r\n182;80\r\n175;71\r\n";
  const Result r =
      run("--model fa --set k=1 --data " + (dir / "h.csv").string() + " --headless --steps 3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(
      r.err.find("vilab: note: " + (dir / "h.csv").string() +
                 ": 3 rows × 2 columns, header: \"height, cm\", \"weight, kg\"; separator ';'\n"),
      std::string::npos)
      << r.err;
}

TEST_F(DataFile, EachKindOfBadFileIsOneClearError) {
  expectRefused(
      "--model fa --data " + kOwnData + "quoted_decimal_comma_noheader.csv",
      {"quoted_decimal_comma_noheader.csv': line 1, column 1: '1,5' has a decimal comma"});
  expectRefused(
      "--model gaussian --data " + kOwnData + "quoted_thousands_noheader.csv",
      {"quoted_thousands_noheader.csv': line 1, column 1: '1,234.5' has a thousands separator"});
  std::ofstream(dir / "na.csv") << "x,y\n1,2\n3,NA\n";
  expectRefused("--model gmm --data " + (dir / "na.csv").string(),
                {"line 3, column 2 (y): 'NA' is a missing value"});
  std::ofstream(dir / "big.csv") << "1\n1e999\n";
  expectRefused("--data " + (dir / "big.csv").string(), {"line 2, column 1: '1e999' overflows"});
  std::ofstream(dir / "ragged.csv") << "1,2\n3,4\n5\n";
  expectRefused("--model gmm --data " + (dir / "ragged.csv").string(),
                {"line 3 has 1 field, expected 2"});
  std::ofstream(dir / "mixed.csv") << "x,1\n2,3\n";
  expectRefused("--model gmm --data " + (dir / "mixed.csv").string(),
                {"line 1, column 1: 'x' is not a number"});
}

TEST_F(DataFile, VaeReadsTheLabelFirstMnistLayout) {
  const std::string file = kOwnData + "label_first_images.csv";
  const Result r = run("--model vae --set batch=5 --data " + file + " --headless --steps 3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("vilab: note: " + file +
                       ": 12 rows × 785 columns, header: label, pixel0, pixel1, pixel2, "
                       "pixel3, pixel4, …; separator ','\n"),
            std::string::npos)
      << r.err;
}

// Values beyond what the arithmetic holds: the same data-range message, exit 2, in every lab
// that fits the values (never a remedy about settings such as lr or the prior).
TEST_F(DataFile, ValuesOutOfRangeAreRefusedAlikeInEveryLab) {
  const std::string file = kOwnData + "g160.csv";  // x / 1e160 / 2e160 / 3e160
  for (const std::string model : {"gaussian", "gmm", "fa"}) {
    std::ofstream(dir / "wide.csv") << "x,y\n1,1e160\n2,3\n3,2\n";
    expectRefused("--model " + model + " --data " + (model == "fa" ? (dir / "wide.csv").string() : file),
                  {model == "fa" ? "line 2, column 2 (y) is 1e+160" : "g160.csv': line 2, column 1 (x) is 1e+160",
                   "values must stay within ±1e+100", "rescale the data"});
  }
  std::ofstream(dir / "tiny.csv") << "x,y\n1e-300,2e-300\n-1e-300,3e-300\n3e-300,-1e-300\n";
  expectRefused("--model gmm --data " + (dir / "tiny.csv").string(),
                {"column 1 (x) has standard deviation 1.63e-300, below 1e-100", "rescale the data"});
  // scinot.csv: 1e300 on editor line 4.
  expectRefused("--model fa --set k=1 --data " + kOwnData + "scinot.csv",
                {"scinot.csv': line 4, column 1 (x) is 1e+300"});
}

TEST_F(DataFile, FactorAnalysisNamesTheFileWhenItDecidesD) {
  std::ofstream(dir / "two.csv") << "a,b\n1,2\n2,1\n3,5\n";
  const Result r = run("--model fa --data " + (dir / "two.csv").string() + " --headless --steps 5");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("k = 2 factors need D > k, but the data from '" + (dir / "two.csv").string() +
                       "' have D = 2 columns; choose k < 2"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("raise d"), std::string::npos) << r.err;
}

TEST_F(DataFile, UnsupervisedLabsLeaveANamedLabelColumnOut) {
  std::ofstream(dir / "l.csv") << "a,label,b\n1,0,2\n2,1,1\n3,0,5\n4,1,3\n5,0,4\n";
  const Result r = run("--model gmm --data " + (dir / "l.csv").string() + " --headless --steps 3");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("; column 2 (label) left out: class labels are not fitted by this lab\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find(" n=5"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace vilab
