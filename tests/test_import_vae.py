"""import_vae.py: a VAE trained elsewhere, imported into a folder the page opens; its refusals; the upload reader.

The first tests take pytorch/examples' VAE (vae/main.py) exactly as written there, trained and saved with
torch.save (harness/tutorial_vae.py, once a session: tests/conftest.py `tutorial_vae`), import it and open
the page on the folder. Every refusal is a test and leaves --out
as it was. The .safetensors reader the page's upload will use (vae/foreign.py) gets property-based tests.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.numpy import save as save_safetensors_bytes
from torch import nn

from harness.safetensors_files import HOSTILE_ENTRY, header_file, saved
from harness.tutorial_vae import VAE, loss_function
from vae.foreign import MAX_UPLOAD_BYTES, ImportRefused, read_safetensors, vae_from_state_dict


@pytest.fixture(scope="module")
def imported(tutorial_vae, tmp_path_factory):
    """The tutorial's model (tests/conftest.py) imported from its vae.pth with its beta (BCE + KLD is beta = 1),
    t-SNE and all."""
    from training.importer import import_vae

    out = tmp_path_factory.mktemp("imports") / "mine"
    return import_vae(tutorial_vae.pth, out, beta=1.0, say=lambda text: None)


@pytest.mark.slow
def test_the_imported_model_decodes_as_torch_does(tutorial_vae, imported):
    from vae.family import load_family

    model = tutorial_vae.model
    family = load_family(imported.folder)
    assert imported.name == "z20-mine" and list(family.models) == ["z20-mine"]
    loaded = family.models["z20-mine"]
    assert loaded.label == "your model, β = 1" and loaded.imported["naming"] == "fc21/fc22"
    z = torch.randn(256, 20, generator=torch.Generator().manual_seed(3)) * 2
    with torch.no_grad():
        theirs = model.decode(z).numpy().reshape(-1, 28, 28)
    ours = loaded.model.decode(z.numpy())
    assert np.abs(ours - theirs).max() < 1 / 255
    images = family.images[:500].reshape(-1, 784) / np.float32(255)
    with torch.no_grad():
        mu, logvar = model.encode(torch.from_numpy(images))
    assert np.allclose(loaded.model.encode(images)[0], mu.numpy(), atol=1e-4)
    assert np.allclose(loaded.model.encode(images)[1], logvar.numpy(), atol=1e-4)
    assert np.allclose(loaded.atlas.mu[:500], mu.numpy(), atol=1e-4)
    assert set(loaded.atlas.maps) == {"pca", "tsne"}


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_draws_the_imported_model_as_torch_does(tutorial_vae, imported, request):
    """The viewer's decoder (viewer/core/decoder.js, in Chromium) on the imported folder's blobs, against torch."""
    import base64

    from explorer.assets import decoder_blob
    from harness.browser import require_chromium, viewer_page
    from vae.family import load_family
    from vae.paths import interpolate

    require_chromium()
    model = tutorial_vae.model
    loaded = load_family(imported.folder).models["z20-mine"]
    page = viewer_page(request.getfixturevalue("browser"), ["core/decoder.js"])
    codes = interpolate(loaded.atlas.mu[3], loaded.atlas.mu[7], 12, "spherical")  # a morph between two test digits
    frames = page.evaluate(
        """([blob, latent, hidden, codes]) => {
          const bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
          const decoder = makeDecoder(bytes.buffer, latent, hidden);
          return codes.map((code) => Array.from(decode(decoder, Float32Array.from(code), new Float64Array(784))));
        }""",
        [base64.b64encode(decoder_blob(loaded.model)).decode("ascii"), 20, 400, codes.tolist()],
    )
    page.close()
    with torch.no_grad():
        theirs = model.decode(torch.from_numpy(np.asarray(codes, dtype=np.float32))).numpy()
    assert np.abs(np.asarray(frames) - theirs).max() < 1 / 255


@pytest.mark.slow
def test_the_recorded_elbo_is_pytorch_examples_test_loss(tutorial_vae, imported):
    """The -ELBO the import measured (one z per digit, seed 0) against pytorch/examples' own test loop
    (its loss_function, its noise): the same estimate up to sampling noise; fc21/fc22 swapped would be far off."""
    from vae.checkpoint import read_record
    from vae.family import Variant

    model = tutorial_vae.model
    metrics = read_record(Variant(20, 1.0, "mine").checkpoint_path(imported.folder))["info"]["metrics"]
    images = np.load(imported.folder / "mnist-test.npz")["images"].reshape(-1, 784).astype(np.float32) / 255
    torch.manual_seed(0)
    test_loss = 0.0
    with torch.no_grad():
        for start in range(0, len(images), 1000):  # pytorch/examples' test(): the summed loss over the test set
            data = torch.from_numpy(images[start : start + 1000])
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
    test_loss /= len(images)
    assert abs(metrics["neg_elbo"] - test_loss) < 0.5, (metrics["neg_elbo"], test_loss)
    assert metrics["neg_elbo"] == pytest.approx(metrics["reconstruction"] + metrics["kl"])
    assert 0 <= metrics["active_units"] <= 20 and metrics["test_digits"] == 10_000


@pytest.mark.slow
def test_the_card_states_what_was_measured(imported):
    from vae.checkpoint import read_record

    record = read_record(imported.folder / "vae-z20-mine.safetensors")
    card = (imported.folder / "README.md").read_text()
    readable = record["info"]["lesson"]["prior_samples"]["readable_share"]
    row = next(line for line in card.splitlines() if line.startswith("| z20-mine |"))
    assert f"{record['info']['metrics']['neg_elbo']:.2f}" in row and f"{readable:.1%}" in row
    assert "`vae.pth`" in row and "| 400 | 20 | 1 |" in row
    assert set(imported.seconds) == {"load", "metrics", "atlas", "write"}


@pytest.mark.slow
def test_the_page_opens_on_the_imported_folder_and_morphs(imported, monkeypatch):
    from harness.apptest import open_page, send, status, widget_data

    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(imported.folder))
    at = open_page({"model": "z20-mine", "map": "tsne"})
    assert not at.exception and not at.error and not at.warning
    assert list(widget_data(at)["models"]) == ["z20-mine"]
    send(at, "pick", index=3)
    send(at, "pick", index=7)
    assert not at.exception and not at.error
    assert "under z20-mine" in status(at, "morph")
    lesson = open_page({"page": "lesson"})  # the lesson needs the shipped pair: it says so, nothing breaks
    assert not lesson.exception and not lesson.error
    assert "z2-beta0" in lesson.warning[0].value


@pytest.mark.slow
def test_a_second_import_joins_the_family_and_the_shipped_ones_join_it(imported, tmp_path, monkeypatch):
    """Several imports make one family; --with-shipped adds this repository's models; a z = 2 import needs no t-SNE."""
    import shutil

    from harness.apptest import open_page, widget_data
    from training.importer import import_vae
    from vae.family import SHIPPED, load_family

    out = tmp_path / "family"
    shutil.copytree(imported.folder, out)
    small = _state_dict(hidden=64, latent=2, seed=5)
    torch.save(small, tmp_path / "small.pth")
    result = import_vae(tmp_path / "small.pth", out, name="small", with_shipped=True, say=lambda text: None)
    family = load_family(out)
    assert result.name == "z2-small"
    assert set(family.models) == {"z20-mine", "z2-small", *(v.name for v in SHIPPED)}
    assert family.models["z2-small"].label == "your model small"  # beta unknown
    assert family.models["z2-small"].imported["beta_known"] is False
    assert family.get(20, 1.0).name == "z20-beta1" and family.betas(20) == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0]
    card = (out / "README.md").read_text()
    assert "| z2-small | your model small | `small.pth` | 64 | 2 | unknown |" in card
    assert "| z20-beta1 | 20 | 1 |" in card  # the shipped models keep their rows
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(out))
    at = open_page({"model": "z2-small"})
    assert not at.exception and not at.error and not at.warning
    assert {"z20-mine", "z2-small", "z20-beta1"} <= set(widget_data(at)["models"])
    with pytest.raises(ImportRefused, match=r"already holding z2-small.*--name NAME"):
        import_vae(tmp_path / "small.pth", out, name="small", say=lambda text: None)


