#include "app/io/tour_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "app/io/scenario_file.hpp"
#include "core/data/csv.hpp"
#include "core/model.hpp"
#include "core/registry.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + ("\"" + n + "\"");
  return out;
}

std::string cleanParseError(const std::string& what) {
  const auto close = what.find("] ");  // nlohmann's "[json.exception.parse_error.101] "
  return close == std::string::npos ? what : what.substr(close + 2);
}

// Shipped scenario file names (for messages), sorted.
std::vector<std::string> shippedNames(const std::string& scenarioDir, const std::string& lab) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(scenarioDir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->path().extension() == ".json" && name.rfind(lab + "-", 0) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

const std::vector<std::string>& knownViews(std::string_view lab) {
  // Keys as the plot layer names plots (app/plot/plot.hpp): what --record-plot and the export
  // file names use. A test draws each tour step's lab and finds its view with plot::lastRect.
  static const std::map<std::string, std::vector<std::string>, std::less<>> kViews = {
      {"gaussian",
       {"Joint posterior over (μ, τ): exact vs mean-field q", "Marginal of μ: q(μ) vs p(μ | x)",
        "Marginal of τ: q(τ) vs p(τ | x)", "Data and posterior predictive p(x* | x)", "elbo",
        "KL(q ‖ p) = log p(x) − ELBO", "Gradient variance (one sample, current q)"}},
      {"gmm", {"gmm data", "gmm density", "gmm data1", "gmm weights", "gmm curves"}},
      {"fa", {"fa data", "fa psi", "fa latent", "fa loglik", "fa gap", "fa error"}},
      {"vae",
       {"vae latent", "Reconstructions", "Prior samples, z ~ N(0, I)", "Decoded manifold over z₁ →, z₂ ↑",
        "Decoded manifold, z₁ →, z₂ ↑, rest 0", "vae elbo", "vae kl", "vae lambda", "vae beta",
        "vae variance", "vae kl per dim"}},
      {"logreg", {"logreg data", "logreg weights", "logreg curves", "logreg var", "logreg hist"}},
      {"targets",
       {"targets target", "targets constrained", "targets marginal 0", "targets marginal 1",
        "targets objective", "targets kl", "targets var", "targets khat", "targets ratios"}},
  };
  static const std::vector<std::string> kNone;
  const auto it = kViews.find(lab);
  return it == kViews.end() ? kNone : it->second;
}

Status applyTourSet(const nlohmann::json& set, std::unique_ptr<Scenario>& scenario) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [key, value] : set.items()) {
    if (!value.is_primitive() || value.is_null())
      return Status::error("\"set\": \"" + key + "\" must be a number, true/false or text, not " +
                           std::string(value.type_name()));
    if (!findField(*scenario, key))
      return Status::error("\"set\": unknown field \"" + key + "\" (vilab --model " +
                           std::string(scenario->modelName()) + " --print-fields lists them)");
    values[key] = value;
  }
  return applyScenarioValues(values, scenario);
}

Status buildTourScenario(const std::string& lab, const std::string& scenarioPath,
                         const nlohmann::json& set, std::unique_ptr<Scenario>& scenario,
                         std::unique_ptr<Model>* modelOut, std::string* dataNote) {
  auto model = makeModel(lab);
  if (!model) return Status::error("unknown lab \"" + lab + "\"");
  auto built = model->defaultScenario();
  ScenarioFile file;
  if (!scenarioPath.empty()) {
    if (Status s = loadScenarioFile(scenarioPath, file); !s) return s;
    if (!file.model.empty() && file.model != lab)
      return Status::error("scenario '" + scenarioPath + "' is for the " + file.model + " lab, not " + lab);
    if (Status s = applyScenarioValues(file.values, built); !s) return Status::error(scenarioPath + ": " + s.message());
  }
  if (Status s = applyTourSet(set, built); !s) return s;
  if (modelOut) {
    if (!file.dataFile.empty()) {
      CsvData data;
      if (Status s = loadCsv(file.dataFile, data); !s) return Status::error(scenarioPath + ": " + s.message());
      if (Status s = model->setDataTable(data); !s) return Status::error(scenarioPath + ": " + s.message());
      if (dataNote) *dataNote = data.note;
    }
    model->adaptScenario(*built);
  }
  if (const auto errors = validate(*built); !errors.empty())
    return Status::error((scenarioPath.empty() ? "default scenario" : scenarioPath) + ": " + errors.front());
  if (modelOut) {
    if (Status s = model->reset(*built); !s) return s;
    *modelOut = std::move(model);
  }
  scenario = std::move(built);
  return Status::ok();
}

