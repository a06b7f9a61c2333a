#include "app/ui/math_layout.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <vector>

namespace vilab::ui::math {

// One node of the formula. Layout fills size, metrics and the children's offsets (x from the
// box's left edge, y up from its baseline).
struct Box {
  enum class Kind { Text, Row, Frac, Scripts, Sqrt, BigOp, Accent, Delim, Space, DoubleStruck };
  Kind kind = Kind::Row;
  std::string text;   // Text, BigOp, DoubleStruck: the glyphs; Accent: "bar" or "hat"; Delim: left
  std::string right;  // Delim: the right delimiter
  enum class Spacing { None, Binary, Relation, Punct, Operator } spacing = Spacing::None;
  float em = 0.0f;  // Space: width in em
  // Row: items. Frac: numerator, denominator. Scripts: base, subscript, superscript (either may
  // be null). BigOp: lower limit, upper limit (nullable). Sqrt, Accent, Delim: body.
  std::vector<std::unique_ptr<Box>> kids;

  float size = 0.0f;
  Metrics m;
  float padLeft = 0.0f;  // Text: operator spacing before the glyphs
  std::vector<ImVec2> at;  // per kid
  float delimWidth = 0.0f, delimHalf = 0.0f, axis = 0.0f, rule = 0.0f;
  float opSize = 0.0f, opRaise = 0.0f;  // BigOp: the symbol's size and baseline offset
};

namespace {

using BoxPtr = std::unique_ptr<Box>;

BoxPtr make(Box::Kind kind, std::string text = {}) {
  auto b = std::make_unique<Box>();
  b->kind = kind;
  b->text = std::move(text);
  return b;
}

const std::map<std::string, std::string>& greek() {
  static const std::map<std::string, std::string> k = {
      {"alpha", "α"},   {"beta", "β"},    {"gamma", "γ"},   {"delta", "δ"},     {"epsilon", "ε"},
      {"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"},     {"theta", "θ"},     {"vartheta", "ϑ"},
      {"iota", "ι"},    {"kappa", "κ"},   {"lambda", "λ"},  {"mu", "μ"},        {"nu", "ν"},
      {"xi", "ξ"},      {"pi", "π"},      {"rho", "ρ"},     {"sigma", "σ"},     {"tau", "τ"},
      {"upsilon", "υ"}, {"phi", "φ"},     {"varphi", "φ"},  {"chi", "χ"},       {"psi", "ψ"},
      {"omega", "ω"},   {"Gamma", "Γ"},   {"Delta", "Δ"},   {"Theta", "Θ"},     {"Lambda", "Λ"},
      {"Xi", "Ξ"},      {"Pi", "Π"},      {"Sigma", "Σ"},   {"Phi", "Φ"},       {"Psi", "Ψ"},
      {"Omega", "Ω"}};
  return k;
}

// Symbols: glyphs and how they are spaced.
struct Symbol {
  const char* glyph;
  Box::Spacing spacing;
};
const std::map<std::string, Symbol>& symbols() {
  using S = Box::Spacing;
  static const std::map<std::string, Symbol> k = {
      {"cdot", {"·", S::Binary}},      {"times", {"×", S::Binary}},     {"pm", {"±", S::Binary}},
      {"leftarrow", {"←", S::Relation}}, {"gets", {"←", S::Relation}}, {"to", {"→", S::Relation}},
      {"rightarrow", {"→", S::Relation}}, {"approx", {"≈", S::Relation}},
      {"propto", {"∝", S::Relation}},  {"sim", {"∼", S::Relation}},    {"le", {"≤", S::Relation}},
      {"leq", {"≤", S::Relation}},     {"ge", {"≥", S::Relation}},     {"geq", {"≥", S::Relation}},
      {"neq", {"≠", S::Relation}},     {"in", {"∈", S::Relation}},     {"mid", {"|", S::Relation}},
      {"ln", {"ln", S::Operator}},         {"log", {"log", S::Operator}},      {"exp", {"exp", S::Operator}},
      {"det", {"det", S::Operator}},       {"tr", {"tr", S::Operator}},        {"max", {"max", S::Operator}},
      {"min", {"min", S::Operator}},       {"langle", {"‹", S::None}},     {"rangle", {"›", S::None}},
      {"infty", {"∞", S::None}},       {"partial", {"∂", S::None}},    {"nabla", {"∇", S::None}},
      {"top", {"⊤", S::None}},         {"ell", {"l", S::None}},        {"dots", {"…", S::None}},
      {"ldots", {"…", S::None}},       {"cdots", {"⋯", S::None}},      {"prime", {"′", S::None}}};
  return k;
}

class Parser {
 public:
  explicit Parser(const std::string& s) : m_s(s) {}

