"""The lesson's per-beta table: what sampling, interpolating and the z = 2 plane show, measured.

    python -m training.lesson_metrics [--weights weights]   # add the table to shipped checkpoints, tensors untouched

train.py stores `lesson_table` of each VAE it trains as record["info"]["lesson"]
(`restamp_folder(out, changed=...)`, once the classifier is there); the command
above computes the same table for every checkpoint in a folder and rewrites only
their metadata, so the tensors, their SHA-256 and the atlases made from them stay
valid. Every figure uses the
digit classifier (weights/classifier.safetensors) to decide what a decoded
image reads as:

prior_samples  z ~ N(0, I) (numpy default_rng(seed), `count` codes), decoded to pixel
               means; "readable" when the classifier's top probability >= threshold.
midpoints      `pairs` random pairs of distinct test digits (default_rng(seed).choice(N, 2,
               replace=False) per pair); the decoded midpoint (mu_a + mu_b) / 2 of the
               straight line between their posterior means, read by the classifier.
plane          z = 2 only: the 0.5-99.5 percentile box of the test digits' mu, cut into
               grid x grid cells; the share of cells that hold no test code.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Collection
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from vae.sampling import READABLE, plane_box, prior_codes, random_pairs

PRIOR_SAMPLES = {"count": 1000, "seed": 0, "threshold": READABLE}
MIDPOINTS = {"pairs": 300, "seed": 0}
PLANE_GRID = 25


@torch.no_grad()
def _read(classifier, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
    """Classifier probabilities (B, 10) of images (B, 784) in [0, 1]."""
    classifier.eval()
    return torch.cat(
        [F.softmax(classifier(images[i : i + batch_size]), dim=1) for i in range(0, len(images), batch_size)]
    )


@torch.no_grad()
def _decode(model, z: np.ndarray) -> torch.Tensor:
    model.eval()
    return model.decode(torch.from_numpy(np.ascontiguousarray(z, dtype=np.float32)))  # (B, 784)


def prior_sample_figures(model, classifier, count: int = 1000, seed: int = 0, threshold: float = READABLE) -> dict:
    """How much of what N(0, I) decodes to is a digit, and which digits."""
    z = prior_codes(model.config.latent_size, count, seed)
    probabilities = _read(classifier, _decode(model, z))
    confidence, digit = probabilities.max(dim=1)
    readable = confidence >= threshold
    per_digit = torch.bincount(digit[readable], minlength=10)
    return {
        "count": count,
        "seed": seed,
        "threshold": threshold,
        "readable_share": float(readable.float().mean()),
        "digits_covered": int((per_digit > 0).sum()),
        "readable_per_digit": [int(n) for n in per_digit],
    }


def midpoint_figures(model, classifier, mu: np.ndarray, pairs: int = 300, seed: int = 0) -> dict:
    """How digit-like the halfway point between two real codes decodes."""
    index = random_pairs(len(mu), pairs, seed)
    middle = (mu[index[:, 0]].astype(np.float32) + mu[index[:, 1]].astype(np.float32)) / 2  # (pairs, latent)
    confidence = _read(classifier, _decode(model, middle)).max(dim=1).values
    return {
        "pairs": pairs,
        "seed": seed,
        "mean_confidence": float(confidence.mean()),
        "share_below_half": float((confidence < 0.5).float().mean()),
    }


def plane_figures(mu: np.ndarray, grid: int = PLANE_GRID) -> dict:
    """Share of the z = 2 plane's populated extent (0.5-99.5 percentile box) holding no test code."""
    mu = np.asarray(mu, dtype=np.float64)
    x0, x1, y0, y1 = plane_box(mu)  # the box the lesson's planes show
    counts, _, _ = np.histogram2d(mu[:, 0], mu[:, 1], bins=grid, range=[[x0, x1], [y0, y1]])
    return {"grid": grid, "box": [x0, x1, y0, y1], "empty_share": float((counts == 0).mean())}


def lesson_table(model, classifier, mu: np.ndarray) -> dict:
    """The whole record["info"]["lesson"] of one VAE; mu (N, latent) are its test digits' posterior means."""
    return {
        "prior_samples": prior_sample_figures(model, classifier, **PRIOR_SAMPLES),
        "midpoints": midpoint_figures(model, classifier, mu, **MIDPOINTS),
        "plane": plane_figures(mu) if mu.shape[1] == 2 else None,
    }


