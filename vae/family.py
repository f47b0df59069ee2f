"""The shipped model family and where each file lives in weights/."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import torch

    from .atlas import Atlas


@dataclass(frozen=True)
class Variant:
    latent_size: int
    beta: float

    @property
    def name(self) -> str:
        return f"z{self.latent_size}-beta{self.beta:g}"

    def checkpoint_path(self, folder: str | Path) -> Path:
        return Path(folder) / f"vae-{self.name}.safetensors"

    def atlas_path(self, folder: str | Path) -> Path:
        return Path(folder) / f"atlas-{self.name}.npz"

    @classmethod
    def parse(cls, name: str) -> "Variant":
        """'z20-beta0.5' -> Variant(20, 0.5)."""
        try:
            latent, beta = name.strip().split("-beta")
            return cls(int(latent.lstrip("z")), float(beta))
        except ValueError:
            raise ValueError(f"variant names look like 'z20-beta1', got {name!r}") from None


BETAS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)
SHIPPED = tuple(Variant(20, beta) for beta in BETAS) + (Variant(2, 1.0),)
TEST_SET_FILE = "mnist-test.npz"
CLASSIFIER_FILE = "classifier.safetensors"
DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "weights"


class LazyModule:
    """A verified checkpoint whose torch module is built on first use (once, shared by sessions),
    so the page can draw its map before torch is even imported."""

    def __init__(self, path: Path, arrays: dict, record: dict):
        self.path, self.record = path, record
        self._arrays = arrays
        self._module = None
        self._lock = threading.Lock()

    def get(self) -> "torch.nn.Module":
        with self._lock:
            if self._module is None:
                from .checkpoint import build_model

                self._module = build_model(self.path, self._arrays, self.record)
                self._arrays = None
            return self._module


class LoadedModel:
    """One shipped VAE: its record, its atlas, and its (lazily built) torch module."""

    def __init__(self, variant: Variant, path: Path, arrays: dict, record: dict, atlas: "Atlas"):
        self.variant, self.path, self.record, self.atlas = variant, path, record, atlas
        self._lazy = LazyModule(path, arrays, record)

    @property
    def name(self) -> str:
        return self.variant.name

    @property
    def model(self) -> "torch.nn.Module":
        return self._lazy.get()


@dataclass
class Family:
    """Every shipped model with its atlas, and the test digits the atlases index."""

    models: dict[str, LoadedModel]
    images: "np.ndarray"  # (N, 28, 28) uint8
    labels: "np.ndarray"  # (N,) uint8
    classifier: LazyModule | None = None  # the digit classifier, when shipped

    def get(self, latent_size: int, beta: float) -> LoadedModel:
        return self.models[Variant(latent_size, beta).name]

    def betas(self, latent_size: int) -> list[float]:
        return sorted(m.variant.beta for m in self.models.values() if m.variant.latent_size == latent_size)

    def latent_sizes(self) -> list[int]:
        return sorted({m.variant.latent_size for m in self.models.values()}, reverse=True)

    def build_all(self) -> None:
        """Builds every torch module now (the page does this in the background after its first paint)."""
        for loaded in self.models.values():
            loaded.model
        if self.classifier is not None:
            self.classifier.get()


def load_family(folder: str | Path = DEFAULT_WEIGHTS, build: bool = True) -> Family:
    """Reads and verifies every vae-*.safetensors in `folder` with its atlas and the test digits.

    Raises FileNotFoundError (saying how to train) or CheckpointError (naming the file and the
    problem). With build=False the torch modules are built on first use instead of now.
    """
    from .atlas import load_atlas, load_test_set
    from .checkpoint import CheckpointError, read_checkpoint

    folder = Path(folder)
    paths = sorted(folder.glob("vae-*.safetensors")) if folder.is_dir() else []
    if not paths:
        raise FileNotFoundError(
            f"No trained models in {folder}/. Run `python train.py` to train them (about an hour on a CPU)."
        )
    images, labels = load_test_set(folder / TEST_SET_FILE)
    models = {}
    for path in paths:
        arrays, record = read_checkpoint(path)
        if record["kind"] != "vae":
            continue
        variant = Variant(record["config"]["latent_size"], record["config"]["beta"])
        atlas = load_atlas(variant.atlas_path(folder), model_sha256=record["sha256"])
        if len(atlas.mu) != len(images):
            raise CheckpointError(variant.atlas_path(folder), f"atlas has {len(atlas.mu)} digits, test set {len(images)}")
        models[variant.name] = LoadedModel(variant, path, arrays, record, atlas)
    classifier = None
    if (folder / CLASSIFIER_FILE).exists():
        arrays, record = read_checkpoint(folder / CLASSIFIER_FILE)
        classifier = LazyModule(folder / CLASSIFIER_FILE, arrays, record)
    family = Family(models, images, labels, classifier)
    if build:
        family.build_all()
    return family
