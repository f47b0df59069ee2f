"""The numpy runtime against torch, on every shipped model: decode within 1e-5, encode within 1e-5
(relative above 1), the classifier's
probabilities within 1e-4 with the same argmax, the geodesic's energy gradient within 1e-4 of autograd.
Also: a tampered config fails when the family loads, and the page's runtime never imports torch."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file, save_file

from conftest import ROOT, WEIGHTS
from training.checkpoint import load_checkpoint
from vae.checkpoint import METADATA_KEY, CheckpointError, read_checkpoint
from vae.family import CLASSIFIER_FILE, TEST_SET_FILE, load_family
from vae.geodesic import energy_and_gradient
from vae.inference import load_classifier, load_vae

VAE_FILES = sorted(WEIGHTS.glob("vae-*.safetensors"))


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    images = np.load(WEIGHTS / TEST_SET_FILE)["images"]
    return images[:: len(images) // 500].astype(np.float32) / 255.0  # 500 digits from across the test set


def both(path):
    """(torch module, numpy model) of one checkpoint."""
    arrays, record = read_checkpoint(path)
    module, _ = load_checkpoint(path)
    build = load_vae if record["kind"] == "vae" else load_classifier
    return module, build(path, arrays, record)


def test_every_shipped_model_is_checked():
    assert len(VAE_FILES) >= 7 and (WEIGHTS / CLASSIFIER_FILE).exists()


@pytest.mark.parametrize("path", VAE_FILES, ids=lambda p: p.stem)
def test_encode_and_decode_match_torch(path, digits):
    module, model = both(path)
    x = torch.from_numpy(digits.reshape(-1, 784))
    with torch.no_grad():
        mu, logvar = module.encode(x)
        codes = torch.cat([mu, torch.randn(200, mu.shape[1], generator=torch.Generator().manual_seed(0)) * 2])
        pixels = module.decode(codes)
    np_mu, np_logvar = model.encode(digits)
    # 1e-5, relative where the value is large: float32 sums of 784 products round differently in
    # OpenBLAS and torch (beta = 0's logvar reaches -60, where one float32 step is 4e-6).
    assert np.allclose(np_mu, mu.numpy(), rtol=1e-5, atol=1e-5)
    assert np.allclose(np_logvar, logvar.numpy(), rtol=1e-5, atol=1e-5)
    assert np.array_equal(model.encode(digits)[0], np_mu)  # the same digits, the same codes
    np_pixels = model.decode(codes.numpy())
    assert np_pixels.shape == (len(codes), 28, 28) and np_pixels.dtype == np.float32
    assert np.abs(np_pixels.reshape(len(codes), -1) - pixels.numpy()).max() <= 1e-5


def test_classifier_matches_torch(digits):
    module, model = both(WEIGHTS / CLASSIFIER_FILE)
    _, vae = both(VAE_FILES[0])
    smudges = vae.decode(np.random.default_rng(0).normal(size=(100, vae.latent_size)) * 3)  # not only clean digits
    images = np.concatenate([digits, smudges])
    with torch.no_grad():
        expected = torch.softmax(module(torch.from_numpy(images)), dim=1).numpy()
    probabilities = model.probabilities(images)
    assert probabilities.shape == (len(images), 10)
    assert np.abs(probabilities - expected).max() <= 1e-4
    assert np.array_equal(probabilities.argmax(1), expected.argmax(1))


@pytest.mark.parametrize("path", VAE_FILES, ids=lambda p: p.stem)
def test_geodesic_gradient_matches_autograd(path):
    module, model = both(path)
    atlas = np.load(WEIGHTS / path.name.replace("vae-", "atlas-").replace(".safetensors", ".npz"))
    a, b = atlas["mu"][3], atlas["mu"][7]
    t = np.linspace(0, 1, 16, dtype=np.float32)[:, None]
    wiggle = np.random.default_rng(0).normal(size=(16, len(a))).astype(np.float32) * 0.3
    curve = ((1 - t) * a + t * b + wiggle).astype(np.float32)  # a bent curve: the gradient is not trivial
    energy, gradient = energy_and_gradient(model, curve)

    z = torch.from_numpy(curve).requires_grad_(True)
    images = module.decode(z)
    expected_energy = (images[1:] - images[:-1]).pow(2).sum()
    expected_energy.backward()
    expected = z.grad.numpy()
    assert energy == pytest.approx(expected_energy.item(), rel=1e-5)
    assert np.abs(gradient - expected).max() <= 1e-4 * np.abs(expected).max()
    assert np.linalg.norm(gradient - expected) <= 1e-4 * np.linalg.norm(expected)


def _copy_weights(tmp_path):
    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    return folder


def _rewrite_config(path, **changes) -> None:
    """Edits a checkpoint's metadata config, keeping its tensors (so their checksum still matches)."""
    _, record = read_checkpoint(path)
    record["config"].update(changes)
    save_file(load_file(path), path, metadata={METADATA_KEY: json.dumps(record, sort_keys=True)})


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"channels": [32, "64"]}, "channels"),
        ({"hidden_size": -5}, "hidden_size"),
        ({"dropout": 3}, "dropout"),
        ({"extra": 1}, "extra"),
    ],
)
def test_tampered_classifier_config_fails_at_load(tmp_path, changes, field):
    folder = _copy_weights(tmp_path)
    _rewrite_config(folder / CLASSIFIER_FILE, **changes)
    with pytest.raises(CheckpointError, match=field) as caught:
        load_family(folder)
    assert caught.value.path.endswith(CLASSIFIER_FILE)


