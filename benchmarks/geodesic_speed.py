"""How long a geodesic takes: K = 16 points, the shipped z20-beta1 model, random test-digit pairs.

    python benchmarks/geodesic_speed.py [--pairs 10]

Prints the median and worst time per path and the energy ratio against the
straight line (target from the issue: <= 1.5 s on this CPU).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from vae.family import load_family
from vae.geodesic import geodesic_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--model", default="z20-beta1")
    args = parser.parse_args()
    loaded = load_family().models[args.model]
    rng = np.random.default_rng(0)
    seconds, ratios, steps = [], [], []
    for _ in range(args.pairs):
        i, j = rng.integers(0, len(loaded.atlas.mu), 2)
        started = time.perf_counter()
        _, report = geodesic_path(loaded.model, loaded.atlas.mu[i], loaded.atlas.mu[j], frames=10, points=16)
        seconds.append(time.perf_counter() - started)
        ratios.append(report.energy_ratio)
        steps.append(report.steps)
    print(
        f"{args.model}, K=16, {args.pairs} pairs: median {statistics.median(seconds):.2f} s, "
        f"max {max(seconds):.2f} s (target <= 1.5 s); optimiser steps median {statistics.median(steps):.0f}; "
        f"energy vs straight line: median x{statistics.median(ratios):.2f}, "
        f"range x{min(ratios):.2f}-x{max(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
