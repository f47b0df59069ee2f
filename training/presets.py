"""The lesson's "Show me" presets and the geodesic's verdict threshold, measured on the shipped models.

    python -m training.presets [--weights weights]   # writes weights/lesson.json (same file on every run)

A preset is a view (a link's query parameters) that makes one point of the lesson,
with a caption that states what was measured there. Each is picked by a rule, not
by hand, so re-running the script on the same weights reproduces the file:

hole     among the emptiest quarter of a grid over the box that holds the autoencoder's
         codes (distance to the nearest code, in typical gaps between neighbours), the
         point at the median distance: what the autoencoder draws there, and the share of
         that quarter it draws as a readable digit (a hole is not where a decoder draws
         nothing: it is where no digit was encoded). The page opens it at the last epoch,
         each plane on its own scale.
crossing 200 random pairs of test digits (seed 0), kept when the two digits differ and both
         z = 2 models draw each end (its decoded code) as its own digit at P >= READABLE,
         so the path changes class under both; of those, the one whose straight path
         reads least like a digit at its worst frame on the autoencoder. Compare mode
         shows the same pair under the VAE, and the caption quotes both.
alike    on z = 20, the same filter with the two z = 20 models, then the pair at the
         median of the autoencoder's worst-frame confidence: a typical interpolation,
         where β = 0 and β = 1 look alike.

The geodesic verdict: the energy ratio (geodesic / straight line) of random pairs on
every shipped model. Of the pairs where the geodesic saves energy (ratio < 1), a
geodesic is called "a real detour" only below the 10th percentile and "nearly the
straight line" above the 90th; in between, an ordinary bend; at 1 or more, no
better than the line (sections/morph.py says which, quoting the figures).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from explorer.planes import figure, gap_words, inside
from explorer.share import View, to_query
from explorer.state import article
from vae.family import AUTOENCODER, LESSON_FILE, VAE, Family, LoadedModel, load_family
from vae.geodesic import geodesic_path
from vae.paths import interpolate
from vae.sampling import READABLE, manifold_codes, nearest_code, plane_box, random_pairs, typical_spacing

GRID = 41  # candidate points per side of the autoencoder's plane
PAIRS = 200  # random test pairs for the path presets
GEODESIC_PAIRS = 24  # random pairs per model for the verdict's distribution
FRAMES = 10
SEED = 0


def reading(family: Family, pictures: np.ndarray) -> np.ndarray:
    """Classifier probabilities (N, 10) of decoded pictures (N, 28, 28)."""
    return family.classifier.probabilities(pictures)


def probe_figures(family: Family, loaded: LoadedModel, point: np.ndarray) -> dict:
    """What the lesson's probe card says about `point` on one plane."""
    _, distance = nearest_code(point, loaded.atlas.mu)
    gap = typical_spacing(loaded.atlas.mu)
    probabilities = reading(family, loaded.model.decode(point[None].astype(np.float32)))[0]
    return {
        "gaps": round(distance / gap, 3),
        "digit": int(probabilities.argmax()),
        "confidence": round(float(probabilities.max()), 3),
    }


def words(name: str, figures: dict) -> str:
    digit, confidence = figures["digit"], figures["confidence"]
    read = (
        f"{article(digit)} {digit} at P = {figure(confidence)}"
        if confidence >= READABLE
        else f"no clear digit (P = {figure(confidence)})"
    )
    return f"{name} draws {read} there, its nearest code {gap_words(figures['gaps'])} away"


