// The typesetter's geometry: fractions stack, scripts rise and fall at a smaller size, delimiters
// grow, and malformed markup is reported and drawn as plain text instead of crashing.

#include "app/ui/math_layout.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/platform/null_platform.hpp"
#include "app/ui/style.hpp"

namespace vilab::ui::math {
namespace {

class MathLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    applyStyle(1.0f);
    platform.refreshFontTexture();
    font = ImGui::GetIO().Fonts->Fonts[0];
  }
  Layout at(const std::string& markup, float size = 20.0f) { return typeset(markup, font, size); }
  NullPlatform platform;
  ImFont* font = nullptr;
};

TEST_F(MathLayout, FractionIsTallerThanItsNumeratorAndStraddlesTheAxis) {
  const Layout num = at("a + b");
  const Layout frac = at("\\frac{a + b}{c}");
  ASSERT_TRUE(frac.ok()) << frac.error();
  EXPECT_GT(frac.metrics().height(), num.metrics().height() * 1.8f);
  EXPECT_GT(frac.metrics().ascent, num.metrics().ascent);
  EXPECT_GT(frac.metrics().descent, num.metrics().descent);
  EXPECT_GT(frac.baselineOf("a"), 0.0f);  // the numerator sits above the baseline
  EXPECT_LT(frac.baselineOf("c"), 0.0f);  // the denominator below
}

TEST_F(MathLayout, ScriptsRiseFallAndShrink) {
  const Layout sup = at("x^{2}");
  const Layout sub = at("x_{n}");
  ASSERT_TRUE(sup.ok() && sub.ok());
  EXPECT_GT(sup.baselineOf("2"), 0.0f);
  EXPECT_LT(sub.baselineOf("n"), 0.0f);
  EXPECT_FLOAT_EQ(sup.largestRunSize(), 20.0f);
  EXPECT_NEAR(sup.smallestRunSize(), 14.0f, 1e-4f);                     // 70 %
  EXPECT_NEAR(at("x^{y^{z}}").smallestRunSize(), 10.0f, 1e-4f);         // 50 % below that
  EXPECT_GT(at("x^{2}").metrics().width, at("x").metrics().width);
  // A fraction inside a fraction goes to script size; the outer one keeps the body's.
  EXPECT_NEAR(at("\\frac{\\frac{a}{b}}{c}").smallestRunSize(), 14.0f, 1e-4f);
}

TEST_F(MathLayout, SumTakesLimitsAboveAndBelowAndDelimitersGrow) {
  const Layout sum = at("\\sum_{n=1}^{N} x_n");
  ASSERT_TRUE(sum.ok()) << sum.error();
  EXPECT_GT(sum.baselineOf("N"), at("x").metrics().ascent);
  EXPECT_LT(sum.baselineOf("n"), 0.0f);
  const Layout plain = at("\\left( x \\right)");
  const Layout tall = at("\\left( \\frac{a}{b} \\right)");
  ASSERT_TRUE(tall.ok()) << tall.error();
  EXPECT_GT(tall.metrics().height(), plain.metrics().height() * 1.3f);
  EXPECT_GT(tall.metrics().width, at("\\frac{a}{b}").metrics().width);
}

TEST_F(MathLayout, EverythingTheModelsUseParses) {
  for (const char* m :
       {"\\mu_N = \\frac{\\kappa_0 \\mu_0 + N \\bar{x}}{\\kappa_0 + N},\\quad \\lambda_N = (\\kappa_0 + N)\\,\\mathbb{E}[\\tau]",
        "\\hat{g}_m = \\frac{1}{S}\\sum_{s=1}^{S} \\frac{\\partial}{\\partial\\mu} \\ln p(x, \\mu_s, \\tau_s)",
        "m_t = m_{t-1} + \\alpha_t \\frac{M_t}{\\sqrt{V_t} + \\hat{\\epsilon}}",
        "\\exp\\left(\\ln\\pi_k - \\ln\\sum_{j=1}^{K}\\rho_{nj}\\right) \\cdot \\langle x \\rangle \\times 10^{-5}",
        "(x_n - m_k)^{\\top} W_k \\left[ a \\right] \\left| b \\right| \\text{if } x \\leftarrow y"}) {
    const Layout l = at(m);
    EXPECT_TRUE(l.ok()) << m << ": " << l.error();
    EXPECT_GT(l.metrics().width, 0.0f);
  }
}

TEST_F(MathLayout, MalformedMarkupIsReportedAndShownAsText) {
  for (const char* bad : {"\\frac{a}{b", "x^", "\\nosuchcommand{x}", "a}", "\\left( x", "x^{1}^{2}",
                          "\\right)", "\\frac{a}", "\\"}) {
    const Layout l = at(bad);
    EXPECT_FALSE(l.ok()) << bad;
    EXPECT_NE(l.error().find("column"), std::string::npos) << l.error();
    EXPECT_GT(l.metrics().width, 0.0f) << bad;  // drawn as plain text
    EXPECT_FLOAT_EQ(l.smallestRunSize(), 20.0f);
  }
  EXPECT_NE(at("\\nosuchcommand{x}").error().find("\\nosuchcommand"), std::string::npos);
}

TEST_F(MathLayout, SizeScalesTheLayout) {
  const Layout small = at("\\frac{a}{b} + x^2", 10.0f);
  const Layout large = at("\\frac{a}{b} + x^2", 30.0f);
  EXPECT_NEAR(large.metrics().width / small.metrics().width, 3.0f, 0.3f);
  EXPECT_NEAR(large.metrics().height() / small.metrics().height(), 3.0f, 0.3f);
}

}  // namespace
}  // namespace vilab::ui::math
