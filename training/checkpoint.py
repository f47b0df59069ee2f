"""Writing checkpoints, and rebuilding torch modules from them (vae/checkpoint.py reads and verifies).

save_checkpoint(path, model, "vae", info)   # tensors + {format, kind, config, info, sha256}
model, record = load_checkpoint(path)       # the module in eval mode, from the file alone
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from vae.checkpoint import (
    FORMAT,
    METADATA_KEY,
    CheckpointError,
    check_shapes,
    classifier_config,
    read_checkpoint,
    tensors_digest,
    vae_config,
)

from .classifier import DigitClassifier
from .model import VAE


def save_checkpoint(path: str | Path, model: torch.nn.Module, kind: str, info: dict) -> Path:
    """Writes model weights + {format, kind, config, info, sha256}; returns the path."""
    from safetensors.torch import save as save_safetensors_bytes

    tensors = {name: t.detach().cpu().contiguous() for name, t in model.state_dict().items()}
    record = {
        "format": FORMAT,
        "kind": kind,
        "config": model.config.to_dict(),
        "info": info,
        "sha256": tensors_digest(tensors),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = save_safetensors_bytes(tensors, metadata={METADATA_KEY: json.dumps(record, sort_keys=True)})
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(blob)
    temporary.replace(path)  # never leave a half-written checkpoint behind
    return path


def build_model(path: str | Path, arrays: dict[str, np.ndarray], record: dict) -> torch.nn.Module:
    """Rebuilds the module a verified record describes and loads its tensors (eval mode, CPU)."""
    check_shapes(path, arrays, record)
    try:
        if record["kind"] == "classifier":
            model = DigitClassifier(classifier_config(path, record["config"]))
        else:
            model = VAE(vae_config(path, record["config"]))
    except (TypeError, ValueError, RuntimeError) as error:
        raise CheckpointError(path, f"metadata config cannot build a model ({error})") from error
    model.load_state_dict({name: torch.from_numpy(array.copy()) for name, array in arrays.items()})
    return model.eval()


def load_checkpoint(path: str | Path) -> tuple[torch.nn.Module, dict]:
    """Rebuilds the model from the file alone. Returns (model in eval mode, metadata record).

    Raises CheckpointError for a missing, truncated, corrupt, tampered or mismatched file.
    """
    arrays, record = read_checkpoint(path)
    return build_model(path, arrays, record), record
