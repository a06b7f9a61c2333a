#pragma once
// The A/B trace CSV of `vilab --headless --compare B.json --csv F`: a header "iteration", then
// A's trace columns prefixed "a_", then B's prefixed "b_" (each side's own "iteration" column is
// the join key and is not repeated); then one row per iteration, A's and B's rows joined on it.
// An iteration only one side has gives a row whose other side's cells are empty: never a guessed
// value. Numbers as in the single-run CSV (shortest decimal that reads back to the same double).

#include <deque>
#include <span>
#include <string>
#include <vector>

#include "app/export/atomic_file.hpp"

namespace vilab {

class CompareCsvWriter {
 public:
  // Fails when a side has no "iteration" column, or on the file's error.
  Status open(const std::string& path, const std::vector<std::string>& columnsA,
              const std::vector<std::string>& columnsB);
  // One appended row of A's (B's) trace, in its trace's column order. Rows are held until the
  // other side has reached the same iteration, then written joined.
  void rowA(std::span<const double> values);
  void rowB(std::span<const double> values);
  // Writes the rows still held (unmatched: empty cells on the other side) and commits the file.
  Status commit();

  // The header line (with its newline) for two traces' columns.
  static std::string header(const std::vector<std::string>& columnsA, const std::vector<std::string>& columnsB);

 private:
  void flush(bool all);
  void write(const std::vector<double>* a, const std::vector<double>* b);

  AtomicFile m_file;
  std::vector<std::string> m_columnsA, m_columnsB;
  int m_iterationA = -1, m_iterationB = -1;
  std::deque<std::vector<double>> m_a, m_b;
  std::string m_line;
};

}  // namespace vilab
