#pragma once
// The list of models: one line per lab in registry.cpp.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace vilab {

std::vector<std::string> modelNames();
// A fresh model by name, or nullptr if there is no such model.
std::unique_ptr<Model> makeModel(std::string_view name);

}  // namespace vilab
