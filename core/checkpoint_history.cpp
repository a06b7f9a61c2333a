#include "core/checkpoint_history.hpp"

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace vilab {

namespace {

// Bytes the allocator has handed out, over every arena (glibc's mallinfo2 sums them all) and the
// mmapped blocks; 0 where unknown.
std::size_t allocatedBytes() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

// The least a checkpoint is counted as, so that a measurement that other threads' frees made
// small or negative still counts.
constexpr std::size_t kMinEntryBytes = 4096;

}  // namespace

CheckpointHistory::CheckpointHistory(std::size_t capacity, std::size_t byteBudget)
    : m_capacity(std::max<std::size_t>(capacity, 4)), m_byteBudget(byteBudget) {}

void CheckpointHistory::record(const Model& model, std::shared_ptr<const Scenario> scenario) {
  const std::int64_t iteration = model.iteration();
  if (!m_entries.empty() && iteration <= m_entries.back().iteration) truncateAfter(iteration - 1);
  // The size of a checkpoint: what clone() allocates, measured as the allocator's growth around
  // it. It counts what the clone owns alone (network weights, optimiser moments, the trace's
  // unfilled chunk) and not what it shares with the live model (data behind shared_ptr, the
  // trace's full chunks). Other threads allocating meanwhile make it approximate; the count cap
  // bounds memory where the allocator cannot say (non-glibc builds).
  const std::size_t before = allocatedBytes();
  std::unique_ptr<Model> clone = model.clone();
  if (!clone) return;
  const std::size_t after = allocatedBytes();
  Entry entry;
  entry.iteration = iteration;
  entry.model = std::move(clone);
  entry.scenario = std::move(scenario);
  entry.bytes = std::max(after > before ? after - before : 0, kMinEntryBytes);
  m_bytes += entry.bytes;
  m_entries.push_back(std::move(entry));
  while (m_entries.size() > 2 && (m_entries.size() > m_capacity || m_bytes > m_byteBudget)) thin();
}

void CheckpointHistory::thin() {
  // Keep the even positions (iteration 0 first) and the newest; the spacing doubles.
  std::vector<Entry> kept;
  kept.reserve(m_entries.size() / 2 + 1);
  m_bytes = 0;
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    if (i % 2 != 0 && i + 1 != m_entries.size()) continue;
    m_bytes += m_entries[i].bytes;
    kept.push_back(std::move(m_entries[i]));
  }
  m_entries = std::move(kept);
  m_spacing *= 2;
}

void CheckpointHistory::truncateAfter(std::int64_t iteration) {
  while (!m_entries.empty() && m_entries.back().iteration > iteration) {
    m_bytes -= m_entries.back().bytes;
    m_entries.pop_back();
  }
}

void CheckpointHistory::clear() {
  m_entries.clear();
  m_bytes = 0;
  m_spacing = 1;
}

const CheckpointHistory::Entry* CheckpointHistory::find(std::int64_t iteration) const {
  const auto it = std::lower_bound(m_entries.begin(), m_entries.end(), iteration,
                                   [](const Entry& e, std::int64_t i) { return e.iteration < i; });
  return it != m_entries.end() && it->iteration == iteration ? &*it : nullptr;
}

std::vector<std::int64_t> CheckpointHistory::iterations() const {
  std::vector<std::int64_t> out;
  out.reserve(m_entries.size());
  for (const Entry& e : m_entries) out.push_back(e.iteration);
  return out;
}

}  // namespace vilab
