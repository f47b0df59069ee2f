"""Importing a VAE trained elsewhere: a state dict in, a weights folder the page opens out (import_vae.py).

    result = import_vae("vae.pth", "mine/", beta=1.0)   # -> mine/vae-z20-mine.safetensors, its atlas, ...

Four steps, each timed (result.seconds):
load     the file: a .safetensors through vae/foreign.py's reader (no torch), a .pt/.pth through
         torch.load(weights_only=True), never a full unpickle; names and shapes checked there
         (vae_from_state_dict); the test digits and the digit classifier;
metrics  what train.py measures of its own models, on the 10,000 MNIST test digits: the one-sample
         -ELBO and its parts (training/metrics.py), active units, and the lesson's figures with the
         classifier (training/lesson_metrics.py: the share of N(0, I) draws that reads as a digit);
atlas    the test digits' codes, PCA and t-SNE (training/atlas.py);
write    into a folder beside --out: what --out held, the test digits and classifier (and with
         with_shipped the shipped models), the checkpoint with its record, the atlas, the model card;
         the folder is loaded as the page loads it (vae/family.py), then renamed into place, so
         --out never holds half an import.
"""

from __future__ import annotations

import hashlib
import math
import platform
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vae.checkpoint import IMPORTED_NAME
from vae.family import CLASSIFIER_FILE, DEFAULT_WEIGHTS, TEST_SET_FILE, Variant
from vae.foreign import (
    SAVE_STATE_DICT,
    FoundVAE,
    ImportRefused,
    looks_like_torch_file,
    read_safetensors,
    vae_from_state_dict,
)

MAX_FILE_BYTES = 64 * 2**20  # a 784-4096-512 VAE (vae_config's largest) is 33 MB in float32
DEFAULT_NAME = "mine"
UNKNOWN_BETA = 1.0  # where a model of unknown beta sits among the controls: pytorch/examples' BCE + KLD is beta = 1
NESTED_KEYS = ("state_dict", "model_state_dict", "model", "vae", "net")  # {"model_state_dict": ..., "epoch": 3}


@dataclass
class ImportResult:
    folder: Path
    name: str  # the model's name in the family ("z20-mine"): ?model=<name> opens it
    metrics: dict
    seconds: dict = field(default_factory=dict)  # load, metrics, atlas, write


