// The CSV reader against the files users really have: the cases (tests/data/own-data/,
// contents checked with Python's csv module) and small texts for each kind of bad file. Every
// expected value is the file's own text; every refusal must name line, column and reason.

#include "core/data/csv.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <string>
#include <vector>

namespace vilab {
namespace {

const std::string kOwnData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

Eigen::MatrixXd rows(std::initializer_list<std::initializer_list<double>> values) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(values.size()),
                    static_cast<Eigen::Index>(values.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& row : values) {
    Eigen::Index j = 0;
    for (double v : row) m(i, j++) = v;
    ++i;
  }
  return m;
}

// Parses text expected to be refused: `out` must stay as it was and the message must hold
// every fragment.
void expectRefused(const std::string& text, const std::vector<std::string>& fragments) {
  CsvData d;
  d.values = Eigen::MatrixXd::Constant(1, 1, 7.0);
  d.note = "before";
  const Status s = parseCsv(text, d, "in.csv");
  ASSERT_FALSE(s.isOk()) << "accepted: " << text << " as " << d.note;
  EXPECT_EQ(s.message().rfind("data file 'in.csv': ", 0), 0u) << s.message();
  for (const auto& f : fragments)
    EXPECT_NE(s.message().find(f), std::string::npos) << "'" << f << "' not in: " << s.message();
  EXPECT_EQ(d.values.size(), 1);
  EXPECT_EQ(d.values(0, 0), 7.0);
  EXPECT_EQ(d.note, "before");
}

TEST(Csv, ByteOrderMarkIsSkippedAndTheFirstRowKept) {
  // bom_noheader_2col.csv: EF BB BF, then six rows of two numbers, no header.
  CsvData d;
  ASSERT_TRUE(loadCsv(kOwnData + "bom_noheader_2col.csv", d).isOk());
  EXPECT_TRUE(d.header.empty());
  EXPECT_EQ(d.values,
            rows({{0.0, 0.0}, {0.2, 0.1}, {-0.1, 0.3}, {5.0, 5.2}, {5.1, 4.9}, {4.8, 5.0}}));
  EXPECT_EQ(d.source, kOwnData + "bom_noheader_2col.csv");
  EXPECT_EQ(d.note, kOwnData +
                        "bom_noheader_2col.csv: 6 rows × 2 columns, no header; separator ','; "
                        "UTF-8 byte-order mark skipped");
  // A byte-order mark before a header too.
  ASSERT_TRUE(parseCsv("\xEF\xBB\xBFx,y\n1,2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"x", "y"}));
}

TEST(Csv, LineEndingsLfCrlfAndCrReadAlike) {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    CsvData d;
    const std::string text = "a,b" + eol + "1,2" + eol + eol + "3.5,-4e2" + eol + "5,6";
    ASSERT_TRUE(parseCsv(text, d).isOk()) << int(eol.back());
    EXPECT_EQ(d.header, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(d.values, rows({{1, 2}, {3.5, -400}, {5, 6}}));
    // Lines are counted as an editor counts them, blank line included.
    expectRefused("1,2" + eol + "3,4" + eol + eol + "5,x" + eol,
                  {"line 4, column 2", "'x' is not a number"});
  }
}

TEST(Csv, SeparatorIsCountedOutsideQuotes) {
  CsvData d;
  ASSERT_TRUE(parseCsv("1;2;3\n4;5;6\n", d).isOk());
  EXPECT_EQ(d.values, rows({{1, 2, 3}, {4, 5, 6}}));
  EXPECT_NE(d.note.find("separator ';'"), std::string::npos) << d.note;
  ASSERT_TRUE(parseCsv("x\ty\n1\t2\n", d).isOk());
  EXPECT_EQ(d.values, rows({{1, 2}}));
  EXPECT_NE(d.note.find("separator tab"), std::string::npos) << d.note;
  // Quoted numbers are numbers; a comma inside quotes separates nothing.
  ASSERT_TRUE(parseCsv("\"1.5\",\"2\"\n\"3\",4\n", d).isOk());
  EXPECT_EQ(d.values, rows({{1.5, 2}, {3, 4}}));
  // One column: no separator at all.
  ASSERT_TRUE(parseCsv("1\n2\n", d).isOk());
  EXPECT_EQ(d.note, "2 rows × 1 column, no header");
}

TEST(Csv, QuotedHeaderMayHoldTheSeparator) {
  CsvData d;
  ASSERT_TRUE(parseCsv("\"height, cm\",\"weight, kg\"\n170,65.5\n182,80\n", d, "body.csv").isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"height, cm", "weight, kg"}));
  EXPECT_EQ(d.values, rows({{170, 65.5}, {182, 80}}));
  EXPECT_EQ(d.note,
            "body.csv: 2 rows × 2 columns, header: \"height, cm\", \"weight, kg\"; separator ','");
  // A doubled quote is a quote in the name.
  ASSERT_TRUE(parseCsv("\"a \"\"b\"\"\";c\n1;2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"a \"b\"", "c"}));
}

