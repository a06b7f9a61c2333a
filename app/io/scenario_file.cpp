#include "app/io/scenario_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/export/atomic_file.hpp"

namespace vilab {
namespace {

// Dotted keys from nested objects: {"prior": {"mu0": 1}} -> "prior.mu0".
Status flatten(const nlohmann::json& object, const std::string& prefix, nlohmann::json& out) {
  for (const auto& [key, value] : object.items()) {
    const std::string full = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) {
      if (Status s = flatten(value, full, out); !s) return s;
    } else if (value.is_array() || value.is_null()) {
      return Status::error(full + " must be a number, true/false or text, not " +
                           std::string(value.type_name()));
    } else {
      out[full] = value;
    }
  }
  return Status::ok();
}

std::string cleanParseError(const std::string& what) {
  // nlohmann's messages start with "[json.exception.parse_error.101] ".
  const auto close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

}  // namespace

Status parseScenarioJson(std::string_view text, ScenarioFile& out) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return Status::error("not valid JSON: " + cleanParseError(e.what()));
  }
  if (!root.is_object()) return Status::error("a scenario must be a JSON object {\"key\": value, ...}");
  ScenarioFile file;
  if (root.contains("model")) {
    if (!root["model"].is_string()) return Status::error("\"model\" must be text, e.g. \"gaussian\"");
    file.model = root["model"].get<std::string>();
    root.erase("model");
  }
  if (root.contains("description")) {
    if (!root["description"].is_string()) return Status::error("\"description\" must be text");
    file.description = root["description"].get<std::string>();
    root.erase("description");
  }
  if (root.contains("data_file")) {
    if (!root["data_file"].is_string() || root["data_file"].get<std::string>().empty())
      return Status::error("\"data_file\" must be the path of a CSV file");
    file.dataFile = root["data_file"].get<std::string>();
    root.erase("data_file");
  }
  if (Status s = flatten(root, "", file.values); !s) return s;
  out = std::move(file);
  return Status::ok();
}

Status loadScenarioFile(const std::string& path, ScenarioFile& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error("cannot open scenario file '" + path + "'");
  std::string text;
  text.resize(kMaxScenarioBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxScenarioBytes) return Status::error("scenario file '" + path + "' is larger than 1 MiB");
  const Status s = parseScenarioJson(text, out);
  if (!s) return Status::error("scenario file '" + path + "': " + s.message());
  if (!out.dataFile.empty() && std::filesystem::path(out.dataFile).is_relative())
    out.dataFile = (std::filesystem::path(path).parent_path() / out.dataFile).lexically_normal().string();
  return s;
}

Status applyScenarioValues(const nlohmann::json& values, std::unique_ptr<Scenario>& scenario) {
  auto copy = scenario->clone();
  for (const auto& [key, value] : values.items()) {
    Status s;
    if (value.is_boolean()) s = setField(*copy, key, value.get<bool>());
    else if (value.is_number_integer()) s = setField(*copy, key, value.get<std::int64_t>());
    else if (value.is_number_unsigned()) s = setField(*copy, key, static_cast<double>(value.get<std::uint64_t>()));
    else if (value.is_number()) s = setField(*copy, key, value.get<double>());
    else if (value.is_string()) s = setFieldFromText(*copy, key, value.get<std::string>());
    else s = Status::error(key + " must be a number, true/false or text");
    if (!s) return s;
  }
  scenario = std::move(copy);
  return Status::ok();
}

nlohmann::ordered_json scenarioToJson(const Scenario& scenario, const std::string& description) {
  nlohmann::ordered_json out;
  out["model"] = std::string(scenario.modelName());
  if (!description.empty()) out["description"] = description;
  for (const FieldSpec& spec : fieldSpecs(scenario)) {
    const FieldValue value = *getField(scenario, spec.key);
    std::visit([&](const auto& v) { out[spec.key] = v; }, value);
  }
  return out;
}

Status saveScenarioFile(const std::string& path, const Scenario& scenario, const std::string& description) {
  return writeFileAtomically(path, scenarioToJson(scenario, description).dump(2) + "\n");
}

}  // namespace vilab
