"""What the viewer's β slider draws from: each Multi-Rate VAE's weights, its per-β test codes and figures.

    multirate_data(family)   # {"z20-mr": manifest, "z2-mr": manifest} for the MR-VAEs beside the family's files

One Multi-Rate VAE (docs/multirate.md) is shown at any β of its range. Two blobs per model, content-addressed
in explorer/assets.py's STORE like the family's:
  weights  fc1, fc_mu, fc_logvar, fc3, fc4 (weight (out, in), then bias, each), then each layer's gate slope
           and offset in the same order; float32 (viewer/core/multirate.js makeMultiRate reads it)
  codes    the (K, N, 2) float16 codes of the N test digits at the K grid betas, on the file's fixed axes,
           as raw little-endian bytes ("u8": the browser widens them to float32 once)
Inline: the grid of betas, each beta's test figures (reconstruction, KL, -ELBO in nats, mean sigma), the fixed
axes (mean, components: a code's place on the map), and the map's extent and prior centre, fixed for every
beta, so the axes stay put while the slider moves.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from vae.family import MultiRateVariant
from vae.multirate import GATED_LAYERS, load_beta_codes, load_multirate

from .assets import STORE, PerFamily, floats, model_words
from .figures import MAP_TITLES, prior_centre, shared_extent

MODEL_FILE = "mrvae-z{latent}.safetensors"
CODES_FILE = "mrvae-codes-z{latent}.npz"
CURVE_FILE = "rate-distortion.json"  # training/rate_distortion.py: the sweep and the separate models' points
_BUILT = PerFamily()


def multirate_blob(model) -> bytes:
    """A NumpyMultiRateVAE's tensors in makeMultiRate's order, float32, torch's (out, in) layout."""
    parts = []
    for layer in GATED_LAYERS:
        parts += [model.weights[layer].T, model.biases[layer]]
    for layer in GATED_LAYERS:
        parts += list(model.gates[layer])
    return b"".join(floats(part) for part in parts)


def _folder(family) -> Path | None:
    for loaded in family.models.values():
        if getattr(loaded, "path", None) is not None:
            return Path(loaded.path).parent
    return None


def multirate_manifest(folder: Path, latent: int) -> dict | None:
    """One MR-VAE's manifest, or None when its files are not shipped beside the family."""
    model_path, codes_path = folder / MODEL_FILE.format(latent=latent), folder / CODES_FILE.format(latent=latent)
    if not model_path.is_file() or not codes_path.is_file():
        return None
    model, record = load_multirate(model_path)
    codes = load_beta_codes(codes_path, model_sha256=record["sha256"])
    with np.load(codes_path, allow_pickle=False) as data:
        halves = np.ascontiguousarray(data["xy"], dtype="<f2")  # the shipped float16, as they are
    map_name = "plane" if latent == 2 else "pca"
    sweep, separate = _curve(folder, f"z{latent}-mr", record["sha256"])
    extent = shared_extent(list(codes.xy), square=map_name == "plane")
    prior = prior_centre(None if map_name == "plane" else codes.mean, None if map_name == "plane" else codes.axes)
    axes = "" if map_name == "plane" else ", axes fixed at its codes' PCA for β = 1"
    return {
        "name": f"z{latent}-mr",
        "words": model_words(MultiRateVariant(latent)),
        "latent": latent,
        "hidden": model.config.hidden_size,
        "betaRange": [model.config.beta_min, model.config.beta_max],
        "count": int(halves.shape[1]),
        "weights": STORE.put(multirate_blob(model), "f32"),
        "codes": STORE.put(halves.tobytes(), "u8"),
        "betas": [float(b) for b in codes.betas],
        "figures": {name: [round(float(v), 4) for v in values] for name, values in codes.figures.items()},
        "map": {
            "name": map_name,
            "mean": codes.mean.astype(float).round(7).tolist(),
            "components": codes.axes.astype(float).round(7).tolist(),
            "extent": [round(v, 5) for v in extent],
            "prior": [round(v, 5) for v in prior],
            "title": f"{model_words(MultiRateVariant(latent))}: {MAP_TITLES[map_name]}{axes}",
        },
        "sweep": sweep,
        "separate": separate,
    }


def _curve(folder: Path, name: str, sha256: str) -> tuple[dict | None, list[dict]]:
    """The rate-distortion sweep of this very checkpoint and the separate models' points, when measured."""
    path = folder / CURVE_FILE
    if not path.is_file():
        return None, []
    measured = json.loads(path.read_text()).get("models", {}).get(name, {})
    if measured.get("sha256") != sha256:
        return None, []
    sweep = measured["sweep"]
    curve = {
        "betas": [float(b) for b in sweep["betas"]],
        "rate": [round(float(v), 4) for v in sweep["kl"]],
        "distortion": [round(float(v), 4) for v in sweep["reconstruction"]],
    }
    keys = ("model", "beta", "rate", "distortion")
    return curve, [{key: point[key] for key in keys} for point in measured.get("separate_points", [])]


def multirate_data(family) -> dict:
    """The MR-VAEs for the family's latent sizes that have one shipped; built once per family."""
    built = _BUILT.get(family)
    if "data" in built:
        return built["data"]
    folder = _folder(family)
    data = {}
    if folder is not None:
        for latent in sorted({m.variant.latent_size for m in family.models.values()}, reverse=True):
            manifest = multirate_manifest(folder, latent)
            if manifest is not None:
                data[manifest["name"]] = manifest
    with _BUILT.lock:
        return built.setdefault("data", data)