def _state_dict(hidden: int = 400, latent: int = 20, seed: int = 0, names=("fc21", "fc22")) -> dict:
    torch.manual_seed(seed)
    mu, logvar = names
    layers = {"fc1": (784, hidden), mu: (hidden, latent), logvar: (hidden, latent), "fc3": (latent, hidden)}
    layers["fc4"] = (hidden, 784)
    state = {}
    for name, (inputs, outputs) in layers.items():
        linear = nn.Linear(inputs, outputs)
        state[f"{name}.weight"], state[f"{name}.bias"] = linear.weight.detach(), linear.bias.detach()
    return state


class ConvVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 8, 4, 2, 1), nn.ReLU(), nn.Flatten())
        self.fc_mu, self.fc_logvar = nn.Linear(8 * 14 * 14, 20), nn.Linear(8 * 14 * 14, 20)
        self.decoder = nn.Sequential(nn.Linear(20, 8 * 14 * 14), nn.Unflatten(1, (8, 14, 14)))
        self.deconv = nn.ConvTranspose2d(8, 1, 4, 2, 1)


def _nan(state):
    state["fc4.weight"][5, 7] = float("nan")
    return state


def _drop(state, key):
    del state[key]
    return state


def _swap(state, key, shape):
    state[key] = torch.zeros(shape)
    return state


