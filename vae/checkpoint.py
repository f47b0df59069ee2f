"""Checkpoints, read and verified without torch: safetensors tensors + JSON metadata that rebuilds the
model from the file alone (training/checkpoint.py writes them).

Metadata (under the safetensors header key "latent_explorer") holds the config,
how the model was trained (beta, epochs, seed, wall time, a checksum of the
training data) and its metrics, plus a SHA-256 of every tensor so that an edited
file is caught. Nothing is ever unpickled: safetensors stores raw bytes only.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load as load_safetensors_bytes

if TYPE_CHECKING:
    from .config import ClassifierConfig, VAEConfig

FORMAT = "latent-explorer/1"
METADATA_KEY = "latent_explorer"
MAX_HEADER_BYTES = 1 << 20
MODEL_KINDS = ("vae", "classifier", "multirate-vae")  # the last: vae/multirate.py
# An imported model's name (import_vae.py --name): its variant is "z<latent>-<name>"; never "beta...", which
# names the shipped ones.
IMPORTED_NAME = re.compile(r"(?!beta)[a-z][a-z0-9]{0,15}")


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
    """Raises CheckpointError unless the tensors are exactly what the record's (checked) config implies."""
    from .config import classifier_shapes, parameter_shapes

    if record["kind"] == "vae":
        expected = parameter_shapes(vae_config(path, record["config"]))
    elif record["kind"] == "multirate-vae":
        from .multirate import multirate_config, multirate_shapes

        expected = multirate_shapes(multirate_config(path, record["config"]))
    else:
        expected = classifier_shapes(classifier_config(path, record["config"]))
    found = {name: tuple(array.shape) for name, array in arrays.items()}
    if expected != found:
        wrong = sorted(set(expected.items()) ^ set(found.items()))
        raise CheckpointError(path, f"tensors do not match the config {_shown(record['config'])}: {wrong[:4]}")


def vae_config(path: str | Path, config: object) -> VAEConfig:
    """The one check of a VAE's config from a file: every field typed and in range, or CheckpointError."""
    from .config import VAEConfig

    _known_fields(path, config, {"input_size", "hidden_size", "latent_size", "beta"})
    beta = config.get("beta")
    if not _is_number(beta) or not 0 <= beta < 1e6:
        raise CheckpointError(path, f"config field 'beta' must be a number >= 0, got {_shown(beta)}")
    input_size = _whole(path, config, "input_size", 784)
    if input_size != 784:
        raise CheckpointError(path, f"config field 'input_size' must be 784 (28x28 digits), got {input_size}")
    return VAEConfig(
        input_size, _whole(path, config, "hidden_size", 4096), _whole(path, config, "latent_size", 512), float(beta)
    )


def classifier_config(path: str | Path, config: object) -> ClassifierConfig:
    """The one check of the classifier's config from a file, or CheckpointError."""
    from .config import ClassifierConfig

    _known_fields(path, config, {"channels", "hidden_size", "dropout"})
    channels = config.get("channels")
    if (
        not isinstance(channels, (list, tuple))
        or len(channels) != 2
        or any(isinstance(c, bool) or not isinstance(c, int) or not 0 < c <= 1024 for c in channels)
    ):
        raise CheckpointError(path, f"config field 'channels' must be two integers in 1..1024, got {_shown(channels)}")
    dropout = config.get("dropout", 0.0)
    if not _is_number(dropout) or not 0 <= dropout < 1:
        raise CheckpointError(path, f"config field 'dropout' must be a number in [0, 1), got {_shown(dropout)}")
    return ClassifierConfig((channels[0], channels[1]), _whole(path, config, "hidden_size", 4096), float(dropout))


def _known_fields(path, config: object, fields: set[str]) -> None:
    if not isinstance(config, dict):
        raise CheckpointError(path, "metadata config is not a mapping")
    unknown = sorted(set(config) - fields)
    if unknown:
        raise CheckpointError(path, f"config has unknown fields {_shown(unknown)}")


def _whole(path, config: dict, field: str, maximum: int) -> int:
    value = config.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= maximum:
        raise CheckpointError(path, f"config field {field!r} must be an integer in 1..{maximum}, got {_shown(value)}")
    return value


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
    if "imported" in info:
        _check_imported(path, info["imported"])


def _check_imported(path: Path, imported: object) -> None:
    """A model trained elsewhere (import_vae.py): its name, its label, and whether its beta is known."""
    if not isinstance(imported, dict):
        raise CheckpointError(path, f"metadata field 'info.imported' must be a mapping, got {_shown(imported)}")
    name, label = imported.get("name"), imported.get("label")
    if not isinstance(name, str) or not IMPORTED_NAME.fullmatch(name):
        raise CheckpointError(path, f"metadata field 'info.imported.name' must be a short word, got {_shown(name)}")
    if not isinstance(label, str) or not 0 < len(label) <= 60 or not label.isprintable():
        raise CheckpointError(path, f"metadata field 'info.imported.label' must be short text, got {_shown(label)}")
    if not isinstance(imported.get("beta_known"), bool):
        raise CheckpointError(path, "metadata field 'info.imported.beta_known' must be true or false")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)


def _shown(value: object) -> str:
    """A value from a file, as short text for a message (a tampered file may hold anything, of any size)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
