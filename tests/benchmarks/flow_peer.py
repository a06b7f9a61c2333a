#!/usr/bin/python3
"""PyTorch peer of the flow benchmark: a planar flow (Rezende & Mohamed 2015, with the u_hat
constraint of their Appendix A.1), L = 8 layers on a learnable diagonal Gaussian base, fitted to
the banana x1 ~ N(0, 2^2), x2 | x1 ~ N(x1^2/4 - 1, 0.7^2) (log Z = ln(2 pi 1.4) = 2.1743) by the
reparameterization ELBO with S = 128 draws and Adam, one thread, float64. Layers start near the
identity as in core/vi/planar_flow.cpp. Prints key=value lines: iterations per second (median
over 200-step chunks) and the mean ELBO over the last 200 steps.

Run with Debian's interpreter: /usr/bin/python3 tests/benchmarks/flow_peer.py [--steps N]
"""
import argparse
import math
import time

import torch
import torch.nn.functional as F


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--samples", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    dt = torch.float64
    L, S = args.layers, args.samples

    m = torch.zeros(2, dtype=dt, requires_grad=True)
    rho = torch.zeros(2, dtype=dt, requires_grad=True)
    v = torch.randn(L, 2, dtype=dt)
    w0 = v / v.norm(dim=1, keepdim=True)
    u0 = math.log(math.e - 1.0) * w0 / (w0 * w0).sum(1, keepdim=True) + 0.01 * torch.randn(L, 2, dtype=dt)
    w = w0.clone().requires_grad_(True)
    u = u0.clone().requires_grad_(True)
    b = (0.5 * torch.randn(L, dtype=dt)).requires_grad_(True)
    opt = torch.optim.Adam([m, rho, u, w, b], lr=args.lr)

    def banana(z):
        x1, x2 = z[:, 0], z[:, 1]
        return -x1 * x1 / 8.0 - (x2 - x1 * x1 / 4.0 + 1.0) ** 2 / (2 * 0.49)

    elbos, chunk_rates = [], []
    start = time.perf_counter()
    for step in range(args.steps):
        eps = torch.randn(S, 2, dtype=dt)
        z = m + torch.exp(rho) * eps
        logq = -0.5 * (eps * eps).sum(1) - math.log(2 * math.pi) - rho.sum()
        for k in range(L):
            wk, uk, bk = w[k], u[k], b[k]
            wu = wk @ uk
            u_hat = uk + (-1.0 + F.softplus(wu) - wu) * wk / (wk @ wk)
            h = torch.tanh(z @ wk + bk)
            logq = logq - torch.log(torch.abs(1.0 + (1.0 - h * h) * (wk @ u_hat)))
            z = z + h[:, None] * u_hat
        elbo = (banana(z) - logq).mean()
        opt.zero_grad()
        (-elbo).backward()
        opt.step()
        elbos.append(elbo.item())
        if (step + 1) % 200 == 0:
            now = time.perf_counter()
            chunk_rates.append(200 / (now - start))
            start = now
    chunk_rates.sort()
    print(f"iterations_per_s={chunk_rates[len(chunk_rates) // 2]:.1f}")
    tail = elbos[-200:]
    print(f"elbo_last_200={sum(tail) / len(tail):.4f}")


if __name__ == "__main__":
    main()
