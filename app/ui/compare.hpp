#pragma once
// The A/B comparison in the GUI (key C, View > Compare A/B): a second runner B of the same lab,
// started as a copy of A (same state, same random stream), with its own scenario editor; both
// are stepped together by a Lockstep. The views show A and B in two columns or A with B's
// curves overlaid (every trace curve of both, B dashed, through plot::setComparison).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/platform/keys.hpp"
#include "app/ui/lockstep.hpp"
#include "core/model.hpp"
#include "core/runner.hpp"

namespace vilab {

// What the comparison needs of the app's run A (owned by the App).
struct CompareSideA {
  Runner& runner;
  Scenario& scenario;                 // what A's controls show and edit
  std::vector<std::string>& errors;   // A's validation messages
  const Runner::State& state;
  Lab& lab;
  TextureStore& textures;
  std::function<Status(std::string_view, std::string_view)> setField;
};

// The fields in which `a` and `b` differ, as "key = value" of `a` (idle fields left out), joined
// by ", "; empty when none differ.
std::string scenarioDifferences(const Scenario& a, const Scenario& b);

class Compare {
 public:
  enum class Layout { TwoColumns, Overlay };

  bool active() const { return m_runner != nullptr; }
  // Starts B as a copy of A's model (state and random stream: identical until a setting
  // differs), and takes over A's play state. Blocks until A's worker made the copy.
  void start(Runner& a, const std::string& modelName);
  // Starts B from a model already at A's iteration (--compare) with its scenario, paused.
  void start(Runner& a, std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario);
  // Ends the comparison; A plays on if the pair was playing.
  void stop(Runner& a);

  // Once per frame before drawing: runs the lockstep.
  void tick(double seconds, const Runner::State& a);
  // Takes Space, S/→ (Shift: ten), R while active; returns the presses it did not use.
  std::vector<keys::Press> shortcuts(const std::vector<keys::Press>& presses);
  // The control panel under the lab picker while active: run controls for both, Copy A → B,
  // the layout, and A's and B's scenario editors in tabs.
  void controlPanel(CompareSideA& a);
  // The views region: two columns (A left, B right) or A with B's curves overlaid.
  void drawViews(CompareSideA& a);
  void viewMenu();
  // "Copy A → B": B's controls and runner take A's scenario (B's fields then equal A's).
  void copyAToB(const Scenario& a);
  const Scenario* scenarioB() const { return m_scenario.get(); }
  bool playing() const { return m_lockstep && m_lockstep->playing(); }
  // Iterations per second of each run while the pair plays (0 when paused).
  double iterationsPerSecond() const { return m_lockstep ? m_lockstep->iterationsPerSecond() : 0.0; }
  bool wantsFrame() const;
  // Why the lockstep changed something (toast it); empties.
  std::string takeNotice() { return m_lockstep ? m_lockstep->takeNotice() : std::string(); }

  Layout layout() const { return m_layout; }
  void setLayout(Layout layout) { m_layout = layout; }
  Runner* runnerB() { return m_runner.get(); }
  Lockstep* lockstep() { return m_lockstep.get(); }
  const Runner::State& stateB() const { return m_state; }

 private:
  LabContext contextOfA(CompareSideA& a);
  LabContext contextOfB(CompareSideA& a);
  void applyB();
  void drawColumn(const char* id, const char* side, const std::string& heading, Lab& lab, const Snapshot& own,
                  const Snapshot* other, LabContext& context, float width, float height);

  std::unique_ptr<Runner> m_runner;  // B
  std::unique_ptr<Lockstep> m_lockstep;
  std::unique_ptr<Lab> m_lab;        // B's own panel (labs may cache per snapshot)
  std::unique_ptr<Scenario> m_scenario;  // what B's controls show and edit
  std::vector<std::string> m_errors;
  Runner::State m_state;
  std::uint64_t m_adoptions = 0;
  Layout m_layout = Layout::TwoColumns;
  std::string m_modelName;
};

}  // namespace vilab
