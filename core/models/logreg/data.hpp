#pragma once
// The logistic-regression lab's data: inputs x_n (N x D) and labels y_n in {0, 1}, generated as
// two Gaussian classes from a seed or read from a user's table, plus the design phi_n = (x_n, 1).

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/csv.hpp"
#include "core/status.hpp"

namespace vilab {

// Two Gaussian classes: class 1 centred at +separation/2 u, class 0 at -separation/2 u (u the
// unit diagonal of the first two inputs), both with covariance spread^2 C, C_ij =
// correlation^|i - j|, the whole cloud shifted by `offset` along x_1 (a shift correlates w_1 with
// b in the posterior). A fraction `balance` of the points is class 1; a fraction `flip` of the
// labels is then flipped (chosen at random).
struct LogregDataSettings {
  int n = 100;
  int dim = 2;              // D, number of inputs
  double separation = 3.0;  // distance between class means, in units of spread
  double spread = 1.0;      // within-class standard deviation (data units)
  double balance = 0.5;     // fraction of class 1
  double flip = 0.0;        // fraction of flipped labels
  double correlation = 0.0; // within-class correlation of neighbouring inputs
  double offset = 0.0;      // shift of every point along x_1 (data units)
};

struct LogregData {
  Eigen::MatrixXd x;  // N x D inputs
  Eigen::VectorXd y;  // N labels, 0.0 or 1.0
  std::array<std::string, 2> classNames{"0", "1"};  // label values as written (class 0, class 1)
  std::vector<std::string> inputNames;              // D names
  std::string source = "generated";                 // or the CSV path
  std::string labelColumn;                          // user data: "column 3 (species)"

  Eigen::Index n() const { return x.rows(); }
  Eigen::Index d() const { return x.cols(); }
  // N x (D + 1): the inputs and a column of ones (the bias's input).
  Eigen::MatrixXd design() const;
  // Count of class-1 labels.
  Eigen::Index positives() const;
};

LogregData generateLogregData(const LogregDataSettings& settings, std::uint64_t seed);

// The label column: the one named label/labels/class/y/target, else the last. Errors, leaving
// `out` unchanged, naming the column: one distinct value only, more than two, a table with fewer
// than 3 columns (two inputs and the label) or more than maxInputs + 1. Non-numeric values never
// get here: the CSV reader rejects them, naming line and column.
Status logregDataFromTable(const CsvData& table, int maxInputs, LogregData& out);

// Names "x₁", "x₂", ... for generated or unnamed inputs; "w₁", ... and "b" for parameters.
std::string inputName(int index);   // 0-based index -> "x₁"
std::string weightName(int index, int d);  // 0-based parameter index -> "w₁" .. "w_D", "b"

}  // namespace vilab
