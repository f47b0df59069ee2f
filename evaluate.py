"""Recomputes every shipped model's test metrics and compares them with what its checkpoint records.

    python evaluate.py                      # all of weights/, full test set, IWAE K=1000 for beta=1
    python evaluate.py --test-subset 1000 --iwae-samples 100

Reads the test digits shipped in weights/mnist-test.npz (identical to the
MNIST test set), so it runs offline on a fresh clone. Exits non-zero if a
recomputed -ELBO differs from the recorded one by more than --tolerance nats.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

from vae.atlas import load_test_set
from vae.checkpoint import load_checkpoint
from vae.family import TEST_SET_FILE
from vae.metrics import active_units, elbo_metrics, encode_all, iwae_nll


def evaluate_model(path: Path, images: torch.Tensor, iwae_samples: int, seed: int = 0) -> tuple[dict, dict]:
    """(recomputed metrics, recorded metrics) for one checkpoint."""
    model, record = load_checkpoint(path)
    metrics = elbo_metrics(model, images, seed=seed)
    metrics["active_units"] = active_units(encode_all(model, images)[0])
    if record["config"]["beta"] == 1.0 and iwae_samples > 0:
        metrics["iwae_nll"] = iwae_nll(model, images, samples=iwae_samples, seed=seed)
    return metrics, record["info"]["metrics"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="(default %(default)s)")
    parser.add_argument("--test-subset", type=int, default=0, help="first N test digits (0 = all)")
    parser.add_argument("--iwae-samples", type=int, default=1000, help="0 skips IWAE (default %(default)s)")
    parser.add_argument("--tolerance", type=float, default=0.05, help="nats (default %(default)s)")
    args = parser.parse_args(argv)

    images, _ = load_test_set(Path(args.weights) / TEST_SET_FILE)
    if args.test_subset:
        images = images[: args.test_subset]
    x = torch.from_numpy(images).reshape(-1, 784).float() / 255.0
    print(f"{len(x)} test digits; nats per digit; 'was' = recorded in the checkpoint")
    print(f"{'model':<14} {'-ELBO':>8} {'(was)':>8} {'recon':>8} {'KL':>7} {'active':>6} {'IWAE NLL':>9} {'(was)':>8} {'s':>5}")
    failures = 0
    for path in sorted(Path(args.weights).glob("vae-*.safetensors")):
        started = time.perf_counter()
        now, was = evaluate_model(path, x, args.iwae_samples)
        full = len(x) == was["test_digits"]
        off = full and abs(now["neg_elbo"] - was["neg_elbo"]) > args.tolerance
        failures += off
        name = path.stem.removeprefix("vae-")
        iwae = f"{now['iwae_nll']:9.2f} {was.get('iwae_nll', float('nan')):8.2f}" if "iwae_nll" in now else f"{'-':>9} {'-':>8}"
        print(
            f"{name:<14} {now['neg_elbo']:8.2f} {was['neg_elbo']:8.2f} {now['reconstruction']:8.2f} "
            f"{now['kl']:7.2f} {now['active_units']:6d} {iwae} {time.perf_counter() - started:5.1f}"
            + ("  <- differs from the record" if off else "")
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
