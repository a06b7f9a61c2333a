#pragma once
// Scenario files: a JSON object with the keys `vilab --print-scenario` lists (dotted keys, or
// nested objects such as {"prior": {"mu0": 0}}), plus "model", a one-line "description" and
// optionally "data_file": a CSV the scenario runs on (as --data would load it), its path relative
// to the scenario file's folder unless absolute.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/scenario.hpp"
#include "core/status.hpp"

namespace vilab {

struct ScenarioFile {
  std::string model;        // empty when the file does not say
  std::string description;  // one line shown under File > Open
  // "data_file": as written by parseScenarioJson; loadScenarioFile makes a relative path relative
  // to the scenario file's folder. Empty: generated data.
  std::string dataFile;
  nlohmann::json values = nlohmann::json::object();  // every other key, flattened to dotted keys
};

inline constexpr std::size_t kMaxScenarioBytes = 1 << 20;

Status parseScenarioJson(std::string_view text, ScenarioFile& out);
Status loadScenarioFile(const std::string& path, ScenarioFile& out);

// Sets every value on a copy of `scenario` and swaps it in only when all are valid.
Status applyScenarioValues(const nlohmann::json& values, std::unique_ptr<Scenario>& scenario);

// The scenario as a JSON object in field order, with "model" first (and "description" if given).
nlohmann::ordered_json scenarioToJson(const Scenario& scenario, const std::string& description = "");
Status saveScenarioFile(const std::string& path, const Scenario& scenario,
                        const std::string& description = "");

}  // namespace vilab
