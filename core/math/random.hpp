#pragma once
// The seeded random generator every model owns: xoshiro256** (Blackman & Vigna 2018) seeded by
// splitmix64, with our own normal and gamma samplers so that a seed gives bit-identical streams
// on every platform (std:: distributions are implementation-defined).

#include <cmath>
#include <cstdint>

namespace vilab {

class Random {
 public:
  explicit Random(std::uint64_t seed = 1) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& s : m_state) s = splitmix64(x);
    m_hasSpare = false;
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
  }

  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform on (0, 1): safe to take the log of.
  double uniformOpen() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  // Integer uniform on [0, n).
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * n); }

  // Standard normal by Marsaglia's polar method (keeps the second value for the next call).
  double normal() {
    if (m_hasSpare) {
      m_hasSpare = false;
      return m_spare;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    m_spare = v * f;
    m_hasSpare = true;
    return u * f;
  }

  // Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via Gamma(shape + 1) U^(1/shape).
  double gamma(double shape) {
    if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniformOpen(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniformOpen();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t m_state[4]{};
  double m_spare = 0.0;
  bool m_hasSpare = false;
};

// The seed of a snapshot's own draws (samples shown in a view): the same state always gives the
// same picture, and the model's own stream is never touched.
inline std::uint64_t viewSeed(std::uint64_t seed, std::int64_t iteration) {
  return seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(iteration) * 0xBF58476D1CE4E5B9ull + 7;
}

}  // namespace vilab
