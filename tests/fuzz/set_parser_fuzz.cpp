// Fuzz target: the command line. Lines of the input are arguments; "key=value" lines also go
// through --set on every model. Nothing may crash, and a rejected value must leave the scenario
// unchanged.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/options.hpp"
#include "app/io/scenario_file.hpp"
#include "core/registry.hpp"
#include "tests/fuzz/default_scenarios.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size() && lines.size() < 64) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::vector<const char*> argv = {"vilab"};
  for (const auto& line : lines) argv.push_back(line.c_str());
  vilab::Options options;
  (void)vilab::parseOptions(static_cast<int>(argv.size()), argv.data(), options);

  for (const auto& defaults : vilab::fuzz::defaultScenarios()) {
    auto scenario = defaults->clone();
    for (const auto& line : lines) {
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      const auto before = scenario->clone();  // compared only when the value is rejected
      const vilab::Status s =
          vilab::setFieldFromText(*scenario, line.substr(0, eq), line.substr(eq + 1));
      if (!s && (s.message().empty() ||
                 vilab::scenarioToJson(*scenario) != vilab::scenarioToJson(*before)))
        std::abort();
    }
    (void)vilab::validate(*scenario);
  }
  return 0;
}
