#include "app/ui/compare.hpp"

#include <imgui.h>

#include <algorithm>
#include <future>

#include "app/plot/plot.hpp"
#include "app/ui/widgets.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

std::int64_t iterationOf(const Snapshot* s) { return s ? s->iteration : 0; }

// One side's scenario editor: its fields (highlighted where they differ from the other side's),
// its validation errors, then its lab's live numbers. True when a valid change went to `runner`.
bool editSide(Runner& runner, Scenario& scenario, std::vector<std::string>& errors, const Runner::State& state,
              const Scenario& other, const std::string& otherName, Lab& lab, LabContext& context) {
  const std::string why = "Set by the loaded data file" +
                          (state.dataNote.empty() ? std::string() : " (" + state.dataNote + ")") + ".";
  bool applied = false;
  if (ui::editScenario(scenario, state.dataDecidedFields, why, &other, otherName)) {
    errors = validate(scenario);
    if (errors.empty()) runner.apply(scenario.clone()), applied = true;
  }
  for (const auto& e : errors) ImGui::TextColored(ImVec4(0.75f, 0.05f, 0.05f, 1.0f), "%s", e.c_str());
  if (state.snapshot && ImGui::CollapsingHeader("Live numbers", ImGuiTreeNodeFlags_DefaultOpen))
    lab.drawControls(*state.snapshot, context);
  return applied;
}

}  // namespace

std::string scenarioDifferences(const Scenario& a, const Scenario& b) {
  const std::vector<std::string> idle = a.idleFields();
  std::string out;
  for (const FieldSpec& spec : fieldSpecs(a)) {
    if (std::find(idle.begin(), idle.end(), spec.key) != idle.end()) continue;
    const auto mine = getField(a, spec.key), theirs = getField(b, spec.key);
    if (!mine || (theirs && *mine == *theirs)) continue;
    out += (out.empty() ? "" : ", ") + spec.label + " = " + formatValue(*mine);
  }
  return out;
}

void Compare::start(Runner& a, const std::string& modelName) {
  const bool wasPlaying = a.state().playing;
  a.pause();
  // B is a deep copy of A's model, made on A's worker between iterations: same data, same
  // iteration, same random stream.
  auto copy = std::make_shared<std::unique_ptr<Model>>();
  a.post([copy](Model& model) { *copy = model.clone(); });
  a.sync();
  const Runner::State state = a.state();
  std::unique_ptr<Scenario> scenario = state.scenario ? state.scenario->clone() : nullptr;
  if (!*copy || !scenario) {  // a model that cannot be copied: a fresh one, and A starts over too
    auto model = makeModel(modelName);
    if (!scenario) scenario = model->defaultScenario();
    (void)model->reset(*scenario);
    a.reset();
    *copy = std::move(model);
  }
  m_modelName = modelName;
  m_lab = makeLab(modelName);
  m_scenario = scenario->clone();
  m_errors.clear();
  m_runner = std::make_unique<Runner>(std::move(*copy), std::move(scenario), false, state.dataNote);
  m_state = m_runner->state();
  m_adoptions = m_state.scenarioAdoptions;
  m_lockstep = std::make_unique<Lockstep>(a, *m_runner);
  if (wasPlaying) m_lockstep->play();
}

void Compare::start(Runner& a, std::unique_ptr<Model> model, std::unique_ptr<Scenario> scenario) {
  m_modelName = model->info().name;
  m_lab = makeLab(m_modelName);
  m_scenario = scenario->clone();
  m_errors.clear();
  m_runner = std::make_unique<Runner>(std::move(model), std::move(scenario), false);
  m_state = m_runner->state();
  m_adoptions = m_state.scenarioAdoptions;
  m_lockstep = std::make_unique<Lockstep>(a, *m_runner);
}

void Compare::stop(Runner& a) {
  const bool play = playing();
  m_lockstep.reset();  // before the runner it watches
  m_runner.reset();
  m_lab.reset();
  m_scenario.reset();
  m_state = {};
  if (play) a.play();
}

