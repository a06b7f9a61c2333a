#pragma once
// The timeline's memory: deep copies of the model (Model::clone(), generator included) taken as a
// run goes, with the scenario each was running with. Bounded like the trace: at most `capacity`
// checkpoints and at most `byteBudget` bytes; when either is exceeded, every other checkpoint is
// dropped and the spacing between new ones doubles, so a run of N iterations keeps checkpoints
// about N / capacity apart, from iteration 0 (always kept) to the newest (always kept).
// Only the Runner's worker thread touches a history.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/model.hpp"

namespace vilab {

class CheckpointHistory {
 public:
  struct Entry {
    std::int64_t iteration = 0;
    std::shared_ptr<const Model> model;        // a clone; never stepped, only snapshot() or clone()
    std::shared_ptr<const Scenario> scenario;  // the settings the model ran with
    std::size_t bytes = 0;                     // estimated heap bytes the clone owns (see record)
  };

  static constexpr std::size_t kDefaultCapacity = 64;
  // 128 MiB per run. Most labs' checkpoints take kilobytes, so the count decides; the VAE's
  // default network takes ~13 MB a checkpoint (weights, Adam's moments, buffers), so it keeps 5 to
  // 10 (tests/benchmarks/timeline_bench measures both).
  static constexpr std::size_t kDefaultByteBudget = std::size_t(128) << 20;

  // capacity >= 4 (clamped): 0 and the newest are always kept, and thinning must free room.
  explicit CheckpointHistory(std::size_t capacity = kDefaultCapacity,
                             std::size_t byteBudget = kDefaultByteBudget);

  // True when `iteration` is at least one spacing past the newest checkpoint (or none is kept).
  bool due(std::int64_t iteration) const {
    return m_entries.empty() || iteration - m_entries.back().iteration >= m_spacing;
  }
  // Clones `model` and keeps it with `scenario`, thinning first if full. A model whose clone()
  // returns nullptr is not kept. An iteration at or before the newest replaces the tail from it.
  void record(const Model& model, std::shared_ptr<const Scenario> scenario);
  // Drops every checkpoint after `iteration` (a branch's future, a revert's); spacing unchanged.
  void truncateAfter(std::int64_t iteration);
  void clear();

  // The kept checkpoint with this iteration, or nullptr.
  const Entry* find(std::int64_t iteration) const;
  const std::vector<Entry>& entries() const { return m_entries; }
  std::vector<std::int64_t> iterations() const;
  std::size_t size() const { return m_entries.size(); }
  std::size_t bytes() const { return m_bytes; }
  std::int64_t spacing() const { return m_spacing; }
  std::size_t capacity() const { return m_capacity; }
  std::size_t byteBudget() const { return m_byteBudget; }

 private:
  void thin();

  std::size_t m_capacity;
  std::size_t m_byteBudget;
  std::int64_t m_spacing = 1;
  std::size_t m_bytes = 0;
  std::vector<Entry> m_entries;  // by increasing iteration
};

}  // namespace vilab
