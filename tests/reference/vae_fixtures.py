#!/usr/bin/python3
"""Peer fixtures for the VAE lab, from PyTorch autograd (float64) and Python's gzip module.

Run with Debian's interpreter: /usr/bin/python3 tests/reference/vae_fixtures.py
Writes tests/reference/vae/{network,idx}.json:
  network.json: a tiny encoder/decoder (D=6, H=5, L=2), a batch of N=3 images with S=2 noise
    draws, and for each estimator/KL combination the objective's terms and its gradient (or the
    score-function surrogate's gradient) in VaeNetwork's flat parameter layout.
  idx.json: facts about Debian's Fashion-MNIST files read independently of our IDX reader.
"""
import gzip
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vae")
FASHION = "/usr/share/datasets/fashion-mnist"

D, H, L, N, S = 6, 5, 2, 3, 2
W_R, W_K, BASELINE = 1.3, 0.7, -3.0


def flat_colmajor(t):
    # VaeNetwork stores matrices column-major (Eigen's default).
    return t.detach().numpy().T.reshape(-1).tolist() if t.dim() == 2 else t.detach().numpy().tolist()


def network_fixture():
    rng = np.random.default_rng(20240611)
    shapes = [("w1", (H, D)), ("b1", (H,)), ("w2", (2 * L, H)), ("b2", (2 * L,)),
              ("w3", (H, L)), ("b3", (H,)), ("w4", (D, H)), ("b4", (D,))]
    params = {k: torch.tensor(rng.uniform(-0.8, 0.8, size=s), dtype=torch.float64, requires_grad=True)
              for k, s in shapes}
    x = torch.tensor(rng.uniform(0, 1, size=(N, D)), dtype=torch.float64)
    eps = torch.tensor(rng.standard_normal(size=(S, N, L)), dtype=torch.float64)  # sample s, image i

    def run(activation, estimator, kl, loo):
        act = torch.tanh if activation == "tanh" else torch.relu
        p = params
        h1 = act(x @ p["w1"].T + p["b1"])
        head = h1 @ p["w2"].T + p["b2"]
        mu, logvar = head[:, :L], head[:, L:]
        sigma = torch.exp(0.5 * logvar)
        z_path = mu + sigma * eps                       # S x N x L
        z = z_path if estimator == "reparam" else z_path.detach()
        h3 = act(z @ p["w3"].T + p["b3"])
        logits = h3 @ p["w4"].T + p["b4"]
        recon = (x * logits - torch.nn.functional.softplus(logits)).sum(-1)   # S x N
        kl_analytic = 0.5 * (mu ** 2 + sigma ** 2 - 1 - logvar).sum(-1)      # N
        log_q = (-0.5 * eps ** 2 - 0.5 * logvar - 0.5 * np.log(2 * np.pi)).sum(-1)
        if estimator == "score":
            # log q at the fixed z, as a function of the encoder's outputs.
            log_q = (-0.5 * ((z - mu) / sigma) ** 2 - 0.5 * logvar - 0.5 * np.log(2 * np.pi)).sum(-1)
        log_p = (-0.5 * z_path ** 2 - 0.5 * np.log(2 * np.pi)).sum(-1)
        kl_mc = log_q - log_p if estimator == "reparam" else (log_q - log_p).detach()
        if estimator == "reparam":
            kl_term = kl_mc.mean() if kl == "mc" else kl_analytic.mean()
            objective = W_R * recon.mean() - W_K * kl_term
        else:
            f = (W_R * recon).detach()
            if kl == "mc":
                f = f - W_K * kl_mc
            if loo:
                base = (f.sum(0, keepdim=True) - f) / (S - 1)
            else:
                base = torch.full_like(f, BASELINE)
            objective = (W_R * recon + (f - base) * log_q).mean()
            if kl == "analytic":
                objective = objective - W_K * kl_analytic.mean()
        for t in params.values():
            t.grad = None
        objective.backward()
        grad = []
        for k, _ in shapes:
            grad += flat_colmajor(params[k].grad)
        kl_value = (kl_mc.mean() if kl == "mc" else kl_analytic.mean()).item()
        return {"activation": activation, "estimator": estimator, "kl": kl, "leave_one_out": loo,
                "recon": recon.mean().item(), "kl_value": kl_value,
                "kl_analytic": kl_analytic.mean().item(), "objective": objective.item(),
                "gradient": grad}

    cases = []
    for activation in ("tanh", "relu"):
        for estimator in ("reparam", "score"):
            for kl in ("analytic", "mc"):
                for loo in ((False, True) if estimator == "score" else (False,)):
                    cases.append(run(activation, estimator, kl, loo))
    params_flat = []
    for k, _ in shapes:
        params_flat += flat_colmajor(params[k])
    # x as D x N and eps as L x (N S) column-major, column s N + i.
    eps_cols = eps.permute(2, 0, 1).reshape(L, S * N)
    return {"peer": "torch " + torch.__version__ + " autograd, float64",
            "input": D, "hidden": H, "latent": L, "images": N, "samples": S,
            "recon_weight": W_R, "kl_weight": W_K, "baseline": BASELINE,
            "parameters": params_flat,
            "x": x.numpy().reshape(-1).tolist(),  # image after image: D x N column-major
            "eps": eps_cols.numpy().T.reshape(-1).tolist(),
            "cases": cases}


def idx_fixture():
    out = {"peer": "python gzip + struct"}
    for part in ("train", "t10k"):
        images = os.path.join(FASHION, part + "-images-idx3-ubyte.gz")
        labels = os.path.join(FASHION, part + "-labels-idx1-ubyte.gz")
        if not (os.path.exists(images) and os.path.exists(labels)):
            continue
        with gzip.open(images, "rb") as f:
            data = f.read()
        magic, n, rows, cols = struct.unpack(">IIII", data[:16])
        pixels = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows * cols)
        with gzip.open(labels, "rb") as f:
            ldata = f.read()
        lmagic, ln = struct.unpack(">II", ldata[:8])
        lab = np.frombuffer(ldata, dtype=np.uint8, offset=8)
        out[part] = {"images_magic": magic, "labels_magic": lmagic, "count": n, "rows": rows,
                     "cols": cols, "label_count": ln,
                     "first_labels": lab[:20].tolist(),
                     "label_histogram": np.bincount(lab, minlength=10).tolist(),
                     "first_image_sum": int(pixels[0].sum()),
                     "last_image_sum": int(pixels[-1].sum()),
                     "mean_pixel": float(pixels.mean())}
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    with open(os.path.join(OUT, "network.json"), "w") as f:
        json.dump(network_fixture(), f, indent=1)
    with open(os.path.join(OUT, "idx.json"), "w") as f:
        json.dump(idx_fixture(), f, indent=1)


if __name__ == "__main__":
    main()
