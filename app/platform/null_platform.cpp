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

ImTextureID NullPlatform::update(const std::string&, int, int, std::span<const std::uint32_t>) {
  ++m_uploads;
  return reinterpret_cast<ImTextureID>(std::uintptr_t{2});
}

int NullPlatform::drawnVertices() {
  int n = 0;
  const ImDrawData* data = ImGui::GetDrawData();
  for (int i = 0; data && i < data->CmdListsCount; ++i) n += data->CmdLists[i]->VtxBuffer.Size;
  return n;
}

}  // namespace vilab
