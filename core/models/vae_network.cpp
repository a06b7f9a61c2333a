#include "core/models/vae_network.hpp"

#include <cmath>

#include "core/math/gemm.hpp"

namespace vilab {

template <class Scalar>
VaeNetwork<Scalar>::VaeNetwork(const VaeShape& shape) : m_shape(shape) {
  const Eigen::Index d = shape.input, h = shape.hidden, l = shape.latent;
  const Eigen::Index count = h * d + h + 2 * l * h + 2 * l + h * l + h + d * h + d;
  m_params = Vector::Zero(count);
  m_grad = Vector::Zero(count);
  bindLayers();
}

template <class Scalar>
VaeNetwork<Scalar>::VaeNetwork(const VaeNetwork& other)
    : m_shape(other.m_shape), m_params(other.m_params), m_grad(other.m_grad) {
  bindLayers();
}

template <class Scalar>
VaeNetwork<Scalar>& VaeNetwork<Scalar>::operator=(const VaeNetwork& other) {
  if (this != &other) {
    m_shape = other.m_shape;
    m_params = other.m_params;
    m_grad = other.m_grad;
    bindLayers();
  }
  return *this;
}

template <class Scalar>
Eigen::Index VaeNetwork<Scalar>::encoderParameterCount() const {
  const Eigen::Index d = m_shape.input, h = m_shape.hidden, l = m_shape.latent;
  return h * d + h + 2 * l * h + 2 * l;
}

template <class Scalar>
void VaeNetwork<Scalar>::bindLayers() {
  const Eigen::Index d = m_shape.input, h = m_shape.hidden, l = m_shape.latent;
  for (auto [buffer, layers] :
       {std::pair{&m_params, &m_layers}, std::pair{&m_grad, &m_gradLayers}}) {
    Scalar* p = buffer->data();
    const auto matrix = [&p](Eigen::Map<Matrix>& m, Eigen::Index rows, Eigen::Index cols) {
      new (&m) Eigen::Map<Matrix>(p, rows, cols);
      p += rows * cols;
    };
    const auto vector = [&p](Eigen::Map<Vector>& v, Eigen::Index size) {
      new (&v) Eigen::Map<Vector>(p, size);
      p += size;
    };
    matrix(layers->w1, h, d);
    vector(layers->b1, h);
    matrix(layers->w2, 2 * l, h);
    vector(layers->b2, 2 * l);
    matrix(layers->w3, h, l);
    vector(layers->b3, h);
    matrix(layers->w4, d, h);
    vector(layers->b4, d);
  }
}

template <class Scalar>
void VaeNetwork<Scalar>::initialize(Random& rng) {
  const auto fill = [&rng](auto&& block, int fanIn) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
    Scalar* p = block.data();
    for (Eigen::Index i = 0; i < block.size(); ++i)
      p[i] = static_cast<Scalar>(bound * (2.0 * rng.uniform() - 1.0));
  };
  Layers& w = m_layers;
  fill(w.w1, m_shape.input);
  fill(w.b1, m_shape.input);
  fill(w.w2, m_shape.hidden);
  fill(w.b2, m_shape.hidden);
  fill(w.w3, m_shape.latent);
  fill(w.b3, m_shape.latent);
  fill(w.w4, m_shape.hidden);
  fill(w.b4, m_shape.hidden);
}

template <class Scalar>
void VaeNetwork<Scalar>::activate(Eigen::Ref<Matrix> a) const {
  if (m_shape.activation == VaeActivation::Tanh)
    a.array() = a.array().tanh();
  else
    a.array() = a.array().max(Scalar(0));
}

template <class Scalar>
void VaeNetwork<Scalar>::backActivate(Eigen::Ref<Matrix> d,
                                      const Eigen::Ref<const Matrix>& h) const {
  if (m_shape.activation == VaeActivation::Tanh)
    d.array() *= Scalar(1) - h.array().square();
  else
    d.array() = (h.array() > Scalar(0)).select(d.array(), Scalar(0));
}

