#pragma once
// Keeps the optimizer's core for the optimizer on a small machine. With software OpenGL (Mesa's
// llvmpipe) the GUI is the UI thread plus the driver's rasterizer threads; on two cores they
// would take turns with the worker and slow it down. Lowering every thread but the worker
// (named Runner::kWorkerThreadName) to nice 10 lets the scheduler give the worker its core first;
// the GUI keeps the other one. Raising a thread's nice needs no privilege.

namespace vilab {

// Renices every thread of the process except the optimizer's worker (Linux; elsewhere nothing).
// Call after the window (and so the driver's threads) and the worker exist. Returns the number of
// threads reniced.
int yieldCoresToWorker();

// Before the OpenGL context exists: asks Mesa's llvmpipe for one rasterizer thread unless the user
// set LP_NUM_THREADS (measured: see the README's Performance section).
void limitSoftwareRendererThreads();

}  // namespace vilab
