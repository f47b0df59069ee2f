"""The shipped model family and where each file lives in weights/."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "weights"
