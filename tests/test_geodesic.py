"""Geodesic paths: never worse than the straight line, endpoints untouched, equal decoded steps."""
import numpy as np
import pytest
import torch

from vae.geodesic import curve_energy_and_length, geodesic_path
from vae.model import VAE, VAEConfig


@pytest.fixture(scope="module")
def curvy_model():
    """A small random decoder: curved enough that the straight line is not already optimal."""
    torch.manual_seed(3)
    model = VAE(VAEConfig(hidden_size=64, latent_size=4)).eval()
    with torch.no_grad():
        model.fc3.weight.mul_(4.0)
    return model


def test_energy_never_exceeds_the_linear_path(curvy_model):
    a, b = np.array([-2.0, 1.0, 0.5, 0.0], np.float32), np.array([2.0, -1.0, 0.0, 1.0], np.float32)
    codes, report = geodesic_path(curvy_model, a, b, frames=12, points=16)
    assert codes.shape == (12, 4)
    assert np.array_equal(codes[0], a) and np.array_equal(codes[-1], b)
    assert report.energy <= report.linear_energy
    assert report.energy_ratio < 0.99  # it found a real improvement on this curved decoder


def test_frames_are_equally_spaced_in_pixels(curvy_model):
    a, b = np.array([-2.0, 1.0, 0.5, 0.0], np.float32), np.array([2.0, -1.0, 0.0, 1.0], np.float32)
    codes, _ = geodesic_path(curvy_model, a, b, frames=10, points=16)
    with torch.no_grad():
        images = curvy_model.decode(torch.from_numpy(codes))
    steps = (images[1:] - images[:-1]).norm(dim=1).numpy()
    assert steps.std() / steps.mean() < 0.15


def test_energy_and_length_of_a_straight_decoder_line():
    class Identity(torch.nn.Module):
        def decode(self, z):
            return z

    energy, length = curve_energy_and_length(Identity(), torch.tensor([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]]))
    assert energy.item() == pytest.approx(50.0) and length.item() == pytest.approx(10.0)
