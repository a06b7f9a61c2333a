#include "app/cli/session.hpp"

#include "app/io/scenario_file.hpp"
#include "core/data/csv.hpp"
#include "core/data/labels.hpp"
#include "core/registry.hpp"

namespace vilab {

namespace {

Status buildScenario(const Options& options, std::unique_ptr<Model>& model, std::unique_ptr<Scenario>& scenario,
                     std::string& dataFile) {
  ScenarioFile file;
  if (!options.scenarioFile.empty())
    if (Status s = loadScenarioFile(options.scenarioFile, file); !s) return s;
  std::string name = options.model;
  if (name.empty()) name = file.model.empty() ? "gaussian" : file.model;
  if (!options.model.empty() && !file.model.empty() && file.model != options.model)
    return Status::error("scenario file '" + options.scenarioFile + "' is for model '" + file.model +
                         "', not '" + options.model + "'");
  model = makeModel(name);
  if (!model) {
    std::string known;
    for (const auto& n : modelNames()) known += (known.empty() ? "" : ", ") + n;
    return Status::error("unknown model '" + name + "' (models: " + known + ")");
  }
  scenario = model->defaultScenario();
  if (Status s = applyScenarioValues(file.values, scenario); !s)
    return Status::error("scenario file '" + options.scenarioFile + "': " + s.message());
  for (const auto& [key, value] : options.sets)
    if (Status s = setFieldFromText(*scenario, key, value); !s) return s;
  // --data wins over the scenario file's "data_file".
  dataFile = options.dataFile.empty() ? file.dataFile : options.dataFile;
  return Status::ok();
}

}  // namespace

Status buildScenario(const Options& options, std::unique_ptr<Model>& model, std::unique_ptr<Scenario>& scenario) {
  std::string dataFile;
  return buildScenario(options, model, scenario, dataFile);
}

Status buildSession(const Options& options, Session& session) {
  Session built;
  std::string dataFile;
  if (Status s = buildScenario(options, built.model, built.scenario, dataFile); !s) return s;
  if (!dataFile.empty()) {
    CsvData data;
    if (Status s = loadCsv(dataFile, data); !s) return s;
    if (!built.model->takesLabels()) data = withoutLabelColumn(std::move(data));
    if (Status s = built.model->setDataTable(data); !s) return s;
    built.model->adaptScenario(*built.scenario);
    built.dataNote = data.note;
  }
  if (const auto errors = validate(*built.scenario); !errors.empty()) return Status::error(errors.front());
  if (Status s = built.model->reset(*built.scenario); !s) return s;
  built.model->adaptScenario(*built.scenario);  // fields the data decide, e.g. an image set's D
  built.showEquations = options.showEquations;
  session = std::move(built);
  return Status::ok();
}

Status buildCompareSession(const Options& options, const std::string& modelName, Session& session) {
  Options b;
  b.model = modelName;
  b.scenarioFile = options.compare;
  b.dataFile = options.dataFile;
  if (Status s = buildSession(b, session); !s) {
    const std::string& message = s.message();
    if (message.find(options.compare) != std::string::npos) return Status::error("--compare: " + message);
    return Status::error("--compare '" + options.compare + "': " + message);
  }
  return Status::ok();
}

}  // namespace vilab
