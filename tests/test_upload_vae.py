"""The in-page upload of a visitor's VAE (issue 26, item 3): viewer/core/safetensors.js and statedict.js against
vae/foreign.py, fitPca against scikit-learn, and the whole path in Chromium on both hosts.

    python -m pytest tests/test_upload_vae.py -x -q            # the browser tests are marked slow, browser

The reader's property tests run the same generated files through the JS (node, harness/node.py Bridge) and the
Python: both refuse, or both read the same float32 tensors and the same VAE. The browser tests train
pytorch/examples' VAE as written there and save it as a tutorial reader would
(`safetensors.torch.save_file(model.state_dict(), ...)`: harness/tutorial_vae.py, once a session through
tests/conftest.py `tutorial_vae`), drop the file on the page's upload control, and hold the page's codes and
frames to numpy's.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.numpy import save as save_safetensors_bytes

from harness.browser import ROOT
from harness.node import Bridge
from harness.safetensors_files import HOSTILE_ENTRY, header_file, saved
from vae import foreign
from vae.foreign import ImportRefused, read_safetensors, vae_from_state_dict

READER = "tests/js/upload_bridge.js"
LIMITS = {  # the viewer's module that defines each
    "MAX_UPLOAD_BYTES": "safetensors",
    "MAX_HEADER_BYTES": "safetensors",
    "MAX_TENSORS": "safetensors",
    "MAX_HIDDEN": "statedict",
    "MAX_LATENT": "statedict",
    "CONVERT": "refusal",
    "EXPECTED_MLP": "statedict",
}


@pytest.fixture(scope="module")
def node():
    bridge = Bridge()
    yield bridge
    bridge.close()


def b64(blob: bytes) -> str:
    return base64.b64encode(blob).decode("ascii")


def python_read(blob: bytes) -> dict:
    try:
        return {"value": read_safetensors(blob)}
    except ImportRefused as refusal:
        return {"refused": str(refusal)}


def python_vae(blob: bytes) -> dict:
    try:
        return {"value": vae_from_state_dict(read_safetensors(blob))}
    except ImportRefused as refusal:
        return {"refused": str(refusal)}


def test_the_bounds_and_the_advice_are_vae_foreign_s(node):
    for name, module in LIMITS.items():
        assert node({"module": f"viewer/core/{module}.js", "get": name}) == getattr(foreign, name), name
    assert sorted(node({"module": "viewer/core/tensorbytes.js", "get": "DTYPES"})) == sorted(foreign.DTYPES)


def assert_same_read(node, blob: bytes):
    theirs, ours = node.call(READER, "read", b64(blob)), python_read(blob)
    assert ("refused" in theirs) == ("refused" in ours), (theirs, ours)
    if "value" in ours:
        assert set(theirs["value"]) == set(ours["value"])
        for name, array in ours["value"].items():
            assert theirs["value"][name]["shape"] == list(array.shape)
            data = np.array([np.nan if v is None else v for v in theirs["value"][name]["data"]], dtype=np.float32)
            np.testing.assert_array_equal(data, array.reshape(-1))


SHAPES = st.lists(st.integers(0, 5), min_size=0, max_size=3).map(tuple)
TENSORS = st.dictionaries(
    st.text("abcdefghij.0123456789_", min_size=1, max_size=12),
    st.tuples(SHAPES, st.sampled_from(["<f4", "<f2", "<f8"])),
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TENSORS, st.integers(0, 2**32 - 1))
def test_what_safetensors_writes_is_read_alike(node, tensors, seed):
    rng = np.random.default_rng(seed)
    arrays = {name: rng.standard_normal(shape).astype(dtype) for name, (shape, dtype) in tensors.items()}
    assert_same_read(node, saved(arrays))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_alike(node, blob):
    assert_same_read(node, blob)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), HOSTILE_ENTRY, max_size=4), st.binary(max_size=256))
def test_hostile_headers_are_refused_alike(node, header, data):
    """Huge shapes, offsets past the end, overlaps, unknown dtypes: refused from the header by both, or read alike."""
    assert_same_read(node, header_file(header, data))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hidden=st.integers(1, 12),
    latent=st.integers(1, 5),
    naming=st.sampled_from(["fc21", "fc_mu"]),
    prefix=st.sampled_from(["", "module.", "_orig_mod."]),
    dtype=st.sampled_from(["<f4", "<f2"]),
    change=st.sampled_from([None, "drop", "reshape", "nan", "extra", "conv", "both names"]),
    seed=st.integers(0, 2**16),
)
def test_any_vae_of_the_tutorial_s_shape_is_taken_or_refused_alike(
    node, hidden, latent, naming, prefix, dtype, change, seed
):
    rng = np.random.default_rng(seed)
    mu, logvar = ("fc21", "fc22") if naming == "fc21" else ("fc_mu", "fc_logvar")
    shapes = {
        "fc1.weight": (hidden, 784),
        "fc1.bias": (hidden,),
        f"{mu}.weight": (latent, hidden),
        f"{mu}.bias": (latent,),
        f"{logvar}.weight": (latent, hidden),
        f"{logvar}.bias": (latent,),
        "fc3.weight": (hidden, latent),
        "fc3.bias": (hidden,),
        "fc4.weight": (784, hidden),
        "fc4.bias": (784,),
    }
    arrays = {name: rng.standard_normal(shape).astype(dtype) for name, shape in shapes.items()}
    victim = sorted(arrays)[seed % len(arrays)]
    if change == "drop":
        del arrays[victim]
    elif change == "reshape":
        arrays[victim] = rng.standard_normal((*arrays[victim].shape[:-1], arrays[victim].shape[-1] + 1)).astype(dtype)
    elif change == "nan":
        arrays[victim].reshape(-1)[seed % arrays[victim].size] = np.nan
    elif change == "extra":
        arrays["bn.running_mean"] = np.zeros(hidden, dtype)
    elif change == "conv":
        arrays["enc.conv1.weight"] = np.zeros((4, 1, 3, 3), dtype)
    elif change == "both names":
        arrays["fc_mu.bias" if naming == "fc21" else "fc21.bias"] = np.zeros(latent, dtype)
    blob = save_safetensors_bytes({prefix + name: array for name, array in arrays.items()})
    theirs, ours = node.call(READER, "vae", b64(blob)), python_vae(blob)
    if "refused" in ours:
        assert theirs.get("refused") == ours["refused"]  # the same message, word for word
        return
    assert "value" in theirs, theirs
    found = ours["value"]
    assert (theirs["value"]["hidden"], theirs["value"]["latent"]) == (found.hidden_size, found.latent_size)
    assert (theirs["value"]["naming"], theirs["value"]["prefix"]) == (found.naming, found.prefix)
    assert list(theirs["value"]["weights"]) == list(found.weights)
    for name, array in found.weights.items():
        np.testing.assert_array_equal(np.float32(theirs["value"]["weights"][name]), array.reshape(-1))


def test_the_pca_map_is_scikit_learn_s(node):
    """fitPca on a shipped model's test codes against training/atlas.py's PCA (sklearn): the same axes (sign
    included, sklearn flips each to make its largest entry positive) and the same places."""
    from sklearn.decomposition import PCA

    from vae.family import shared_family, weights_folder

    mu = shared_family(weights_folder()).models["z20-beta1"].atlas.mu[:3000]
    pca = PCA(n_components=2).fit(mu)
    fitted = node.call("viewer/core/projection.js", "fitPca", mu.reshape(-1).tolist(), 20)
    assert np.allclose(fitted["mean"], pca.mean_, atol=1e-5)
    signs = np.sign(np.einsum("ij,ij->i", fitted["components"], pca.components_))
    assert np.allclose(np.asarray(fitted["components"]) * signs[:, None], pca.components_, atol=1e-4)
    largest = np.abs(fitted["components"]).argmax(1)
    assert (np.asarray(fitted["components"])[[0, 1], largest] > 0).all()


# ---- the whole path in Chromium, on both hosts ----


def numpy_of(path):
    from vae.inference import NumpyVAE

    found = vae_from_state_dict(read_safetensors(path.read_bytes()))
    return NumpyVAE(found.weights, found.config())


YOURS = """() => { const s = document.querySelector('.le-yours'); if (!s) return null; const d = {};
  s.dispatchEvent(new CustomEvent('le:yours', {detail: d})); return d; }"""
SNAPSHOT = f"""() => {{ const d = ({YOURS})();
  return d && {{...d, frames: d.framesNow(), c: [0, 1, 7, 1234].map(d.code)}}; }}"""


def upload(page, path, timeout: float = 60.0) -> dict:
    """Drops `path` on the upload control; waits until it is ready or refused; the section's snapshot."""
    page.locator(".le-yours-input").set_input_files(str(path))
    page.wait_for_function(
        "() => ['ready', 'refused'].includes(document.querySelector('.le-yours')?.dataset.state)",
        timeout=1000 * timeout,
    )
    return page.evaluate(SNAPSHOT)


