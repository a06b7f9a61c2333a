#include "app/ui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "app/export/atomic_file.hpp"
#include "app/export/png.hpp"
#include "app/export/trace_csv.hpp"
#include "app/io/scenario_file.hpp"
#include "app/platform/keys.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "app/ui/tour.hpp"
#include "app/ui/timeline.hpp"
#include "app/ui/widgets.hpp"
#include "core/data/csv.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

const std::vector<ModelInfo>& modelInfos() {
  static const std::vector<ModelInfo> infos = [] {
    std::vector<ModelInfo> out;
    for (const auto& name : modelNames()) out.push_back(makeModel(name)->info());
    return out;
  }();
  return infos;
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

}  // namespace

App::App(AppConfig config, TextureStore& textures)
    : m_textures(textures),
      m_assetDir(std::move(config.assetDir)),
      m_screenshotFolder(std::move(config.screenshotFolder)),
      m_scale(config.uiScale),
      m_presentation(config.presentation),
      m_figures(textures),
      m_tours(std::make_unique<TourPlayer>(m_assetDir)) {
  ui::enableKeyboardNavigation();
  m_equations.setOpen(config.showEquations);
  // Comparing from the start: A waits for B, and the pair plays in lockstep.
  const bool comparing = config.compareModel && config.compareScenario;
  start(std::move(config.model), std::move(config.scenario), config.play && !comparing, std::move(config.dataNote));
  if (comparing) {
    m_compare.start(*m_runner, std::move(config.compareModel), std::move(config.compareScenario));
    if (config.play) m_compare.lockstep()->play();
  }
  // Shipped scenarios: File > Open lists each with its one-line description.
  std::error_code ec;
  const auto folder = std::filesystem::path(m_assetDir) / "scenarios";
  for (auto it = std::filesystem::directory_iterator(folder, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    ScenarioFile file;
    if (loadScenarioFile(it->path().string(), file))
      m_shipped.push_back({it->path().string(), file.model, file.description});
  }
  std::sort(m_shipped.begin(), m_shipped.end(),
            [](const Shipped& a, const Shipped& b) { return a.model + a.path < b.model + b.path; });
}

App::~App() {
  if (m_compare.active()) m_compare.stop(*m_runner);  // B's lockstep watches A's runner
}

void App::toggleCompare() {
  if (m_compare.active()) {
    m_compare.stop(*m_runner);
    toast("compare off: A runs alone");
    return;
  }
  m_compare.start(*m_runner, m_modelName);
  toast("compare on: B is a copy of A (same state and seed); change B's settings in its tab");
}

CompareSideA App::compareSide() {
  return {*m_runner, *m_scenario, m_scenarioErrors, m_state, *m_lab, m_textures, labFieldSetter()};
}

void App::start(std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario, bool play,
                std::string dataNote) {
  if (m_compare.active()) m_compare.stop(*m_runner);
  m_runner.reset();  // joins the old worker first
  m_modelName = model->info().name;
  m_lab = makeLab(m_modelName);
  m_scenario = scenario->clone();
  m_scenarioErrors.clear();
  m_adoptions = 0;
  m_runner = std::make_unique<Runner>(std::move(model), std::move(scenario), play, std::move(dataNote));
  m_state = m_runner->state();
}

Status App::switchModel(const std::string& name) {
  auto model = makeModel(name);
  if (!model) return Status::error("unknown model '" + name + "'");
  auto scenario = model->defaultScenario();
  if (Status s = model->reset(*scenario); !s) return s;
  start(std::move(model), std::move(scenario), true);
  return Status::ok();
}

Status App::openScenario(const std::string& path) {
  ScenarioFile file;
  if (Status s = loadScenarioFile(path, file); !s) return s;
  const std::string name = file.model.empty() ? m_modelName : file.model;
  auto model = makeModel(name);
  if (!model) return Status::error("scenario file '" + path + "' names an unknown model '" + name + "'");
  auto scenario = model->defaultScenario();
  if (Status s = applyScenarioValues(file.values, scenario); !s) return Status::error(path + ": " + s.message());
  std::string dataNote;
  if (!file.dataFile.empty()) {  // the scenario's own data, as --data would load them
    CsvData data;
    if (Status s = loadCsv(file.dataFile, data); !s) return Status::error(path + ": " + s.message());
    if (Status s = model->setDataTable(data); !s) return Status::error(path + ": " + s.message());
    model->adaptScenario(*scenario);
    dataNote = data.note;
  }
  if (const auto errors = validate(*scenario); !errors.empty()) return Status::error(path + ": " + errors.front());
  if (Status s = model->reset(*scenario); !s) return Status::error(path + ": " + s.message());
  start(std::move(model), std::move(scenario), true, std::move(dataNote));
  toast("opened " + path + (file.description.empty() ? "" : ": " + file.description));
  return Status::ok();
}

void App::startRun(std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario, std::string dataNote) {
  start(std::move(model), std::move(scenario), false, std::move(dataNote));
}

void App::applyScenario(std::unique_ptr<Scenario> scenario) {
  m_scenario = scenario->clone();
  m_scenarioErrors.clear();
  m_runner->apply(std::move(scenario));
}

bool App::takeScreenshotRequest(std::string& path) {
  if (!m_screenshotRequested) return false;
  m_screenshotRequested = false;
  path = nextScreenshotPath(m_screenshotFolder);
  return true;
}

void App::screenshotDone(const std::string& path, const Status& status) {
  if (status) toast("screenshot saved: " + std::filesystem::absolute(path).lexically_normal().string());
  else toast(status.message(), true);
}

bool App::takeScaleChange(float& scale) {
  if (!m_scaleChanged) return false;
  m_scaleChanged = false;
  scale = m_presentation.styleScale(m_scale);
  return true;
}

void App::togglePresentation() {
  m_presentation.set(!m_presentation.on());
  m_scaleChanged = true;
}

void App::toggleTheme() {
  ui::setTheme(ui::theme() == ui::Theme::Dark ? ui::Theme::Light : ui::Theme::Dark);
  m_scaleChanged = true;  // the main loop rebuilds the style in the new colours
}

std::function<Status(std::string_view, std::string_view)> App::labFieldSetter() {
  return [this](std::string_view key, std::string_view text) {
    // Edited in place: the lab holds a reference to *m_scenario while it draws.
    Status status = setFieldFromText(*m_scenario, key, text);
    if (!status) return status;
    m_scenarioErrors = validate(*m_scenario);
    if (m_scenarioErrors.empty()) m_runner->apply(m_scenario->clone());
    return status;
  };
}

void App::toast(std::string message, bool error) {
  m_toast = std::move(message);
  m_toastError = error;
  m_toastUntil = ImGui::GetTime() + (error ? 10.0 : 6.0);
}

bool App::wantsFrame() const {
  const Runner::State now = m_runner->state();
  if (now.snapshot != m_state.snapshot || now.playing != m_state.playing || now.problem != m_state.problem ||
      now.scenarioVersion != m_state.scenarioVersion || now.scenarioAdoptions != m_adoptions)
    return true;
  // A tour step still running to its iteration, or looking for its view among the tabs.
  if (m_tours->active() && (!m_tours->ready() || m_tours->seeking())) return true;
  return m_figures.recording() || (m_toastShown && ImGui::GetTime() >= m_toastUntil) || m_compare.wantsFrame();
}

void App::frame(const FrameInput& input) {
  // Tours first: a step may start a new run, whose state the rest of the frame then draws.
  // Escape closes one thing a press: the help window, then the tour, then presentation mode.
  m_tourTookEscape = !m_showHelp && m_tours->takesEscape();
  std::vector<keys::Press> tourKeys = input.keys;
  if (!m_tourTookEscape) std::erase_if(tourKeys, [](const keys::Press& p) { return p.key == keys::kEscape; });
  m_tours->handleKeys(*this, tourKeys, ImGui::GetIO().WantTextInput || m_dialog.isOpen());
  m_tours->update(*this);
  m_state = m_runner->state();
  if (m_state.scenarioAdoptions != m_adoptions && m_state.scenario) {
    // The runner changed the settings itself (revert, a data file's dimension): show them.
    m_scenario = m_state.scenario->clone();
    m_scenarioErrors.clear();
    m_adoptions = m_state.scenarioAdoptions;
  }
  if (m_compare.active() && m_lab) {
    m_compare.tick(ImGui::GetIO().DeltaTime, m_state);
    if (std::string notice = m_compare.takeNotice(); !notice.empty()) toast(notice);
  }
  std::vector<keys::Press> presses = input.keys;
  ui::routePlotKeys(presses);  // arrows and +/- for a plot with focus
  shortcuts(presses);
  m_presentation.applyLineScale();
  const bool presenting = m_presentation.on();

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoResize | (presenting ? 0 : ImGuiWindowFlags_MenuBar) |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBackground;  // the window's clear colour
  ImGui::Begin("VI Lab###main", nullptr, flags);
  if (!presenting) menuBar();
  const float font = ImGui::GetFontSize();
  const float statusH = presenting ? ImGui::GetTextLineHeightWithSpacing() : ImGui::GetFrameHeightWithSpacing();
  const float panelW = std::clamp(font * 22.0f, 240.0f, viewport->WorkSize.x * 0.34f);

  if (!presenting) {  // presentation mode: the views take the whole window
    // The keyboard starts in the control panel: ↓ reaches the first control at once.
    if (std::exchange(m_focusControls, false)) ImGui::SetNextWindowFocus();
    ImGui::BeginChild("controls", ImVec2(panelW, -statusH), true);
    controlPanel();
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginGroup();  // the views with the timeline under them
  // The timeline follows A alone; while comparing, the lockstep owns both runs, so it hides.
  const bool timeline = !m_compare.active();
  ImGui::BeginChild("views", ImVec2(0, -statusH - (timeline ? ui::timelineHeight() : 0.0f)), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (!m_state.problem.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Error));
    ImGui::TextWrapped("⚠ %s", m_state.problem.c_str());
    ImGui::PopStyleColor();
    if (m_state.revertIteration >= 0) {
      const std::string label = "Revert to iteration " + std::to_string(m_state.revertIteration);
      if (ImGui::Button(label.c_str())) m_runner->revert();
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Go back to the last state whose numbers were all finite, with the settings it had");
      ImGui::SameLine();
    }
    if (ImGui::Button("Reset the run")) m_runner->reset();
    ImGui::SameLine();
    ImGui::TextDisabled("(or change a setting and press Play)");
  }
  m_figures.beforeViews(m_state.snapshot ? static_cast<long long>(m_state.snapshot->iteration) : 0,
                        ImGui::GetTime());
  if (m_state.snapshot && m_lab) {
    LabContext context{*m_runner, *m_scenario, m_textures, labFieldSetter()};
    plot::setEmphasis(m_equations.emphasis(m_state.snapshot.get()));
    if (CompareSideA side = compareSide(); m_compare.active()) m_compare.drawViews(side);
    else m_lab->drawViews(*m_state.snapshot, context);
    plot::setEmphasis("");
  }
  bool figureError = false;
  if (std::string message = m_figures.afterViews(m_modelName, m_screenshotFolder, figureError); !message.empty())
    toast(message, figureError);
  ImGui::EndChild();
  if (timeline) ui::drawTimeline(m_state, *m_runner);
  ImGui::EndGroup();
  statusBar(input);
  ImGui::End();

  m_dialog.draw();
  m_equations.draw(m_state.snapshot.get(), m_compare.active() ? "run A (the left column)" : "");
  helpWindow();
  m_tours->draw(*this);  // the chooser and the step's callout, over the views it points at
  ui::routeNavigationKeys();  // which arrows ImGui's navigation sees next frame
}

void App::shortcuts(const std::vector<keys::Press>& presses) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || m_dialog.isOpen()) return;
  const auto rescale = [this](float factor) {
    m_scale = std::clamp(m_scale * factor, ui::kMinScale, ui::kMaxScale);
    m_scaleChanged = true;
  };
  for (const keys::Press& p : m_compare.active() ? m_compare.shortcuts(presses) : presses) {
    if (p.ctrl) {
      if (p.key == keys::letter('q')) m_quit = true;
      if (p.key == keys::letter('o'))
        m_dialog.open("Open scenario", m_assetDir + "/scenarios/", ".json", false,
                      [this](const std::string& path) { return openScenario(path); });
      if (p.key == keys::letter('s'))
        m_dialog.open("Save scenario", "scenario.json", ".json", true,
                      [this](const std::string& path) { return saveScenarioFile(path, *m_scenario); });
      if (p.key == keys::kEqual || p.key == keys::kKeypadAdd) rescale(1.15f);
      if (p.key == keys::kMinus || p.key == keys::kKeypadSubtract) rescale(1.0f / 1.15f);
      continue;
    }
    // While the keyboard moves through the controls, Space and → act on the focused control.
    const bool navigating = ui::navigating();
    if (p.key == keys::kSpace && !navigating) {
      m_state.playing ? m_runner->pause() : m_runner->play();
      m_state.playing = !m_state.playing;
    }
    if (p.key == keys::letter('s') || (p.key == keys::kRight && !navigating)) m_runner->step(p.shift ? 10 : 1);
    if (p.key == keys::letter('r')) m_runner->reset();
    if (!m_compare.active()) ui::timelineKey(p.key, m_state, *m_runner);
    if (p.key == keys::kF12) m_screenshotRequested = true;
    if (p.key == keys::kF1) m_showHelp = !m_showHelp;
    if (p.key == keys::letter('p')) togglePresentation();
    if (p.key == keys::letter('t')) toggleTheme();
    // Escape closes one thing a press: help, then the tour (above), the equations, presentation.
    if (p.key == keys::kEscape && !m_tourTookEscape) {
      if (m_showHelp) m_showHelp = false;
      else if (m_equations.isOpen()) m_equations.toggle();
      else if (m_presentation.on()) togglePresentation();
    }
    if (p.key == keys::letter('e')) m_equations.toggle();
    if (p.key == keys::letter('c')) toggleCompare();
  }
}

