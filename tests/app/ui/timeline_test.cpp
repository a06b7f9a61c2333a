// The timeline row: its positions (kept checkpoints, then the live end), and the keys [ ] B driving
// the runner through whole frames of the shell on the null platform.

#include "app/ui/timeline.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/platform/keys.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

Runner::State stateWith(std::vector<std::int64_t> kept, std::int64_t live, std::int64_t viewing) {
  Runner::State s;
  s.keptIterations = std::make_shared<const std::vector<std::int64_t>>(std::move(kept));
  s.liveIteration = live;
  s.viewingIteration = viewing;
  return s;
}

TEST(Timeline, PositionsAreTheKeptIterationsThenTheLiveEnd) {
  EXPECT_EQ(ui::timelinePositions(stateWith({0, 4, 8}, 10, -1)), (std::vector<std::int64_t>{0, 4, 8, 10}));
  EXPECT_EQ(ui::timelinePositions(stateWith({0, 4, 8}, 8, -1)), (std::vector<std::int64_t>{0, 4, 8}));
  EXPECT_EQ(ui::timelineNeighbour(stateWith({0, 4, 8}, 10, -1), -1), 8);
  EXPECT_EQ(ui::timelineNeighbour(stateWith({0, 4, 8}, 10, 4), -1), 0);
  EXPECT_EQ(ui::timelineNeighbour(stateWith({0, 4, 8}, 10, 0), -1), 0);  // stays at the start
  EXPECT_EQ(ui::timelineNeighbour(stateWith({0, 4, 8}, 10, 8), +1), 10);
  EXPECT_EQ(ui::timelineNeighbour(stateWith({0, 4, 8}, 10, -1), +1), 10);  // stays at the end
}

TEST(Timeline, BracketKeysScrubAndBBranchesThroughTheShell) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  auto model = makeModel("gaussian");
  auto scenario = model->defaultScenario();
  scenario->speed = 0;
  ASSERT_TRUE(model->reset(*scenario).isOk());
  App app({std::move(model), std::move(scenario), false, assetDirectory(), "."}, platform);
  app.runner().step(100);
  app.runner().sync();
  const auto frame = [&](std::vector<keys::Press> presses) {
    platform.beginFrame();
    app.frame({0.0, std::move(presses)});
    platform.render();
    app.runner().sync();
  };
  frame({});
  const auto kept = *app.runner().state().keptIterations;
  ASSERT_GE(kept.size(), 3u);
  const auto positions = ui::timelinePositions(app.runner().state());
  const std::int64_t previous = positions[positions.size() - 2];
  frame({{keys::kLeftBracket}});
  EXPECT_EQ(app.runner().state().viewingIteration, previous);
  frame({{keys::kLeftBracket}});
  const std::int64_t earlier = positions[positions.size() - 3];
  EXPECT_EQ(app.runner().state().viewingIteration, earlier);
  EXPECT_EQ(app.runner().state().snapshot->iteration, earlier);
  frame({{keys::kRightBracket}});
  EXPECT_EQ(app.runner().state().viewingIteration, previous);
  frame({{keys::letter('b')}});
  const auto branched = app.runner().state();
  EXPECT_EQ(branched.viewingIteration, -1);
  EXPECT_EQ(branched.liveIteration, previous);
  frame({});  // the row draws with the branched run
}

}  // namespace
}  // namespace vilab
