// Level 3: the families-and-divergences panel on a null platform, in the cases its views branch
// on (each target, each family, each objective, the score estimator, MCMC off and random-walk,
// the constrained target's second view, the custom target, before any step, q beyond the
// quadrature grid, tabs on a small region, the cursor over each view); clicks on the custom
// target editing `target.bumps`; the bumps' text read back by the scenario; the panel's number
// format, names and k reading; and the --params-out shape.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/labs/targets_lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/models/targets/model.hpp"

namespace vilab {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Case {
  std::string name;
  Fields fields;
  int steps = 10;
};

void frame(NullPlatform& platform, Lab& lab, const Snapshot& snapshot, LabContext& context,
           ImVec2 region) {
  platform.beginFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(region);
  ImGui::Begin("views");
  EXPECT_NO_THROW(lab.drawViews(snapshot, context));
  EXPECT_NO_THROW(lab.drawControls(snapshot, context));
  ImGui::End();
  platform.render();
}

TargetsScenario scenarioWith(const Fields& fields) {
  TargetsScenario scenario;
  scenario.speed = 0;
  scenario.psisSamples = 200;
  for (const auto& [key, value] : fields)
    EXPECT_TRUE(setFieldFromText(scenario, key, value).isOk()) << key << " = " << value;
  return scenario;
}

TEST(TargetsLab, DrawsEveryCaseInAGridAndInTabsWithTheCursorOverEachView) {
  const std::vector<Case> cases = {
      {"default", {}},
      {"banana, planar flow", {{"target", "banana"}, {"family", "planar"}, {"layers", "4"}}},
      {"constrained", {{"target", "constrained"}, {"family", "fullrank"}}},
      {"bimodal, forward KL", {{"target", "mixture"}, {"objective", "kl_pq"}}},
      {"ring, mixture family, random walk",
       {{"target", "ring"}, {"family", "mixture"}, {"mcmc", "rwm"}}},
      {"funnel, no chain, Rényi", {{"target", "funnel"}, {"objective", "renyi"}, {"mcmc", "off"}}},
      {"coupling flow, IWAE", {{"family", "coupling"}, {"objective", "iwae"}, {"iwae_k", "4"}}},
      {"score without a baseline", {{"estimator", "score"}, {"baseline", "none"}}},
      {"custom bumps", {{"target", "custom"}, {"target.bumps", "-1,0,0.6,1; 1.5,1,0.5,2"}}},
      {"before any step", {}, 0},
      // q far wider than the grid sized for p: the ELBO and KL(q‖p) by Monte Carlo.
      {"q beyond the grid", {{"init.sd", "20"}, {"mcmc", "off"}}, 1},
  };
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    TargetsScenario scenario = scenarioWith(c.fields);
    TargetsModel model;
    ASSERT_TRUE(model.reset(scenario).isOk());
    for (int i = 0; i < c.steps; ++i) model.step();
    const auto snapshot = model.snapshot();
    if (c.name == "q beyond the grid") {
      ASSERT_LT(std::dynamic_pointer_cast<const TargetsSnapshot>(snapshot)->qGridMass, 0.999)
          << "the case no longer reaches the Monte Carlo branch";
    }
    auto lab = makeLab("targets");
    ASSERT_TRUE(lab);
    auto idle = std::make_unique<TargetsModel>();
    ASSERT_TRUE(idle->reset(scenario).isOk());
    Runner runner(std::move(idle), scenario.clone());
    LabContext context{runner, scenario, platform};
    // A large region (the grid of views) and a small one (tabs); the cursor sweeps the window so
    // that every view's tooltip runs. No button is pressed.
    for (ImVec2 region : {ImVec2(1200, 850), ImVec2(700, 500)}) {
      for (int f = 0; f < 14; ++f) {
        ImGui::GetIO().MousePos = ImVec2(40.0f + 85.0f * f, 70.0f + 57.0f * f);
        frame(platform, *lab, *snapshot, context, region);
      }
      EXPECT_GT(NullPlatform::drawnVertices(), region.x > 1000 ? 5000 : 1000)
          << "the views drew almost nothing";
    }
  }
}

