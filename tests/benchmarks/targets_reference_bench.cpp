// The families-and-divergences lab's exact reference: computeReference on the default 256 x 256
// quadrature grid (plus the 128 x 128 view, and the constrained view) for every target kind, and
// KL(q||p) + KL(p||q) from ln q at the nodes (the per-iteration cost beside q's own logDensity).
// Budget (issue 10): <= 20 ms per new target. Prints medians of wall and thread-CPU time.

#include <cstdio>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "core/models/targets/densities.hpp"
#include "core/models/targets/reference.hpp"

using namespace vilab;

int main() {
  using K = TargetSpec::Kind;
  std::vector<TargetSpec> specs;
  for (K kind :
       {K::Gaussian, K::Banana, K::Mixture, K::Ring, K::Funnel, K::Constrained, K::Custom}) {
    TargetSpec s;
    s.kind = kind;
    if (kind == K::Mixture) s.modes = 4;
    if (kind == K::Constrained) s.dataCount = 20;
    if (kind == K::Custom)
      for (int i = 0; i < 8; ++i) s.bumps.push_back({0.5 * i - 2.0, 0.3 * i, 0.4 + 0.1 * i, 1.0});
    specs.push_back(s);
  }
  const int repeats = 31;
  std::printf("%-58s %10s %10s %12s\n", "target (256 x 256 grid, 128 x 128 view)", "wall ms",
              "cpu ms", "KL both ms");
  for (const TargetSpec& s : specs) {
    const auto target = makeTarget(s);
    TargetReference r;
    const double wall = bench::medianSeconds([&] { r = computeReference(*target); }, repeats);
    const double cpu = bench::medianCpuSeconds([&] { r = computeReference(*target); }, repeats);
    const Eigen::VectorXd logq = r.logDensity.array() - r.logZ;  // q = p: any ln q costs the same
    double sink = 0.0;
    const double kl =
        bench::medianCpuSeconds([&] { sink += klQP(r, logq) + klPQ(r, logq); }, repeats);
    std::printf("%-58s %10.2f %10.2f %12.3f%s\n", target->name().c_str(), 1e3 * wall, 1e3 * cpu,
                1e3 * kl, sink > 1e300 ? "!" : "");
  }
  return 0;
}