def hole_preset(family: Family) -> dict:
    """A typical hole of the autoencoder's plane: of the emptiest quarter of a GRID x GRID grid over the box of
    its codes (distance to the nearest code), the point at the median distance. The caption says what the
    autoencoder draws there and how often it draws a readable digit over that whole quarter (measured: most of
    the time), so it never suggests that a hole is where a decoder draws nothing."""
    ae, vae = family.models[AUTOENCODER], family.models[VAE]
    candidates = manifold_codes(plane_box(ae.atlas.mu), GRID)
    gaps = np.linalg.norm(candidates[:, None, :] - ae.atlas.mu[None, ::5, :], axis=2).min(axis=1)
    gaps /= typical_spacing(ae.atlas.mu)
    quarter = gaps >= np.percentile(gaps, 75)  # the emptiest quarter of the grid
    far, far_gaps = candidates[quarter], gaps[quarter]
    readable = float((reading(family, ae.model.decode(far)).max(axis=1) >= READABLE).mean())
    point = far[int(np.argsort(far_gaps)[len(far_gaps) // 2])].round(2)  # the median distance
    on_ae = probe_figures(family, ae, point)
    on_vae = probe_figures(family, vae, point)
    figures = {
        "point": point.tolist(),
        AUTOENCODER: on_ae,
        VAE: {**on_vae, "inside": bool(inside(plane_box(vae.atlas.mu), point))},
        "candidates": len(far),
        "readable_share": round(readable, 3),
    }
    view = View(model=AUTOENCODER, map_name="plane", page="lesson", probe=(float(point[0]), float(point[1])))
    digit, confidence = on_ae["digit"], on_ae["confidence"]
    drawn = (
        f"{article(digit)} {digit} (P = {figure(confidence)})"
        if confidence >= READABLE
        else f"no clear digit (P = {figure(confidence)})"
    )
    return {
        "title": "A hole in the autoencoder's plane",
        "query": to_query(view),
        "lesson": {"scale": "own", "epoch": "last"},
        "figures": figures,
        "caption": f"No test code within {gap_words(on_ae['gaps'])} of ({figure(point[0])}, {figure(point[1])}), "
        f"yet the autoencoder draws {drawn} there, as it draws a readable digit at {readable:.0%} of the "
        f"{len(far)} emptiest points of its plane: pictures no digit was encoded near, so nothing anchors them.",
    }


def worst_frames(family: Family, loaded: LoadedModel, pairs: np.ndarray) -> np.ndarray:
    """(pairs,) the lowest classifier confidence among the inner frames of each straight path."""
    mu = loaded.atlas.mu
    paths = np.stack([interpolate(mu[a], mu[b], FRAMES) for a, b in pairs])  # (P, F, latent)
    inner = loaded.model.decode(paths[:, 1:-1].reshape(-1, mu.shape[1]))
    return reading(family, inner).max(axis=1).reshape(len(pairs), FRAMES - 2).min(axis=1)


def ends_read_as_labelled(family: Family, loaded: LoadedModel, pairs: np.ndarray) -> np.ndarray:
    """(pairs,) bool: both ends of each path, decoded from their codes, read as their own label at P >= READABLE."""
    ends = np.unique(pairs)
    probabilities = reading(family, loaded.model.decode(loaded.atlas.mu[ends]))
    good = (probabilities.argmax(axis=1) == family.labels[ends]) & (probabilities.max(axis=1) >= READABLE)
    ok = dict(zip(ends.tolist(), good.tolist(), strict=True))
    return np.array([ok[int(a)] and ok[int(b)] for a, b in pairs])


def fair_pairs(family: Family, names: tuple[str, str], pairs: np.ndarray) -> np.ndarray:
    """The pairs of two different digits whose two ends both models draw as those digits: a path between
    them changes class under each model, so what happens in between can be compared."""
    keep = family.labels[pairs[:, 0]] != family.labels[pairs[:, 1]]
    for name in names:
        keep &= ends_read_as_labelled(family, family.models[name], pairs)
    return pairs[keep]


def digit_words(family: Family, index: int) -> str:
    label = int(family.labels[index])
    return f"#{index} ({article(label)} {label})"


def path_presets(family: Family) -> list[dict]:
    pairs = random_pairs(len(family.labels), PAIRS, SEED)
    presets = []
    z2_pairs = fair_pairs(family, (AUTOENCODER, VAE), pairs)
    z2 = {name: worst_frames(family, family.models[name], z2_pairs) for name in (AUTOENCODER, VAE)}
    pick = int(np.argmin(z2[AUTOENCODER]))
    a, b = (int(i) for i in z2_pairs[pick])
    worst = {n: round(float(v[pick]), 3) for n, v in z2.items()}  # stored, and the caption quotes these
    view = View(model=AUTOENCODER, map_name="plane", compare=True, a=a, b=b)
    presets.append(
        {
            "title": "A path across the autoencoder's gap",
            "query": to_query(view),
            "figures": {
                "pair": [a, b],
                "fair_pairs": len(z2_pairs),
                "worst_frame": worst,
            },
            "caption": f"Test digits {digit_words(family, a)} and {digit_words(family, b)}: both z = 2 models draw "
            f"each end as its digit. Of the {len(z2_pairs)} such pairs among {PAIRS} random ones, this straight path "
            f"reads least like a digit on the autoencoder, its worst frame at P = {figure(worst[AUTOENCODER])}; "
            f"on the VAE its worst frame reads at P = {figure(worst[VAE])}.",
        }
    )
    if {"z20-beta0", "z20-beta1"} <= set(family.models):
        names = ("z20-beta0", "z20-beta1")
        z20_pairs = fair_pairs(family, names, pairs)
        z20 = {name: worst_frames(family, family.models[name], z20_pairs) for name in names}
        pick = int(np.argsort(z20["z20-beta0"])[len(z20_pairs) // 2])
        a, b = (int(i) for i in z20_pairs[pick])
        below = {name: round(float((v < 0.5).mean()), 3) for name, v in z20.items()}
        worst = {n: round(float(v[pick]), 3) for n, v in z20.items()}
        view = View(model="z20-beta0", map_name="pca", compare=True, a=a, b=b)
        presets.append(
            {
                "title": "Where β = 0 and β = 1 look alike",
                "query": to_query(view),
                "figures": {
                    "pair": [a, b],
                    "fair_pairs": len(z20_pairs),
                    "worst_frame": worst,
                    "share_below_half": below,
                },
                "caption": f"Test digits {digit_words(family, a)} and {digit_words(family, b)}, the median of the "
                f"{len(z20_pairs)} pairs (of {PAIRS} random ones) whose ends both z = 20 models draw as their "
                f"digits: between two real codes the worst frame reads at P = {figure(worst['z20-beta0'])} "
                f"under β = 0 and {figure(worst['z20-beta1'])} under β = 1. Over those pairs, a frame drops "
                f"below P = 0.5 on {below['z20-beta0']:.0%} of paths at β = 0 and {below['z20-beta1']:.0%} at β = 1.",
            }
        )
    return presets


def geodesic_threshold(family: Family) -> dict:
    """The distribution of geodesic / straight-line energy ratios over random pairs on every model.

    Ratios >= 1 (the prior term pulled the curve off the line and it saves nothing; mostly on the
    autoencoders, whose codes lie far from N(0, I)) are counted apart; the percentiles that grade a
    geodesic are those of the ratios below 1."""
    rng = np.random.default_rng(SEED)
    ratios, per_model = [], {}
    for name, loaded in family.models.items():
        mu = loaded.atlas.mu
        mine = []
        for _ in range(GEODESIC_PAIRS):
            a, b = rng.choice(len(mu), 2, replace=False)
            _, report = geodesic_path(loaded.model, mu[a], mu[b], FRAMES, points=16)
            mine.append(report.energy_ratio)
        per_model[name] = {
            "median": round(float(np.median(mine)), 3),
            "at_least_1": round(float(np.mean(np.asarray(mine) >= 1)), 3),
        }
        ratios += mine
    ratios = np.asarray(ratios)
    saving = ratios[ratios < 1]
    p10, p50, p90 = np.percentile(saving, [10, 50, 90])
    return {
        "pairs": len(ratios),
        "saving_pairs": len(saving),
        "models": len(family.models),
        "points": 16,
        "frames": FRAMES,
        "p10": round(float(p10), 3),
        "median": round(float(p50), 3),
        "p90": round(float(p90), 3),
        "min": round(float(ratios.min()), 3),
        "max": round(float(ratios.max()), 3),
        "per_model": per_model,
    }


def build(family: Family) -> dict:
    presets = [hole_preset(family), *path_presets(family)]
    return {
        "about": "Written by `python -m training.presets`; every figure is measured on the shipped weights.",
        "presets": presets,
        "geodesic": geodesic_threshold(family),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="folder of the shipped models (default %(default)s)")
    args = parser.parse_args(argv)
    family = load_family(args.weights)
    missing = {AUTOENCODER, VAE} - set(family.models)
    if missing or family.classifier is None:
        raise SystemExit(f"needs {sorted(missing) or 'the classifier'} in {args.weights}")
    table = build(family)
    path = Path(args.weights) / LESSON_FILE
    path.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n")
    for preset in table["presets"]:
        print(f"{preset['title']}: {preset['caption']}")
    print("geodesic energy ratios:", table["geodesic"])
    print(f"-> {path}")


if __name__ == "__main__":
    main()
