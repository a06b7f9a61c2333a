#!/usr/bin/python3
"""Peer fixtures for the factor-analysis lab: data sets and scikit-learn's FactorAnalysis fit.

Run with Debian's interpreter: /usr/bin/python3 tests/reference/fa_fixtures.py
Writes tests/reference/fa/<name>.json with the data (N x D), k, and the fitted loglike_ (the
TOTAL log-likelihood over the N rows, last entry of the trace), components_ (K x D, so
W = components_.T), noise_variance_ (psi) and mean_.

scikit-learn's FactorAnalysis maximises the same likelihood by an SVD-based fixed point on psi
(not EM), so the C++ tests compare fixed points, not iterations. svd_method='lapack' is exact;
tol=1e-12 on the total log-likelihood change makes the fit converge as far as it can.

digits.json is scikit-learn's 8x8 digits (1797 x 64, columns 1, 33 and 40 constant), which the
C++ test reads at run time from Debian's copy (DIGITS below); the fixture holds no data, only the
fit and the data's checksums (sum and sum of squares) to prove the same file was read.
scikit-learn floors every psi at SMALL = 1e-12 (psi = max(var - sum W^2, SMALL)), so its
constant columns end there with zero loadings.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_digits
from sklearn.decomposition import FactorAnalysis

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fa")


def make(rng, n, d, k, noise, spread, units=None, offset=0.0):
    """y = W z + mu + e with W ~ N(0, 1), psi log-spaced over [noise^2/sqrt(spread), ...]."""
    W = rng.standard_normal((d, k))
    psi = noise**2 * spread ** (np.linspace(0.0, 1.0, d) - 0.5)
    mu = offset + rng.standard_normal(d)
    z = rng.standard_normal((n, k))
    y = z @ W.T + rng.standard_normal((n, d)) * np.sqrt(psi) + mu
    if units is not None:
        y = y * units  # columns in different units: FA is equivariant, PPCA is not
    return y


CASES = [
    # name, seed, n, d, k, noise, spread, units, offset
    ("one_factor", 11, 200, 5, 1, 0.6, 4.0, None, 0.0),
    ("two_factors", 12, 500, 8, 2, 0.5, 10.0, None, 3.0),
    ("mixed_units", 13, 300, 12, 3, 0.7, 20.0, np.logspace(-2, 2, 12), 50.0),
]


DIGITS = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
DIGITS_K = 4


def digits():
    """The 8x8 digits as scikit-learn loads them (the same file the C++ test reads)."""
    y = np.loadtxt(DIGITS, delimiter=",")[:, :-1]  # the last column is the label
    assert np.array_equal(y, load_digits().data)
    k = DIGITS_K
    fa = FactorAnalysis(n_components=k, svd_method="lapack", tol=1e-12, max_iter=200000)
    fa.fit(y)
    if fa.n_iter_ >= fa.max_iter:
        sys.exit("digits: scikit-learn did not converge")
    var = y.var(axis=0)
    constant = np.flatnonzero(var == 0)
    if np.any(fa.noise_variance_[var > 0] < 1e-3 * var[var > 0]):
        sys.exit("digits: a Heywood case among the varying columns; pick another k")
    n, d = y.shape
    fixture = {
        "name": "digits",
        "peer": f"scikit-learn {sklearn.__version__} FactorAnalysis(n_components={k}, "
        "svd_method='lapack', tol=1e-12) on load_digits().data",
        "path": DIGITS,
        "n": n,
        "d": d,
        "k": k,
        "data_sum": float(y.sum()),
        "data_sum_squares": float((y**2).sum()),
        "constant_columns": constant.tolist(),
        "loglike_total": float(fa.loglike_[-1]),
        "n_iter": int(fa.n_iter_),
        "components": fa.components_.tolist(),
        "noise_variance": fa.noise_variance_.tolist(),
        "mean": fa.mean_.tolist(),
    }
    with open(os.path.join(OUT, "digits.json"), "w") as f:
        json.dump(fixture, f)
        f.write("\n")
    print(f"digits: n_iter={fa.n_iter_} loglike/N={fa.loglike_[-1] / n:.12f} constant={constant}")


def main():
    os.makedirs(OUT, exist_ok=True)
    digits()
    for name, seed, n, d, k, noise, spread, units, offset in CASES:
        rng = np.random.default_rng(seed)
        y = make(rng, n, d, k, noise, spread, units, offset)
        fa = FactorAnalysis(n_components=k, svd_method="lapack", tol=1e-12, max_iter=200000)
        fa.fit(y)
        if fa.n_iter_ >= fa.max_iter:
            sys.exit(f"{name}: scikit-learn did not converge")
        var = y.var(axis=0)
        if np.any(fa.noise_variance_ < 1e-3 * var):
            sys.exit(f"{name}: a Heywood case; pick another data set")
        fixture = {
            "name": name,
            "peer": f"scikit-learn {sklearn.__version__} FactorAnalysis(n_components={k}, "
            "svd_method='lapack', tol=1e-12)",
            "n": n,
            "d": d,
            "k": k,
            "data": y.tolist(),
            "loglike_total": float(fa.loglike_[-1]),
            "n_iter": int(fa.n_iter_),
            "components": fa.components_.tolist(),
            "noise_variance": fa.noise_variance_.tolist(),
            "mean": fa.mean_.tolist(),
        }
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(fixture, f)
            f.write("\n")
        print(f"{name}: n_iter={fa.n_iter_} loglike/N={fa.loglike_[-1] / n:.12f}")


if __name__ == "__main__":
    main()
