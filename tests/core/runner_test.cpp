#include "core/runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/models/gaussian.hpp"

namespace vilab {
namespace {

std::unique_ptr<Runner> makeRunner(bool play, double speed = 0.0) {
  auto model = std::make_unique<GaussianModel>();
  auto scenario = std::make_unique<GaussianScenario>();
  scenario->speed = speed;
  EXPECT_TRUE(model->reset(*scenario).isOk());
  return std::make_unique<Runner>(std::move(model), std::move(scenario), play);
}

// Checks what a UI frame relies on: a snapshot whose trace is consistent with its iteration.
void checkSnapshot(const Snapshot& s) {
  const TraceView& t = s.trace;
  ASSERT_LE(t.rows(), static_cast<std::size_t>(s.iteration));
  if (t.rows() > 0) {
    ASSERT_EQ(t.at(t.rows() - 1, 0), static_cast<double>((t.rows() - 1) * t.stride() + 1));
    ASSERT_TRUE(std::isfinite(t.at(t.rows() - 1, 1)));
  }
}

TEST(Runner, StepsExactlyWhenAskedAndHoldsWhenPaused) {
  auto runner = makeRunner(false);
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, 0);
  runner->step(7);
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, 7);
  EXPECT_FALSE(runner->state().playing);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, 7);
}

TEST(Runner, PlaysPausesAndResets) {
  auto runner = makeRunner(true);
  std::int64_t seen = 0;
  for (int i = 0; i < 200 && seen < 1000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    seen = runner->state().snapshot->iteration;
  }
  EXPECT_GE(seen, 1000);
  runner->pause();
  runner->sync();
  const auto paused = runner->state().snapshot->iteration;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, paused);
  EXPECT_FALSE(runner->state().playing);
  runner->reset();
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, 0);
}

TEST(Runner, SpeedLimitHoldsIterationRate) {
  auto runner = makeRunner(true, 200.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  runner->pause();
  runner->sync();
  const auto done = runner->state().snapshot->iteration;
  EXPECT_GE(done, 20);   // loose bounds: a limit, not a timing test
  EXPECT_LE(done, 200);  // 0.3 s at 200 it/s is 60
}

TEST(Runner, ConcurrentReaderSeesConsistentSnapshotsDuringCommands) {
  auto runner = makeRunner(true);
  std::atomic<bool> done{false};
  std::atomic<long> frames{0};
  std::thread ui([&] {
    while (!done) {
      const auto state = runner->state();
      checkSnapshot(*state.snapshot);
      const auto* g = dynamic_cast<const GaussianSnapshot*>(state.snapshot.get());
      ASSERT_NE(g, nullptr);
      ASSERT_EQ(g->qJoint.size(), g->muGrid.size() * g->tauGrid.size());
      ++frames;
    }
  });
  for (int round = 0; round < 20; ++round) {
    auto s = std::make_unique<GaussianScenario>();
    s->speed = 0;
    s->seed = 1 + round % 3;
    s->data.n = 5 + round;
    s->algorithm = round % 2 ? GaussianScenario::Algorithm::Gradient
                             : GaussianScenario::Algorithm::Cavi;
    runner->apply(std::move(s));
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    if (round % 5 == 0) runner->reset();
    if (round % 7 == 0) runner->pause(), runner->step(3), runner->play();
  }
  runner->sync();
  done = true;
  ui.join();
  EXPECT_GT(frames.load(), 0);
  // Hold the state: the worker is still playing and drops older snapshots as it publishes.
  const auto last = runner->state();
  const auto* g = dynamic_cast<const GaussianSnapshot*>(last.snapshot.get());
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->stats.n, 24.0);  // the last scenario applied
}

TEST(Runner, ModelEditsRunOnTheWorker) {
  auto runner = makeRunner(false);
  std::atomic<bool> ran{false};
  runner->post([&](Model& m) { ran = m.info().name == "gaussian"; });
  runner->sync();
  EXPECT_TRUE(ran);
}

TEST(Runner, BadDataIsReportedAndChangesNothing) {
  auto runner = makeRunner(false);
  runner->setData(Eigen::MatrixXd::Ones(4, 3), "wide.csv");
  runner->sync();
  const auto state = runner->state();
  EXPECT_NE(state.problem.find("one column"), std::string::npos) << state.problem;
  EXPECT_EQ(dynamic_cast<const GaussianSnapshot&>(*state.snapshot).stats.n, 20.0);
}