REFUSALS = {
    "a whole pickled module": (
        lambda: VAE(),
        ["whole pickled object of class", "harness.tutorial_vae.VAE", "never unpickled"],
    ),
    "a conv VAE": (lambda: ConvVAE().state_dict(), ["convolution weights", "encoder.0.weight", "(8, 1, 4, 4)"]),
    "a missing key": (lambda: _drop(_state_dict(), "fc22.bias"), ["no fc22.bias", "fc21 and fc22"]),
    "a misshapen key": (
        lambda: _swap(_state_dict(), "fc3.weight", (400, 10)),
        ["fc3.weight of shape (400, 10)", "(400, 20) for hidden size 400 and latent size 20"],
    ),
    "an input of 785": (lambda: _swap(_state_dict(), "fc1.weight", (400, 785)), ["(400, 785)", "28 x 28"]),
    "NaN weights": (lambda: _nan(_state_dict()), ["1 NaN or infinite values in fc4.weight", "finite weights"]),
    "a latent size of 1": (
        lambda: _state_dict(latent=1),
        ["a latent size of 1", "fc21.weight is (1, 400)", "2 or more"],
    ),
    "a batch-norm layer": (
        lambda: {**_state_dict(), "bn.weight": torch.ones(400), "bn.running_mean": torch.zeros(400)},
        ["does not have: 'bn.running_mean', 'bn.weight'", "no batch norm"],
    ),
    "a tensor that is not one": (lambda: {**_state_dict(), "epoch": 3}, ["not tensors ('epoch')"]),
}


