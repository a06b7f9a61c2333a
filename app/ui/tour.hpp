#pragma once
// The guided-tour player: a chooser (G, or Help > Guided tours), then one step at a time: it sets
// the step's scenario, runs the optimiser to the step's iteration without blocking a frame
// ("running to iteration N…"), pauses, and draws a callout with the step's text, framing the view
// the step names and pointing at it. PageDown / PageUp (what presentation clickers send) go to
// the next / previous step, Escape ends the tour. Tours come from assets/tours (tour_file.hpp).

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/io/tour_file.hpp"
#include "app/platform/keys.hpp"
#include "app/plot/plot.hpp"

namespace vilab {

class App;
struct Snapshot;

class TourPlayer {
 public:
  // Reads every <assetDir>/tours/*.json; a bad file leaves no tours and loadError() says why.
  explicit TourPlayer(std::string assetDir);

  const std::vector<TourFile>& files() const { return m_files; }
  const std::string& loadError() const { return m_loadError; }

  // G opens the chooser, PageDown / PageUp step, Escape ends the tour or closes the chooser.
  // `typing`: a text field has the keyboard (G then types).
  void handleKeys(App& app, const std::vector<keys::Press>& presses, bool typing);
  // The items of Help > Guided tours (one submenu per lab).
  void helpMenu(App& app);
  // Moves the current step's run along; call once per frame before the views are drawn.
  void update(App& app);
  // The chooser and the callout; call after the views are drawn (it reads plot::lastRect).
  void draw(App& app);

  // Starts tour `tour` (from 0) of `lab` at step `step` (from 0); the error names what is missing.
  Status start(App& app, const std::string& lab, std::size_t tour, std::size_t step = 0);
  void next(App& app);
  void previous(App& app);
  void end();
  void openChooser() { m_chooserOpen = true; }

  bool active() const { return m_tour != nullptr; }
  // Escape would end the tour or close the chooser.
  bool takesEscape() const { return active() || m_chooserOpen; }
  // The current step reached its iteration (its run is paused there).
  bool ready() const { return active() && m_phase == Phase::Ready; }
  std::size_t stepIndex() const { return m_step; }
  const TourStep* step() const { return active() ? &m_tour->steps[m_step] : nullptr; }
  // Where the last frame drew the callout and whether it found its view (tests).
  std::optional<plot::ScreenRect> calloutRect() const { return m_calloutRect; }
  bool viewFound() const { return m_viewFound; }
  // The step's view is on a hidden tab and the tour is selecting the lab's tabs in turn.
  bool seeking() const { return ready() && !m_viewFound && m_seekTries > 0; }

 private:
  enum class Phase { Idle, Start, Apply, WaitApplied, RunTo, Ready, Failed };
  void goTo(App& app, std::size_t step);
  void issueRun(App& app, std::int64_t from);
  void chooser(App& app);
  void callout(App& app);

  std::string m_assetDir, m_scenarioDir;
  std::vector<TourFile> m_files;
  std::string m_loadError;
  bool m_chooserOpen = false;

  const TourFile* m_file = nullptr;
  const Tour* m_tour = nullptr;
  std::size_t m_tourIndex = 0, m_step = 0;
  StepPlan m_plan;
  std::size_t m_leg = 0;
  Phase m_phase = Phase::Idle;
  std::int64_t m_target = 0;
  std::shared_ptr<std::atomic<long long>> m_applied;  // the worker's iteration once apply ran
  const void* m_runner = nullptr;                     // the run this tour started
  std::shared_ptr<const Snapshot> m_issuedAt;         // the snapshot when the steps were sent
  std::uint64_t m_readyVersion = 0;                   // the scenario version when the step was ready
  std::string m_failure;
  std::optional<plot::ScreenRect> m_calloutRect;
  ImVec2 m_calloutSize{0, 0};
  bool m_viewFound = false;
  int m_seekTries = 0;  // tabs selected in turn for this step's view (see ui::seekHiddenView)
};

}  // namespace vilab
