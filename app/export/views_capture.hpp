#pragma once
// A lab's views drawn off-screen, with no window or GPU (the null platform), and recorded as
// figures: what headless exports and recordings draw from. The views area has the size it has
// in the 1600 x 900 window, so files match what the GUI shows.

#include <memory>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/plot/canvas.hpp"

namespace vilab {

class ViewsCapture {
 public:
  // `model` names the lab; `scenario` is what the panel's controls would show.
  ViewsCapture(const std::string& model, const Scenario& scenario, float uiScale);
  ~ViewsCapture();

  // Draws the views of `snapshot` until the plots' ranges settle, then records them: every
  // plot (key empty) or the plot with that key. Figures carry the lab's name.
  std::vector<plot::Figure> capture(const Snapshot& snapshot, const std::string& key = "");
  const TextureStore& textures() const { return m_platform; }

 private:
  void frame(const Snapshot& snapshot);
  NullPlatform m_platform;
  std::string m_model;
  std::unique_ptr<Scenario> m_scenario;
  std::unique_ptr<Lab> m_lab;
  std::unique_ptr<Runner> m_runner;  // idle: panels may send commands, nothing runs them
};

// Every figure placed where it was on screen, as one figure (the whole views area): its
// origin is the top left of the first figure's bounding box.
plot::Figure composeFigures(const std::vector<plot::Figure>& figures, const std::string& key);

}  // namespace vilab
