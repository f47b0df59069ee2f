"""The shipped model family and where each file lives in weights/."""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checkpoint import IMPORTED_NAME

if TYPE_CHECKING:
    import numpy as np

    from .atlas import Atlas
    from .inference import NumpyClassifier, NumpyVAE


@dataclass(frozen=True)
class Variant:
    latent_size: int
    beta: float
    tag: str = ""  # an imported model's name (import_vae.py --name); "" for the models train.py makes

    @property
    def name(self) -> str:
        """'z20-beta1' for a trained model; 'z20-mine' for one imported as 'mine' (its beta may be unknown)."""
        return f"z{self.latent_size}-{self.tag}" if self.tag else f"z{self.latent_size}-beta{self.beta:g}"

    def checkpoint_path(self, folder: str | Path) -> Path:
        return Path(folder) / f"vae-{self.name}.safetensors"

    def atlas_path(self, folder: str | Path) -> Path:
        return Path(folder) / f"atlas-{self.name}.npz"

    def snapshots_path(self, folder: str | Path) -> Path:
        """A z = 2 model's codes and mosaic at a spread of epochs (vae/snapshots.py); absent = no animation."""
        return Path(folder) / f"snapshots-{self.name}.npz"

    @classmethod
    def parse(cls, name: str) -> Variant:
        """'z20-beta0.5' -> Variant(20, 0.5); 'z20-mine' -> Variant(20, nan, 'mine') (the name holds no beta:
        read it from the model's record)."""
        try:
            latent, beta = name.strip().split("-beta")
            return cls(int(latent.lstrip("z")), float(beta))
        except ValueError:
            pass
        latent, _, tag = name.strip().partition("-")
        if latent[:1] == "z" and latent[1:].isdigit() and len(latent) <= 4 and IMPORTED_NAME.fullmatch(tag):
            return cls(int(latent[1:]), math.nan, tag)
        raise ValueError(f"variant names look like 'z20-beta1' (or 'z20-mine' when imported), got {name!r}")


@dataclass(frozen=True)
class MultiRateVariant:
    """A Multi-Rate VAE (vae/multirate.py): one model for every beta in its range, named 'z20-mr'."""

    latent_size: int

    @property
    def name(self) -> str:
        return f"z{self.latent_size}-mr"

    def checkpoint_path(self, folder: str | Path) -> Path:
        """mrvae-, not vae-: load_family's glob (and so the page) leaves these files alone until wired in."""
        return Path(folder) / f"mrvae-z{self.latent_size}.safetensors"

    def codes_path(self, folder: str | Path) -> Path:
        """The test codes at a grid of betas on fixed axes, for the beta slider (docs/multirate.md)."""
        return Path(folder) / f"mrvae-codes-z{self.latent_size}.npz"

    @classmethod
    def parse(cls, name: str) -> MultiRateVariant:
        """'z20-mr' -> MultiRateVariant(20)."""
        try:
            latent, tail = name.strip().split("-", 1)
            if tail != "mr" or not latent.startswith("z"):
                raise ValueError
            return cls(int(latent[1:]))
        except ValueError:
            raise ValueError(f"multi-rate names look like 'z20-mr', got {name!r}") from None


def parse_variant(name: str) -> Variant | MultiRateVariant:
    """'z20-beta1' or 'z20-mr'."""
    return MultiRateVariant.parse(name) if name.strip().endswith("-mr") else Variant.parse(name)


BETAS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)
DEFAULT_MODEL = "z20-beta1"  # what a first visit shows
AUTOENCODER, VAE = "z2-beta0", "z2-beta1"  # the lesson's pair: two z = 2 models that differ only in beta
SHIPPED = (*(Variant(20, beta) for beta in BETAS), Variant.parse(AUTOENCODER), Variant.parse(VAE))
MULTIRATE = (MultiRateVariant(20), MultiRateVariant(2))  # not in SHIPPED: the page reads SHIPPED as it is
TEST_SET_FILE = "mnist-test.npz"
LESSON_FILE = "lesson.json"  # the lesson's presets and the geodesic's measured ratios (training/presets.py)
SHOWCASE_FILE = "showcase.json"  # the pair a first visit opens on (training/showcase.py)
CLASSIFIER_FILE = "classifier.safetensors"
DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "weights"


class LoadedModel:
    """One shipped VAE: its record, its atlas, and its numpy model (vae/inference.py), built here, once,
    from the verified tensors (a tampered config fails now, naming the file and field, not at a click)."""

    def __init__(self, variant: Variant, path: Path, arrays: dict, record: dict, atlas: Atlas):
        from .inference import load_vae

        self.variant, self.path, self.record, self.atlas = variant, path, record, atlas
        self.model: NumpyVAE | None = load_vae(path, arrays, record) if arrays else None  # None: a test's fake

    @property
    def name(self) -> str:
        return self.variant.name

    @property
    def imported(self) -> dict:
        """import_vae.py's record of a model trained elsewhere ({name, label, beta_known, source, ...}), or {}."""
        return self.record.get("info", {}).get("imported") or {}

    @property
    def label(self) -> str:
        """What a control calls this model among its latent size's: 'β = 4', or an import's 'your model'."""
        return self.imported.get("label") or f"β = {self.variant.beta:g}"


