"""The page's runtime: the VAE and the digit classifier in plain numpy, read from the same safetensors.

torch trains the models (training/model.py, training/classifier.py); the page only runs them forward
(plus one hand-written gradient, in vae/geodesic.py), so it needs numpy alone: no 1-2 GB
install, no 2 s import, no thread pool whose size changes the frames.

    NumpyVAE.encode(images) -> (mu, logvar)   images (B, 28, 28) or (B, 784) in [0, 1]; q(z|x) = N(mu, exp(logvar))
    NumpyVAE.decode(z) -> (B, 28, 28)          pixel means in [0, 1] of codes z (B, latent)
    NumpyClassifier.probabilities(images) -> (B, 10)   softmax of the CNN's logits

Everything is float32, like the torch modules. Every forward pass runs its products on one
OpenBLAS thread (`one_blas_thread`): with two threads OpenBLAS blocks a product differently
and the frames change in their last bits (measured: 8 or more rows differ), so the same codes
give bit-identical frames whatever thread count the process or the host has;
tests/test_determinism.py holds that. One thread is also the faster choice for products this small.

Building a model validates its checkpoint field by field and raises CheckpointError
naming the file and the field, so a tampered file fails when the family loads.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .checkpoint import CheckpointError, classifier_config, vae_config
from .config import ClassifierConfig, VAEConfig, classifier_shapes, parameter_shapes


def _float32_arrays(path, arrays: dict, expected: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """The named tensors as float32, checked against the shapes the config implies."""
    for name, shape in expected.items():
        if name not in arrays:
            raise CheckpointError(path, f"tensor {name!r} is missing")
        if tuple(arrays[name].shape) != shape:
            raise CheckpointError(
                path, f"tensor {name!r} has shape {tuple(arrays[name].shape)}, the config implies {shape}"
            )
        if arrays[name].dtype != np.float32:
            raise CheckpointError(path, f"tensor {name!r} is {arrays[name].dtype}, expected float32")
        if not np.isfinite(arrays[name]).all():
            raise CheckpointError(path, f"tensor {name!r} holds NaN or infinite values")
    extra = sorted(set(arrays) - set(expected))
    if extra:
        raise CheckpointError(path, f"unexpected tensors {extra[:4]}")
    return {name: np.ascontiguousarray(arrays[name], dtype=np.float32) for name in expected}


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0, out=x)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), without overflow warnings for very negative logits."""
    out = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + out), out / (1.0 + out)).astype(np.float32, copy=False)


_blas_libraries: list | None = None  # threadpoolctl's handles on the BLAS libraries numpy loaded


@contextmanager
def one_blas_thread():
    """Runs the block (or, as a decorator, the function) with every BLAS library on one thread,
    then puts the previous thread counts back. About 10 us per entry.

    Process-wide, like BLAS's own setting: the page also calls limit_blas_threads() once, so
    concurrent sessions only ever restore 1 and never switch a neighbour's product to 2 threads."""
    global _blas_libraries
    if _blas_libraries is None:
        from threadpoolctl import ThreadpoolController

        _blas_libraries = ThreadpoolController().select(user_api="blas").lib_controllers
    before = [library.get_num_threads() for library in _blas_libraries]
    for library, threads in zip(_blas_libraries, before, strict=True):
        if threads != 1:
            library.set_num_threads(1)
    try:
        yield
    finally:
        for library, threads in zip(_blas_libraries, before, strict=True):
            if threads != 1:
                library.set_num_threads(threads)


