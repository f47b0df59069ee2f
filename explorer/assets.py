"""What the browser fetches over plain HTTP instead of the websocket: the models' arrays, content-addressed.

    manifest = model_manifest(family, "z20-beta1")   # small JSON-able dict of URLs, shapes and PCA maps
    blob = STORE.get("3f2a...c1.f32")                # what app.py's route answers for /le-assets/<name>

Every blob is named by the SHA-256 of its bytes, so its URL never changes meaning: the route
serves it with `Cache-Control: immutable` and a browser keeps it across reruns, reloads and
visits. Only arrays derived from the shipped weights are ever stored (a visitor's drawing
travels in the component's own data), so the store is bounded by what is shipped and no
visitor can reach another visitor's data through it.

Binary layout: little-endian, row-major; float32 unless the name ends in .u8 (uint8), .png or .js
(the widgets' code, widgets/morph_map.py).
A model's decoder is one blob holding fc3.weight (hidden, latent), fc3.bias (hidden,),
fc4.weight (784, hidden), fc4.bias (784,) one after another: torch's (out, in) layout, which
widgets/ decode with the same arithmetic as vae.inference.NumpyVAE.decode.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass

import numpy as np

from vae.family import Family, LoadedModel

from . import sprites

ROUTE = "/le-assets"
NAME = re.compile(r"^[0-9a-f]{24}\.(f32|u8|png|js|json)$")  # what the route accepts: nothing else is looked up
TYPES = {
    "f32": "application/octet-stream",
    "u8": "application/octet-stream",
    "png": "image/png",
    "js": "text/javascript; charset=utf-8",  # a module: browsers refuse to import other types
    "json": "application/json",
}


@dataclass(frozen=True)
class Blob:
    data: bytes
    content_type: str


class AssetStore:
    """Blobs by content name, for the whole server process (every session and the route share it)."""

    def __init__(self) -> None:
        self._blobs: dict[str, Blob] = {}
        self._lock = threading.Lock()

    def put(self, data: bytes, kind: str) -> str:
        """Stores `data` (kind "f32", "u8", "png", "js" or "json") and returns the URL that serves it."""
        name = f"{hashlib.sha256(data).hexdigest()[:24]}.{kind}"
        with self._lock:
            self._blobs.setdefault(name, Blob(data, TYPES[kind]))
        return f"{ROUTE}/{name}"

    def get(self, name: str) -> Blob | None:
        if not NAME.match(name):
            return None
        with self._lock:
            return self._blobs.get(name)

    @property
    def size(self) -> int:
        with self._lock:
            return sum(len(blob.data) for blob in self._blobs.values())


STORE = AssetStore()


class PerFamily:
    """What was built from one Family, kept for the few most recent families (the server has one; tests
    load several). Keyed by identity: an entry holds its family, so an id is never reused while cached."""

    def __init__(self, keep: int = 4) -> None:
        self._entries: dict[int, tuple[object, dict]] = {}
        self._keep = keep
        self._lock = threading.Lock()

    def get(self, family) -> dict:
        """The dict of things built for `family` (empty at first); fill it under `lock`."""
        with self._lock:
            entry = self._entries.get(id(family))
            if entry is None or entry[0] is not family:
                entry = self._entries[id(family)] = (family, {})
                while len(self._entries) > self._keep:
                    self._entries.pop(next(iter(self._entries)))
            return entry[1]

    @property
    def lock(self) -> threading.Lock:
        return self._lock


_MANIFESTS = PerFamily()


def floats(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype="<f4").tobytes()


def decoder_blob(model) -> bytes:
    """fc3.weight, fc3.bias, fc4.weight, fc4.bias of a NumpyVAE, in torch's (out, in) layout, as float32."""
    return b"".join(floats(part) for part in (model.w3.T, model.b3, model.w4.T, model.b4))


def model_words(variant, label: str | None = None) -> str:
    """A model in plain words, for every title and caption a visitor reads (never an internal id such as
    "z20-beta1"), named as the lesson names its two models (`KINDS`): "VAE (β = 1), z = 20"; "Autoencoder (β = 0),
    z = 2" (the VAE's network trained without its KL term); "one VAE for every β, z = 20" (the Multi-Rate VAE, which
    has no single β); "your model, z = 20" for an import (`label`: what its β control says)."""
    latent = variant.latent_size
    if label:
        return f"{label}, z = {latent}"
    if not hasattr(variant, "beta"):
        return f"one VAE for every β, z = {latent}"
    return f"{kind_words(variant.beta)}, z = {latent}"


KINDS = {0.0: "Autoencoder", 1.0: "VAE"}  # the lesson's two columns; any other β is a VAE too


def kind_words(beta: float) -> str:
    """A trained β in the lesson's words: "Autoencoder (β = 0)", "VAE (β = 1)", "VAE (β = 0.5)"."""
    return f"{KINDS.get(float(beta), 'VAE')} (β = {beta:g})"


