"""Peer timings for logreg_bench: the same Jaakkola-Jordan iteration in numpy (xi from q by PRML
eq. 10.163, then q from xi by eqs. 10.156-10.157, and the bound 10.164) and the same
reparameterized gradient step of a mean-field Gaussian q in PyTorch (S draws, logits, ELBO with the
prior term and entropy in closed form, backward, Adam), both on one thread, on two Gaussian classes
with N points in 2-D. Prints key=value lines (milliseconds: medians of the thread's CPU time)."""
import argparse
import time

import numpy as np


def data(n, seed=3):
    rng = np.random.default_rng(seed)
    y = (np.arange(n) < n // 2).astype(np.float64)
    x = rng.standard_normal((n, 2)) + np.where(y[:, None] > 0, 1.06, -1.06)
    return np.hstack([x, np.ones((n, 1))]), y


def median_ms(f, repeats):
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        f()
        times.append(time.thread_time() - start)
    return 1e3 * float(np.median(times))


def jj_ms(phi, y, prec0, repeats):
    p = phi.shape[1]
    state = {"m": np.zeros(p), "S": np.eye(p)}
    b = phi.T @ (y - 0.5)

    def step():
        m, s = state["m"], state["S"]
        xi = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", phi, s + np.outer(m, m), phi), 0.0))
        lam = np.where(xi < 1e-4, 0.125, (1.0 / (1.0 + np.exp(-xi)) - 0.5) / (2.0 * np.maximum(xi, 1e-300)))
        prec = 2.0 * (phi.T * lam) @ phi + np.diag(prec0)
        s = np.linalg.inv(prec)
        m = s @ b
        _, logdet = np.linalg.slogdet(prec)
        bound = (-0.5 * logdet + 0.5 * b @ m + 0.5 * np.sum(np.log(prec0))
                 + np.sum(-np.logaddexp(0.0, -xi) - 0.5 * xi + lam * xi * xi))
        state["m"], state["S"], state["bound"] = m, s, bound

    step()
    return median_ms(step, repeats)


def torch_step_ms(phi, y, prec0, samples, repeats):
    import torch

    torch.set_num_threads(1)
    phi_t = torch.tensor(phi)
    y_t = torch.tensor(y)
    prec = torch.tensor(prec0)
    p = phi.shape[1]
    m = torch.zeros(p, dtype=torch.float64, requires_grad=True)
    rho = torch.zeros(p, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([m, rho], lr=0.05)
    gen = torch.Generator().manual_seed(1)

    def step():
        eps = torch.randn(samples, p, generator=gen, dtype=torch.float64)
        z = m + torch.exp(rho) * eps
        logits = z @ phi_t.T
        loglik = (y_t * logits - torch.nn.functional.softplus(logits)).sum(dim=1).mean()
        prior = -0.5 * (prec * (m * m + torch.exp(2.0 * rho))).sum()
        elbo = loglik + prior + rho.sum()
        opt.zero_grad()
        (-elbo).backward()
        opt.step()

    for _ in range(5):
        step()
    return median_ms(step, repeats)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    phi, y = data(args.n)
    prec0 = np.full(phi.shape[1], 1.0 / 4.0)
    print(f"jj_ms={jj_ms(phi, y, prec0, args.repeats)}")
    try:
        print(f"torch_step_ms={torch_step_ms(phi, y, prec0, args.samples, args.repeats)}")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
