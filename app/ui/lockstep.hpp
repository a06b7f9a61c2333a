#pragma once
// Two runners of one lab kept at the same iteration (the A/B comparison). Neither runner plays on
// its own: every command (steps, reset) goes to both, and while playing each frame issues one
// batch of steps to both once both have finished the last one, sized to what the slower one does
// in about a frame and to the speed limit. So the two never differ by more than one batch (about
// one publish), and both consume their random streams step for step.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/runner.hpp"

namespace vilab {

class Lockstep {
 public:
  // Both runners must outlive this object; it pauses them.
  Lockstep(Runner& a, Runner& b);
  ~Lockstep();  // waits for the batch in flight to be confirmed (at most one batch)
  Lockstep(const Lockstep&) = delete;
  Lockstep& operator=(const Lockstep&) = delete;

  void play() { m_playing = true; }
  void pause() { m_playing = false; }
  bool playing() const { return m_playing; }
  // `count` iterations on both, now (ignoring the speed limit); pauses.
  void step(long long count);
  // Both start over with their current scenarios.
  void reset();
  // A scenario went to A or B: once it ran, the two are checked to be at the same iteration
  // (a change that restarts one run restarts the other too).
  void applied();

  // Once per frame: `seconds` since the last call, `speedLimit` in iterations per second (0: as
  // fast as the slower runner goes). Issues the next batch when playing and the last is done.
  void tick(double seconds, double speedLimit);

  // True while steps sent to the runners are not yet confirmed done on both.
  bool busy() const;
  // Iterations in the next batch (grows while a batch takes under a frame, shrinks above two).
  long long batch() const { return m_batch; }
  // Iterations per second of each run over the last half second or more of playing; 0 paused.
  double iterationsPerSecond() const { return m_playing ? m_rate : 0.0; }
  // Why the lockstep itself changed something (e.g. "B started over, so A did too"); empties.
  std::string takeNotice();

  // Blocks until every batch sent so far is done on both runners (tests, screenshots).
  void sync();

  static constexpr std::chrono::microseconds kFrame{16667};

 private:
  using Clock = std::chrono::steady_clock;
  void request();  // asks the waiter to confirm both runners idle
  void wait();     // the waiter thread: Runner::sync() on both, then records their iterations

  Runner& m_a;
  Runner& m_b;
  bool m_playing = false;
  long long m_batch = 1;
  double m_allowance = 0.0;  // iterations the speed limit still allows
  double m_rate = 0.0, m_rateSeconds = 0.0;
  long long m_rateSteps = 0;
  std::string m_notice;

  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_requested = false, m_inFlight = false, m_stop = false;
  std::uint64_t m_confirmed = 0, m_seen = 0;  // confirmations made / handled by tick()
  std::int64_t m_iterationA = 0, m_iterationB = 0;
  bool m_problem = false;  // a runner reported a problem (divergence): no forced reset
  Clock::time_point m_issued{}, m_done{};
  bool m_measure = false;  // the last confirmation closed a batch issued by tick()
  std::thread m_waiter;    // last: starts after every member above exists
};

}  // namespace vilab
