"""Peer fixtures for the Gaussian-mixture lab, from Debian's python3-sklearn (1.2.1):
BayesianGaussianMixture (Dirichlet weights, full covariances, reg_covar = 0) and GaussianMixture
(EM, reg_covar = 0 unless the case says otherwise), each started from the same initial
responsibilities and stopped after 1, 10 and 100 iterations (tol = 0, so every iteration runs).
Run with /usr/bin/python3; writes tests/reference/gmm/<case>.json and tests/data/iris.csv.

Cases: 2-D and 1-D generated data; far_tight_clusters (tests/data/own-data/: two clusters of 5
points 1e6 apart, spread 1.6e-3; EM with reg_covar = 1e-6 from the clusters as initial
responsibilities); the iris measurements (4 columns); generated 5-D data; two cases of columns in
very different units, EM with scikit-learn's default reg_covar = 1e-6 from its own k-means
initial responsibilities: bc10 (the first 10 columns of scikit-learn's breast-cancer data, areas
near 1e3 next to fractal dimensions near 0.06; writes tests/data/own-data/bc10.csv) and
mixed_scale (tests/data/own-data/mixed_scale.csv: a population near 1e9 +- 3e8 next to a rate
near 2e-3 +- 5e-4, independent normals; written here).

Each fixture holds the data x (N x D), the initial responsibilities resp0 (N x K), the prior
settings given to scikit-learn (null: its default, which our model resolves the same way), and
per iteration count the fitted weights_, means_, covariances_ and lower_bound_ (plus the
Bayesian model's weight_concentration_, mean_precision_, degrees_of_freedom_).
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

ITERATIONS = (1, 10, 100)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gmm")


def from_responsibilities(cls):
    """The estimator, initialised from given responsibilities instead of k-means."""

    class Fixed(cls):
        def _initialize_parameters(self, X, random_state):
            self._initialize(X, self.resp0)

    return Fixed


def fit(cls, x, resp0, iterations, **kw):
    model = from_responsibilities(cls)(n_components=resp0.shape[1], covariance_type="full",
                                       max_iter=iterations, tol=0.0, n_init=1, **kw)
    model.resp0 = resp0
    model.fit(x)
    return model


def mixture_data(rng, n, means, covariances, weights):
    counts = rng.multinomial(n, weights)
    parts = [rng.multivariate_normal(m, c, size=k) for m, c, k in zip(means, covariances, counts)]
    x = np.vstack(parts)
    return x[rng.permutation(n)]


def case(name, x, k, rng, alpha0=None, beta0=None, nu0=None, resp0=None, em_reg_covar=0.0):
    if resp0 is None:
        resp0 = rng.uniform(size=(x.shape[0], k))
        resp0 /= resp0.sum(axis=1, keepdims=True)
    out = {"sklearn": sklearn.__version__, "x": x.tolist(), "resp0": resp0.tolist(), "k": k,
           "alpha0": alpha0, "beta0": beta0, "nu0": nu0, "em_reg_covar": em_reg_covar,
           "bayesian": {}, "em": {}}
    for n in ITERATIONS:
        b = fit(BayesianGaussianMixture, x, resp0, n,
                weight_concentration_prior_type="dirichlet_distribution",
                weight_concentration_prior=alpha0, mean_precision_prior=beta0,
                degrees_of_freedom_prior=nu0, reg_covar=0.0)
        out["bayesian"][str(n)] = {
            "weights": b.weights_.tolist(), "means": b.means_.tolist(),
            "covariances": b.covariances_.tolist(), "lower_bound": float(b.lower_bound_),
            "weight_concentration": b.weight_concentration_.tolist(),
            "mean_precision": b.mean_precision_.tolist(),
            "degrees_of_freedom": b.degrees_of_freedom_.tolist()}
        e = fit(GaussianMixture, x, resp0, n, reg_covar=em_reg_covar)
        out["em"][str(n)] = {
            "weights": e.weights_.tolist(), "means": e.means_.tolist(),
            "covariances": e.covariances_.tolist(), "lower_bound": float(e.lower_bound_)}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(out, f)
    print("wrote", name, file=sys.stderr)


def kmeans_responsibilities(x, k):
    """scikit-learn's own initial responsibilities (GaussianMixture's init_params="kmeans")."""
    labels = KMeans(n_clusters=k, n_init=1, random_state=0).fit(x).labels_
    resp = np.zeros((x.shape[0], k))
    resp[np.arange(x.shape[0]), labels] = 1.0
    return resp


def write_csv(path, header, x):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in x:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20240611)
    x2 = mixture_data(rng, 150,
                      means=[[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]],
                      covariances=[[[1.0, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.2]],
                                   [[0.8, 0.0], [0.0, 0.8]]],
                      weights=[0.5, 0.3, 0.2])
    case("2d_default", x2, 4, rng)
    case("2d_priors", x2, 5, rng, alpha0=0.01, beta0=0.5, nu0=4.5)
    x1 = mixture_data(rng, 90, means=[[-2.0], [2.5]], covariances=[[[0.7]], [[1.3]]],
                      weights=[0.6, 0.4])
    case("1d_default", x1, 3, rng)

    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.join(here, "..", "data")
    far = np.loadtxt(os.path.join(data, "own-data", "far_tight_clusters.csv"), skiprows=1,
                     ndmin=2)
    hard = np.column_stack([far[:, 0] > 5e5, far[:, 0] <= 5e5]).astype(float)
    case("far_tight_clusters", far, 2, rng, resp0=hard, em_reg_covar=1e-6)

    iris = load_iris()
    with open(os.path.join(data, "iris.csv"), "w") as f:
        f.write("sepal_length,sepal_width,petal_length,petal_width\n")
        for row in iris.data:
            f.write(",".join("%g" % v for v in row) + "\n")
    case("iris", np.loadtxt(os.path.join(data, "iris.csv"), delimiter=",", skiprows=1), 3, rng)

    d5 = np.diag([1.0, 0.5, 2.0, 1.0, 0.3])
    x5 = mixture_data(rng, 240, means=[np.zeros(5), [4.0, 0, 1, 0, 2], [0, 5.0, -1, 2, 0],
                                       [3.0, 3, 3, -3, 0]],
                      covariances=[d5, d5[::-1, ::-1] + 0.2, np.eye(5) * 0.7, d5 * 1.5],
                      weights=[0.3, 0.3, 0.2, 0.2])
    case("5d_default", x5, 4, rng)

    cancer = load_breast_cancer()
    bc10 = cancer.data[:, :10]
    write_csv(os.path.join(data, "own-data", "bc10.csv"),
              [n.replace("mean ", "").replace(" ", "_") for n in cancer.feature_names[:10]], bc10)
    case("bc10", bc10, 2, rng, resp0=kmeans_responsibilities(bc10, 2), em_reg_covar=1e-6)

    scale_rng = np.random.RandomState(7)
    mixed = np.column_stack([scale_rng.normal(1e9, 3e8, 200), scale_rng.normal(2e-3, 5e-4, 200)])
    write_csv(os.path.join(data, "own-data", "mixed_scale.csv"), ["population", "rate"], mixed)
    case("mixed_scale", mixed, 2, rng, resp0=kmeans_responsibilities(mixed, 2),
         em_reg_covar=1e-6)


if __name__ == "__main__":
    main()
