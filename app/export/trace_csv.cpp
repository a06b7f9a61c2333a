#include "app/export/trace_csv.hpp"

#include "core/scenario.hpp"

namespace vilab {
namespace {

void appendRow(std::string& line, std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) line += ',';
    line += formatReal(values[i]);
  }
  line += '\n';
}

std::string header(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) line += (i ? "," : "") + columns[i];
  return line + "\n";
}

}  // namespace

Status TraceCsvWriter::open(const std::string& path, const std::vector<std::string>& columns) {
  if (Status s = m_file.open(path); !s) return s;
  const std::string h = header(columns);
  std::fwrite(h.data(), 1, h.size(), m_file.handle());
  return Status::ok();
}

void TraceCsvWriter::row(std::span<const double> values) {
  m_line.clear();
  appendRow(m_line, values);
  std::fwrite(m_line.data(), 1, m_line.size(), m_file.handle());
}

std::string traceToCsv(const TraceView& trace) {
  std::string out = trace.columnCount() ? header(trace.columns()) : "";
  std::vector<double> row(trace.columnCount());
  for (std::size_t r = 0; r < trace.rows(); ++r) {
    for (std::size_t c = 0; c < row.size(); ++c) row[c] = trace.at(r, c);
    appendRow(out, row);
  }
  return out;
}

}  // namespace vilab
