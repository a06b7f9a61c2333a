// Fuzz target: scenario files. Any bytes must parse to a scenario or give one message; a parsed
// file applied to every model's default scenario must be all-or-nothing and validate cleanly.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "app/io/scenario_file.hpp"
#include "core/registry.hpp"
#include "tests/fuzz/default_scenarios.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vilab::ScenarioFile file;
  const vilab::Status parsed = vilab::parseScenarioJson(text, file);
  if (!parsed) {
    if (parsed.message().empty()) std::abort();
    return 0;
  }
  for (const auto& defaults : vilab::fuzz::defaultScenarios()) {
    auto scenario = defaults->clone();
    const std::string before = vilab::scenarioToJson(*scenario).dump();
    const vilab::Status applied = vilab::applyScenarioValues(file.values, scenario);
    if (!applied && vilab::scenarioToJson(*scenario).dump() != before)
      std::abort();  // not all-or-nothing
    (void)vilab::validate(*scenario);
    (void)vilab::scenarioToJson(*scenario).dump();
  }
  return 0;
}
