#include "app/export/compare_csv.hpp"

#include <algorithm>
#include <cstdio>

#include "core/scenario.hpp"

namespace vilab {
namespace {

int indexOf(const std::vector<std::string>& columns, const std::string& name) {
  const auto it = std::find(columns.begin(), columns.end(), name);
  return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

}  // namespace

std::string CompareCsvWriter::header(const std::vector<std::string>& columnsA, const std::vector<std::string>& columnsB) {
  std::string line = "iteration";
  for (const auto& c : columnsA)
    if (c != "iteration") line += ",a_" + c;
  for (const auto& c : columnsB)
    if (c != "iteration") line += ",b_" + c;
  return line + "\n";
}

Status CompareCsvWriter::open(const std::string& path, const std::vector<std::string>& columnsA,
                              const std::vector<std::string>& columnsB) {
  m_columnsA = columnsA, m_columnsB = columnsB;
  m_iterationA = indexOf(columnsA, "iteration");
  m_iterationB = indexOf(columnsB, "iteration");
  if (m_iterationA < 0 || m_iterationB < 0) return Status::error("a trace without an iteration column cannot be joined");
  if (Status s = m_file.open(path); !s) return s;
  const std::string h = header(columnsA, columnsB);
  std::fwrite(h.data(), 1, h.size(), m_file.handle());
  return Status::ok();
}

void CompareCsvWriter::rowA(std::span<const double> values) {
  m_a.emplace_back(values.begin(), values.end());
  flush(false);
}

void CompareCsvWriter::rowB(std::span<const double> values) {
  m_b.emplace_back(values.begin(), values.end());
  flush(false);
}

void CompareCsvWriter::write(const std::vector<double>* a, const std::vector<double>* b) {
  const double iteration = a ? (*a)[static_cast<std::size_t>(m_iterationA)] : (*b)[static_cast<std::size_t>(m_iterationB)];
  m_line = formatReal(iteration);
  const auto side = [this](const std::vector<double>* row, const std::vector<std::string>& columns, int skip) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (static_cast<int>(c) == skip) continue;
      m_line += ',';
      if (row && c < row->size()) m_line += formatReal((*row)[c]);
    }
  };
  side(a, m_columnsA, m_iterationA);
  side(b, m_columnsB, m_iterationB);
  m_line += '\n';
  std::fwrite(m_line.data(), 1, m_line.size(), m_file.handle());
}

void CompareCsvWriter::flush(bool all) {
  // Rows come in increasing iteration on each side: a merge, holding a side's rows until the
  // other side has shown whether it has the same iteration.
  while (!m_a.empty() || !m_b.empty()) {
    if (m_a.empty() || m_b.empty()) {
      if (!all) return;
      if (!m_a.empty()) write(&m_a.front(), nullptr), m_a.pop_front();
      else write(nullptr, &m_b.front()), m_b.pop_front();
      continue;
    }
    const double ia = m_a.front()[static_cast<std::size_t>(m_iterationA)];
    const double ib = m_b.front()[static_cast<std::size_t>(m_iterationB)];
    if (ia == ib) {
      write(&m_a.front(), &m_b.front());
      m_a.pop_front(), m_b.pop_front();
    } else if (ia < ib) {
      write(&m_a.front(), nullptr), m_a.pop_front();
    } else {
      write(nullptr, &m_b.front()), m_b.pop_front();
    }
  }
}

Status CompareCsvWriter::commit() {
  flush(true);
  return m_file.commit();
}

}  // namespace vilab
