"""Interpolation paths: exact endpoints, sensible shapes and norm profiles."""

import numpy as np
import pytest

from vae.paths import interpolate


@pytest.mark.parametrize("method", ["linear", "spherical"])
def test_endpoints_are_exact(method):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=20).astype(np.float32), rng.normal(size=20).astype(np.float32)
    path = interpolate(a, b, 9, method)
    assert path.shape == (9, 20)
    assert np.array_equal(path[0], a) and np.array_equal(path[-1], b)


def test_linear_is_evenly_spaced():
    path = interpolate(np.zeros(3), np.array([3.0, 0, 0]), 4, "linear")
    assert np.allclose(path[:, 0], [0, 1, 2, 3])


def test_spherical_keeps_the_norm_profile():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=20), rng.normal(size=20)
    a *= 4.0 / np.linalg.norm(a)
    b *= 5.0 / np.linalg.norm(b)
    spherical = np.linalg.norm(interpolate(a, b, 11, "spherical"), axis=1)
    linear = np.linalg.norm(interpolate(a, b, 11, "linear"), axis=1)
    assert np.allclose(spherical, np.linspace(4.0, 5.0, 11), atol=1e-5)
    assert linear[5] < 4.0 - 0.5  # linear dips into the low-density middle


def test_spherical_on_equal_norms_stays_on_the_sphere():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    path = interpolate(a, b, 5, "spherical")
    assert np.allclose(np.linalg.norm(path, axis=1), 1.0, atol=1e-6)
    assert np.allclose(path[2], [np.sqrt(0.5), np.sqrt(0.5)], atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError):
        interpolate(np.zeros(2), np.ones(2), 1)
    with pytest.raises(ValueError):
        interpolate(np.zeros(2), np.ones(2), 5, "teleport")


def test_geodesic_is_not_a_plain_interpolation():
    with pytest.raises(ValueError, match="decoder"):
        interpolate(np.zeros(2), np.ones(2), 5, "geodesic")