void App::menuBar() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::BeginMenu("Open scenario")) {
      std::string lastModel;
      for (const auto& s : m_shipped) {
        if (s.model != lastModel) {
          if (!lastModel.empty()) ImGui::Separator();
          ImGui::TextDisabled("%s", s.model.c_str());
          lastModel = s.model;
        }
        const std::string label = (s.description.empty() ? s.path : s.description) + "##" + s.path;
        if (ImGui::MenuItem(label.c_str()))
          if (Status st = openScenario(s.path); !st) toast(st.message(), true);
        tooltip(s.path.c_str());
      }
      ImGui::Separator();
      if (ImGui::MenuItem("Open file…", "Ctrl+O"))
        m_dialog.open("Open scenario", m_assetDir + "/scenarios/", ".json", false,
                      [this](const std::string& p) { return openScenario(p); });
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Save scenario…", "Ctrl+S"))
      m_dialog.open("Save scenario", "scenario.json", ".json", true,
                    [this](const std::string& p) { return saveScenarioFile(p, *m_scenario); });
    ImGui::Separator();
    if (ImGui::MenuItem("Load data CSV…"))
      m_dialog.open("Load data (CSV: one observation per row)", "./", ".csv", false, [this](const std::string& p) {
        CsvData data;
        if (Status s = loadCsv(p, data); !s) return s;
        m_runner->setData(std::move(data));
        return Status::ok();
      });
    if (ImGui::MenuItem("Use generated data")) m_runner->setData(Eigen::MatrixXd(), "");
    ImGui::Separator();
    if (ImGui::MenuItem("Save screenshot", "F12")) m_screenshotRequested = true;
    m_figures.exportMenu();
    if (ImGui::MenuItem("Output folder (screenshots, figures)…"))
      m_dialog.open("Output folder", m_screenshotFolder + "/", ".png", true, [this](const std::string& p) {
        std::error_code ec;
        if (!std::filesystem::is_directory(p, ec)) return Status::error("'" + p + "' is not a folder");
        m_screenshotFolder = p;
        toast("screenshots and figures go to " + std::filesystem::absolute(p).string());
        return Status::ok();
      });
    if (ImGui::MenuItem("Export trace CSV…"))
      m_dialog.open("Export trace CSV", "trace.csv", ".csv", true, [this](const std::string& p) {
        if (!m_state.snapshot) return Status::error("no trace yet");
        if (Status s = writeFileAtomically(p, traceToCsv(m_state.snapshot->trace)); !s) return s;
        toast("trace saved: " + p);
        return Status::ok();
      });
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) m_quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Larger text", "Ctrl+=")) m_scale = std::min(m_scale * 1.15f, ui::kMaxScale), m_scaleChanged = true;
    if (ImGui::MenuItem("Smaller text", "Ctrl+-")) m_scale = std::max(m_scale / 1.15f, ui::kMinScale), m_scaleChanged = true;
    float scale = m_scale;
    if (ImGui::SliderFloat("UI scale", &scale, ui::kMinScale, ui::kMaxScale, "%.2f")) m_scale = scale;
    if (ImGui::IsItemDeactivatedAfterEdit()) m_scaleChanged = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Presentation mode", "P", m_presentation.on())) togglePresentation();
    tooltip("Controls hidden, views over the whole window, large type, thick lines; P or Escape leaves it");
    if (ImGui::MenuItem("Dark theme", "T", ui::theme() == ui::Theme::Dark)) toggleTheme();
    tooltip("Light (high contrast, for projectors) or dark; figure files keep the light look");
    if (ImGui::MenuItem("Live equations", "E", m_equations.isOpen())) m_equations.toggle();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("The update the next step applies, typeset, with this iteration's numbers "
                        "and its result; the series it changes is drawn thicker in the views");
    if (ImGui::MenuItem("Compare A/B", "C", m_compare.active())) toggleCompare();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("A second run B of this lab beside A, stepped together from the same state and seed");
    m_compare.viewMenu();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Tour and shortcuts", "F1")) m_showHelp = true;
    m_tours->helpMenu(*this);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void App::controlPanel() {
  const auto& infos = modelInfos();
  const auto current = std::find_if(infos.begin(), infos.end(), [&](const ModelInfo& i) { return i.name == m_modelName; });
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##lab", current == infos.end() ? m_modelName.c_str() : current->title.c_str())) {
    for (const auto& info : infos) {
      if (ImGui::Selectable(info.title.c_str(), info.name == m_modelName) && info.name != m_modelName)
        if (Status s = switchModel(info.name); !s) toast(s.message(), true);
      tooltip(info.summary.c_str());
    }
    ImGui::EndCombo();
  }
  if (current != infos.end()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Muted));
    ImGui::TextWrapped("%s", current->summary.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
  if (m_compare.active() && m_lab) {
    CompareSideA side = compareSide();
    return m_compare.controlPanel(side);
  }

  const float font = ImGui::GetFontSize();
  if (ImGui::Button(m_state.playing ? "‖ Pause" : "▶ Play", ImVec2(font * 5.2f, 0)))
    m_state.playing ? m_runner->pause() : m_runner->play();
  tooltip("Run or pause the optimizer (Space)");
  ImGui::SameLine();
  if (ImGui::Button("Step")) m_runner->step(1);
  tooltip("One iteration (S or →)");
  ImGui::SameLine();
  if (ImGui::Button("×10")) m_runner->step(10);
  tooltip("Ten iterations");
  ImGui::SameLine();
  if (ImGui::Button("Reset")) m_runner->reset();
  tooltip("Start over: new data from the seed, q back to its initial value (R)");
  // Rec on the same row when it fits there (at a projector's scale it takes the next row).
  const float recW = ImGui::CalcTextSize("■ REC 000/000").x + 2.0f * ImGui::GetStyle().FramePadding.x;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < recW) ImGui::NewLine();
  m_figures.recordButton();

  // What the loaded file holds, and the fields it decides (shown read-only below).
  if (!m_state.dataNote.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ui::textColour(ui::TextTone::Note));
    ImGui::TextWrapped("Data: %s", m_state.dataNote.c_str());
    ImGui::PopStyleColor();
    tooltip("Read from your file. File > Use generated data goes back to the lab's own data.");
  }
  const std::string decidedWhy = "Set by the loaded data file" +
                                 (m_state.dataNote.empty() ? std::string() : " (" + m_state.dataNote + ")") +
                                 ". File > Use generated data makes it editable again.";
  if (ui::editScenario(*m_scenario, m_state.dataDecidedFields, decidedWhy)) {
    m_scenarioErrors = validate(*m_scenario);
    if (m_scenarioErrors.empty()) m_runner->apply(m_scenario->clone());
  }
  for (const auto& e : m_scenarioErrors) ImGui::TextColored(ui::textColour(ui::TextTone::Error), "%s", e.c_str());

  if (m_state.snapshot && m_lab && ImGui::CollapsingHeader("Live numbers", ImGuiTreeNodeFlags_DefaultOpen)) {
    LabContext context{*m_runner, *m_scenario, m_textures, labFieldSetter()};
    m_lab->drawControls(*m_state.snapshot, context);
  }
}

