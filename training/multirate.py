"""Multi-Rate VAE (Bae, Zhang, Ruan, Wang, Hasegawa, Ba, Grosse, ICLR 2023): one model for every beta.

The family's VAE (training/model.py: 784 -> hidden -> (mu, logvar); z -> hidden -> 784 Bernoulli
logits, the same tensor names) whose every layer has its pre-activations scaled, unit by unit, by a
gate computed from eta = log beta: a small response hypernetwork that learns how the best weights
move with beta. As in the paper, the gate is an elementwise affine map of eta followed by

    encoder layers (fc1, fc_mu, fc_logvar): sigmoid(slope * eta + offset)
    decoder layers (fc3, fc4):              sqrt(max(1 - exp(slope * eta + offset), FLOOR))

(the paper's forms, read off its linear-VAE analysis; the decoder's floor, ours, keeps the square
root's gradient finite and no unit gated off for good). Each training batch draws one beta
log-uniformly from [beta_min, beta_max] and minimises reconstruction + beta * KL at that beta.
vae/multirate.py runs the same maths in numpy for the page.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from vae.multirate import CODES_FORMAT, DECODER_GATE_FLOOR, GATED_LAYERS, MultiRateConfig

from .model import LossParts, kl_divergence


class Gate(nn.Module):
    """Per-unit scale of one layer's pre-activations, from eta = log beta."""

    def __init__(self, features: int, kind: str):
        super().__init__()
        self.kind = kind  # "encoder" (sigmoid) or "decoder" (sqrt(1 - exp))
        self.slope = nn.Parameter(torch.zeros(features))
        # Starts open and flat in beta: sigmoid(4) = 0.98; sqrt(1 - exp(-4)) = 0.99.
        self.offset = nn.Parameter(torch.full((features,), 4.0 if kind == "encoder" else -4.0))

    def forward(self, eta: torch.Tensor) -> torch.Tensor:
        """eta: () or (B, 1) -> scale of shape (features,) or (B, features)."""
        s = self.slope * eta + self.offset
        if self.kind == "encoder":
            return torch.sigmoid(s)
        return torch.sqrt(torch.clamp(1.0 - torch.exp(s), min=DECODER_GATE_FLOOR))