// The text the panel writes is the text the scenario reads: bumps survive the round trip.
TEST(TargetsLab, BumpsTextIsReadBackByTheScenario) {
  const std::vector<TargetBump> bumps = {{-1.25, 0.5, 0.6, 1.0}, {2.0, -1.5, 0.35, 2.5}};
  TargetsScenario scenario;
  ASSERT_TRUE(setFieldFromText(scenario, "target", "custom").isOk());
  ASSERT_TRUE(setFieldFromText(scenario, "target.bumps", TargetsLab::bumpsText(bumps)).isOk());
  EXPECT_TRUE(validate(scenario).empty());
  const TargetSpec spec = scenario.targetSpec();
  ASSERT_EQ(spec.bumps.size(), bumps.size());
  for (std::size_t k = 0; k < bumps.size(); ++k) {
    EXPECT_DOUBLE_EQ(spec.bumps[k].x, bumps[k].x);
    EXPECT_DOUBLE_EQ(spec.bumps[k].y, bumps[k].y);
    EXPECT_DOUBLE_EQ(spec.bumps[k].sd, bumps[k].sd);
    EXPECT_DOUBLE_EQ(spec.bumps[k].weight, bumps[k].weight);
  }
}

// On the custom target (the top-left view of a 1200 x 850 grid), a click adds a bump where it
// lands, a drag moves the bump under the cursor, a right-click removes it: each an edit of the
// scenario's target.bumps, through LabContext::setField when the shell gives one, else sent to
// the runner directly.
TEST(TargetsLab, ClicksOnTheCustomTargetEditItsBumps) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (bool viaSetField : {false, true}) {
    SCOPED_TRACE(viaSetField ? "through setField" : "straight to the runner");
    TargetsScenario scenario = scenarioWith({{"target", "custom"}, {"mcmc", "off"}});
    auto model = std::make_unique<TargetsModel>();
    ASSERT_TRUE(model->reset(scenario).isOk());
    Runner runner(std::move(model), scenario.clone());
    LabContext context{runner, scenario, platform};
    if (viaSetField)
      context.setField = [&](std::string_view key, std::string_view text) {
        Status st = setFieldFromText(scenario, key, text);
        if (st) runner.apply(scenario.clone());
        return st;
      };
    auto lab = makeLab("targets");
    const auto bumps = [&] {
      runner.sync();
      return std::dynamic_pointer_cast<const TargetsSnapshot>(runner.state().snapshot)->bumps;
    };
    const auto frames = [&](ImVec2 from, ImVec2 to, int button) {
      ImGuiIO& io = ImGui::GetIO();
      for (int f = 0; f < 5; ++f) {
        io.MousePos = f < 2 ? from : to;
        io.MouseDown[button] = f >= 1 && f <= 3;
        frame(platform, *lab, *runner.state().snapshot, context, ImVec2(1200, 850));
        runner.sync();
      }
    };
    frames({400, 150}, {400, 150}, 0);  // settle the ranges, then click
    frames({400, 150}, {400, 150}, 0);
    auto now = bumps();
    ASSERT_GE(now.size(), 2u) << "a click added no bump";
    const TargetBump added = now.back();
    // Drag the new bump 100 px right: it moves right, by about the view's data per pixel.
    frames({400, 150}, {500, 150}, 0);
    now = bumps();
    ASSERT_FALSE(now.empty());
    EXPECT_GT(now.back().x, added.x + 1e-3) << "the drag did not move the bump";
    EXPECT_NEAR(now.back().y, added.y, 0.05 * std::fabs(added.x - now.back().x) + 1e-6);
    const std::size_t before = now.size();
    frames({500, 150}, {500, 150}, 1);  // right-click: remove it
    EXPECT_EQ(bumps().size(), before - 1) << "the right-click removed no bump";
    if (viaSetField) {
      EXPECT_EQ(scenario.targetSpec().bumps.size(), before - 1)
          << "the scenario the controls show did not follow";
    }
  }
}

