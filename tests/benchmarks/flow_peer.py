#!/usr/bin/python3
"""PyTorch peer of the flow benchmark: a planar flow (Rezende & Mohamed 2015, with the u_hat
constraint of their Appendix A.1), L = 8 layers on a learnable diagonal Gaussian base, fitted to
the banana x1 ~ N(0, 2^2), x2 | x1 ~ N(x1^2/4 - 1, 0.7^2) (log Z = ln(2 pi 1.4) = 2.1743) by the
reparameterization ELBO with S = 128 draws and Adam, one thread, float64. flow_bench passes its
own initial parameters with --init (the flat layout of core/vi/flow_family.hpp and planar_flow.hpp:
m (2) | rho = ln sd (2) | per layer u (2) | w (2) | b), so both start from the same q; without it
the layers start near the identity by the recipe of core/vi/planar_flow.cpp from torch's seed.
Prints key=value lines: iterations per second of wall and of this thread's CPU time (medians over
200-step chunks) and the mean ELBO estimate over the last 200 steps.

Run with Debian's interpreter: /usr/bin/python3 tests/benchmarks/flow_peer.py [--steps N] [--init a,b,...]
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
    parser.add_argument("--init", type=str, default="", help="flat initial parameters, comma-separated")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    dt = torch.float64
    L, S = args.layers, args.samples

    if args.init:
        flat = torch.tensor([float(x) for x in args.init.split(",")], dtype=dt)
        if flat.numel() != 4 + 5 * L:
            raise SystemExit(f"--init has {flat.numel()} values; a planar flow with L = {L} has {4 + 5 * L}")
        m0, rho0 = flat[0:2], flat[2:4]
        layers = flat[4:].reshape(L, 5)
        u0, w0, b0 = layers[:, 0:2], layers[:, 2:4], layers[:, 4]
    else:
        m0 = torch.zeros(2, dtype=dt)
        rho0 = torch.zeros(2, dtype=dt)
        v = torch.randn(L, 2, dtype=dt)
        w0 = v / v.norm(dim=1, keepdim=True)
        u0 = math.log(math.e - 1.0) * w0 / (w0 * w0).sum(1, keepdim=True) + 0.01 * torch.randn(L, 2, dtype=dt)
        b0 = 0.5 * torch.randn(L, dtype=dt)
    m = m0.clone().requires_grad_(True)
    rho = rho0.clone().requires_grad_(True)
    w = w0.clone().requires_grad_(True)
    u = u0.clone().requires_grad_(True)
    b = b0.clone().requires_grad_(True)
    opt = torch.optim.Adam([m, rho, u, w, b], lr=args.lr)

    def banana(z):
        x1, x2 = z[:, 0], z[:, 1]
        return -x1 * x1 / 8.0 - (x2 - x1 * x1 / 4.0 + 1.0) ** 2 / (2 * 0.49)

    elbos, chunk_rates, chunk_cpu_rates = [], [], []
    start, cpu_start = time.perf_counter(), time.thread_time()
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
            now, cpu_now = time.perf_counter(), time.thread_time()
            chunk_rates.append(200 / (now - start))
            chunk_cpu_rates.append(200 / (cpu_now - cpu_start))
            start, cpu_start = now, cpu_now
    chunk_rates.sort()
    chunk_cpu_rates.sort()
    print(f"iterations_per_s={chunk_rates[len(chunk_rates) // 2]:.1f}")
    print(f"iterations_per_cpu_s={chunk_cpu_rates[len(chunk_cpu_rates) // 2]:.1f}")
    tail = elbos[-200:]
    print(f"elbo_last_200={sum(tail) / len(tail):.4f}")


if __name__ == "__main__":
    main()