class NumpyVAE:
    """The VAE of training/model.py, forward only: 784 -> hidden (ReLU) -> (mu, logvar); z -> hidden (ReLU) -> 784."""

    def __init__(self, arrays: dict[str, np.ndarray], config: VAEConfig, path: str | Path = "<arrays>"):
        self.config, self.path = config, Path(path)
        w = _float32_arrays(path, arrays, parameter_shapes(config))
        # Stored transposed and contiguous, so every product is a plain (B, in) @ (in, out).
        self.w1, self.b1 = np.ascontiguousarray(w["fc1.weight"].T), w["fc1.bias"]
        self.w_mu, self.b_mu = np.ascontiguousarray(w["fc_mu.weight"].T), w["fc_mu.bias"]
        self.w_logvar, self.b_logvar = np.ascontiguousarray(w["fc_logvar.weight"].T), w["fc_logvar.bias"]
        self.w3, self.b3 = np.ascontiguousarray(w["fc3.weight"].T), w["fc3.bias"]
        self.w4, self.b4 = np.ascontiguousarray(w["fc4.weight"].T), w["fc4.bias"]

    @property
    def latent_size(self) -> int:
        return self.config.latent_size

    @one_blas_thread()
    def encode(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mu, logvar), each (B, latent), of images x (B, 784) or (B, 28, 28) in [0, 1]."""
        x = np.asarray(x, dtype=np.float32).reshape(-1, self.config.input_size)
        h = _relu(x @ self.w1 + self.b1)  # (B, hidden)
        return h @ self.w_mu + self.b_mu, h @ self.w_logvar + self.b_logvar

    def decode_hidden(self, z: np.ndarray) -> np.ndarray:
        """Pre-activation of the decoder's hidden layer (B, hidden); the geodesic's gradient needs it."""
        return np.asarray(z, dtype=np.float32).reshape(-1, self.config.latent_size) @ self.w3 + self.b3

    @one_blas_thread()
    def decode_logits(self, z: np.ndarray) -> np.ndarray:
        return _relu(self.decode_hidden(z)) @ self.w4 + self.b4  # (B, 784)

    def decode(self, z: np.ndarray) -> np.ndarray:
        """Pixel means (B, 28, 28) float32 in [0, 1] of codes z (B, latent)."""
        return sigmoid(self.decode_logits(z)).reshape(-1, 28, 28)


class NumpyClassifier:
    """The CNN of training/classifier.py in eval mode: two 3x3 conv + ReLU + 2x2 max-pool blocks, then 2 linears."""

    def __init__(self, arrays: dict[str, np.ndarray], config: ClassifierConfig, path: str | Path = "<arrays>"):
        self.config, self.path = config, Path(path)
        w = _float32_arrays(path, arrays, classifier_shapes(config))
        c1, c2 = config.channels
        # Conv kernels as (3*3*in, out) matrices whose rows follow the patch layout of _patches.
        self.k1 = np.ascontiguousarray(w["conv1.weight"].transpose(2, 3, 1, 0).reshape(9, c1))
        self.k2 = np.ascontiguousarray(w["conv2.weight"].transpose(2, 3, 1, 0).reshape(9 * c1, c2))
        self.b1, self.b2 = w["conv1.bias"], w["conv2.bias"]
        # torch flattens (c2, 7, 7); the activations here are (7, 7, c2), so permute fc1's columns once.
        fc1 = w["fc1.weight"].reshape(config.hidden_size, c2, 7, 7).transpose(0, 2, 3, 1)
        self.w_fc1 = np.ascontiguousarray(fc1.reshape(config.hidden_size, -1).T)
        self.b_fc1 = w["fc1.bias"]
        self.w_fc2, self.b_fc2 = np.ascontiguousarray(w["fc2.weight"].T), w["fc2.bias"]

    @one_blas_thread()
    def logits(self, images: np.ndarray) -> np.ndarray:
        """(B, 10) logits of images (B, 28, 28) or (B, 784) in [0, 1]."""
        x = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28, 1)  # (B, H, W, C)
        x = _pool(_relu(_conv3x3(x, self.k1, self.b1)))  # (B, 14, 14, c1)
        x = _pool(_relu(_conv3x3(x, self.k2, self.b2)))  # (B, 7, 7, c2)
        x = _relu(x.reshape(len(x), -1) @ self.w_fc1 + self.b_fc1)  # (B, hidden); dropout is off in eval
        return x @ self.w_fc2 + self.b_fc2

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """(B, 10) softmax probabilities."""
        logits = self.logits(images)
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    __call__ = logits


def _conv3x3(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """'Same' 3x3 convolution (cross-correlation, as torch's Conv2d) of (B, H, W, C) as one matrix product."""
    b, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    patches = np.empty((b, h, w, 3, 3, c), dtype=np.float32)  # (B, H, W, kh, kw, C)
    for i in range(3):
        for j in range(3):
            patches[:, :, :, i, j, :] = padded[:, i : i + h, j : j + w, :]
    return (patches.reshape(b * h * w, 9 * c) @ kernel + bias).reshape(b, h, w, -1)


def _pool(x: np.ndarray) -> np.ndarray:
    """2x2 max-pool, stride 2, of (B, H, W, C) with even H and W."""
    # Four strided views and three elementwise maxima: exact, and ~4x faster than reshape + max(axis=(2, 4)).
    return np.maximum(np.maximum(x[:, 0::2, 0::2], x[:, 0::2, 1::2]), np.maximum(x[:, 1::2, 0::2], x[:, 1::2, 1::2]))


def load_vae(path: str | Path, arrays: dict[str, np.ndarray], record: dict) -> NumpyVAE:
    """A NumpyVAE from a verified checkpoint's tensors and record (vae.checkpoint.read_checkpoint)."""
    return NumpyVAE(arrays, vae_config(path, record.get("config")), path)


def load_classifier(path: str | Path, arrays: dict[str, np.ndarray], record: dict) -> NumpyClassifier:
    return NumpyClassifier(arrays, classifier_config(path, record.get("config")), path)


def limit_blas_threads() -> None:
    """One BLAS thread per product, for the whole process (what the page wants).

    The products here are tiny ((16, 400) @ (400, 784) per morph), so waking a second OpenBLAS
    thread costs more than it saves: on the 2-core development machine shared with a browser, a
    decode took 14 ms with 2 threads and 0.16 ms with 1. Sessions run side by side instead."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