def read_state_dict(path: str | Path) -> FoundVAE:
    """The VAE in a .safetensors, .pt or .pth file (told apart by their bytes), or ImportRefused."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(9)
    except OSError as error:
        raise ImportRefused(
            f"no file to read at {path} ({error.strerror})", "a state dict saved by torch.save or safetensors"
        ) from None
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"a file of {size / 2**20:.0f} MB",
            f"at most {MAX_FILE_BYTES // 2**20} MB (a 784-400-20 VAE is 2.6 MB)",
            "Save the VAE's weights alone, without the optimizer: " + SAVE_STATE_DICT,
        )
    if looks_like_torch_file(head):  # torch.save's zip, or its legacy pickle
        arrays = _torch_state_dict(path)
    elif len(head) == 9 and head[8:9] == b"{":  # 8 bytes of header length, then the JSON header
        arrays = read_safetensors(path.read_bytes(), limit=MAX_FILE_BYTES)
    else:
        raise ImportRefused(
            f"a file that is neither a torch.save file nor a safetensors file (it starts {head[:8]!r})",
            "a .pt/.pth written by torch.save, or a .safetensors file",
        )
    return vae_from_state_dict(arrays)


def _torch_state_dict(path: Path) -> dict[str, np.ndarray]:
    """torch.load(weights_only=True): tensors, dicts and plain numbers only; a pickled class is refused unread."""
    import pickle

    import torch

    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        found = re.search(r"GLOBAL ([\w.]+)", str(error))
        what = f"of class {found.group(1)}" if found else "of a class"
        raise ImportRefused(
            f"a whole pickled object {what} (as `torch.save(model)` writes); it is never unpickled here, since "
            "unpickling runs code from the file",
            "a state dict: a dict of parameter names to tensors",
        ) from None
    except (RuntimeError, EOFError, KeyError, ValueError, OSError) as error:
        raise ImportRefused(
            f"a file torch.load cannot read ({type(error).__name__}: {str(error).splitlines()[0][:80]})",
            "an intact file written by torch.save",
        ) from None
    if isinstance(loaded, dict) and not any(isinstance(v, torch.Tensor) for v in loaded.values()):
        nested = [key for key in NESTED_KEYS if isinstance(loaded.get(key), dict)]
        if nested:  # a training checkpoint: {"model_state_dict": ..., "optimizer_state_dict": ..., "epoch": 3}
            loaded = loaded[nested[0]]
    if not isinstance(loaded, dict) or not loaded:
        raise ImportRefused(f"a {type(loaded).__name__} at the top of the file", "a dict of names to tensors")
    odd = [key for key, value in loaded.items() if not isinstance(value, torch.Tensor)]
    if odd:
        raise ImportRefused(
            f"entries that are not tensors ({', '.join(repr(str(k))[:30] for k in odd[:4])})",
            "a dict of parameter names to tensors, and nothing else",
        )
    return {str(name): tensor.detach().to(torch.float32).numpy() for name, tensor in loaded.items()}


def import_vae(
    source: str | Path,
    out: str | Path,
    beta: float | None = None,
    name: str | None = None,
    with_shipped: bool = False,
    data_root: str | None = None,
    replace: bool = False,
    shipped: str | Path = DEFAULT_WEIGHTS,
    say=print,
) -> ImportResult:
    """Imports one VAE into `out` (a new folder, or one a previous import or train.py wrote).

    Raises ImportRefused, before anything is written, for a file or a request that cannot be imported.
    """
    import torch

    from training.atlas import build_atlas
    from training.checkpoint import load_checkpoint
    from training.model import VAE
    from vae.checkpoint import tensors_digest

    seconds, clock = {}, time.perf_counter()
    source, out, shipped = Path(source), Path(out), Path(shipped)
    name = _checked_name(name)
    if beta is not None and not (math.isfinite(beta) and 0 <= beta < 1e6):
        raise ImportRefused(f"--beta {beta}", "a number >= 0 (the weight of the KL term it was trained with)", "")
    found = read_state_dict(source)
    variant = Variant(found.latent_size, UNKNOWN_BETA if beta is None else beta, name)
    _check_out(out, variant, replace)
    model = VAE(found.config(variant.beta))
    model.load_state_dict({key: torch.from_numpy(array) for key, array in found.weights.items()})
    model.eval()
    images, labels = _test_digits(data_root, shipped)
    x = torch.from_numpy(images).reshape(-1, 784).float() / 255.0
    classifier, classifier_record = load_checkpoint(shipped / CLASSIFIER_FILE)
    seconds["load"] = time.perf_counter() - clock
    say(f"read {source.name}: {found.naming} names, hidden {found.hidden_size}, latent {found.latent_size}")

    clock = time.perf_counter()
    metrics, mu, logvar, lesson = _measure(model, classifier, x)
    seconds["metrics"] = time.perf_counter() - clock
    say(
        f"measured on {len(x):,} test digits: -ELBO {metrics['neg_elbo']:.2f} = reconstruction "
        f"{metrics['reconstruction']:.2f} + KL {metrics['kl']:.2f} nats; active units {metrics['active_units']} / "
        f"{found.latent_size}; N(0, I) draws that read as a digit: {lesson['prior_samples']['readable_share']:.1%}"
    )

    clock = time.perf_counter()
    say("building the atlas (PCA, t-SNE of the 10,000 codes)..." if found.latent_size > 2 else "building the atlas")
    atlas = build_atlas(mu, logvar, tensors_digest(model.state_dict()))
    seconds["atlas"] = time.perf_counter() - clock

    clock = time.perf_counter()
    info = {
        "imported": {
            "name": name,
            "label": _label(name, beta),
            "beta_known": beta is not None,
            "source": _printable(source.name),
            "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "naming": found.naming,
            "prefix": found.prefix,
        },
        "metrics": metrics,
        "lesson": lesson,
        "lesson_classifier_sha256": classifier_record["sha256"],
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
    if beta is not None:
        info["beta"] = beta
    _write(out, shipped, with_shipped, (images, labels), model, info, atlas, variant)
    seconds["write"] = time.perf_counter() - clock
    return ImportResult(out, variant.name, metrics, seconds)


def _checked_name(name: str | None) -> str:
    name = DEFAULT_NAME if name is None else name
    if not IMPORTED_NAME.fullmatch(name):
        raise ImportRefused(
            f"--name {name[:40]!r}",
            "a short word: a lower-case letter, then up to 15 lower-case letters or digits, not starting 'beta' "
            "(the page's links name the model z<latent>-<name>)",
            "",
        )
    return name


def _label(name: str, beta: float | None) -> str:
    """What the page calls the model: 'your model' (beta unknown), 'your model, β = 4', 'your model b4, β = 4'."""
    label = "your model" if name == DEFAULT_NAME else f"your model {name}"
    return label if beta is None else f"{label}, β = {beta:g}"


def _printable(text: str) -> str:
    kept = "".join(c if c.isprintable() else "?" for c in text)
    return kept if len(kept) <= 60 else kept[:59] + "…"


def _check_out(out: Path, variant: Variant, replace: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ImportRefused(f"--out {out} is a file", "a folder (new, or one a previous import wrote)", "")
    if out.is_dir() and any(out.iterdir()) and not any(out.glob("vae-*.safetensors")):
        raise ImportRefused(
            f"--out {out} holding files but no model", "a new folder, or one that import_vae.py or train.py wrote", ""
        )
    if variant.checkpoint_path(out).exists() and not replace:
        raise ImportRefused(
            f"{out} already holding {variant.name}",
            "a name of its own for each model of a family",
            "Pass --name NAME to put this model beside it, or --replace to replace it.",
        )


def _test_digits(data_root: str | None, shipped: Path) -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 MNIST test digits (uint8): from MNIST under data_root, or the shipped copy the atlases index."""
    from vae.atlas import load_test_set

    if data_root is None:
        return load_test_set(shipped / TEST_SET_FILE)
    from training.data import load_mnist

    test = load_mnist(data_root, train=False)
    return test.images.numpy(), test.labels.numpy().astype(np.uint8)


