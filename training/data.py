"""MNIST as whole tensors, loaded once.

torchvision reads the files under `root/MNIST/raw/` and, with download=True,
fetches the ones that are missing (with a progress bar). Each split becomes one
uint8 tensor; batches are sliced from it and scaled to [0, 1] on the fly, so no
per-item transform runs while training. Importing this module does not import
torch (train.py answers --help before torch loads).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

DEFAULT_DATA_ROOT = "data"  # torchvision's convention: a local folder, git-ignored; tests pass ../shared/data


class MNISTUnavailable(FileNotFoundError):
    """MNIST is neither under the data root nor downloadable; the message is one line saying what to do."""


@dataclass
class MNISTSplit:
    images: torch.Tensor  # (N, 28, 28) uint8
    labels: torch.Tensor  # (N,) int64

    def __len__(self) -> int:
        return len(self.labels)

    def flat_float(self, index: torch.Tensor | slice = slice(None)) -> torch.Tensor:
        """Images as (B, 784) float32 in [0, 1]."""
        return self.images[index].reshape(-1, 784).float().div_(255.0)

    def checksum(self) -> str:
        """SHA-256 over images and labels: which data a model saw, recorded in its checkpoint."""
        digest = hashlib.sha256()
        digest.update(self.images.contiguous().numpy().tobytes())
        digest.update(self.labels.contiguous().numpy().tobytes())
        return digest.hexdigest()

    def subset(self, count: int) -> MNISTSplit:
        return MNISTSplit(self.images[:count].clone(), self.labels[:count].clone())


def load_mnist(root: str = DEFAULT_DATA_ROOT, train: bool = True, download: bool = False) -> MNISTSplit:
    """One split of MNIST; with `download`, torchvision fetches missing files into root/MNIST/raw.

    Raises MNISTUnavailable (one line) when the files are missing and cannot be fetched.
    """
    from torchvision import datasets  # imported here: the page never needs it

    try:
        dataset = datasets.MNIST(root=root, train=train, download=download)
    except RuntimeError as error:  # "Dataset not found", or "Error downloading ..." from every mirror
        if not download:
            raise MNISTUnavailable(
                f"MNIST not found under {root}/MNIST/raw; pass --data-root to a folder that holds MNIST/raw, "
                "or leave out --no-download to fetch it"
            ) from error
        reason = str(error).splitlines()[-1].strip() or type(error).__name__
        raise MNISTUnavailable(
            f"could not download MNIST into {root}/MNIST/raw ({reason}); offline? "
            "copy the four MNIST files there or pass --data-root to a folder that holds MNIST/raw"
        ) from error
    return MNISTSplit(dataset.data.clone(), dataset.targets.clone())
