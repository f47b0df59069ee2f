"""A z = 2 model's space at a spread of epochs (weights/snapshots-<model>.npz), read and verified without torch.

    snapshots = load_snapshots(Variant.parse("z2-beta1").snapshots_path("weights"), record["sha256"], digits=10_000)

train.py writes the file (training/snapshots.py) for each z = 2 model it trains. Per epoch e, in
ascending order (epoch 0 is the model before its first update, the last is the shipped checkpoint):
mu[e] the test digits' posterior means (stored float16), box[e] the plane's 0.5-99.5 percentile box,
mosaic[e] the decoder's tiles x tiles picture over that box (white on black, top row first),
empty_share[e] the share of those cells holding no test code, readable_share[e] and digits_covered[e]
what 1,000 draws of N(0, I) decode to, read by the digit classifier. A file that is missing means no
animation; a file that is damaged, or made for another checkpoint, raises CheckpointError naming the
file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atlas import _load_npz
from .checkpoint import CheckpointError

DTYPES = {
    "epochs": np.int32,
    "mu": np.float16,
    "box": np.float32,
    "tiles": np.int32,
    "mosaic": np.uint8,
    "empty_share": np.float32,
    "readable_share": np.float32,
    "digits_covered": np.int32,
}
MAX_TILES = 100


@dataclass(frozen=True)
class Snapshots:
    epochs: np.ndarray  # (E,) int32, ascending
    mu: np.ndarray  # (E, N, 2) float32: the stored float16 values, widened
    box: np.ndarray  # (E, 4) float32: x0, x1, y0, y1
    tiles: int  # decoded digits per side of each mosaic
    mosaic: np.ndarray  # (E, 28 * tiles, 28 * tiles) uint8
    empty_share: np.ndarray  # (E,) float32 in [0, 1]
    readable_share: np.ndarray  # (E,) float32 in [0, 1]
    digits_covered: np.ndarray  # (E,) int32 in 0..10
    model_sha256: str  # the checkpoint these end at

    def __len__(self) -> int:
        return len(self.epochs)


def load_snapshots(path: str | Path, model_sha256: str, digits: int | None = None) -> Snapshots:
    """Reads and checks every field; `digits` is the test set's size when the caller knows it."""
    arrays = _load_npz(path)
    unknown, missing = sorted(set(arrays) - {*DTYPES, "model_sha256"}), sorted({*DTYPES} - set(arrays))
    if unknown or missing:
        raise CheckpointError(path, f"snapshot fields: unknown {unknown}, missing {missing}")
    for field, dtype in DTYPES.items():
        found = arrays[field].dtype
        if found != dtype:
            raise CheckpointError(path, f"snapshot field {field!r} must be {np.dtype(dtype)}, not {found}")
        if arrays[field].dtype.kind == "f" and not np.isfinite(arrays[field]).all():
            raise CheckpointError(path, f"snapshot field {field!r} holds NaN or infinite values")

    epochs = arrays["epochs"]
    if epochs.ndim != 1 or len(epochs) == 0:
        raise CheckpointError(path, f"snapshot field 'epochs' must be a non-empty list, got shape {epochs.shape}")
    if epochs[0] < 0 or np.any(np.diff(epochs) <= 0):
        raise CheckpointError(path, "snapshot field 'epochs' must be whole numbers >= 0 in ascending order")
    count = len(epochs)
    mu = arrays["mu"]
    if mu.ndim != 3 or mu.shape[0] != count or mu.shape[2] != 2 or mu.shape[1] == 0:
        raise CheckpointError(path, f"snapshot field 'mu' has shape {mu.shape}, expected ({count}, digits, 2)")
    if digits is not None and mu.shape[1] != digits:
        raise CheckpointError(path, f"snapshot field 'mu' has {mu.shape[1]} digits, the test set {digits}")
    tiles = arrays["tiles"]
    if tiles.shape != () or not 0 < int(tiles) <= MAX_TILES:
        raise CheckpointError(path, f"snapshot field 'tiles' must be one whole number in 1..{MAX_TILES}")
    tiles = int(tiles)
    expected = {
        "box": (count, 4),
        "mosaic": (count, 28 * tiles, 28 * tiles),
        "empty_share": (count,),
        "readable_share": (count,),
        "digits_covered": (count,),
    }
    for field, shape in expected.items():
        if arrays[field].shape != shape:
            raise CheckpointError(path, f"snapshot field {field!r} has shape {arrays[field].shape}, expected {shape}")
    box = arrays["box"]
    if np.any(box[:, 0] >= box[:, 1]) or np.any(box[:, 2] >= box[:, 3]):
        raise CheckpointError(path, "snapshot field 'box' must hold x0 < x1 and y0 < y1 for every epoch")
    for field in ("empty_share", "readable_share"):
        if np.any(arrays[field] < 0) or np.any(arrays[field] > 1):
            raise CheckpointError(path, f"snapshot field {field!r} must be shares in [0, 1]")
    if np.any(arrays["digits_covered"] < 0) or np.any(arrays["digits_covered"] > 10):
        raise CheckpointError(path, "snapshot field 'digits_covered' must count digits 0..10")

    digest = arrays["model_sha256"]
    if digest.shape != () or digest.dtype.kind != "U":
        raise CheckpointError(path, "snapshot field 'model_sha256' is not one string")
    if str(digest) != model_sha256:
        raise CheckpointError(path, "snapshot field 'model_sha256': made from a different checkpoint; re-run train.py")
    return Snapshots(
        epochs=epochs,
        mu=mu.astype(np.float32),
        box=box,
        tiles=tiles,
        mosaic=arrays["mosaic"],
        empty_share=arrays["empty_share"],
        readable_share=arrays["readable_share"],
        digits_covered=arrays["digits_covered"],
        model_sha256=str(digest),
    )
