#pragma once
// Numeric CSV data for --data: one observation per row, one column per dimension, comma (or
// semicolon/tab) separated, an optional header line of names. Every value must be a finite number.

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace vilab {

struct CsvData {
  Eigen::MatrixXd values;            // rows = observations
  std::vector<std::string> header;   // empty when the file has none
};

// Parses text; on error `out` is unchanged and the message names the line and column.
Status parseCsv(std::string_view text, CsvData& out);
// Reads and parses a file (at most kMaxCsvBytes).
Status loadCsv(const std::string& path, CsvData& out);

inline constexpr std::size_t kMaxCsvBytes = std::size_t(512) << 20;
inline constexpr std::size_t kMaxCsvColumns = 4096;

}  // namespace vilab
