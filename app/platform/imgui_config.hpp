#pragma once
// Included by imgui.h in every VI Lab target (IMGUI_USER_CONFIG): a failed IM_ASSERT in our code
// throws instead of aborting, so headless UI tests report it and the app exits with a message.
// Only IM_ASSERT changes: the library's data layout is untouched.

namespace vilab {
[[noreturn]] void imguiAssertFailed(const char* expression, const char* file, int line);
}

#define IM_ASSERT(_EXPR) \
  ((_EXPR) ? (void)0 : ::vilab::imguiAssertFailed(#_EXPR, __FILE__, __LINE__))