class MultiRateVAE(nn.Module):
    def __init__(self, config: MultiRateConfig | None = None):
        super().__init__()
        self.config = config = config or MultiRateConfig()
        i, h, z = config.input_size, config.hidden_size, config.latent_size
        self.fc1 = nn.Linear(i, h)
        self.fc_mu = nn.Linear(h, z)
        self.fc_logvar = nn.Linear(h, z)
        self.fc3 = nn.Linear(z, h)
        self.fc4 = nn.Linear(h, i)
        sizes = {"fc1": h, "fc_mu": z, "fc_logvar": z, "fc3": h, "fc4": i}
        for layer, kind in GATED_LAYERS.items():
            self.add_module(f"gate_{layer}", Gate(sizes[layer], kind))

    def _gated(self, layer: str, x: torch.Tensor, eta: torch.Tensor) -> torch.Tensor:
        return getattr(self, f"gate_{layer}")(eta) * getattr(self, layer)(x)

    def encode(self, x: torch.Tensor, eta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = F.relu(self._gated("fc1", x.view(-1, self.config.input_size), eta))  # (B, hidden)
        return self._gated("fc_mu", h, eta), self._gated("fc_logvar", h, eta)  # (B, latent) each

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)

    def decode_logits(self, z: torch.Tensor, eta: torch.Tensor) -> torch.Tensor:
        return self._gated("fc4", F.relu(self._gated("fc3", z, eta)), eta)  # (B, 784)

    def forward(self, x: torch.Tensor, eta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(reconstruction logits, mu, logvar) at eta = log beta (a 0-dim tensor or one per row, (B, 1))."""
        mu, logvar = self.encode(x, eta)
        return self.decode_logits(self.reparameterize(mu, logvar), eta), mu, logvar


def as_eta(beta: float, device=None) -> torch.Tensor:
    """log beta as the 0-dim float32 tensor the gates read."""
    if not beta > 0:
        raise ValueError(f"a Multi-Rate VAE needs beta > 0, got {beta!r}")
    return torch.tensor(math.log(beta), dtype=torch.float32, device=device)


def multirate_loss(logits, x, mu, logvar, beta: torch.Tensor | float) -> LossParts:
    """The beta-VAE loss of training/model.py (summed over the batch) at this batch's beta."""
    reconstruction = F.binary_cross_entropy_with_logits(logits, x.view_as(logits), reduction="sum")
    kl = kl_divergence(mu, logvar).sum()
    return LossParts(loss=reconstruction + beta * kl, reconstruction=reconstruction, kl=kl)


def sample_eta(config: MultiRateConfig, generator: torch.Generator) -> float:
    """One log beta, uniform on [log beta_min, log beta_max] (so beta is log-uniform), from a CPU generator."""
    low, high = math.log(config.beta_min), math.log(config.beta_max)
    return low + (high - low) * float(torch.rand((), generator=generator))


def train_epoch(model, optimizer, images, batch_size, order_generator, beta_generator, schedule=None, progress=None):
    """One shuffled pass over images (N, 784); each batch at its own log-uniform beta. Returns the mean
    beta-loss per digit (a 0-dim tensor on the data's device)."""
    from .loop import epoch_order

    model.train()
    order = epoch_order(len(images), order_generator, images.device)
    total = torch.zeros((), device=images.device)
    for start in range(0, len(images), batch_size):
        x = images[order[start : start + batch_size]]  # (B, 784)
        eta = sample_eta(model.config, beta_generator)
        logits, mu, logvar = model(x, torch.tensor(eta, device=x.device))
        parts = multirate_loss(logits, x, mu, logvar, math.exp(eta))
        optimizer.zero_grad(set_to_none=True)
        (parts.loss / len(x)).backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
        total += parts.loss.detach()
        if progress is not None:
            progress.update(1)
    return total / len(images)


class AtBeta:
    """The multi-rate model frozen at one beta, with the plain VAE's encode / decode_logits / eval:
    what training/metrics.py measures, so the figures come from the same code as the family's."""

    def __init__(self, model: MultiRateVAE, beta: float):
        self.model, self.eta = model, as_eta(beta)

    def eval(self):
        self.model.eval()
        return self

    def encode(self, x):
        return self.model.encode(x, self.eta)

    def decode_logits(self, z):
        return self.model.decode_logits(z, self.eta)


def beta_grid(config: MultiRateConfig, count: int) -> np.ndarray:
    """`count` log-spaced betas from beta_min to beta_max, both included (float64)."""
    return np.geomspace(config.beta_min, config.beta_max, count)


@torch.no_grad()
def build_beta_codes(model: MultiRateVAE, images: torch.Tensor, betas, model_sha256: str, seed: int = 0) -> dict:
    """The per-beta code file's arrays (layout in docs/multirate.md): the test codes mu at each beta,
    projected on ONE pair of axes fitted once, so that the axes stay put while beta moves.

    z = 2: the plane itself (axes = identity, mean = 0). Otherwise: the top two principal axes of the
    codes at beta = 1 (clamped into the range), centred on their mean, each signed so that its largest
    entry is positive. Each beta's -ELBO parts (training/metrics.py, one z per digit, `seed`) ride along
    for the slider's caption."""
    from .metrics import elbo_metrics, encode_all

    config = model.config
    z = config.latent_size
    if z == 2:
        mean, axes = np.zeros(2, np.float32), np.eye(2, dtype=np.float32)
    else:
        fit_beta = min(max(1.0, config.beta_min), config.beta_max)
        mu, _ = encode_all(AtBeta(model, fit_beta), images)
        mu = mu.double().numpy()
        mean = mu.mean(axis=0)
        _, _, vt = np.linalg.svd(mu - mean, full_matrices=False)
        axes = vt[:2] * np.sign(vt[:2][np.arange(2), np.abs(vt[:2]).argmax(axis=1)])[:, None]
        mean, axes = mean.astype(np.float32), axes.astype(np.float32)
    xy, parts = [], {"neg_elbo": [], "reconstruction": [], "kl": [], "sigma": [], "mu_rms": []}
    for beta in betas:
        at = AtBeta(model, float(beta))
        mu, logvar = encode_all(at, images)
        xy.append((mu.numpy() - mean) @ axes.T)
        for name, value in elbo_metrics(at, images, seed=seed).items():
            parts[name].append(value)
        parts["sigma"].append(float(torch.exp(0.5 * logvar).mean()))  # the posterior's spread, all digits and dims
        parts["mu_rms"].append(float(mu.pow(2).mean().sqrt()))  # how far the codes sit from 0
    return {
        "format": np.array(CODES_FORMAT),
        "betas": np.asarray(betas, dtype=np.float64),
        "xy": np.stack(xy).astype(np.float16),
        "mean": mean,
        "axes": axes,
        "model_sha256": np.array(model_sha256),
        **{name: np.asarray(values, dtype=np.float32) for name, values in parts.items()},
    }


def save_beta_codes(path, arrays: dict):
    from pathlib import Path

    path = Path(path)
    temporary = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(temporary, **arrays)
    temporary.replace(path)
    return path


def load_multirate_checkpoint(path) -> tuple[MultiRateVAE, dict]:
    """The torch module (eval mode, CPU) and record of a verified mrvae-*.safetensors (vae/checkpoint.py reads it)."""
    from vae.checkpoint import CheckpointError, read_checkpoint
    from vae.multirate import KIND, multirate_config

    arrays, record = read_checkpoint(path)
    if record["kind"] != KIND:
        raise CheckpointError(path, f"metadata kind is {record['kind']!r}, not {KIND!r}")
    model = MultiRateVAE(multirate_config(path, record["config"]))
    model.load_state_dict({name: torch.from_numpy(array.copy()) for name, array in arrays.items()})
    return model.eval(), record


def main(argv=None) -> None:
    """Rewrites each mrvae-codes-z<N>.npz in a folder from its checkpoint (what train.py wrote after training)."""
    import argparse
    import time

    from vae.atlas import load_test_set
    from vae.family import MULTIRATE

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--weights", default="weights", help="folder with mrvae-*.safetensors (default %(default)s)")
    parser.add_argument("--codes-betas", type=int, default=33, help="betas in the code file (default %(default)s)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    images, _ = load_test_set(f"{args.weights}/mnist-test.npz")
    x = torch.from_numpy(images.reshape(-1, 784).astype(np.float32) / 255.0)
    for variant in MULTIRATE:
        path = variant.checkpoint_path(args.weights)
        if not path.exists():
            continue
        started = time.perf_counter()
        model, record = load_multirate_checkpoint(path)
        arrays = build_beta_codes(
            model, x, beta_grid(model.config, args.codes_betas), record["sha256"], seed=record["info"].get("seed", 0)
        )
        out = save_beta_codes(variant.codes_path(args.weights), arrays)
        print(f"{variant.name}: {out} ({out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