void Compare::tick(double seconds, const Runner::State& a) {
  if (!active()) return;
  m_state = m_runner->state();
  if (m_state.scenarioAdoptions != m_adoptions && m_state.scenario) {
    m_scenario = m_state.scenario->clone();  // B's runner changed its settings (data, revert)
    m_errors.clear();
    m_adoptions = m_state.scenarioAdoptions;
  }
  // The pair goes at the pace of the stricter speed limit (0: no limit).
  double speed = 0.0;
  for (const auto& s : {a.scenario, m_state.scenario})
    if (s && s->speed > 0.0) speed = speed > 0.0 ? std::min(speed, s->speed) : s->speed;
  m_lockstep->tick(seconds, speed);
}

std::vector<keys::Press> Compare::shortcuts(const std::vector<keys::Press>& presses) {
  std::vector<keys::Press> rest;
  for (const keys::Press& p : presses) {
    if (!active() || p.ctrl) {
      rest.push_back(p);
    } else if (p.key == keys::kSpace) {
      playing() ? m_lockstep->pause() : m_lockstep->play();
    } else if (p.key == keys::letter('s') || p.key == keys::kRight) {
      m_lockstep->step(p.shift ? 10 : 1);
    } else if (p.key == keys::letter('r')) {
      m_lockstep->reset();
    } else {
      rest.push_back(p);
    }
  }
  return rest;
}

bool Compare::wantsFrame() const {
  if (!active()) return false;
  return playing() || m_lockstep->busy() || m_runner->state().snapshot != m_state.snapshot;
}

void Compare::viewMenu() {
  if (!active()) return;
  if (ImGui::MenuItem("A and B in two columns", nullptr, m_layout == Layout::TwoColumns)) m_layout = Layout::TwoColumns;
  if (ImGui::MenuItem("B's curves over A's views", nullptr, m_layout == Layout::Overlay)) m_layout = Layout::Overlay;
}

void Compare::copyAToB(const Scenario& a) {
  m_scenario = a.clone();
  applyB();
}

void Compare::applyB() {
  m_errors = validate(*m_scenario);
  if (!m_errors.empty()) return;
  m_runner->apply(m_scenario->clone());
  m_lockstep->applied();
}

void Compare::controlPanel(CompareSideA& a) {
  if (!active()) return;
  const float font = ImGui::GetFontSize();
  if (ImGui::Button(playing() ? "‖ Pause" : "▶ Play", ImVec2(font * 5.2f, 0)))
    playing() ? m_lockstep->pause() : m_lockstep->play();
  tooltip("Run or pause A and B together, at the same iteration (Space)");
  ImGui::SameLine();
  if (ImGui::Button("Step")) m_lockstep->step(1);
  tooltip("One iteration of A and of B (S or →)");
  ImGui::SameLine();
  if (ImGui::Button("×10")) m_lockstep->step(10);
  tooltip("Ten iterations of A and of B");
  ImGui::SameLine();
  if (ImGui::Button("Reset")) m_lockstep->reset();
  tooltip("Start A and B over, each with its own settings and the seed it has (R)");

  bool selectB = false;
  if (ImGui::Button("Copy A → B")) copyAToB(a.scenario), selectB = true;
  tooltip("B takes every setting of A; then change what you want to compare in B's tab "
          "(fields that differ from A are highlighted)");
  ImGui::SameLine();
  int layout = m_layout == Layout::TwoColumns ? 0 : 1;
  if (ImGui::RadioButton("Columns", &layout, 0)) m_layout = Layout::TwoColumns;
  tooltip("A's views on the left, B's on the right (curves of both in each)");
  ImGui::SameLine();
  if (ImGui::RadioButton("Overlay", &layout, 1)) m_layout = Layout::Overlay;
  tooltip("A's views only, with B's curves dashed over A's");

  LabContext contextA = contextOfA(a), contextB = contextOfB(a);
  if (!ImGui::BeginTabBar("compare sides")) return;
  if (ImGui::BeginTabItem("A")) {
    if (editSide(a.runner, a.scenario, a.errors, a.state, *m_scenario, "B", a.lab, contextA)) m_lockstep->applied();
    ImGui::EndTabItem();
  }
  tooltip("Run A: the settings of the run you had (solid curves)");
  if (ImGui::BeginTabItem("B", nullptr, selectB ? ImGuiTabItemFlags_SetSelected : 0)) {
    Lab& lab = m_lab ? *m_lab : a.lab;
    if (editSide(*m_runner, *m_scenario, m_errors, m_state, a.scenario, "A", lab, contextB)) m_lockstep->applied();
    ImGui::EndTabItem();
  }
  tooltip("Run B: the second run (dashed curves); highlighted fields differ from A");
  ImGui::EndTabBar();
}