def rewrite_info(path: str | Path, info: dict) -> Path:
    """Replaces a checkpoint's record["info"], keeping its tensors byte for byte (so its sha256 holds)."""
    from safetensors.numpy import save as save_safetensors_bytes

    from vae.checkpoint import METADATA_KEY, read_checkpoint

    arrays, record = read_checkpoint(path)  # verified: never restamp a damaged file
    record = dict(record, info=info)
    blob = save_safetensors_bytes(arrays, metadata={METADATA_KEY: json.dumps(record, sort_keys=True)})
    path = Path(path)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(blob)
    temporary.replace(path)
    return path


def restamp_folder(folder: str | Path, changed: Collection[str] | None = None) -> dict[str, dict]:
    """Computes the table for the vae-*.safetensors in folder with its classifier; rewrites metadata only.

    changed=None recomputes every model. Given the names of the models whose tensors just changed (what
    train.py trained), it recomputes those, and any whose stored table is missing or was read by another
    classifier; the others keep their files byte for byte (recomputing the same figures on another CPU can
    move a float in its last bit, and a rewritten file for nothing is noise in the repository's history).
    """
    from vae.atlas import load_test_set
    from vae.checkpoint import read_record
    from vae.family import CLASSIFIER_FILE

    from .checkpoint import load_checkpoint
    from .metrics import encode_all

    folder = Path(folder)
    classifier, classifier_record = load_checkpoint(folder / CLASSIFIER_FILE)
    images, _ = load_test_set(folder / "mnist-test.npz")
    x = torch.from_numpy(images).reshape(-1, 784).float() / 255.0
    tables = {}
    for path in sorted(folder.glob("vae-*.safetensors")):
        name = path.stem.removeprefix("vae-")
        if changed is not None and name not in changed:
            info = read_record(path)["info"]
            if "lesson" in info and info.get("lesson_classifier_sha256") == classifier_record["sha256"]:
                continue
        model, record = load_checkpoint(path)
        mu, _ = encode_all(model, x)
        info = dict(
            record["info"],
            lesson=lesson_table(model, classifier, mu.numpy()),
            lesson_classifier_sha256=classifier_record["sha256"],
        )
        rewrite_info(path, info)
        tables[name] = info["lesson"]
    return tables


def card_section(folder: str | Path) -> str:
    """The model card's lesson table (weights/README.md), from the figures stored in each checkpoint."""
    from vae.checkpoint import read_record

    rows = []
    for path in sorted(Path(folder).glob("vae-*.safetensors")):
        record = read_record(path)
        lesson, config = record["info"].get("lesson"), record["config"]
        if not isinstance(lesson, dict) or "imported" in record["info"]:  # imports: their own table (card.py)
            continue
        prior, middle, plane = lesson["prior_samples"], lesson["midpoints"], lesson["plane"]
        empty = f"{plane['empty_share']:.0%}" if plane else "-"
        rows.append(
            (
                -config["latent_size"],
                config["beta"],
                (
                    f"| {path.stem.removeprefix('vae-')} | {config['latent_size']} | {config['beta']:g} | "
                    f"{prior['readable_share']:.1%} | {prior['digits_covered']} / 10 | "
                    f"{middle['mean_confidence']:.3f} | "
                    f"{middle['share_below_half']:.1%} | {empty} |"
                ),
            )
        )
    if not rows:
        return ""
    table = "\n".join(row for *_, row in sorted(rows))
    return f"""
## What the lesson measures
Computed by `python -m training.lesson_metrics` from the shipped tensors and stored in each checkpoint
(record["info"]["lesson"]); the page's lesson quotes these figures, and tests/test_lesson.py recomputes them.
A decoded image **reads as a digit** when the digit classifier below gives its top class P >= 0.9.

- **N(0, I) readable / digits covered**: of 1,000 draws z ~ N(0, I) (seed 0), decoded, the share that
  reads as a digit, and how many of the 10 classes those cover.
- **midpoint confidence / < 0.5**: the decoded midpoint (mu_a + mu_b) / 2 of 300 random pairs of test
  digits (seed 0): the classifier's mean top probability, and the share of midpoints below 0.5.
- **empty plane cells** (z = 2): a 25 x 25 grid over the box holding 99% of the test codes (0.5-99.5
  percentiles per axis); the share of cells with no test code.

| model | z | beta | N(0, I) readable | digits covered | midpoint confidence | midpoints < 0.5 | empty plane cells |
|---|---|---|---|---|---|---|---|
{table}
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="folder of checkpoints + classifier (default %(default)s)")
    args = parser.parse_args(argv)
    for name, table in restamp_folder(args.weights).items():
        print(name, json.dumps(table))


if __name__ == "__main__":
    main()
