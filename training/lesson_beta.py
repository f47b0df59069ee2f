"""The lesson's β curve: how much of what N(0, I) decodes to reads as a digit, at every β of a grid, for the
Multi-Rate VAE (one model trained for every β, vae/multirate.py), measured as training/lesson_metrics.py
measures each separately trained model.

    python -m training.lesson_beta [--weights weights]   # writes weights/lesson-beta.json

Per β of GRID: the same 1,000 draws z ~ N(0, I) (vae/sampling.py prior_codes, seed 0, as lesson_metrics'
PRIOR_SAMPLES) decoded by the MR-VAE at that β (numpy, float32), each read by the digit classifier
(weights/classifier.safetensors); "readable" when its top probability >= READABLE. The file keeps each β's
readable share and digits covered, and the checkpoints' SHA-256 it was measured from: the lesson
(explorer/lesson_assets.py) shows it only beside those very files. The lesson's slider snaps to GRID, so every
figure it shows is one measured here, never interpolated. The separately trained models' figures are in their
own checkpoints (record["info"]["lesson"]); the lesson plots them as points beside this curve.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from vae.sampling import prior_codes

from .lesson_metrics import PRIOR_SAMPLES

FILE = "lesson-beta.json"
FORMAT = "latent-explorer/lesson-beta/1"
LATENTS = (20, 2)
MODEL_FILE = "mrvae-z{latent}.safetensors"
FAMILY_BETAS = (0.5, 1.0, 2.0, 4.0, 8.0)  # the separately trained models' β: on the grid, so the two agree there


def beta_grid(low: float = 0.01, high: float = 10.0, per_decade: int = 10) -> list[float]:
    """Log-spaced β from low to high, `per_decade` a decade, with the family's β added; rounded, increasing."""
    count = round(np.log10(high / low) * per_decade) + 1
    family = [b for b in FAMILY_BETAS if low <= b <= high]
    grid = {round(float(b), 6) for b in np.geomspace(low, high, count)}
    grid = {b for b in grid if all(abs(np.log(b / f)) > 0.05 for f in family)}  # 1.99526 gives way to 2
    return sorted(grid | set(family))


def measure(model, classifier, betas: list[float], count: int, seed: int, threshold: float) -> dict:
    """Per β the readable share and digits covered of `count` decoded draws (the same draws at every β)."""
    z = prior_codes(model.latent_size, count, seed)
    shares, covered = [], []
    for beta in betas:
        probabilities = classifier.probabilities(model.decode(z, beta))
        readable = probabilities.max(axis=1) >= threshold
        shares.append(round(float(readable.mean()), 4))
        covered.append(len(np.unique(probabilities.argmax(axis=1)[readable])))
    return {"betas": betas, "readable_share": shares, "digits_covered": covered}


def lesson_beta(folder: str | Path) -> dict:
    """The whole file's content for the MR-VAEs shipped in `folder`."""
    from vae.checkpoint import read_checkpoint
    from vae.family import CLASSIFIER_FILE
    from vae.inference import load_classifier
    from vae.multirate import load_multirate

    folder = Path(folder)
    arrays, classifier_record = read_checkpoint(folder / CLASSIFIER_FILE)
    classifier = load_classifier(folder / CLASSIFIER_FILE, arrays, classifier_record)
    count, seed, threshold = PRIOR_SAMPLES["count"], PRIOR_SAMPLES["seed"], PRIOR_SAMPLES["threshold"]
    models = {}
    for latent in LATENTS:
        path = folder / MODEL_FILE.format(latent=latent)
        if not path.is_file():
            continue
        model, record = load_multirate(path)
        low, high = model.beta_range
        measured = measure(model, classifier, beta_grid(low, high), count, seed, threshold)
        models[f"z{latent}-mr"] = {"sha256": record["sha256"], **measured}
    return {
        "format": FORMAT,
        "count": count,
        "seed": seed,
        "threshold": threshold,
        "classifier_sha256": classifier_record["sha256"],
        "models": models,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="folder of the MR-VAEs + classifier (default %(default)s)")
    args = parser.parse_args(argv)
    content = lesson_beta(args.weights)
    path = Path(args.weights) / FILE
    path.write_text(json.dumps(content, indent=1) + "\n")
    for name, curve in content["models"].items():
        for beta, share, covered in zip(curve["betas"], curve["readable_share"], curve["digits_covered"], strict=True):
            print(f"{name} beta={beta:g} readable={share:.1%} covered={covered}")
    print("wrote", path)


if __name__ == "__main__":
    main()
