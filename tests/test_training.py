"""The training loops follow the data's device, and the CUDA-graph trainer's bookkeeping, all checked on CPU.

No GPU is needed: the data goes on torch's 'meta' device (shapes only, no memory), and a dispatch mode
watches every aten op the loop runs. A CUDA loop fails on any op that writes a CPU tensor from data on the
GPU (`cpu_total += cuda_loss`: "Expected all tensors to be on the same device"); here that is caught the
same way, for 'meta' standing in for 'cuda'.
"""

from __future__ import annotations

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from training.classifier import DigitClassifier
from training.loop import (
    EagerTrainer,
    GraphedTrainer,
    classifier_epoch_tensor,
    cosine_schedule,
    make_optimizer,
    make_trainer,
    train_classifier_epoch,
    train_epoch,
    train_epoch_tensor,
    use_cuda_graphs,
)
from training.model import VAE, VAEConfig
from vae.config import ClassifierConfig

TRANSFERS = {"aten._to_copy.default", "aten.copy_.default", "aten.lift_fresh.default"}


class FollowsDevice(TorchDispatchMode):
    """Records ops that would fail on CUDA: a tensor off `device` written from `device` inputs, or mixed inputs."""

    def __init__(self, device: str):
        super().__init__()
        self.device = torch.device(device)
        self.offenders: list[str] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        inputs = [t for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor)]
        outputs = [t for t in tree_leaves(out) if isinstance(t, torch.Tensor)]
        on_device = any(t.device == self.device for t in inputs)
        if str(func) not in TRANSFERS and on_device:
            stray = [t for t in outputs if t.device != self.device]  # e.g. a CPU total += a loss on the device
            stray += [t for t in inputs if t.device != self.device and t.dim() > 0]  # CPU 0-dim inputs are fine
            if stray:
                self.offenders.append(f"{func}: {sorted({str(t.device) for t in inputs + outputs})}")
        return out


def tiny_vae() -> VAE:
    torch.manual_seed(0)
    return VAE(VAEConfig(hidden_size=16, latent_size=3, beta=1.0))


def test_vae_epoch_creates_every_tensor_on_the_data_device():
    model = tiny_vae().to("meta")
    images = torch.empty(10, 784, device="meta")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)  # fused Adam has no meta kernel
    schedule = cosine_schedule(optimizer, total_steps=3, warmup_steps=1, floor=0.0)
    with FollowsDevice("meta") as mode:
        loss = train_epoch_tensor(model, optimizer, images, 4, 1.0, torch.Generator().manual_seed(0), schedule)
    assert mode.offenders == []
    assert loss.device.type == "meta" and loss.shape == ()


def test_the_device_check_catches_a_cpu_accumulator():
    """The check itself can fail: the loop's old `total = torch.zeros(())` on CPU plus a loss on the device."""
    with FollowsDevice("meta") as mode:
        total = torch.zeros(())
        total += torch.ones((), device="meta") * 2
    assert mode.offenders and "cpu" in mode.offenders[0]


def test_classifier_epoch_creates_every_tensor_on_the_data_device():
    torch.manual_seed(0)
    model = DigitClassifier(ClassifierConfig(channels=(4, 8), hidden_size=16)).to("meta")
    images, labels = torch.empty(6, 784, device="meta"), torch.zeros(6, dtype=torch.long, device="meta")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    with FollowsDevice("meta") as mode:
        loss = classifier_epoch_tensor(model, optimizer, images, labels, 4, torch.Generator().manual_seed(0))
    assert mode.offenders == []
    assert loss.device.type == "meta"


def test_classifier_epoch_learns_on_cpu():
    torch.manual_seed(0)
    model = DigitClassifier(ClassifierConfig(channels=(4, 8), hidden_size=16, dropout=0.0))
    images = torch.rand(32, 784)
    labels = (images[:, :392].sum(1) > images[:, 392:].sum(1)).long()  # top half brighter: a learnable rule
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = [
        train_classifier_epoch(model, optimizer, images, labels, 16, torch.Generator().manual_seed(e)) for e in range(8)
    ]
    assert losses[-1] < losses[0]


def test_one_epoch_lowers_the_loss_on_cpu():
    model = tiny_vae()
    images = torch.rand(128, 784).round()
    optimizer = make_optimizer(model, 1e-2, torch.device("cpu"), fast=False)
    first = train_epoch(model, optimizer, images, 32, 1.0, torch.Generator().manual_seed(0))
    later = [train_epoch(model, optimizer, images, 32, 1.0, torch.Generator().manual_seed(e)) for e in range(5)]
    assert later[-1] < first


def test_cuda_graphs_are_chosen_only_on_cuda():
    assert use_cuda_graphs("cpu") is False
    assert use_cuda_graphs("cuda:0") is True
    assert use_cuda_graphs("cuda", "off") is False
    with pytest.raises(ValueError):
        use_cuda_graphs("cpu", "on")
    assert isinstance(make_trainer(tiny_vae(), None, 8, 1.0, fast=False), EagerTrainer)