def check_the_upload(page, trained):
    """What a visitor sees after dropping the tutorial's file, held to numpy: codes, frames, a click on the map."""
    from vae.family import shared_family, weights_folder
    from vae.paths import interpolate

    model = numpy_of(trained.safetensors)
    images = shared_family(weights_folder()).images.reshape(-1, 784) / np.float32(255)
    refused = upload(page, trained.pth)
    assert refused["state"] == "refused" and "PyTorch file" in refused["message"]
    assert "save_file(torch.load" in refused["message"]
    shown = upload(page, trained.safetensors)
    assert shown["state"] == "ready", shown["message"]
    assert shown["model"]["label"] == "your model" and (shown["model"]["latent"], shown["model"]["hidden"]) == (20, 400)
    assert shown["model"]["count"] == len(images) == 10_000
    assert int(page.locator(".le-yours").get_attribute("data-map-draws")) >= 1
    assert page.locator(".le-yours-frame").count() == 10
    assert "β" not in page.locator(".le-yours").inner_text()  # a model of unknown β: no β anywhere in it
    mu = model.encode(images)[0]
    assert np.abs(np.asarray(shown["c"]) - mu[[0, 1, 7, 1234]]).max() < 1e-4
    expected = model.decode(interpolate(mu[0], mu[1], 10, "linear")).reshape(10, -1)
    assert np.abs(np.asarray(shown["frames"]) - expected).max() < 1 / 255
    # A click on two digits of the map: the digit nearest each click becomes an end, the morph between them.
    page.locator(".le-yours-map").scroll_into_view_if_needed()
    clicked = []
    for index in (42, 4321):
        x, y = page.evaluate(f"() => ({YOURS})().pixel({index})")
        page.mouse.click(x, y)
        clicked.append((x, y))
    picked = page.evaluate(SNAPSHOT)
    a, b = picked["model"]["ends"]
    for end, (x, y) in zip((a, b), clicked, strict=True):
        px, py = page.evaluate(f"() => ({YOURS})().pixel({end})")
        assert abs(px - x) <= 1.5 and abs(py - y) <= 1.5, (end, (px, py), (x, y))
    expected = model.decode(interpolate(mu[a], mu[b], 10, "linear")).reshape(10, -1)
    assert np.abs(np.asarray(picked["frames"]) - expected).max() < 1 / 255
    assert page.locator(".le-yours").get_attribute("data-strip") == f"{a}-{b}/10/linear"


