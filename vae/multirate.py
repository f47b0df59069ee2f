"""The Multi-Rate VAE (training/multirate.py) in numpy: one model, any beta in its range, no torch.

    model = load_multirate("weights/mrvae-z20.safetensors")
    mu, logvar = model.encode(images, beta)    # images (B, 784) or (B, 28, 28) in [0, 1]
    pixels = model.decode(z, beta)             # (B, 28, 28) pixel means in [0, 1]

Every layer's pre-activations are scaled unit by unit by a gate of eta = log beta: sigmoid for
the encoder's layers, sqrt(max(1 - exp(.), floor)) for the decoder's (Bae et al., ICLR 2023).
float32 throughout, products on one BLAS thread, like vae/inference.py's NumpyVAE.

Also here: the config (what the checkpoint's metadata rebuilds), its tensor shapes, and the
reader of the per-beta code file (mrvae-codes-<model>.npz; layout in docs/multirate.md).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .checkpoint import CheckpointError
from .config import VAEConfig, parameter_shapes
from .inference import _float32_arrays, _relu, one_blas_thread, sigmoid

KIND = "multirate-vae"  # the checkpoint metadata's "kind"
GATED_LAYERS = {"fc1": "encoder", "fc_mu": "encoder", "fc_logvar": "encoder", "fc3": "decoder", "fc4": "decoder"}
DECODER_GATE_FLOOR = 1e-4  # 1 - exp(s) is clamped here before the square root: a gate never shuts below 0.01
BETA_RANGE = (0.01, 10.0)  # the default training range (docs/multirate.md says why 0.01)


@dataclass(frozen=True)
class MultiRateConfig:
    input_size: int = 784
    hidden_size: int = 400
    latent_size: int = 20
    beta_min: float = BETA_RANGE[0]
    beta_max: float = BETA_RANGE[1]

    def to_dict(self) -> dict:
        return asdict(self)


def multirate_shapes(config: MultiRateConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every tensor in MultiRateVAE(config).state_dict()."""
    # The family's tensors (vae/config.py, one table for both kinds), then a gate's slope and offset per layer.
    plain = VAEConfig(input_size=config.input_size, hidden_size=config.hidden_size, latent_size=config.latent_size)
    shapes = parameter_shapes(plain)
    for layer in GATED_LAYERS:
        shapes[f"gate_{layer}.slope"] = shapes[f"gate_{layer}.offset"] = shapes[f"{layer}.bias"]
    return shapes


def multirate_config(path: str | Path, config: object) -> MultiRateConfig:
    """The one check of a Multi-Rate VAE's config from a file: every field typed and in range, or CheckpointError."""
    from .checkpoint import _is_number, _known_fields, _shown, _whole

    _known_fields(path, config, {"input_size", "hidden_size", "latent_size", "beta_min", "beta_max"})
    low, high = config.get("beta_min"), config.get("beta_max")
    for field, value in (("beta_min", low), ("beta_max", high)):
        if not _is_number(value) or not 0 < value < 1e6:
            raise CheckpointError(path, f"config field {field!r} must be a number > 0, got {_shown(value)}")
    if not low < high:
        raise CheckpointError(path, f"config field 'beta_min' ({low}) must be below 'beta_max' ({high})")
    input_size = _whole(path, config, "input_size", 784)
    if input_size != 784:
        raise CheckpointError(path, f"config field 'input_size' must be 784 (28x28 digits), got {input_size}")
    return MultiRateConfig(
        input_size,
        _whole(path, config, "hidden_size", 4096),
        _whole(path, config, "latent_size", 512),
        float(low),
        float(high),
    )


def encoder_gate(slope: np.ndarray, offset: np.ndarray, eta: float) -> np.ndarray:
    return sigmoid((slope * np.float32(eta) + offset).astype(np.float32))


def decoder_gate(slope: np.ndarray, offset: np.ndarray, eta: float) -> np.ndarray:
    s = (slope * np.float32(eta) + offset).astype(np.float32)
    return np.sqrt(np.maximum(np.float32(1.0) - np.exp(s), np.float32(DECODER_GATE_FLOOR)))


