#include "core/data/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace vilab {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> splitFields(std::string_view line, char sep) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = line.find(sep, start);
    fields.push_back(trim(line.substr(start, pos == std::string_view::npos ? pos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
    if (fields.size() > kMaxCsvColumns) break;
  }
  return fields;
}

bool parseDouble(std::string_view s, double& x) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  return ec == std::errc() && ptr == s.data() + s.size();
}

char detectSeparator(std::string_view line) {
  for (char c : {',', ';', '\t'})
    if (line.find(c) != std::string_view::npos) return c;
  return ',';
}

std::string shorten(std::string_view s) {
  return s.size() > 24 ? std::string(s.substr(0, 24)) + "..." : std::string(s);
}

}  // namespace

Status parseCsv(std::string_view text, CsvData& out) {
  CsvData result;
  std::vector<double> values;
  std::size_t columns = 0, rows = 0, lineNumber = 0;
  char sep = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNumber;
    if (trim(line).empty() || trim(line).front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (!sep) sep = detectSeparator(line);
    const auto fields = splitFields(line, sep);
    if (fields.size() > kMaxCsvColumns)
      return Status::error("line " + std::to_string(lineNumber) + " has more than " +
                           std::to_string(kMaxCsvColumns) + " columns");
    if (columns == 0) {
      columns = fields.size();
      double x;
      bool numeric = true, named = true;
      for (auto f : fields) numeric = numeric && parseDouble(f, x), named = named && !f.empty();
      if (!numeric && named) {  // a first line of names (not all numbers) is a header
        for (auto f : fields) result.header.emplace_back(f);
        if (end == text.size()) break;
        continue;
      }
    }
    if (fields.size() != columns)
      return Status::error("line " + std::to_string(lineNumber) + " has " +
                           std::to_string(fields.size()) + " values, expected " +
                           std::to_string(columns));
    for (std::size_t j = 0; j < fields.size(); ++j) {
      double x;
      if (fields[j].empty())
        return Status::error("line " + std::to_string(lineNumber) + ", column " +
                             std::to_string(j + 1) + " is empty");
      if (!parseDouble(fields[j], x))
        return Status::error("line " + std::to_string(lineNumber) + ", column " +
                             std::to_string(j + 1) + ": '" + shorten(fields[j]) +
                             "' is not a number");
      if (!std::isfinite(x))
        return Status::error("line " + std::to_string(lineNumber) + ", column " +
                             std::to_string(j + 1) + ": " + shorten(fields[j]) +
                             " is not a finite number");
      values.push_back(x);
    }
    ++rows;
    if (end == text.size()) break;
  }
  if (rows == 0) return Status::error("no data rows (expected one observation per line)");
  result.values.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < columns; ++j)
      result.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          values[i * columns + j];
  out = std::move(result);
  return Status::ok();
}

Status loadCsv(const std::string& path, CsvData& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::error("cannot open data file '" + path + "'");
  file.seekg(0, std::ios::end);
  const auto size = file.tellg();
  if (size < 0) return Status::error("cannot read data file '" + path + "'");
  if (static_cast<std::size_t>(size) > kMaxCsvBytes)
    return Status::error("data file '" + path + "' is larger than 512 MiB");
  file.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!file.read(text.data(), size)) return Status::error("cannot read data file '" + path + "'");
  if (text.find('\0') != std::string::npos)
    return Status::error("data file '" + path + "' is not text (CSV expected)");
  const Status status = parseCsv(text, out);
  if (!status) return Status::error("data file '" + path + "': " + status.message());
  return Status::ok();
}

}  // namespace vilab
