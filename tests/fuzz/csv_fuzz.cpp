// Fuzz target: --data CSV files through the libcsv-based reader. Any bytes give data or one
// message naming the problem. Rejected: a message, and the output untouched. Accepted: finite
// values, a header of one name per column or none, the editor line of each row, and a note that
// states rows × columns.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/data/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vilab::CsvData csv;
  csv.values = Eigen::MatrixXd::Constant(1, 1, 7.0);  // a sentinel a failed parse must leave
  csv.note = "untouched";
  const vilab::Status s =
      vilab::parseCsv(std::string_view(reinterpret_cast<const char*>(data), size), csv, "fuzz.csv");
  if (!s) {
    if (s.message().empty() || s.message().rfind("data file 'fuzz.csv': ", 0) != 0) std::abort();
    if (csv.values.size() != 1 || csv.values(0, 0) != 7.0 || csv.note != "untouched") std::abort();
    return 0;
  }
  const Eigen::Index rows = csv.values.rows(), cols = csv.values.cols();
  if (rows < 1 || cols < 1 || cols > static_cast<Eigen::Index>(vilab::kMaxCsvColumns)) std::abort();
  if (!csv.header.empty() && static_cast<Eigen::Index>(csv.header.size()) != cols) std::abort();
  // One editor line per row, strictly increasing from line 1.
  if (static_cast<Eigen::Index>(csv.lines.size()) != rows) std::abort();
  for (std::size_t r = 0; r < csv.lines.size(); ++r)
    if (csv.lines[r] < 1 || (r > 0 && csv.lines[r] <= csv.lines[r - 1])) std::abort();
  for (Eigen::Index i = 0; i < csv.values.size(); ++i)
    if (!std::isfinite(csv.values.data()[i])) std::abort();
  const std::string shape = "fuzz.csv: " + std::to_string(rows) +
                            (rows == 1 ? " row × " : " rows × ") + std::to_string(cols) +
                            (cols == 1 ? " column" : " columns");
  if (csv.note.rfind(shape + ",", 0) != 0 || csv.source != "fuzz.csv") std::abort();
  return 0;
}