template <class Scalar>
VaeBatchStats VaeNetwork<Scalar>::evaluate(const MatrixRef& x, const MatrixRef& eps,
                                           const VaeObjective& objective, VaeGradient gradient) {
  const Eigen::Index d = m_shape.input, h = m_shape.hidden, l = m_shape.latent;
  const Eigen::Index n = x.cols(), m = eps.cols(), samples = m / n;
  eigen_assert(x.rows() == d && eps.rows() == l && m == samples * n && samples >= 1);
  const Layers& w = m_layers;
  const bool score = objective.estimator == VaeEstimator::Score;
  const bool mcKl = objective.kl == VaeKl::MonteCarlo;

  // Encoder: h1 = act(W1 x + b1), (mu; log sigma^2) = W2 h1 + b2.
  m_h1.resize(h, n);
  m_h1.colwise() = w.b1;
  gemm(m_h1, w.w1, false, x, false, true);
  activate(m_h1);
  m_head.resize(2 * l, n);
  m_head.colwise() = w.b2;
  gemm(m_head, w.w2, false, m_h1, false, true);
  const auto mu = m_head.topRows(l);
  const auto logVar = m_head.bottomRows(l);
  m_sigma = (Scalar(0.5) * logVar.array()).exp();

  // z_is = mu_i + sigma_i eps_is (Kingma & Welling 2014, eq. 4 with g = mu + sigma * eps).
  m_z.resize(l, m);
  for (Eigen::Index s = 0; s < samples; ++s)
    m_z.middleCols(s * n, n).array() =
        mu.array() + m_sigma.array() * eps.middleCols(s * n, n).array();

  // Decoder: h3 = act(W3 z + b3), logits = W4 h3 + b4.
  m_h3.resize(h, m);
  m_h3.colwise() = w.b3;
  gemm(m_h3, w.w3, false, m_z, false, true);
  activate(m_h3);
  m_logits.resize(d, m);
  m_logits.colwise() = w.b4;
  gemm(m_logits, w.w4, false, m_h3, false, true);

  // log p(x|z) = sum_d x_d l_d - softplus(l_d), softplus(l) = max(l, 0) + log(1 + exp(-|l|)): the
  // Bernoulli log-likelihood (Kingma & Welling 2014, appendix C.1) extended to grey values.
  // With a gradient, the logits are overwritten by dJ/dlogits = w_r (x - sigmoid(l)) / (N S),
  // sigmoid(l) = (1 + tanh(l/2))/2 (vectorised, and finite for any l).
  const bool wantGradient = gradient != VaeGradient::None;
  const Scalar reconScale = static_cast<Scalar>(objective.reconWeight / double(m));
  m_recon.resize(m);
  m_pixelTerms.resize(d, n);
  for (Eigen::Index s = 0; s < samples; ++s) {
    auto logits = m_logits.middleCols(s * n, n).array();
    m_pixelTerms.array() =
        x.array() * logits - logits.max(Scalar(0)) - (Scalar(1) + (-logits.abs()).exp()).log();
    m_recon.segment(s * n, n) = m_pixelTerms.colwise().sum().transpose().template cast<double>();
    if (wantGradient)
      logits =
          reconScale * (x.array() - (Scalar(0.5) + Scalar(0.5) * (Scalar(0.5) * logits).tanh()));
  }

  // KL terms. Analytic per image: 1/2 sum_d (mu^2 + sigma^2 - 1 - log sigma^2). Monte Carlo per
  // sample: log q(z|x) - log p(z) = 1/2 sum_d (z^2 - eps^2 - log sigma^2).
  VaeBatchStats stats;
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic> klDims =
      (Scalar(0.5) * (mu.array().square() + m_sigma.array().square() - Scalar(1) - logVar.array()))
          .matrix()
          .template cast<double>();
  stats.klPerDim = klDims.rowwise().mean();
  stats.klAnalytic = stats.klPerDim.sum();
  stats.recon = m_recon.mean();
  Eigen::Matrix<double, Eigen::Dynamic, 1> klSample;
  if (mcKl) {
    klSample = (Scalar(0.5) * (m_z.array().square() - eps.array().square()).colwise().sum())
                   .transpose()
                   .template cast<double>();
    const Eigen::Matrix<double, Eigen::Dynamic, 1> halfLogVar =
        0.5 * logVar.colwise().sum().transpose().template cast<double>();
    for (Eigen::Index s = 0; s < samples; ++s) klSample.segment(s * n, n) -= halfLogVar;
    stats.kl = klSample.mean();
  } else {
    stats.kl = stats.klAnalytic;
  }
  m_signal = objective.reconWeight * m_recon;
  if (mcKl) m_signal -= objective.klWeight * klSample;
  stats.signal = m_signal.mean();
  if (!wantGradient) return stats;

  Layers& g = m_gradLayers;
  const bool all = gradient == VaeGradient::All;
  const Matrix& dLogits = m_logits;

  // Decoder backward: dW4 = dl h3^T, db4 = sum dl, dh3 = W4^T dl, da3 = dh3 * act'(h3).
  if (all) {
    gemm(g.w4, dLogits, false, m_h3, true);
    g.b4 = dLogits.rowwise().sum();
  }
  const bool needDz = !score;
  if (all || needDz) {
    m_dh3.resize(h, m);
    gemm(m_dh3, w.w4, true, dLogits, false);
    backActivate(m_dh3, m_h3);
  }
  if (all) {
    gemm(g.w3, m_dh3, false, m_z, true);
    g.b3 = m_dh3.rowwise().sum();
  }

  // Gradient at the encoder's outputs (mu; log sigma^2), 2L x N.
  m_dhead.setZero(2 * l, n);
  auto dMu = m_dhead.topRows(l);
  auto dLogVar = m_dhead.bottomRows(l);
  const Scalar klScale = static_cast<Scalar>(objective.klWeight / double(m));
  if (!score) {
    m_dz.resize(l, m);
    gemm(m_dz, w.w3, true, m_dh3, false);
    if (mcKl) m_dz.array() -= klScale * m_z.array();  // d/dz of -w_k log q(z|x)/p(z) at fixed eps
    for (Eigen::Index s = 0; s < samples; ++s) {
      const auto dz = m_dz.middleCols(s * n, n).array();
      dMu.array() += dz;
      // dz/d log sigma^2 = eps sigma / 2.
      dLogVar.array() += dz * eps.middleCols(s * n, n).array() * m_sigma.array() * Scalar(0.5);
    }
    if (mcKl) dLogVar.array() += klScale * Scalar(0.5) * Scalar(samples);  // -w_k d(-log sigma^2/2)
  } else {
    // REINFORCE: sum_s a_is grad log q(z_is|x_i), a_is = (f_is - b_is)/(N S), with
    // d log q/d mu = eps/sigma and d log q/d log sigma^2 = (eps^2 - 1)/2 at fixed z.
    for (Eigen::Index s = 0; s < samples; ++s) {
      for (Eigen::Index i = 0; i < n; ++i) {
        double base = objective.baseline;
        if (objective.leaveOneOut && samples > 1) {
          double sum = 0.0;
          for (Eigen::Index t = 0; t < samples; ++t) sum += m_signal[t * n + i];
          base = (sum - m_signal[s * n + i]) / double(samples - 1);
        }
        const Scalar a = static_cast<Scalar>((m_signal[s * n + i] - base) / double(m));
        const auto e = eps.col(s * n + i).array();
        dMu.col(i).array() += a * e / m_sigma.col(i).array();
        dLogVar.col(i).array() += a * Scalar(0.5) * (e.square() - Scalar(1));
      }
    }
  }
  if (!mcKl) {
    // -w_k dKL/dmu = -w_k mu, -w_k dKL/d log sigma^2 = -w_k (sigma^2 - 1)/2, per image / N.
    const Scalar scale = static_cast<Scalar>(objective.klWeight / double(n));
    dMu.array() -= scale * mu.array();
    dLogVar.array() -= scale * Scalar(0.5) * (m_sigma.array().square() - Scalar(1));
  }

  // Encoder backward: dW2 = dhead h1^T, dh1 = W2^T dhead, da1 = dh1 * act'(h1), dW1 = da1 x^T.
  gemm(g.w2, m_dhead, false, m_h1, true);
  g.b2 = m_dhead.rowwise().sum();
  m_dh1.resize(h, n);
  gemm(m_dh1, w.w2, true, m_dhead, false);
  backActivate(m_dh1, m_h1);
  gemm(g.w1, m_dh1, false, x, true);
  g.b1 = m_dh1.rowwise().sum();
  return stats;
}

