"""A VAE trained elsewhere: its untrusted state dict read and mapped onto this page's model, numpy only.

    arrays = read_safetensors(blob)              # bytes of a .safetensors file, at most MAX_UPLOAD_BYTES
    found = vae_from_state_dict(arrays)          # names, shapes and values checked; this repository's names
    model = NumpyVAE(found.weights, found.config())   # vae/inference.py

`read_safetensors` parses the file's header itself and checks every entry (dtype, shape, byte range,
no overlap, inside the file) before it touches a tensor's bytes, so a hostile header cannot make it
allocate more than the file's own size (times two where float16 becomes float32). It never unpickles:
a PyTorch .pt/.pth file is named as such and refused. `vae_from_state_dict` accepts pytorch/examples'
and the tutorials' names (fc1, fc21, fc22, fc3, fc4), this repository's (fc_mu, fc_logvar for fc21,
fc22), and keys under `module.` (DataParallel) or `_orig_mod.` (torch.compile).

Every refusal is an ImportRefused whose message says what was found, what was expected, and how to
save a file that works. import_vae.py uses both functions (with a larger bound); the page's upload can
use them as they are.
"""

from __future__ import annotations

import itertools
import json
import math
import struct
from dataclasses import dataclass

import numpy as np

from .config import VAEConfig, parameter_shapes

MAX_UPLOAD_BYTES = 10 * 2**20  # what a visitor may send the page; a 784-400-20 VAE is 2.6 MB in float32
MAX_HEADER_BYTES = 64 * 2**10  # a VAE's ten tensors need ~1 KB of header; safetensors' own cap is 100 MB
MAX_TENSORS = 64
MAX_HIDDEN, MAX_LATENT = 4096, 512  # vae/checkpoint.py vae_config's bounds
INPUT_SIZE = 784
DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "F64": np.dtype("<f8"), "BF16": np.dtype("<u2")}
ALIASES = {"fc21": "fc_mu", "fc22": "fc_logvar"}  # pytorch/examples' vae/main.py -> this repository
PREFIXES = ("module.", "_orig_mod.")  # DataParallel, torch.compile
SAVE_STATE_DICT = 'Save the weights alone: `torch.save(model.state_dict(), "vae.pth")`.'
CONVERT = (
    "Convert a .pth you trust to safetensors first: `from safetensors.torch import save_file; "
    'save_file(torch.load("vae.pth", weights_only=True), "vae.safetensors")`.'
)
EXPECTED_MLP = (
    "the fully connected VAE of pytorch/examples (vae/main.py): fc1 = Linear(784, hidden), fc21 and fc22 "
    "= Linear(hidden, latent) for mu and log sigma^2, fc3 = Linear(latent, hidden), fc4 = Linear(hidden, 784), "
    "ReLU between, a sigmoid in decode"
)


class ImportRefused(ValueError):
    """A file that is not a VAE this page can run: one message with what was found, what was expected, what to do."""

    def __init__(self, found: str, expected: str, how: str = SAVE_STATE_DICT):
        self.found, self.expected, self.how = found, expected, how
        super().__init__(f"Found {found}. Expected {expected}. {how}")


@dataclass(frozen=True)
class FoundVAE:
    """An accepted state dict: float32 weights under this repository's names, and what was read."""

    weights: dict[str, np.ndarray]  # fc1.weight, fc1.bias, fc_mu.*, fc_logvar.*, fc3.*, fc4.*
    hidden_size: int
    latent_size: int
    naming: str  # "fc21/fc22" (pytorch/examples, tutorials) or "fc_mu/fc_logvar" (this repository)
    prefix: str  # "module." etc. when the keys carried one, else ""

    def config(self, beta: float = 1.0) -> VAEConfig:
        return VAEConfig(INPUT_SIZE, self.hidden_size, self.latent_size, beta)


