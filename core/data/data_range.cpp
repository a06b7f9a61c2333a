#include "core/data/data_range.hpp"

#include <cmath>
#include <sstream>
#include <vector>

namespace vilab {
namespace {

std::string sci(double v) {
  std::ostringstream out;
  out.precision(3);
  out << v;
  return out.str();
}

// Names for messages: the header and editor lines of the file, when there is one.
struct Names {
  const std::vector<std::string>& header;
  const std::vector<int>& lines;

  std::string column(Eigen::Index c) const {
    std::string s = "column " + std::to_string(c + 1);
    if (static_cast<std::size_t>(c) < header.size())
      s += " (" + header[static_cast<std::size_t>(c)] + ")";
    return s;
  }
  std::string row(Eigen::Index r) const {
    if (static_cast<std::size_t>(r) < lines.size())
      return "line " + std::to_string(lines[static_cast<std::size_t>(r)]);
    return "row " + std::to_string(r + 1);
  }
};

Status check(const Eigen::MatrixXd& y, const Names& names) {
  for (Eigen::Index c = 0; c < y.cols(); ++c)
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
      const double v = y(r, c);
      if (!std::isfinite(v))
        return Status::error(names.row(r) + ", " + names.column(c) +
                             " is not a finite number");
      if (std::fabs(v) > kMaxDataMagnitude)
        return Status::error(names.row(r) + ", " + names.column(c) + " is " + sci(v) +
                             ": values must stay within ±" + sci(kMaxDataMagnitude) +
                             " (their squares must fit in a double); rescale the data");
    }
  for (Eigen::Index c = 0; c < y.cols(); ++c) {
    double top = 0.0;
    const double relative = relativeColumnSpread(y, c, top);
    if (!(relative > kConstantColumnRelative)) continue;  // constant: no variance to underflow
    const double sd = relative * top;
    if (sd < kMinDataSpread)
      return Status::error(names.column(c) + " has standard deviation " + sci(sd) +
                           ", below " + sci(kMinDataSpread) +
                           " (its variance would underflow); rescale the data");
  }
  return Status::ok();
}

}  // namespace

double relativeColumnSpread(const Eigen::MatrixXd& y, Eigen::Index c, double& top) {
  top = y.col(c).cwiseAbs().maxCoeff();
  const Eigen::ArrayXd x = y.col(c).array() / (top > 0 ? top : 1.0);
  return std::sqrt((x - x.mean()).square().mean());
}

Status checkDataRange(const CsvData& table) {
  const Status status = check(table.values, {table.header, table.lines});
  if (!status && !table.source.empty())
    return Status::error("data file '" + table.source + "': " + status.message());
  return status;
}

Status checkDataRange(const Eigen::MatrixXd& values, const std::string& source) {
  static const std::vector<std::string> kNoHeader;
  static const std::vector<int> kNoLines;
  const Status status = check(values, {kNoHeader, kNoLines});
  if (!status && !source.empty())
    return Status::error("data file '" + source + "': " + status.message());
  return status;
}

}  // namespace vilab
