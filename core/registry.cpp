#include "core/registry.hpp"

#include <functional>
#include <utility>

#include "core/models/fa.hpp"
#include "core/models/gaussian.hpp"
#include "core/models/gmm.hpp"
#include "core/models/logreg/model.hpp"
#include "core/models/targets/model.hpp"
#include "core/models/vae.hpp"

namespace vilab {
namespace {

using Factory = std::function<std::unique_ptr<Model>()>;

const std::vector<std::pair<std::string, Factory>>& factories() {
  static const std::vector<std::pair<std::string, Factory>> list = {
      {"gaussian", [] { return std::make_unique<GaussianModel>(); }},
      {"gmm", [] { return std::make_unique<GmmModel>(); }},
      {"fa", [] { return std::make_unique<FaModel>(); }},
      {"vae", [] { return std::make_unique<VaeModel>(); }},
      {"logreg", [] { return std::make_unique<LogregModel>(); }},
      {"targets", [] { return std::make_unique<TargetsModel>(); }},
  };
  return list;
}

}  // namespace

std::vector<std::string> modelNames() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories()) names.push_back(name);
  return names;
}

std::unique_ptr<Model> makeModel(std::string_view name) {
  for (const auto& [n, factory] : factories())
    if (n == name) return factory();
  return nullptr;
}

}  // namespace vilab
