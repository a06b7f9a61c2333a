#include "core/math/gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define VILAB_GEMM_AVX2 1
#endif

namespace vilab {
namespace {

template <class Scalar>
using MatrixOf = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

template <class Scalar>
void eigenGemm(Eigen::Ref<MatrixOf<Scalar>> c, const Eigen::Ref<const MatrixOf<Scalar>>& a,
               bool transA, const Eigen::Ref<const MatrixOf<Scalar>>& b, bool transB,
               bool accumulate) {
  const auto apply = [&](const auto& lhs, const auto& rhs) {
    if (accumulate)
      c.noalias() += lhs * rhs;
    else
      c.noalias() = lhs * rhs;
  };
  if (transA && transB)
    apply(a.transpose(), b.transpose());
  else if (transA)
    apply(a.transpose(), b);
  else if (transB)
    apply(a, b.transpose());
  else
    apply(a, b);
}

#ifdef VILAB_GEMM_AVX2

// Block sizes: a kc x 16 sliver of packed A and a kc x 6 sliver of packed B stay in L1 (kc
// 256: 16 KiB + 6 KiB), an mc x kc block of A in L2 (mc 128: 128 KiB), a kc x nc panel of B in
// L2/L3.
constexpr int kMr = 16, kNr = 6;
constexpr int kKc = 256, kMc = 128, kNc = 1536;

struct AlignedFree {
  void operator()(float* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float[], AlignedFree>;

Buffer allocate(std::size_t floats) {
  return Buffer(
      static_cast<float*>(std::aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64)));
}

// Per-thread packing buffers, allocated once.
struct Workspace {
  Buffer a = allocate(std::size_t(kMc + kMr) * kKc);
  Buffer b = allocate(std::size_t(kNc + kNr) * kKc);
};
Workspace& workspace() {
  thread_local Workspace w;
  return w;
}

// A view of op(X): element (i, p) at data[i * rowStride + p * colStride].
struct Operand {
  const float* data;
  Eigen::Index rowStride, colStride;
  const float* at(Eigen::Index i, Eigen::Index p) const {
    return data + i * rowStride + p * colStride;
  }
};

// out[k * outStride + r] = in[r * inStride + k] for r, k < 8: an 8 x 8 transpose in registers.
inline void transpose8x8(const float* in, Eigen::Index inStride, float* out,
                         Eigen::Index outStride) {
  const __m256 r0 = _mm256_loadu_ps(in), r1 = _mm256_loadu_ps(in + inStride);
  const __m256 r2 = _mm256_loadu_ps(in + 2 * inStride), r3 = _mm256_loadu_ps(in + 3 * inStride);
  const __m256 r4 = _mm256_loadu_ps(in + 4 * inStride), r5 = _mm256_loadu_ps(in + 5 * inStride);
  const __m256 r6 = _mm256_loadu_ps(in + 6 * inStride), r7 = _mm256_loadu_ps(in + 7 * inStride);
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
  _mm256_storeu_ps(out, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(out + outStride, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(out + 2 * outStride, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(out + 3 * outStride, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(out + 4 * outStride, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(out + 5 * outStride, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(out + 6 * outStride, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(out + 7 * outStride, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// Packs rows [0, mc) x depth [0, kc) of op(A) into slivers of kMr rows: sliver r holds
// element (r kMr + i, p) at r kMr kc + p kMr + i, zero-padded past mc.
void packA(int mc, int kc, const Operand& a, float* out) {
  const int whole = mc / kMr * kMr;
  if (a.rowStride == 1) {
    // Column-major A: walk each column top to bottom (sequential reads), scattering 16-row
    // pieces to the slivers.
    for (int p = 0; p < kc; ++p) {
      const float* src = a.at(0, p);
      for (int i0 = 0; i0 < whole; i0 += kMr) {
        float* dst = out + std::size_t(i0) * kc + p * kMr;
        _mm256_store_ps(dst, _mm256_loadu_ps(src + i0));
        _mm256_store_ps(dst + 8, _mm256_loadu_ps(src + i0 + 8));
      }
    }
  } else if (a.colStride == 1) {
    // Transposed A (rows of op(A) contiguous): 8 x 8 register transposes.
    for (int i0 = 0; i0 < whole; i0 += kMr) {
      float* sliver = out + std::size_t(i0) * kc;
      for (int half = 0; half < 2; ++half) {
        const int ib = i0 + 8 * half;
        int p = 0;
        for (; p + 8 <= kc; p += 8)
          transpose8x8(a.at(ib, p), a.rowStride, sliver + p * kMr + 8 * half, kMr);
        for (; p < kc; ++p)
          for (int i = 0; i < 8; ++i) sliver[p * kMr + 8 * half + i] = *a.at(ib + i, p);
      }
    }
  } else {
    for (int i0 = 0; i0 < whole; i0 += kMr)
      for (int p = 0; p < kc; ++p)
        for (int i = 0; i < kMr; ++i) out[std::size_t(i0) * kc + p * kMr + i] = *a.at(i0 + i, p);
  }
  if (whole < mc) {
    // The last, partial sliver, zero-padded.
    float* sliver = out + std::size_t(whole) * kc;
    const int m = mc - whole;
    for (int p = 0; p < kc; ++p)
      for (int i = 0; i < kMr; ++i) sliver[p * kMr + i] = i < m ? *a.at(whole + i, p) : 0.0f;
  }
}

// Packs depth [0, kc) x columns [0, nc) of op(B) into slivers of kNr columns: sliver s holds
// element (p, s kNr + j) at s kNr kc + p kNr + j, zero-padded past nc.
void packB(int kc, int nc, const Operand& b, float* out) {
  for (int j0 = 0; j0 < nc; j0 += kNr) {
    const int n = std::min(kNr, nc - j0);
    float* sliver = out + std::size_t(j0) * kc;
    if (n < kNr) {
      std::fill(sliver, sliver + std::size_t(kc) * kNr, 0.0f);
      for (int p = 0; p < kc; ++p)
        for (int j = 0; j < n; ++j) sliver[p * kNr + j] = *b.at(p, j0 + j);
    } else if (b.colStride == 1) {
      // Transposed B: the six entries of each depth are contiguous.
      for (int p = 0; p < kc; ++p) std::copy_n(b.at(p, j0), kNr, sliver + p * kNr);
    } else if (b.rowStride == 1) {
      // Plain B: each column is contiguous in depth.
      for (int j = 0; j < kNr; ++j) {
        const float* src = b.at(0, j0 + j);
        for (int p = 0; p < kc; ++p) sliver[p * kNr + j] = src[p];
      }
    } else {
      for (int p = 0; p < kc; ++p)
        for (int j = 0; j < kNr; ++j) sliver[p * kNr + j] = *b.at(p, j0 + j);
    }
  }
}

// c[0:m, 0:n] (+)= (packed A sliver) (packed B sliver), m <= kMr, n <= kNr.
void microKernel(int kc, const float* a, const float* b, float* c, Eigen::Index ldc, bool add,
                 int m, int n) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; ++p) {
    const __m256 a0 = _mm256_load_ps(a), a1 = _mm256_load_ps(a + 8);
    __m256 x = _mm256_broadcast_ss(b);
    c00 = _mm256_fmadd_ps(a0, x, c00), c01 = _mm256_fmadd_ps(a1, x, c01);
    x = _mm256_broadcast_ss(b + 1);
    c10 = _mm256_fmadd_ps(a0, x, c10), c11 = _mm256_fmadd_ps(a1, x, c11);
    x = _mm256_broadcast_ss(b + 2);
    c20 = _mm256_fmadd_ps(a0, x, c20), c21 = _mm256_fmadd_ps(a1, x, c21);
    x = _mm256_broadcast_ss(b + 3);
    c30 = _mm256_fmadd_ps(a0, x, c30), c31 = _mm256_fmadd_ps(a1, x, c31);
    x = _mm256_broadcast_ss(b + 4);
    c40 = _mm256_fmadd_ps(a0, x, c40), c41 = _mm256_fmadd_ps(a1, x, c41);
    x = _mm256_broadcast_ss(b + 5);
    c50 = _mm256_fmadd_ps(a0, x, c50), c51 = _mm256_fmadd_ps(a1, x, c51);
    a += kMr;
    b += kNr;
  }
  const __m256 acc[kNr][2] = {{c00, c01}, {c10, c11}, {c20, c21},
                              {c30, c31}, {c40, c41}, {c50, c51}};
  if (m == kMr) {
    for (int j = 0; j < n; ++j) {
      float* col = c + j * ldc;
      __m256 lo = acc[j][0], hi = acc[j][1];
      if (add)
        lo = _mm256_add_ps(lo, _mm256_loadu_ps(col)),
        hi = _mm256_add_ps(hi, _mm256_loadu_ps(col + 8));
      _mm256_storeu_ps(col, lo);
      _mm256_storeu_ps(col + 8, hi);
    }
  } else {
    alignas(32) float tile[kNr][kMr];
    for (int j = 0; j < kNr; ++j) {
      _mm256_store_ps(tile[j], acc[j][0]);
      _mm256_store_ps(tile[j] + 8, acc[j][1]);
    }
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < m; ++i) c[i + j * ldc] = add ? c[i + j * ldc] + tile[j][i] : tile[j][i];
  }
}

void packedGemm(Eigen::Ref<Eigen::MatrixXf>& c, const Operand& a, const Operand& b, int k,
                bool accumulate) {
  const int m = static_cast<int>(c.rows()), n = static_cast<int>(c.cols());
  const Eigen::Index ldc = c.outerStride();
  Workspace& w = workspace();
  // Equal depth blocks (784 = 4 x 196, not 3 x 256 + 16).
  const int kBlocks = (k + kKc - 1) / kKc, kStep = (k + kBlocks - 1) / kBlocks;
  for (int jc = 0; jc < n; jc += kNc) {
    const int nc = std::min(kNc, n - jc);
    for (int pc = 0; pc < k; pc += kStep) {
      const int kc = std::min(kStep, k - pc);
      packB(kc, nc, {b.at(pc, jc), b.rowStride, b.colStride}, w.b.get());
      const bool add = accumulate || pc > 0;
      for (int ic = 0; ic < m; ic += kMc) {
        const int mc = std::min(kMc, m - ic);
        packA(mc, kc, {a.at(ic, pc), a.rowStride, a.colStride}, w.a.get());
        for (int jr = 0; jr < nc; jr += kNr)
          for (int ir = 0; ir < mc; ir += kMr)
            microKernel(kc, w.a.get() + std::size_t(ir) * kc, w.b.get() + std::size_t(jr) * kc,
                        c.data() + (ic + ir) + (jc + jr) * ldc, ldc, add, std::min(kMr, mc - ir),
                        std::min(kNr, nc - jr));
      }
    }
  }
}

#endif  // VILAB_GEMM_AVX2

}  // namespace

bool gemmHasFastKernel() {
#ifdef VILAB_GEMM_AVX2
  return true;
#else
  return false;
#endif
}

void gemm(Eigen::Ref<Eigen::MatrixXf> c, const Eigen::Ref<const Eigen::MatrixXf>& a, bool transA,
          const Eigen::Ref<const Eigen::MatrixXf>& b, bool transB, bool accumulate) {
  const Eigen::Index k = transA ? a.rows() : a.cols();
  eigen_assert(c.rows() == (transA ? a.cols() : a.rows()));
  eigen_assert(c.cols() == (transB ? b.rows() : b.cols()));
  eigen_assert(k == (transB ? b.cols() : b.rows()));
#ifdef VILAB_GEMM_AVX2
  // Thin products (a latent dimension of 2 as the depth, say) gain nothing from packing.
  if (c.rows() >= 32 && c.cols() >= 16 && k >= 16) {
    const Operand opA =
        transA ? Operand{a.data(), a.outerStride(), 1} : Operand{a.data(), 1, a.outerStride()};
    const Operand opB =
        transB ? Operand{b.data(), b.outerStride(), 1} : Operand{b.data(), 1, b.outerStride()};
    packedGemm(c, opA, opB, static_cast<int>(k), accumulate);
    return;
  }
#endif
  eigenGemm<float>(c, a, transA, b, transB, accumulate);
}

void gemm(Eigen::Ref<Eigen::MatrixXd> c, const Eigen::Ref<const Eigen::MatrixXd>& a, bool transA,
          const Eigen::Ref<const Eigen::MatrixXd>& b, bool transB, bool accumulate) {
  eigenGemm<double>(c, a, transA, b, transB, accumulate);
}

}  // namespace vilab