  BoxPtr parse() {
    BoxPtr root = row(End::Input);
    if (m_error.empty() && m_i < m_s.size()) fail("unexpected '" + std::string(1, m_s[m_i]) + "'");
    return root;
  }
  const std::string& error() const { return m_error; }

 private:
  enum class End { Input, Brace, Right };

  void fail(const std::string& what, std::size_t at = std::string::npos) {
    if (!m_error.empty()) return;
    m_error = what + " at column " + std::to_string((at == std::string::npos ? m_i : at) + 1);
  }
  bool failed() const { return !m_error.empty(); }

  static bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

  std::string command() {  // after the backslash
    std::size_t start = m_i;
    if (m_i < m_s.size() && isLetter(m_s[m_i])) {
      while (m_i < m_s.size() && isLetter(m_s[m_i])) ++m_i;
    } else if (m_i < m_s.size()) {
      ++m_i;
    }
    return m_s.substr(start, m_i - start);
  }

  void skipSpaces() {
    while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n')) ++m_i;
  }

  // A required argument: {...} or one token.
  BoxPtr argument() {
    skipSpaces();
    if (m_i >= m_s.size()) {
      fail("missing argument");
      return make(Box::Kind::Row);
    }
    if (m_s[m_i] == '{') {
      const std::size_t open = m_i++;
      BoxPtr body = row(End::Brace);
      if (!failed() && (m_i >= m_s.size() || m_s[m_i] != '}')) fail("missing '}' opened", open);
      ++m_i;
      return body;
    }
    if (m_s[m_i] == '}' || m_s[m_i] == '^' || m_s[m_i] == '_') {
      fail("missing argument");
      return make(Box::Kind::Row);
    }
    return atom();
  }

  // The raw text of {...} (for \text and \mathrm), spaces kept.
  std::string rawArgument() {
    skipSpaces();
    if (m_i >= m_s.size() || m_s[m_i] != '{') {
      fail("expected '{'");
      return {};
    }
    const std::size_t open = m_i++;
    int depth = 1;
    std::string out;
    while (m_i < m_s.size()) {
      const char c = m_s[m_i++];
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) return out;
      out += c;
    }
    fail("missing '}' opened", open);
    return out;
  }

  std::string delimiter() {
    skipSpaces();
    if (m_i >= m_s.size()) {
      fail("missing delimiter");
      return {};
    }
    if (m_s[m_i] == '\\') {
      ++m_i;
      const std::string c = command();
      if (c == "langle") return "<";
      if (c == "rangle") return ">";
      if (c == "{" || c == "}" || c == "|") return c == "|" ? "‖" : c;
      fail("unknown delimiter \\" + c);
      return {};
    }
    const char c = m_s[m_i++];
    if (std::strchr("()[]|.", c)) return std::string(1, c);
    fail("unknown delimiter '" + std::string(1, c) + "'", m_i - 1);
    return {};
  }

