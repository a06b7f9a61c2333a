// VAE lab benchmark: training images per second on one core and the mean minibatch ELBO over
// steps 901-1000 on Fashion-MNIST (784-512-2 tanh encoder, 2-512-784 decoder, Adam 1e-3, batch
// 128, analytic KL, grey values), against PyTorch with two threads (vae_peer.py) in the same run.
//
// Usage: vae_bench [runs=3] [steps=1000] [nopeer]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <vector>

#include "bench_util.hpp"
#include "core/data/image_dataset.hpp"
#include "core/math/gemm.hpp"
#include "core/models/vae.hpp"

using namespace vilab;

namespace {

struct Run {
  double wall = 0.0, cpu = 0.0;  // seconds
  double elbo = 0.0;             // mean over steps 901-1000 (or the last 100)
};

Run train(const VaeScenario& s, int steps) {
  VaeModel model;
  if (Status st = model.reset(s); !st) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    std::exit(1);
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  for (int i = 0; i < steps; ++i) model.step();
  Run run;
  run.cpu = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  run.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const TraceView t = model.trace().view();
  const std::size_t from = t.rows() >= 1000 ? 900 : t.rows() - std::min<std::size_t>(100, t.rows());
  const std::size_t to = t.rows() >= 1000 ? 1000 : t.rows();
  for (std::size_t r = from; r < to; ++r) run.elbo += t.at(r, 1) / double(to - from);
  return run;
}

double median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // show progress when piped
  const int runs = argc > 1 ? std::atoi(argv[1]) : 3;
  const int steps = argc > 2 ? std::atoi(argv[2]) : 1000;
  const bool fashion =
      std::filesystem::exists(std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz");
  VaeScenario s;
  s.dataset = fashion ? "fashion-mnist" : "synthetic";
  s.evalEvery = 0;  // pure training, as the peer does
  s.varianceEvery = 0;
  std::printf("dataset=%s network=784-512-2 tanh batch=128 adam lr=1e-3 kl=analytic\n",
              s.dataset.c_str());
  std::printf("gemm_kernel=%s eigen_threads=%d\n", gemmHasFastKernel() ? "avx2-fma" : "eigen",
              Eigen::nbThreads());

  // Matrix-product throughput at the network's largest shape (512 x 784 by 784 x 128).
  {
    Eigen::MatrixXf w = Eigen::MatrixXf::Random(512, 784), x = Eigen::MatrixXf::Random(784, 128);
    Eigen::MatrixXf out(512, 128);
    const double sec = bench::medianSeconds(
                           [&] {
                             for (int i = 0; i < 20; ++i) gemm(out, w, false, x, false);
                           },
                           7) /
                       20;
    Eigen::MatrixXf outEigen(512, 128);
    const double secEigen = bench::medianSeconds(
                                [&] {
                                  for (int i = 0; i < 20; ++i) outEigen.noalias() = w * x;
                                },
                                7) /
                            20;
    std::printf("gemm_gflops=%.1f eigen_gemm_gflops=%.1f\n", 2.0 * 512 * 784 * 128 / sec * 1e-9,
                2.0 * 512 * 784 * 128 / secEigen * 1e-9);
  }

  std::vector<double> rates, cpuRates, elbos;
  for (int r = 0; r < runs; ++r) {
    const Run run = train(s, steps);
    rates.push_back(steps * 128.0 / run.wall);
    cpuRates.push_back(steps * 128.0 / run.cpu);
    elbos.push_back(run.elbo);
    std::printf("run %d: %.0f images/s (%.0f per CPU second), mean ELBO %.2f\n", r + 1,
                rates.back(), cpuRates.back(), run.elbo);
  }
  const double ours = median(rates), oursElbo = median(elbos);
  std::printf("ours_images_per_s=%.0f\n", ours);
  std::printf("ours_images_per_cpu_s=%.0f\n", median(cpuRates));
  std::printf("ours_elbo_900_1000=%.2f\n", oursElbo);

  // The app's defaults add a held-out evaluation and a gradient-variance measurement every 500
  // steps; their cost, for the record.
  {
    VaeScenario app = s;
    app.evalEvery = 500;
    app.varianceEvery = 500;
    const Run run = train(app, steps);
    std::printf("ours_with_diagnostics_images_per_s=%.0f\n", steps * 128.0 / run.wall);
  }

  if (!fashion) {
    std::printf("peer skipped: Fashion-MNIST is not installed\n");
    return 0;
  }
  if (argc > 3 && std::string(argv[3]) == "nopeer") return 0;
  const auto peer = bench::runPeer(std::string(VILAB_SOURCE_DIR) + "/tests/benchmarks/vae_peer.py",
                                   "--steps " + std::to_string(steps));
  if (!peer) {
    std::printf("peer skipped: /usr/bin/python3 with torch not available\n");
    return 0;
  }
  const auto peerRate = bench::field(*peer, "images_per_s");
  const auto peerElbo = bench::field(*peer, "elbo_900_1000");
  if (!peerRate || !peerElbo) {
    std::printf("peer output not understood:\n%s", peer->c_str());
    return 0;
  }
  std::printf("peer_images_per_s=%.0f (torch, 2 threads)\n", *peerRate);
  std::printf("peer_elbo_900_1000=%.2f\n", *peerElbo);
  std::printf("speed_ratio=%.1f\n", ours / *peerRate);
  std::printf("elbo_difference=%.2f (ours - peer, nats per image)\n", oursElbo - *peerElbo);
  return 0;
}
