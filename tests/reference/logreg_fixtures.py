"""Peer fixtures for the logistic-regression lab: scikit-learn's LogisticRegression as the MAP.

scikit-learn minimises 1/2 |w|^2 + C sum_n logloss_n without penalising the intercept, which is
the MAP of our model with w ~ N(0, C I) and a flat prior on b (prior.sigma = sqrt(C),
prior.bias = flat). Each fixture stores the data, sigma0 and the peer's coefficients:
  separated.json  two Gaussian classes in 2-D (numpy, seed 5)
  iris.json       iris versicolor (0) vs virginica (1) on sepal length and petal width
It also writes the real data set those come from as a user would load it:
  tests/data/logreg/iris_versicolor_virginica.csv  (4 features, species 1 = versicolor,
  2 = virginica, from scikit-learn's iris.csv)
Run with Debian's interpreter: /usr/bin/python3 tests/reference/logreg_fixtures.py
"""
import json
import os

import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logreg")


def fixture(name, x, y, sigma0):
    model = LogisticRegression(C=sigma0 ** 2, tol=1e-12, max_iter=100000, solver="lbfgs")
    model.fit(x, y)
    out = {
        "peer": "sklearn.linear_model.LogisticRegression(C=sigma0^2, solver='lbfgs', tol=1e-12)",
        "sigma0": sigma0,
        "x": x.tolist(),
        "y": y.astype(int).tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def main():
    os.makedirs(HERE, exist_ok=True)
    rng = np.random.default_rng(5)
    n = 120
    y = (rng.random(n) < 0.4).astype(float)
    x = rng.standard_normal((n, 2)) * [1.0, 0.6] + np.where(y[:, None] > 0, [1.0, 0.5], [-1.0, -0.3]) + [3.0, 0.0]
    fixture("separated", x, y, 1.5)
    iris = load_iris()
    keep = iris.target > 0
    x = iris.data[keep][:, [0, 3]]
    y = (iris.target[keep] == 2).astype(float)
    fixture("iris", x, y, 10.0)
    data = os.path.join(os.path.dirname(HERE), "..", "data", "logreg", "iris_versicolor_virginica.csv")
    with open(data, "w") as f:
        f.write("sepal_length,sepal_width,petal_length,petal_width,species\n")
        for row, t in zip(iris.data[keep], iris.target[keep]):
            f.write(",".join(f"{v:g}" for v in row) + f",{t}\n")


if __name__ == "__main__":
    main()
