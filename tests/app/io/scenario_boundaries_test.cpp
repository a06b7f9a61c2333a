// Boundary values of every field of every lab through scenario files (the --set path is covered
// by tests/core/models/all_models_test.cpp): each is applied whole or refused with a message
// naming the field, and a refused file changes nothing.

#include <gtest/gtest.h>

#include <cmath>

#include "app/io/scenario_file.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

std::vector<std::string> boundaryJson(const FieldSpec& spec) {
  std::vector<std::string> values = {"0", "-1", "1e300", "-1e300", "true", "\"text\"", "\"\"", "2.5"};
  if (spec.kind == FieldKind::Real || spec.kind == FieldKind::Integer) {
    values.push_back(formatReal(spec.min));
    values.push_back(formatReal(spec.max));
    values.push_back(formatReal(std::nextafter(spec.min, -1e308)));
    values.push_back(formatReal(std::nextafter(spec.max, 1e308)));
  }
  for (const auto& choice : spec.choices) values.push_back("\"" + choice + "\"");
  return values;
}

TEST(ScenarioBoundaries, EveryFieldThroughAScenarioFile) {
  for (const auto& name : modelNames()) {
    const auto defaults = makeModel(name)->defaultScenario();
    const std::string before = scenarioToJson(*defaults).dump();
    for (const FieldSpec& spec : fieldSpecs(*defaults)) {
      for (const std::string& value : boundaryJson(spec)) {
        const std::string text = "{\"model\": \"" + name + "\", \"" + spec.key + "\": " + value + "}";
        SCOPED_TRACE(text);
        ScenarioFile file;
        const Status parsed = parseScenarioJson(text, file);
        if (!parsed) {  // e.g. 1e300 squared is fine, but JSON itself may refuse a number
          EXPECT_FALSE(parsed.message().empty());
          continue;
        }
        auto scenario = defaults->clone();
        const Status applied = applyScenarioValues(file.values, scenario);
        if (!applied) {
          EXPECT_NE(applied.message().find(spec.key), std::string::npos) << applied.message();
          EXPECT_EQ(scenarioToJson(*scenario).dump(), before);
          continue;
        }
        for (const auto& error : validate(*scenario)) EXPECT_FALSE(error.empty());
      }
    }
  }
}

}  // namespace
}  // namespace vilab
