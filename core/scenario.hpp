#pragma once
// A scenario: every setting a model needs (data, priors, algorithm, estimator, optimiser, seed)
// as a plain struct. Each scenario lists its fields once, in visitFields(); that one listing
// drives range validation, --set, scenario files, --print-scenario and the GUI widgets.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/status.hpp"

namespace vilab {

enum class FieldKind { Real, Integer, Boolean, Choice, Text };

// What a field is: its key (as in JSON and --set), GUI label, tooltip and allowed values.
struct FieldSpec {
  std::string key;    // "prior.mu0"
  std::string label;  // short GUI label; may use Greek letters ("μ₀")
  std::string group;  // GUI section: "Data", "Prior", "Algorithm", "Optimizer", "Run"
  std::string help;   // one or two sentences: meaning, units, effect
  double min = 0.0;   // inclusive range (Real, Integer)
  double max = 0.0;
  bool logScale = false;             // GUI hint: drag on a log scale
  std::vector<std::string> choices;  // names of a Choice field, in enum order; suggestions for Text
  FieldKind kind = FieldKind::Real;  // set by the visitor method used
};

// A field's value: numbers, a flag, a choice by name, or text (e.g. a path).
using FieldValue = std::variant<double, std::int64_t, bool, std::string>;

// Walks the fields of a scenario, bound to their storage: readers read, editors write.
class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;

  void real(FieldSpec spec, double& value) {
    spec.kind = FieldKind::Real;
    onReal(spec, value);
  }
  template <std::integral T>
  void integer(FieldSpec spec, T& value) {
    spec.kind = FieldKind::Integer;
    std::int64_t v = static_cast<std::int64_t>(value);
    onInteger(spec, v);
    value = static_cast<T>(v);
  }
  void boolean(FieldSpec spec, bool& value) {
    spec.kind = FieldKind::Boolean;
    onBoolean(spec, value);
  }
  template <class E>
    requires std::is_enum_v<E>
  void choice(FieldSpec spec, E& value) {
    spec.kind = FieldKind::Choice;
    int index = static_cast<int>(value);
    onChoice(spec, index);
    value = static_cast<E>(index);
  }
  void text(FieldSpec spec, std::string& value) {
    spec.kind = FieldKind::Text;
    onText(spec, value);
  }

 protected:
  virtual void onReal(const FieldSpec& spec, double& value) = 0;
  virtual void onInteger(const FieldSpec& spec, std::int64_t& value) = 0;
  virtual void onBoolean(const FieldSpec& spec, bool& value) = 0;
  virtual void onChoice(const FieldSpec& spec, int& index) = 0;
  virtual void onText(const FieldSpec& spec, std::string& value) = 0;
};

// Base of every model's scenario. Holds the fields every lab shares (seed, GUI speed).
class Scenario {
 public:
  virtual ~Scenario() = default;

  std::uint64_t seed = 1;  // every random number of the model derives from it
  double speed = 0.0;      // GUI iterations per second; 0 = as fast as possible

  virtual std::string_view modelName() const = 0;
  virtual std::unique_ptr<Scenario> clone() const = 0;

  // Lists every field (seed first, speed last) bound to this object.
  void visit(FieldVisitor& visitor);

  // Constraints between fields (e.g. "k must not exceed data.n"); ranges are checked generically.
  virtual std::vector<std::string> crossChecks() const { return {}; }

  // Keys of fields that have no effect with the other fields' current values (e.g. the banana's
  // curvature while the target is a Gaussian): the GUI hides them; they keep their values.
  virtual std::vector<std::string> idleFields() const { return {}; }

 protected:
  virtual void visitFields(FieldVisitor& visitor) = 0;
};

// Helper for concrete scenarios: clone() and modelName() from the type.
template <class Derived>
class ScenarioOf : public Scenario {
 public:
  std::unique_ptr<Scenario> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
  std::string_view modelName() const override { return Derived::kModelName; }
};

// --- generic operations driven by visit() ---

std::vector<FieldSpec> fieldSpecs(const Scenario& scenario);
std::optional<FieldSpec> findField(const Scenario& scenario, std::string_view key);
std::optional<FieldValue> getField(const Scenario& scenario, std::string_view key);

// Sets one field after checking its type and range; on error the scenario is unchanged and the
// message names the field and its allowed values.
Status setField(Scenario& scenario, std::string_view key, const FieldValue& value);

// Parses text for the field's kind ("0.5", "1e-3", "true", "score") and sets it.
Status setFieldFromText(Scenario& scenario, std::string_view key, std::string_view text);

// True when every field of a and b (scenarios of the same model) has the same value, the keys in
// `except` aside.
bool sameFieldValues(const Scenario& a, const Scenario& b,
                     std::initializer_list<std::string_view> except = {});

// Every field in range and every cross-check satisfied: empty when valid.
std::vector<std::string> validate(const Scenario& scenario);

// "[0, 1]", "{cavi, gradient}", "true|false": the allowed values, for messages and docs.
inline constexpr std::size_t kMaxTextField = 4096;
std::string describeRange(const FieldSpec& spec);
std::string formatValue(const FieldValue& value);
// Shortest decimal that reads back to the same double.
std::string formatReal(double value);

}  // namespace vilab
