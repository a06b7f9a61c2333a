"""Peer timings for gmm_bench: scikit-learn's per-iteration time of BayesianGaussianMixture
(Dirichlet weights, full covariances) and GaussianMixture (EM) on D-dimensional data (default 2)
with N points from 5 clusters (centres on a circle in the first two coordinates), K components. Per iteration = (time of max_iter = m + 1 - time of max_iter = 1) / m,
both from the same initial responsibilities, so the initialisation is not counted.
Prints key=value lines (milliseconds)."""
import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture


def from_responsibilities(cls):
    class Fixed(cls):
        def _initialize_parameters(self, X, random_state):
            self._initialize(X, self.resp0)

    return Fixed


def per_iteration_ms(cls, x, resp, iterations, repeats, **kw):
    fixed = from_responsibilities(cls)
    times = []
    for _ in range(repeats):
        elapsed = []
        for m in (1, iterations + 1):
            model = fixed(n_components=resp.shape[1], covariance_type="full", max_iter=m,
                          tol=0.0, n_init=1, **kw)
            model.resp0 = resp
            start = time.perf_counter()
            model.fit(x)
            elapsed.append(time.perf_counter() - start)
        times.append((elapsed[1] - elapsed[0]) / iterations)
    return 1e3 * float(np.median(times))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--d", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.RandomState(0)
    centres = 4.0 * np.c_[np.cos(np.arange(5) * 2 * np.pi / 5), np.sin(np.arange(5) * 2 * np.pi / 5)]
    centres = np.c_[centres, np.zeros((5, args.d - 2))]
    x = centres[rng.randint(5, size=args.n)] + rng.normal(size=(args.n, args.d))
    resp = rng.uniform(size=(args.n, args.k))
    resp /= resp.sum(axis=1, keepdims=True)
    warnings.simplefilter("ignore", ConvergenceWarning)
    bgmm = per_iteration_ms(BayesianGaussianMixture, x, resp, args.iterations, args.repeats,
                            weight_concentration_prior_type="dirichlet_distribution")
    gmm = per_iteration_ms(GaussianMixture, x, resp, args.iterations, args.repeats)
    print(f"bayesian_ms={bgmm:.6f}")
    print(f"em_ms={gmm:.6f}")


if __name__ == "__main__":
    main()