class NumpyMultiRateVAE:
    """training/multirate.py's MultiRateVAE, forward only, at any beta > 0 (its range is where it was trained)."""

    def __init__(self, arrays: dict[str, np.ndarray], config: MultiRateConfig, path: str | Path = "<arrays>"):
        self.config, self.path = config, Path(path)
        w = _float32_arrays(path, arrays, multirate_shapes(config))
        self.weights = {layer: np.ascontiguousarray(w[f"{layer}.weight"].T) for layer in GATED_LAYERS}  # (in, out)
        self.biases = {layer: w[f"{layer}.bias"] for layer in GATED_LAYERS}
        self.gates = {layer: (w[f"gate_{layer}.slope"], w[f"gate_{layer}.offset"]) for layer in GATED_LAYERS}

    @property
    def latent_size(self) -> int:
        return self.config.latent_size

    @property
    def beta_range(self) -> tuple[float, float]:
        return self.config.beta_min, self.config.beta_max

    def gate(self, layer: str, beta: float) -> np.ndarray:
        """The per-unit scale of `layer`'s pre-activations at this beta, (out,)."""
        eta = _eta(beta)
        form = encoder_gate if GATED_LAYERS[layer] == "encoder" else decoder_gate
        return form(*self.gates[layer], eta)

    def _layer(self, layer: str, x: np.ndarray, beta: float) -> np.ndarray:
        return (x @ self.weights[layer] + self.biases[layer]) * self.gate(layer, beta)

    @one_blas_thread()
    def encode(self, x: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
        """(mu, logvar), each (B, latent), of images x (B, 784) or (B, 28, 28) in [0, 1], at this beta."""
        x = np.asarray(x, dtype=np.float32).reshape(-1, self.config.input_size)
        h = _relu(self._layer("fc1", x, beta))
        return self._layer("fc_mu", h, beta), self._layer("fc_logvar", h, beta)

    @one_blas_thread()
    def decode_logits(self, z: np.ndarray, beta: float) -> np.ndarray:
        z = np.asarray(z, dtype=np.float32).reshape(-1, self.config.latent_size)
        return self._layer("fc4", _relu(self._layer("fc3", z, beta)), beta)  # (B, 784)

    def decode(self, z: np.ndarray, beta: float) -> np.ndarray:
        """Pixel means (B, 28, 28) float32 in [0, 1] of codes z (B, latent), at this beta."""
        return sigmoid(self.decode_logits(z, beta)).reshape(-1, 28, 28)


def _eta(beta: float) -> float:
    if not (isinstance(beta, (int, float, np.floating)) and math.isfinite(beta) and beta > 0):
        raise ValueError(f"beta must be a finite number > 0, got {beta!r}")
    return math.log(beta)


def load_multirate(path: str | Path) -> tuple[NumpyMultiRateVAE, dict]:
    """The numpy model and its metadata record from a verified checkpoint; CheckpointError if it cannot be trusted."""
    from .checkpoint import read_checkpoint

    arrays, record = read_checkpoint(path)
    if record["kind"] != KIND:
        raise CheckpointError(path, f"metadata kind is {record['kind']!r}, not {KIND!r}")
    return NumpyMultiRateVAE(arrays, multirate_config(path, record["config"]), path), record


# The per-beta code file (training/rate_distortion.py writes it; the viewer's beta slider reads it).
CODES_FORMAT = "latent-explorer/mrvae-codes/1"


@dataclass
class BetaCodes:
    betas: np.ndarray  # (K,) float64, log-spaced, increasing
    xy: np.ndarray  # (K, N, 2) float32: the N test codes mu at each beta, on the file's fixed axes
    mean: np.ndarray  # (latent,) float32: the centre the axes were fitted around
    axes: np.ndarray  # (2, latent) float32: the fixed projection, xy = (mu - mean) @ axes.T
    model_sha256: str
    figures: dict[str, np.ndarray]  # FIGURES -> (K,): each beta's test figures (docs/multirate.md)


FIGURES = ("neg_elbo", "reconstruction", "kl", "sigma", "mu_rms")


def load_beta_codes(path: str | Path, model_sha256: str | None = None) -> BetaCodes:
    """Reads mrvae-codes-<model>.npz, checked for its format, shapes and (when given) the model it was made from."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            found = {name: data[name] for name in data.files}
    except (OSError, ValueError) as error:
        raise CheckpointError(path, f"cannot read the per-beta codes ({error})") from None
    if str(found.get("format", "")) != CODES_FORMAT:
        raise CheckpointError(path, f"not a per-beta code file (format is not {CODES_FORMAT!r})")
    missing = {"betas", "xy", "axes", "mean", "model_sha256"} - set(found)
    if missing:
        raise CheckpointError(path, f"per-beta code file lacks {sorted(missing)}")
    betas, xy, axes, mean = found["betas"], found["xy"], found["axes"], found["mean"]
    if betas.ndim != 1 or xy.ndim != 3 or xy.shape[0] != len(betas) or xy.shape[2] != 2:
        raise CheckpointError(path, f"codes have shape {xy.shape}, betas {betas.shape}: expected (K, N, 2) and (K,)")
    if axes.shape != (2, len(mean)) or not np.all(np.diff(betas) > 0):
        raise CheckpointError(path, "axes must be (2, latent) and betas increasing")
    figures = {name: found[name].astype(np.float32) for name in FIGURES if name in found}
    if any(values.shape != betas.shape for values in figures.values()):
        raise CheckpointError(path, "per-beta figures must have one value per beta")
    digest = str(found["model_sha256"])
    if model_sha256 is not None and digest != model_sha256:
        raise CheckpointError(path, "made from another model than the checkpoint beside it")
    return BetaCodes(betas.astype(np.float64), xy.astype(np.float32), mean.astype(np.float32), axes, digest, figures)
