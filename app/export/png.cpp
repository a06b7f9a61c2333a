#include "app/export/png.hpp"

#include <stb_image_write.h>

#include <cstdio>
#include <filesystem>

#include "app/export/atomic_file.hpp"

namespace vilab {
namespace {

void appendBytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

Status writePng(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba) {
  if (width <= 0 || height <= 0 || rgba.size() < static_cast<std::size_t>(width) * height * 4)
    return Status::error("no image to write to '" + path + "'");
  std::string bytes;
  if (!stbi_write_png_to_func(appendBytes, &bytes, width, height, 4, rgba.data(), width * 4))
    return Status::error("cannot encode PNG for '" + path + "'");
  return writeFileAtomically(path, bytes);
}

std::string nextScreenshotPath(const std::string& folder) {
  std::error_code ec;
  for (int i = 1; i < 100000; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "vilab-%04d.png", i);
    const auto path = (std::filesystem::path(folder) / name).lexically_normal();
    if (!std::filesystem::exists(path, ec)) return path.string();
  }
  return (std::filesystem::path(folder) / "vilab-last.png").string();
}

}  // namespace vilab