// A lab's own edits (e.g. the targets lab's dragged bumps) on side A go through the lockstep's
// check; on side B they edit B's scenario and reach B's runner.
LabContext Compare::contextOfA(CompareSideA& a) {
  return {a.runner, a.scenario, a.textures, [&a, this](std::string_view k, std::string_view t) {
            Status s = a.setField(k, t);
            m_lockstep->applied();
            return s;
          }};
}

LabContext Compare::contextOfB(CompareSideA& a) {
  return {*m_runner, *m_scenario, a.textures, [this](std::string_view k, std::string_view t) {
            Status s = setFieldFromText(*m_scenario, k, t);
            if (s) applyB();
            return s;
          }};
}

void Compare::drawColumn(const char* id, const char* side, const std::string& heading, Lab& lab, const Snapshot& own,
                         const Snapshot* other, LabContext& context, float width, float height) {
  ImGui::BeginChild(id, ImVec2(width, height), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const std::string shown = plot::fitText(heading, ImGui::GetContentRegionAvail().x);
  ImGui::TextUnformatted(shown.c_str());
  if (shown != heading && ImGui::IsItemHovered()) ui::textTooltip(heading);
  const bool isA = side[0] == 'A';
  plot::setComparison(other ? &other->trace : nullptr, isA ? " (A)" : " (B)", isA ? " (B)" : " (A)");
  lab.drawViews(own, context);
  plot::setComparison(nullptr);
  ImGui::EndChild();
}

void Compare::drawViews(CompareSideA& a) {
  if (!active() || !a.state.snapshot || !m_state.snapshot) return;
  const Snapshot& snapA = *a.state.snapshot;
  const Snapshot& snapB = *m_state.snapshot;
  LabContext contextA = contextOfA(a), contextB = contextOfB(a);
  const auto heading = [](const char* side, std::int64_t iteration, const std::string& differences) {
    return std::string(side) + " · iteration " + std::to_string(iteration) + ": " +
           (differences.empty() ? "same settings" : differences);
  };
  const std::string diffA = a.state.scenario && m_state.scenario ? scenarioDifferences(*a.state.scenario, *m_state.scenario) : "";
  const std::string diffB = a.state.scenario && m_state.scenario ? scenarioDifferences(*m_state.scenario, *a.state.scenario) : "";
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (m_layout == Layout::TwoColumns) {
    // Side by side even at projector scale: A above B left each lab a strip too flat for its
    // 2-D views (tried); a narrow column takes the lab's own narrow layout (a view per tab).
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float width = std::max(1.0f, (avail.x - gap) * 0.5f), height = avail.y;
    drawColumn("compare A", "A", heading("A", iterationOf(&snapA), diffA), a.lab, snapA, &snapB, contextA, width, height);
    ImGui::SameLine();
    drawColumn("compare B", "B", heading("B", iterationOf(&snapB), diffB), m_lab ? *m_lab : a.lab, snapB, &snapA,
               contextB, width, height);
    return;
  }
  const std::string line = heading("A (solid)", iterationOf(&snapA), diffA) + "   ·   " +
                           heading("B (dashed)", iterationOf(&snapB), diffB);
  const std::string shown = plot::fitText(line, avail.x);
  ImGui::TextUnformatted(shown.c_str());
  if (shown != line && ImGui::IsItemHovered()) ui::textTooltip(line);
  ImGui::BeginChild("compare overlay", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  plot::setComparison(&snapB.trace, " (A)", " (B)");
  a.lab.drawViews(snapA, contextA);
  plot::setComparison(nullptr);
  ImGui::EndChild();
}

}  // namespace vilab
