#pragma once
// A lab panel: draws one model's views from its newest snapshot and emits commands; it owns no
// optimiser state. One file per model (gaussian_lab.cpp, ...), listed in lab_registry.cpp.

#include <imgui.h>

#include <functional>
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
  // Sets one scenario field from its text as if typed in the controls (a lab's own edit, such as
  // the custom target's bumps dragged on its view): the controls show it, and once the scenario
  // validates it goes to the runner. Returns why the text was refused. Unset (tests, exports): a
  // lab sends its edited copy of `scenario` to the runner itself.
  std::function<Status(std::string_view key, std::string_view text)> setField;
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
