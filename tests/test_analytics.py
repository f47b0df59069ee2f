"""Path analytics: step sizes, prior density and classifier readings per frame."""

import numpy as np
import pytest
import torch

from conftest import numpy_model
from training.classifier import DigitClassifier, accuracy, class_probabilities
from vae.analytics import analyse_path, log_prior
from vae.config import ClassifierConfig


def test_log_prior_is_the_standard_normal_density():
    codes = np.array([[0.0, 0.0], [1.0, -1.0]])
    assert np.allclose(log_prior(codes), [-np.log(2 * np.pi), -1 - np.log(2 * np.pi)])


def test_steps_measure_pixel_change_between_frames():
    frames = np.zeros((3, 28, 28), dtype=np.float32)
    frames[1:, 0, :4] = 1.0  # 4 pixels switch on, then stay on
    analytics = analyse_path(np.zeros((3, 2), np.float32), frames)
    assert np.allclose(analytics.step, [0.0, 2.0, 0.0]) and analytics.probabilities is None


def test_classifier_probabilities_are_distributions():
    torch.manual_seed(0)
    model = DigitClassifier(ClassifierConfig(channels=(4, 8), hidden_size=16)).eval()
    frames = np.random.default_rng(0).random((5, 28, 28)).astype(np.float32)
    analytics = analyse_path(np.zeros((5, 3), np.float32), frames, numpy_model(model))
    assert analytics.probabilities.shape == (5, 10)
    assert np.allclose(analytics.probabilities.sum(1), 1.0, atol=1e-5)
    assert np.array_equal(analytics.predicted, class_probabilities(model, frames).argmax(1))


def test_shipped_classifier_reads_mnist():
    from conftest import WEIGHTS
    from training.checkpoint import load_checkpoint
    from vae.atlas import load_test_set

    model, record = load_checkpoint(WEIGHTS / "classifier.safetensors")
    assert record["info"]["metrics"]["test_accuracy"] >= 0.99 and record["info"]["metrics"]["test_digits"] == 10_000
    images, labels = load_test_set(WEIGHTS / "mnist-test.npz")  # all 10,000: about a second on the CPU
    x = torch.from_numpy(images).reshape(-1, 784).float() / 255
    again = accuracy(model, x, torch.from_numpy(labels).long())
    assert again >= 0.99 and again == pytest.approx(record["info"]["metrics"]["test_accuracy"], abs=1e-4)