StepPlan planStep(const Tour& tour, std::size_t index, const std::string& scenarioDir) {
  StepPlan plan;
  index = std::min(index, tour.steps.size() - 1);
  std::size_t start = index, base = index;
  while (start > 0 && !tour.steps[start].restart) --start;
  base = start;
  while (base > 0 && tour.steps[base].scenario.empty()) --base;
  const std::string& name = tour.steps[base].scenario;
  plan.scenarioPath = name.empty() || name == "default" ? "" : (std::filesystem::path(scenarioDir) / name).string();
  plan.firstStep = start;
  StepPlan::Leg first;
  for (std::size_t i = base; i <= start; ++i)
    for (const auto& [key, value] : tour.steps[i].set.items()) first.set[key] = value;
  first.iteration = tour.steps[start].iteration;
  plan.legs.push_back(std::move(first));
  for (std::size_t i = start + 1; i <= index; ++i)
    plan.legs.push_back({tour.steps[i].set, tour.steps[i].iteration});
  return plan;
}

Status parseTourJson(std::string_view text, const std::string& path, const std::string& scenarioDir,
                     TourFile& out) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return Status::error(path + ": not valid JSON: " + cleanParseError(e.what()));
  }
  const auto fail = [&](const std::string& where, const std::string& message) {
    return Status::error(path + ": " + where + (where.empty() ? "" : ": ") + message);
  };
  if (!root.is_object()) return fail("", "a tour file must be a JSON object {\"lab\": …, \"tours\": […]}");
  for (const auto& [key, value] : root.items())
    if (key != "lab" && key != "tours") return fail("", "unknown key \"" + key + "\" (allowed: \"lab\", \"tours\")");
  TourFile file;
  file.path = path;
  const auto labs = modelNames();
  if (!root.contains("lab") || !root["lab"].is_string() ||
      std::find(labs.begin(), labs.end(), root["lab"].get<std::string>()) == labs.end())
    return fail("\"lab\"", "must be one of " + joinNames(labs));
  file.lab = root["lab"].get<std::string>();
  if (!root.contains("tours") || !root["tours"].is_array() || root["tours"].empty())
    return fail("\"tours\"", "must be a non-empty list of tours");
  const auto& views = knownViews(file.lab);
  int tourNumber = 0;
  for (const auto& t : root["tours"]) {
    ++tourNumber;
    const std::string tourWhere = "tour " + std::to_string(tourNumber);
    if (!t.is_object()) return fail(tourWhere, "must be an object {\"title\": …, \"steps\": […]}");
    for (const auto& [key, value] : t.items())
      if (key != "title" && key != "steps")
        return fail(tourWhere, "unknown key \"" + key + "\" (allowed: \"title\", \"steps\")");
    Tour tour;
    if (!t.contains("title") || !t["title"].is_string() || t["title"].get<std::string>().empty())
      return fail(tourWhere + ", \"title\"", "must be non-empty text");
    tour.title = t["title"].get<std::string>();
    if (!t.contains("steps") || !t["steps"].is_array() || t["steps"].empty())
      return fail(tourWhere + ", \"steps\"", "must be a non-empty list of steps");
    int stepNumber = 0;
    for (const auto& st : t["steps"]) {
      ++stepNumber;
      const std::string where = tourWhere + " (\"" + tour.title + "\"), step " + std::to_string(stepNumber);
      if (!st.is_object()) return fail(where, "must be an object");
      for (const auto& [key, value] : st.items())
        if (key != "scenario" && key != "set" && key != "restart" && key != "iteration" && key != "view" &&
            key != "text")
          return fail(where, "unknown key \"" + key +
                                 "\" (allowed: \"scenario\", \"set\", \"restart\", \"iteration\", \"view\", \"text\")");
      TourStep step;
      if (st.contains("scenario")) {
        const auto shipped = shippedNames(scenarioDir, file.lab);
        const bool named = st["scenario"].is_string();
        step.scenario = named ? st["scenario"].get<std::string>() : "";
        if (!named || (step.scenario != "default" &&
                       std::find(shipped.begin(), shipped.end(), step.scenario) == shipped.end()))
          return fail(where + ", \"scenario\"", "unknown scenario " +
                                                    (named ? "\"" + step.scenario + "\"" : st["scenario"].dump()) +
                                                    " (allowed: \"default\", " + joinNames(shipped) + ")");
        step.restart = true;
      } else if (stepNumber == 1) {
        return fail(where, "the first step needs \"scenario\" (a shipped scenario of the " + file.lab +
                               " lab, or \"default\")");
      }
      if (st.contains("restart")) {
        if (!st["restart"].is_boolean()) return fail(where + ", \"restart\"", "must be true or false");
        step.restart = step.restart || st["restart"].get<bool>();
      }
      if (st.contains("set")) {
        if (!st["set"].is_object()) return fail(where + ", \"set\"", "must be an object {\"key\": value, …}");
        step.set = st["set"];
      }
      if (!st.contains("iteration") || !st["iteration"].is_number_integer() || st["iteration"].get<std::int64_t>() < 0 ||
          st["iteration"].get<std::int64_t>() > kMaxTourIteration)
        return fail(where + ", \"iteration\"", "must be a whole number in [0, " + std::to_string(kMaxTourIteration) + "]");
      step.iteration = st["iteration"].get<std::int64_t>();
      if (!step.restart && step.iteration < tour.steps.back().iteration)
        return fail(where + ", \"iteration\"",
                    "continues the run, so it must be at least the previous step's " +
                        std::to_string(tour.steps.back().iteration) + " (or say \"restart\": true)");
      if (!st.contains("view") || !st["view"].is_string() ||
          std::find(views.begin(), views.end(), st["view"].get<std::string>()) == views.end())
        return fail(where + ", \"view\"", "unknown view " + (st.contains("view") ? st["view"].dump() : std::string("(missing)")) +
                                              " (allowed: " + joinNames(views) + ")");
      step.view = st["view"].get<std::string>();
      if (!st.contains("text") || !st["text"].is_string() || st["text"].get<std::string>().empty() ||
          st["text"].get<std::string>().size() > kMaxTourText)
        return fail(where + ", \"text\"", "must be text of 1 to " + std::to_string(kMaxTourText) + " bytes");
      step.text = st["text"].get<std::string>();
      tour.steps.push_back(std::move(step));
      // The scenario this step runs with must be valid for the lab.
      const StepPlan plan = planStep(tour, tour.steps.size() - 1, scenarioDir);
      std::unique_ptr<Scenario> scenario;
      if (Status s = buildTourScenario(file.lab, plan.scenarioPath, plan.legs.front().set, scenario); !s)
        return fail(where, s.message());
      for (std::size_t leg = 1; leg < plan.legs.size(); ++leg) {
        if (Status s = applyTourSet(plan.legs[leg].set, scenario); !s) return fail(where, s.message());
        if (const auto errors = validate(*scenario); !errors.empty()) return fail(where, errors.front());
      }
    }
    file.tours.push_back(std::move(tour));
  }
  out = std::move(file);
  return Status::ok();
}

Status loadTourFile(const std::string& path, const std::string& scenarioDir, TourFile& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error("cannot open tour file '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > kMaxScenarioBytes) return Status::error("tour file '" + path + "' is larger than 1 MiB");
  return parseTourJson(text, path, scenarioDir, out);
}

Status loadAllTours(const std::string& assetDir, std::vector<TourFile>& out) {
  const auto folder = std::filesystem::path(assetDir) / "tours";
  const std::string scenarioDir = (std::filesystem::path(assetDir) / "scenarios").string();
  std::vector<std::string> paths;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(folder, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".json") paths.push_back(it->path().string());
  std::sort(paths.begin(), paths.end());
  std::vector<TourFile> all;
  for (const auto& p : paths) {
    TourFile file;
    if (Status s = loadTourFile(p, scenarioDir, file); !s) return s;
    all.push_back(std::move(file));
  }
  out = std::move(all);
  return Status::ok();
}

}  // namespace vilab
