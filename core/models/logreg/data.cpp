#include "core/models/logreg/data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/data/labels.hpp"
#include "core/math/random.hpp"

namespace vilab {

namespace {
std::string subscript(int value) {
  static const char* const kDigits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  const std::string digits = std::to_string(value);
  std::string out;
  for (char c : digits) out += kDigits[c - '0'];
  return out;
}
}  // namespace

std::string inputName(int index) { return "x" + subscript(index + 1); }
std::string weightName(int index, int d) { return index == d ? "b" : "w" + subscript(index + 1); }

Eigen::MatrixXd LogregData::design() const {
  Eigen::MatrixXd phi(x.rows(), x.cols() + 1);
  phi.leftCols(x.cols()) = x;
  phi.col(x.cols()).setOnes();
  return phi;
}

Eigen::Index LogregData::positives() const { return static_cast<Eigen::Index>((y.array() > 0.5).count()); }

LogregData generateLogregData(const LogregDataSettings& s, std::uint64_t seed) {
  Random rng(seed);
  const int n = std::max(2, s.n), d = std::max(2, s.dim);
  const int n1 = std::clamp(static_cast<int>(std::lround(s.balance * n)), 1, n - 1);
  LogregData out;
  out.x.resize(n, d);
  out.y.resize(n);
  const double rho = s.correlation, tail = std::sqrt(std::max(0.0, 1.0 - rho * rho));
  const double half = 0.5 * s.separation * s.spread / std::sqrt(2.0);  // per coordinate of u
  for (int i = 0; i < n; ++i) {
    const bool positive = i < n1;
    out.y[i] = positive ? 1.0 : 0.0;
    // AR(1) noise: correlation rho^|j - k| between inputs j and k.
    double e = rng.normal();
    for (int j = 0; j < d; ++j) {
      if (j > 0) e = rho * e + tail * rng.normal();
      out.x(i, j) = s.spread * e + (j < 2 ? (positive ? half : -half) : 0.0);
    }
    out.x(i, 0) += s.offset;
  }
  // Flip a fraction of the labels, chosen by a partial Fisher-Yates shuffle.
  const int flips = static_cast<int>(std::lround(s.flip * n));
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (int k = 0; k < flips; ++k) {
    const int j = k + static_cast<int>(rng.below(static_cast<std::uint64_t>(n - k)));
    std::swap(order[k], order[j]);
    out.y[order[k]] = 1.0 - out.y[order[k]];
  }
  for (int j = 0; j < d; ++j) out.inputNames.push_back(inputName(j));
  out.classNames = {"0", "1"};
  return out;
}

Status logregDataFromTable(const CsvData& table, int maxInputs, LogregData& out) {
  const std::string file = table.source.empty() ? std::string("data") : "data file '" + table.source + "'";
  if (table.values.cols() < 3)
    return Status::error(file + ": logistic regression needs at least two input columns and a label column; the "
                                "table has " + std::to_string(table.values.cols()) + " column(s)");
  if (table.values.cols() - 1 > maxInputs)
    return Status::error(file + ": " + std::to_string(table.values.cols() - 1) + " input columns; at most " +
                         std::to_string(maxInputs) + " are allowed");
  if (table.values.rows() < 2) return Status::error(file + ": at least two rows (one per class) are needed");
  const Eigen::Index column = labelColumn(table);
  ClassLabels labels;
  if (Status s = readClassLabels(table, column, 2, labels); !s)
    return Status::error(file + ": " + s.message() + " (logistic regression needs exactly two)");
  const std::string name = "column " + std::to_string(column + 1) +
                           (static_cast<std::size_t>(column) < table.header.size()
                                ? " (" + table.header[static_cast<std::size_t>(column)] + ")"
                                : std::string());
  if (labels.names.size() < 2)
    return Status::error(file + ": the label " + name + " has one value only (" + labels.names.front() +
                         "); logistic regression needs exactly two classes");
  LogregData result;
  result.x = columnsExcept(table.values, column);
  result.y.resize(table.values.rows());
  for (Eigen::Index i = 0; i < result.y.size(); ++i) result.y[i] = labels.classes[static_cast<std::size_t>(i)];
  result.classNames = {labels.names[0], labels.names[1]};
  for (Eigen::Index j = 0; j < table.values.cols(); ++j) {
    if (j == column) continue;
    const bool named = static_cast<std::size_t>(j) < table.header.size() && !table.header[j].empty();
    result.inputNames.push_back(named ? table.header[static_cast<std::size_t>(j)]
                                      : inputName(static_cast<int>(result.inputNames.size())));
  }
  result.source = table.source;
  result.labelColumn = name;
  out = std::move(result);
  return Status::ok();
}

}  // namespace vilab