// In the whole shell (1600 x 900: the controls on the left, the target view the first of the
// views), a click on the custom target edits the scenario the controls show, and the runner gets
// it: LabContext::setField as the App gives it.
TEST(TargetsLab, InTheShellAClickAddsABumpToTheScenario) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  auto model = std::make_unique<TargetsModel>();
  auto scenario = std::make_unique<TargetsScenario>(
      scenarioWith({{"target", "custom"}, {"target.bumps", "0,0,0.7,1"}, {"mcmc", "off"}}));
  ASSERT_TRUE(model->reset(*scenario).isOk());
  App app({std::move(model), std::move(scenario), false, assetDirectory(), ".", 1.0f}, platform);
  ImGuiIO& io = ImGui::GetIO();
  for (int f = 0; f < 6; ++f) {
    io.MousePos = ImVec2(950, 200);  // in the target view, away from the bump at the origin
    io.MouseDown[0] = f == 3;
    platform.beginFrame();
    app.frame({});
    platform.render();
    app.runner().sync();
  }
  io.MouseDown[0] = false;
  const auto& applied = static_cast<const TargetsScenario&>(*app.runner().state().scenario);
  const auto bumps = applied.targetSpec().bumps;
  ASSERT_EQ(bumps.size(), 2u) << "the click did not reach the runner: " << applied.bumps;
  EXPECT_GT(bumps[1].x, 0.0);  // right of the origin
  EXPECT_GT(bumps[1].y, 0.0);  // above it
}

// One format for the numbers the views print side by side: significant digits counted by hand.
TEST(TargetsLab, PlainNumbersHaveSignificantDigitsAndNoExponentBetweenTenToTheMinus4And6) {
  EXPECT_EQ(TargetsLab::plainNumber(130.4), "130");   // not "1.3e+02"
  EXPECT_EQ(TargetsLab::plainNumber(0.6712), "0.671");
  EXPECT_EQ(TargetsLab::plainNumber(0.385), "0.385");
  EXPECT_EQ(TargetsLab::plainNumber(0.38), "0.380");  // beside 0.385: as many digits
  EXPECT_EQ(TargetsLab::plainNumber(9.996), "10.0");  // rounded before the digits are counted
  EXPECT_EQ(TargetsLab::plainNumber(12345.0), "12300");
  EXPECT_EQ(TargetsLab::plainNumber(-2.302585, 4), "-2.303");
  EXPECT_EQ(TargetsLab::plainNumber(0.00012345), "0.000123");
  EXPECT_EQ(TargetsLab::plainNumber(1.5e7), "1.50×10⁷");
  EXPECT_EQ(TargetsLab::plainNumber(-2.5e-5, 2), "-2.5×10⁻⁵");
  EXPECT_EQ(TargetsLab::plainNumber(0.0), "0");
  EXPECT_EQ(TargetsLab::plainNumber(NAN), "—");
  EXPECT_EQ(TargetsLab::plainNumber(-INFINITY), "−∞");
}

