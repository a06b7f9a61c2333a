#pragma once
// Contour levels that enclose given probability masses of a density on a grid, so that two
// densities (exact and approximate, true and fitted) are compared at the same masses.

#include <initializer_list>
#include <span>
#include <vector>

namespace vilab {

// The density levels whose super-level sets hold the given fractions (each in (0, 1)) of the
// grid's total mass, largest level first for the smallest mass; values that are not finite or
// not positive count as zero. Empty when the grid holds no mass. A regular grid is assumed (every
// cell has the same area), so the level of mass m is the value at which the sorted values' running
// sum reaches m times their total.
std::vector<double> massLevels(std::span<const double> density,
                               std::initializer_list<double> masses);

// The n-sigma radius of the ellipse that holds `mass` of a 2-D Gaussian: sqrt(-2 ln(1 - mass))
// (the squared Mahalanobis distance is chi-square with 2 degrees of freedom).
double gaussianMassRadius(double mass);

}  // namespace vilab
