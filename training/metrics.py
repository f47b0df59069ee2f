"""Test-set metrics: one-sample -ELBO with z sampled, its parts, active units, IWAE NLL.

All figures are nats per digit. The -ELBO samples z ~ q(z|x) once per digit, as
pytorch/examples' test loop does; decoding z = mu instead reads too low and is
not the ELBO.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from vae.config import ACTIVE_UNIT_THRESHOLD

from .model import VAE, kl_divergence


@torch.no_grad()
def encode_all(model: VAE, images: torch.Tensor, batch_size: int = 2000) -> tuple[torch.Tensor, torch.Tensor]:
    """(mu, logvar) of every row of images (N, 784)."""
    model.eval()
    parts = [model.encode(images[i : i + batch_size]) for i in range(0, len(images), batch_size)]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


@torch.no_grad()
def elbo_metrics(model: VAE, images: torch.Tensor, seed: int = 0, batch_size: int = 2000) -> dict:
    """Mean per digit: neg_elbo = reconstruction + kl, with one sampled z per digit."""
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    reconstruction = kl = 0.0
    for start in range(0, len(images), batch_size):
        x = images[start : start + batch_size]
        mu, logvar = model.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=generator)
        logits = model.decode_logits(z)
        reconstruction += F.binary_cross_entropy_with_logits(logits, x, reduction="sum").item()
        kl += kl_divergence(mu, logvar).sum().item()
    count = len(images)
    return {
        "neg_elbo": (reconstruction + kl) / count,
        "reconstruction": reconstruction / count,
        "kl": kl / count,
    }


def active_units(mu: torch.Tensor, threshold: float = ACTIVE_UNIT_THRESHOLD) -> int:
    """Number of latent dims whose posterior mean varies across the data: Cov(mu) > threshold."""
    return int((mu.var(dim=0) > threshold).sum())


@torch.no_grad()
def iwae_nll(model: VAE, images: torch.Tensor, samples: int = 1000, seed: int = 0, digits_per_chunk: int = 10) -> float:
    """Importance-weighted estimate of -log p(x) (Burda et al. 2016), nats per digit.

    log p(x) ~= logsumexp_k [log p(x|z_k) + log p(z_k) - log q(z_k|x)] - log K, z_k ~ q(z|x).
    """
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    total = 0.0
    log_2pi = math.log(2 * math.pi)
    for start in range(0, len(images), digits_per_chunk):
        x = images[start : start + digits_per_chunk]  # (B, 784)
        mu, logvar = model.encode(x)  # (B, z)
        std = torch.exp(0.5 * logvar)
        eps = torch.randn((samples, *mu.shape), generator=generator)  # (K, B, z)
        z = mu + std * eps
        logits = model.decode_logits(z)  # (K, B, 784)
        log_px_z = -F.binary_cross_entropy_with_logits(logits, x.expand_as(logits), reduction="none").sum(-1)
        log_pz = -0.5 * (z.pow(2) + log_2pi).sum(-1)
        log_qz = -0.5 * (eps.pow(2) + logvar + log_2pi).sum(-1)
        log_w = log_px_z + log_pz - log_qz  # (K, B)
        total += -(torch.logsumexp(log_w, dim=0) - math.log(samples)).sum().item()
    return total / len(images)
