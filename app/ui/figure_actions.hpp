#pragma once
// The GUI's figure exports: a plot's right-click menu (copy values as CSV, SVG, PDF, PNG at 1-4x),
// File > Export views (every plot and the whole views area), and recording the views or one plot
// to an animated GIF every k iterations or every t seconds, with its size estimated before it starts and its
// progress shown while it runs. Frames that need figures ask the plot layer to record them
// (plot::requestCapture) before the views are drawn; the rest of the time nothing is recorded.

#include <memory>
#include <string>

#include "app/export/figure_export.hpp"
#include "app/export/gif_writer.hpp"
#include "app/plot/plot.hpp"

namespace vilab {

// How often a recording takes a frame: every `iterations` iterations of the optimizer, or, when
// `seconds` > 0, every `seconds` of wall time (so a paused run records what the lecturer does).
struct RecordPace {
  int iterations = 10;
  double seconds = 0.0;
};

class FigureActions {
 public:
  explicit FigureActions(TextureStore& textures);
  ~FigureActions();

  // Around the views of each frame: `iteration` is the snapshot's, `seconds` the UI clock's
  // (ImGui::GetTime()).
  void beforeViews(long long iteration, double seconds);
  // Returns a message for the status bar (a saved file, an error), or empty; `error` says which.
  std::string afterViews(const std::string& lab, const std::string& folder, bool& error);

  // File > Export views: a menu of formats.
  void exportMenu();
  // The record button (and its settings popup); shows the recording state while it runs.
  void recordButton();
  // "● REC 12/50 · 1.3 MB" with a progress bar, while recording; nothing otherwise.
  void recordingStatus();
  bool recording() const { return m_recording != nullptr; }

  // What the menus and buttons do (also for tests): every plot and the views area into the
  // output folder on the next frame; a recording of the plot `key` (empty: all views), a frame
  // whenever `pace` has passed (at most one per UI frame), `frames` frames.
  void exportViews(FigureFormat format, int pngScale);
  void startRecording(const std::string& key, RecordPace pace, int frames, int scale);

 private:
  struct Recording;
  std::string finishRecording(bool& error);
  TextureStore& m_textures;
  plot::MenuRequest m_menu;              // from a plot's right-click menu, served next frame
  FigureFormat m_viewsFormat = FigureFormat::Svg;
  bool m_viewsAsked = false, m_viewsNow = false;
  int m_viewsScale = 2;
  float m_widthCm = 0.0f;  // SVG/PDF width from the GUI; 0: the on-screen size
  bool m_captureNow = false, m_frameDue = false, m_stopRecording = false;
  // Record settings (the popup) and the estimate for them.
  std::string m_recordKey;  // empty: all views
  int m_recordEvery = 10, m_recordFrames = 60, m_recordScale = 1;
  bool m_recordBySeconds = false;
  float m_recordSeconds = 0.5f;
  bool m_estimateAsked = false;
  std::size_t m_estimate = 0;
  int m_estimateW = 0, m_estimateH = 0;
  bool m_openRecordPopup = false;
  std::unique_ptr<Recording> m_recording;
};

}  // namespace vilab