  BoxPtr atom() {
    const char c = m_s[m_i];
    if (c == '{') {
      const std::size_t open = m_i++;
      BoxPtr body = row(End::Brace);
      if (!failed() && (m_i >= m_s.size() || m_s[m_i] != '}')) fail("missing '}' opened", open);
      ++m_i;
      return body;
    }
    if (c == '\\') {
      const std::size_t at = m_i++;
      const std::string name = command();
      if (name.empty()) {
        fail("lone '\\'", at);
        return make(Box::Kind::Row);
      }
      if (name == "frac") {
        auto b = make(Box::Kind::Frac);
        b->kids.push_back(argument());
        b->kids.push_back(argument());
        return b;
      }
      if (name == "sqrt") {
        auto b = make(Box::Kind::Sqrt);
        b->kids.push_back(argument());
        return b;
      }
      if (name == "sum" || name == "prod") {
        auto b = make(Box::Kind::BigOp, name == "sum" ? "∑" : "∏");
        b->kids.resize(2);
        return b;
      }
      if (name == "mathbb") return make(Box::Kind::DoubleStruck, rawArgument());
      if (name == "bar" || name == "overline" || name == "hat" || name == "widehat" ||
          name == "tilde") {
        auto b = make(Box::Kind::Accent, name == "overline" ? "bar" : name == "widehat" ? "hat" : name);
        b->kids.push_back(argument());
        return b;
      }
      if (name == "text" || name == "mathrm" || name == "operatorname" || name == "mathbf")
        return make(Box::Kind::Text, rawArgument());
      if (name == "left") {
        auto b = make(Box::Kind::Delim, delimiter());
        BoxPtr body = row(End::Right);
        if (!failed()) {
          if (m_i >= m_s.size()) fail("\\left without \\right", at);
          else b->right = delimiter();
        }
        b->kids.push_back(std::move(body));
        return b;
      }
      if (name == "right") {
        fail("\\right without \\left", at);
        return make(Box::Kind::Row);
      }
      if (name == "," || name == ":" || name == ";" || name == "quad" || name == "qquad" ||
          name == "!" || name == " ") {
        auto b = make(Box::Kind::Space);
        b->em = name == "," ? 0.17f : name == ":" ? 0.22f : name == ";" ? 0.28f
              : name == "quad" ? 1.0f : name == "qquad" ? 2.0f : name == " " ? 0.25f : -0.17f;
        return b;
      }
      if (name == "{" || name == "}" || name == "|" || name == "#" || name == "%" || name == "_")
        return make(Box::Kind::Text, name == "|" ? "‖" : name);
      if (auto g = greek().find(name); g != greek().end()) return make(Box::Kind::Text, g->second);
      if (auto s = symbols().find(name); s != symbols().end()) {
        auto b = make(Box::Kind::Text, s->second.glyph);
        b->spacing = s->second.spacing;
        return b;
      }
      fail("unknown command \\" + name, at);
      return make(Box::Kind::Row);
    }
    // Operators and punctuation, one each; anything else runs on as ordinary text.
    if (std::strchr("=<>", c)) {
      ++m_i;
      auto b = make(Box::Kind::Text, std::string(1, c));
      b->spacing = Box::Spacing::Relation;
      return b;
    }
    if (c == '+' || c == '-' || c == '*') {
      ++m_i;
      auto b = make(Box::Kind::Text, c == '-' ? "−" : c == '*' ? "∗" : "+");
      b->spacing = Box::Spacing::Binary;
      return b;
    }
    if (c == ',' || c == ';') {
      ++m_i;
      auto b = make(Box::Kind::Text, std::string(1, c));
      b->spacing = Box::Spacing::Punct;
      return b;
    }
    if (std::strchr("()[]|/!'", c)) {
      ++m_i;
      return make(Box::Kind::Text, std::string(1, c));
    }
    std::string run;
    while (m_i < m_s.size()) {
      const char d = m_s[m_i];
      if (std::strchr("\\{}^_=<>+-*,;()[]|/!' \t\n", d)) break;
      run += d;
      ++m_i;
    }
    return make(Box::Kind::Text, run);
  }

  BoxPtr row(End end) {
    auto r = make(Box::Kind::Row);
    while (!failed()) {
      skipSpaces();
      if (m_i >= m_s.size()) {
        if (end == End::Input) break;
        return r;  // the caller reports what is missing
      }
      const char c = m_s[m_i];
      if (c == '}') {
        if (end == End::Brace) return r;
        fail("unmatched '}'");
        break;
      }
      if (c == '\\' && m_s.compare(m_i, 6, "\\right") == 0 &&
          (m_i + 6 >= m_s.size() || !isLetter(m_s[m_i + 6]))) {
        if (end == End::Right) {
          m_i += 6;
          return r;
        }
        fail("\\right without \\left");
        break;
      }
      if (c == '^' || c == '_') {
        const std::size_t at = m_i++;
        const std::size_t slot = c == '_' ? 0 : 1;
        if (r->kids.empty()) r->kids.push_back(make(Box::Kind::Row));
        BoxPtr& last = r->kids.back();
        Box* target = nullptr;
        if (last->kind == Box::Kind::BigOp) {
          target = last.get();
        } else {
          if (last->kind != Box::Kind::Scripts) {
            auto s = make(Box::Kind::Scripts);
            s->kids.push_back(std::move(last));
            s->kids.resize(3);
            last = std::move(s);
          }
          target = last.get();
        }
        const std::size_t index = target->kind == Box::Kind::BigOp ? slot : slot + 1;
        if (target->kids[index]) {
          fail(std::string("double ") + (c == '^' ? "superscript" : "subscript"), at);
          break;
        }
        target->kids[index] = argument();
        continue;
      }
      r->kids.push_back(atom());
    }
    return r;
  }

