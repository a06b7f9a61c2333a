#include "app/platform/imgui_config.hpp"

#include <stdexcept>
#include <string>

namespace vilab {

void imguiAssertFailed(const char* expression, const char* file, int line) {
  throw std::logic_error(std::string("Dear ImGui assertion failed: ") + expression + " at " + file +
                         ":" + std::to_string(line));
}

}  // namespace vilab