def test_tampered_vae_config_fails_at_load(tmp_path):
    folder = _copy_weights(tmp_path)
    _rewrite_config(folder / "vae-z20-beta2.safetensors", beta=-1.0)
    with pytest.raises(CheckpointError, match="beta") as caught:
        load_family(folder)
    assert caught.value.path.endswith("vae-z20-beta2.safetensors")


def test_non_float32_or_non_finite_tensors_are_refused():
    arrays, record = read_checkpoint(VAE_FILES[0])
    bad = dict(arrays, **{"fc4.bias": arrays["fc4.bias"].astype(np.float64)})
    with pytest.raises(CheckpointError, match=r"fc4\.bias"):
        load_vae("x.safetensors", bad, record)
    bad = dict(arrays, **{"fc3.weight": np.full_like(arrays["fc3.weight"], np.nan)})
    with pytest.raises(CheckpointError, match=r"fc3\.weight"):
        load_vae("x.safetensors", bad, record)


RUNTIME = """
import sys
sys.modules["torch"] = None  # any `import torch` now raises ImportError
sys.modules["torchvision"] = None
import numpy as np
from vae.family import load_family
from vae.paths import interpolate
from vae.geodesic import geodesic_path
from vae.analytics import analyse_path
from vae.traversals import traverse
from explorer.lesson_draws import prior_codes
import explorer.state, explorer.share, explorer.figures, explorer.images, explorer.charts
family = load_family()
for loaded in family.models.values():
    a, b = loaded.atlas.mu[3], loaded.atlas.mu[7]
    codes, _ = geodesic_path(loaded.model, a, b, 8, max_steps=20)
    frames = loaded.model.decode(codes)
    analyse_path(codes, frames, family.classifier)
    traverse(loaded.model, a)
    loaded.model.decode(prior_codes(0, loaded.variant.latent_size, 4))
    loaded.model.encode(frames)
print("ok", "sklearn" in sys.modules)
"""


def test_the_page_runtime_never_imports_torch():
    done = subprocess.run([sys.executable, "-c", RUNTIME], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ok", "False"]  # nor scikit-learn


PAGE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
for key, value in {"model": "z20-beta1", "method": "geodesic", "frames": "8", "a": "3", "b": "7"}.items():
    at.query_params[key] = value
at.run()
assert not at.exception and not at.error, (at.exception, at.error)
assert any('data-name="morph"' in element.proto.body for element in at.get("html")), "no morph"
at.session_state["latent_map"] = {"event": {"serial": 1, "type": "view", "model": "z20-beta1", "map": "pca",
                                             "method": "geodesic", "frames": 8, "compare": True, "backdrop": True}}
at.run()  # every beta's geodesic and its classifier heatmap
assert not at.exception and not at.error, (at.exception, at.error)
assert any('data-name="compare"' in element.proto.body for element in at.get("html")), "no compare rows"
print(" ".join(sorted(name for name in ("torch", "torchvision", "sklearn", "scipy") if name in sys.modules)))
"""


@pytest.mark.slow
def test_the_page_draws_a_geodesic_morph_without_importing_torch():
    """The real page (page.py in AppTest, in a fresh interpreter), opened on a shared geodesic morph, then
    compare mode switched on (the traversals and prior samples are drawn by the viewer)."""
    done = subprocess.run(
        [sys.executable, "-c", PAGE, str(ROOT / "page.py")], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == ""  # none of torch, torchvision, scikit-learn or scipy was imported