@dataclass
class Family:
    """Every shipped model with its atlas, and the test digits the atlases index."""

    models: dict[str, LoadedModel]
    images: np.ndarray  # (N, 28, 28) uint8
    labels: np.ndarray  # (N,) uint8
    classifier: NumpyClassifier | None = None  # the digit classifier, when shipped

    def get(self, latent_size: int, beta: float) -> LoadedModel:
        """The trained model of that size and beta, else an imported one with them."""
        name = Variant(latent_size, beta).name
        if name in self.models:
            return self.models[name]
        for loaded in self.models.values():
            if loaded.variant.latent_size == latent_size and loaded.variant.beta == beta:
                return loaded
        raise KeyError(name)

    def betas(self, latent_size: int) -> list[float]:
        """The distinct betas of that latent size (an import with a shipped model's beta adds none)."""
        return sorted({m.variant.beta for m in self.models.values() if m.variant.latent_size == latent_size})

    def members(self, latent_size: int) -> list[LoadedModel]:
        """Every model of that latent size, lowest beta first, an import beside a shipped model of its beta too:
        the compare rows, one per model, in the order the viewer draws them (viewer/explore/models.js sameLatent)."""
        found = [m for m in self.models.values() if m.variant.latent_size == latent_size]
        return sorted(found, key=lambda m: m.variant.beta)

    def latent_sizes(self) -> list[int]:
        return sorted({m.variant.latent_size for m in self.models.values()}, reverse=True)


def load_family(folder: str | Path = DEFAULT_WEIGHTS) -> Family:
    """Reads and verifies every vae-*.safetensors in `folder` with its atlas and the test digits, and
    builds their numpy models (about 0.3 s for the shipped family; torch is never imported). It also
    sets BLAS to one thread per product for the process: these products are tiny and sessions run
    side by side (see vae.inference.limit_blas_threads).

    Raises FileNotFoundError (saying how to train) or CheckpointError (naming the file and the
    problem or field).
    """
    from .atlas import load_atlas, load_test_set
    from .checkpoint import CheckpointError, read_checkpoint, vae_config
    from .inference import limit_blas_threads, load_classifier

    limit_blas_threads()
    folder = Path(folder)
    paths = sorted(folder.glob("vae-*.safetensors")) if folder.is_dir() else []
    if not paths:
        raise FileNotFoundError(
            f"No trained models in {folder}/. Run `python train.py --out {folder} --overwrite` to train them "
            "(about an hour on a CPU)."
        )
    images, labels = load_test_set(folder / TEST_SET_FILE)
    models = {}
    for path in paths:
        arrays, record = read_checkpoint(path)
        if record["kind"] != "vae":
            continue
        config = vae_config(path, record["config"])
        variant = Variant(config.latent_size, config.beta, record["info"].get("imported", {}).get("name", ""))
        atlas = load_atlas(variant.atlas_path(folder), model_sha256=record["sha256"])
        if len(atlas.mu) != len(images):
            raise CheckpointError(
                variant.atlas_path(folder), f"atlas has {len(atlas.mu)} digits, test set {len(images)}"
            )
        if atlas.mu.shape[1] != variant.latent_size:
            raise CheckpointError(
                variant.atlas_path(folder),
                f"atlas codes have {atlas.mu.shape[1]} dimensions, the model {variant.latent_size}",
            )
        models[variant.name] = LoadedModel(variant, path, arrays, record, atlas)
    classifier = None
    if (folder / CLASSIFIER_FILE).exists():
        arrays, record = read_checkpoint(folder / CLASSIFIER_FILE)
        if record["kind"] != "classifier":
            raise CheckpointError(folder / CLASSIFIER_FILE, f"metadata kind is {record['kind']!r}, not 'classifier'")
        classifier = load_classifier(folder / CLASSIFIER_FILE, arrays, record)
    return Family(models, images, labels, classifier)


def weights_folder() -> str:
    """weights/ beside the code, or $LATENT_EXPLORER_WEIGHTS (read on every call, so tests can point it elsewhere)."""
    return os.environ.get("LATENT_EXPLORER_WEIGHTS", str(DEFAULT_WEIGHTS))


_SHARED: dict[str, Family] = {}
_SHARED_LOCK = threading.Lock()


def shared_family(folder: str | Path) -> Family:
    """The family in `folder`, loaded once per server process and shared by every session and the asset
    route (a second caller waits for the first load instead of loading again). A load that fails is
    not kept, so the next visitor sees the same message and a restored folder loads."""
    key = str(Path(folder).resolve())
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = load_family(folder)
        return _SHARED[key]


def _json_file(path: Path) -> dict:
    import json

    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def load_lesson_file(folder: str | Path) -> dict:
    """weights/lesson.json, or {} when it is missing or unreadable (the page then shows no presets)."""
    return _json_file(Path(folder) / LESSON_FILE)


def load_showcase(folder: str | Path) -> dict:
    """weights/showcase.json ({"model", "a", "b", "rule", "figures"}), or {} when it is missing, unreadable
    or names no usable pair (a first visit then opens with no endpoints)."""
    found = _json_file(Path(folder) / SHOWCASE_FILE)
    ends = [found.get("a"), found.get("b")]
    if not isinstance(found.get("model"), str) or not all(type(e) is int and 0 <= e < 10**6 for e in ends):
        return {}
    return found
