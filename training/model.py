"""The classic MNIST VAE (Kingma & Welling, "Auto-Encoding Variational Bayes", 2014).

Encoder 784 -> hidden (ReLU) -> (mu, logvar); decoder z -> hidden (ReLU) -> 784
Bernoulli logits. The loss is the negative ELBO with a beta weight on the KL term
(Higgins et al., 2017); beta = 0 is the plain-autoencoder limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from vae.config import VAEConfig


@dataclass
class LossParts:
    """Per-batch sums (nats); divide by the batch size for per-digit figures."""

    loss: torch.Tensor  # reconstruction + beta * kl, what is minimised
    reconstruction: torch.Tensor  # -log p(x|z), Bernoulli, summed over pixels
    kl: torch.Tensor  # KL(q(z|x) || N(0, I)), closed form

    @property
    def elbo_loss(self) -> torch.Tensor:
        """-ELBO = reconstruction + KL, whatever beta was trained with."""
        return self.reconstruction + self.kl


class VAE(nn.Module):
    def __init__(self, config: VAEConfig = VAEConfig()):
        super().__init__()
        self.config = config
        self.fc1 = nn.Linear(config.input_size, config.hidden_size)
        self.fc_mu = nn.Linear(config.hidden_size, config.latent_size)
        self.fc_logvar = nn.Linear(config.hidden_size, config.latent_size)
        self.fc3 = nn.Linear(config.latent_size, config.hidden_size)
        self.fc4 = nn.Linear(config.hidden_size, config.input_size)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = F.relu(self.fc1(x.view(-1, self.config.input_size)))  # (B, hidden)
        return self.fc_mu(h), self.fc_logvar(h)  # (B, latent) each

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        std = torch.exp(0.5 * logvar)
        return mu + std * torch.randn_like(std)  # (B, latent)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.fc4(F.relu(self.fc3(z)))  # (B, 784)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decode_logits(z))  # (B, 784) pixel means in [0, 1]

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns (reconstruction logits, mu, logvar); sigmoid the logits for images."""
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decode_logits(z), mu, logvar


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, sigma^2) || N(0, I)) per example, closed form. Shape (B,)."""
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def vae_loss(logits: torch.Tensor, x: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor, beta: float) -> LossParts:
    """Bernoulli reconstruction (from logits, for stability) + beta * KL, summed over the batch."""
    reconstruction = F.binary_cross_entropy_with_logits(logits, x.view_as(logits), reduction="sum")
    kl = kl_divergence(mu, logvar).sum()
    return LossParts(loss=reconstruction + beta * kl, reconstruction=reconstruction, kl=kl)
