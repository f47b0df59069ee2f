"""The VAE's settings, and the tensor shapes they imply, without importing torch.

The page verifies every shipped checkpoint against `parameter_shapes` before torch
is even loaded; a test keeps this table equal to the real module's state_dict.
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

    @classmethod
    def from_dict(cls, values: dict) -> ClassifierConfig:
        values = dict(values)
        if "channels" in values:
            values["channels"] = tuple(values["channels"])
        return cls(**values)
