"""MNIST as whole tensors, loaded once.

torchvision reads (and, with download=True, fetches) the files under
`root/MNIST/raw/`. Each split becomes one uint8 tensor; batches are sliced from
it and scaled to [0, 1] on the fly, so no per-item transform runs while training.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import torch

DEFAULT_DATA_ROOT = "../shared/data"


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

    def subset(self, count: int) -> "MNISTSplit":
        return MNISTSplit(self.images[:count].clone(), self.labels[:count].clone())


def load_mnist(root: str = DEFAULT_DATA_ROOT, train: bool = True, download: bool = False) -> MNISTSplit:
    """One split of MNIST. Raises FileNotFoundError with a hint when the files are missing."""
    from torchvision import datasets  # imported here: the page never needs it

    try:
        dataset = datasets.MNIST(root=root, train=train, download=download)
    except RuntimeError as error:  # torchvision says "Dataset not found"
        raise FileNotFoundError(
            f"MNIST not found under {root!r}/MNIST/raw. Pass --data-root to the folder that "
            f"holds MNIST/raw, or --download to fetch it ({error})"
        ) from error
    return MNISTSplit(dataset.data.clone(), dataset.targets.clone())

