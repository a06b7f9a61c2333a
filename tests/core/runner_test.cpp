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
