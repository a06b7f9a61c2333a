#include "app/ui/figure_actions.hpp"

#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "app/export/atomic_file.hpp"
#include "app/export/views_capture.hpp"

namespace vilab {
namespace {

// The figure a key names among those captured; the whole views area for an empty key.
std::optional<plot::Figure> pick(const std::vector<plot::Figure>& figures, const std::string& key) {
  if (figures.empty()) return std::nullopt;
  if (key.empty()) return composeFigures(figures, "views");
  for (const auto& f : figures)
    if (f.key == key) return f;
  return std::nullopt;
}

std::string megabytes(std::size_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f MB", bytes / 1e6);
  return b;
}

}  // namespace

struct FigureActions::Recording {
  std::string key, path;
  RecordPace pace;
  int total = 60, scale = 1, frames = 0;
  long long lastIteration = 0;
  double lastSeconds = 0.0;
  float width = 0, height = 0;
  GifWriter gif;
};

FigureActions::FigureActions(TextureStore& textures) : m_textures(textures) {}
FigureActions::~FigureActions() = default;

void FigureActions::beforeViews(long long iteration, double seconds) {
  m_viewsNow = m_viewsAsked;
  m_viewsAsked = false;
  bool frameDue = false;
  if (Recording* r = m_recording.get()) {
    frameDue = r->frames == 0 || (r->pace.seconds > 0.0
                                      ? seconds >= r->lastSeconds + r->pace.seconds
                                      : iteration >= r->lastIteration + r->pace.iterations);
    if (frameDue) r->lastIteration = iteration, r->lastSeconds = seconds;
  }
  m_captureNow = m_viewsNow || m_menu.action != plot::MenuAction::None || frameDue || m_estimateAsked;
  if (m_captureNow) plot::requestCapture();
  m_frameDue = frameDue;
}

std::string FigureActions::afterViews(const std::string& lab, const std::string& folder, bool& error) {
  error = false;
  std::string message;
  std::vector<plot::Figure> figures;
  if (m_captureNow) figures = plot::takeCaptures();
  m_captureNow = false;
  for (auto& f : figures) f.lab = lab;
  const TextureLookup lookup = textureLookup(&m_textures);
  const auto fail = [&](const std::string& m) { error = true, message = m; };

  if (m_menu.action != plot::MenuAction::None && !figures.empty()) {
    const plot::MenuRequest r = std::move(m_menu);
    m_menu = {};
    if (auto f = pick(figures, r.key); !f) {
      fail("the plot '" + r.key + "' is no longer shown");
    } else if (r.action == plot::MenuAction::CopyCsv) {
      ImGui::SetClipboardText(seriesToCsv(*f).c_str());
      message = "values of '" + (f->title.empty() ? f->key : f->title) + "' copied as CSV";
    } else {
      const char* ext = r.action == plot::MenuAction::ExportSvg   ? "svg"
                        : r.action == plot::MenuAction::ExportPdf ? "pdf"
                                                                  : "png";
      const std::string path = (std::filesystem::path(folder) / figureFileName(*f, ext)).string();
      if (Status s = writeFigure(*f, path, {m_widthCm, r.scale}, lookup); !s) fail(s.message());
      else message = "figure saved: " + std::filesystem::absolute(path).lexically_normal().string();
    }
  }
  if (const plot::MenuRequest r = plot::takeMenuRequest(); r.action == plot::MenuAction::Record) {
    m_recordKey = r.key;
    m_openRecordPopup = m_estimateAsked = true;
  } else if (r.action != plot::MenuAction::None) {
    m_menu = r;
  }
  if (m_viewsNow && !figures.empty()) {
    std::vector<plot::Figure> all = figures;
    all.push_back(composeFigures(figures, "views"));
    std::vector<std::string> written;
    if (Status s = writeFigures(all, folder, m_viewsFormat, {m_widthCm, m_viewsScale}, lookup, &written); !s)
      fail(s.message());
    else
      message = std::to_string(written.size()) + " figures saved to " +
                std::filesystem::absolute(folder).lexically_normal().string();
  }
  if (m_estimateAsked && !figures.empty()) {
    m_estimateAsked = false;
    if (auto f = pick(figures, m_recordKey)) {
      const auto rgba = renderFigure(*f, m_recordScale, lookup, m_estimateW, m_estimateH);
      m_estimate = GifWriter::estimateBytes(rgba, m_estimateW, m_estimateH, m_recordFrames);
    }
  }
  if (m_recording && m_frameDue && !figures.empty()) {
    Recording& rec = *m_recording;
    auto f = pick(figures, rec.key);
    if (!f) {
      fail("recording stopped: the plot '" + rec.key + "' is no longer shown");
      m_recording.reset();
      return message;
    }
    if (rec.frames == 0) {
      rec.width = f->width, rec.height = f->height;
      rec.path = (std::filesystem::path(folder) / figureFileName(*f, "gif")).string();
      if (Status s = checkWritable(rec.path); !s) {
        fail(s.message());
        m_recording.reset();
        return message;
      }
    }
    f->width = rec.width, f->height = rec.height;
    int w = 0, h = 0;
    const auto rgba = renderFigure(*f, rec.scale, lookup, w, h);
    if (rec.frames == 0) rec.gif.start(w, h, 10);
    if (Status s = rec.gif.add(rgba); !s) {
      fail(s.message());
      m_recording.reset();
      return message;
    }
    if (++rec.frames >= rec.total) m_stopRecording = true;
  }
  if (m_stopRecording) {
    m_stopRecording = false;
    message = finishRecording(error);
  }
  return message;
}

std::string FigureActions::finishRecording(bool& error) {
  std::unique_ptr<Recording> rec = std::move(m_recording);
  if (!rec || rec->frames == 0) return "";
  Status s = rec->gif.finish();
  if (s) s = writeFileAtomically(rec->path, rec->gif.bytes());
  if (!s) {
    error = true;
    return s.message();
  }
  return "recording saved: " + std::filesystem::absolute(rec->path).lexically_normal().string() + " (" +
         std::to_string(rec->frames) + " frames, " + megabytes(rec->gif.bytes().size()) + ")";
}

void FigureActions::exportViews(FigureFormat format, int pngScale) {
  m_viewsFormat = format, m_viewsScale = std::clamp(pngScale, 1, 4), m_viewsAsked = true;
}

void FigureActions::startRecording(const std::string& key, RecordPace pace, int frames, int scale) {
  m_recording = std::make_unique<Recording>();
  m_recording->key = key;
  m_recording->pace = {std::max(pace.iterations, 1), std::max(pace.seconds, 0.0)};
  m_recording->total = std::max(frames, 1);
  m_recording->scale = std::clamp(scale, 1, 4);
}

void FigureActions::exportMenu() {
  if (!ImGui::BeginMenu("Export views")) return;
  ImGui::TextDisabled("every plot, and the whole views area, into the output folder");
  const auto ask = [this](FigureFormat f, int scale) { exportViews(f, scale); };
  if (ImGui::MenuItem("SVG (vector, text as text)")) ask(FigureFormat::Svg, 1);
  if (ImGui::MenuItem("PDF (vector, one page per plot)")) ask(FigureFormat::Pdf, 1);
  for (int scale = 1; scale <= 4; ++scale)
    if (ImGui::MenuItem(("PNG " + std::to_string(scale) + "× (" + std::to_string(96 * scale) + " dpi)").c_str()))
      ask(FigureFormat::Png, scale);
  ImGui::Separator();
  // Also for the plots' own menus.
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::InputFloat("SVG/PDF width, cm (0: as on screen)", &m_widthCm, 1.0f, 5.0f, "%.1f");
  m_widthCm = m_widthCm < 1.0f ? 0.0f : std::min(m_widthCm, 100.0f);
  ImGui::EndMenu();
}

void FigureActions::recordButton() {
  if (m_recording) {
    // The recording state: red, with the frames so far; a click stops and saves.
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.80f, 0.10f, 0.10f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.90f, 0.20f, 0.20f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    const std::string label = "■ REC " + std::to_string(m_recording->frames) + "/" +
                              std::to_string(m_recording->total) + "###record";
    if (ImGui::Button(label.c_str())) m_stopRecording = true;  // saved after this frame's views
    ImGui::PopStyleColor(3);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Recording: click to stop and save the GIF now");
    return;
  }
  if (ImGui::Button("● Rec###record")) m_openRecordPopup = m_estimateAsked = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Record the views (or one plot) to an animated GIF");
  if (m_openRecordPopup) {
    ImGui::OpenPopup("Record a GIF");
    m_openRecordPopup = false;
  }
  if (!ImGui::BeginPopup("Record a GIF")) return;
  bool changed = false;
  if (!m_recordKey.empty()) {
    ImGui::Text("Plot: %s", m_recordKey.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("all views instead")) m_recordKey.clear(), changed = true;
  } else {
    ImGui::TextUnformatted("All views (right-click a plot to record only it)");
  }
  if (ImGui::RadioButton("every k iterations", !m_recordBySeconds)) m_recordBySeconds = false, changed = true;
  ImGui::SameLine();
  if (ImGui::RadioButton("every t seconds", m_recordBySeconds)) m_recordBySeconds = true, changed = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A frame every t seconds of wall time, also while paused (clicks and edits show)");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (m_recordBySeconds)
    changed |= ImGui::InputFloat("seconds per frame", &m_recordSeconds, 0.1f, 1.0f, "%.2f");
  else
    changed |= ImGui::InputInt("iterations per frame", &m_recordEvery);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  changed |= ImGui::InputInt("frames", &m_recordFrames);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  changed |= ImGui::SliderInt("scale", &m_recordScale, 1, 4, "%d×");
  m_recordEvery = std::clamp(m_recordEvery, 1, 1000000);
  m_recordSeconds = std::clamp(m_recordSeconds, 0.05f, 600.0f);
  m_recordFrames = std::clamp(m_recordFrames, 2, 2000);
  if (changed) m_estimateAsked = true;
  if (m_estimate > 0)
    ImGui::Text("%d frames of %d × %d pixels, %.1f s at 10 frames/s: about %s", m_recordFrames, m_estimateW,
                m_estimateH, m_recordFrames / 10.0, megabytes(m_estimate).c_str());
  if (ImGui::Button("Start recording")) {
    startRecording(m_recordKey, {m_recordEvery, m_recordBySeconds ? double(m_recordSeconds) : 0.0},
                   m_recordFrames, m_recordScale);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void FigureActions::recordingStatus() {
  if (!m_recording) return;
  const Recording& r = *m_recording;
  ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1.0f), "● REC");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  const std::string overlay = std::to_string(r.frames) + "/" + std::to_string(r.total) + " · " +
                              megabytes(r.gif.bytes().size());
  ImGui::ProgressBar(r.total > 0 ? float(r.frames) / r.total : 0.0f, ImVec2(ImGui::GetFontSize() * 10, 0),
                     overlay.c_str());
}

}  // namespace vilab
