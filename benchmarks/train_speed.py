"""Training speed: one epoch of train.py's loop vs pytorch/examples' VAE loop, in one run.

    python benchmarks/train_speed.py --data-root ../shared/data [--repeats 2]

The reference re-implements pytorch/examples `vae/main.py` faithfully: a
DataLoader over torchvision MNIST with a per-item ToTensor transform, batch
128, shuffled, num_workers=0 on CPU; the same 784-400-20 network with a
sigmoid decoder and F.binary_cross_entropy. Ours slices batches from one
preloaded tensor and computes the loss from logits. Each clock covers the
epoch's loop only (their dataset object and our tensor are built before it);
the one-off load of our tensor is printed too. Prints the median epoch time
of each and their ratio (target: >= 3x). On CPU; benchmarks/gpu_train.py
does the same on a GPU, with the CUDA-graph loop.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from training.data import DEFAULT_DATA_ROOT, load_mnist
from training.loop import make_optimizer, train_epoch
from training.model import VAE, VAEConfig


class ExamplesVAE(nn.Module):
    """pytorch/examples' VAE, as written there (fc21/fc22 heads, sigmoid output)."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h1 = F.relu(self.fc1(x.view(-1, 784)))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def examples_epoch(data_root: str) -> float:
    from torchvision import datasets, transforms

    loader = torch.utils.data.DataLoader(  # built before the clock starts, as ours is loaded before it
        datasets.MNIST(data_root, train=True, download=False, transform=transforms.ToTensor()),
        batch_size=128,
        shuffle=True,
    )
    model = ExamplesVAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    started = time.perf_counter()
    examples_train(model, optimizer, loader)
    return time.perf_counter() - started


def examples_train(model, optimizer, loader, device=None) -> float:
    """One epoch of pytorch/examples' vae/main.py `train()`, as written there; returns the summed loss."""
    model.train()
    train_loss = 0.0
    for data, _ in loader:
        if device is not None:
            data = data.to(device)
        optimizer.zero_grad()
        recon, mu, logvar = model(data)
        bce = F.binary_cross_entropy(recon, data.view(-1, 784), reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = bce + kld
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
    return train_loss


def ours_epoch(images: torch.Tensor) -> float:
    model = VAE(VAEConfig())
    optimizer = make_optimizer(model, 1e-3, torch.device("cpu"), fast=False)  # fused Adam, as train.py builds it
    started = time.perf_counter()
    train_epoch(model, optimizer, images, 128, 1.0, torch.Generator().manual_seed(0))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", default=DEFAULT_DATA_ROOT, help="folder holding MNIST/raw (default %(default)s)")
    parser.add_argument("--repeats", type=int, default=2, help="epochs timed per loop, alternating")
    args = parser.parse_args()
    torch.manual_seed(0)
    started = time.perf_counter()
    images = load_mnist(args.data_root, train=True).flat_float()  # train.py does this once for all models
    load_seconds = time.perf_counter() - started
    ours, theirs = [], []
    for _ in range(args.repeats):  # alternate so machine noise hits both alike
        theirs.append(examples_epoch(args.data_root))
        ours.append(ours_epoch(images))
    t_ours, t_theirs = statistics.median(ours), statistics.median(theirs)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.repeats} epoch(s) each")
    print(f"pytorch/examples loop (DataLoader + ToTensor): {t_theirs:6.2f} s/epoch  {[round(t, 2) for t in theirs]}")
    print(f"train.py loop (preloaded tensor):             {t_ours:6.2f} s/epoch  {[round(t, 2) for t in ours]}")
    print(
        f"speed-up: {t_theirs / t_ours:.2f}x  (ours once more loads the split: {load_seconds:.2f} s per train.py "
        f"run; counting it in one epoch: {t_theirs / (t_ours + load_seconds):.2f}x)"
    )


if __name__ == "__main__":
    main()