  const std::string& m_s;
  std::size_t m_i = 0;
  std::string m_error;
};

// ---- Layout ------------------------------------------------------------------------------------

constexpr float kScriptScale[] = {1.0f, 1.0f, 0.7f, 0.5f};  // display, text, script, scriptscript

struct Ctx {
  ImFont* font;
  float base;
  float axisEm;  // the math axis (middle of '+') above the baseline, in em
};

float widthOf(const Ctx& c, const std::string& text, float size) {
  if (text.empty()) return 0.0f;
  return c.font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str(), text.c_str() + text.size()).x;
}

// One UTF-8 code point at p (a malformed byte reads as U+FFFD); bytes used.
int decodeUtf8(const char* p, const char* end, unsigned int& ch) {
  const auto b = static_cast<unsigned char>(*p);
  const int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || end - p < n) {
    ch = 0xFFFD;
    return 1;
  }
  ch = n == 1 ? b : b & (0x7F >> n);
  for (int i = 1; i < n; ++i) ch = (ch << 6) | (static_cast<unsigned char>(p[i]) & 0x3F);
  return n;
}

// Tight vertical extents of the glyphs of `text` at `size` (baseline 0, up positive).
void inkOf(const Ctx& c, const std::string& text, float size, float& ascent, float& descent) {
  const float k = size / c.font->FontSize;
  ascent = 0.0f, descent = 0.0f;
  const char* p = text.c_str();
  const char* end = p + text.size();
  while (p < end) {
    unsigned int ch = 0;
    p += decodeUtf8(p, end, ch);
    if (ch > 0xFFFF) ch = 0xFFFD;
    if (const ImFontGlyph* g = c.font->FindGlyph(static_cast<ImWchar>(ch)); g && g->Visible) {
      ascent = std::max(ascent, (c.font->Ascent - g->Y0) * k);
      descent = std::max(descent, (g->Y1 - c.font->Ascent) * k);
    }
  }
}

int scriptLevel(int level) { return level < 2 ? 2 : 3; }
int fractionLevel(int level) { return std::min(level + 1, 3); }