def read_safetensors(blob: bytes, limit: int = MAX_UPLOAD_BYTES) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (float32 copies), every header entry checked before any is read."""
    size = len(blob)
    if size > limit:
        raise ImportRefused(
            f"a file of {size / 2**20:.1f} MB",
            f"at most {limit / 2**20:g} MB (a 784-400-20 VAE is 2.6 MB in float32)",
            "Save the VAE's state dict alone, in float32 or float16, with no optimizer state.",
        )
    if looks_like_torch_file(blob[:9]):
        raise ImportRefused(
            "a PyTorch file (a pickle, as torch.save writes)",
            "a .safetensors file: raw tensors and a JSON header, nothing that runs code when read",
            CONVERT,
        )
    if size < 8:
        raise ImportRefused(f"{size} bytes", "a safetensors file (8 bytes of header length, then a JSON header)")
    (length,) = struct.unpack("<Q", blob[:8])
    if length < 2 or length > min(MAX_HEADER_BYTES, size - 8):
        raise ImportRefused(
            f"a header length of {length} bytes in a file of {size} bytes",
            f"a safetensors file whose JSON header (at most {MAX_HEADER_BYTES // 1024} KB) fits inside it",
            CONVERT,
        )
    try:
        header = json.loads(blob[8 : 8 + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportRefused("a header that is not JSON text", "a safetensors file's JSON header", CONVERT) from None
    if not isinstance(header, dict):
        raise ImportRefused(f"a header that is a JSON {type(header).__name__}", "a JSON object of tensors", CONVERT)
    header.pop("__metadata__", None)  # free text; a Latent Explorer checkpoint keeps its record there
    if len(header) > MAX_TENSORS:
        raise ImportRefused(f"{len(header)} tensors", f"a VAE's 10 (at most {MAX_TENSORS})", SAVE_STATE_DICT)
    data = memoryview(blob)[8 + length :]
    spans = sorted(_entry(name, entry, len(data)) for name, entry in header.items())
    for (_, end, name), (begin, _, other) in itertools.pairwise(spans):
        if begin < end:
            raise ImportRefused(
                f"tensors {_shown(name)} and {_shown(other)} sharing bytes", "disjoint tensors", CONVERT
            )
    arrays = {}
    for begin, end, name in spans:
        entry = header[name]
        raw = np.frombuffer(data[begin:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        if entry["dtype"] == "BF16":  # bfloat16 is the top half of a float32
            raw = (raw.astype(np.uint32) << 16).view(np.float32)
        arrays[name] = raw.astype(np.float32)
    return arrays


def looks_like_torch_file(head: bytes) -> bool:
    """torch.save's zip or legacy pickle, from the first 9 bytes; a safetensors file has '{' at byte 8 (a header
    length whose first byte is 0x80 or 'P' is no sign of a pickle)."""
    return head[8:9] != b"{" and (head[:2] == b"PK" or head[:1] == b"\x80")


def _entry(name: object, entry: object, data_size: int) -> tuple[int, int, str]:
    """(begin, end, name) of one header entry, after checking its dtype, shape and byte range."""
    if not isinstance(name, str) or not 0 < len(name) <= 200:
        raise ImportRefused(f"a tensor name {_shown(name)}", "names such as 'fc1.weight'", CONVERT)
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise ImportRefused(f"header entry {_shown(name)} = {_shown(entry)}", "{dtype, shape, data_offsets}", CONVERT)
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if dtype not in DTYPES:
        raise ImportRefused(
            f"tensor {_shown(name)} of dtype {_shown(dtype)}",
            f"floating-point weights ({', '.join(DTYPES)}); a VAE of this shape has no integer buffers",
            SAVE_STATE_DICT,
        )
    if (
        not isinstance(shape, list)
        or len(shape) > 4
        or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d < 2**31 for d in shape)
    ):
        raise ImportRefused(f"tensor {_shown(name)} of shape {_shown(shape)}", "a list of at most 4 sizes", CONVERT)
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or any(isinstance(o, bool) or not isinstance(o, int) for o in offsets)
        or not 0 <= offsets[0] <= offsets[1] <= data_size
    ):
        raise ImportRefused(
            f"tensor {_shown(name)} at bytes {_shown(offsets)}",
            f"a byte range inside the {data_size} data bytes",
            CONVERT,
        )
    expected = math.prod(shape) * DTYPES[dtype].itemsize  # Python integers: no overflow
    if offsets[1] - offsets[0] != expected:
        raise ImportRefused(
            f"tensor {_shown(name)} {tuple(shape)} {dtype} stored in {offsets[1] - offsets[0]} bytes",
            f"{expected} bytes for that shape and dtype",
            CONVERT,
        )
    return offsets[0], offsets[1], name


def vae_from_state_dict(arrays: dict[str, np.ndarray]) -> FoundVAE:
    """Checks a state dict's names, shapes and values against the MLP VAE and renames it; or ImportRefused."""
    if not arrays:
        raise ImportRefused("no tensors", EXPECTED_MLP)
    prefix = next((p for p in PREFIXES if all(name.startswith(p) for name in arrays)), "")
    arrays = {name.removeprefix(prefix): array for name, array in arrays.items()}
    conv = sorted(  # the file's order, kernels first: their shape tells most
        (name for name, array in arrays.items() if np.ndim(array) > 2 or "conv" in name.lower()),
        key=lambda name: np.ndim(arrays[name]) <= 2,
    )
    if conv:
        shape = tuple(np.shape(arrays[conv[0]]))
        raise ImportRefused(
            f"convolution weights ({_shown(conv[0])}, shape {shape}{' and more' if len(conv) > 1 else ''})",
            EXPECTED_MLP,
            "This page runs that MLP only: a convolutional VAE cannot be imported. Train the MLP (pytorch/examples "
            'vae/main.py) and save it with `torch.save(model.state_dict(), "vae.pth")`.',
        )
    naming = "fc21/fc22" if any(name.split(".")[0] in ALIASES for name in arrays) else "fc_mu/fc_logvar"
    if naming == "fc21/fc22" and any(name.split(".")[0] in ALIASES.values() for name in arrays):
        raise ImportRefused("both fc21/fc22 and fc_mu/fc_logvar", "one naming: fc21, fc22 or fc_mu, fc_logvar")
    renamed, original = {}, {}  # this repository's name -> array; -> the name in the file
    for name, array in arrays.items():
        layer, dot, kind = name.partition(".")
        ours = f"{ALIASES.get(layer, layer)}{dot}{kind}"
        renamed[ours], original[ours] = array, name
    theirs = {v: k for k, v in ALIASES.items()} if naming == "fc21/fc22" else {}

    def their_name(ours: str) -> str:
        layer, dot, kind = ours.partition(".")
        return f"{theirs.get(layer, layer)}{dot}{kind}"

    expected_names = set(parameter_shapes(VAEConfig()))
    missing = sorted(expected_names - set(renamed), key=_order)
    if missing:
        raise ImportRefused(
            f"no {', '.join(their_name(n) for n in missing[:4])}{' ...' if len(missing) > 4 else ''} "
            f"(the file holds {_names(sorted(original.values()))})",
            EXPECTED_MLP,
        )
    extra = sorted(set(renamed) - expected_names)
    if extra:
        raise ImportRefused(
            f"tensors a VAE of this shape does not have: {_names([original[n] for n in extra])}",
            EXPECTED_MLP + ", and nothing else (no batch norm, no extra layers)",
        )
    for name in expected_names:
        array = renamed[name]
        if not isinstance(array, np.ndarray) or not np.issubdtype(array.dtype, np.floating):
            raise ImportRefused(
                f"{their_name(name)} of type {_shown(getattr(array, 'dtype', type(array).__name__))}",
                "floating-point weights",
            )
    hidden, inputs = renamed["fc1.weight"].shape if renamed["fc1.weight"].ndim == 2 else (0, 0)
    latent = renamed["fc_mu.weight"].shape[0] if renamed["fc_mu.weight"].ndim == 2 else 0
    if inputs != INPUT_SIZE:
        raise ImportRefused(
            f"fc1.weight of shape {tuple(renamed['fc1.weight'].shape)}",
            f"(hidden, {INPUT_SIZE}): an encoder of 28 x 28 MNIST digits, flattened",
        )
    if latent == 1:
        raise ImportRefused(
            f"a latent size of 1 ({their_name('fc_mu.weight')} is {tuple(renamed['fc_mu.weight'].shape)})",
            "a latent size of 2 or more: a map of the codes needs two dimensions",
            f"Train with {their_name('fc_mu')} and {their_name('fc_logvar')} = Linear({hidden}, 2) or more, then "
            'save with `torch.save(model.state_dict(), "vae.pth")`.',
        )
    if not 0 < hidden <= MAX_HIDDEN or not 2 <= latent <= MAX_LATENT:
        raise ImportRefused(
            f"a hidden size of {hidden} and a latent size of {latent}",
            f"a hidden size in 1..{MAX_HIDDEN} and a latent size in 2..{MAX_LATENT}",
        )
    shapes = parameter_shapes(VAEConfig(INPUT_SIZE, hidden, latent))
    for name in sorted(shapes, key=_order):
        if tuple(renamed[name].shape) != shapes[name]:
            raise ImportRefused(
                f"{their_name(name)} of shape {tuple(renamed[name].shape)}",
                f"{shapes[name]} for hidden size {hidden} and latent size {latent} (read from fc1 and "
                f"{their_name('fc_mu')}): {EXPECTED_MLP}",
            )
    weights = {name: np.ascontiguousarray(renamed[name], dtype=np.float32) for name in sorted(shapes, key=_order)}
    for name, array in weights.items():
        bad = int(array.size - np.isfinite(array).sum())
        if bad:
            raise ImportRefused(
                f"{bad} NaN or infinite values in {their_name(name)}",
                "finite weights (a model whose loss became NaN while training cannot be explored)",
                "Save the state dict from before the loss diverged (lower the learning rate, or keep the last "
                'finite epoch): `torch.save(model.state_dict(), "vae.pth")`.',
            )
    return FoundVAE(weights, int(hidden), int(latent), naming, prefix)


def _order(name: str) -> tuple[int, str]:
    return (["fc1", "fc_mu", "fc_logvar", "fc3", "fc4"].index(name.split(".")[0]) if "." in name else 9, name)


def _names(names: list[str]) -> str:
    shown = ", ".join(_shown(n) for n in names[:6])
    return shown + (f" and {len(names) - 6} more" if len(names) > 6 else "") if names else "nothing"


def _shown(value: object) -> str:
    """A value from an untrusted file, as short text (it may hold anything, of any size)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
