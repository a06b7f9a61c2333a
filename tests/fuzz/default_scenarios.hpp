#pragma once
// Every model's default scenario, made once per fuzzing process: constructing a model (the VAE's
// network) per input would cost more than the parsing under test.

#include <memory>
#include <vector>

#include "core/registry.hpp"

namespace vilab::fuzz {

inline const std::vector<std::unique_ptr<Scenario>>& defaultScenarios() {
  static const auto all = [] {
    std::vector<std::unique_ptr<Scenario>> out;
    for (const auto& name : modelNames()) out.push_back(makeModel(name)->defaultScenario());
    return out;
  }();
  return all;
}

}  // namespace vilab::fuzz