def loaded_words(loaded: LoadedModel) -> str:
    """model_words of a shipped or imported model."""
    return model_words(loaded.variant, loaded.label if loaded.imported else None)


def model_manifest(family: Family, name: str) -> dict:
    """URLs and shapes of one model's arrays: its decoder, the test digits' codes (mu) and each map's
    2-D coordinates; PCA's mean and components inline (a few hundred numbers), so a browser can
    place a code on the map and invert a point of the map. Built once per model."""
    built = _MANIFESTS.get(family)
    if name in built:
        return built[name]
    loaded: LoadedModel = family.models[name]
    atlas, model = loaded.atlas, loaded.model
    maps = {}
    for map_name, coordinates in atlas.maps.items():
        entry = {"codes": STORE.put(floats(coordinates), "f32")}
        if map_name == "pca":
            entry["mean"] = atlas.pca_mean.astype(float).round(7).tolist()
            entry["components"] = atlas.pca_components.astype(float).round(7).tolist()
        maps[map_name] = entry
    manifest = {
        "name": name,
        "latent": int(model.config.latent_size),
        "hidden": int(model.config.hidden_size),
        "beta": float(loaded.variant.beta),
        "words": loaded_words(loaded),
        "count": len(atlas.mu),
        "decoder": STORE.put(decoder_blob(model), "f32"),
        "mu": STORE.put(floats(atlas.mu), "f32"),
        "maps": maps,
    }
    if loaded.imported:  # a model trained elsewhere: its β control says "your model" (β unknown) or "your model, β = 4"
        manifest["label"] = loaded.label
    with _MANIFESTS.lock:
        return built.setdefault(name, manifest)


def digits_manifest(family: Family) -> dict:
    """The test digits: their labels (uint8) and one PNG sprite (digit i at column i % 100, row i // 100)."""
    built = _MANIFESTS.get(family)
    if "" in built:
        return built[""]
    manifest = {
        "count": len(family.labels),
        "labels": STORE.put(np.ascontiguousarray(family.labels, dtype=np.uint8).tobytes(), "u8"),
        "sprite": STORE.put(sprites.sprite_png(family.images), "png"),
        "columns": sprites.COLUMNS,
    }
    with _MANIFESTS.lock:
        return built.setdefault("", manifest)


def prepare(family: Family) -> None:
    """Builds every manifest now (the server calls it at start), so no visitor waits for one."""
    digits_manifest(family)
    for name in family.models:
        model_manifest(family, name)


def encoder_blob(model) -> bytes:
    """fc1.weight (hidden, 784), fc1.bias, fc_mu.weight (latent, hidden), fc_mu.bias, fc_logvar.weight
    (latent, hidden), fc_logvar.bias of a NumpyVAE, one after another in torch's (out, in) layout, as float32:
    what viewer/core/encoder.js makeEncoder reads to run NumpyVAE.encode in the browser."""
    parts = (model.w1.T, model.b1, model.w_mu.T, model.b_mu, model.w_logvar.T, model.b_logvar)
    return b"".join(floats(part) for part in parts)


def classifier_blob(classifier) -> bytes:
    """A NumpyClassifier as float32, for viewer/core/classifier.js makeClassifier: a header of three whole
    numbers [c1, c2, hidden] (so the blob says its own shape), then its tensors as torch holds them, one after
    another: conv1.weight (c1, 1, 3, 3), conv1.bias, conv2.weight (c2, c1, 3, 3), conv2.bias, fc1.weight
    (hidden, c2 * 7 * 7) with torch's (channel, y, x) flattening, fc1.bias, fc2.weight (10, hidden), fc2.bias."""
    c1, c2 = classifier.config.channels
    hidden = classifier.config.hidden_size
    conv1 = classifier.k1.reshape(3, 3, 1, c1).transpose(3, 2, 0, 1)  # (ky, kx, in, out) -> (out, in, ky, kx)
    conv2 = classifier.k2.reshape(3, 3, c1, c2).transpose(3, 2, 0, 1)
    # fc1's inputs back from (y, x, channel) to torch's (channel, y, x)
    fc1 = classifier.w_fc1.T.reshape(hidden, 7, 7, c2).transpose(0, 3, 1, 2).reshape(hidden, -1)
    parts = (
        np.array([c1, c2, hidden]),
        conv1,
        classifier.b1,
        conv2,
        classifier.b2,
        fc1,
        classifier.b_fc1,
        classifier.w_fc2.T,
        classifier.b_fc2,
    )
    return b"".join(floats(part) for part in parts)


_CLASSIFIER = PerFamily()


def classifier_url(family: Family) -> str | None:
    """URL of the digit classifier's blob (viewer/core/classifier.js makeClassifier), or None without one; once
    per family. The explorer's data (viewer_data.py) and the lesson's (lesson_assets.py) name the same one."""
    built = _CLASSIFIER.get(family)
    if "url" not in built:
        classifier = family.classifier
        url = STORE.put(classifier_blob(classifier), "f32") if classifier is not None else None
        with _CLASSIFIER.lock:
            built.setdefault("url", url)
    return built["url"]