template <class Scalar>
void VaeNetwork<Scalar>::encode(const MatrixRef& x, Matrix& mu, Matrix* logVar) const {
  const Eigen::Index l = m_shape.latent;
  Matrix hidden(m_shape.hidden, x.cols());
  hidden.colwise() = m_layers.b1;
  gemm(hidden, m_layers.w1, false, x, false, true);
  activate(hidden);
  Matrix head(2 * l, x.cols());
  head.colwise() = m_layers.b2;
  gemm(head, m_layers.w2, false, hidden, false, true);
  mu = head.topRows(l);
  if (logVar) *logVar = head.bottomRows(l);
}

template <class Scalar>
void VaeNetwork<Scalar>::decodeMean(const MatrixRef& z, Matrix& probabilities) const {
  Matrix hidden(m_shape.hidden, z.cols());
  hidden.colwise() = m_layers.b3;
  gemm(hidden, m_layers.w3, false, z, false, true);
  activate(hidden);
  probabilities.resize(m_shape.input, z.cols());
  probabilities.colwise() = m_layers.b4;
  gemm(probabilities, m_layers.w4, false, hidden, false, true);
  probabilities.array() = Scalar(0.5) + Scalar(0.5) * (Scalar(0.5) * probabilities.array()).tanh();
}

template class VaeNetwork<float>;
template class VaeNetwork<double>;

}  // namespace vilab
