#include "app/ui/tour.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "app/ui/app.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "core/model.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

constexpr ImU32 kFrameColour = IM_COL32(230, 120, 0, 255);  // the frame and arrow: warm, not red/blue

bool inside(const plot::ScreenRect& r, ImVec2 p) {
  return p.x >= r.min.x && p.x <= r.max.x && p.y >= r.min.y && p.y <= r.max.y;
}

// The point of `r` nearest to `p` (p itself when inside).
ImVec2 nearestOn(const plot::ScreenRect& r, ImVec2 p) {
  return ImVec2(std::clamp(p.x, r.min.x, r.max.x), std::clamp(p.y, r.min.y, r.max.y));
}

void arrow(ImDrawList* d, ImVec2 from, ImVec2 to, float thickness) {
  const float dx = to.x - from.x, dy = to.y - from.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 4.0f * thickness) return;
  const float ux = dx / len, uy = dy / len, head = 4.5f * thickness;
  const ImVec2 base(to.x - ux * head, to.y - uy * head);
  d->AddLine(from, base, kFrameColour, thickness);
  d->AddTriangleFilled(to, ImVec2(base.x - uy * head * 0.6f, base.y + ux * head * 0.6f),
                       ImVec2(base.x + uy * head * 0.6f, base.y - ux * head * 0.6f), kFrameColour);
}

}  // namespace

TourPlayer::TourPlayer(std::string assetDir)
    : m_assetDir(std::move(assetDir)),
      m_scenarioDir((std::filesystem::path(m_assetDir) / "scenarios").string()) {
  if (Status s = loadAllTours(m_assetDir, m_files); !s) m_loadError = s.message();
}

Status TourPlayer::start(App& app, const std::string& lab, std::size_t tour, std::size_t step) {
  const auto file = std::find_if(m_files.begin(), m_files.end(), [&](const TourFile& f) { return f.lab == lab; });
  if (file == m_files.end())
    return Status::error("no tours for the " + lab + " lab" + (m_loadError.empty() ? "" : " (" + m_loadError + ")"));
  if (tour >= file->tours.size())
    return Status::error("the " + lab + " lab has tours 1 to " + std::to_string(file->tours.size()) + ", not " +
                         std::to_string(tour + 1));
  const Tour& t = file->tours[tour];
  if (step >= t.steps.size())
    return Status::error("tour " + std::to_string(tour + 1) + " of the " + lab + " lab (\"" + t.title +
                         "\") has steps 1 to " + std::to_string(t.steps.size()) + ", not " + std::to_string(step + 1));
  m_file = &*file;
  m_tour = &t;
  m_tourIndex = tour;
  m_runner = nullptr;
  m_chooserOpen = false;
  goTo(app, step);
  return Status::ok();
}

void TourPlayer::end() {
  m_tour = nullptr;
  m_file = nullptr;
  m_phase = Phase::Idle;
  m_calloutRect.reset();
}

void TourPlayer::next(App& app) {
  if (!active()) return;
  if (m_step + 1 >= m_tour->steps.size()) return end();
  goTo(app, m_step + 1);
}

void TourPlayer::previous(App& app) {
  if (active() && m_step > 0) goTo(app, m_step - 1);
}

void TourPlayer::goTo(App& app, std::size_t step) {
  const bool wasReady = ready() && step == m_step + 1;
  m_step = step;
  m_failure.clear();
  m_plan = planStep(*m_tour, step, m_scenarioDir);
  const Runner::State state = app.runner().state();
  // The next step continues this run: apply its settings and run on, when the run is still
  // exactly where the last step left it (nobody played, stepped or changed a setting since).
  const bool inPlace = wasReady && m_plan.firstStep < step && m_runner == &app.runner() && state.snapshot &&
                       !state.playing && state.snapshot->iteration == m_target &&
                       state.scenarioVersion == m_readyVersion;
  if (inPlace) {
    m_leg = m_plan.legs.size() - 1;
    m_phase = Phase::Apply;
  } else {
    m_leg = 0;
    m_phase = Phase::Start;
  }
  update(app);
}

