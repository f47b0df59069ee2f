"""The pair a first visit opens on, picked by a stated rule from the shipped default model.

    python -m training.showcase [--weights weights]   # writes weights/showcase.json (same file every run)

Rule: of PAIRS random pairs of test digits (vae.sampling.random_pairs, seed 0), keep those whose
straight path of FRAMES decoded frames under the default model reads, frame by frame, as A's
digit and then B's (a different digit), switching exactly once, with every frame read at
P >= READABLE by the shipped classifier; of those, take the pair whose least sure frame is surest.
So the page opens on a clean class change that the classifier vouches for at every frame.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from vae.family import DEFAULT_MODEL, SHOWCASE_FILE, load_family
from vae.paths import interpolate
from vae.sampling import READABLE, random_pairs

PAIRS = 200
FRAMES = 10
SEED = 0
METHOD = "linear"


def readings(family, loaded, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pairs, FRAMES) predicted digits and their probabilities along each pair's straight path."""
    mu = loaded.atlas.mu
    codes = np.stack([interpolate(mu[a], mu[b], FRAMES, METHOD) for a, b in pairs])  # (P, F, latent)
    probabilities = family.classifier.probabilities(loaded.model.decode(codes.reshape(-1, mu.shape[1])))
    shape = (len(pairs), FRAMES)
    return probabilities.argmax(axis=1).reshape(shape), probabilities.max(axis=1).reshape(shape)


def pick(family, model: str = DEFAULT_MODEL) -> dict:
    loaded = family.models[model]
    pairs = random_pairs(len(family.labels), PAIRS, SEED)
    digits, confidence = readings(family, loaded, pairs)
    labels = family.labels
    qualifying = []
    for n, (a, b) in enumerate(pairs):
        switches = int((np.diff(digits[n]) != 0).sum())
        clean = digits[n, 0] == labels[a] and digits[n, -1] == labels[b] and labels[a] != labels[b]
        if clean and switches == 1 and confidence[n].min() >= READABLE:
            qualifying.append(n)
    if not qualifying:
        raise SystemExit(f"no pair of {PAIRS} meets the rule under {model}")
    best = max(qualifying, key=lambda n: confidence[n].min())
    a, b = (int(i) for i in pairs[best])
    return {
        "about": "Written by `python -m training.showcase`: the pair a first visit opens on.",
        "model": model,
        "method": METHOD,
        "frames": FRAMES,
        "a": a,
        "b": b,
        "rule": (
            f"of {PAIRS} random pairs (seed {SEED}), those whose straight path of {FRAMES} frames reads as A's "
            f"digit then B's, switching once, every frame at P >= {READABLE:g}; the one whose least sure frame "
            "is surest"
        ),
        "figures": {
            "qualifying": len(qualifying),
            "reads": "".join(str(int(d)) for d in digits[best]),
            "least_sure": round(float(confidence[best].min()), 3),
        },
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="folder of the shipped models (default %(default)s)")
    args = parser.parse_args(argv)
    family = load_family(args.weights)
    if family.classifier is None:
        raise SystemExit(f"needs the digit classifier in {args.weights}")
    found = pick(family)
    path = Path(args.weights) / SHOWCASE_FILE
    path.write_text(json.dumps(found, indent=1) + "\n")
    print(json.dumps(found["figures"]), f"pair #{found['a']} -> #{found['b']}", f"-> {path}")


if __name__ == "__main__":
    main()
