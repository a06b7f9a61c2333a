#include "core/models/targets/bump_text.hpp"

#include "core/scenario.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace vilab {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

void appendNumber(std::string& out, double v) {
  std::array<char, 32> buffer;
  const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
  out.append(buffer.data(), r.ptr);
}

}  // namespace

Status parseBumps(std::string_view text, std::vector<TargetBump>& bumps) {
  bumps.clear();
  if (trim(text).empty()) return Status::ok();
  std::vector<TargetBump> parsed;
  static constexpr std::array<const char*, 4> kFields{"x", "y", "sd", "w"};
  int index = 0;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    const std::string_view item = trim(text.substr(start, end - start));
    start = end + 1;
    ++index;
    const std::string where = "bump " + std::to_string(index);
    if (index > kMaxBumps)
      return Status::error("too many bumps: at most " + std::to_string(kMaxBumps));
    if (item.empty())
      return Status::error(where +
                           " is empty; each bump is x,y,sd,w and bumps are separated by ';'");
    std::vector<std::string_view> fields;
    for (std::size_t pos = 0;;) {
      const std::size_t comma = item.find(',', pos);
      fields.push_back(
          trim(item.substr(pos, comma == std::string_view::npos ? item.npos : comma - pos)));
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    if (fields.size() != 4)
      return Status::error(where + " (\"" + std::string(item) + "\") has " +
                           std::to_string(fields.size()) + " field(s); it needs 4: x,y,sd,w");
    // Centres within the lab's view, widths the 256-node quadrature resolves (at most 200
    // apart), weights within a factor 10^4 of each other.
    static constexpr std::array<std::array<double, 2>, 4> kRange{{{-20, 20}, {-20, 20}, {0.05, 10}, {0.01, 100}}};
    std::array<double, 4> v{};
    for (std::size_t f = 0; f < 4; ++f) {
      const std::string_view field = fields[f];
      const auto r = std::from_chars(field.data(), field.data() + field.size(), v[f]);
      if (field.empty() || r.ec != std::errc() || r.ptr != field.data() + field.size() || !std::isfinite(v[f]) ||
          v[f] < kRange[f][0] || v[f] > kRange[f][1])
        return Status::error(where + ": field " + kFields[f] + " is \"" + std::string(field) +
                             "\"; it must be a number in [" + formatReal(kRange[f][0]) + ", " +
                             formatReal(kRange[f][1]) + "]");
    }
    parsed.push_back({v[0], v[1], v[2], v[3]});
  }
  bumps = std::move(parsed);
  return Status::ok();
}

std::string formatBumps(const std::vector<TargetBump>& bumps) {
  std::string out;
  for (std::size_t i = 0; i < bumps.size(); ++i) {
    if (i) out += "; ";
    const TargetBump& b = bumps[i];
    for (double v : {b.x, b.y, b.sd, b.weight}) {
      appendNumber(out, v);
      out += ',';
    }
    out.pop_back();
  }
  return out;
}

}  // namespace vilab