TEST(Csv, NoteListsTheFirstNamesOnly) {
  CsvData d;
  ASSERT_TRUE(parseCsv("a,b,c,d,e,f,g,h\n1,2,3,4,5,6,7,8\n", d, "w.csv").isOk());
  EXPECT_EQ(d.note, "w.csv: 1 row × 8 columns, header: a, b, c, d, e, f, …; separator ','");
}

TEST(Csv, DecimalCommasAreRefusedNotSplit) {
  // quoted_decimal_comma_noheader.csv: "1,5","2,25" ... two logical columns of decimal commas.
  CsvData d;
  const Status s = loadCsv(kOwnData + "quoted_decimal_comma_noheader.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(),
            "data file '" + kOwnData +
                "quoted_decimal_comma_noheader.csv': line 1, column 1: "
                "'1,5' has a decimal comma; the file uses decimal commas, VI Lab reads decimal "
                "points (1.5): save it with '.' as the decimal separator");
  // As a spreadsheet in a decimal-comma locale saves it: ';' between fields, ',' in numbers.
  expectRefused("1,5;2,25\n2,0;3,1\n", {"line 1, column 1", "'1,5' has a decimal comma"});
  expectRefused("x;y\n1;2\n3;4,75\n", {"line 3, column 2 (y)", "'4,75' has a decimal comma"});
  expectRefused("\"1.234,5\"\n", {"decimal comma"});
}

TEST(Csv, ThousandsSeparatorsAreRefusedNotSplit) {
  // quoted_thousands_noheader.csv: "1,234.5" ... one column with digit grouping.
  CsvData d;
  const Status s = loadCsv(kOwnData + "quoted_thousands_noheader.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(),
            "data file '" + kOwnData +
                "quoted_thousands_noheader.csv': line 1, column 1: "
                "'1,234.5' has a thousands separator; save the numbers without digit grouping "
                "(1234.5)");
  expectRefused("\"1,234,567\"\n", {"thousands separator"});
  expectRefused("\"1,234\"\n", {"a decimal comma or a thousands separator"});
  // Long text with commas is text (and quick to refuse).
  std::string text = "\"";
  for (int i = 0; i < 200000; ++i) text += "1,";
  expectRefused("0\n" + text + "\"\n", {"line 2, column 1: '1,1,1,", "is not a number"});
}

TEST(Csv, MissingValuesNameLineAndColumn) {
  for (const std::string token : {"NA", "NaN", "nan", "?", "N/A", "null", "#N/A"})
    expectRefused("x,y\n1,2\n3," + token + "\n",
                  {"line 3, column 2 (y): '" + token + "' is a missing value",
                   "neither fills in nor drops rows"});
  expectRefused("1,2\n,4\n", {"line 2, column 1: empty field, a missing value"});
  expectRefused("1,2\n3,\"\"\n", {"line 2, column 2: empty field"});
  expectRefused("1\tx\n", {"line 1, column 2"});
}

