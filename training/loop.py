"""The training loop shared by train.py and the speed benchmarks, on whatever device the data is on.

The whole training split lives in one float tensor on the training device; each
epoch draws a random permutation and slices batches from it: no DataLoader, no
per-item transform. Every tensor the loop creates follows the data's device.

Seeds policy: the shuffling order comes from a CPU generator seeded by the run's
seed, so every device sees the same batches in the same order; the
reparameterization noise comes from the device's own generator (torch.manual_seed
seeds both), so CPU and CUDA runs agree in distribution, not bit for bit.

On CUDA, `GraphedTrainer` (chosen automatically by `make_trainer`) captures the
whole step, forward + backward + fused Adam, as one CUDA graph over a static batch
buffer: the same maths, batches, schedule and step count as the eager loop, with
one graph launch per step instead of one launch per small kernel (a step of this
small model is many tiny kernels, so launching them can cost more than running
them; benchmarks/gpu_train.py measures whether it does).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

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
    return float(train_epoch_tensor(model, optimizer, images, batch_size, beta, generator, schedule, progress))


def epoch_order(count: int, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """This epoch's shuffled indices, drawn on the CPU generator (same order on every device), moved once."""
    return torch.randperm(count, generator=generator).to(device)


def train_epoch_tensor(model, optimizer, images, batch_size, beta, generator, schedule=None, progress=None):
    """`train_epoch`, returning the mean loss as a 0-dim tensor on the data's device (no host sync)."""
    model.train()
    order = epoch_order(len(images), generator, images.device)
    total = torch.zeros((), device=images.device)
    for start in range(0, len(images), batch_size):
        x = images[order[start : start + batch_size]]  # (B, 784)
        logits, mu, logvar = model(x)
        parts = vae_loss(logits, x, mu, logvar, beta)
        optimizer.zero_grad(set_to_none=True)
        (parts.loss / len(x)).backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
        total += parts.loss.detach()  # summed on the device: no per-batch .item() round trip
        if progress is not None:
            progress.update(1)
    return total / len(images)


class EagerTrainer:
    """The plain loop; what runs on CPU (and anywhere without CUDA graphs)."""

    name = "eager"

    def __init__(self, model, optimizer, batch_size: int, beta: float):
        self.model, self.optimizer, self.batch_size, self.beta = model, optimizer, batch_size, beta

    def epoch(self, images, generator, schedule=None, progress=None) -> torch.Tensor:
        return train_epoch_tensor(
            self.model, self.optimizer, images, self.batch_size, self.beta, generator, schedule, progress
        )


