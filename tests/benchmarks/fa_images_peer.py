#!/usr/bin/python3
"""Peer side of fa_images_bench: scikit-learn's FactorAnalysis on the first N Fashion-MNIST
training images (grey values byte / 255, D = 784), as the FA lab reads them.

Usage: /usr/bin/python3 fa_images_peer.py <n> <k> [repeats]
Prints key=value lines:
  iteration_seconds: median over the repeats of fit time / n_iter with tol=0 and max_iter=10,
    svd_method='randomized' (the default; 'lapack', a full SVD per iteration, is some ten times
    slower again and left out to keep the run short);
  fit_seconds, n_iter, loglik_per_sample: one fit with the default settings (tol=1e-2), its
    final log-likelihood per sample (scikit-learn's loglike_ holds totals).
"""
import gzip
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.decomposition import FactorAnalysis

IMAGES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def load(n):
    with gzip.open(IMAGES, "rb") as f:
        raw = f.read()
    count, rows, cols = (int.from_bytes(raw[4 * i : 4 * i + 4], "big") for i in (1, 2, 3))
    if n > count:
        sys.exit(f"{IMAGES} has {count} images, not {n}")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=n * rows * cols)
    return pixels.reshape(n, rows * cols).astype(np.float64) / 255.0


def per_iteration(y, k, method, repeats, iterations=10):
    times = []
    for _ in range(repeats):
        fa = FactorAnalysis(n_components=k, svd_method=method, tol=0.0, max_iter=iterations)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fa.fit(y)
        times.append((time.perf_counter() - start) / fa.n_iter_)
    return statistics.median(times)


def main():
    n, k = int(sys.argv[1]), int(sys.argv[2])
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    y = load(n)
    print(f"iteration_seconds={per_iteration(y, k, 'randomized', repeats):.6f}")
    fa = FactorAnalysis(n_components=k)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa.fit(y)
    print(f"fit_seconds={time.perf_counter() - start:.6f}")
    print(f"n_iter={fa.n_iter_}")
    print(f"loglik_per_sample={fa.loglike_[-1] / n:.17g}")


if __name__ == "__main__":
    main()