void layout(Box& b, int level, const Ctx& c) {
  const float s = c.base * kScriptScale[level];
  b.size = s;
  b.axis = c.axisEm * s;
  b.rule = std::max(1.0f, 0.055f * s);
  b.at.assign(b.kids.size(), ImVec2(0, 0));
  Metrics& m = b.m;
  m = {};
  switch (b.kind) {
    case Box::Kind::Text:
    case Box::Kind::DoubleStruck: {
      m.width = widthOf(c, b.text, s);
      inkOf(c, b.text, s, m.ascent, m.descent);
      m.ascent = std::max(m.ascent, 0.5f * s);
      break;
    }
    case Box::Kind::Space:
      m.width = b.em * s;
      break;
    case Box::Kind::Row: {
      float x = 0.0f;
      const Box* prev = nullptr;
      for (std::size_t i = 0; i < b.kids.size(); ++i) {
        Box& k = *b.kids[i];
        layout(k, level, c);
        // Operator spacing (TeX: medium around binary operators, thick around relations, none
        // in scripts for binaries; a binary at the start or after an operator is unary).
        if (k.kind == Box::Kind::Text && k.spacing != Box::Spacing::None &&
            k.spacing != Box::Spacing::Operator) {
          float pad = 0.0f, after = 0.0f;
          const bool unary = k.spacing == Box::Spacing::Binary &&
                             (!prev || (prev->kind == Box::Kind::Text &&
                                        (prev->spacing != Box::Spacing::None || prev->text == "(" ||
                                         prev->text == "[")));
          if (k.spacing == Box::Spacing::Relation) pad = after = (level < 2 ? 0.28f : 0.14f) * s;
          else if (k.spacing == Box::Spacing::Binary && !unary) pad = after = (level < 2 ? 0.22f : 0.08f) * s;
          else if (k.spacing == Box::Spacing::Punct) after = 0.17f * s;
          k.padLeft = pad;
          k.m.width += pad + after;
        }
        // A thin space after an operator name before its argument (ln p, not lnp).
        if (prev && prev->kind == Box::Kind::Text && prev->spacing == Box::Spacing::Operator &&
            !(k.kind == Box::Kind::Delim || (k.kind == Box::Kind::Text && (k.text == "(" || k.text == "["))))
          x += 0.17f * s;
        b.at[i] = ImVec2(x, 0.0f);
        x += k.m.width;
        m.ascent = std::max(m.ascent, k.m.ascent);
        m.descent = std::max(m.descent, k.m.descent);
        prev = &k;
      }
      m.width = x;
      if (b.kids.empty()) m.ascent = 0.5f * s;
      break;
    }
    case Box::Kind::Frac: {
      Box& num = *b.kids[0];
      Box& den = *b.kids[1];
      const int inner = fractionLevel(level);
      layout(num, inner, c);
      layout(den, inner, c);
      const float gap = (level == 0 ? 0.16f : 0.1f) * s, pad = 0.12f * s;
      m.width = std::max(num.m.width, den.m.width) + 2.0f * pad;
      const float numBase = b.axis + 0.5f * b.rule + gap + num.m.descent;
      const float denBase = b.axis - 0.5f * b.rule - gap - den.m.ascent;
      b.at[0] = ImVec2(0.5f * (m.width - num.m.width), numBase);
      b.at[1] = ImVec2(0.5f * (m.width - den.m.width), denBase);
      m.ascent = numBase + num.m.ascent;
      m.descent = std::max(0.0f, -denBase + den.m.descent);
      break;
    }
    case Box::Kind::Scripts: {
      Box& base = *b.kids[0];
      layout(base, level, c);
      const int sl = scriptLevel(level);
      Box* sub = b.kids[1].get();
      Box* sup = b.kids[2].get();
      if (sub) layout(*sub, sl, c);
      if (sup) layout(*sup, sl, c);
      float supShift = 0.0f, subShift = 0.0f;
      if (sup) supShift = std::max({0.42f * s, base.m.ascent - 0.3f * s, sup->m.descent + 0.25f * s});
      if (sub) subShift = std::max({0.2f * s, base.m.descent + 0.05f * s, sub->m.ascent - 0.45f * s});
      if (sup && sub) {
        const float gap = (supShift - sup->m.descent) - (sub->m.ascent - subShift);
        if (gap < 0.12f * s) subShift += 0.12f * s - gap;
      }
      const float x = base.m.width + 0.04f * s;
      float w = 0.0f;
      if (sup) {
        b.at[2] = ImVec2(x, supShift);
        w = std::max(w, sup->m.width);
      }
      if (sub) {
        b.at[1] = ImVec2(x, -subShift);
        w = std::max(w, sub->m.width);
      }
      m.width = x + w + 0.04f * s;
      m.ascent = std::max(base.m.ascent, sup ? supShift + sup->m.ascent : 0.0f);
      m.descent = std::max(base.m.descent, sub ? subShift + sub->m.descent : 0.0f);
      break;
    }
    case Box::Kind::BigOp: {
      const float opSize = level == 0 ? 1.45f * s : 1.1f * s;
      const float opWidth = widthOf(c, b.text, opSize);
      float inkUp = 0.0f, inkDown = 0.0f;
      inkOf(c, b.text, opSize, inkUp, inkDown);
      // Centre the symbol on the axis.
      const float shift = b.axis - 0.5f * (inkUp - inkDown);
      b.opSize = opSize;
      b.opRaise = shift;
      const float symUp = inkUp + shift, symDown = inkDown - shift;
      Box* lo = b.kids[0].get();
      Box* hi = b.kids[1].get();
      const int sl = scriptLevel(level);
      if (lo) layout(*lo, sl, c);
      if (hi) layout(*hi, sl, c);
      if (level == 0) {
        const float gap = 0.12f * s;
        m.width = std::max({opWidth, lo ? lo->m.width : 0.0f, hi ? hi->m.width : 0.0f});
        b.padLeft = 0.5f * (m.width - opWidth);  // the symbol's x
        m.ascent = symUp, m.descent = symDown;
        if (hi) {
          b.at[1] = ImVec2(0.5f * (m.width - hi->m.width), symUp + gap + hi->m.descent);
          m.ascent = b.at[1].y + hi->m.ascent;
        }
        if (lo) {
          b.at[0] = ImVec2(0.5f * (m.width - lo->m.width), -(symDown + gap + lo->m.ascent));
          m.descent = -b.at[0].y + lo->m.descent;
        }
      } else {
        b.padLeft = 0.0f;
        const float x = opWidth + 0.05f * s;
        m.width = x + std::max(lo ? lo->m.width : 0.0f, hi ? hi->m.width : 0.0f);
        m.ascent = symUp, m.descent = symDown;
        if (hi) {
          b.at[1] = ImVec2(x, symUp - 0.5f * hi->m.ascent);
          m.ascent = std::max(m.ascent, b.at[1].y + hi->m.ascent);
        }
        if (lo) {
          b.at[0] = ImVec2(x, -symDown + 0.5f * lo->m.ascent - lo->m.ascent);
          m.descent = std::max(m.descent, -b.at[0].y + lo->m.descent);
        }
      }
      m.width += 0.1f * s;
      break;
    }
    case Box::Kind::Sqrt: {
      Box& body = *b.kids[0];
      layout(body, level, c);
      const float gap = 0.12f * s, hook = 0.55f * s;
      b.at[0] = ImVec2(hook + 0.05f * s, 0.0f);
      m.width = hook + body.m.width + 0.15f * s;
      m.ascent = body.m.ascent + gap + b.rule;
      m.descent = body.m.descent + 0.05f * s;
      break;
    }
    case Box::Kind::Accent: {
      Box& body = *b.kids[0];
      layout(body, level, c);
      m = body.m;
      m.ascent = body.m.ascent + (b.text == "bar" ? 0.12f : 0.3f) * s + b.rule;
      break;
    }
    case Box::Kind::Delim: {
      Box& body = *b.kids[0];
      layout(body, level, c);
      // Symmetric about the axis and covering the body, at least a parenthesis tall.
      const float half = std::max({body.m.ascent - b.axis, body.m.descent + b.axis, 0.6f * s}) + 0.08f * s;
      b.delimHalf = half;
      b.delimWidth = (0.28f + 0.06f * std::min(half / s, 3.0f)) * s;
      const float left = b.text == "." ? 0.0f : b.delimWidth;
      const float right = b.right == "." ? 0.0f : b.delimWidth;
      b.at[0] = ImVec2(left, 0.0f);
      m.width = left + body.m.width + right;
      m.ascent = std::max(body.m.ascent, b.axis + half);
      m.descent = std::max(body.m.descent, half - b.axis);
      break;
    }
  }
}