def _measure(model, classifier, x) -> tuple[dict, np.ndarray, np.ndarray, dict]:
    from training.lesson_metrics import lesson_table
    from training.metrics import active_units, elbo_metrics, encode_all

    metrics = elbo_metrics(model, x, seed=0)
    mu, logvar = encode_all(model, x)
    metrics["active_units"] = active_units(mu)
    metrics["test_digits"] = len(x)
    if len(x) > 1000:  # evaluate.py re-checks this one quickly and exactly
        metrics["neg_elbo_first_1000"] = elbo_metrics(model, x[:1000], seed=0)["neg_elbo"]
    lesson = lesson_table(model, classifier, mu.numpy())
    return metrics, mu.numpy(), logvar.numpy(), lesson


def _write(out: Path, shipped: Path, with_shipped: bool, test_set, model, info, atlas, variant) -> None:
    """Everything into a folder beside `out`, checked as the page loads it, then renamed into place."""
    from training.atlas import save_atlas, save_test_set
    from training.card import write_model_card
    from training.checkpoint import save_checkpoint
    from vae.atlas import load_test_set
    from vae.family import load_family

    images, labels = test_set
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{out.name}.import-{secrets.token_hex(4)}"
    staging.mkdir()  # with the user's umask, unlike mkdtemp's 0700
    old = None
    try:
        if out.is_dir():
            for path in out.iterdir():
                if path.is_file():
                    shutil.copy2(path, staging / path.name)
        if with_shipped:
            for path in shipped.iterdir():
                if path.is_file() and path.name != "README.md" and not (staging / path.name).exists():
                    shutil.copy2(path, staging / path.name)
        if not (staging / CLASSIFIER_FILE).exists():
            shutil.copy2(shipped / CLASSIFIER_FILE, staging / CLASSIFIER_FILE)
        if (staging / TEST_SET_FILE).exists():
            held, held_labels = load_test_set(staging / TEST_SET_FILE)
            if not (np.array_equal(held, images) and np.array_equal(held_labels, labels)):
                raise ImportRefused(
                    f"{out / TEST_SET_FILE} holding other test digits than the ones measured",
                    "one test set per folder (its atlases index it)",
                    "Import into a new --out, or leave out --data-root.",
                )
        elif (shipped / TEST_SET_FILE).exists() and np.array_equal(load_test_set(shipped / TEST_SET_FILE)[0], images):
            shutil.copy2(shipped / TEST_SET_FILE, staging / TEST_SET_FILE)
        else:
            save_test_set(staging / TEST_SET_FILE, images, labels)
        save_checkpoint(variant.checkpoint_path(staging), model, "vae", info)
        save_atlas(variant.atlas_path(staging), atlas)
        write_model_card(staging)
        load_family(staging)  # what the page does at start: every file verified, every model built
        if out.exists():
            old = parent / f".{out.name}.replaced-{secrets.token_hex(4)}"
            old.mkdir()
            out.rename(old / out.name)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not out.exists():
            (old / out.name).rename(out)  # put back what was there
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