// The title's target name uses the controls' symbols for the model's own name of the Gaussian.
TEST(TargetsLab, TheGaussianTargetsNameReadsWithTheControlsSymbols) {
  TargetsScenario scenario = scenarioWith(
      {{"target.sigma1", "2"}, {"target.sigma2", "0.5"}, {"target.rho", "-0.3"}, {"mcmc", "off"}});
  TargetsModel model;
  ASSERT_TRUE(model.reset(scenario).isOk());
  const auto s = std::dynamic_pointer_cast<const TargetsSnapshot>(model.snapshot());
  const std::string shown = TargetsLab::displayTargetName(s->targetName);
  EXPECT_NE(shown.find("σ₁ = 2"), std::string::npos) << shown;
  EXPECT_NE(shown.find("σ₂ = 0.5"), std::string::npos) << shown;
  EXPECT_NE(shown.find("ρ = -0.3"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("sigma"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("rho"), std::string::npos) << shown;
  // Whole words only; other names pass unchanged.
  EXPECT_EQ(TargetsLab::displayTargetName("rhombus (rho 1)"), "rhombus (ρ = 1)");
  EXPECT_EQ(TargetsLab::displayTargetName("banana (curvature 0.25)"), "banana (curvature 0.25)");
}

TEST(TargetsLab, TheFunnelsAxesAreXAndTheLogVarianceV) {
  for (const char* target : {"funnel", "gaussian"}) {
    SCOPED_TRACE(target);
    TargetsScenario scenario = scenarioWith({{"target", target}, {"mcmc", "off"}});
    TargetsModel model;
    ASSERT_TRUE(model.reset(scenario).isOk());
    const auto s = std::dynamic_pointer_cast<const TargetsSnapshot>(model.snapshot());
    const auto names = TargetsLab::axisNames(*s);
    if (std::string(target) == "funnel") {
      EXPECT_EQ(names[0], "x");
      EXPECT_EQ(names[1], "v");
    } else {
      EXPECT_EQ(names, s->axisNames);
    }
  }
}

TEST(TargetsLab, ParetoKBelowHalfIsGoodDownToMinusInfinity) {
  EXPECT_EQ(TargetsLab::khatReading(-INFINITY), "good");  // q = p to rounding
  EXPECT_EQ(TargetsLab::khatReading(-3.0), "good");       // light tail: q covers p
  EXPECT_EQ(TargetsLab::khatReading(0.49), "good");
  EXPECT_EQ(TargetsLab::khatReading(0.6), "usable");
  EXPECT_EQ(TargetsLab::khatReading(0.7), "unreliable");
  EXPECT_EQ(TargetsLab::khatReading(NAN), "—");
}

// The objective's number is the mean of the trace's last rows: here 0, 1, ..., 99 with one
// non-finite value among the last 50, which the mean skips.
TEST(TargetsLab, RecentMeanAveragesTheLastRowsOfATraceColumn) {
  TraceLog log({"iteration", "objective"});
  for (int i = 0; i < 100; ++i) log.append({double(i), i == 60 ? NAN : double(i)});
  const TraceView view = log.view();
  ASSERT_EQ(view.rows(), 100u) << "the test assumes no thinning at 100 rows";
  const TargetsLab::RecentMean m = TargetsLab::recentMean(view, "objective", 50);
  // Rows 50..99 without 60: (50 + 99) * 50 / 2 - 60 over 49.
  EXPECT_DOUBLE_EQ(m.mean, ((50.0 + 99.0) * 25.0 - 60.0) / 49.0);
  EXPECT_EQ(m.fromIteration, 50.0);
  EXPECT_EQ(m.toIteration, 99.0);
  const TargetsLab::RecentMean all = TargetsLab::recentMean(view, "objective", 500);
  EXPECT_DOUBLE_EQ(all.mean, (99.0 * 50.0 - 60.0) / 99.0);
  EXPECT_TRUE(std::isnan(TargetsLab::recentMean(view, "no such column", 50).mean));
}

TEST(TargetsLab, ParamsHoldQTheReferenceAndTheChainWithNullForWhatIsNotFinite) {
  TargetsScenario scenario = scenarioWith({{"family", "fullrank"}});
  TargetsModel model;
  ASSERT_TRUE(model.reset(scenario).isOk());
  // Past the chain's warm-up (200 chain iterations, 4 per step), so that it has kept samples.
  for (int i = 0; i < 60; ++i) model.step();
  ASSERT_GT(std::dynamic_pointer_cast<const TargetsSnapshot>(model.snapshot())->mcmcIterations, 0);
  const auto snapshot = std::dynamic_pointer_cast<const TargetsSnapshot>(model.snapshot());
  const auto lab = makeLab("targets");
  const nlohmann::ordered_json p = lab->params(*snapshot);
  EXPECT_EQ(p["family"], "fullrank");
  EXPECT_EQ(p["target"], "gaussian");
  EXPECT_EQ(p["parameters"].size(), snapshot->parameters.size());
  ASSERT_EQ(p["q"]["mean"].size(), 2u);
  ASSERT_EQ(p["q"]["cov"].size(), 2u);
  EXPECT_DOUBLE_EQ(p["q"]["cov"][0][1].get<double>(), snapshot->qMoments.cov(0, 1));
  EXPECT_DOUBLE_EQ(p["exact"]["cov"][1][1].get<double>(), snapshot->exactMoments.cov(1, 1));
  EXPECT_DOUBLE_EQ(p["log_z"].get<double>(), snapshot->logZ);
  EXPECT_DOUBLE_EQ(p["kl_qp"].get<double>(), snapshot->klQp);
  EXPECT_EQ(p["variance_ratio"].size(), 2u);
  EXPECT_EQ(p["mcmc"]["kind"], "hmc");
  EXPECT_EQ(p["mcmc"]["iterations"].get<std::int64_t>(), snapshot->mcmcIterations);

  // A snapshot with nothing computed: every number null, never NaN (which JSON cannot hold).
  TargetsSnapshot empty;
  const nlohmann::ordered_json e = lab->params(empty);
  for (const char* key : {"log_z", "elbo", "kl_qp", "kl_pq", "psis_k"})
    EXPECT_TRUE(e[key].is_null()) << key;
  EXPECT_TRUE(e["variance_ratio"][0].is_null());
  EXPECT_EQ(e["mcmc"]["kind"], "off");
  EXPECT_TRUE(e["mcmc"]["acceptance"].is_null());
  EXPECT_NO_THROW((void)e.dump());
}

}  // namespace
}  // namespace vilab