void TourPlayer::issueRun(App& app, std::int64_t from) {
  m_target = m_plan.legs[m_leg].iteration;
  m_issuedAt = app.runner().state().snapshot;
  if (m_target > from) app.runner().step(static_cast<int>(m_target - from));
  else m_issuedAt.reset();  // nothing to run: the snapshot in hand will do
  m_phase = Phase::RunTo;
}

void TourPlayer::update(App& app) {
  if (!active()) return;
  for (int guard = 0; guard < 8; ++guard) {  // several phases may finish in one frame
    switch (m_phase) {
      case Phase::Start: {
        std::unique_ptr<Scenario> scenario;
        std::unique_ptr<Model> model;
        std::string note;
        if (Status s = buildTourScenario(m_file->lab, m_plan.scenarioPath, m_plan.legs[0].set, scenario, &model, &note);
            !s) {
          m_failure = s.message();
          m_phase = Phase::Failed;
          return;
        }
        app.startRun(std::move(model), std::move(scenario), std::move(note));
        m_runner = &app.runner();
        m_leg = 0;
        issueRun(app, 0);
        break;
      }
      case Phase::Apply: {
        auto scenario = app.scenario().clone();
        Status s = applyTourSet(m_plan.legs[m_leg].set, scenario);
        if (s) {
          if (const auto errors = validate(*scenario); !errors.empty()) s = Status::error(errors.front());
        }
        if (!s) {
          m_failure = s.message();
          m_phase = Phase::Failed;
          return;
        }
        app.applyScenario(std::move(scenario));
        m_applied = std::make_shared<std::atomic<long long>>(-1);
        app.runner().post([applied = m_applied](Model& model) { applied->store(model.iteration()); });
        m_phase = Phase::WaitApplied;
        break;
      }
      case Phase::WaitApplied: {
        const long long at = m_applied->load();
        if (at < 0) return;
        issueRun(app, at);  // a model that restarts on the change runs from 0 again
        break;
      }
      case Phase::RunTo: {
        const Runner::State state = app.runner().state();
        if (!state.problem.empty() && !state.playing && state.snapshot && state.snapshot->iteration < m_target) {
          m_failure = "stopped at iteration " + std::to_string(state.snapshot->iteration) + ": " + state.problem;
          m_phase = Phase::Failed;
          return;
        }
        const bool fresh = !m_issuedAt || state.snapshot != m_issuedAt;
        if (!state.snapshot || !fresh || state.snapshot->iteration < m_target) return;
        if (m_leg + 1 < m_plan.legs.size()) {
          ++m_leg;
          m_phase = Phase::Apply;
          break;
        }
        m_readyVersion = state.scenarioVersion;
        m_phase = Phase::Ready;
        return;
      }
      default:
        return;
    }
  }
}

void TourPlayer::handleKeys(App& app, const std::vector<keys::Press>& presses, bool typing) {
  for (const keys::Press& p : presses) {
    if (p.ctrl) continue;
    if (p.key == keys::kEscape) {
      if (m_chooserOpen) m_chooserOpen = false;
      else end();
    }
    if (p.key == keys::kPageDown) next(app);
    if (p.key == keys::kPageUp) previous(app);
    if (!typing && p.key == keys::letter('g')) m_chooserOpen = !m_chooserOpen;
  }
}

void TourPlayer::helpMenu(App& app) {
  if (!ImGui::BeginMenu("Guided tours")) return;
  if (!m_loadError.empty()) ImGui::TextDisabled("%s", m_loadError.c_str());
  if (ImGui::MenuItem("Choose a tour…", "G")) m_chooserOpen = true;
  ImGui::Separator();
  for (const TourFile& file : m_files) {
    if (!ImGui::BeginMenu(file.lab.c_str())) continue;
    for (std::size_t t = 0; t < file.tours.size(); ++t) {
      const std::string label = file.tours[t].title + "##" + file.lab + std::to_string(t);
      if (ImGui::MenuItem(label.c_str())) (void)start(app, file.lab, t);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%zu steps; PageDown / PageUp move between them, Escape ends the tour",
                          file.tours[t].steps.size());
    }
    ImGui::EndMenu();
  }
  ImGui::EndMenu();
}

