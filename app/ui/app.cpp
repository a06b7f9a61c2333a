#include "app/ui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app/export/atomic_file.hpp"
#include "app/export/png.hpp"
#include "app/export/trace_csv.hpp"
#include "app/io/scenario_file.hpp"
#include "app/platform/keys.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
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
      m_figures(textures),
      m_assetDir(std::move(config.assetDir)),
      m_screenshotFolder(std::move(config.screenshotFolder)),
      m_scale(config.uiScale) {
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
  scale = m_scale;
  return true;
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
  return m_figures.recording() || (m_toastShown && ImGui::GetTime() >= m_toastUntil) || m_compare.wantsFrame();
}

void App::frame(const FrameInput& input) {
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
  shortcuts(input.keys);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBackground;  // the window's clear colour
  ImGui::Begin("VI Lab###main", nullptr, flags);
  menuBar();
  const float font = ImGui::GetFontSize();
  const float statusH = ImGui::GetFrameHeightWithSpacing();
  const float panelW = std::clamp(font * 22.0f, 240.0f, viewport->WorkSize.x * 0.34f);

  ImGui::BeginChild("controls", ImVec2(panelW, -statusH), true);
  controlPanel();
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("views", ImVec2(0, -statusH), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (!m_state.problem.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.05f, 0.05f, 1.0f));
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
    if (CompareSideA side = compareSide(); m_compare.active()) m_compare.drawViews(side);
    else m_lab->drawViews(*m_state.snapshot, context);
  }
  bool figureError = false;
  if (std::string message = m_figures.afterViews(m_modelName, m_screenshotFolder, figureError); !message.empty())
    toast(message, figureError);
  ImGui::EndChild();
  statusBar(input);
  ImGui::End();

  m_dialog.draw();
  helpWindow();
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
    if (p.key == keys::kSpace) {
      m_state.playing ? m_runner->pause() : m_runner->play();
      m_state.playing = !m_state.playing;
    }
    if (p.key == keys::letter('s') || p.key == keys::kRight) m_runner->step(p.shift ? 10 : 1);
    if (p.key == keys::letter('r')) m_runner->reset();
    if (p.key == keys::kF12) m_screenshotRequested = true;
    if (p.key == keys::kF1) m_showHelp = !m_showHelp;
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
    if (ImGui::MenuItem("Compare A/B", "C", m_compare.active())) toggleCompare();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("A second run B of this lab beside A, stepped together from the same state and seed");
    m_compare.viewMenu();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Tour and shortcuts", "F1")) m_showHelp = true;
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
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.35f, 0.35f, 0.35f, 1.0f));
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
  ImGui::SameLine();
  m_figures.recordButton();

  // What the loaded file holds, and the fields it decides (shown read-only below).
  if (!m_state.dataNote.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.1f, 0.3f, 0.55f, 1.0f));
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
  for (const auto& e : m_scenarioErrors) ImGui::TextColored(ImVec4(0.75f, 0.05f, 0.05f, 1.0f), "%s", e.c_str());

  if (m_state.snapshot && m_lab && ImGui::CollapsingHeader("Live numbers", ImGuiTreeNodeFlags_DefaultOpen)) {
    LabContext context{*m_runner, *m_scenario, m_textures, labFieldSetter()};
    m_lab->drawControls(*m_state.snapshot, context);
  }
}

void App::statusBar(const FrameInput& input) {
  ImGui::Separator();
  const auto& snap = m_state.snapshot;
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
  ImVec4 colour(0.6f, 0.35f, 0.0f, 1.0f);
  m_toastShown = !m_toast.empty() && ImGui::GetTime() < m_toastUntil;
  if (m_toastShown) {
    message = m_toast;
    colour = m_toastError ? ImVec4(0.75f, 0.05f, 0.05f, 1) : ImVec4(0.1f, 0.45f, 0.1f, 1);
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
  ImGui::SetNextWindowSize(ImVec2(font * 34, font * 26), ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::Begin("Tour and shortcuts", &m_showHelp)) {
    ImGui::TextWrapped(
        "Pick a lab at the top left. Every setting below it applies to the running optimizer at once; "
        "hover any control for what it means and its --set key. Red is the exact answer, blue the "
        "approximation q. Plots: drag to pan, wheel to zoom, double-click to fit, click a legend "
        "entry to hide it; right-click a plot to copy its values or export it (SVG, PDF, PNG), "
        "File > Export views for all of them, ● Rec to record a GIF.");
    ImGui::Separator();
    const char* rows[][2] = {{"Space", "play / pause"},         {"S or →", "one iteration (Shift: ten)"},
                             {"R", "reset (new data from the seed)"}, {"F12", "screenshot of the window"},
                             {"Ctrl+O / Ctrl+S", "open / save a scenario"}, {"Ctrl+= / Ctrl+-", "larger / smaller UI"},
                             {"F1", "this window"},            {"C", "compare A/B: a second run in lockstep"},            {"Ctrl+Q", "quit"}};
    if (ImGui::BeginTable("keys", 2)) {
      for (const auto& r : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r[0]);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r[1]);
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

}  // namespace vilab