// ---- Drawing -----------------------------------------------------------------------------------

struct Drawer {
  ImDrawList* list;
  ImFont* font;
  ImU32 color;

  void text(const std::string& t, float size, float x, float baseline) const {
    if (t.empty()) return;
    const float top = baseline - font->Ascent * size / font->FontSize;
    list->AddText(font, size, ImVec2(x, top), color, t.c_str(), t.c_str() + t.size());
  }

  // A delimiter drawn as strokes, `half` above and below the axis at `axisY`, in a box of
  // width w starting at x; `mirror` for the right-hand one.
  void delimiter(const std::string& d, float x, float w, float axisY, float half, float rule,
                 bool mirror) const {
    const float top = axisY - half, bottom = axisY + half;
    const float inner = mirror ? x + 0.2f * w : x + 0.8f * w;
    const float t = rule * 1.1f;
    if (d == "(" || d == ")") {
      const bool m = d == ")";
      const float in = m ? x + 0.2f * w : x + 0.8f * w, out = m ? x + 0.8f * w : x + 0.2f * w;
      list->AddBezierCubic(ImVec2(in, top), ImVec2(out, top + 0.3f * half),
                           ImVec2(out, bottom - 0.3f * half), ImVec2(in, bottom), color, t);
    } else if (d == "[" || d == "]") {
      const bool m = d == "]";
      const float in = m ? x + 0.25f * w : x + 0.75f * w, out = m ? x + 0.65f * w : x + 0.35f * w;
      list->AddLine(ImVec2(in, top), ImVec2(out, top), color, t);
      list->AddLine(ImVec2(out, top), ImVec2(out, bottom), color, t);
      list->AddLine(ImVec2(out, bottom), ImVec2(in, bottom), color, t);
    } else if (d == "<" || d == ">") {
      const bool m = d == ">";
      const float in = m ? x + 0.25f * w : x + 0.75f * w, out = m ? x + 0.7f * w : x + 0.3f * w;
      list->AddLine(ImVec2(in, top), ImVec2(out, axisY), color, t);
      list->AddLine(ImVec2(out, axisY), ImVec2(in, bottom), color, t);
    } else if (d == "|" || d == "‖") {
      const float mid = x + 0.5f * w;
      if (d == "|") {
        list->AddLine(ImVec2(mid, top), ImVec2(mid, bottom), color, t);
      } else {
        list->AddLine(ImVec2(mid - 0.12f * w, top), ImVec2(mid - 0.12f * w, bottom), color, t);
        list->AddLine(ImVec2(mid + 0.12f * w, top), ImVec2(mid + 0.12f * w, bottom), color, t);
      }
    } else if (d == "{" || d == "}") {
      const float sgn = mirror ? -1.0f : 1.0f;
      const float midX = mirror ? x + 0.7f * w : x + 0.3f * w;
      const float stem = midX + sgn * 0.25f * w;
      list->AddBezierCubic(ImVec2(inner, top), ImVec2(stem, top), ImVec2(stem, top), ImVec2(stem, axisY - 0.3f * half), color, t);
      list->AddBezierCubic(ImVec2(stem, axisY - 0.3f * half), ImVec2(stem, axisY), ImVec2(stem, axisY), ImVec2(midX, axisY), color, t);
      list->AddBezierCubic(ImVec2(midX, axisY), ImVec2(stem, axisY), ImVec2(stem, axisY), ImVec2(stem, axisY + 0.3f * half), color, t);
      list->AddBezierCubic(ImVec2(stem, axisY + 0.3f * half), ImVec2(stem, bottom), ImVec2(stem, bottom), ImVec2(inner, bottom), color, t);
    }
  }

