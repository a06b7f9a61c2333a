// `vilab --headless --compare B.json --csv F`: the joined A/B CSV is exactly A's solo trace and
// B's solo trace side by side, and a bad B file exits 2 with one line naming it.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;
using test::Result;
using test::run;
using test::slurp;
using CompareCommandLine = test::TempDirTest;

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // cells as text (empty stays empty)
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::stringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

Csv readCsv(const fs::path& path) {
  std::stringstream in(slurp(path));
  Csv csv;
  std::string line;
  std::getline(in, line);
  csv.header = split(line);
  while (std::getline(in, line)) csv.rows.push_back(split(line));
  return csv;
}

// A run alone and the A/B run: the A/B CSV's header is "iteration", a_*, b_* in the solo traces'
// column order, and each row's a_ (b_) cells are the solo A (B) row of that iteration, text for text
// (the shortest decimal that reads back to the same double, so equal text is equal bits).
void expectJoinedSoloRuns(const fs::path& dir, const std::string& model, const std::string& bJson, int steps) {
  const fs::path b = dir / (model + "_b.json");
  std::ofstream(b) << bJson;
  const std::string common = " --model " + model + " --headless --steps " + std::to_string(steps);
  ASSERT_EQ(run(common + " --csv " + (dir / "a.csv").string()).code, 0);
  ASSERT_EQ(run(" --scenario " + b.string() + common + " --csv " + (dir / "b.csv").string()).code, 0);
  const Result r = run(common + " --compare " + b.string() + " --csv " + (dir / "ab.csv").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(" elbo_b="), std::string::npos) << r.out;
  const Csv a = readCsv(dir / "a.csv"), bb = readCsv(dir / "b.csv"), ab = readCsv(dir / "ab.csv");
  std::vector<std::string> expected{"iteration"};
  for (const auto& c : a.header)
    if (c != "iteration") expected.push_back("a_" + c);
  for (const auto& c : bb.header)
    if (c != "iteration") expected.push_back("b_" + c);
  ASSERT_EQ(ab.header, expected) << model;
  ASSERT_EQ(a.header.front(), "iteration");
  ASSERT_EQ(ab.rows.size(), a.rows.size()) << model;
  ASSERT_EQ(a.rows.size(), bb.rows.size()) << model;
  ASSERT_EQ(static_cast<int>(a.rows.size()), steps) << model;
  for (std::size_t r = 0; r < ab.rows.size(); ++r) {
    std::vector<std::string> joined{a.rows[r][0]};
    ASSERT_EQ(a.rows[r][0], bb.rows[r][0]);
    joined.insert(joined.end(), a.rows[r].begin() + 1, a.rows[r].end());
    joined.insert(joined.end(), bb.rows[r].begin() + 1, bb.rows[r].end());
    ASSERT_EQ(ab.rows[r], joined) << model << " row " << r;
    for (const auto& cell : ab.rows[r]) (void)std::stod(cell);  // every value parses back
  }
}

TEST_F(CompareCommandLine, TheJoinedCsvIsBothSoloTracesSideBySide) {
  expectJoinedSoloRuns(dir, "gaussian", R"({"model": "gaussian", "prior.kappa0": 5})", 30);
  expectJoinedSoloRuns(dir, "gmm", R"({"k": 3})", 25);
}

TEST_F(CompareCommandLine, IdenticalScenariosGiveIdenticalColumns) {
  std::ofstream(dir / "same.json") << "{}";
  ASSERT_EQ(run("--model gmm --headless --steps 20 --compare " + (dir / "same.json").string() + " --csv " +
                (dir / "ab.csv").string())
                .code,
            0);
  const Csv ab = readCsv(dir / "ab.csv");
  const std::size_t half = (ab.header.size() - 1) / 2;
  ASSERT_EQ(ab.header.size(), 2 * half + 1);
  for (const auto& row : ab.rows)
    for (std::size_t c = 1; c <= half; ++c) ASSERT_EQ(row[c], row[c + half]) << ab.header[c];
}

TEST_F(CompareCommandLine, ABadBFileExitsTwoWithOneLineNamingIt) {
  std::ofstream(dir / "gmm.json") << R"({"model": "gmm"})";
  std::ofstream(dir / "field.json") << R"({"lr": -1})";
  std::ofstream(dir / "nokey.json") << R"({"no_such_key": 1})";
  const std::string out = " --headless --steps 5 --csv " + (dir / "t.csv").string();
  for (const std::string name : {"missing.json", "gmm.json", "field.json", "nokey.json"}) {
    const std::string file = (dir / name).string();
    const Result r = run("--model gaussian --compare " + file + out);
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("vilab: error: --compare", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir / "t.csv")) << name;
  }
  // The GUI refuses it before opening a window.
  const Result gui = run("--model gaussian --compare " + (dir / "gmm.json").string());
  EXPECT_EQ(gui.code, 2);
  EXPECT_NE(gui.err.find((dir / "gmm.json").string()), std::string::npos) << gui.err;
  EXPECT_NE(run("--help").out.find("--compare B.json"), std::string::npos);
}

}  // namespace
}  // namespace vilab
