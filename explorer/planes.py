"""The lesson's two z = 2 planes as numbers: per training epoch, what the decoder draws over the box of
the codes, the codes themselves, and which cells of that box hold no test code; plus what a probed point
decodes to on each plane, and the few formats the lesson writes its figures in.

    frames = plane_frames(family, "z2-beta0")      # [PlaneFrame(epoch, box, mosaic, mu, empty, ...)], epochs ascending
    report = probe_report(family, loaded, (x, y))  # {"inside": True, "image": (28, 28), "digit": 6, "p": 0.97, ...}

One rule for the holes, the model card's: a TILES x TILES grid over the 0.5-99.5 percentile box of the
test codes (vae.sampling.plane_box); a cell is empty when no test code falls in it. The mosaic tiles
that grid too (vae.sampling.manifold_codes: one decoded digit at each cell's centre, top row first),
so a shaded cell covers exactly the digit drawn in it.

Without training snapshots (weights/snapshots-<model>.npz, written by train.py) a plane has one frame,
the shipped model; with them, one per recorded epoch, the last being the shipped model.
Plain numpy: the section, the asset builder and the tests call these directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vae.family import Family, LoadedModel
from vae.sampling import READABLE, manifold_codes, nearest_code, plane_box, typical_spacing

from .images import tiled
from .state import article

TILES = 25  # decoded digits per side of a plane's mosaic, and cells per side of the holes' grid
CORE_PERCENTILES = (5.0, 95.0)  # the box of a plane's central codes: what a probe's inset must not cover


@dataclass(frozen=True)
class PlaneFrame:
    """One epoch of one plane. The readable share and digits covered are the model card's rule
    (1,000 draws of N(0, I), seed 0, read at P >= READABLE) at that epoch."""

    epoch: int
    box: tuple[float, float, float, float]  # x0, x1, y0, y1
    mosaic: np.ndarray  # (28 * TILES, 28 * TILES) uint8, white on black, top row first
    mu: np.ndarray  # (N, 2) float32, the test codes in the order of weights/mnist-test.npz
    empty: np.ndarray  # (TILES, TILES) bool, top row first, like the mosaic
    empty_share: float
    readable_share: float | None
    digits_covered: int | None


def empty_cells(codes: np.ndarray, box: tuple[float, float, float, float], grid: int = TILES) -> np.ndarray:
    """(grid, grid) bool: the cells of a grid x grid cut of `box` that hold no code, top row first (the
    mosaic's order). The count is the model card's (training/lesson_metrics.plane_figures)."""
    codes = np.asarray(codes, dtype=np.float64)
    x0, x1, y0, y1 = box
    counts, _, _ = np.histogram2d(codes[:, 0], codes[:, 1], bins=grid, range=[[x0, x1], [y0, y1]])
    return (counts == 0).T[::-1]  # histogram2d: [x bin, y bin from the bottom] -> [row from the top, column]


def mosaic(images: np.ndarray, steps: int) -> np.ndarray:
    """(steps * steps, 28, 28) decoded digits in [0, 1], top row first -> one white-on-black uint8 picture
    (train.py lays out its snapshots' mosaics with this too, so a snapshot tile is the tile the page draws)."""
    return tiled(images, steps)


def decoded_mosaic(model, box: tuple[float, float, float, float], tiles: int = TILES) -> np.ndarray:
    """What a NumpyVAE's decoder draws at the centre of each cell of `box`, as one uint8 picture."""
    return mosaic(model.decode(manifold_codes(box, tiles)), tiles)


def final_frame(loaded: LoadedModel) -> PlaneFrame:
    """The shipped model as a plane's one frame (its figures from the checkpoint's lesson record)."""
    mu = np.asarray(loaded.atlas.mu, dtype=np.float32)
    box = plane_box(mu)
    empty = empty_cells(mu, box)
    prior = lesson_record(loaded).get("prior_samples") or {}
    epochs = loaded.record.get("info", {}).get("epochs")
    return PlaneFrame(
        epoch=int(epochs) if isinstance(epochs, int) else -1,
        box=box,
        mosaic=decoded_mosaic(loaded.model, box),
        mu=mu,
        empty=empty,
        empty_share=float(empty.mean()),
        readable_share=prior.get("readable_share"),
        digits_covered=prior.get("digits_covered"),
    )


def snapshot_path(loaded: LoadedModel) -> Path:
    """The snapshot file beside the model's checkpoint (train.py writes it; vae/snapshots.py reads it)."""
    return loaded.variant.snapshots_path(loaded.path.parent)


def snapshot_frames(loaded: LoadedModel, digits: int | None = None) -> list[PlaneFrame] | None:
    """One frame per recorded epoch from the model's snapshot file, or None without one. The reader
    (vae/snapshots.py) checks every field and that the file ends at this very checkpoint.

    The shaded cells and the share quoted are one count (`empty_cells` of the codes drawn): the file keeps
    its codes in float16, which can move a code across a cell's edge, so the count can differ by a cell from
    the file's own empty_share (computed in float32; tests/test_lesson.py bounds the difference). The last
    epoch is the shipped checkpoint, whose codes the atlas holds in float32: that frame uses them, so it
    matches the model card exactly."""
    path = snapshot_path(loaded)
    if not path.exists():
        return None
    from vae.snapshots import load_snapshots

    found = load_snapshots(path, loaded.record["sha256"], digits=digits)
    frames = []
    for e, epoch in enumerate(found.epochs):
        last = e == len(found.epochs) - 1
        mu = np.asarray(loaded.atlas.mu if last else found.mu[e], dtype=np.float32)
        box = plane_box(mu) if last else tuple(float(v) for v in found.box[e])
        empty = empty_cells(mu, box, found.tiles)
        frames.append(
            PlaneFrame(
                epoch=int(epoch),
                box=box,
                mosaic=np.asarray(found.mosaic[e], dtype=np.uint8),
                mu=mu,
                empty=empty,
                empty_share=float(empty.mean()),
                readable_share=float(found.readable_share[e]),
                digits_covered=int(found.digits_covered[e]),
            )
        )
    return frames


def plane_frames(family: Family, name: str) -> list[PlaneFrame]:
    """Every frame of a plane, epochs ascending: the snapshots when shipped, else the shipped model alone."""
    loaded = family.models[name]
    return snapshot_frames(loaded, len(family.labels)) or [final_frame(loaded)]


def lesson_record(loaded: LoadedModel) -> dict:
    """The checkpoint's lesson figures (training/lesson_metrics.py), or {}."""
    found = loaded.record.get("info", {}).get("lesson")
    return found if isinstance(found, dict) else {}


def inside(box: tuple[float, float, float, float], point) -> bool:
    x0, x1, y0, y1 = box
    return x0 <= point[0] <= x1 and y0 <= point[1] <= y1


def in_holes(frame: PlaneFrame, points) -> np.ndarray:
    """(N,) bool: whether each point (N, 2) falls in one of `frame`'s shaded cells, the cell rule of
    viewer/core/holes.js `inHole` (a point outside the box is in no cell, so in no hole)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    x0, x1, y0, y1 = frame.box
    tiles = frame.empty.shape[0]
    outside = (points[:, 0] < x0) | (points[:, 0] > x1) | (points[:, 1] < y0) | (points[:, 1] > y1)
    column = np.minimum(tiles - 1, np.floor((points[:, 0] - x0) / (x1 - x0) * tiles)).astype(int)
    row = np.minimum(tiles - 1, np.floor((y1 - points[:, 1]) / (y1 - y0) * tiles)).astype(int)
    return ~outside & frame.empty[np.where(outside, 0, row), np.where(outside, 0, column)]


def hole_centres(frame: PlaneFrame) -> np.ndarray:
    """(H, 2) float32: the centres of `frame`'s shaded cells, in the mosaic's order (where its hole pictures are
    drawn)."""
    return manifold_codes(frame.box, frame.empty.shape[0])[frame.empty.ravel()]


def spacings_away(loaded: LoadedModel, points) -> np.ndarray:
    """(N,) the distance from each point (N, 2) to the nearest of the model's test codes, in typical spacings
    between neighbouring codes (what spacing_words says)."""
    mu = np.asarray(loaded.atlas.mu, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    nearest = np.sqrt(((points[:, None, :] - mu[None]) ** 2).sum(-1)).min(axis=1)  # (N,)
    return nearest / typical_spacing(loaded.atlas.mu)


def probe_report(family: Family, loaded: LoadedModel, point, spacing: float | None = None) -> dict:
    """What one plane says about `point` (viewer/lesson/compute.js `probe` is its twin): the decoded picture
    there (a decoder draws something at every point, inside the box of its codes or not), what the classifier
    reads in it, and how far the nearest test code is, in latent units and in typical spacings between
    neighbouring codes (`gaps`); `inside`: whether the point lies in the box of the model's test codes."""
    box = plane_box(loaded.atlas.mu)
    image = loaded.model.decode(np.asarray([point], dtype=np.float32))[0]
    _, distance = nearest_code(np.asarray(point), loaded.atlas.mu)
    gap = spacing if spacing is not None else typical_spacing(loaded.atlas.mu)
    report = {"inside": inside(box, point), "box": box, "image": image, "distance": distance, "gaps": distance / gap}
    if family.classifier is not None:
        reading = family.classifier.probabilities(image[None])[0]
        report.update(digit=int(reading.argmax()), p=float(reading.max()), readable=bool(reading.max() >= READABLE))
    return report


def figure(value: float, digits: int = 2) -> str:
    """A number in fixed notation with a true minus sign and no negative zero: 0.00, −1.25."""
    text = f"{float(value) + 0.0:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


SPACING = "the usual spacing: how far a test code typically sits from its nearest neighbour"  # said once per caption


def spacing_words(spacings: float, whose: str = "the") -> str:
    """ "within the usual spacing", "103× the usual spacing": a distance in typical spacings between neighbouring
    codes (vae.sampling.typical_spacing; viewer/lesson/probe.js is its twin); `whose` names whose spacing ("this
    plane's" in a probe: each model has its own). A caption that uses it first says what it means once, with
    SPACING."""
    if spacings < 1:
        return f"within {whose} usual spacing"
    return f"{math.floor(spacings + 0.5)}× {whose} usual spacing"  # halves up, as JS's Math.round (not round)


def core_box(codes: np.ndarray) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the CORE_PERCENTILES box of a plane's codes, the cloud's middle (viewer/lesson/texts.js
    places the probe's inset off it)."""
    low, high = np.percentile(np.asarray(codes, dtype=np.float64), CORE_PERCENTILES, axis=0)
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def axis_distance(distance: float) -> str:
    """A distance on a plane's own axes (latent units), as the inset writes it: "102", "3.2", "0.45", "< 0.01".
    Rounded halves up, as JS's Math.floor(x + 0.5) (viewer/lesson/probe.js axisDistance is its twin)."""
    distance = abs(float(distance))
    digits = 0 if distance >= 10 else 1 if distance >= 1 else 2
    rounded = math.floor(distance * 10**digits + 0.5) / 10**digits
    return "< 0.01" if rounded == 0 else f"{rounded:.{digits}f}"


def nearest_words(distance: float, spacings: float, digit: int, ringed: bool = True) -> str:
    """The probe's line on the nearest test code (ringed on the plane): its digit, then how far it is, in the plot's
    own units first (what the reader compares with the picture), then in this plane's usual spacings: "nearest
    test code (ringed): a 1, 3.2 away on this plot's axes (64× this plane's usual spacing)". Twin:
    viewer/lesson/probe.js nearestWords. `ringed`: whether the plane draws the ring (not while the probe is off
    the view)."""
    spacing = spacing_words(spacings, "this plane's")
    away = f"{axis_distance(distance)} away on this plot's axes ({spacing})"
    return f"nearest test code{' (ringed)' if ringed else ''}: {article(digit)} {digit}, {away}"


def small(value: float) -> str:
    """A spread such as sigma, never in scientific notation: 0.06, ≈ 0.004, < 0.001."""
    value = abs(float(value))
    if value >= 0.01:
        return f"{value:.2f}"
    if value >= 0.001:
        return f"≈ {value:.3f}"
    return "< 0.001"


def share(value: float) -> str:
    """A share as a percentage: one decimal below 10% (2.4%), none above (48%)."""
    value = float(value)
    return f"{value:.1%}" if 0 < value < 0.1 else f"{value:.0%}"