@pytest.mark.parametrize("what", list(REFUSALS))
def test_a_refusal_says_what_was_found_expected_and_how_to_save_and_writes_nothing(what, tmp_path, capsys):
    import import_vae

    make, phrases = REFUSALS[what]
    torch.save(make(), tmp_path / "vae.pth")
    out = tmp_path / "out"
    assert import_vae.main([str(tmp_path / "vae.pth"), "--out", str(out)]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "Found " in message and "Expected " in message
    for phrase in phrases:
        assert phrase in message, message
    assert 'torch.save(model.state_dict(), "vae.pth")' in message
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["vae.pth"]


def test_a_refused_import_leaves_an_existing_folder_as_it_was(tmp_path):
    from training.importer import import_vae

    out = tmp_path / "out"
    out.mkdir()
    (out / "vae-z20-mine.safetensors").write_bytes(b"a previous import")
    torch.save(_nan(_state_dict()), tmp_path / "vae.pth")
    with pytest.raises(ImportRefused, match="NaN"):
        import_vae(tmp_path / "vae.pth", out, say=lambda text: None)
    assert [p.name for p in out.iterdir()] == ["vae-z20-mine.safetensors"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "vae.pth"]


def test_a_failure_while_writing_leaves_nothing_half_written(tmp_path, monkeypatch):
    """Everything is written beside --out and renamed into place; a crash on the way removes it."""
    import training.card
    from training.importer import import_vae

    def crash(folder):
        raise OSError("disk full")

    monkeypatch.setattr(training.card, "write_model_card", crash)
    monkeypatch.setattr("training.atlas.build_atlas", _quick_atlas)
    torch.save(_state_dict(hidden=32, latent=3), tmp_path / "vae.pth")
    with pytest.raises(OSError, match="disk full"):
        import_vae(tmp_path / "vae.pth", tmp_path / "out", say=lambda text: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vae.pth"]


def _quick_atlas(mu, logvar, sha):
    from vae.atlas import Atlas

    return Atlas(mu, logvar, {"pca": mu[:, :2].copy()}, mu.mean(0), np.eye(2, mu.shape[1], dtype=np.float32), sha)


@pytest.mark.parametrize(
    "variant",
    ["module. keys (DataParallel)", "this repository's names", "a training checkpoint dict", "safetensors", "float16"],
)
def test_the_names_and_files_a_state_dict_comes_in(variant, tmp_path):
    from training.importer import read_state_dict

    state = _state_dict(hidden=48, latent=5, seed=1)
    expected = {k.replace("fc21", "fc_mu").replace("fc22", "fc_logvar"): v.numpy() for k, v in state.items()}
    path = tmp_path / "vae.pth"
    if variant.startswith("module."):
        torch.save({f"module.{k}": v for k, v in state.items()}, path)
    elif variant == "this repository's names":
        torch.save({k: torch.from_numpy(v) for k, v in expected.items()}, path)
    elif variant == "a training checkpoint dict":
        torch.save({"epoch": 10, "model_state_dict": state, "optimizer_state_dict": {"state": {}}}, path)
    elif variant == "safetensors":
        from safetensors.torch import save_file

        path = tmp_path / "vae.safetensors"
        save_file({k: v.contiguous() for k, v in state.items()}, path)
    else:
        torch.save({k: v.half() for k, v in state.items()}, path)
    found = read_state_dict(path)
    assert (found.hidden_size, found.latent_size) == (48, 5)
    assert found.prefix == ("module." if variant.startswith("module.") else "")
    for name, array in expected.items():
        tolerance = 1e-3 if variant == "float16" else 0
        assert np.allclose(found.weights[name], array, atol=tolerance, rtol=0), name


def test_a_latent_explorer_checkpoint_imports_as_it_is():
    from training.importer import read_state_dict
    from vae.checkpoint import read_checkpoint
    from vae.family import DEFAULT_WEIGHTS

    found = read_state_dict(DEFAULT_WEIGHTS / "vae-z2-beta1.safetensors")
    arrays, _ = read_checkpoint(DEFAULT_WEIGHTS / "vae-z2-beta1.safetensors")
    assert found.naming == "fc_mu/fc_logvar" and found.latent_size == 2
    assert all(np.array_equal(found.weights[k], arrays[k]) for k in arrays)


def test_bad_names_and_betas_are_refused_before_reading(tmp_path):
    from training.importer import import_vae

    for name in ("Mine", "beta2", "a-b", "x" * 17, "../up"):
        with pytest.raises(ImportRefused, match="--name"):
            import_vae(tmp_path / "absent.pth", tmp_path / "out", name=name)
    with pytest.raises(ImportRefused, match="--beta"):
        import_vae(tmp_path / "absent.pth", tmp_path / "out", beta=-1.0)
    with pytest.raises(ImportRefused, match="no file to read"):
        import_vae(tmp_path / "absent.pth", tmp_path / "out")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ImportRefused, match="neither a torch"):
        import_vae(tmp_path / "notes.txt", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_help_answers_without_torch():
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, runpy; sys.argv = ['import_vae.py', '--help']\ntry:\n    runpy.run_path('import_vae.py', "
    code += "run_name='__main__')\nexcept SystemExit:\n    pass\nprint('torch' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).parent.parent, capture_output=True, text=True, timeout=60
    )
    assert run.stdout.strip().endswith("False") and "--with-shipped" in run.stdout


# The reader of untrusted .safetensors (vae/foreign.py), which the page's upload will use.

SHAPES = st.lists(st.integers(0, 6), min_size=0, max_size=3).map(tuple)
TENSORS = st.dictionaries(
    st.text("abcdefghij.0123456789_", min_size=1, max_size=12),
    st.tuples(SHAPES, st.sampled_from(["<f4", "<f2"])),
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TENSORS, st.integers(0, 2**32 - 1))
def test_what_safetensors_writes_is_read_back_exactly(tensors, seed):
    rng = np.random.default_rng(seed)
    arrays = {name: rng.standard_normal(shape).astype(dtype) for name, (shape, dtype) in tensors.items()}
    read = read_safetensors(saved(arrays))
    assert set(read) == set(arrays)
    for name, array in arrays.items():
        assert read[name].dtype == np.float32 and np.array_equal(read[name], array.astype(np.float32))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_never_anything_else(blob):
    try:
        read = read_safetensors(blob)
    except ImportRefused as refusal:
        assert str(refusal).startswith("Found ") and ". Expected " in str(refusal)
    else:
        assert sum(a.nbytes for a in read.values()) <= 2 * len(blob)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), HOSTILE_ENTRY, max_size=4), st.binary(max_size=256))