class GraphedTrainer:
    """The whole step captured as CUDA graphs: one for full batches, one for the epoch's last, shorter batch.

    The optimizer must be Adam(capturable=True) with a tensor learning rate, so that the schedule can
    change the rate between replays (the scheduler fills the tensor in place). Capturing needs a few
    warm-up steps; they run on the real model, and the parameters and the optimizer's state are
    restored in place afterwards, so training starts from exactly the initial weights.
    """

    name = "cuda-graph"
    WARMUP_STEPS = 3

    def __init__(self, model, optimizer, batch_size: int, beta: float):
        self.model, self.optimizer, self.batch_size, self.beta = model, optimizer, batch_size, beta
        self.device = next(model.parameters()).device
        self.graphs: dict[int, tuple[torch.cuda.CUDAGraph, torch.Tensor]] = {}  # batch size -> (graph, input)
        self.total = torch.zeros((), device=self.device)  # the captured steps add their loss here
        self.pool = None

    def _step(self, x: torch.Tensor) -> None:
        logits, mu, logvar = self.model(x)
        parts = vae_loss(logits, x, mu, logvar, self.beta)
        (parts.loss / len(x)).backward()
        self.optimizer.step()
        self.total.add_(parts.loss.detach())

    def _capture(self, size: int, sample: torch.Tensor) -> tuple[torch.cuda.CUDAGraph, torch.Tensor]:
        static_x = sample[:size].clone()  # (size, 784): each replay reads the batch from here
        saved = self._snapshot()
        side = torch.cuda.Stream(self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):  # warm-up off the default stream, as torch.cuda.graph's docs require
            for _ in range(self.WARMUP_STEPS):
                self.optimizer.zero_grad(set_to_none=True)
                self._step(static_x)
        torch.cuda.current_stream(self.device).wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        self.optimizer.zero_grad(set_to_none=True)  # the captured backward then writes fresh .grad each replay
        with torch.cuda.graph(graph, pool=self.pool):
            self._step(static_x)
        self.pool = graph.pool()  # both graphs share one memory pool; they never run at once
        self._restore(saved)
        return graph, static_x

    def _snapshot(self) -> dict:
        return {
            "params": [p.detach().clone() for p in self.model.parameters()],
            "state": {
                id(t): t.clone() for s in self.optimizer.state.values() for t in s.values() if torch.is_tensor(t)
            },
            "total": self.total.clone(),
        }

    @torch.no_grad()
    def _restore(self, saved: dict) -> None:
        for p, value in zip(self.model.parameters(), saved["params"], strict=True):
            p.copy_(value)
        for state in self.optimizer.state.values():  # in place: the graphs hold these very tensors
            for t in state.values():
                if not torch.is_tensor(t):
                    continue
                if id(t) in saved["state"]:
                    t.copy_(saved["state"][id(t)])
                else:  # state born in the warm-up (Adam's first step): a fresh Adam's is all zeros
                    t.zero_()
        self.total.copy_(saved["total"])

    def epoch(self, images, generator, schedule=None, progress=None) -> torch.Tensor:
        self.model.train()
        order = epoch_order(len(images), generator, images.device)
        self.total.zero_()
        for start in range(0, len(images), self.batch_size):
            index = order[start : start + self.batch_size]
            if len(index) not in self.graphs:
                self.graphs[len(index)] = self._capture(len(index), images)
            graph, static_x = self.graphs[len(index)]
            torch.index_select(images, 0, index, out=static_x)  # (B, 784) straight into the graph's input
            graph.replay()
            if schedule is not None:
                schedule.step()  # fills the tensor learning rate in place
            if progress is not None:
                progress.update(1)
        return self.total / len(images)


def make_optimizer(model, lr: float, device: torch.device, fast: bool) -> torch.optim.Optimizer:
    """Fused Adam (one kernel per step); on the CUDA-graph path capturable, with a tensor learning rate."""
    if fast:
        return torch.optim.Adam(model.parameters(), lr=torch.tensor(lr, device=device), fused=True, capturable=True)
    fused = torch.device(device).type in ("cpu", "cuda", "mps", "xpu")
    return torch.optim.Adam(model.parameters(), lr=lr, fused=fused or None)


def use_cuda_graphs(device, choice: str = "auto") -> bool:
    """'auto' = on CUDA; 'on' insists (and fails off CUDA); 'off' = the eager loop everywhere."""
    on_cuda = torch.device(device).type == "cuda"
    if choice == "on" and not on_cuda:
        raise ValueError("CUDA graphs need a CUDA device")
    return on_cuda and choice != "off"


def make_trainer(model, optimizer, batch_size: int, beta: float, fast: bool):
    return (GraphedTrainer if fast else EagerTrainer)(model, optimizer, batch_size, beta)


def train_classifier_epoch(model, optimizer, images, labels, batch_size, generator, schedule=None, progress=None):
    """One shuffled pass of the digit classifier over (N, 784) float images; returns the mean cross-entropy."""
    return float(classifier_epoch_tensor(model, optimizer, images, labels, batch_size, generator, schedule, progress))


def classifier_epoch_tensor(model, optimizer, images, labels, batch_size, generator, schedule=None, progress=None):
    """`train_classifier_epoch`, the mean loss left on the data's device; like the VAE's loop, every tensor
    it creates follows `images.device`."""
    model.train()
    order = epoch_order(len(images), generator, images.device)
    total = torch.zeros((), device=images.device)
    for start in range(0, len(images), batch_size):
        index = order[start : start + batch_size]
        loss = F.cross_entropy(model(images[index]), labels[index])  # mean over the batch
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
        total += loss.detach() * len(index)
        if progress is not None:
            progress.update(1)
    return total / len(images)


def cosine_schedule(optimizer: torch.optim.Optimizer, total_steps: int, warmup_steps: int, floor: float):
    """Linear warm-up, then cosine decay from the base learning rate to `floor` times it."""

    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
