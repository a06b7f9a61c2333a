#include "core/checkpoint_history.hpp"

#include <gtest/gtest.h>

#include "core/models/gaussian.hpp"

namespace vilab {
namespace {

struct GaussianRun {
  GaussianModel model;
  std::shared_ptr<const GaussianScenario> scenario = std::make_shared<GaussianScenario>();
  GaussianRun() { EXPECT_TRUE(model.reset(*scenario).isOk()); }
};

// Steps `run` to `iterations`, recording whenever the history says a checkpoint is due (as the
// Runner does), and checks the bound after every record.
void runTo(GaussianRun& run, CheckpointHistory& history, std::int64_t iterations) {
  if (history.size() == 0) history.record(run.model, run.scenario);
  while (run.model.iteration() < iterations) {
    run.model.step();
    if (history.due(run.model.iteration())) {
      history.record(run.model, run.scenario);
      ASSERT_LE(history.size(), history.capacity());
      ASSERT_TRUE(history.bytes() <= history.byteBudget() || history.size() <= 2);
    }
  }
}

TEST(CheckpointHistory, StaysWithinItsCountAndKeepsZeroAndTheNewest) {
  GaussianRun run;
  CheckpointHistory history(8);
  runTo(run, history, 3000);
  const auto kept = history.iterations();
  ASSERT_GE(kept.size(), 4u);
  EXPECT_EQ(kept.front(), 0);
  // The newest is at most one spacing behind the run, and the spacing grew as the run did.
  EXPECT_LT(3000 - kept.back(), history.spacing());
  EXPECT_GE(history.spacing() * 8, 3000 / 2);
  for (std::size_t i = 1; i < kept.size(); ++i) EXPECT_LT(kept[i - 1], kept[i]);
  // Every checkpoint is the model as it was at its iteration.
  for (const auto& entry : history.entries()) EXPECT_EQ(entry.model->iteration(), entry.iteration);
}

TEST(CheckpointHistory, StaysWithinItsByteBudget) {
  GaussianRun run;
  CheckpointHistory probe;
  probe.record(run.model, run.scenario);
  const std::size_t one = probe.bytes();
  ASSERT_GT(one, 0u);
  CheckpointHistory history(1000, 5 * one);
  runTo(run, history, 2000);
  EXPECT_LE(history.bytes(), 5 * one + one);  // clones of a later state may measure a little more
  EXPECT_LT(history.size(), 12u);
  EXPECT_EQ(history.iterations().front(), 0);
}

TEST(CheckpointHistory, TruncatesAndClears) {
  GaussianRun run;
  CheckpointHistory history(16);
  runTo(run, history, 100);
  const auto before = history.iterations();
  const std::int64_t middle = before[before.size() / 2];
  history.truncateAfter(middle);
  EXPECT_EQ(history.iterations().back(), middle);
  ASSERT_NE(history.find(middle), nullptr);
  EXPECT_EQ(history.find(middle + 1), nullptr);
  // Recording an earlier iteration replaces the tail from it.
  GaussianRun fresh;
  history.record(fresh.model, fresh.scenario);
  EXPECT_EQ(history.iterations(), std::vector<std::int64_t>{0});
  history.clear();
  EXPECT_EQ(history.size(), 0u);
  EXPECT_EQ(history.bytes(), 0u);
  EXPECT_EQ(history.spacing(), 1);
}

}  // namespace
}  // namespace vilab
