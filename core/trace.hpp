#pragma once
// Per-iteration numbers of a run (iteration, elbo, then model columns) as an append-only table.
// The worker appends to a TraceLog; snapshots carry TraceViews that share the filled chunks, so
// publishing never copies the history. When the log reaches its row limit it keeps every third
// row and triples its stride, so memory stays bounded however long a run lasts. (An odd factor:
// thinning by two would keep only one phase of models that alternate half steps.)

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace vilab {

class TraceView {
 public:
  TraceView() = default;

  const std::vector<std::string>& columns() const { return *m_columns; }
  std::size_t columnCount() const { return m_columns ? m_columns->size() : 0; }
  // Column index by name, or -1.
  int column(std::string_view name) const;

  std::size_t rows() const { return m_rows; }
  bool empty() const { return m_rows == 0; }
  double at(std::size_t row, std::size_t col) const {
    const std::size_t c = columnCount();
    return (*m_chunks[row / kChunkRows])[(row % kChunkRows) * c + col];
  }
  // The newest appended row, even when thinning skipped it (empty before the first append).
  const std::vector<double>& lastRow() const { return m_lastRow; }
  // Rows kept are every stride-th appended row.
  std::size_t stride() const { return m_stride; }

  static constexpr std::size_t kChunkRows = 1024;

 private:
  friend class TraceLog;
  std::shared_ptr<const std::vector<std::string>> m_columns;
  std::vector<std::shared_ptr<const std::vector<double>>> m_chunks;
  std::size_t m_rows = 0;
  std::size_t m_stride = 1;
  std::vector<double> m_lastRow;
};

class TraceLog {
 public:
  static constexpr std::size_t kThinning = 3;
  static constexpr std::size_t kDefaultMaxRows = 15 * 1024;  // ~10 rows per pixel column of a plot

  explicit TraceLog(std::vector<std::string> columns, std::size_t maxRows = kDefaultMaxRows);
  // A copy writes its own rows: the chunk still being filled is duplicated, full chunks (never
  // written again) are shared. The listener is not copied.
  TraceLog(const TraceLog& other);
  TraceLog& operator=(const TraceLog& other);
  TraceLog(TraceLog&&) = default;
  TraceLog& operator=(TraceLog&&) = default;

  // Appends one row (one value per column). Only the writer thread may call it.
  void append(std::span<const double> row);
  void append(std::initializer_list<double> row) { append(std::span(row.begin(), row.size())); }
  void clear();

  // Every appended row, before thinning: how the headless run streams its CSV.
  void setListener(std::function<void(std::span<const double>)> listener) {
    m_listener = std::move(listener);
  }

  std::size_t appended() const { return m_appended; }
  const std::vector<std::string>& columns() const { return *m_view.m_columns; }
  // An immutable view of the rows kept so far.
  TraceView view() const { return m_view; }

 private:
  void thin();

  std::size_t m_maxRows;
  std::size_t m_appended = 0;
  // The view's chunk pointers alias m_chunks: the writer fills rows past the published count.
  std::vector<std::shared_ptr<std::vector<double>>> m_chunks;
  TraceView m_view;
  std::function<void(std::span<const double>)> m_listener;
};

}  // namespace vilab
