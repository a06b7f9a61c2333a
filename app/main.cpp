// vilab: the command line (see `vilab --help`), dispatching to the GUI, headless runs and the
// printing commands.

#include <cstdio>
#include <exception>

#include "app/cli/headless.hpp"
#include "app/cli/options.hpp"
#include "app/cli/session.hpp"
#include "app/cli/tour_cli.hpp"
#include "app/io/scenario_file.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"

namespace {

int badInput(const vilab::Status& status) {
  std::fprintf(stderr, "vilab: error: %s\n", status.message().c_str());
  return 2;
}

int printFields(const vilab::Scenario& scenario) {
  std::printf("| key | default | allowed | meaning |\n|---|---|---|---|\n");
  for (const auto& spec : vilab::fieldSpecs(scenario)) {
    std::string help;
    for (char c : spec.help) help += c == '|' ? std::string("\\|") : std::string(1, c);
    std::printf("| `%s` | %s | %s | %s |\n", spec.key.c_str(),
                vilab::formatValue(*vilab::getField(scenario, spec.key)).c_str(),
                vilab::describeRange(spec).c_str(), help.c_str());
  }
  return 0;
}

int run(int argc, char** argv) {
  vilab::Options options;
  if (vilab::Status s = vilab::parseOptions(argc, argv, options); !s) return badInput(s);
  if (options.help) return std::printf("%s", vilab::usage().c_str()), 0;
  if (options.version) return std::printf("vilab %s\n", VILAB_VERSION), 0;
  vilab::ui::setTheme(options.theme == "dark" ? vilab::ui::Theme::Dark : vilab::ui::Theme::Light);
  if (options.listModels) {
    for (const auto& name : vilab::modelNames())
      std::printf("%-10s %s\n", name.c_str(), vilab::makeModel(name)->info().summary.c_str());
    return 0;
  }
  if (options.printScenario || options.printFields) {
    std::unique_ptr<vilab::Model> model;
    std::unique_ptr<vilab::Scenario> scenario;
    if (vilab::Status s = vilab::buildScenario(options, model, scenario); !s) return badInput(s);
    if (options.printFields) return printFields(*scenario);
    std::printf("%s\n", vilab::scenarioToJson(*scenario).dump(2).c_str());
    return 0;
  }
  if (options.headless && !options.tour.empty()) return vilab::runTourHeadless(options);
  vilab::Session session;
  if (vilab::Status s = vilab::buildSession(options, session); !s) return badInput(s);
  if (options.headless) return vilab::runHeadless(std::move(session), options);
  if (options.benchFrames > 0) return vilab::benchFrames(std::move(session), options);
  return vilab::runWindow(std::move(session), options);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vilab: internal error: %s\n", e.what());
    return 1;
  }
}
