#include "core/data/labels.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace vilab {

bool isLabelName(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  std::string l(name);
  for (char& c : l) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static const std::array<std::string_view, 5> kNames = {"label", "labels", "class", "y", "target"};
  return std::find(kNames.begin(), kNames.end(), l) != kNames.end();
}

std::optional<Eigen::Index> namedLabelColumn(const std::vector<std::string>& header) {
  for (std::size_t j = 0; j < header.size(); ++j)
    if (isLabelName(header[j])) return static_cast<Eigen::Index>(j);
  return std::nullopt;
}

Eigen::Index labelColumn(const CsvData& table) {
  return namedLabelColumn(table.header).value_or(table.values.cols() - 1);
}

Status readClassLabels(const CsvData& table, Eigen::Index column, std::size_t maxClasses,
                       ClassLabels& out) {
  const std::string name = "column " + std::to_string(column + 1) +
                           (column >= 0 && static_cast<std::size_t>(column) < table.header.size()
                                ? " (" + table.header[static_cast<std::size_t>(column)] + ")"
                                : std::string());
  if (column < 0 || column >= table.values.cols())
    return Status::error("no label " + name + ": the table has " +
                         std::to_string(table.values.cols()) + " columns");
  const Eigen::VectorXd labels = table.values.col(column);
  std::vector<double> values(labels.data(), labels.data() + labels.size());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.size() > maxClasses)
    return Status::error("the label " + name + " has " + std::to_string(values.size()) +
                         " different values; at most " + std::to_string(maxClasses) +
                         " classes are allowed");
  ClassLabels result;
  result.column = column;
  for (const double v : values) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);  // shortest round trip
    result.names.emplace_back(buffer, ec == std::errc() ? end : buffer);
  }
  result.classes.reserve(static_cast<std::size_t>(labels.size()));
  for (const double v : labels)
    result.classes.push_back(
        static_cast<int>(std::lower_bound(values.begin(), values.end(), v) - values.begin()));
  out = std::move(result);
  return Status::ok();
}

CsvData withoutLabelColumn(CsvData table) {
  // "y" stays: beside "x" it names a coordinate as often as a target.
  const auto isY = [](std::string_view name) {
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    return name == "y" || name == "Y";
  };
  std::optional<std::size_t> column;
  for (std::size_t j = 0; j < table.header.size() && !column; ++j)
    if (isLabelName(table.header[j]) && !isY(table.header[j])) column = j;
  if (!column || table.values.cols() < 2) return table;
  const std::size_t j = *column;
  table.values = columnsExcept(table.values, static_cast<Eigen::Index>(j));
  table.note += "; column " + std::to_string(j + 1) + " (" + table.header[j] +
                ") left out: class labels are not fitted by this lab";
  table.header.erase(table.header.begin() + static_cast<std::ptrdiff_t>(j));
  return table;
}

Eigen::MatrixXd columnsExcept(const Eigen::MatrixXd& values, Eigen::Index skip) {
  if (skip < 0 || skip >= values.cols()) return values;
  Eigen::MatrixXd out(values.rows(), values.cols() - 1);
  out.leftCols(skip) = values.leftCols(skip);
  out.rightCols(values.cols() - skip - 1) = values.rightCols(values.cols() - skip - 1);
  return out;
}

}  // namespace vilab