void TourPlayer::draw(App& app) {
  if (m_chooserOpen) chooser(app);
  if (active()) callout(app);
  else m_calloutRect.reset();
}

void TourPlayer::chooser(App& app) {
  const float font = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2(std::min(font * 30, vp->WorkSize.x * 0.9f), std::min(font * 24, vp->WorkSize.y * 0.8f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::Begin("Guided tours (G)", &m_chooserOpen, ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return;
  }
  if (!m_loadError.empty()) ImGui::TextWrapped("%s", m_loadError.c_str());
  ImGui::TextWrapped("Each tour sets a scenario, runs to a point and explains one view. PageDown / PageUp: next / "
                     "previous step; Escape ends the tour.");
  // The current lab's tours first, then the others.
  std::vector<const TourFile*> order;
  for (const TourFile& f : m_files) if (f.lab == app.model()) order.push_back(&f);
  for (const TourFile& f : m_files) if (f.lab != app.model()) order.push_back(&f);
  for (const TourFile* file : order) {
    const ImGuiTreeNodeFlags flags = file->lab == app.model() ? ImGuiTreeNodeFlags_DefaultOpen : 0;
    if (!ImGui::CollapsingHeader(file->lab.c_str(), flags)) continue;
    for (std::size_t t = 0; t < file->tours.size(); ++t) {
      const std::string label = std::to_string(t + 1) + ". " + file->tours[t].title + "##" + file->lab + std::to_string(t);
      if (ImGui::Selectable(label.c_str())) (void)start(app, file->lab, t);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%zu steps (vilab --headless --tour %s:%zu --tour-step 1 --screenshot F)",
                          file->tours[t].steps.size(), file->lab.c_str(), t + 1);
    }
  }
  ImGui::End();
}

void TourPlayer::callout(App& app) {
  const TourStep& s = m_tour->steps[m_step];
  const float font = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImVec2 workMin = vp->WorkPos, workMax(vp->WorkPos.x + vp->WorkSize.x, vp->WorkPos.y + vp->WorkSize.y);
  const float margin = 0.5f * font;
  const auto target = plot::lastRect(s.view);
  m_viewFound = target.has_value();
  // A view on a hidden tab (a projector's scale): select the lab's tabs in turn until it shows,
  // at most twice round (two frames a tab: a selected tab draws in the frame after).
  if (m_viewFound || m_phase != Phase::Ready) {
    m_seekTries = 0;
  } else if (m_seekTries < 4 * ui::viewTabCount()) {
    ++m_seekTries;
    if (m_seekTries % 2 == 1) ui::seekHiddenView();
  }

  // Size: the last frame's (the window fits its contents), else an estimate.
  const float width = std::min(font * 24.0f, vp->WorkSize.x - 2 * margin);
  ImVec2 size = m_calloutSize.x > 0 ? m_calloutSize : ImVec2(width, font * 10.0f);
  size.y = std::min(size.y, vp->WorkSize.y - 2 * margin);
  // Beside the view where there is room (right, left, below, above); else over its lower right.
  ImVec2 pos(workMax.x - size.x - margin, workMax.y - size.y - margin);
  if (target) {
    const plot::ScreenRect& r = *target;
    const float cy = std::clamp((r.min.y + r.max.y - size.y) * 0.5f, workMin.y + margin, workMax.y - size.y - margin);
    const float cx = std::clamp((r.min.x + r.max.x - size.x) * 0.5f, workMin.x + margin, workMax.x - size.x - margin);
    if (r.max.x + margin + size.x <= workMax.x - margin) pos = ImVec2(r.max.x + margin, cy);
    else if (r.min.x - margin - size.x >= workMin.x + margin) pos = ImVec2(r.min.x - margin - size.x, cy);
    else if (r.max.y + margin + size.y <= workMax.y - margin) pos = ImVec2(cx, r.max.y + margin);
    else if (r.min.y - margin - size.y >= workMin.y + margin) pos = ImVec2(cx, r.min.y - margin - size.y);
    else pos = ImVec2(std::min(r.max.x, workMax.x) - size.x - margin, std::min(r.max.y, workMax.y) - size.y - margin);
  }
  pos.x = std::clamp(pos.x, workMin.x + margin, std::max(workMin.x + margin, workMax.x - size.x - margin));
  pos.y = std::clamp(pos.y, workMin.y + margin, std::max(workMin.y + margin, workMax.y - size.y - margin));

  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, vp->WorkSize.y - 2 * margin));
  ImGui::SetNextWindowBgAlpha(0.97f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(kFrameColour));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, std::max(2.0f, font * 0.15f));
  if (ImGui::Begin("##tour callout", nullptr, flags)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s · %s", m_file->lab.c_str(), m_tour->title.c_str());
    ImGui::Text("Step %zu of %zu", m_step + 1, m_tour->steps.size());
    ImGui::Separator();
    ImGui::TextUnformatted(s.text.c_str());
    ImGui::Separator();
    const Runner::State state = app.runner().state();
    const long long at = state.snapshot ? static_cast<long long>(state.snapshot->iteration) : 0;
    if (m_phase == Phase::Failed) {
      ImGui::TextColored(ImVec4(0.75f, 0.05f, 0.05f, 1.0f), "%s", m_failure.c_str());
    } else if (m_phase != Phase::Ready) {
      ImGui::Text("running to iteration %lld… (now %lld)", static_cast<long long>(m_plan.legs.back().iteration), at);
    } else {
      ImGui::TextDisabled("iteration %lld, paused (Space plays on)", at);
    }
    if (!target && seeking())
      ImGui::TextDisabled("(finding the view \"%s\" among the tabs…)", s.view.c_str());
    else if (!target)
      ImGui::TextDisabled("(the view \"%s\" is not on screen: at this size the lab shows one view at a time; "
                          "pick its tab, or press Ctrl+- for smaller text)",
                          s.view.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button("◀ Back") && m_step > 0) previous(app);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Previous step (PageUp)");
    ImGui::SameLine();
    const bool last = m_step + 1 >= m_tour->steps.size();
    if (ImGui::Button(last ? "Finish" : "Next ▶")) next(app);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (PageDown)", last ? "End the tour" : "Next step");
    ImGui::SameLine();
    if (ImGui::Button("End tour")) end();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Leave the tour; the run stays as it is (Escape)");
    m_calloutSize = ImGui::GetWindowSize();
    const ImVec2 wpos = ImGui::GetWindowPos();
    m_calloutRect = plot::ScreenRect{wpos, ImVec2(wpos.x + m_calloutSize.x, wpos.y + m_calloutSize.y)};
  }
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();

  // Frame the view and point at it from the callout's nearest edge.
  if (target && m_calloutRect && active()) {
    ImDrawList* d = ImGui::GetForegroundDrawList();
    const float thick = std::max(2.0f, font * 0.18f);
    d->AddRect(ImVec2(target->min.x - thick, target->min.y - thick), ImVec2(target->max.x + thick, target->max.y + thick),
               kFrameColour, font * 0.3f, 0, thick);
    const plot::ScreenRect& c = *m_calloutRect;
    const ImVec2 centre((c.min.x + c.max.x) * 0.5f, (c.min.y + c.max.y) * 0.5f);
    if (!inside(*target, centre)) {
      const ImVec2 tip = nearestOn(*target, centre);
      arrow(d, nearestOn(c, tip), tip, thick);
    }
  }
}

}  // namespace vilab