TEST(Csv, OverflowIsAnErrorAndUnderflowIsZero) {
  expectRefused("1\n1e999\n", {"line 2, column 1: '1e999' overflows"});
  expectRefused("1\n-2.5e400\n", {"overflows"});
  expectRefused("1\ninf\n", {"'inf' is not a finite number"});
  CsvData d;
  ASSERT_TRUE(parseCsv("1e-400,-1e-400\n4.9e-324,+2.5\n", d).isOk());
  EXPECT_EQ(d.values(0, 0), 0.0);
  EXPECT_EQ(d.values(0, 1), 0.0);
  EXPECT_TRUE(std::signbit(d.values(0, 1)));
  EXPECT_EQ(d.values(1, 0), std::strtod("4.9e-324", nullptr));  // the smallest subnormal
  EXPECT_EQ(d.values(1, 1), 2.5);
}

TEST(Csv, NumbersDoNotDependOnTheLocale) {
  // A German locale's strtod would stop at the '.'; the reader must not.
  const char* previous = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = previous ? previous : "C";
  if (!std::setlocale(LC_NUMERIC, "de_DE.UTF-8")) GTEST_SKIP() << "de_DE.UTF-8 not installed";
  CsvData d;
  const Status s = parseCsv("1.5,2.25\n", d);
  std::setlocale(LC_NUMERIC, saved.c_str());
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(d.values, rows({{1.5, 2.25}}));
}

TEST(Csv, HeaderIsNamesOnlyAndNeverANumericRow) {
  CsvData d;
  // A first row of numbers is data, even when it looks like a header of numbers.
  ASSERT_TRUE(parseCsv("1,2\n3,4\n", d).isOk());
  EXPECT_TRUE(d.header.empty());
  EXPECT_EQ(d.values.rows(), 2);
  // A first line that mixes names and numbers is neither.
  expectRefused("x,1\n2,3\n",
                {"line 1, column 1: 'x' is not a number", "a header line holds names only"});
  // Two lines of names: the second is not data.
  expectRefused("a,b\nc,d\n1,2\n", {"line 2, column 1 (a): 'c' is not a number"});
  // A header needs every column named (pandas writes an unnamed index column).
  expectRefused(",a,b\n0,1,2\n", {"line 1, column 1: the header has an unnamed first column"});
  expectRefused("a,,b\n0,1,2\n", {"line 1, column 2: column 2 of the header is empty: give every column a name"});
  expectRefused("a,b\n", {"a header line but no data rows"});
  expectRefused("", {"no data rows"});
  expectRefused("\n# only a comment\n", {"no data rows"});
}

TEST(Csv, RaggedRowsAreRefused) {
  expectRefused("1,2\n3\n", {"line 2 has 1 field, expected 2 like the first line"});
  expectRefused("x,y\n1,2\n3,4,5\n", {"line 3 has 3 fields, expected 2"});
}

TEST(Csv, ColumnLimitIsExact) {
  const auto line = [](std::size_t n) {
    std::string t;
    for (std::size_t j = 0; j < n; ++j) t += j ? ",1" : "1";
    return t + "\n";
  };
  CsvData d;
  ASSERT_TRUE(parseCsv(line(kMaxCsvColumns) + line(kMaxCsvColumns), d).isOk());
  EXPECT_EQ(d.values.cols(), static_cast<Eigen::Index>(kMaxCsvColumns));
  expectRefused(line(kMaxCsvColumns) + line(kMaxCsvColumns + 1),
                {"line 2 has more than 4096 columns"});
}

TEST(Csv, BrokenQuotingIsRefused) {
  expectRefused("1,2\n3,4\"\n", {"line 2: broken quoting"});
  expectRefused("1,2\n\"3,4\n5,6\n",
                {"line 2: a quoted field opened on this line is never closed"});
  expectRefused("1,\"2\"x\n", {"line 1: broken quoting"});
}

