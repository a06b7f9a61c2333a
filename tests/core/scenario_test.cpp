#include "core/scenario.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/models/gaussian.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

TEST(Scenario, EveryModelListsSeedFirstAndSpeedLastWithHelp) {
  for (const auto& name : modelNames()) {
    auto model = makeModel(name);
    ASSERT_TRUE(model) << name;
    auto scenario = model->defaultScenario();
    EXPECT_EQ(scenario->modelName(), name);
    const auto specs = fieldSpecs(*scenario);
    ASSERT_GE(specs.size(), 2u);
    EXPECT_EQ(specs.front().key, "seed");
    EXPECT_EQ(specs.back().key, "speed");
    for (const auto& s : specs) {
      EXPECT_FALSE(s.help.empty()) << name << ": " << s.key;
      EXPECT_FALSE(s.label.empty()) << name << ": " << s.key;
      if (s.kind == FieldKind::Choice) {
        EXPECT_GE(s.choices.size(), 2u) << s.key;
      }
    }
    EXPECT_TRUE(validate(*scenario).empty()) << name << ": the default scenario must be valid";
  }
}

TEST(Scenario, SetFromTextParsesEachKind) {
  GaussianScenario s;
  EXPECT_TRUE(setFieldFromText(s, "prior.mu0", " -2.5e1 ").isOk());
  EXPECT_EQ(s.prior.mu0, -25.0);
  EXPECT_TRUE(setFieldFromText(s, "data.n", "1e3").isOk());
  EXPECT_EQ(s.data.n, 1000);
  EXPECT_TRUE(setFieldFromText(s, "halfsteps", "false").isOk());
  EXPECT_FALSE(s.halfsteps);
  EXPECT_TRUE(setFieldFromText(s, "algorithm", "Gradient").isOk());
  EXPECT_EQ(s.algorithm, GaussianScenario::Algorithm::Gradient);
  EXPECT_TRUE(setFieldFromText(s, "seed", "4294967295").isOk());
  EXPECT_EQ(s.seed, 4294967295ULL);
  EXPECT_EQ(std::get<std::string>(*getField(s, "algorithm")), "gradient");
}

TEST(Scenario, BadValuesLeaveTheScenarioUnchangedAndNameTheField) {
  const GaussianScenario original;
  struct Bad {
    const char* key;
    const char* text;
  };
  for (const Bad& bad : {Bad{"prior.kappa0", "0"}, Bad{"prior.kappa0", "-1"},
                         Bad{"prior.kappa0", "nan"}, Bad{"prior.kappa0", "inf"},
                         Bad{"prior.kappa0", "1e999"}, Bad{"data.n", "2.5"}, Bad{"data.n", "0"},
                         Bad{"data.n", "abc"}, Bad{"halfsteps", "maybe"},
                         Bad{"algorithm", "newton"}, Bad{"lr", ""}, Bad{"seed", "-1"}}) {
    GaussianScenario s;
    const Status status = setFieldFromText(s, bad.key, bad.text);
    ASSERT_FALSE(status.isOk()) << bad.key << "=" << bad.text;
    EXPECT_NE(status.message().find(bad.key), std::string::npos) << status.message();
    EXPECT_EQ(fieldSpecs(s).size(), fieldSpecs(original).size());
    for (const auto& spec : fieldSpecs(s))
      EXPECT_EQ(formatValue(*getField(s, spec.key)), formatValue(*getField(original, spec.key)))
          << spec.key << " changed by a rejected value";
  }
}

TEST(Scenario, UnknownKeyIsAnError) {
  GaussianScenario s;
  const Status status = setFieldFromText(s, "prior.nu0", "1");
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("unknown key 'prior.nu0'"), std::string::npos);
}

TEST(Scenario, RangeLimitsAreInclusive) {
  GaussianScenario s;
  const auto spec = *findField(s, "lr");
  EXPECT_TRUE(setField(s, "lr", spec.min).isOk());
  EXPECT_TRUE(setField(s, "lr", spec.max).isOk());
  EXPECT_FALSE(setField(s, "lr", std::nextafter(spec.max, 1e300)).isOk());
  EXPECT_FALSE(setField(s, "lr", std::nextafter(spec.min, 0.0)).isOk());
}

TEST(Scenario, ValidateCatchesOutOfRangeStructs) {
  GaussianScenario s;
  s.prior.b0 = -3;
  s.lr = std::numeric_limits<double>::quiet_NaN();
  const auto errors = validate(s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("prior.b0"), std::string::npos);
  EXPECT_NE(errors[1].find("lr"), std::string::npos);
}

TEST(Scenario, FormatRealRoundTrips) {
  for (double x : {0.1, 1.0 / 3.0, 1e-300, 123456789.125, -2.5})
    EXPECT_EQ(std::stod(formatReal(x)), x);
  EXPECT_EQ(formatReal(0.1), "0.1");
}

TEST(Scenario, CloneIsIndependent) {
  GaussianScenario s;
  auto copy = s.clone();
  s.lr = 0.5;
  EXPECT_NE(formatValue(*getField(*copy, "lr")), "0.5");
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

struct TextScenario : ScenarioOf<TextScenario> {
  static constexpr std::string_view kModelName = "text-test";
  std::string path = "synthetic";

 protected:
  void visitFields(FieldVisitor& v) override {
    v.text({.key = "dataset", .label = "dataset", .group = "Data", .help = "A name or a path.",
            .choices = {"synthetic"}},
           path);
  }
};

TEST(Scenario, TextFieldsTakeAnyPrintableText) {
  TextScenario s;
  EXPECT_TRUE(setFieldFromText(s, "dataset", "/data/My Images/train.idx").isOk());
  EXPECT_EQ(s.path, "/data/My Images/train.idx");
  EXPECT_FALSE(setFieldFromText(s, "dataset", "").isOk());
  EXPECT_FALSE(setField(s, "dataset", std::string("bad\nname")).isOk());
  EXPECT_EQ(s.path, "/data/My Images/train.idx");
  EXPECT_EQ(fieldSpecs(s)[1].kind, FieldKind::Text);
}

}  // namespace
}  // namespace vilab
