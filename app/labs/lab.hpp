#pragma once
// A lab panel: draws one model's views from its newest snapshot and emits commands; it owns no
// optimiser state. One file per model (gaussian_lab.cpp, ...), listed in lab_registry.cpp.

#include <imgui.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/platform/textures.hpp"
#include "core/runner.hpp"
#include "core/scenario.hpp"
#include "core/snapshot.hpp"

namespace vilab {

// What a panel may use while drawing: the runner (to send commands), the scenario as the UI
// currently shows it, and the platform's textures.
struct LabContext {
  Runner& runner;
  const Scenario& scenario;
  TextureStore& textures;
};

class Lab {
 public:
  virtual ~Lab() = default;

  // Fills the current region (the right-hand side of the window) with the lab's views.
  virtual void drawViews(const Snapshot& snapshot, LabContext& context) = 0;
  // Extra read-outs or controls under the scenario fields (live numbers, buttons).
  virtual void drawControls(const Snapshot&, LabContext&) {}
  // The fitted parameters for --params-out.
  virtual nlohmann::ordered_json params(const Snapshot& snapshot) const = 0;
  // Extra key=value pairs for the headless summary line (e.g. " samples_per_s=1234").
  virtual std::string summaryExtras(const Snapshot&, double /*seconds*/) const { return ""; }
};

// The panel for a model name, or nullptr.
std::unique_ptr<Lab> makeLab(std::string_view model);

}  // namespace vilab
