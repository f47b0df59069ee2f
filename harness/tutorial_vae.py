"""pytorch/examples' VAE (vae/main.py) exactly as written there: the model a tutorial reader trains, which
tests/test_import_vae.py imports with import_vae.py and tests/test_upload_vae.py drops on the page. One copy,
here, for both (tests do not import each other: tests/test_harness.py), with the one training run both use
(`train`, `save`; tests/conftest.py `tutorial_vae` runs it once a session). Needs torch (requirements-dev.txt).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F


# pytorch/examples, vae/main.py, as written there (the tutorials' VAE is the same class).
class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()  # noqa: UP008 (as written there)

        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


# Reconstruction + KL divergence losses summed over all elements and batch
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


STEPS = 300  # batches of 128, Adam at 1e-3 as there: a map with clusters, a few seconds on one thread


def train(data_root: str | Path, steps: int = STEPS) -> VAE:
    """pytorch/examples' train() over `steps` random batches of 128 (seeded), the model left in eval mode."""
    from training.data import load_mnist

    torch.set_num_threads(1)
    torch.manual_seed(0)
    digits = load_mnist(str(data_root), train=True)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(steps):
        data = digits.flat_float(torch.randint(0, len(digits), (128,), generator=generator))  # (128, 784)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss_function(recon_batch, data, mu, logvar).backward()
        optimizer.step()
    model.eval()
    return model


@dataclass(frozen=True)
class Trained:
    """A trained tutorial VAE and the folder holding its state dict saved both ways a reader would."""

    model: VAE
    folder: Path

    @property
    def safetensors(self) -> Path:
        return self.folder / "vae.safetensors"

    @property
    def pth(self) -> Path:
        return self.folder / "vae.pth"


def save(model: VAE, folder: Path) -> Trained:
    """As the docs say (`save_file(model.state_dict(), "vae.safetensors")`) and as torch.save does ("vae.pth")."""
    from safetensors.torch import save_file

    trained = Trained(model, Path(folder))
    save_file(model.state_dict(), trained.safetensors)
    torch.save(model.state_dict(), trained.pth)
    return trained
