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
