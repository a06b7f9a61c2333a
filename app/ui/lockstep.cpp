#include "app/ui/lockstep.hpp"

#include <algorithm>
#include <cmath>

namespace vilab {
namespace {

std::int64_t iterationOf(const Runner::State& state) { return state.snapshot ? state.snapshot->iteration : 0; }

}  // namespace

Lockstep::Lockstep(Runner& a, Runner& b) : m_a(a), m_b(b), m_waiter([this] { wait(); }) {
  m_a.pause();
  m_b.pause();
  request();
}

Lockstep::~Lockstep() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_cv.notify_all();
  m_waiter.join();
}

void Lockstep::request() {
  {
    std::lock_guard lock(m_mutex);
    m_requested = true;
  }
  m_cv.notify_all();
}

void Lockstep::wait() {
  std::unique_lock lock(m_mutex);
  while (true) {
    m_cv.wait(lock, [this] { return m_stop || m_requested; });
    if (m_stop) return;
    m_requested = false;
    m_inFlight = true;
    lock.unlock();
    m_a.sync();
    m_b.sync();
    const Runner::State a = m_a.state(), b = m_b.state();
    lock.lock();
    m_iterationA = iterationOf(a);
    m_iterationB = iterationOf(b);
    m_problem = !a.problem.empty() || !b.problem.empty();
    m_done = Clock::now();
    m_inFlight = false;
    ++m_confirmed;
    m_cv.notify_all();
  }
}

bool Lockstep::busy() const {
  std::lock_guard lock(m_mutex);
  return m_requested || m_inFlight;
}

void Lockstep::sync() {
  request();
  std::unique_lock lock(m_mutex);
  m_cv.wait(lock, [this] { return m_stop || (!m_requested && !m_inFlight); });
}

void Lockstep::step(long long count) {
  m_playing = false;
  while (count > 0) {  // Runner::step takes an int
    const int n = static_cast<int>(std::min<long long>(count, 1 << 30));
    m_a.step(n);
    m_b.step(n);
    count -= n;
  }
  m_measure = false;
  request();
}

void Lockstep::reset() {
  m_a.reset();
  m_b.reset();
  m_measure = false;
  request();
}

void Lockstep::applied() { request(); }

std::string Lockstep::takeNotice() { return std::exchange(m_notice, std::string()); }

void Lockstep::tick(double seconds, double speedLimit) {
  m_rateSeconds += seconds;
  if (m_rateSeconds >= 0.5) m_rate = static_cast<double>(m_rateSteps) / m_rateSeconds, m_rateSeconds = 0, m_rateSteps = 0;
  if (speedLimit > 0.0)  // at most a quarter second of credit, so a stall does not burst
    m_allowance = std::min(m_allowance + speedLimit * seconds, std::max(1.0, speedLimit * 0.25));
  std::int64_t iterationA = 0, iterationB = 0;
  bool problem = false;
  {
    std::lock_guard lock(m_mutex);
    if (m_requested || m_inFlight) return;
    if (m_seen != m_confirmed) {
      m_seen = m_confirmed;
      iterationA = m_iterationA, iterationB = m_iterationB, problem = m_problem;
      if (m_measure) {
        // Aim at a batch that takes one to two frames on the slower runner.
        const auto took = m_done - m_issued;
        if (took < kFrame) m_batch = std::min<long long>(m_batch * 2, 1 << 20);
        else if (took > 2 * kFrame) m_batch = std::max<long long>(m_batch / 2, 1);
      }
      if (iterationA != iterationB && !problem) {
        // A change restarted one run (or it diverged and stopped): both start over together.
        m_notice = "A was at iteration " + std::to_string(iterationA) + ", B at " + std::to_string(iterationB) +
                   " (a change started one over): both start over, to stay in step";
        m_measure = false;
        m_a.reset();
        m_b.reset();
        m_requested = true;
        m_cv.notify_all();
        return;
      }
    }
  }
  if (problem) m_playing = false;  // the divergence guard stopped a run: show why, do not go on
  if (!m_playing) return;
  long long n = m_batch;
  if (speedLimit > 0.0) {
    n = std::min<long long>(n, static_cast<long long>(std::floor(m_allowance + 1e-9)));  // 60 × 1/60 may land a hair under 1
    if (n < 1) return;
    m_allowance -= static_cast<double>(n);
  }
  m_a.step(static_cast<int>(n));
  m_b.step(static_cast<int>(n));
  m_rateSteps += n;
  m_issued = Clock::now();
  m_measure = true;
  request();
}

}  // namespace vilab
