"""The training loop shared by train.py and the speed benchmark.

The whole training split lives in one float tensor; each epoch draws a random
permutation and slices batches from it: no DataLoader, no per-item transform.
"""
from __future__ import annotations

import math

import torch

from .model import VAE, vae_loss


def train_epoch(
    model: VAE,
    optimizer: torch.optim.Optimizer,
    images: torch.Tensor,
    batch_size: int,
    beta: float,
    generator: torch.Generator,
    schedule=None,
    progress=None,
) -> float:
    """One pass over `images` (N, 784) float in [0, 1]. Returns the mean beta-loss per digit."""
    model.train()
    order = torch.randperm(len(images), generator=generator)
    total = torch.zeros(())
    for start in range(0, len(images), batch_size):
        x = images[order[start : start + batch_size]]  # (B, 784)
        logits, mu, logvar = model(x)
        parts = vae_loss(logits, x, mu, logvar, beta)
        optimizer.zero_grad(set_to_none=True)
        (parts.loss / len(x)).backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
        total += parts.loss.detach()  # summed as a tensor: no per-batch .item() round trip
        if progress is not None:
            progress.update(1)
    return total.item() / len(images)


def cosine_schedule(optimizer: torch.optim.Optimizer, total_steps: int, warmup_steps: int, floor: float):
    """Linear warm-up, then cosine decay from the base learning rate to `floor` times it."""

    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
