#include "app/labs/fa_lab.hpp"
#include "app/labs/gaussian_lab.hpp"
#include "app/labs/gmm_lab.hpp"
#include "app/labs/lab.hpp"
#include "app/labs/logreg_lab.hpp"
#include "app/labs/targets_lab.hpp"
#include "app/labs/vae_lab.hpp"

namespace vilab {

std::unique_ptr<Lab> makeLab(std::string_view model) {
  if (model == "gaussian") return std::make_unique<GaussianLab>();
  if (model == "fa") return std::make_unique<FaLab>();
  if (model == "gmm") return std::make_unique<GmmLab>();
  if (model == "vae") return std::make_unique<VaeLab>();
  if (model == "logreg") return std::make_unique<LogregLab>();
  if (model == "targets") return std::make_unique<TargetsLab>();
  return nullptr;
}

}  // namespace vilab
