// Properties every lab's model must have, checked for each registered model: boundary values of
// every scenario field give a clear message or a healthy run, and the same scenario and seed give
// bit-identical traces, also when the run is paused, stepped and resumed through the Runner.

#include <gtest/gtest.h>

#include <cmath>
#include <atomic>
#include <bit>
#include <cstdint>
#include <limits>
#include <thread>

#include "core/registry.hpp"
#include "core/runner.hpp"

namespace vilab {
namespace {

std::vector<std::string> boundaryTexts(const FieldSpec& spec) {
  std::vector<std::string> texts = {"nan", "inf", "-inf", "0", "-1", "1e300", "-1e300", "", "text"};
  if (spec.kind == FieldKind::Real || spec.kind == FieldKind::Integer) {
    texts.push_back(formatReal(spec.min));
    texts.push_back(formatReal(spec.max));
    texts.push_back(formatReal(std::nextafter(spec.min, -1e308)));
    texts.push_back(formatReal(std::nextafter(spec.max, 1e308)));
    if (spec.kind == FieldKind::Integer) {
      texts.push_back(formatReal(spec.min - 1));
      texts.push_back(formatReal(spec.max + 1));
    }
  }
  return texts;
}

// Values that make a run slow (the largest data sets, networks) are checked by validation only.
bool expensive(const FieldSpec& spec, const std::string& text) {
  return (spec.kind == FieldKind::Integer || spec.kind == FieldKind::Real) && text == formatReal(spec.max) &&
         spec.max >= 1000;
}

TEST(AllModels, EveryFieldAtItsBoundariesGivesAMessageOrAHealthyRun) {
  for (const auto& name : modelNames()) {
    const auto model = makeModel(name);
    const auto defaults = model->defaultScenario();
    for (const FieldSpec& spec : fieldSpecs(*defaults)) {
      if (spec.key == "speed") continue;  // GUI pacing only
      for (const std::string& text : boundaryTexts(spec)) {
        SCOPED_TRACE(name + ": " + spec.key + " = '" + text + "'");
        auto scenario = defaults->clone();
        const Status set = setFieldFromText(*scenario, spec.key, text);
        if (!set) {
          EXPECT_NE(set.message().find(spec.key), std::string::npos) << set.message();
          continue;
        }
        if (const auto errors = validate(*scenario); !errors.empty()) {
          EXPECT_FALSE(errors.front().empty());
          continue;
        }
        if (expensive(spec, text)) continue;
        auto run = makeModel(name);
        const Status reset = run->reset(*scenario);
        if (!reset) {
          EXPECT_FALSE(reset.message().empty());
          continue;
        }
        for (int i = 0; i < 3; ++i) {
          run->step();
          const Status health = run->health();
          if (!health) {  // caught and explained, never a silent NaN
            EXPECT_NE(health.message().find("iteration"), std::string::npos) << health.message();
            break;
          }
        }
        EXPECT_TRUE(run->snapshot() != nullptr);
      }
    }
  }
}

// The trace's bit patterns: "bit-identical" is the claim, and a column not yet measured holds NaN,
// which no floating-point comparison calls equal to itself.
std::vector<std::vector<std::uint64_t>> rows(const TraceView& t) {
  std::vector<std::vector<std::uint64_t>> out(t.rows(), std::vector<std::uint64_t>(t.columnCount()));
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (std::size_t c = 0; c < t.columnCount(); ++c)
      out[r][c] = std::bit_cast<std::uint64_t>(t.at(r, c));
  return out;
}

std::vector<std::uint64_t> bits(const std::vector<double>& row) {
  std::vector<std::uint64_t> out;
  for (double v : row) out.push_back(std::bit_cast<std::uint64_t>(v));
  return out;
}

TEST(AllModels, SameSeedSameTraceThroughPausesAndResumes) {
  for (const auto& name : modelNames()) {
    SCOPED_TRACE(name);
    auto scenario = makeModel(name)->defaultScenario();
    scenario->speed = 0.0;

    // Through the runner: steps, play, pause, steps again.
    auto model = makeModel(name);
    ASSERT_TRUE(model->reset(*scenario).isOk());
    Runner runner(std::move(model), scenario->clone());
    runner.step(5);
    runner.sync();
    runner.play();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    runner.pause();
    runner.sync();
    runner.step(4);
    runner.sync();
    const auto snapshot = runner.state().snapshot;
    const std::int64_t done = snapshot->iteration;
    ASSERT_GE(done, 9);

    // Directly, the same number of iterations.
    auto direct = makeModel(name);
    ASSERT_TRUE(direct->reset(*scenario).isOk());
    for (std::int64_t i = 0; i < done; ++i) direct->step();
    const TraceView a = snapshot->trace, b = direct->trace().view();
    ASSERT_EQ(a.rows(), b.rows());
    ASSERT_EQ(a.stride(), b.stride());
    EXPECT_EQ(rows(a), rows(b));
    EXPECT_EQ(bits(a.lastRow()), bits(b.lastRow()));
  }
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

// The threaded case the ThreadSanitizer build runs for every lab: the worker optimizes while a
// "UI" thread reads snapshots and another sends commands, changed scenarios and resets.
TEST(AllModels, RunnerSurvivesConcurrentCommands) {
  for (const auto& name : modelNames()) {
    SCOPED_TRACE(name);
    auto scenario = makeModel(name)->defaultScenario();
    scenario->speed = 0.0;
    auto model = makeModel(name);
    ASSERT_TRUE(model->reset(*scenario).isOk());
    Runner runner(std::move(model), scenario->clone(), true);
    std::atomic<bool> done{false};
    std::atomic<long> reads{0};
    std::thread ui([&] {
      while (!done) {
        const auto state = runner.state();
        ASSERT_TRUE(state.snapshot);
        const TraceView& t = state.snapshot->trace;
        for (std::size_t r = 0; r < t.rows(); r += 97) (void)t.at(r, 1);
        ++reads;
      }
    });
    for (int round = 0; round < 12; ++round) {
      auto changed = scenario->clone();
      changed->seed = 1 + round % 3;
      runner.apply(std::move(changed));
      std::this_thread::sleep_for(std::chrono::milliseconds(4));
      if (round % 4 == 1) runner.reset();
      if (round % 4 == 2) runner.pause(), runner.step(2), runner.play();
      if (round % 4 == 3) runner.revert(), runner.play();
    }
    runner.sync();
    done = true;
    ui.join();
    EXPECT_GT(reads.load(), 0);
    EXPECT_TRUE(runner.state().problem.empty()) << runner.state().problem;
  }
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

// The divergence guard's checkpoints: a clone carries the whole state, generator included, so
// it continues exactly as the original would, and the two never share what they write.
TEST(AllModels, ClonesContinueExactlyAsTheOriginal) {
  for (const auto& name : modelNames()) {
    SCOPED_TRACE(name);
    auto model = makeModel(name);
    auto scenario = model->defaultScenario();
    ASSERT_TRUE(model->reset(*scenario).isOk());
    for (int i = 0; i < 7; ++i) model->step();
    const auto copy = model->clone();
    ASSERT_TRUE(copy) << "no clone(): Revert cannot work for " << name;
    for (int i = 0; i < 7; ++i) model->step(), copy->step();
    EXPECT_EQ(rows(model->trace().view()), rows(copy->trace().view()));
    EXPECT_EQ(bits(model->trace().view().lastRow()), bits(copy->trace().view().lastRow()));
  }
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

// The divergence guard, provoked in every lab that has a learning rate: the largest rate with
// the noisiest estimator must end in a health message naming the quantity and the iteration,
// never in silent NaN. (Labs without a learning rate, such as EM, have nothing to provoke.)
TEST(AllModels, AbsurdLearningRateIsCaughtAndExplained) {
  for (const auto& name : modelNames()) {
    SCOPED_TRACE(name);
    auto scenario = makeModel(name)->defaultScenario();
    const auto lr = findField(*scenario, "lr");
    if (!lr) continue;
    for (const auto& [key, value] :
         std::vector<std::pair<std::string, std::string>>{{"dim", "1"}, {"algorithm", "gradient"},
                                                           {"algorithm", "bbvi"}, {"estimator", "score"},
                                                           {"baseline", "false"}, {"optimizer", "sgd"},
                                                           {"lr", formatReal(lr->max)}})
      (void)setFieldFromText(*scenario, key, value);  // keys a lab lacks are skipped
    ASSERT_TRUE(validate(*scenario).empty()) << validate(*scenario).front();
    auto model = makeModel(name);
    ASSERT_TRUE(model->reset(*scenario).isOk());
    Status health;
    for (int i = 0; i < 5000 && health; ++i) {
      model->step();
      health = model->health();
    }
    ASSERT_FALSE(health.isOk()) << "lr = " << lr->max << " never diverged: is the range too wide to be useful?";
    EXPECT_NE(health.message().find("iteration"), std::string::npos) << health.message();
    // What broke: a number that became non-finite, or (targets lab) q far off the target or
    // degenerate.
    EXPECT_TRUE(health.message().find("non-finite") != std::string::npos ||
                health.message().find("left the target") != std::string::npos ||
                health.message().find("collapsed or blew up") != std::string::npos)
        << health.message();
  }
}

}  // namespace
}  // namespace vilab
