#pragma once
// Numeric CSV data for --data and the GUI's "Load data CSV…": one observation per row, one column
// per dimension. Fields are split by libcsv (RFC 4180 quoting); this layer adds what a user's file
// needs on top: UTF-8 byte-order marks are skipped; lines end in LF, CRLF or CR; the separator
// is named by Excel's first line "sep=X", else it is the one of comma, semicolon and tab found the
// same number of times, outside quotes, on each of the first lines; a first line of names only
// (no field a number, none empty) is the header; blank lines and comment lines (starting with '#',
// unless with a spreadsheet error value such as #VALUE!) are skipped, comments counted in the
// note. Every other field must be a finite number in C notation (1.5, -2e-3), read without the
// locale. Nothing is guessed or dropped: a missing value (empty, NA, NaN, ?, #N/A, #VALUE!...), a
// decimal comma (1,5), digit grouping (1,234.5), a number beyond ±1.8e308 or a row with a
// different number of fields is an error naming the line and column; so are the habits of other
// writers, each named: R's and pandas' row-index column, numbers separated by spaces, an empty
// header name or a separator at the end of the lines, decimal commas split by the comma
// separator, text outside UTF-8 (line and character; not decoded by guess), UTF-16. Numbers below
// the smallest double become 0, as strtod does.

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace vilab {

struct CsvData {
  Eigen::MatrixXd values;           // rows × columns: one observation per row, in file order
  std::vector<std::string> header;  // one name per column; empty when the file has none
  std::vector<int> lines;           // one per row: its line in an editor (1-based); may be empty
  std::string source;               // the path read ("" for text parsed directly)
  // What was read, in one line, e.g. "iris.csv: 150 rows × 4 columns, header: sepal_length,
  // sepal_width, petal_length, petal_width; separator ','" (labs show it next to the data).
  std::string note;
};

// Parses CSV text. On error `out` is unchanged and the message names the line (1-based, counted
// as in an editor), the column (1-based, with its header name) and the reason; it starts with
// "data file '<source>': " when `source` is not empty.
Status parseCsv(std::string_view text, CsvData& out, const std::string& source = "");
// Reads and parses a file of at most kMaxCsvBytes; `source` is the path.
Status loadCsv(const std::string& path, CsvData& out);

inline constexpr std::size_t kMaxCsvBytes = std::size_t(512) << 20;
inline constexpr std::size_t kMaxCsvColumns = 4096;

}  // namespace vilab
