#pragma once
// The background optimiser: a worker thread that owns one Model, runs commands from the UI
// between iterations, and publishes the newest snapshot. The UI never waits for an iteration:
// every call here only queues a command or copies a pointer.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/checkpoint_history.hpp"
#include "core/model.hpp"

namespace vilab {

class Runner {
 public:
  // What the UI reads once per frame.
  struct State {
    std::shared_ptr<const Snapshot> snapshot;
    bool playing = false;
    std::string problem;  // the last failed command or divergence; empty when all is well
    double iterationsPerSecond = 0.0;
    // The scenario the model runs with; `scenarioVersion` changes whenever it does (apply, revert).
    std::shared_ptr<const Scenario> scenario;
    std::uint64_t scenarioVersion = 0;
    // Counts the times the runner itself changed the scenario (revert, data that sets a
    // dimension): the UI then shows `scenario` instead of its own copy.
    std::uint64_t scenarioAdoptions = 0;
    // The reader's account of the user data ("x.csv: 150 rows × 4 columns, ..."); empty with
    // generated data.
    std::string dataNote;
    // Scenario fields the user data decide (Model::dataDecidedFields): shown read-only.
    std::vector<std::string> dataDecidedFields;
    // The divergence guard's last finite state, to go back to with revert(); -1 when none.
    std::int64_t revertIteration = -1;
    // The timeline: the iterations of the kept checkpoints (increasing, 0 first; null before the
    // first publish), the iteration shown when scrubbed back (-1 while showing the live run), the
    // live run's iteration, and the history's estimated bytes.
    std::shared_ptr<const std::vector<std::int64_t>> keptIterations;
    std::int64_t viewingIteration = -1;
    std::int64_t liveIteration = 0;
    std::size_t historyBytes = 0;
  };

  // Takes a model already reset with `scenario`; starts paused unless `play`. `dataNote` describes
  // user data the model already holds (empty for generated data).
  Runner(std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario, bool play = false,
         std::string dataNote = "");
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  void play();
  void pause();
  void step(int count = 1);  // runs count iterations now, ignoring the speed limit
  void reset();              // starts over with the current scenario
  // A changed scenario (validated by the caller) for the running optimiser; speed included.
  void apply(std::unique_ptr<Scenario> scenario);
  // Replaces the data (empty: generated data again) and starts over; on failure the model keeps
  // the data it had and `problem` says why.
  void setData(CsvData table);
  void setData(Eigen::MatrixXd data, std::string source);
  // A model-specific edit, run on the worker between iterations (e.g. add a data point).
  void post(std::function<void(Model&)> edit);
  // Goes back to the last checkpoint with finite numbers (model and scenario), paused.
  void revert();

  // The timeline. showIteration pauses and publishes the snapshot of the kept checkpoint with
  // that iteration (one of State::keptIterations; another value, or -1, goes back to the live
  // run). Settings applied meanwhile wait: the live model takes them when the run resumes.
  // Play and step resume the live run from its newest iteration; the history is not changed.
  void showIteration(std::int64_t iteration);
  // Restarts from the shown checkpoint with the current settings (applied only where they differ
  // from the checkpoint's, speed aside), paused, dropping the later checkpoints; the random
  // stream continues from the checkpoint, so unchanged settings replay the original run bit for
  // bit. Does nothing while the live run is shown.
  void branch();

  State state() const;
  // Waits until every command sent so far has run, requested steps included, and a snapshot
  // after them is published (tests, export).
  void sync();

  // Snapshots at most at a display's rate while the worker runs: a view cannot show more, and
  // some labs' snapshots cost the worker a millisecond or more.
  static constexpr std::chrono::microseconds kPublishInterval{16667};
  // The worker thread's name (Linux: /proc/self/task/*/comm; at most 15 characters).
  static constexpr const char* kWorkerThreadName = "vilab-worker";
  // How often a healthy running model is copied for revert().
  static constexpr std::chrono::milliseconds kCheckpointInterval{500};

 private:
  using Clock = std::chrono::steady_clock;
  using Command = std::function<void()>;

  void send(Command command);
  void run();
  void stepOnce();
  void publish();
  void report(const Status& status);
  void checkpoint();
  // Applies m_scenario to the live model (the apply command's body); false on failure.
  bool applyScenario(std::shared_ptr<const Scenario> scenario);
  void leaveHistory();  // back to the live run, with settings held while scrubbed
  void recordHistory();
  void restartHistory();
  bool working() const { return m_playing || m_pendingSteps > 0; }

  // Worker-only state.
  std::unique_ptr<Model> m_model;
  std::shared_ptr<const Scenario> m_scenario;
  std::uint64_t m_scenarioVersion = 1;
  std::uint64_t m_scenarioAdoptions = 0;
  std::unique_ptr<Model> m_checkpoint;
  std::shared_ptr<const Scenario> m_checkpointScenario;
  Clock::time_point m_checkpointTime{};
  bool m_playing = false;
  long long m_pendingSteps = 0;
  double m_speed = 0.0;
  bool m_dirty = true;
  Clock::time_point m_nextStep{};
  Clock::time_point m_lastPublish{};
  Clock::time_point m_rateStart{};
  long long m_rateSteps = 0;
  std::string m_problem;
  std::string m_dataNote;
  std::vector<std::shared_ptr<std::promise<void>>> m_syncs;  // fulfilled once steps are done
  CheckpointHistory m_history;
  std::uint64_t m_historyVersion = 0, m_publishedHistoryVersion = ~std::uint64_t(0);
  std::shared_ptr<const std::vector<std::int64_t>> m_keptIterations;
  std::int64_t m_viewing = -1;  // the checkpoint shown, or -1 for the live model
  // While scrubbed, the scenario the live model runs with, when m_scenario holds newer settings
  // not yet applied to it; null when they agree.
  std::shared_ptr<const Scenario> m_liveScenario;

  // Shared with the UI thread.
  mutable std::mutex m_commandMutex;
  std::condition_variable m_wake;
  std::vector<Command> m_commands;
  std::atomic<bool> m_hasCommands{false};
  std::atomic<bool> m_stop{false};

  mutable std::mutex m_stateMutex;
  State m_state;

  std::thread m_thread;  // last: starts after every member above exists
};

}  // namespace vilab
