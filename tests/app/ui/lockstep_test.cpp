// The A/B lockstep (app/ui/lockstep.cpp) through a real pair of runners: identical scenarios give
// bit-identical traces, a changed field in B leaves A exactly the run it is alone, and a change
// that restarts one run restarts both.

#include "app/ui/lockstep.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <thread>

#include "core/registry.hpp"

namespace vilab {
namespace {

std::unique_ptr<Runner> runnerFor(const std::string& model, const Scenario& scenario) {
  auto m = makeModel(model);
  EXPECT_TRUE(m->reset(scenario).isOk());
  return std::make_unique<Runner>(std::move(m), scenario.clone());
}

std::unique_ptr<Scenario> scenarioWith(const std::string& model,
                                       std::vector<std::pair<std::string, std::string>> sets) {
  auto scenario = makeModel(model)->defaultScenario();
  scenario->speed = 0;
  for (const auto& [key, value] : sets) EXPECT_TRUE(setFieldFromText(*scenario, key, value).isOk()) << key;
  return scenario;
}

// Every kept row and the newest row, bit for bit (NaN equal to NaN).
bool sameBits(const TraceView& a, const TraceView& b, std::string& why) {
  if (a.columns() != b.columns()) return why = "columns differ", false;
  if (a.rows() != b.rows()) return why = "rows " + std::to_string(a.rows()) + " vs " + std::to_string(b.rows()), false;
  for (std::size_t r = 0; r < a.rows(); ++r)
    for (std::size_t c = 0; c < a.columnCount(); ++c)
      if (std::bit_cast<std::uint64_t>(a.at(r, c)) != std::bit_cast<std::uint64_t>(b.at(r, c)))
        return why = "row " + std::to_string(r) + " column " + a.columns()[c], false;
  if (a.lastRow().size() != b.lastRow().size()) return why = "last rows differ", false;
  for (std::size_t c = 0; c < a.lastRow().size(); ++c)
    if (std::bit_cast<std::uint64_t>(a.lastRow()[c]) != std::bit_cast<std::uint64_t>(b.lastRow()[c]))
      return why = "last row, column " + a.columns()[c], false;
  return true;
}

// Plays the pair for a while the way the GUI does (one tick per "frame"), then steps a fixed
// count, so the run length does not depend on timing alone.
void playAWhile(Lockstep& pair, int frames, double speed = 0.0) {
  pair.play();
  for (int f = 0; f < frames; ++f) {
    pair.tick(1.0 / 60.0, speed);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  pair.pause();
  pair.step(7);
  pair.sync();
}

std::int64_t iteration(const Runner& r) { return r.state().snapshot->iteration; }

TEST(Lockstep, IdenticalScenariosGiveIdenticalTracesInEveryLab) {
  for (const std::string model : {"gaussian", "gmm", "fa", "logreg", "targets"}) {
    const auto scenario = scenarioWith(model, {});
    auto a = runnerFor(model, *scenario), b = runnerFor(model, *scenario);
    Lockstep pair(*a, *b);
    playAWhile(pair, 20);
    ASSERT_EQ(iteration(*a), iteration(*b)) << model;
    EXPECT_GE(iteration(*a), 7) << model;
    std::string why;
    EXPECT_TRUE(sameBits(a->state().snapshot->trace, b->state().snapshot->trace, why)) << model << ": " << why;
  }
}

TEST(Lockstep, AChangeInBLeavesAExactlyItsSoloRun) {
  const std::pair<std::string, std::pair<std::string, std::string>> cases[] = {
      {"gaussian", {"prior.kappa0", "5"}}, {"gmm", {"k", "3"}}};
  for (const auto& [model, set] : cases) {
    const auto scenarioA = scenarioWith(model, {});
    const auto scenarioB = scenarioWith(model, {set});
    auto a = runnerFor(model, *scenarioA), b = runnerFor(model, *scenarioB);
    Lockstep pair(*a, *b);
    playAWhile(pair, 15);
    const auto n = iteration(*a);
    ASSERT_EQ(n, iteration(*b)) << model;
    // A alone, in this thread, for as many iterations.
    auto solo = makeModel(model);
    ASSERT_TRUE(solo->reset(*scenarioA).isOk());
    for (std::int64_t i = 0; i < n; ++i) solo->step();
    std::string why;
    EXPECT_TRUE(sameBits(a->state().snapshot->trace, solo->snapshot()->trace, why)) << model << ": A is not its solo run: " << why;
    EXPECT_FALSE(sameBits(a->state().snapshot->trace, b->state().snapshot->trace, why)) << model << ": B did not change";
  }
}

TEST(Lockstep, AChangeThatRestartsOneRunRestartsBoth) {
  const auto scenario = scenarioWith("gmm", {});
  auto a = runnerFor("gmm", *scenario), b = runnerFor("gmm", *scenario);
  Lockstep pair(*a, *b);
  pair.step(12);
  pair.sync();
  ASSERT_EQ(iteration(*a), 12);
  auto changed = scenario->clone();
  ASSERT_TRUE(setFieldFromText(*changed, "data.n", "150").isOk());  // new data: B starts over
  b->apply(std::move(changed));
  pair.applied();
  pair.sync();
  pair.tick(1.0 / 60.0, 0.0);  // sees 12 vs 0: both start over
  EXPECT_NE(pair.takeNotice(), "");
  pair.sync();
  EXPECT_EQ(iteration(*a), 0);
  EXPECT_EQ(iteration(*b), 0);
}

TEST(Lockstep, PlayingKeepsThemWithinOneBatchAndHonoursTheSpeedLimit) {
  const auto scenario = scenarioWith("gaussian", {});
  auto a = runnerFor("gaussian", *scenario), b = runnerFor("gaussian", *scenario);
  Lockstep pair(*a, *b);
  pair.play();
  long long largestBatch = 1;
  for (int f = 0; f < 40; ++f) {
    pair.tick(1.0 / 60.0, 0.0);
    largestBatch = std::max(largestBatch, pair.batch());
    const auto ia = iteration(*a), ib = iteration(*b);
    EXPECT_LE(std::abs(ia - ib), largestBatch) << "frame " << f;
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  pair.pause();
  pair.sync();
  EXPECT_EQ(iteration(*a), iteration(*b));
  // 60 it/s for 30 simulated frames of 1/60 s: at most 30 iterations (plus the quarter-second
  // credit cap never exceeded here), however fast the machine.
  const auto before = iteration(*a);
  pair.play();
  for (int f = 0; f < 30; ++f) {
    pair.tick(1.0 / 60.0, 60.0);
    pair.sync();
  }
  pair.pause();
  pair.sync();
  EXPECT_EQ(iteration(*a) - before, 30);
  EXPECT_EQ(iteration(*a), iteration(*b));
}

}  // namespace
}  // namespace vilab
