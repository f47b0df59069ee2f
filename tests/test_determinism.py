"""The same URL gives the same frames, bit for bit, whatever the BLAS thread count, the order in which
sessions asked for paths, or whether compare mode computed every beta first.

The page's runtime is numpy (vae/inference.py). A bare OpenBLAS product of 8 or more rows changes in
its last bits between 1 and 2 threads (the last test shows it), so every forward pass runs on one
BLAS thread whatever the process was set to. These tests hold that on the shipped models, with
products large enough that OpenBLAS would use its second thread (500 digits encoded, a 180-frame
traversal grid)."""

import hashlib

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from conftest import WEIGHTS
from explorer.lesson_draws import prior_codes
from vae.analytics import analyse_path
from vae.family import load_family
from vae.geodesic import geodesic_path
from vae.paths import interpolate
from vae.traversals import traverse

PAIRS = ((3, 7), (10, 2000))


@pytest.fixture(scope="module")
def family():
    return load_family(WEIGHTS)


def digest(*arrays: np.ndarray) -> str:
    h = hashlib.sha256()
    for array in arrays:
        h.update(np.ascontiguousarray(array).tobytes())
    return h.hexdigest()


def morph(family, name: str, pair: tuple[int, int], method: str, frames: int = 16) -> str:
    """What the page shows for one view: codes, frames and the classifier's reading, hashed."""
    loaded = family.models[name]
    a, b = loaded.atlas.mu[pair[0]], loaded.atlas.mu[pair[1]]
    if method == "geodesic":
        codes, _ = geodesic_path(loaded.model, a, b, frames, points=16)
    else:
        codes = interpolate(a, b, frames, method)
    images = loaded.model.decode(codes)
    analytics = analyse_path(codes, images, family.classifier)
    return digest(codes, images, analytics.step, analytics.probabilities)


def everything(family) -> dict[str, str]:
    """Every morph of PAIRS under every model and method, plus the big products of "Inside the model"."""
    digits = family.images[::20].astype(np.float32) / 255.0  # (500, 28, 28)
    hashes = {}
    for name, loaded in family.models.items():
        for pair in PAIRS:
            for method in ("linear", "spherical", "geodesic"):
                if method != "geodesic" or pair == PAIRS[0]:  # one geodesic per model keeps this under a minute
                    hashes[name, pair, method] = morph(family, name, pair, method)
        hashes[name, "inside"] = digest(
            loaded.model.encode(digits),
            traverse(loaded.model, loaded.atlas.mu[3]),
            loaded.model.decode(prior_codes(1, loaded.variant.latent_size, 64)),
        )
    return hashes


def blas_threads() -> int:
    return max(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


@pytest.mark.slow
def test_frames_are_bit_identical_under_one_and_two_blas_threads(family):
    with threadpool_limits(1, user_api="blas"):
        assert blas_threads() == 1
        one = everything(family)
    with threadpool_limits(2, user_api="blas"):
        if blas_threads() < 2:
            pytest.skip("this machine gives OpenBLAS a single thread")
        two = everything(family)
    assert one.keys() == two.keys()
    assert [key for key in one if one[key] != two[key]] == []


def test_session_order_and_compare_mode_do_not_change_a_morph(family):
    name, pair = "z20-beta1", PAIRS[0]
    alone = morph(family, name, pair, "geodesic")
    for other in reversed(list(family.models)):  # compare mode: every beta's path first, in another order
        morph(family, other, PAIRS[1], "geodesic")
        morph(family, other, pair, "spherical")
    assert morph(family, name, pair, "geodesic") == alone


def test_without_the_guard_two_blas_threads_do_change_the_bits(family):
    """Why the guard exists: the same product, bare, under 1 and under 2 threads."""
    model = family.models["z20-beta1"].model
    digits = family.images[:500].reshape(500, -1).astype(np.float32) / 255.0
    with threadpool_limits(1, user_api="blas"):
        one = digits @ model.w1
    with threadpool_limits(2, user_api="blas"):
        if blas_threads() < 2:
            pytest.skip("this machine gives OpenBLAS a single thread")
        two = digits @ model.w1
        guarded = model.encode(digits)[0]
        assert blas_threads() == 2  # the guard put the process's setting back
    if one.tobytes() == two.tobytes():
        pytest.skip("this OpenBLAS gives the same bits under 1 and 2 threads: the guard is not needed here")
    with threadpool_limits(1, user_api="blas"):
        assert model.encode(digits)[0].tobytes() == guarded.tobytes()
