"""The models' settings, and the tensor shapes they imply, without importing torch.

One config per model kind, used by both sides: training/ builds torch modules from it and
vae/inference.py the numpy ones; vae/checkpoint.py checks a file's config before either is
built. Tests keep the shape tables equal to the real modules' state_dicts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ACTIVE_UNIT_THRESHOLD = 0.01  # Burda et al. 2016: a latent dim is active when Cov_x(E_q[z]) > 0.01


@dataclass(frozen=True)
class VAEConfig:
    input_size: int = 784
    hidden_size: int = 400
    latent_size: int = 20
    beta: float = 1.0

    def to_dict(self) -> dict:
        return asdict(self)


def parameter_shapes(config: VAEConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every tensor in VAE(config).state_dict()."""
    i, h, z = config.input_size, config.hidden_size, config.latent_size
    return {
        "fc1.weight": (h, i),
        "fc1.bias": (h,),
        "fc_mu.weight": (z, h),
        "fc_mu.bias": (z,),
        "fc_logvar.weight": (z, h),
        "fc_logvar.bias": (z,),
        "fc3.weight": (h, z),
        "fc3.bias": (h,),
        "fc4.weight": (i, h),
        "fc4.bias": (i,),
    }


@dataclass(frozen=True)
class ClassifierConfig:
    channels: tuple[int, int] = (32, 64)
    hidden_size: int = 128
    dropout: float = 0.25

    def to_dict(self) -> dict:
        return asdict(self)


def classifier_shapes(config: ClassifierConfig) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every tensor in DigitClassifier(config).state_dict()."""
    c1, c2 = config.channels
    h = config.hidden_size
    return {
        "conv1.weight": (c1, 1, 3, 3),
        "conv1.bias": (c1,),
        "conv2.weight": (c2, c1, 3, 3),
        "conv2.bias": (c2,),
        "fc1.weight": (h, c2 * 7 * 7),
        "fc1.bias": (h,),
        "fc2.weight": (10, h),
        "fc2.bias": (10,),
    }
