#include "app/ui/path_dialog.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>
#include <vector>

namespace vilab::ui {

namespace fs = std::filesystem;

void PathDialog::open(std::string title, std::string path, std::string extension, bool saving,
                      std::function<Status(const std::string&)> accept) {
  m_title = std::move(title);
  m_path = std::move(path);
  m_extension = std::move(extension);
  m_saving = saving;
  m_accept = std::move(accept);
  m_error.clear();
  m_open = m_justOpened = true;
}

void PathDialog::draw() {
  if (!m_open) return;
  const std::string id = m_title + "###pathdialog";
  if (m_justOpened) {
    ImGui::OpenPopup(id.c_str());
    m_justOpened = false;
  }
  const float font = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(font * 36, font * 24), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(id.c_str(), nullptr)) {
    m_open = false;
    return;
  }
  ImGui::TextUnformatted(m_saving ? "Save to:" : "Open:");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  bool accept = ImGui::InputText("##path", &m_path, ImGuiInputTextFlags_EnterReturnsTrue);

  // The folder of the typed path: sub-folders and files with the extension, click to choose.
  std::error_code ec;
  fs::path folder = fs::path(m_path).parent_path();
  if (fs::is_directory(m_path, ec)) folder = m_path;
  if (folder.empty()) folder = ".";
  ImGui::TextDisabled("%s", fs::absolute(folder, ec).string().c_str());
  ImGui::BeginChild("entries", ImVec2(0, -font * 3.6f), true);
  if (ImGui::Selectable("..")) m_path = (fs::absolute(folder, ec).parent_path() / "").string();
  std::vector<fs::directory_entry> entries;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const bool dir = it->is_directory(ec);
    if (dir || it->path().extension() == m_extension) entries.push_back(*it);
    if (entries.size() > 500) break;
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const auto& e : entries) {
    const bool dir = e.is_directory(ec);
    const std::string name = e.path().filename().string() + (dir ? "/" : "");
    if (ImGui::Selectable(name.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick)) {
      m_path = dir ? (e.path() / "").string() : e.path().string();
      if (!dir && ImGui::IsMouseDoubleClicked(0)) accept = true;
    }
  }
  ImGui::EndChild();
  if (!m_error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", m_error.c_str());
  else ImGui::NewLine();
  if (ImGui::Button(m_saving ? "Save" : "Open", ImVec2(font * 6, 0))) accept = true;
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(font * 6, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    m_open = false;
    ImGui::CloseCurrentPopup();
  }
  if (accept && m_open) {
    const Status s = m_accept(m_path);
    if (s) {
      m_open = false;
      ImGui::CloseCurrentPopup();
    } else {
      m_error = s.message();
    }
  }
  ImGui::EndPopup();
}

}  // namespace vilab::ui
