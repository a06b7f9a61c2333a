#include "app/labs/mass_levels.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace vilab {

std::vector<double> massLevels(std::span<const double> density,
                               std::initializer_list<double> masses) {
  std::vector<double> sorted(density.begin(), density.end());
  sorted.erase(std::remove_if(sorted.begin(), sorted.end(),
                              [](double v) { return !(v > 0.0) || !std::isfinite(v); }),
               sorted.end());
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  std::vector<double> levels;
  if (!(total > 0.0)) return levels;
  for (double mass : masses) {
    double sum = 0.0;
    for (double v : sorted) {
      sum += v;
      if (sum >= mass * total) {
        levels.push_back(v);
        break;
      }
    }
  }
  return levels;
}

double gaussianMassRadius(double mass) {
  return std::sqrt(-2.0 * std::log1p(-mass));
}

}  // namespace vilab