TEST(Runner, UserTableBringsItsNoteAndTheFieldsItDecides) {
  auto runner = makeRunner(false);
  EXPECT_TRUE(runner->state().dataNote.empty());
  EXPECT_TRUE(runner->state().dataDecidedFields.empty());
  CsvData table;
  ASSERT_TRUE(parseCsv("x\n1.0\n2.0\n4.5\n", table, "x.csv").isOk());
  runner->setData(table);
  runner->sync();
  auto state = runner->state();
  EXPECT_TRUE(state.problem.empty()) << state.problem;
  EXPECT_EQ(state.dataNote, "x.csv: 3 rows × 1 column, header: x");
  EXPECT_EQ(state.dataDecidedFields, (std::vector<std::string>{"data.n", "data.mu", "data.sigma"}));
  EXPECT_EQ(dynamic_cast<const GaussianSnapshot&>(*state.snapshot).stats.n, 3.0);
  // A table the lab cannot take changes neither the data nor the note.
  CsvData wide;
  ASSERT_TRUE(parseCsv("1,2\n3,4\n", wide, "wide.csv").isOk());
  runner->setData(wide);
  runner->sync();
  state = runner->state();
  EXPECT_NE(state.problem.find("one column"), std::string::npos) << state.problem;
  EXPECT_EQ(state.dataNote, "x.csv: 3 rows × 1 column, header: x");
  // Generated data again: no note, every field editable.
  runner->setData(Eigen::MatrixXd(), "");
  runner->sync();
  EXPECT_TRUE(runner->state().dataNote.empty());
  EXPECT_TRUE(runner->state().dataDecidedFields.empty());
}

TEST(Runner, DivergenceGuardPausesAndSaysWhy) {
  auto model = std::make_unique<GaussianModel>();
  auto s = std::make_unique<GaussianScenario>();
  s->algorithm = GaussianScenario::Algorithm::Gradient;
  s->estimator = GaussianScenario::Estimator::Score;
  s->baseline = false;
  s->optimizer = GaussianScenario::Optimizer::Sgd;
  s->lr = 10;
  s->speed = 0;
  ASSERT_TRUE(model->reset(*s).isOk());
  Runner runner(std::move(model), std::move(s), true);
  std::string problem;
  for (int i = 0; i < 400 && problem.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    problem = runner.state().problem;
  }
  EXPECT_NE(problem.find("non-finite"), std::string::npos);
  EXPECT_FALSE(runner.state().playing);
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

TEST(Runner, RevertRestoresTheLastFiniteStateAndItsScenario) {
  auto model = std::make_unique<GaussianModel>();
  auto good = std::make_unique<GaussianScenario>();
  good->algorithm = GaussianScenario::Algorithm::Gradient;
  good->estimator = GaussianScenario::Estimator::Score;
  good->baseline = false;
  good->optimizer = GaussianScenario::Optimizer::Sgd;
  good->lr = 1e-4;
  good->speed = 0;
  ASSERT_TRUE(model->reset(*good).isOk());
  Runner runner(std::move(model), good->clone());
  runner.step(50);
  runner.sync();
  const auto before = runner.state();
  ASSERT_EQ(before.revertIteration, 0);  // the checkpoint taken at the start
  auto bad = std::make_unique<GaussianScenario>(*good);
  bad->lr = 10;
  runner.apply(std::move(bad));
  runner.play();
  std::string problem;
  for (int i = 0; i < 400 && problem.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    problem = runner.state().problem;
  }
  ASSERT_NE(problem.find("non-finite"), std::string::npos);
  const auto diverged = runner.state();
  ASSERT_GE(diverged.revertIteration, 0);
  runner.revert();
  runner.sync();
  const auto after = runner.state();
  EXPECT_TRUE(after.problem.empty());
  EXPECT_FALSE(after.playing);
  EXPECT_EQ(after.snapshot->iteration, diverged.revertIteration);
  EXPECT_GT(after.scenarioVersion, diverged.scenarioVersion);
  const auto& g = dynamic_cast<const GaussianSnapshot&>(*after.snapshot);
  EXPECT_TRUE(std::isfinite(g.elbo));
  // The settings come back with the state: the checkpoint was taken with lr = 1e-4 or 10.
  const double lr = dynamic_cast<const GaussianScenario&>(*after.scenario).lr;
  EXPECT_TRUE(lr == 1e-4 || lr == 10.0);
  // Stepping from the reverted state works and stays finite with the good settings.
  runner.apply(good->clone());
  runner.step(20);
  runner.sync();
  EXPECT_TRUE(runner.state().problem.empty()) << runner.state().problem;
}

TEST(Trace, CopiesWriteTheirOwnRows) {
  TraceLog log({"iteration"});
  for (int i = 0; i < 1500; ++i) log.append({double(i)});
  TraceLog copy = log;
  log.append({-1.0});
  copy.append({-2.0});
  EXPECT_EQ(log.view().at(1500, 0), -1.0);
  EXPECT_EQ(copy.view().at(1500, 0), -2.0);
  EXPECT_EQ(copy.view().at(1499, 0), 1499.0);
}

}  // namespace
}  // namespace vilab

