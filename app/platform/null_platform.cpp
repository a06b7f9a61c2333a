#include "app/platform/null_platform.hpp"

#include <cstdint>

namespace vilab {

NullPlatform::NullPlatform(ImVec2 displaySize) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = displaySize;
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL3 backend
  refreshFontTexture();
}

NullPlatform::~NullPlatform() {
  ImGui::DestroyContext();
}

void NullPlatform::refreshFontTexture() {
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  ImGui::GetIO().Fonts->SetTexID(reinterpret_cast<ImTextureID>(std::uintptr_t{1}));
}

void NullPlatform::beginFrame(float deltaSeconds) {
  ImGui::GetIO().DeltaTime = deltaSeconds;
  ImGui::NewFrame();
}

void NullPlatform::render() {
  ImGui::Render();
}

ImTextureID NullPlatform::update(const std::string& name, int width, int height,
                                 std::span<const std::uint32_t> rgba) {
  // One id per name (2, 3, ...; 1 is the font atlas), as a GPU would give.
  auto [it, added] = m_ids.try_emplace(name, std::uintptr_t{2} + m_ids.size());
  const auto id = reinterpret_cast<ImTextureID>(it->second);
  if (!added && holds(id, width, height, rgba)) return id;
  ++m_uploads;
  if (rgba.size() >= static_cast<std::size_t>(width) * height) remember(id, width, height, rgba);
  return id;
}

int NullPlatform::drawnVertices() {
  int n = 0;
  const ImDrawData* data = ImGui::GetDrawData();
  for (int i = 0; data && i < data->CmdListsCount; ++i) n += data->CmdLists[i]->VtxBuffer.Size;
  return n;
}

}  // namespace vilab
