#include "core/trace.hpp"

#include <algorithm>
#include <cassert>

namespace vilab {

int TraceView::column(std::string_view name) const {
  if (!m_columns) return -1;
  const auto it = std::find(m_columns->begin(), m_columns->end(), name);
  return it == m_columns->end() ? -1 : static_cast<int>(it - m_columns->begin());
}

TraceLog::TraceLog(std::vector<std::string> columns, std::size_t maxRows)
    // A multiple of kThinning chunks, so the rows kept after thinning stay on the new stride.
    : m_maxRows(std::max<std::size_t>(maxRows - maxRows % (kThinning * TraceView::kChunkRows),
                                      kThinning * TraceView::kChunkRows)) {
  m_view.m_columns = std::make_shared<const std::vector<std::string>>(std::move(columns));
}

TraceLog::TraceLog(const TraceLog& other)
    : m_maxRows(other.m_maxRows), m_appended(other.m_appended), m_chunks(other.m_chunks), m_view(other.m_view) {
  if (!m_chunks.empty() && m_view.m_rows % TraceView::kChunkRows != 0) {
    m_chunks.back() = std::make_shared<std::vector<double>>(*m_chunks.back());
    m_view.m_chunks.back() = m_chunks.back();
  }
}

TraceLog& TraceLog::operator=(const TraceLog& other) {
  if (this != &other) *this = TraceLog(other);
  return *this;
}

void TraceLog::clear() {
  m_appended = 0;
  m_chunks.clear();
  auto columns = m_view.m_columns;
  m_view = TraceView();
  m_view.m_columns = std::move(columns);
}

void TraceLog::append(std::span<const double> row) {
  const std::size_t c = m_view.columnCount();
  assert(row.size() == c);
  if (m_listener) m_listener(row);
  m_view.m_lastRow.assign(row.begin(), row.end());
  const bool keep = m_appended % m_view.m_stride == 0;
  ++m_appended;
  if (!keep) return;

  if (m_view.m_rows == m_maxRows) thin();
  const std::size_t r = m_view.m_rows;
  if (r % TraceView::kChunkRows == 0) {
    // A fresh chunk: earlier views never see it, so filling it needs no synchronisation.
    m_chunks.push_back(std::make_shared<std::vector<double>>(TraceView::kChunkRows * c));
    m_view.m_chunks.push_back(m_chunks.back());
  }
  std::copy(row.begin(), row.end(), m_chunks.back()->begin() + (r % TraceView::kChunkRows) * c);
  m_view.m_rows = r + 1;
}

void TraceLog::thin() {
  // Keep rows 0, 3, 6, ... in new chunks; published views keep the old chunks alive unchanged.
  const std::size_t c = m_view.columnCount();
  const TraceView old = m_view;
  m_chunks.clear();
  m_view.m_chunks.clear();
  m_view.m_rows = 0;
  for (std::size_t r = 0; r < old.rows(); r += kThinning) {
    if (m_view.m_rows % TraceView::kChunkRows == 0) {
      m_chunks.push_back(std::make_shared<std::vector<double>>(TraceView::kChunkRows * c));
      m_view.m_chunks.push_back(m_chunks.back());
    }
    auto dst = m_chunks.back()->begin() + (m_view.m_rows % TraceView::kChunkRows) * c;
    for (std::size_t j = 0; j < c; ++j) dst[j] = old.at(r, j);
    ++m_view.m_rows;
  }
  m_view.m_stride *= kThinning;
}

}  // namespace vilab