// The timeline: checkpoints kept while the model runs, scrubbing back to one, branching from it.
#include <bit>
#include <cstring>

#include "core/registry.hpp"

namespace vilab {
namespace {

struct Lab {
  std::string name;
  std::vector<std::pair<std::string, std::string>> fields;  // set over the default scenario
  std::int64_t iterations;
};

// Every lab, with a small scenario where the default is slow to step.
std::vector<Lab> labs() {
  return {
      {"gaussian", {{"algorithm", "cavi"}}, 200},
      {"gaussian", {{"algorithm", "gradient"}}, 200},
      {"gmm", {{"algorithm", "bbvi"}, {"dim", "1"}}, 100},
      {"fa", {}, 100},
      {"logreg", {}, 100},
      {"targets", {}, 40},
      {"vae",
       {{"dataset", "synthetic"}, {"hidden", "32"}, {"batch", "16"}, {"eval_every", "20"},
        {"eval_images", "100"}, {"variance_every", "20"}},
       40},
  };
}

std::unique_ptr<Scenario> scenarioOf(const Lab& lab) {
  auto scenario = makeModel(lab.name)->defaultScenario();
  scenario->speed = 0;
  for (const auto& [key, value] : lab.fields)
    EXPECT_TRUE(setFieldFromText(*scenario, key, value).isOk()) << key;
  EXPECT_TRUE(validate(*scenario).empty()) << lab.name;
  return scenario;
}

std::unique_ptr<Runner> runnerOf(const Lab& lab) {
  auto scenario = scenarioOf(lab);
  auto model = makeModel(lab.name);
  EXPECT_TRUE(model->reset(*scenario).isOk()) << lab.name;
  return std::make_unique<Runner>(std::move(model), std::move(scenario));
}

// Every kept row and the newest, as bits (NaN compares equal to itself).
std::vector<std::uint64_t> bitsOf(const TraceView& t) {
  std::vector<std::uint64_t> bits;
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (std::size_t c = 0; c < t.columnCount(); ++c) bits.push_back(std::bit_cast<std::uint64_t>(t.at(r, c)));
  for (double v : t.lastRow()) bits.push_back(std::bit_cast<std::uint64_t>(v));
  bits.push_back(t.stride());
  return bits;
}

std::string labName(const Lab& lab) {
  std::string name = lab.name;
  for (const auto& [key, value] : lab.fields) name += " " + key + "=" + value;
  return name;
}

TEST(Runner, TimelineKeepsZeroAndTheNewestWithinItsBound) {
  auto runner = makeRunner(false);
  runner->step(5000);
  runner->sync();
  const auto state = runner->state();
  ASSERT_TRUE(state.keptIterations);
  const auto& kept = *state.keptIterations;
  EXPECT_LE(kept.size(), CheckpointHistory::kDefaultCapacity);
  EXPECT_GE(kept.size(), CheckpointHistory::kDefaultCapacity / 2);
  EXPECT_EQ(kept.front(), 0);
  // The newest checkpoint is within the spacing of 5000 / (capacity / 2) of the live end.
  EXPECT_LE(5000 - kept.back(), 2 * 5000 / std::int64_t(CheckpointHistory::kDefaultCapacity / 2));
  EXPECT_GT(state.historyBytes, 0u);
  EXPECT_EQ(state.liveIteration, 5000);
  EXPECT_EQ(state.viewingIteration, -1);
  runner->reset();
  runner->sync();
  EXPECT_EQ(*runner->state().keptIterations, std::vector<std::int64_t>{0});
}

TEST(Runner, ScrubbingShowsTheKeptIterationThenStepResumesTheLiveEnd) {
  auto runner = makeRunner(false);
  runner->step(300);
  runner->sync();
  const auto live = runner->state();
  const auto& kept = *live.keptIterations;
  const std::int64_t k = kept[kept.size() / 2];
  ASSERT_GT(k, 0);
  ASSERT_LT(k, 300);
  runner->showIteration(k);
  runner->sync();
  const auto shown = runner->state();
  EXPECT_EQ(shown.viewingIteration, k);
  EXPECT_EQ(shown.liveIteration, 300);
  EXPECT_FALSE(shown.playing);
  EXPECT_EQ(shown.snapshot->iteration, k);
  // One trace row per iteration at this length: the shown trace is the live one's first k rows.
  ASSERT_EQ(shown.snapshot->trace.rows(), static_cast<std::size_t>(k));
  for (std::size_t c = 0; c < live.snapshot->trace.columnCount(); ++c)
    EXPECT_EQ(shown.snapshot->trace.at(k - 1, c), live.snapshot->trace.at(k - 1, c));
  // A setting changed while scrubbed leaves the shown checkpoint alone.
  auto changed = std::make_unique<GaussianScenario>();
  changed->speed = 0;
  changed->prior.kappa0 = 3.0;
  runner->apply(std::move(changed));
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, k);
  EXPECT_EQ(runner->state().viewingIteration, k);
  // Stepping continues the live run, which then takes the held setting.
  runner->step(1);
  runner->sync();
  const auto resumed = runner->state();
  EXPECT_EQ(resumed.viewingIteration, -1);
  EXPECT_EQ(resumed.snapshot->iteration, 301);
  EXPECT_EQ(dynamic_cast<const GaussianScenario&>(*resumed.scenario).prior.kappa0, 3.0);
  // Back to the live end without stepping.
  runner->showIteration(k);
  runner->showIteration(-1);
  runner->sync();
  EXPECT_EQ(runner->state().snapshot->iteration, 301);
}

// A branch with unchanged settings continues the checkpoint exactly as it ran. So does a run whose
// settings were applied again unchanged (an edit undone): the runner skips Model::apply then,
// since some models' apply() draws from a generator (the targets lab re-evaluates diagnostics).
// One test for both, so that each lab's data are made once. Outside the Runner suite, which the
// ThreadSanitizer job runs: there every lab would take seconds, and the threading it would check
// is the same as in the Gaussian timeline tests above and below.
TEST(RunnerTimeline, BranchingOrApplyingUnchangedSettingsReplaysTheRunBitForBitInEveryLab) {
  for (const Lab& lab : labs()) {
    SCOPED_TRACE(labName(lab));
    auto runner = runnerOf(lab);
    runner->step(static_cast<int>(lab.iterations));
    runner->sync();
    const auto original = runner->state();
    ASSERT_TRUE(original.problem.empty()) << original.problem;
    const std::int64_t end = original.snapshot->iteration;
    const auto& kept = *original.keptIterations;
    ASSERT_GE(kept.size(), 3u);
    const std::int64_t k = kept[kept.size() / 2];
    runner->showIteration(k);
    auto same = scenarioOf(lab);
    same->speed = 5;  // pacing only: not a changed setting
    runner->apply(std::move(same));
    runner->branch();
    runner->sync();
    const auto branched = runner->state();
    EXPECT_EQ(branched.viewingIteration, -1);
    EXPECT_EQ(branched.snapshot->iteration, k);
    EXPECT_EQ(branched.keptIterations->back(), k);
    EXPECT_EQ(branched.scenario->speed, 5);
    runner->step(static_cast<int>(end - k));
    runner->sync();
    const auto replayed = runner->state();
    ASSERT_EQ(replayed.snapshot->iteration, end);
    EXPECT_EQ(bitsOf(replayed.snapshot->trace), bitsOf(original.snapshot->trace));

    auto edited = runnerOf(lab);
    edited->step(static_cast<int>(k));
    edited->apply(scenarioOf(lab));
    edited->step(static_cast<int>(end - k));
    edited->sync();
    EXPECT_EQ(bitsOf(edited->state().snapshot->trace), bitsOf(original.snapshot->trace));
  }
}

TEST(Runner, BranchingWithAChangedSettingDivergesFromTheCheckpoint) {
  auto model = std::make_unique<GaussianModel>();
  auto scenario = std::make_unique<GaussianScenario>();
  scenario->speed = 0;
  scenario->algorithm = GaussianScenario::Algorithm::Gradient;
  ASSERT_TRUE(model->reset(*scenario).isOk());
  Runner runner(std::move(model), scenario->clone());
  runner.step(200);
  runner.sync();
  const auto original = runner.state();
  const std::int64_t k = (*original.keptIterations)[original.keptIterations->size() / 2];
  runner.showIteration(k);
  auto faster = std::make_unique<GaussianScenario>(*scenario);
  faster->lr = scenario->lr * 4;
  runner.apply(std::move(faster));
  runner.branch();
  runner.step(static_cast<int>(200 - k));
  runner.sync();
  const auto branched = runner.state();
  ASSERT_EQ(branched.snapshot->iteration, 200);
  EXPECT_EQ(dynamic_cast<const GaussianScenario&>(*branched.scenario).lr, scenario->lr * 4);
  const TraceView& a = original.snapshot->trace;
  const TraceView& b = branched.snapshot->trace;
  ASSERT_EQ(a.rows(), b.rows());
  const int elbo = a.column("elbo");
  // The same up to the checkpoint, different after it.
  EXPECT_EQ(a.at(k - 1, elbo), b.at(k - 1, elbo));
  EXPECT_NE(a.at(199, elbo), b.at(199, elbo));
}

}  // namespace
}  // namespace vilab
