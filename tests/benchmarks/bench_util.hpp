#pragma once
// Shared by the benchmarks: medians of repeated timings, and running a Python peer script with
// Debian's interpreter (/usr/bin/python3, where python3-sklearn and python3-torch live).

#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace vilab::bench {

// Median wall time in seconds of `repeats` calls of f().
template <class F>
double medianSeconds(F&& f, int repeats) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

// Median of this thread's CPU time in seconds over `repeats` calls of f(): on a machine shared
// with other jobs it leaves out the time the thread waited for a core.
template <class F>
double medianCpuSeconds(F&& f, int repeats) {
  const auto now = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  };
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const double start = now();
    f();
    times.push_back(now() - start);
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

// Runs /usr/bin/python3 <script> <args>; its standard output, or nothing when the interpreter,
// the script or a module it needs is missing (the script exits non-zero).
inline std::optional<std::string> runPeer(const std::string& script, const std::string& args = "") {
  const std::string command = "/usr/bin/python3 '" + script + "' " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  std::array<char, 4096> buffer;
  while (std::fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  return pclose(pipe) == 0 ? std::optional(out) : std::nullopt;
}

// The number after "key=" in a line of `text` (peer scripts print key=value pairs).
inline std::optional<double> field(const std::string& text, const std::string& key) {
  const auto at = text.find(key + "=");
  if (at == std::string::npos) return std::nullopt;
  return std::stod(text.substr(at + key.size() + 1));
}

}  // namespace vilab::bench
