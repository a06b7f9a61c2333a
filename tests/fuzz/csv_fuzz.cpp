// Fuzz target: --data CSV files. Any bytes give data or one message naming the problem; data
// read is rectangular and finite.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/data/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vilab::CsvData csv;
  const vilab::Status s =
      vilab::parseCsv(std::string_view(reinterpret_cast<const char*>(data), size), csv);
  if (!s) {
    if (s.message().empty()) std::abort();
    return 0;
  }
  if (csv.values.rows() < 1 || csv.values.cols() < 1) std::abort();
  if (!csv.header.empty() && static_cast<Eigen::Index>(csv.header.size()) != csv.values.cols())
    std::abort();
  for (Eigen::Index i = 0; i < csv.values.size(); ++i)
    if (!std::isfinite(csv.values.data()[i])) std::abort();
  return 0;
}