class EagerGraph:
    """Stands in for torch.cuda.CUDAGraph: a replay runs the captured step eagerly on the static input."""

    def __init__(self, trainer: GraphedTrainer, static_x: torch.Tensor):
        self.trainer, self.static_x = trainer, static_x

    def replay(self):
        self.trainer.optimizer.zero_grad(set_to_none=True)  # a captured backward writes .grad afresh each replay
        self.trainer._step(self.static_x)


def test_graphed_trainer_sees_the_same_batches_and_loss_as_the_eager_loop(monkeypatch):
    """Its epoch (static buffer, one capture per batch size, tensor learning rate) against the eager loop, on CPU."""
    images = torch.rand(70, 784).round()  # 70 = 4 batches of 16 and a last one of 6

    def run(trainer_class):
        model = tiny_vae()
        optimizer = make_optimizer(model, 1e-2, torch.device("cpu"), fast=True)  # capturable, tensor lr
        schedule = cosine_schedule(optimizer, total_steps=15, warmup_steps=2, floor=0.0)
        trainer = trainer_class(model, optimizer, 16, 1.0)
        generator = torch.Generator().manual_seed(0)
        losses = []
        for _ in range(3):
            torch.manual_seed(1)  # the same reparameterization noise for both
            losses.append(float(trainer.epoch(images, generator, schedule)))
        return losses, model, trainer

    captured = []

    def fake_capture(self, size, sample):
        captured.append(size)
        graph_input = sample[:size].clone()
        return EagerGraph(self, graph_input), graph_input

    monkeypatch.setattr(GraphedTrainer, "_capture", fake_capture)

    eager_losses, eager_model, _ = run(EagerTrainer)
    graph_losses, graph_model, _ = run(GraphedTrainer)
    assert sorted(captured) == [6, 16]  # one graph per batch size, captured once, reused for three epochs
    assert graph_losses == pytest.approx(eager_losses, rel=1e-5)
    for a, b in zip(eager_model.parameters(), graph_model.parameters(), strict=True):
        torch.testing.assert_close(a, b)


def test_graphed_trainer_restores_weights_and_optimizer_state_after_warm_up():
    model = tiny_vae()
    optimizer = make_optimizer(model, 1e-2, torch.device("cpu"), fast=True)
    trainer = GraphedTrainer(model, optimizer, 8, 1.0)
    x = torch.rand(8, 784).round()
    trainer._step(x)  # Adam's state exists now
    before = [p.detach().clone() for p in model.parameters()]
    state_before = [{k: v.clone() for k, v in s.items()} for s in optimizer.state.values()]
    total_before = trainer.total.clone()
    saved = trainer._snapshot()
    for _ in range(3):  # what the warm-up does
        optimizer.zero_grad(set_to_none=True)
        trainer._step(x)
    assert not torch.equal(before[0], next(model.parameters()))
    trainer._restore(saved)
    for a, b in zip(before, model.parameters(), strict=True):
        assert torch.equal(a, b)
    state_after = [dict(s) for s in optimizer.state.values()]
    assert [sorted(s) for s in state_after] == [sorted(s) for s in state_before]
    for after, was in zip(state_after, state_before, strict=True):
        assert all(torch.equal(after[key], was[key]) for key in was)
    assert torch.equal(trainer.total, total_before)


def test_graphed_trainer_restores_a_fresh_adam_to_zeros():
    model = tiny_vae()
    optimizer = make_optimizer(model, 1e-2, torch.device("cpu"), fast=True)
    trainer = GraphedTrainer(model, optimizer, 8, 1.0)
    saved = trainer._snapshot()  # before any step: no optimizer state yet
    trainer._step(torch.rand(8, 784).round())
    trainer._restore(saved)
    for state in optimizer.state.values():
        assert all(torch.count_nonzero(v) == 0 for v in state.values())


def test_a_tensor_learning_rate_follows_the_same_schedule_as_a_float_one():
    """The CUDA-graph step reads the rate from a tensor the scheduler fills in place; the values must not drift."""

    def rates(fast: bool) -> list[float]:
        model = tiny_vae()
        optimizer = make_optimizer(model, 1e-3, torch.device("cpu"), fast=fast)
        rate = optimizer.param_groups[0]["lr"]
        schedule = cosine_schedule(optimizer, total_steps=10, warmup_steps=2, floor=0.0)
        seen = []
        for _ in range(10):
            for p in model.parameters():
                p.grad = torch.ones_like(p)
            optimizer.step()
            schedule.step()
            assert optimizer.param_groups[0]["lr"] is rate or not fast  # the very tensor a captured graph reads
            seen.append(float(optimizer.param_groups[0]["lr"]))
        return seen

    assert rates(fast=True) == pytest.approx(rates(fast=False), rel=1e-6, abs=1e-12)
