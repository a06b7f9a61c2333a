#pragma once
// A modal for choosing a file path (ImGui has no native file dialog): a text field, the folder's
// entries with the wanted extension to click, and the error of the last attempt, so a bad path
// costs nothing and keeps the dialog open.

#include <functional>
#include <string>

#include "core/status.hpp"

namespace vilab::ui {

class PathDialog {
 public:
  // Opens the dialog; `accept` runs on OK and returns an error to show, or ok to close.
  void open(std::string title, std::string path, std::string extension, bool saving,
            std::function<Status(const std::string&)> accept);
  // Call once per frame.
  void draw();
  bool isOpen() const { return m_open; }

 private:
  std::string m_title, m_path, m_extension, m_error;
  bool m_saving = false, m_open = false, m_justOpened = false;
  std::function<Status(const std::string&)> m_accept;
};

}  // namespace vilab::ui
