#include "app/platform/window.hpp"

// glad first: it provides the OpenGL declarations GLFW would otherwise include.
#include <glad/gl.h>
// clang-format off
#include <GLFW/glfw3.h>
// clang-format on
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <utility>
#include <cstdio>

namespace vilab {
namespace {

std::string gGlfwError;

void onGlfwError(int code, const char* description) {
  gGlfwError = description ? description : ("GLFW error " + std::to_string(code));
}

}  // namespace

std::unique_ptr<Window> Window::create(const Options& options, Status& status) {
  glfwSetErrorCallback(onGlfwError);
  if (!glfwInit()) {
    status = Status::error("cannot open a window (" +
                           (gGlfwError.empty() ? std::string("no display") : gGlfwError) +
                           "); is DISPLAY set? Headless runs without --screenshot need none");
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, 0);
  GLFWwindow* handle =
      glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!handle) {
    glfwTerminate();
    status = Status::error("cannot create an OpenGL 3.3 window (" + gGlfwError + ")");
    return nullptr;
  }
  glfwMakeContextCurrent(handle);
  if (!gladLoadGL(glfwGetProcAddress)) {
    glfwDestroyWindow(handle);
    glfwTerminate();
    status = Status::error("cannot load OpenGL 3.3 functions");
    return nullptr;
  }
  glfwSwapInterval(1);

  std::unique_ptr<Window> window(new Window());
  window->m_window = handle;
  // Ours first: ImGui's GLFW backend keeps it and calls it after its own.
  glfwSetWindowUserPointer(handle, window.get());
  glfwSetKeyCallback(handle, onKey);
  // Every other event only marks that one arrived (waitForEvents); ImGui's backend chains the
  // callbacks it also installs (buttons, scroll, characters, focus, enter) to these.
  glfwSetCursorPosCallback(handle, [](GLFWwindow* w, double, double) { noteEvent(w); });
  glfwSetMouseButtonCallback(handle, [](GLFWwindow* w, int, int, int) { noteEvent(w); });
  glfwSetScrollCallback(handle, [](GLFWwindow* w, double, double) { noteEvent(w); });
  glfwSetCharCallback(handle, [](GLFWwindow* w, unsigned) { noteEvent(w); });
  glfwSetWindowFocusCallback(handle, [](GLFWwindow* w, int) { noteEvent(w); });
  glfwSetCursorEnterCallback(handle, [](GLFWwindow* w, int) { noteEvent(w); });
  glfwSetFramebufferSizeCallback(handle, [](GLFWwindow* w, int, int) { noteEvent(w); });
  glfwSetWindowRefreshCallback(handle, [](GLFWwindow* w) { noteEvent(w); });
  glfwSetDropCallback(handle, [](GLFWwindow* w, int, const char**) { noteEvent(w); });
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; nothing to remember
  ImGui_ImplGlfw_InitForOpenGL(handle, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  status = Status::ok();
  return window;
}

Window::~Window() {
  for (auto& [name, texture] : m_textures) glDeleteTextures(1, &texture.id);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(m_window);
  glfwTerminate();
}

void Window::noteEvent(GLFWwindow* handle) {
  if (auto* self = static_cast<Window*>(glfwGetWindowUserPointer(handle))) self->m_eventSeen = true;
}

bool Window::waitForEvents(double seconds) {
  m_eventSeen = false;
  glfwWaitEventsTimeout(seconds);
  return std::exchange(m_eventSeen, false);
}

void Window::onKey(GLFWwindow* handle, int key, int, int action, int mods) {
  noteEvent(handle);
  if (action == GLFW_RELEASE) return;
  auto* self = static_cast<Window*>(glfwGetWindowUserPointer(handle));
  if (self) self->m_presses.push_back({key, (mods & GLFW_MOD_CONTROL) != 0, (mods & GLFW_MOD_SHIFT) != 0});
}

std::vector<keys::Press> Window::takeKeyPresses() { return std::exchange(m_presses, {}); }

bool Window::shouldClose() const { return glfwWindowShouldClose(m_window); }

void Window::requestClose() { glfwSetWindowShouldClose(m_window, GLFW_TRUE); }

void Window::beginFrame(double waitSeconds) {
  if (waitSeconds > 0.0) glfwWaitEventsTimeout(waitSeconds);
  else glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void Window::render() {
  ImGui::Render();
  int width = 0, height = 0;
  glfwGetFramebufferSize(m_window, &width, &height);
  glViewport(0, 0, width, height);
  // The main window draws no background of its own (one full-screen pass fewer): the clear
  // colour is the style's window background.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::present() { glfwSwapBuffers(m_window); }

void Window::finish() { glFinish(); }

std::vector<std::uint8_t> Window::capture(int& width, int& height) const {
  glfwGetFramebufferSize(m_window, &width, &height);
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * 4);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // OpenGL's first row is the bottom one.
  const std::size_t row = static_cast<std::size_t>(width) * 4;
  std::vector<std::uint8_t> flipped(pixels.size());
  for (int y = 0; y < height; ++y)
    std::copy_n(pixels.data() + (height - 1 - y) * row, row, flipped.data() + y * row);
  return flipped;
}

void Window::refreshFontTexture() {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

ImTextureID Window::update(const std::string& name, int width, int height,
                           std::span<const std::uint32_t> rgba) {
  Texture& t = m_textures[name];
  if (t.id != 0) {
    const auto id = reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(t.id));
    if (holds(id, width, height, rgba)) return id;
  }
  if (t.id == 0) {
    glGenTextures(1, &t.id);
    glBindTexture(GL_TEXTURE_2D, t.id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, t.id);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (rgba.size() >= static_cast<std::size_t>(width) * height) {
    if (t.width != width || t.height != height) {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
      t.width = width, t.height = height;
    } else {
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    }
  }
  const auto id = reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(t.id));
  if (rgba.size() >= static_cast<std::size_t>(width) * height) remember(id, width, height, rgba);
  return id;
}

}  // namespace vilab