def test_hostile_headers_are_refused_before_anything_is_allocated(header, data):
    """Shapes of 2**40 elements, offsets past the end, overlapping or negative ranges, unknown dtypes: each is
    refused from the header (or read, when it happens to be consistent), in bounded time and memory."""
    blob = header_file(header, data)
    try:
        read = read_safetensors(blob)
    except ImportRefused:
        return
    assert sum(a.nbytes for a in read.values()) <= 2 * len(data)  # F16/BF16 -> float32 at most doubles


def test_a_file_over_the_bound_is_refused_by_its_size_alone():
    blob = b"\0" * (MAX_UPLOAD_BYTES + 1)
    with pytest.raises(ImportRefused, match="10 MB"):
        read_safetensors(blob)
    assert read_safetensors(header_file({}), limit=16) == {}


def test_a_pickle_is_named_and_never_read(tmp_path):
    torch.save(_state_dict(hidden=8, latent=2), tmp_path / "vae.pth")
    with pytest.raises(ImportRefused, match=r"PyTorch file.*save_file"):
        read_safetensors((tmp_path / "vae.pth").read_bytes())


def test_a_header_that_claims_a_huge_tensor_is_refused_from_the_header():
    huge = {"fc1.weight": {"dtype": "F32", "shape": [2**30, 2**30], "data_offsets": [0, 2**62]}}
    with pytest.raises(ImportRefused, match="byte range inside the 0 data bytes"):
        read_safetensors(header_file(huge))
    lying = {"fc1.weight": {"dtype": "F32", "shape": [2**30, 2**30], "data_offsets": [0, 16]}}
    with pytest.raises(ImportRefused, match="stored in 16 bytes"):
        read_safetensors(header_file(lying, b"\0" * 16))
    overlapping = {name: {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]} for name in ("a", "b")}
    with pytest.raises(ImportRefused, match="sharing bytes"):
        read_safetensors(header_file(overlapping, b"\0" * 16))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 96), st.integers(1, 24), st.sampled_from(["fc21", "fc_mu"]), st.booleans())
def test_any_hidden_and_latent_size_maps_onto_the_page_model(hidden, latent, naming, prefixed):
    from vae.inference import NumpyVAE

    state = _state_dict(hidden, latent, names=("fc21", "fc22") if naming == "fc21" else ("fc_mu", "fc_logvar"))
    arrays = {("module." if prefixed else "") + k: v.numpy() for k, v in state.items()}
    blob = save_safetensors_bytes({k: np.ascontiguousarray(v) for k, v in arrays.items()})
    if latent == 1:
        with pytest.raises(ImportRefused, match="latent size of 1"):
            vae_from_state_dict(read_safetensors(blob))
        return
    found = vae_from_state_dict(read_safetensors(blob))
    assert (found.hidden_size, found.latent_size) == (hidden, latent)
    model = NumpyVAE(found.weights, found.config())
    assert model.decode(np.zeros((2, latent), np.float32)).shape == (2, 28, 28)


@pytest.mark.parametrize(
    "imported, field",
    [
        ({"name": "beta1", "label": "x", "beta_known": True}, "'info.imported.name'"),
        ({"name": "Mine", "label": "x", "beta_known": True}, "'info.imported.name'"),
        ({"name": "mine", "label": "x" * 61, "beta_known": True}, "'info.imported.label'"),
        ({"name": "mine", "label": "a\nb", "beta_known": True}, "'info.imported.label'"),
        ({"name": "mine", "label": "x", "beta_known": "yes"}, "'info.imported.beta_known'"),
        ("mine", "'info.imported'"),
    ],
)
def test_a_tampered_import_record_is_refused_naming_the_field(imported, field, tmp_path, tiny_vae):
    from training.checkpoint import save_checkpoint
    from vae.checkpoint import CheckpointError, read_checkpoint

    path = save_checkpoint(tmp_path / "vae-z3-mine.safetensors", tiny_vae, "vae", {"imported": imported})
    with pytest.raises(CheckpointError, match=field):
        read_checkpoint(path)


def test_an_imported_name_round_trips_and_never_passes_for_a_shipped_one():
    import math

    from vae.family import Variant

    assert Variant(20, 4.0, "mine").name == "z20-mine" and Variant(20, 4.0).name == "z20-beta4"
    parsed = Variant.parse("z20-mine")
    assert (parsed.latent_size, parsed.tag, parsed.name) == (20, "mine", "z20-mine") and math.isnan(parsed.beta)
    assert Variant.parse("z20-beta0.5") == Variant(20, 0.5)
    for text in ("z20-betax", "z20-Mine", "z20-a.b", "z20-", "zz-mine", "z20-<b>x</b>", "z20000-mine"):
        with pytest.raises(ValueError):
            Variant.parse(text)
