#include "core/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <sstream>

namespace vilab {

void Scenario::visit(FieldVisitor& v) {
  v.integer({.key = "seed",
             .label = "seed",
             .group = "Run",
             .help = "Seed of the model's random generator: the same scenario and seed give "
                     "bit-identical data and traces.",
             .min = 0,
             .max = 4294967295.0},
            seed);
  visitFields(v);
  v.real({.key = "speed",
          .label = "speed (it/s)",
          .group = "Run",
          .help = "Iterations per second while playing in the GUI; 0 runs as fast as the CPU "
                  "allows. Does not change any result.",
          .min = 0,
          .max = 1e7,
          .logScale = true},
         speed);
}

namespace {

// Calls one function per field with its spec and its current value; never writes.
class Reader : public FieldVisitor {
 public:
  explicit Reader(std::function<void(const FieldSpec&, const FieldValue&)> fn)
      : m_fn(std::move(fn)) {}

 protected:
  void onReal(const FieldSpec& s, double& v) override { m_fn(s, v); }
  void onInteger(const FieldSpec& s, std::int64_t& v) override { m_fn(s, v); }
  void onBoolean(const FieldSpec& s, bool& v) override { m_fn(s, v); }
  void onChoice(const FieldSpec& s, int& i) override {
    const bool known = i >= 0 && i < static_cast<int>(s.choices.size());
    m_fn(s, known ? s.choices[i] : std::string("?"));
  }
  void onText(const FieldSpec& s, std::string& v) override { m_fn(s, v); }

 private:
  std::function<void(const FieldSpec&, const FieldValue&)> m_fn;
};

void readAll(const Scenario& scenario,
             const std::function<void(const FieldSpec&, const FieldValue&)>& fn) {
  Reader reader(fn);
  // Reader never writes through the references visit() hands out.
  const_cast<Scenario&>(scenario).visit(reader);
}

std::string outOfRange(const FieldSpec& s, const std::string& shown) {
  return s.key + " = " + shown + " is not allowed: it must be " + describeRange(s);
}

// Checks a value against a spec; returns the error or "".
std::string checkValue(const FieldSpec& s, const FieldValue& value) {
  switch (s.kind) {
    case FieldKind::Real: {
      double x;
      if (auto d = std::get_if<double>(&value)) x = *d;
      else if (auto i = std::get_if<std::int64_t>(&value)) x = static_cast<double>(*i);
      else return s.key + " must be a number in " + describeRange(s);
      if (!std::isfinite(x)) return outOfRange(s, formatReal(x)) + " (a finite number)";
      if (x < s.min || x > s.max) return outOfRange(s, formatReal(x));
      return "";
    }
    case FieldKind::Integer: {
      double x;
      if (auto d = std::get_if<double>(&value)) x = *d;
      else if (auto i = std::get_if<std::int64_t>(&value)) x = static_cast<double>(*i);
      else return s.key + " must be a whole number in " + describeRange(s);
      if (!std::isfinite(x) || x != std::floor(x))
        return outOfRange(s, formatReal(x)) + " (a whole number)";
      if (x < s.min || x > s.max) return outOfRange(s, formatReal(x));
      return "";
    }
    case FieldKind::Boolean:
      if (!std::holds_alternative<bool>(value)) return s.key + " must be true or false";
      return "";
    case FieldKind::Choice: {
      auto name = std::get_if<std::string>(&value);
      if (!name || std::find(s.choices.begin(), s.choices.end(), *name) == s.choices.end())
        return s.key + " = " + (name ? *name : formatValue(value)) + " is not allowed: it must be one of " +
               describeRange(s);
      return "";
    }
    case FieldKind::Text: {
      auto text = std::get_if<std::string>(&value);
      if (!text) return s.key + " must be text";
      if (text->empty() || text->size() > kMaxTextField)
        return s.key + " must be " + describeRange(s);
      for (unsigned char c : *text)
        if (c < 0x20 || c == 0x7f) return s.key + " must not contain control characters";
      return "";
    }
  }
  return "";
}

// Writes one field (already checked) and records whether the key existed.
class Writer : public FieldVisitor {
 public:
  Writer(std::string_view key, const FieldValue& value) : m_key(key), m_value(value) {}
  std::optional<FieldSpec> found;
  std::string error;

 protected:
  bool mine(const FieldSpec& s) {
    if (s.key != m_key || found) return false;
    found = s;
    error = checkValue(s, m_value);
    return error.empty();
  }
  double number() const {
    if (auto d = std::get_if<double>(&m_value)) return *d;
    return static_cast<double>(std::get<std::int64_t>(m_value));
  }
  void onReal(const FieldSpec& s, double& v) override {
    if (mine(s)) v = number();
  }
  void onInteger(const FieldSpec& s, std::int64_t& v) override {
    if (mine(s)) v = static_cast<std::int64_t>(number());
  }
  void onBoolean(const FieldSpec& s, bool& v) override {
    if (mine(s)) v = std::get<bool>(m_value);
  }
  void onChoice(const FieldSpec& s, int& i) override {
    if (mine(s)) {
      const auto& name = std::get<std::string>(m_value);
      i = static_cast<int>(std::find(s.choices.begin(), s.choices.end(), name) - s.choices.begin());
    }
  }
  void onText(const FieldSpec& s, std::string& v) override {
    if (mine(s)) v = std::get<std::string>(m_value);
  }