  void draw(const Box& b, float x, float baseline) const {
    switch (b.kind) {
      case Box::Kind::Text:
        text(b.text, b.size, x + b.padLeft, baseline);
        break;
      case Box::Kind::DoubleStruck: {
        text(b.text, b.size, x, baseline);
        // A second stem inside the letter: the blackboard-bold look without a glyph for it.
        const float stem = x + 0.2f * b.size;
        list->AddLine(ImVec2(stem, baseline - 0.72f * b.size), ImVec2(stem, baseline),
                      color, std::max(1.0f, 0.05f * b.size));
        break;
      }
      case Box::Kind::Space:
        break;
      case Box::Kind::BigOp:
        text(b.text, b.opSize, x + b.padLeft, baseline - b.opRaise);
        break;
      default:
        break;
    }
    if (b.kind == Box::Kind::Frac) {
      const float y = baseline - b.axis;
      list->AddLine(ImVec2(x + 0.06f * b.size, y), ImVec2(x + b.m.width - 0.06f * b.size, y), color, b.rule);
    }
    if (b.kind == Box::Kind::Sqrt) {
      const Box& body = *b.kids[0];
      const float top = baseline - (body.m.ascent + 0.12f * b.size) - 0.5f * b.rule;
      const float bottom = baseline + body.m.descent;
      const float hookX = x + b.at[0].x - 0.05f * b.size;
      ImVec2 pts[] = {ImVec2(x + 0.05f * b.size, baseline - 0.3f * b.size),
                      ImVec2(x + 0.17f * b.size, baseline - 0.38f * b.size),
                      ImVec2(x + 0.32f * b.size, bottom), ImVec2(hookX, top),
                      ImVec2(x + b.m.width - 0.05f * b.size, top)};
      list->AddPolyline(pts, 5, color, 0, b.rule);
    }
    if (b.kind == Box::Kind::Accent) {
      const Box& body = *b.kids[0];
      const float y = baseline - body.m.ascent - 0.1f * b.size;
      const float l = x + 0.1f * b.size, r = x + body.m.width - 0.02f * b.size;
      if (b.text == "bar") {
        list->AddLine(ImVec2(l, y), ImVec2(std::max(r, l + 0.3f * b.size), y), color, b.rule);
      } else if (b.text == "hat") {
        const float mid = 0.5f * (l + r), half = std::min(0.3f * b.size, 0.5f * (r - l) + 0.1f * b.size);
        ImVec2 pts[] = {ImVec2(mid - half, y), ImVec2(mid, y - 0.22f * b.size), ImVec2(mid + half, y)};
        list->AddPolyline(pts, 3, color, 0, b.rule);
      } else {  // tilde
        const float mid = 0.5f * (l + r), half = 0.25f * b.size, yy = y - 0.1f * b.size;
        list->AddBezierCubic(ImVec2(mid - half, yy + 0.05f * b.size), ImVec2(mid - 0.3f * half, yy - 0.2f * b.size),
                             ImVec2(mid + 0.3f * half, yy + 0.2f * b.size), ImVec2(mid + half, yy - 0.05f * b.size), color, b.rule);
      }
    }
    if (b.kind == Box::Kind::Delim) {
      const float axisY = baseline - b.axis;
      if (b.text != ".") delimiter(b.text, x, b.delimWidth, axisY, b.delimHalf, b.rule, false);
      if (b.right != ".")
        delimiter(b.right, x + b.m.width - b.delimWidth, b.delimWidth, axisY, b.delimHalf, b.rule, true);
    }
    for (std::size_t i = 0; i < b.kids.size(); ++i)
      if (b.kids[i]) draw(*b.kids[i], x + b.at[i].x, baseline - b.at[i].y);
  }
};