@pytest.mark.slow
@pytest.mark.browser
def test_the_static_site_explores_an_uploaded_tutorial_vae(tutorial_vae, browser):
    from harness.browser import goto_static, require_chromium, static_site

    require_chromium()
    with static_site() as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        goto_static(page, url)
        check_the_upload(page, tutorial_vae)
        page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_streamlit_page_explores_an_uploaded_tutorial_vae(tutorial_vae, browser, server):
    from harness.browser import goto_app, require_chromium

    require_chromium()
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    goto_app(page, server.url)
    check_the_upload(page, tutorial_vae)
    # For the rest of the visit: to the lesson and back, the explorer is mounted anew and still shows it.
    before = page.evaluate(SNAPSHOT)
    page.get_by_text("Why a VAE?").click()
    page.wait_for_function("() => !document.querySelector('.le-yours')", timeout=60_000)
    page.get_by_text("Explore the map").click()
    page.wait_for_function("() => document.querySelector('.le-yours')?.dataset.state === 'ready'", timeout=60_000)
    after = page.evaluate(SNAPSHOT)
    assert after["model"]["ends"] == before["model"]["ends"] and after["frames"] == before["frames"]
    page.close()


def test_an_imported_model_of_unknown_beta_is_your_model_on_the_beta_controls():
    """explorer/assets.py model_manifest carries an import's label ("your model"), which the β buttons and the
    compare rows show instead of a β (viewer/explore/panel/toolbar.js, compare.js); a shipped model has none."""
    import copy

    from explorer.assets import model_manifest
    from vae.family import Family, shared_family, weights_folder

    shipped = shared_family(weights_folder())
    mine = copy.copy(shipped.models["z20-beta1"])
    mine.record = {**mine.record, "info": {**mine.record.get("info", {}), "imported": {"label": "your model"}}}
    family = Family({"z20-beta1": mine}, shipped.images, shipped.labels)
    assert model_manifest(family, "z20-beta1")["label"] == "your model"
    assert "label" not in model_manifest(shipped, "z20-beta1")
    for path in ("viewer/explore/panel/toolbar.js", "viewer/explore/panel/compare.js"):
        assert ".label ?? `β = ${formatBeta(" in (ROOT / path).read_text(), path


def test_the_compare_rows_hold_every_model_of_the_latent_size():
    """Family.members: an import placed at a shipped model's β (unknown β sits at 1) gets its own compare row, as
    the viewer draws one per model, where family.get(latent, beta) would give only the shipped one."""
    import copy

    from vae.family import Family, Variant, shared_family, weights_folder

    shipped = shared_family(weights_folder())
    mine = copy.copy(shipped.models["z20-beta1"])
    mine.variant = Variant(20, 1.0, "mine")  # where import_vae.py places a model of unknown β
    family = Family({**shipped.models, "z20-mine": mine}, shipped.images, shipped.labels)
    names = [m.name for m in family.members(20)]
    assert names == ["z20-beta0", "z20-beta0.5", "z20-beta1", "z20-mine", "z20-beta2", "z20-beta4", "z20-beta8"]
    assert [m.variant.beta for m in family.members(20)] == sorted(m.variant.beta for m in family.members(20))
    assert [m.name for m in family.members(2)] == ["z2-beta0", "z2-beta1"]
