"""Shared fixtures: the repo root, the offline MNIST folder, tiny models."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.model import VAE, VAEConfig  # noqa: E402

# Here MNIST sits beside the project (../shared/data); elsewhere point LATENT_EXPLORER_DATA at it.
DATA_ROOT = Path(os.environ.get("LATENT_EXPLORER_DATA", ROOT.parent / "shared" / "data"))
WEIGHTS = Path(os.environ.get("LATENT_EXPLORER_WEIGHTS", ROOT / "weights"))


@pytest.fixture
def tiny_vae() -> VAE:
    torch.manual_seed(0)
    return VAE(VAEConfig(input_size=784, hidden_size=16, latent_size=3, beta=2.0))


@pytest.fixture(scope="session")
def data_root() -> Path:
    """MNIST in torchvision's layout: beside the project here, else downloaded once by torchvision."""
    if (DATA_ROOT / "MNIST" / "raw" / "train-images-idx3-ubyte").exists():
        return DATA_ROOT
    cache = Path.home() / ".cache" / "latent-explorer"
    try:
        from training.data import load_mnist

        load_mnist(str(cache), train=True, download=True)
        load_mnist(str(cache), train=False, download=True)
    except Exception as error:  # no internet: say where the files are expected
        pytest.fail(
            f"MNIST not found under {DATA_ROOT}/MNIST/raw and could not be downloaded ({error}); "
            "set LATENT_EXPLORER_DATA to a folder holding MNIST/raw"
        )
    return cache


@pytest.fixture(scope="session")
def tutorial_vae(data_root, tmp_path_factory):
    """pytorch/examples' VAE trained once a session (harness/tutorial_vae.py), saved as .safetensors and .pth."""
    from harness.tutorial_vae import save, train

    return save(train(data_root), tmp_path_factory.mktemp("tutorial"))


@pytest.fixture(scope="module")
def server():
    """`streamlit run app.py` on a free loopback port, for one test module (harness/browser.py)."""
    from harness.browser import streamlit_server

    with streamlit_server() as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium for one test module; a module that uses it calls require_chromium() first."""
    from playwright.sync_api import sync_playwright

    from harness.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site():
    """The static site (harness/browser.py static_site) on a loopback port, for one test module; its URL."""
    from harness.browser import require_chromium, static_site

    require_chromium()
    with static_site() as url:
        yield url


@pytest.fixture(scope="module", params=["static", "streamlit"])
def host(request, site):
    """Each host of the viewer in turn, as (its URL, the function that opens a page of it and waits)."""
    from harness.browser import goto_app, goto_static

    if request.param == "static":
        return site, goto_static
    return request.getfixturevalue("server").url, goto_app


def numpy_model(module):
    """The page's numpy model (vae/inference.py) of a torch VAE or classifier: the one place tests convert."""
    import numpy as np

    from vae.config import VAEConfig
    from vae.inference import NumpyClassifier, NumpyVAE

    arrays = {name: t.detach().cpu().numpy().astype(np.float32) for name, t in module.state_dict().items()}
    kind = NumpyVAE if isinstance(module.config, VAEConfig) else NumpyClassifier
    return kind(arrays, module.config, f"<{type(module).__name__}>")
