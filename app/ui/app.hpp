#pragma once
// The application window's contents: menu bar, control panel (lab picker, run controls, every
// scenario field), the lab's views, and the status bar. It sends commands to the Runner and draws
// the newest snapshot; the main loop (or a test) calls frame() once per frame.

#include <memory>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/platform/keys.hpp"
#include "app/ui/equation_panel.hpp"
#include "app/ui/compare.hpp"
#include "app/ui/figure_actions.hpp"
#include "app/ui/path_dialog.hpp"
#include "app/ui/presentation.hpp"
#include "core/model.hpp"
#include "core/runner.hpp"

namespace vilab {

class TourPlayer;

struct AppConfig {
  std::unique_ptr<Model> model;        // already reset with `scenario`
  std::unique_ptr<Scenario> scenario;
  bool play = true;
  std::string assetDir;                // shipped scenarios live in <assetDir>/scenarios
  std::string screenshotFolder = ".";
  float uiScale = 1.0f;
  std::string dataNote;                // the CSV reader's note when `model` holds user data
  bool presentation = false;           // start in presentation mode (--presentation)
  bool showEquations = false;          // open the live-equations panel (--show equations)
  // A/B comparison from the start (--compare with --screenshot): B's model, at A's iteration.
  std::unique_ptr<Model> compareModel;
  std::unique_ptr<Scenario> compareScenario;
};

// What the main loop hands to a frame: the last frame's time and the keys pressed since.
struct FrameInput {
  double frameMs = 0.0;
  std::vector<keys::Press> keys;
};

class App {
 public:
  App(AppConfig config, TextureStore& textures);
  ~App();

  void frame(const FrameInput& input);

  // Requests for the main loop, served after the frame is rendered.
  bool takeScreenshotRequest(std::string& path);
  void screenshotDone(const std::string& path, const Status& status);
  bool quitRequested() const { return m_quit; }
  // True when the next frame would differ from the last one without any input: the worker
  // published a new snapshot, the run's state or problem changed, a recording is taking frames,
  // or a status message timed out. The paused main loop sleeps on events and draws only then.
  bool wantsFrame() const;
  // The scale to rebuild the style at (the UI scale, larger in presentation mode), when it or
  // the theme changed since the last call.
  bool takeScaleChange(float& scale);
  bool presentationMode() const { return m_presentation.on(); }
  bool helpOpen() const { return m_showHelp; }

  Runner& runner() { return *m_runner; }
  const ui::EquationPanel& equations() const { return m_equations; }
  // True while the optimizer runs: A alone, or A and B in lockstep.
  bool running() const { return m_runner->state().playing || m_compare.playing(); }
  Compare& compare() { return m_compare; }
  std::shared_ptr<const Snapshot> snapshot() const { return m_state.snapshot; }
  const std::string& model() const { return m_modelName; }

  struct Shipped {
    std::string path, model, description;
  };
  const std::vector<Shipped>& shippedScenarios() const { return m_shipped; }
  // Opens a scenario file (switching lab if it names another model); the error, or ok.
  Status openScenario(const std::string& path);

  // For guided tours (app/ui/tour.hpp): a new run, paused, of `model` (already reset with
  // `scenario`), switching lab if need be; and a changed scenario for the running optimiser, shown
  // in the controls, as editing a field does.
  void startRun(std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario, std::string dataNote);
  void applyScenario(std::unique_ptr<Scenario> scenario);
  const Scenario& scenario() const { return *m_scenario; }
  TourPlayer& tours() { return *m_tours; }

 private:
  void start(std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario, bool play,
             std::string dataNote = "");
  Status switchModel(const std::string& name);
  void shortcuts(const std::vector<keys::Press>& presses);
  void menuBar();
  void controlPanel();
  void statusBar(const FrameInput& input);
  void helpWindow();
  void togglePresentation();
  void toggleTheme();
  void toast(std::string message, bool error = false);
  void toggleCompare();
  CompareSideA compareSide();
  // LabContext::setField for the lab: edits the scenario the controls show and applies it.
  std::function<Status(std::string_view, std::string_view)> labFieldSetter();

  TextureStore& m_textures;
  std::string m_assetDir;
  std::string m_modelName;
  std::unique_ptr<Runner> m_runner;
  std::unique_ptr<Scenario> m_scenario;  // what the controls show and edit
  std::unique_ptr<Lab> m_lab;
  Runner::State m_state;
  std::vector<std::string> m_scenarioErrors;
  std::uint64_t m_adoptions = 0;  // the runner's scenario changes this UI has taken over
  std::vector<Shipped> m_shipped;
  ui::PathDialog m_dialog;
  std::string m_screenshotFolder;
  std::string m_dataSource;
  bool m_screenshotRequested = false;
  bool m_quit = false;
  bool m_tourTookEscape = false;  // this frame's Escape went to the tour
  bool m_showHelp = false;
  float m_scale = 1.0f;
  bool m_scaleChanged = false;
  ui::Presentation m_presentation;
  bool m_focusControls = true;  // the first frame gives the control panel the keyboard's focus
  ui::EquationPanel m_equations;  // key E
  FigureActions m_figures;  // plot menus, File > Export views, the record button
  std::string m_toast;
  bool m_toastError = false;
  double m_toastUntil = 0.0;
  bool m_toastShown = false;  // the last frame showed the status message
  std::unique_ptr<TourPlayer> m_tours;  // G, PageDown/PageUp, Help > Guided tours
  Compare m_compare;          // A/B lockstep (key C); B's runner lives here
};

}  // namespace vilab
