#!/usr/bin/python3
"""PyTorch peer of the VAE benchmark: the same network (784-512-2 encoder with tanh, 2-512-784
decoder), Adam 1e-3, batch 128, analytic KL, Bernoulli likelihood on Fashion-MNIST grey values,
two threads. Prints key=value lines: training images per second (median over 100-step chunks)
and the mean minibatch ELBO (nats per image) over steps 901-1000.

Run with Debian's interpreter: /usr/bin/python3 tests/benchmarks/vae_peer.py [--steps N]
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch

FASHION = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def load_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 0x803:
        raise SystemExit("not an IDX images file")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not os.path.exists(FASHION):
        sys.exit(2)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_all = torch.from_numpy(load_images(FASHION).astype(np.float32) / 255.0)
    d, h, l, batch = x_all.shape[1], 512, 2, 128
    encoder = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.Tanh(), torch.nn.Linear(h, 2 * l))
    decoder = torch.nn.Sequential(torch.nn.Linear(l, h), torch.nn.Tanh(), torch.nn.Linear(h, d))
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-3)
    bce = torch.nn.BCEWithLogitsLoss(reduction="sum")

    order = torch.randperm(x_all.shape[0])
    cursor = 0
    elbos, chunk_rates = [], []
    chunk_start = time.perf_counter()
    for step in range(1, args.steps + 1):
        if cursor + batch > x_all.shape[0]:
            order = torch.randperm(x_all.shape[0])
            cursor = 0
        x = x_all[order[cursor:cursor + batch]]
        cursor += batch
        head = encoder(x)
        mu, logvar = head[:, :l], head[:, l:]
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        recon = -bce(decoder(z), x) / batch
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum() / batch
        elbo = recon - kl
        optimizer.zero_grad()
        (-elbo).backward()
        optimizer.step()
        elbos.append(elbo.item())
        if step % 100 == 0:
            now = time.perf_counter()
            chunk_rates.append(100 * batch / (now - chunk_start))
            chunk_start = now
    tail = elbos[900:1000] if len(elbos) >= 1000 else elbos[-100:]
    print("peer=torch-%s" % torch.__version__)
    print("threads=%d" % args.threads)
    print("steps=%d" % args.steps)
    print("images_per_s=%.1f" % float(np.median(chunk_rates)))
    print("elbo_900_1000=%.3f" % float(np.mean(tail)))


if __name__ == "__main__":
    main()
