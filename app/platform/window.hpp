#pragma once
// The desktop window: GLFW, an OpenGL 3.3 core context loaded by glad, and Dear ImGui's GLFW and
// OpenGL3 backends. Also reads the rendered frame back for screenshots and owns the textures.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/platform/keys.hpp"
#include "app/platform/textures.hpp"
#include "core/status.hpp"

struct GLFWwindow;

namespace vilab {

class Window final : public TextureStore {
 public:
  struct Options {
    int width = 1600;
    int height = 900;
    bool visible = true;
    std::string title = "VI Lab";
  };

  // A window with an ImGui context, or an error (no display, no OpenGL 3.3).
  static std::unique_ptr<Window> create(const Options& options, Status& status);
  ~Window() override;

  bool shouldClose() const;
  void requestClose();
  // Handles events, waiting up to `waitSeconds` for one when the UI is idle, and starts a frame.
  void beginFrame(double waitSeconds);
  // Sleeps until an event arrives or `seconds` pass, handling it (no frame is started); true
  // when some input or window event (mouse, keys, focus, resize, expose) arrived.
  bool waitForEvents(double seconds);
  // Renders the frame into the back buffer (read it with capture() before present()).
  void render();
  void present();
  // The rendered frame as RGBA rows, top row first.
  std::vector<std::uint8_t> capture(int& width, int& height) const;
  // Re-uploads the font atlas after the fonts were rebuilt (UI scale change).
  void refreshFontTexture();
  // Waits for the GPU (for frame timing in --bench-frames).
  void finish();
  // Key presses since the last call (shortcuts), in order.
  std::vector<keys::Press> takeKeyPresses();

  ImTextureID update(const std::string& name, int width, int height,
                     std::span<const std::uint32_t> rgba) override;

 private:
  Window() = default;
  static void onKey(GLFWwindow* window, int key, int scancode, int action, int mods);
  static void noteEvent(GLFWwindow* window);
  bool m_eventSeen = false;
  GLFWwindow* m_window = nullptr;
  std::vector<keys::Press> m_presses;
  struct Texture {
    unsigned id = 0;
    int width = 0, height = 0;
  };
  std::unordered_map<std::string, Texture> m_textures;
};

}  // namespace vilab