TEST(Csv, BinaryAndUtf16FilesAreRefused) {
  expectRefused(std::string("1,2\n\0\0", 6), {"not text"});
  expectRefused(
      "\xFF\xFE"
      "1\0",
      {"UTF-16"});
}

TEST(Csv, CommentsAndBlankLinesAreSkippedAndCounted) {
  CsvData d;
  ASSERT_TRUE(parseCsv("# made by hand\nx\n\n  \n1.5\n# more\n2.5\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"x"}));
  EXPECT_EQ(d.values, rows({{1.5}, {2.5}}));
  EXPECT_EQ(d.lines, (std::vector<int>{5, 7}));  // editor lines of the rows
  EXPECT_EQ(d.note, "2 rows × 1 column, header: x; 2 comment lines (starting with '#') skipped");
  // Words after '#' that merely start like an error value are still a comment.
  ASSERT_TRUE(parseCsv("#NAME?s of the columns\n#N/A-free data\n1\n", d).isOk());
  EXPECT_EQ(d.values, rows({{1}}));
}

// Excel, LibreOffice and Sheets write a failed formula as an error value: a missing value at every
// position, column 1 included, never a comment line (excel_errs_col1.csv: three rows start with
// #VALUE!, #REF!, #NAME?).
TEST(Csv, SpreadsheetErrorValuesAreMissingValuesAnywhere) {
  CsvData d;
  const Status s = loadCsv(kOwnData + "excel_errs_col1.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData +
                             "excel_errs_col1.csv': line 3, column 1 (x): '#VALUE!' is a missing "
                             "value (a spreadsheet error: the formula of this cell failed) (VI Lab "
                             "neither fills in nor drops rows: fill in the value or delete the row)");
  for (const std::string e : {"#VALUE!", "#REF!", "#NAME?", "#N/A", "#DIV/0!", "#NUM!", "#NULL!",
                              "#N/A N/A", "#value!"}) {
    expectRefused("x,y\n1,2\n" + e + ",4\n", {"line 3, column 1 (x): '" + e + "' is a missing value"});
    expectRefused("x;y\n1;2\n3;" + e + "\n", {"line 3, column 2 (y): '" + e + "' is a missing value"});
    expectRefused(e + "\n1\n", {"line 1, column 1: '" + e + "' is a missing value"});
    expectRefused("1\n" + e + "\n", {"line 2, column 1: '" + e + "' is a missing value"});
  }
}

TEST(Csv, RowIndexColumnsOfRAndPandasAreNamed) {
  // r_writecsv.csv: "","x","y" / "1",170.6287,68.6790 (R's write.csv); pandas_index.csv: ,x,y.
  for (const std::string file : {"r_writecsv.csv", "pandas_index.csv"}) {
    CsvData d;
    const Status s = loadCsv(kOwnData + file, d);
    ASSERT_FALSE(s.isOk());
    EXPECT_EQ(s.message(), "data file '" + kOwnData + file +
                               "': line 1, column 1: the header has an unnamed first column, a "
                               "row-index column as R and pandas write it: delete that column (R: "
                               "write.csv(..., row.names = FALSE); pandas: to_csv(..., "
                               "index=False))");
  }
  expectRefused("\"\",\"x\"\n\"1\",2.5\n", {"line 1, column 1: the header has an unnamed first column"});
}

TEST(Csv, SpaceSeparatedNumbersAreNamedAsSuch) {
  // np_savetxt_space.txt: numpy.savetxt's default, numbers separated by one space, no header.
  CsvData d;
  const Status s = loadCsv(kOwnData + "np_savetxt_space.txt", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("line 1, column 1: '1.706286511054669575e+02 6.86789…': "
                             "fields are separated by spaces; VI Lab reads comma, semicolon or tab"),
            std::string::npos)
      << s.message();
  // With a header of one name: the first data line says it.
  expectRefused("x y\n1 2\n", {"line 2, column 1 (x y): '1 2': fields are separated by spaces"});
  expectRefused("1\t2 3\n4\t5 6\n", {"line 1, column 2: '2 3': fields are separated by spaces"});
  // Words with spaces are names, not numbers.
  ASSERT_TRUE(parseCsv("body height,weight\n1,2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"body height", "weight"}));
}

TEST(Csv, TrailingSeparatorsAreNamed) {
  // header_empty_name.csv: x, / 1,2 / 3,4.
  CsvData d;
  Status s = loadCsv(kOwnData + "header_empty_name.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData +
                             "header_empty_name.csv': line 1, column 2: column 2 of the header is "
                             "empty (a separator at the end of the line?): delete the separator "
                             "at the end of every line, or name the column");
  // excel_trailing_empty_cols.csv: BOM, CRLF, x;y;; then rows ending in ;;.
  s = loadCsv(kOwnData + "excel_trailing_empty_cols.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("line 1, column 3: column 3 of the header is empty (a separator at "
                             "the end of the line?)"),
            std::string::npos)
      << s.message();
  expectRefused("x,y,\n1,2,\n", {"line 1, column 3: column 3 of the header is empty (a separator at the end"});
  // trailing_sep_dataonly.csv: header x,y; every data line ends in ','.
  s = loadCsv(kOwnData + "trailing_sep_dataonly.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData +
                             "trailing_sep_dataonly.csv': line 2 has 3 fields, expected 2 like the "
                             "first line; the extra fields are empty: a separator at the end of the "
                             "line? Delete it from every line");
  expectRefused("x\n1.5,\n", {"line 2 has 2 fields, expected 1", "a separator at the end of the line?"});
  // No header: the first line's last field is empty.
  expectRefused("1,2,\n3,4,\n", {"line 1, column 3: empty field, a missing value",
                                    "or a separator at the end of the line: delete it"});
}

TEST(Csv, ExcelSeparatorLineIsHonoured) {
  // excel_sephint.csv: sep=; / x;y / 1.5;2 / 3;4 / 5;7, CRLF.
  CsvData d;
  ASSERT_TRUE(loadCsv(kOwnData + "excel_sephint.csv", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(d.values, rows({{1.5, 2}, {3, 4}, {5, 7}}));
  EXPECT_EQ(d.lines, (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(d.note, kOwnData + "excel_sephint.csv: 3 rows × 2 columns, header: x, y; separator ';' "
                               "(from the first line, 'sep=;')");
  // The line decides even against the counts: "1,5" is then one field, a decimal comma.
  ASSERT_TRUE(parseCsv("sep=,\na;b,c\n1,2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"a;b", "c"}));
  expectRefused("\"sep=;\"\n1,5;2\n", {"line 2, column 1: '1,5' has a decimal comma"});
  // A tab after sep= too; the line numbers still count the sep= line.
  ASSERT_TRUE(parseCsv("sep=\t\n1\t2\n", d).isOk());
  EXPECT_EQ(d.values, rows({{1, 2}}));
  EXPECT_EQ(d.lines, (std::vector<int>{2}));
}

TEST(Csv, DecimalCommasSplitByTheCommaSeparatorAreNamed) {
  // excel_1col_decomma.csv: BOM, CRLF, "Height (cm)" / 170,6 / 173,2 / 167,3.
  CsvData d;
  const Status s = loadCsv(kOwnData + "excel_1col_decomma.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData +
                             "excel_1col_decomma.csv': line 2 has 2 fields, expected 1 like the "
                             "first line; '170,6' looks like a number with a decimal comma, split "
                             "at the comma: VI Lab reads decimal points (1.5): save the file with "
                             "'.' as the decimal separator");
  // A ragged line of text is not blamed on decimal commas.
  expectRefused("x\n1,abc\n", {"line 2 has 2 fields, expected 1 like the first line"});
}

TEST(Csv, TextOutsideUtf8IsRefusedWithItsPlace) {
  // latin1_header.csv: "Temp (\xB0C),H\xF6he" in Latin-1: the first bad byte is line 1, character 7.
  CsvData d;
  const Status s = loadCsv(kOwnData + "latin1_header.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData +
                             "latin1_header.csv': line 1, character 7: byte 0xB0 is not UTF-8 "
                             "(Latin-1 or Windows-1252 text?): save the file as UTF-8 (Excel: 'CSV "
                             "UTF-8'; LibreOffice: character set Unicode (UTF-8))");
  // Characters are counted as UTF-8 characters; lines as an editor counts them.
  expectRefused("h\xC3\xB6he,b\r\n1,2\r\n\xC3\xA9t\xE9\n", {"line 3, character 3: byte 0xE9 is not UTF-8"});
  expectRefused("a\n\xC3\n", {"line 2, character 1: byte 0xC3"});         // cut sequence
  expectRefused("a\n\xED\xA0\x80\n", {"line 2, character 1: byte 0xED"});  // a surrogate
  ASSERT_TRUE(parseCsv("h\xC3\xB6he \xE2\x82\xAC,\xF0\x9F\x98\x80\n1,2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"h\xC3\xB6he \xE2\x82\xAC", "\xF0\x9F\x98\x80"}));
}

TEST(Csv, Utf16WithoutByteOrderMarkIsNamed) {
  // utf16le_nobom.csv: "x,y" and two rows, UTF-16 little-endian, no byte-order mark.
  CsvData d;
  const Status s = loadCsv(kOwnData + "utf16le_nobom.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData +
                             "utf16le_nobom.csv': the file is UTF-16 text (without a byte-order "
                             "mark); save it as UTF-8 CSV");
  expectRefused(std::string("\0x\0\n\0" "1\0\n", 8), {"UTF-16 text (without a byte-order mark)"});
}

TEST(Csv, TextClassNamesGetAHint) {
  expectRefused("a,species\n5.1,setosa\n",
                {"line 2, column 2 (species): 'setosa' is not a number (VI Lab reads numbers "
                 "only: if the column holds class names, write them as numbers 0, 1, 2, … or "
                 "delete the column)"});
}

TEST(Csv, AFolderIsNamedAsOne) {
  CsvData d;
  const Status s = loadCsv(kOwnData, d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "data file '" + kOwnData + "' is a folder; give a CSV file");
}

TEST(Csv, MissingFileIsAClearError) {
  CsvData d;
  const Status s = loadCsv("/nonexistent/data.csv", d);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "cannot open data file '/nonexistent/data.csv'");
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

// More habits of the tools that write CSV, each named in the refusal or the note.
TEST(Csv, WritersHabitsAreNamed) {
  // scikit-learn's iris.csv: "150,4,setosa,versicolor,virginica" before the data.
  expectRefused("150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n",
                {"line 1 holds 150, 4 and names: scikit-learn's own data-file header"});
  // pandas read and wrote again: the old index is "Unnamed: 0".
  expectRefused("Unnamed: 0,x,y\n0,1.5,2\n", {"line 1, column 1: the header has an unnamed first column"});
  // Spreadsheets save empty rows below the data as separators only.
  expectRefused("x,y\n1,2\n,\n", {"line 3 holds only separators (an empty row as spreadsheets save it): delete the line"});
  // A DOS end-of-file mark (Ctrl-Z) is shown, not printed raw.
  expectRefused("x\n1\n\x1A\n", {"line 3, column 1 (x): '\\x1A' is not a number (a control character"});
  // Two byte-order marks (a file re-saved): both skipped, the header name is clean, the note says so.
  CsvData d;
  ASSERT_TRUE(parseCsv("\xEF\xBB\xBF\xEF\xBB\xBFx,y\n1,2\n", d).isOk());
  EXPECT_EQ(d.header, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(d.note, "1 row × 2 columns, header: x, y; separator ','; 2 UTF-8 byte-order marks skipped");
}

}  // namespace
}  // namespace vilab
