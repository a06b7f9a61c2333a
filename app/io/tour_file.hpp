#pragma once
// Guided-tour files (assets/tours/<lab>.json): for one lab, a list of tours; a tour is a list of
// steps, each of which sets a scenario, runs to an iteration, pauses, and points at one view with
// a sentence or two. The format:
//
//   {"lab": "gmm",
//    "tours": [{"title": "…", "steps": [
//       {"scenario": "gmm-unused-components-die.json",   // a shipped scenario, or "default"
//        "set": {"prior.alpha0": 1},                      // optional field overrides
//        "iteration": 40,                                 // run to this iteration, then pause
//        "view": "gmm weights",                           // a plot's key (see knownViews)
//        "text": "…"},
//       {"iteration": 80, "view": "gmm curves", "text": "…"}]}]}
//
// A step with "scenario" starts a new run; a step without one continues the previous step's run
// (applying its "set" to the running optimiser) unless it says "restart": true. A continuing
// step's iteration is at least the previous step's.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace vilab {

struct TourStep {
  std::string scenario;                            // file name in <assets>/scenarios, "default", or empty
  nlohmann::json set = nlohmann::json::object();   // dotted key -> scalar
  bool restart = false;                            // a new run (true when `scenario` is given)
  std::int64_t iteration = 0;                      // run to it, then pause
  std::string view;                                // plot key, as plot::lastRect takes it
  std::string text;
};

struct Tour {
  std::string title;
  std::vector<TourStep> steps;
};

struct TourFile {
  std::string path;
  std::string lab;
  std::vector<Tour> tours;
};

inline constexpr std::int64_t kMaxTourIteration = 1000000;
inline constexpr std::size_t kMaxTourText = 600;  // characters of UTF-8 per step

// The plots a lab draws that a step may point at: their keys (the text after "###" in a plot's
// title, or its title; a panel's title before "##"). Empty for an unknown lab.
const std::vector<std::string>& knownViews(std::string_view lab);

// Parses a tour file's text. `scenarioDir` holds the shipped scenarios a step may name. Every
// error names `path`, the tour and step numbers (from 1), the field and its allowed values; each
// step's scenario is built (file, then every "set" so far) and validated against the lab.
Status parseTourJson(std::string_view text, const std::string& path, const std::string& scenarioDir,
                     TourFile& out);
Status loadTourFile(const std::string& path, const std::string& scenarioDir, TourFile& out);
// Every <assetDir>/tours/*.json, sorted by lab; the first error stops (nothing half-loaded).
Status loadAllTours(const std::string& assetDir, std::vector<TourFile>& out);

// How to reach step `index` of `tour` from nothing: the run starts at the last step at or before
// `index` that starts one (legs[0]: the scenario file, every "set" since that file's step, run to
// its iteration); each later step is a leg that applies its own "set" to the running optimiser
// and runs on to its iteration.
struct StepPlan {
  std::string scenarioPath;  // full path, or empty for the lab's default scenario
  struct Leg {
    nlohmann::json set = nlohmann::json::object();
    std::int64_t iteration = 0;
  };
  std::vector<Leg> legs;  // at least one
  std::size_t firstStep = 0;  // the step legs[0] belongs to
};
StepPlan planStep(const Tour& tour, std::size_t index, const std::string& scenarioDir);

// The scenario a run starts from: the lab's default, then the file at `scenarioPath` (unless
// empty), then `set`. With `model` given, the file's data (its "data_file") are loaded into it,
// the scenario adapted to them, validated, and the model reset; `dataNote` gets the reader's note.
// Errors name the file and the field.
class Model;
class Scenario;
Status buildTourScenario(const std::string& lab, const std::string& scenarioPath,
                         const nlohmann::json& set, std::unique_ptr<Scenario>& scenario,
                         std::unique_ptr<Model>* model = nullptr, std::string* dataNote = nullptr);
// Applies `set` (dotted keys, scalar values) to `scenario`; ok or the field's message.
Status applyTourSet(const nlohmann::json& set, std::unique_ptr<Scenario>& scenario);

}  // namespace vilab
