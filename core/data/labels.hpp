#pragma once
// The class-label column of a user's table: found by its header name wherever it stands, its
// values mapped to dense class indices 0..K-1 and named by the values as written (for legends).

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/csv.hpp"
#include "core/status.hpp"

namespace vilab {

// True for the header names of a label column: label, labels, class, y, target (any case,
// surrounding blanks ignored).
bool isLabelName(std::string_view name);

// The first column whose header name is a label name; nullopt when there is none (or no header).
std::optional<Eigen::Index> namedLabelColumn(const std::vector<std::string>& header);

// The label column: the named one, else the last column. Precondition: table.values.cols() > 0.
Eigen::Index labelColumn(const CsvData& table);

struct ClassLabels {
  Eigen::Index column = -1;        // the table's column the labels came from
  std::vector<int> classes;        // one per row: index into names, 0..names.size()-1
  std::vector<std::string> names;  // class index -> label value, shortest form ("3", "7.5")
};

// Maps column `column` of the table to classes numbered in increasing order of value (labels
// 3, 7, 9 give classes 0, 1, 2 named "3", "7", "9"). Errors, leaving `out` unchanged: a column out
// of range, or more than `maxClasses` distinct values (the message names the column).
Status readClassLabels(const CsvData& table, Eigen::Index column, std::size_t maxClasses,
                       ClassLabels& out);

// For labs that fit every column and take no labels: the table without its first column named
// label, labels, class or target (any case; not "y", which beside "x" names a coordinate), with a
// note saying so, e.g. "; column 5 (label) left out: class labels are not fitted by this lab";
// the table as given when it has none or has only that column.
CsvData withoutLabelColumn(CsvData table);

// Every column but `skip` (-1: none), in file order: the features beside a label column.
Eigen::MatrixXd columnsExcept(const Eigen::MatrixXd& values, Eigen::Index skip);

}  // namespace vilab