void collectRuns(const Box& b, float baseline, std::vector<std::pair<const Box*, float>>& out) {
  if (b.kind == Box::Kind::Text || b.kind == Box::Kind::DoubleStruck || b.kind == Box::Kind::BigOp)
    out.emplace_back(&b, baseline);
  for (std::size_t i = 0; i < b.kids.size(); ++i)
    if (b.kids[i]) collectRuns(*b.kids[i], baseline + b.at[i].y, out);
}

}  // namespace

Layout::Layout() = default;
Layout::~Layout() = default;
Layout::Layout(Layout&&) noexcept = default;
Layout& Layout::operator=(Layout&&) noexcept = default;

Layout typeset(const std::string& markup, ImFont* font, float size) {
  Layout out;
  Ctx ctx{font, size, 0.3f};
  if (const ImFontGlyph* plus = font->FindGlyph('+'); plus && plus->Visible)
    ctx.axisEm = (font->Ascent - 0.5f * (plus->Y0 + plus->Y1)) / font->FontSize;
  Parser parser(markup);
  BoxPtr root = parser.parse();
  if (!parser.error().empty()) {
    out.m_error = parser.error();
    root = make(Box::Kind::Text, markup);
  }
  layout(*root, 0, ctx);
  out.m_metrics = root->m;
  out.m_root = std::move(root);
  out.m_font = font;
  return out;
}

void Layout::draw(ImDrawList* list, ImVec2 origin, ImU32 color) const {
  if (!m_root) return;
  Drawer d{list, m_font, color};
  d.draw(*m_root, origin.x, origin.y);
}

float Layout::smallestRunSize() const {
  std::vector<std::pair<const Box*, float>> runs;
  if (m_root) collectRuns(*m_root, 0.0f, runs);
  float s = std::numeric_limits<float>::infinity();
  for (const auto& r : runs) s = std::min(s, r.first->size);
  return s;
}

float Layout::largestRunSize() const {
  std::vector<std::pair<const Box*, float>> runs;
  if (m_root) collectRuns(*m_root, 0.0f, runs);
  float s = 0.0f;
  for (const auto& r : runs) s = std::max(s, r.first->size);
  return s;
}

float Layout::baselineOf(const std::string& text) const {
  std::vector<std::pair<const Box*, float>> runs;
  if (m_root) collectRuns(*m_root, 0.0f, runs);
  for (const auto& r : runs)
    if (r.first->text == text) return r.second;
  return std::numeric_limits<float>::quiet_NaN();
}

}  // namespace vilab::ui::math