 private:
  std::string_view m_key;
  const FieldValue& m_value;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::optional<double> parseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double x = 0.0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, x);
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports overflow without a value; keep the sign for the message.
    return text.find('-') == 0 ? -HUGE_VAL : HUGE_VAL;
  }
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return x;
}

}  // namespace

std::vector<FieldSpec> fieldSpecs(const Scenario& scenario) {
  std::vector<FieldSpec> specs;
  readAll(scenario, [&](const FieldSpec& s, const FieldValue&) { specs.push_back(s); });
  return specs;
}

std::optional<FieldSpec> findField(const Scenario& scenario, std::string_view key) {
  std::optional<FieldSpec> found;
  readAll(scenario, [&](const FieldSpec& s, const FieldValue&) {
    if (!found && s.key == key) found = s;
  });
  return found;
}

std::optional<FieldValue> getField(const Scenario& scenario, std::string_view key) {
  std::optional<FieldValue> found;
  readAll(scenario, [&](const FieldSpec& s, const FieldValue& v) {
    if (!found && s.key == key) found = v;
  });
  return found;
}

bool sameFieldValues(const Scenario& a, const Scenario& b,
                     std::initializer_list<std::string_view> except) {
  for (const FieldSpec& spec : fieldSpecs(a)) {
    if (std::find(except.begin(), except.end(), spec.key) != except.end()) continue;
    if (getField(a, spec.key) != getField(b, spec.key)) return false;
  }
  return true;
}

Status setField(Scenario& scenario, std::string_view key, const FieldValue& value) {
  Writer writer(key, value);
  scenario.visit(writer);
  if (!writer.found)
    return Status::error("unknown key '" + std::string(key) + "' for model " +
                         std::string(scenario.modelName()) +
                         " (vilab --model " + std::string(scenario.modelName()) +
                         " --print-scenario lists the keys)");
  if (!writer.error.empty()) return Status::error(writer.error);
  return Status::ok();
}

Status setFieldFromText(Scenario& scenario, std::string_view key, std::string_view rawText) {
  const auto spec = findField(scenario, key);
  if (!spec) return setField(scenario, key, FieldValue{0.0});  // the unknown-key message
  const std::string text = trim(rawText);
  switch (spec->kind) {
    case FieldKind::Real:
    case FieldKind::Integer: {
      const auto x = parseNumber(text);
      if (!x)
        return Status::error(spec->key + " = '" + text + "' is not a number: it must be " +
                             describeRange(*spec));
      return setField(scenario, key, *x);
    }
    case FieldKind::Boolean: {
      const std::string t = lower(text);
      if (t == "true" || t == "1" || t == "yes" || t == "on") return setField(scenario, key, true);
      if (t == "false" || t == "0" || t == "no" || t == "off")
        return setField(scenario, key, false);
      return Status::error(spec->key + " = '" + text + "' is not allowed: it must be true or false");
    }
    case FieldKind::Choice:
      return setField(scenario, key, lower(text));
    case FieldKind::Text:
      return setField(scenario, key, text);
  }
  return Status::ok();
}

std::vector<std::string> validate(const Scenario& scenario) {
  std::vector<std::string> errors;
  readAll(scenario, [&](const FieldSpec& s, const FieldValue& v) {
    if (auto e = checkValue(s, v); !e.empty()) errors.push_back(e);
  });
  if (errors.empty()) errors = scenario.crossChecks();
  return errors;
}

std::string describeRange(const FieldSpec& s) {
  switch (s.kind) {
    case FieldKind::Real:
      return "a number in [" + formatReal(s.min) + ", " + formatReal(s.max) + "]";
    case FieldKind::Integer:
      return "a whole number in [" + formatReal(s.min) + ", " + formatReal(s.max) + "]";
    case FieldKind::Boolean:
      return "true or false";
    case FieldKind::Choice: {
      std::string out = "{";
      for (std::size_t i = 0; i < s.choices.size(); ++i)
        out += (i ? ", " : "") + s.choices[i];
      return out + "}";
    }
    case FieldKind::Text: {
      std::string out = "text of 1 to " + std::to_string(kMaxTextField) + " characters";
      for (std::size_t i = 0; i < s.choices.size(); ++i)
        out += (i ? ", " : " (e.g. ") + s.choices[i];
      return s.choices.empty() ? out : out + ")";
    }
  }
  return "";
}

std::string formatReal(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, ptr) : std::to_string(value);
}

std::string formatValue(const FieldValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, double>) return formatReal(v);
        else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(v);
        else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else return v;
      },
      value);
}

}  // namespace vilab
