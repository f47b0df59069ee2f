"""Recomputes every model's test metrics in a weights folder and checks them against what its checkpoint records.

    python evaluate.py                                       # weights/, all 10,000 test digits, IWAE K=1000
    python evaluate.py --test-subset 1000 --iwae-samples 0   # quick: the recorded first-1000 -ELBO
    python evaluate.py --weights runs/20260101-120000        # a run of train.py
    python evaluate.py --models z2-beta0,z2-beta1            # only these checkpoints

Reads the test digits stored beside the checkpoints (mnist-test.npz, identical
to the MNIST test set for shipped weights), so it runs offline on a fresh clone.
A checkpoint records its -ELBO on all its test digits and on the first 1000;
--test-subset N is checked against the record for the same N digits. Exit
status: 0 when every recomputed figure matches its record within --tolerance
nats, 1 when one differs, 2 when nothing could be checked (no record for that
subset: the figures are printed, unverified).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

SUBSET_RECORDS = {1000: "neg_elbo_first_1000"}  # digits -> the metric train.py records for that prefix


def recorded_neg_elbo(was: dict, digits: int) -> float | None:
    """The -ELBO the checkpoint recorded on exactly the first `digits` test digits, if it did."""
    if digits == was.get("test_digits"):
        return was["neg_elbo"]
    key = SUBSET_RECORDS.get(digits)
    return was.get(key) if key else None


def evaluate_model(path: Path, images, iwae_samples: int) -> tuple[dict, dict]:
    """(recomputed metrics, the checkpoint's info) for one checkpoint, with the seed it was scored with."""
    from training.checkpoint import load_checkpoint
    from training.metrics import active_units, elbo_metrics, encode_all, iwae_nll

    model, record = load_checkpoint(path)
    seed = record["info"].get("seed", 0)
    metrics = elbo_metrics(model, images, seed=seed)
    metrics["active_units"] = active_units(encode_all(model, images)[0])
    if record["config"]["beta"] == 1.0 and iwae_samples > 0:
        metrics["iwae_nll"] = iwae_nll(model, images, samples=iwae_samples, seed=seed)
    return metrics, record["info"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="folder of checkpoints (default %(default)s)")
    parser.add_argument("--test-subset", type=int, default=0, help="first N test digits (default 0 = all)")
    parser.add_argument("--iwae-samples", type=int, default=1000, help="0 skips IWAE (default %(default)s)")
    parser.add_argument("--tolerance", type=float, default=0.05, help="nats (default %(default)s)")
    parser.add_argument("--models", default="", help="comma-separated names, e.g. z2-beta1 (default: every vae-*)")
    args = parser.parse_args(argv)
    chosen = {name.strip() for name in args.models.split(",") if name.strip()}
    paths = sorted(Path(args.weights).glob("vae-*.safetensors"))
    unknown = chosen - {path.stem.removeprefix("vae-") for path in paths}
    if unknown:
        parser.error(f"--models: no checkpoint for {', '.join(sorted(unknown))} in {args.weights}")

    import torch  # after the options: --help answers at once

    from vae.atlas import load_test_set
    from vae.family import TEST_SET_FILE

    images, _ = load_test_set(Path(args.weights) / TEST_SET_FILE)
    if args.test_subset:
        images = images[: args.test_subset]
    x = torch.from_numpy(images).reshape(-1, 784).float() / 255.0
    print(f"{len(x)} test digits; nats per digit; 'was' = recorded in the checkpoint for the same digits")
    print(f"{'model':<14} {'-ELBO':>8} {'(was)':>8} {'recon':>8} {'KL':>7} {'active':>6} {'IWAE NLL':>9} {'(was)':>8}")
    differ = unchecked = 0
    for path in paths:
        if chosen and path.stem.removeprefix("vae-") not in chosen:
            continue
        started = time.perf_counter()
        now, info = evaluate_model(path, x, args.iwae_samples)
        was = info["metrics"]
        checks = [(now["neg_elbo"], recorded_neg_elbo(was, len(x)))]
        same_iwae = len(x) == was.get("test_digits") and args.iwae_samples == was.get("iwae_samples")
        if "iwae_nll" in now:
            checks.append((now["iwae_nll"], was.get("iwae_nll") if same_iwae else None))
        off = any(record is not None and abs(value - record) > args.tolerance for value, record in checks)
        missing = checks[0][1] is None
        differ += off
        unchecked += missing and not off
        cells = [f"{v:8.2f} {r:8.2f}" if r is not None else f"{v:8.2f} {'-':>8}" for v, r in checks]
        iwae = cells[1] if len(cells) > 1 else f"{'-':>8} {'-':>8}"
        note = "  <- differs from the record" if off else "  (no record for these digits: not checked)" * missing
        print(
            f"{path.stem.removeprefix('vae-'):<14} {cells[0]} {now['reconstruction']:8.2f} {now['kl']:7.2f} "
            f"{now['active_units']:6d} {iwae:>18}  {time.perf_counter() - started:4.1f} s{note}"
        )
    if differ:
        print(f"{differ} model(s) differ from their record by more than {args.tolerance} nats")
        return 1
    if unchecked:
        known = " or ".join(["all their test digits", *(f"the first {n}" for n in SUBSET_RECORDS)])
        print(f"cannot check {unchecked} model(s): checkpoints record the -ELBO on {known} only (exit 2)")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
