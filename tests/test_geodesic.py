"""Geodesic paths: never worse than the straight line, endpoints untouched, equal decoded steps, and a
hand-written gradient that matches finite differences (tests/test_inference.py checks it against autograd)."""

import numpy as np
import pytest

from vae.config import VAEConfig, parameter_shapes
from vae.geodesic import curve_energy_and_length, energy_and_gradient, geodesic_path
from vae.inference import NumpyVAE


def random_vae(hidden: int, latent: int, seed: int, decoder_gain: float = 1.0) -> NumpyVAE:
    """A small random numpy VAE (torch's default init scale, 1/sqrt(fan_in))."""
    rng = np.random.default_rng(seed)
    config = VAEConfig(hidden_size=hidden, latent_size=latent)
    arrays = {}
    for name, shape in parameter_shapes(config).items():
        fan_in = shape[1] if len(shape) == 2 else shape[0]
        arrays[name] = (rng.uniform(-1, 1, shape) / np.sqrt(fan_in)).astype(np.float32)
    arrays["fc3.weight"] *= decoder_gain
    return NumpyVAE(arrays, config)


@pytest.fixture(scope="module")
def curvy_model():
    """A small random decoder: curved enough that the straight line is not already optimal."""
    return random_vae(hidden=64, latent=4, seed=3, decoder_gain=4.0)


A, B = np.array([-2.0, 1.0, 0.5, 0.0], np.float32), np.array([2.0, -1.0, 0.0, 1.0], np.float32)


def test_energy_never_exceeds_the_linear_path(curvy_model):
    codes, report = geodesic_path(curvy_model, A, B, frames=12, points=16)
    assert codes.shape == (12, 4) and codes.dtype == np.float32
    assert np.array_equal(codes[0], A) and np.array_equal(codes[-1], B)
    assert report.energy <= report.linear_energy
    assert report.energy_ratio < 0.99  # it found a real improvement on this curved decoder
    assert 1 <= report.steps <= 400


def test_frames_are_equally_spaced_in_pixels(curvy_model):
    codes, _ = geodesic_path(curvy_model, A, B, frames=10, points=16)
    images = curvy_model.decode(codes)
    steps = np.linalg.norm(np.diff(images, axis=0), axis=1)
    assert steps.std() / steps.mean() < 0.15


def test_same_endpoints_give_bit_identical_paths(curvy_model):
    first, _ = geodesic_path(curvy_model, A, B, frames=10)
    again, _ = geodesic_path(curvy_model, A, B, frames=10)
    assert first.tobytes() == again.tobytes()


def test_energy_and_length_of_a_straight_decoder_line():
    class Identity:
        def decode(self, z):
            return z

    energy, length = curve_energy_and_length(Identity(), np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]], np.float32))
    assert energy == pytest.approx(50.0) and length == pytest.approx(10.0)


def test_gradient_matches_finite_differences():
    model = random_vae(hidden=32, latent=3, seed=1, decoder_gain=3.0)
    curve = np.random.default_rng(2).normal(size=(6, 3)).astype(np.float32)
    energy, gradient = energy_and_gradient(model, curve)
    assert energy == pytest.approx(curve_energy_and_length(model, curve)[0], rel=1e-6)

    def energy64(c: np.ndarray) -> float:  # the same energy in float64, for clean central differences
        hidden = np.maximum(c @ model.w3.astype(np.float64) + model.b3, 0)
        x = 1 / (1 + np.exp(-(hidden @ model.w4.astype(np.float64) + model.b4)))
        return float((np.diff(x, axis=0) ** 2).sum())

    h = 1e-5
    numeric = np.zeros_like(curve, dtype=np.float64)
    for index in np.ndindex(curve.shape):
        up, down = curve.astype(np.float64), curve.astype(np.float64)
        up[index] += h
        down[index] -= h
        numeric[index] = (energy64(up) - energy64(down)) / (2 * h)
    assert np.abs(gradient - numeric).max() <= 1e-4 * np.abs(numeric).max()


def test_a_geodesic_is_graded_against_the_measured_ratios_of_random_pairs():
    from vae.geodesic import grade

    measured = {"p10": 0.6, "p90": 0.9}
    assert grade(1.0, measured) == grade(1.3, measured) == "no better"  # the line was as good or better
    assert grade(0.59, measured) == "real detour"
    assert grade(0.91, measured) == "nearly straight"
    assert grade(0.6, measured) == grade(0.9, measured) == grade(0.75, measured) == "ordinary bend"
    assert grade(0.5, {}) is None  # no measured distribution, no verdict
