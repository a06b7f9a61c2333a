#pragma once
// The range every lab's arithmetic needs from a user's numbers, checked once for all labs that fit
// the values themselves (Gaussian, mixture, factor analysis): sums of squares and products of two
// values must neither overflow nor underflow a double (±1.8e308, smallest normal 2.2e-308).
//
// Limits, and why: |x| <= kMaxDataMagnitude = 1e100 keeps x² <= 1e200, so that sums of squares over
// any N a file can hold, and a prior's or a precision's factor on top, stay finite (a 1e154 value
// already squares to infinity in single sums of a few rows). A column that varies must vary by a
// standard deviation of at least kMinDataSpread = 1e-100, so that its variance (>= 1e-200) and the
// precision 1/variance (<= 1e200) are normal doubles with the same 1e100 headroom. Columns whose
// spread is at most 1e-12 of their largest magnitude are constant (identical values, or values that
// differ only by rounding): they have no variance to underflow and labs treat them on their own
// (factor analysis floors their noise variance).

#include <Eigen/Core>
#include <string>

#include "core/data/csv.hpp"
#include "core/status.hpp"

namespace vilab {

inline constexpr double kMaxDataMagnitude = 1e100;
inline constexpr double kMinDataSpread = 1e-100;
inline constexpr double kConstantColumnRelative = 1e-12;

// Standard deviation of column c of y divided by the column's largest magnitude `top` (returned
// too); 0 for a column of zeros. The column is divided by top first, so that neither its squares
// nor its mean can overflow or underflow. The column is constant when the result is at most
// kConstantColumnRelative.
double relativeColumnSpread(const Eigen::MatrixXd& y, Eigen::Index c, double& top);

// Ok, or the first problem: a value that is not finite or beyond ±kMaxDataMagnitude, or a column
// that varies with a standard deviation below kMinDataSpread. The message names the file ("data
// file '<source>': "), the editor line (table.lines; "row r" when the table has no lines), the
// column with its header name, the value or spread, the limit, and ends with "rescale the data".
Status checkDataRange(const CsvData& table);

// The same for values without a file: rows are named "row r" (1-based); no prefix without source.
Status checkDataRange(const Eigen::MatrixXd& values, const std::string& source = "");

}  // namespace vilab
