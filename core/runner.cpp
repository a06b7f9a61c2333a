#include "core/runner.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#include <pthread.h>
#endif

#include "core/data/labels.hpp"

namespace vilab {

Runner::Runner(std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario, bool play,
               std::string dataNote)
    : m_model(std::move(model)),
      m_scenario(std::move(scenario)),
      m_playing(play),
      m_speed(m_scenario->speed),
      m_dataNote(std::move(dataNote)) {
  m_nextStep = m_lastPublish = m_rateStart = Clock::now();
#if defined(__GLIBC__)
  // Checkpoints (a whole model copy, megabytes for the VAE) and snapshots are allocated on this
  // worker and freed on others, twice a second for hours. glibc's adaptive threshold would move
  // such blocks into the heap, where they fragment it and resident memory creeps up; a fixed
  // threshold keeps them in their own mappings, returned to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  checkpoint();
  recordHistory();
  publish();
  m_thread = std::thread([this] { run(); });
}

Runner::~Runner() {
  {
    std::lock_guard lock(m_commandMutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void Runner::send(Command command) {
  {
    std::lock_guard lock(m_commandMutex);
    m_commands.push_back(std::move(command));
    m_hasCommands.store(true, std::memory_order_release);
  }
  m_wake.notify_one();
}

void Runner::play() {
  send([this] {
    leaveHistory();
    if (!m_playing) m_nextStep = m_rateStart = Clock::now(), m_rateSteps = 0;
    m_playing = true;
    m_problem.clear();
  });
}

void Runner::pause() {
  send([this] { m_playing = false; });
}

void Runner::step(int count) {
  send([this, count] {
    leaveHistory();
    m_playing = false;
    m_pendingSteps += count;
  });
}

void Runner::reset() {
  send([this] {
    m_pendingSteps = 0;
    m_viewing = -1;
    m_liveScenario.reset();
    report(m_model->reset(*m_scenario));
    checkpoint();
    restartHistory();
  });
}

void Runner::apply(std::unique_ptr<Scenario> scenario) {
  std::shared_ptr<Scenario> shared(std::move(scenario));
  send([this, shared] {
    if (m_viewing >= 0) {
      // Scrubbed back: the shown checkpoint stays as it is, and so does the live model until the
      // run resumes (leaveHistory) or branches with these settings.
      if (!m_liveScenario) m_liveScenario = m_scenario;
      m_scenario = shared;
      m_speed = shared->speed;
      ++m_scenarioVersion;
      return;
    }
    applyScenario(shared);
  });
}

bool Runner::applyScenario(std::shared_ptr<const Scenario> scenario) {
  if (sameFieldValues(*scenario, *m_scenario, {"speed"})) {
    // Nothing the model uses changed: skip apply(), which may still touch the state (the targets
    // lab's re-evaluation draws from its diagnostic stream), so the run goes on exactly as before.
    m_scenario = std::move(scenario);
    m_speed = m_scenario->speed;
    ++m_scenarioVersion;
    report(Status::ok());
    return true;
  }
  const std::int64_t before = m_model->iteration();
  const Status status = m_model->apply(*scenario);
  if (status) {
    // Fields the data decide follow the data the model now holds (the pixel count of images
    // that a changed dataset field loaded, say); the UI then takes the adopted scenario.
    std::shared_ptr<Scenario> adapted = scenario->clone();
    m_model->adaptScenario(*adapted);
    const bool changed = !sameFieldValues(*adapted, *scenario);
    m_scenario = changed ? adapted : scenario;
    m_speed = scenario->speed;
    ++m_scenarioVersion;
    if (changed) ++m_scenarioAdoptions;
    // A model that started over (new data, say) begins a new timeline.
    const std::int64_t after = m_model->iteration();
    if (after == 0 || after < before) restartHistory();
  }
  report(status);
  return static_cast<bool>(status);
}

void Runner::leaveHistory() {
  if (m_viewing >= 0) m_dirty = true;
  m_viewing = -1;
  if (!m_liveScenario) return;
  const std::shared_ptr<const Scenario> wanted = m_scenario;
  m_scenario = m_liveScenario;
  m_liveScenario.reset();
  if (!sameFieldValues(*wanted, *m_scenario, {"speed"})) {
    if (!applyScenario(wanted)) ++m_scenarioVersion, ++m_scenarioAdoptions;  // UI shows the live one
  } else {
    m_scenario = wanted;
  }
  m_speed = m_scenario->speed;
}

void Runner::showIteration(std::int64_t iteration) {
  send([this, iteration] {
    m_playing = false;
    m_pendingSteps = 0;
    const bool kept = iteration >= 0 && iteration != m_model->iteration() && m_history.find(iteration);
    if (kept) {
      m_viewing = iteration;
      m_dirty = true;
    } else {
      leaveHistory();
    }
  });
}

void Runner::branch() {
  send([this] {
    const CheckpointHistory::Entry* entry = m_viewing >= 0 ? m_history.find(m_viewing) : nullptr;
    m_viewing = -1;
    m_dirty = true;
    if (!entry) return;
    const std::shared_ptr<const Scenario> wanted = m_scenario;
    m_liveScenario.reset();
    m_model = entry->model->clone();
    m_scenario = entry->scenario;
    m_playing = false;
    m_pendingSteps = 0;
    m_problem.clear();
    m_history.truncateAfter(entry->iteration);  // entry is invalid from here on
    ++m_historyVersion;
    // apply() only where the settings differ: the checkpoint then continues exactly as it ran.
    if (!sameFieldValues(*wanted, *m_scenario, {"speed"})) {
      if (!applyScenario(wanted)) ++m_scenarioVersion, ++m_scenarioAdoptions;  // UI shows the kept one
    } else {
      m_scenario = wanted;
      ++m_scenarioVersion;
    }
    m_speed = m_scenario->speed;
    checkpoint();
  });
}

void Runner::setData(Eigen::MatrixXd data, std::string source) {
  CsvData table;
  table.values = std::move(data);
  table.source = std::move(source);
  setData(std::move(table));
}

void Runner::setData(CsvData table) {
  auto shared = std::make_shared<CsvData>(std::move(table));
  send([this, shared] {
    if (!m_model->takesLabels()) *shared = withoutLabelColumn(std::move(*shared));
    Status status = m_model->setDataTable(*shared);
    if (status) {
      auto adapted = m_scenario->clone();
      m_model->adaptScenario(*adapted);
      if (const auto errors = validate(*adapted); !errors.empty())
        status = Status::error(errors.front());
      else
        status = m_model->reset(*adapted);
      if (status) {
        m_dataNote = shared->values.size() ? shared->note : std::string();
        m_scenario = std::move(adapted);
        ++m_scenarioVersion;
        ++m_scenarioAdoptions;
      } else {
        // Back to generated data, which the current scenario fits.
        (void)m_model->setData(Eigen::MatrixXd(), "");
        (void)m_model->reset(*m_scenario);
        m_dataNote.clear();
      }
    }
    report(status);
    checkpoint();
    m_viewing = -1;
    m_liveScenario.reset();
    restartHistory();
  });
}

void Runner::post(std::function<void(Model&)> edit) {
  send([this, edit = std::move(edit)] { edit(*m_model); });
}

void Runner::revert() {
  send([this] {
    if (!m_checkpoint) return;
    m_viewing = -1;
    m_liveScenario.reset();
    m_model = m_checkpoint->clone();
    m_history.truncateAfter(m_model->iteration());
    ++m_historyVersion;
    m_scenario = m_checkpointScenario;
    m_speed = m_scenario->speed;
    ++m_scenarioVersion;
    ++m_scenarioAdoptions;
    m_playing = false;
    m_pendingSteps = 0;
    m_problem.clear();
  });
}

void Runner::recordHistory() {
  if (!m_model->health()) return;
  m_history.record(*m_model, m_scenario);
  ++m_historyVersion;
}

void Runner::restartHistory() {
  m_history.clear();
  recordHistory();
}

void Runner::checkpoint() {
  if (!m_model->health()) return;
  m_checkpoint = m_model->clone();
  m_checkpointScenario = m_scenario;
  m_checkpointTime = Clock::now();
}

Runner::State Runner::state() const {
  std::lock_guard lock(m_stateMutex);
  return m_state;
}

void Runner::sync() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  send([this, done] { m_syncs.push_back(done); });
  future.wait();
}

void Runner::report(const Status& status) {
  m_problem = status ? std::string() : status.message();
}

void Runner::stepOnce() {
  m_model->step();
  ++m_rateSteps;
  m_dirty = true;
  if (const Status health = m_model->health(); !health) {
    // The divergence guard: stop at once and say what went wrong.
    m_playing = false;
    m_pendingSteps = 0;
    m_problem = health.message();
  } else {
    if (m_history.due(m_model->iteration())) recordHistory();
    if (Clock::now() - m_checkpointTime >= kCheckpointInterval) checkpoint();
  }
}

void Runner::publish() {
  State next;
  const CheckpointHistory::Entry* shown = m_viewing >= 0 ? m_history.find(m_viewing) : nullptr;
  if (!shown) m_viewing = -1;
  next.snapshot = shown ? shown->model->snapshot() : m_model->snapshot();
  if (m_publishedHistoryVersion != m_historyVersion) {
    m_keptIterations = std::make_shared<const std::vector<std::int64_t>>(m_history.iterations());
    m_publishedHistoryVersion = m_historyVersion;
  }
  next.keptIterations = m_keptIterations;
  next.viewingIteration = m_viewing;
  next.liveIteration = m_model->iteration();
  next.historyBytes = m_history.bytes();
  next.playing = m_playing;
  next.problem = m_problem;
  next.dataNote = m_dataNote;
  next.dataDecidedFields = m_model->dataDecidedFields();
  next.scenario = m_scenario;
  next.scenarioVersion = m_scenarioVersion;
  next.scenarioAdoptions = m_scenarioAdoptions;
  next.revertIteration = m_checkpoint ? m_checkpoint->iteration() : -1;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - m_rateStart).count();
  {
    std::lock_guard lock(m_stateMutex);
    next.iterationsPerSecond = m_state.iterationsPerSecond;
    if (!working()) {
      next.iterationsPerSecond = 0.0;
    } else if (elapsed >= 0.5) {
      next.iterationsPerSecond = m_rateSteps / elapsed;
    }
    m_state = std::move(next);
  }
  if (elapsed >= 0.5 || !working()) m_rateStart = now, m_rateSteps = 0;
  m_lastPublish = now;
  m_dirty = false;
}

void Runner::run() {
#if defined(__GLIBC__)
  // Named, so that top, perf and a debugger show which thread is the optimizer.
  pthread_setname_np(pthread_self(), kWorkerThreadName);
#endif
  std::vector<Command> commands;
  while (!m_stop.load(std::memory_order_relaxed)) {
    const bool limited = m_playing && m_pendingSteps == 0 && m_speed > 0.0;
    if (!working() || limited || m_hasCommands.load(std::memory_order_acquire)) {
      std::unique_lock lock(m_commandMutex);
      const auto ready = [this] { return m_stop || !m_commands.empty(); };
      if (!working()) {
        if (m_dirty) {
          lock.unlock();
          publish();
          lock.lock();
        }
        m_wake.wait(lock, ready);
      } else if (limited && Clock::now() < m_nextStep) {
        m_wake.wait_until(lock, m_nextStep, ready);
      }
      if (m_stop) return;
      commands.swap(m_commands);
      m_hasCommands.store(false, std::memory_order_relaxed);
    }
    if (!commands.empty()) {
      for (auto& command : commands) command();
      commands.clear();
      publish();
    }

    const auto now = Clock::now();
    if (m_pendingSteps > 0) {
      --m_pendingSteps;
      stepOnce();
    } else if (m_playing && (m_speed <= 0.0 || now >= m_nextStep)) {
      stepOnce();
      if (m_speed > 0.0) {
        const auto period = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(1.0 / m_speed));
        m_nextStep = std::max(m_nextStep + period, now - 4 * period);
      }
    }
    if (m_dirty && (!working() || Clock::now() - m_lastPublish >= kPublishInterval)) publish();
    if (!m_syncs.empty() && m_pendingSteps == 0) {
      publish();
      for (auto& done : m_syncs) done->set_value();
      m_syncs.clear();
    }
  }
}

}  // namespace vilab
