#pragma once
// Mesa's llvmpipe (software OpenGL: virtual machines, remote desktops, Xvfb) rasterizes on as many
// threads as the machine has cores. On two cores those threads take turns with the optimizer's
// worker; measured with --bench-frames on this project's 2-core machine, one rasterizer thread
// gives steadier frames (Gaussian lab p95 14.5 against 18.2 ms) at the same optimizer rate. A
// lower priority for the GUI's threads was measured too and changed nothing beyond noise, so the
// GUI keeps the normal priority (it must stay responsive beside other programs).

namespace vilab {

// Before the OpenGL context exists: one llvmpipe rasterizer thread, unless the user set
// LP_NUM_THREADS. No effect on other drivers.
void limitSoftwareRendererThreads();

}  // namespace vilab
