#pragma once
// The trace CSV: a header of column names, then one row per iteration, every number written as
// the shortest decimal that reads back to the same double (so equal traces give equal files).

#include <span>
#include <string>
#include <vector>

#include "app/export/atomic_file.hpp"
#include "core/trace.hpp"

namespace vilab {

class TraceCsvWriter {
 public:
  Status open(const std::string& path, const std::vector<std::string>& columns);
  void row(std::span<const double> values);
  Status commit() { return m_file.commit(); }

 private:
  AtomicFile m_file;
  std::string m_line;
};

// A whole trace view (rows kept so far) as CSV text.
std::string traceToCsv(const TraceView& trace);

}  // namespace vilab