void App::statusBar(const FrameInput& input) {
  const auto& snap = m_state.snapshot;
  if (m_presentation.on()) {  // one quiet line: where the run is, and the way out
    const std::string line = "iteration " + std::to_string(snap ? static_cast<long long>(snap->iteration) : 0LL) +
                             (m_state.playing ? "  ▶" : "  ‖") + "    P or Esc: leave presentation · F1: keys";
    ImGui::SetWindowFontScale(1.0f / ui::kPresentationScale);  // the usual size, not the large type
    ImGui::TextDisabled("%s", plot::fitText(line, ImGui::GetContentRegionAvail().x).c_str());
    ImGui::SetWindowFontScale(1.0f);
    return;
  }
  ImGui::Separator();
  ImGui::Text("iteration %lld", snap ? static_cast<long long>(snap->iteration) : 0LL);
  ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
  ImGui::Text("%s %.0f it/s", running() ? "▶" : "‖",
              m_compare.active() ? m_compare.iterationsPerSecond() : m_state.iterationsPerSecond);
  ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
  ImGui::Text("frame %.1f ms", input.frameMs);
  if (m_figures.recording()) {
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
    m_figures.recordingStatus();
  }
  // Then a toast (the last saved file, an error) or the model's notes, cut to the width left; the
  // whole text shows on hover.
  std::string message;
  ImVec4 colour = ui::textColour(ui::TextTone::Warning);
  m_toastShown = !m_toast.empty() && ImGui::GetTime() < m_toastUntil;
  if (m_toastShown) {
    message = m_toast;
    colour = ui::textColour(m_toastError ? ui::TextTone::Error : ui::TextTone::Ok);
  } else if (snap) {
    for (const auto& note : snap->notes) message += (message.empty() ? "" : "  ·  ") + note;
  }
  if (message.empty()) return;
  ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
  const float width = ImGui::GetContentRegionAvail().x;
  const std::string shown = plot::fitText(message, width);
  ImGui::TextColored(colour, "%s", shown.c_str());
  if (shown != message && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40.0f);
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void App::helpWindow() {
  if (!m_showHelp) return;
  const float font = ImGui::GetFontSize();
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  // As wide as 36 em allow on the screen, as tall as its content up to 90% of the window (then it
  // scrolls): the text stays inside the frame at every UI scale.
  const float width = std::min(font * 36.0f, viewport->WorkSize.x * 0.92f);
  ImGui::SetNextWindowSize(ImVec2(width, 0.0f), ImGuiCond_Always);
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0.0f), ImVec2(width, viewport->WorkSize.y * 0.9f));
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  if (ImGui::Begin("Tour and shortcuts (Esc closes)###help", &m_showHelp,
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove)) {
    ImGui::TextWrapped(
        "Pick a lab at the top left. Every setting below it applies to the running optimizer at once; "
        "hover any control for what it means and its --set key. In every view the exact answer is a "
        "solid vermillion line, the approximation q a dashed blue one, and the truth or a reference "
        "a dotted black (on dark: white) one; the colours are Okabe and Ito's, safe for colour-blind "
        "viewers. Plots: drag to pan, wheel to zoom, double-click to fit, click a legend entry to "
        "hide it; right-click a plot to copy its values or export it (SVG, PDF, PNG), File > Export "
        "views for all of them, ● Rec to record a GIF.");
    ImGui::Separator();
    const char* rows[][2] = {{"Space", "play / pause"},
                             {"S or →", "one iteration (Shift: ten)"},
                             {"R", "reset (new data from the seed)"},
                             {"P", "presentation mode: controls hidden, large type, thick lines"},
                             {"T", "light or dark theme"},
                             {"Escape", "close this window; leave presentation mode; step the keyboard's focus out of a panel"},
                             {"↑ ↓ ← →", "move the keyboard's focus through the controls (it starts in the control panel)"},
                             {"Tab", "next text or number field"},
                             {"Space or Enter", "on a focused control: press it, open it, edit it; on a panel: enter it"},
                             {"← → ↑ ↓", "over a plot (mouse) or on a focused one: pan by a tenth"},
                             {"+ / -", "over a plot or on a focused one: zoom in / out"},
                             {"[ / ]", "timeline: previous / next kept checkpoint"},
                             {"B", "timeline: branch from the shown checkpoint"},
                             {"G", "guided tours"},
                             {"PageDown / PageUp", "next / previous tour step (Escape ends the tour)"},
                             {"E", "live equations: the next update with this iteration's numbers"},
                             {"C", "compare A/B: a second run in lockstep"},
                             {"F12", "screenshot of the window"},
                             {"Ctrl+O / Ctrl+S", "open / save a scenario"},
                             {"Ctrl+= / Ctrl+-", "larger / smaller UI"},
                             {"F1", "this window"},
                             {"Ctrl+Q", "quit"}};
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingFixedFit)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
      for (const auto& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r[0]);
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", r[1]);
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

}  // namespace vilab
