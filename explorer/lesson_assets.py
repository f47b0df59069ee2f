"""What the lesson's planes send the browser: per model and epoch, URLs of the mosaic (PNG) and of the
test codes (float32), the empty cells inline, and the figures the curves plot.

    planes = lesson_planes(family)   # {"labels": url, "tiles": 25, "models": [{"name", "frames": [...]}, ...]}

The arrays are served by app.py's /le-assets route (explorer/assets.py STORE: named by their content,
cached by the browser for good), so a rerun of the lesson resends only this small manifest. Built once
per family; app.py's preload calls `prepare_lesson` so no visitor waits for the PNGs.
"""

from __future__ import annotations

from vae.family import AUTOENCODER, VAE, Family

from .assets import STORE, PerFamily, digits_manifest, floats, model_manifest
from .planes import TILES, PlaneFrame, plane_frames, share
from .sprites import png

LESSON_MODELS = (AUTOENCODER, VAE)  # left, right
_BUILT = PerFamily()


def frame_entry(frame: PlaneFrame) -> dict:
    return {
        "epoch": frame.epoch,
        "box": [round(v, 5) for v in frame.box],
        "mosaic": STORE.put(png(frame.mosaic), "png"),
        "mu": STORE.put(floats(frame.mu), "f32"),
        "empty": "".join("1" if cell else "0" for cell in frame.empty.ravel()),  # row-major, top row first
        "empty_share": round(frame.empty_share, 4),
        "readable": None if frame.readable_share is None else round(frame.readable_share, 4),
        "covered": frame.digits_covered,
        "empty_text": f"{share(frame.empty_share)} of cells empty",
        "empty_value": share(frame.empty_share),
        "readable_text": "–" if frame.readable_share is None else share(frame.readable_share),
    }


def lesson_planes(family: Family) -> dict:
    """The planes' manifest (JSON-able), built once per family."""
    built = _BUILT.get(family)
    if "planes" in built:
        return built["planes"]
    manifest = {
        "labels": digits_manifest(family)["labels"],
        "count": len(family.labels),
        "tiles": TILES,
        "models": [
            {
                "name": name,
                "beta": family.models[name].variant.beta,
                "frames": [frame_entry(frame) for frame in plane_frames(family, name)],
                # the shipped decoder, for the hover tip at the last epoch (the map's own blob: fetched once)
                "decoder": {key: model_manifest(family, name)[key] for key in ("decoder", "latent", "hidden")},
            }
            for name in LESSON_MODELS
            if name in family.models
        ],
    }
    with _BUILT.lock:
        return built.setdefault("planes", manifest)


def prepare_lesson(family: Family) -> None:
    """Builds the lesson's blobs now (the server calls it at start, after the map's)."""
    if all(name in family.models for name in LESSON_MODELS):
        lesson_planes(family)
