#pragma once
// Names with subscript indices as the lectures write them: x₁, ψ₁₂, z₃.

#include <string>
#include <string_view>

namespace vilab {

// letter followed by value's decimal digits as Unicode subscripts (U+2080..U+2089), UTF-8.
// Precondition: value >= 0.
inline std::string indexed(std::string_view letter, int value) {
  static constexpr const char* kDigits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string out(letter);
  for (char c : std::to_string(value)) out += kDigits[c - '0'];
  return out;
}

}  // namespace vilab
