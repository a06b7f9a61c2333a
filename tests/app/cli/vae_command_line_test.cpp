// The VAE lab's command-line outputs: the trace columns, the --params-out JSON, the summary's
// samples_per_s, and bad input (a missing data set, an out-of-range key) as one error line.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

using test::Result;
using test::run;
using test::slurp;

class VaeCommandLine : public test::TempDirTest {
 protected:
  // Small and fast: the built-in shapes and a narrow network.
  const std::string small =
      "--model vae --set dataset=synthetic --set hidden=64 --set eval_images=500 ";
};

TEST_F(VaeCommandLine, HeadlessRunWritesTraceParamsAndSamplesPerSecond) {
  const auto csv = dir / "t.csv", params = dir / "p.json";
  const Result r =
      run(small + "--set latent_dim=3 --set eval_every=20 --headless --steps 40 --csv " +
          csv.string() + " --params-out " + params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("model=vae iterations=40 seconds=", 0), 0u) << r.out;
  const auto rate = r.out.find(" samples_per_s=");
  ASSERT_NE(rate, std::string::npos) << r.out;
  EXPECT_GT(std::stod(r.out.substr(rate + 15)), 0.0) << r.out;
  EXPECT_NE(r.out.find(" heldout_elbo=-"), std::string::npos) << r.out;

  const std::string text = slurp(csv);
  EXPECT_EQ(text.rfind("iteration,elbo,recon,kl,", 0), 0u) << text.substr(0, 200);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 41);

  const auto p = nlohmann::ordered_json::parse(slurp(params));
  std::vector<std::string> keys;
  for (const auto& [key, value] : p.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"iterations", "images_seen", "latent_dim", "train",
                                            "heldout", "kl_weight", "geco_lambda"}));
  EXPECT_EQ(p["iterations"], 40);
  EXPECT_EQ(p["images_seen"], 40 * 128);
  EXPECT_EQ(p["latent_dim"], 3);
  EXPECT_LT(p["train"]["elbo"].get<double>(), 0.0);
  EXPECT_NEAR(p["train"]["elbo"].get<double>(),
              p["train"]["recon"].get<double>() - p["train"]["kl"].get<double>(), 1e-6);
  EXPECT_EQ(p["train"]["kl_per_dim"].size(), 3u);
  EXPECT_EQ(p["heldout"]["iteration"], 40);
  EXPECT_EQ(p["heldout"]["kl_per_dim"].size(), 3u);
  EXPECT_NEAR(p["heldout"]["elbo"].get<double>(),
              p["heldout"]["recon"].get<double>() - p["heldout"]["kl"].get<double>(), 1e-6);
  EXPECT_EQ(p["kl_weight"], 1.0);
  EXPECT_TRUE(p["geco_lambda"].is_null());
}

TEST_F(VaeCommandLine, ParamsWithoutEvaluationAndWithGeco) {
  const auto params = dir / "p.json";
  const Result r =
      run(small +
          "--set eval_every=0 --set geco=true --set geco.target=100 --headless --steps 10 "
          "--params-out " +
          params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("heldout_elbo"), std::string::npos) << r.out;
  const auto p = nlohmann::json::parse(slurp(params));
  EXPECT_TRUE(p["heldout"].is_null());
  ASSERT_TRUE(p["geco_lambda"].is_number());
  EXPECT_GT(p["geco_lambda"].get<double>(), 1.0) << "the error is far above the target: λ grows";
}

TEST_F(VaeCommandLine, BadInputExitsTwoWithOneLine) {
  std::ofstream(dir / "train-images-idx3-ubyte") << "not an idx file";
  const std::string out = " --headless --steps 3 --csv " + (dir / "t.csv").string();
  for (const std::string& args :
       {"--model vae --set dataset=" + (dir / "nothing").string() + out,
        "--model vae --set dataset=" + dir.string() + out, "--model vae --set latent_dim=1" + out,
        "--model vae --set estimator=newton" + out,
        "--model vae --set estimator=score --set baseline=loo --set samples=1" + out}) {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("vilab: error: ", 0), 0u) << r.err;
    EXPECT_FALSE(fs::exists(dir / "t.csv")) << args;
  }
}

}  // namespace
}  // namespace vilab
