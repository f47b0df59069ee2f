"""Checkpoints: safetensors tensors + JSON metadata that rebuilds the model from the file alone.

Metadata (under the safetensors header key "latent_explorer") holds the config,
how the model was trained (beta, epochs, seed, wall time, a checksum of the
training data) and its metrics, plus a SHA-256 of every tensor so that an edited
file is caught. Nothing is ever unpickled: safetensors stores raw bytes only.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load as load_safetensors_bytes

if TYPE_CHECKING:
    import torch

FORMAT = "latent-explorer/1"
METADATA_KEY = "latent_explorer"
MAX_HEADER_BYTES = 1 << 20
MODEL_KINDS = ("vae", "classifier")  # what `build_model` can rebuild
MAX_LAYER = 1 << 16  # no layer of a model this page can hold is wider than this


class CheckpointError(Exception):
    """A checkpoint that cannot be trusted: the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def tensors_digest(tensors: dict) -> str:
    """SHA-256 over names, dtypes, shapes and bytes, in name order; torch tensors or numpy arrays."""
    digest = hashlib.sha256()
    for name in sorted(tensors):
        array = tensors[name]
        if not isinstance(array, np.ndarray):  # a torch tensor
            array = array.detach().cpu().contiguous().numpy()
        array = np.ascontiguousarray(array)
        digest.update(f"{name}|torch.{array.dtype}|{tuple(array.shape)}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


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


def read_record(path: str | Path) -> dict:
    """The metadata record alone, without reading the tensors (for listings and the model card)."""
    path = Path(path)
    with _opened(path) as handle:
        head = handle.read(8)
        if len(head) < 8:
            raise CheckpointError(path, "file is truncated (shorter than a safetensors header)")
        (length,) = struct.unpack("<Q", head)
        if length > MAX_HEADER_BYTES:
            raise CheckpointError(path, "not a safetensors file (header length is implausible; a pickle?)")
        header = handle.read(length)
    return _parse_record(path, header, length)


def read_checkpoint(path: str | Path) -> tuple[dict[str, np.ndarray], dict]:
    """The verified tensors (as numpy arrays) and metadata record of a checkpoint, without torch.

    Raises CheckpointError for a missing, truncated, corrupt or tampered file.
    """
    path = Path(path)
    with _opened(path) as handle:
        blob = handle.read()
    if len(blob) < 8:
        raise CheckpointError(path, "file is truncated (shorter than a safetensors header)")
    (length,) = struct.unpack("<Q", blob[:8])
    if length > MAX_HEADER_BYTES or 8 + length > len(blob):
        raise CheckpointError(path, "not a safetensors file, or truncated (header runs past the end)")
    record = _parse_record(path, blob[8 : 8 + length], length)
    try:
        arrays = load_safetensors_bytes(blob)
    except (SafetensorError, ValueError, RuntimeError) as error:
        raise CheckpointError(path, f"corrupt or truncated tensor data ({error})") from error
    if tensors_digest(arrays) != record["sha256"]:
        raise CheckpointError(path, "tensor checksum does not match its metadata (file was modified)")
    check_shapes(path, arrays, record)
    return arrays, record


def check_shapes(path: str | Path, arrays: dict[str, np.ndarray], record: dict) -> None:
    """Raises CheckpointError unless a VAE's tensors are exactly what its config implies
    (a classifier's shapes are checked when `build_model` builds it)."""
    from .config import VAEConfig, parameter_shapes

    if record["kind"] != "vae":
        return
    _check_vae_config(path, record["config"])
    try:
        expected = parameter_shapes(VAEConfig(**record["config"]))
    except (TypeError, ValueError) as error:
        raise CheckpointError(path, f"metadata config cannot build a model ({error})") from None
    _require_shapes(path, expected, arrays, record)


def _require_shapes(path, expected: dict, arrays: dict, record: dict) -> None:
    found = {name: tuple(array.shape) for name, array in arrays.items()}
    if expected != found:
        wrong = sorted(set(expected.items()) ^ set(found.items()))
        raise CheckpointError(path, f"tensors do not match the config {record['config']}: {wrong[:4]}")


def build_model(path: str | Path, arrays: dict[str, np.ndarray], record: dict) -> torch.nn.Module:
    """Rebuilds the module a verified record describes and loads its tensors (eval mode, CPU)."""
    import torch

    check_shapes(path, arrays, record)
    try:
        if record["kind"] == "classifier":
            from .classifier import DigitClassifier
            from .config import ClassifierConfig

            model = DigitClassifier(ClassifierConfig.from_dict(record["config"]))
        else:
            from .config import VAEConfig
            from .model import VAE

            model = VAE(VAEConfig(**record["config"]))
    except (TypeError, ValueError, RuntimeError) as error:
        raise CheckpointError(path, f"metadata config cannot build a model ({error})") from error
    _require_shapes(path, {name: tuple(t.shape) for name, t in model.state_dict().items()}, arrays, record)
    model.load_state_dict({name: torch.from_numpy(array.copy()) for name, array in arrays.items()})
    return model.eval()


def load_checkpoint(path: str | Path) -> tuple[torch.nn.Module, dict]:
    """Rebuilds the model from the file alone. Returns (model in eval mode, metadata record).

    Raises CheckpointError for a missing, truncated, corrupt, tampered or mismatched file.
    """
    arrays, record = read_checkpoint(path)
    return build_model(path, arrays, record), record


class _opened:
    """open() that turns a missing/unreadable file into CheckpointError."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        try:
            self.handle = open(self.path, "rb")
        except FileNotFoundError:
            raise CheckpointError(self.path, "file not found") from None
        except OSError as error:
            raise CheckpointError(self.path, f"cannot be read ({error.strerror})") from None
        return self.handle

    def __exit__(self, *exc):
        self.handle.close()
        return False


def _parse_record(path: Path, header: bytes, length: int) -> dict:
    if len(header) < length:
        raise CheckpointError(path, "file is truncated (header cut short)")
    try:
        record = json.loads(json.loads(header.decode("utf-8"))["__metadata__"][METADATA_KEY])
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise CheckpointError(path, f"missing or unreadable Latent Explorer metadata ({error!r})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise CheckpointError(path, f"metadata format is not {FORMAT!r}")
    missing = {"kind", "config", "info", "sha256"} - set(record)
    if missing:
        raise CheckpointError(path, f"metadata lacks {sorted(missing)}")
    if record["kind"] not in MODEL_KINDS:
        raise CheckpointError(path, f"metadata field 'kind' must be one of {MODEL_KINDS}, got {_shown(record['kind'])}")
    if not isinstance(record["config"], dict):
        raise CheckpointError(path, "metadata config is not a mapping")
    digest = record["sha256"]
    if not isinstance(digest, str) or len(digest) != 64 or not set(digest) <= set("0123456789abcdef"):
        raise CheckpointError(path, f"metadata field 'sha256' must be 64 hex digits, got {_shown(digest)}")
    _check_info(path, record["info"])
    return record


def _check_info(path: Path, info: object) -> None:
    """How the model was trained and what it scored: the page reads these, so they must have their types."""
    if not isinstance(info, dict):
        raise CheckpointError(path, f"metadata field 'info' must be a mapping, got {_shown(info)}")
    for field in ("metrics", "lesson"):
        if field in info and not isinstance(info[field], dict):
            raise CheckpointError(path, f"metadata field 'info.{field}' must be a mapping, got {_shown(info[field])}")
    for name, value in info.get("metrics", {}).items():
        if value is not None and not _is_number(value):
            raise CheckpointError(path, f"metadata field 'info.metrics.{name}' must be a number, got {_shown(value)}")
    for field in ("beta", "epochs", "seed", "batch_size", "train_digits", "wall_seconds"):
        if field in info and not _is_number(info[field]):
            raise CheckpointError(path, f"metadata field 'info.{field}' must be a number, got {_shown(info[field])}")


def _check_vae_config(path: str | Path, config: dict) -> None:
    """The fields `parameter_shapes` needs, typed, before any shape is computed from them."""
    for field in ("input_size", "hidden_size", "latent_size"):
        value = config.get(field)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_LAYER:
            raise CheckpointError(
                path, f"config field {field!r} must be a whole number from 1 to {MAX_LAYER}, got {_shown(value)}"
            )
    beta = config.get("beta")
    if not _is_number(beta) or beta < 0:
        raise CheckpointError(path, f"config field 'beta' must be a number >= 0, got {_shown(beta)}")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)


def _shown(value: object) -> str:
    """A value from a file, as short text for a message (a tampered file may hold anything, of any size)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
