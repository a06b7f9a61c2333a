#pragma once
// The VAE's networks (Kingma & Welling 2014, appendix C.2): a Gaussian encoder
// x -> h -> (mu, log sigma^2) and a Bernoulli decoder z -> h -> logits, one hidden layer each,
// with the ELBO and its gradient computed over a whole minibatch by matrix products and
// backpropagation written out by hand. All weights live in one flat buffer (so Adam runs over
// one vector). Templated on the scalar: float to train, double for the gradient checks.

#include <Eigen/Core>
#include <cstdint>

#include "core/math/random.hpp"

namespace vilab {

enum class VaeActivation { Tanh, Relu };
enum class VaeEstimator { Reparam, Score };
enum class VaeKl { Analytic, MonteCarlo };

struct VaeShape {
  int input = 784;   // D: pixels per image
  int hidden = 512;  // H: width of both hidden layers
  int latent = 2;    // L: latent dimension
  VaeActivation activation = VaeActivation::Tanh;
};

// What evaluate() differentiates. With weights w_r (reconstruction) and w_k (KL), for images
// x_i (i < N) and samples z_is = mu_i + sigma_i eps_is (s < S):
//   J = 1/(N S) sum_is w_r log p(x_i|z_is) - w_k KL_i,
// KL_i analytic (Kingma & Welling 2014, appendix B) or, with VaeKl::MonteCarlo, the per-sample
// log q(z_is|x_i) - log p(z_is) (their estimators L^B and L^A). The decoder always gets the
// pathwise gradient. The encoder gets, with Reparam, the pathwise gradient through z; with Score,
// the REINFORCE surrogate 1/(N S) sum_is (f_is - b_is) log q(z_is|x_i) with z held fixed (Williams
// 1992; Ranganath et al. 2014), f_is the sampled part of J (w_r log p(x_i|z_is), plus
// w_k (log p(z_is) - log q(z_is|x_i)) for Monte Carlo KL), and the analytic KL's own gradient.
struct VaeObjective {
  VaeEstimator estimator = VaeEstimator::Reparam;
  VaeKl kl = VaeKl::Analytic;
  double reconWeight = 1.0;  // w_r
  double klWeight = 1.0;     // w_k
  // Score baseline b_is: the mean f of the other samples of image i (needs S >= 2), else the
  // constant `baseline` (e.g. a moving average of past f).
  bool leaveOneOut = false;
  double baseline = 0.0;
};

// Means per image over the batch, in nats: the ELBO terms with w_r = w_k = 1.
struct VaeBatchStats {
  double recon = 0.0;        // Monte Carlo E_q log p(x|z)
  double kl = 0.0;           // KL(q||p) as the objective estimates it
  double klAnalytic = 0.0;   // closed-form KL(q||p)
  double signal = 0.0;       // mean f_is (the score function's learning signal)
  Eigen::VectorXd klPerDim;  // closed-form KL per latent dimension
  double elbo() const { return recon - kl; }
};

enum class VaeGradient { None, All, Encoder };

template <class Scalar>
class VaeNetwork {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using MatrixRef = Eigen::Ref<const Matrix>;

  // Weights and biases as views into one flat buffer, encoder first:
  // w1 (H x D), b1 (H), w2 (2L x H: rows mu then log sigma^2), b2 (2L),
  // w3 (H x L), b3 (H), w4 (D x H), b4 (D).
  struct Layers {
    Eigen::Map<Matrix> w1{nullptr, 0, 0}, w2{nullptr, 0, 0}, w3{nullptr, 0, 0}, w4{nullptr, 0, 0};
    Eigen::Map<Vector> b1{nullptr, 0}, b2{nullptr, 0}, b3{nullptr, 0}, b4{nullptr, 0};
  };

  explicit VaeNetwork(const VaeShape& shape = {});
  VaeNetwork(const VaeNetwork& other);
  VaeNetwork& operator=(const VaeNetwork& other);

  const VaeShape& shape() const { return m_shape; }
  Eigen::Index parameterCount() const { return m_params.size(); }
  // The encoder's parameters are the first encoderParameterCount() entries.
  Eigen::Index encoderParameterCount() const;

  Vector& parameters() { return m_params; }
  const Vector& parameters() const { return m_params; }
  const Vector& gradient() const { return m_grad; }
  Layers& layers() { return m_layers; }
  const Layers& layers() const { return m_layers; }
  const Layers& gradientLayers() const { return m_gradLayers; }

  // Weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's nn.Linear default.
  void initialize(Random& rng);

  // The objective's statistics on the batch x (D x N, values in [0, 1]) with noise eps
  // (L x N S, column s N + i for sample s of image i); with `gradient`, also dJ/dtheta (All) or
  // its encoder part only (Encoder: the decoder's entries are left unchanged) in gradient().
  VaeBatchStats evaluate(const MatrixRef& x, const MatrixRef& eps, const VaeObjective& objective,
                         VaeGradient gradient);

  // What the last evaluate() computed, for the live equations: the encoder's outputs
  // (mu; log sigma^2), 2L x N; the draws z, L x N S (column s N + i); log p(x_i | z_is), N S.
  const Matrix& lastEncoderOutput() const { return m_head; }
  const Matrix& lastLatentDraws() const { return m_z; }
  const Eigen::Matrix<double, Eigen::Dynamic, 1>& lastReconstruction() const { return m_recon; }

  // The encoder's outputs for x (D x N): means and log-variances (L x N each).
  void encode(const MatrixRef& x, Matrix& mu, Matrix* logVar = nullptr) const;
  // Bernoulli means sigmoid(logits) for latent points z (L x N): D x N.
  void decodeMean(const MatrixRef& z, Matrix& probabilities) const;

 private:
  void bindLayers();
  void activate(Eigen::Ref<Matrix> a) const;
  // d *= act'(a) given the activations h = act(a).
  void backActivate(Eigen::Ref<Matrix> d, const Eigen::Ref<const Matrix>& h) const;

  VaeShape m_shape;
  Vector m_params, m_grad;
  Layers m_layers, m_gradLayers;

  // Workspace of evaluate(), kept between calls so training allocates nothing per step.
  Matrix m_h1, m_head, m_sigma, m_z, m_h3, m_logits, m_pixelTerms, m_dh3, m_dz, m_dhead, m_dh1;
  Eigen::Matrix<double, Eigen::Dynamic, 1> m_recon, m_signal;
};

extern template class VaeNetwork<float>;
extern template class VaeNetwork<double>;

}  // namespace vilab
