#!/usr/bin/python3
"""Peer side of fa_bench: scikit-learn's FactorAnalysis on the benchmark's data.

Usage: /usr/bin/python3 fa_peer.py <data.csv> <k> [repeats]
Prints key=value lines: fit_seconds (median wall time of FactorAnalysis.fit over the repeats,
svd_method='lapack', tol=1e-12 so that it reaches its final log-likelihood), loglik_per_sample
(loglike_[-1] / N: scikit-learn's loglike_ holds totals), n_iter, and the same for the default
tol=1e-2 (fit_seconds_default, loglik_per_sample_default, n_iter_default).
"""
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.decomposition import FactorAnalysis


def timed_fit(y, k, tol, repeats):
    times, fa = [], None
    for _ in range(repeats):
        fa = FactorAnalysis(n_components=k, svd_method="lapack", tol=tol, max_iter=100000)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fa.fit(y)
        times.append(time.perf_counter() - start)
    return statistics.median(times), fa


def main():
    path, k = sys.argv[1], int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    y = np.loadtxt(path, delimiter=",")
    n = y.shape[0]
    seconds, fa = timed_fit(y, k, 1e-12, repeats)
    print(f"fit_seconds={seconds:.6f}")
    print(f"loglik_per_sample={fa.loglike_[-1] / n:.17g}")
    print(f"n_iter={fa.n_iter_}")
    seconds, fa = timed_fit(y, k, 1e-2, repeats)
    print(f"fit_seconds_default={seconds:.6f}")
    print(f"loglik_per_sample_default={fa.loglike_[-1] / n:.17g}")
    print(f"n_iter_default={fa.n_iter_}")


if __name__ == "__main__":
    main()
