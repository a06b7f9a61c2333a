#include "app/platform/software_renderer.hpp"

#include <cstdlib>

namespace vilab {

void limitSoftwareRendererThreads() { setenv("LP_NUM_THREADS", "1", /*overwrite=*/0); }

}  // namespace vilab
