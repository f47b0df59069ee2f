"""The page in AppTest: it runs for every sidebar setting, clicks make paths, bad states get messages.

The map is a custom component (an UnknownElement in AppTest), so a click is
injected through its session-state key, shaped as the component sends it
(kept in one helper, `click`).
"""

import itertools
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, WEIGHTS

APP = str(ROOT / "page.py")


def click(at: AppTest, index: int, x: float = 0.0, y: float = 0.0) -> AppTest:
    """Injects one click on test digit `index` (or on the plane, index -1, at x, y) and reruns."""
    click.serial += 1
    at.session_state["latent_map"] = {"click": {"index": index, "x": x, "y": y, "serial": click.serial}}
    return at.run()


click.serial = 0


def status(at: AppTest, name: str) -> str | None:
    """Text of the page's hidden status marker, as the browser tests read it."""
    for element in at.get("html"):
        if f'data-name="{name}"' in element.proto.body:
            return element.proto.body.split(">", 1)[1].rsplit("<", 1)[0]
    return None


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def test_first_page_invites_two_clicks(app):
    assert not app.error
    assert any("Click a digit" in m.value for m in app.markdown)
    assert any("Pick two endpoints" in i.value for i in app.info)
    assert status(app, "morph") is None


def test_two_clicks_make_a_path_of_n_frames(app):
    click(app, 3)
    endpoints = app.session_state["endpoints"]
    assert endpoints.a.index == 3 and endpoints.b is None
    click(app, 7)
    endpoints = app.session_state["endpoints"]
    assert (endpoints.a.index, endpoints.b.index) == (3, 7)
    assert status(app, "morph").startswith("10 frames, linear path from test #3")
    app.sidebar.slider(key="frames").set_value(17).run()
    assert status(app, "morph").startswith("17 frames")


def test_third_click_starts_a_new_pair_and_swap_clear_work(app):
    for index in (3, 7, 11):
        click(app, index)
    endpoints = app.session_state["endpoints"]
    assert endpoints.a.index == 11 and endpoints.b is None
    click(app, 12)
    app.button(key="swap_ends").click().run()
    endpoints = app.session_state["endpoints"]
    assert (endpoints.a.index, endpoints.b.index) == (12, 11)
    app.button(key="clear_ends").click().run()
    assert app.session_state["endpoints"].a is None and app.session_state["endpoints"].b is None


def test_compare_mode_gives_one_row_per_beta(app):
    click(app, 3)
    click(app, 7)
    app.sidebar.toggle(key="compare").set_value(True).run()
    assert not app.exception
    betas = _shipped_betas(20)
    assert status(app, "compare") == f"{len(betas)} rows"
    assert [m.value for m in app.markdown if m.value.startswith("**β =")] == [f"**β = {b:g}**" for b in betas]


def test_plane_click_anywhere_decodes_that_point(app):
    app.sidebar.radio(key="latent").set_value(2).run()
    click(app, -1, x=0.5, y=-1.0)
    endpoint = app.session_state["endpoints"].a
    assert endpoint.code == (0.5, -1.0) and endpoint.label == "plane (0.50, -1.00)"
    assert endpoint.image.shape == (28, 28)
    click(app, 5)
    assert "from plane (0.50, -1.00) to test #5" in status(app, "morph")


@pytest.mark.slow
def test_every_sidebar_combination_runs(app):
    click(app, 3)
    click(app, 7)
    for latent in (20, 2):
        app.sidebar.radio(key="latent").set_value(latent).run()
        betas = _shipped_betas(latent)
        maps = {20: ["pca", "tsne"], 2: ["plane"]}[latent]
        for beta, map_name, method, frames, flag in itertools.product(
            betas, maps, ("linear", "spherical", "geodesic"), (4, 32), (False, True)
        ):
            if latent == 20:
                app.sidebar.select_slider(key="beta_z20").set_value(beta)
                app.sidebar.toggle(key="compare").set_value(flag)
            else:
                app.sidebar.toggle(key="backdrop").set_value(flag)
            app.sidebar.radio(key=f"map_z{latent}").set_value(map_name)
            app.sidebar.radio(key="method").set_value(method)
            app.sidebar.slider(key="frames").set_value(frames)
            app.run()
            assert not app.exception, (latent, beta, map_name, method, frames, flag, app.exception)
            assert not app.error
            assert status(app, "morph").startswith(f"{frames} frames, {method} path")


def test_missing_weights_folder_says_how_to_train(tmp_path, monkeypatch):
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "python train.py" in at.error[0].value


def test_damaged_weights_file_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    victim = sorted(folder.glob("vae-*.safetensors"))[0]
    victim.write_bytes(victim.read_bytes()[:1000])
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert victim.name in at.error[0].value and "truncated" in at.error[0].value


def _shipped_betas(latent: int) -> list[float]:
    names = [path.stem.removeprefix("vae-") for path in WEIGHTS.glob("vae-*.safetensors")]
    return sorted(float(name.split("-beta")[1]) for name in names if name.startswith(f"z{latent}-"))


def test_same_clicks_give_bit_identical_frames_across_reruns_and_sessions():
    fingerprints = []
    for _ in range(2):  # two independent sessions
        at = AppTest.from_file(APP, default_timeout=60).run()
        click(at, 21)
        click(at, 742)
        fingerprints.append(status(at, "morph").split("sha256 ")[1])
        at.sidebar.radio(key="method").set_value("spherical").run()
        at.sidebar.radio(key="method").set_value("linear").run()  # and back: a rerun, same frames
        fingerprints.append(status(at, "morph").split("sha256 ")[1])
    assert len(set(fingerprints)) == 1, fingerprints


def test_checkpoint_with_wrong_shapes_is_reported_at_start(tmp_path, monkeypatch):
    import json

    from safetensors.numpy import save_file

    from vae.checkpoint import METADATA_KEY, read_checkpoint, tensors_digest

    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    victim = folder / "vae-z20-beta2.safetensors"
    arrays, record = read_checkpoint(victim)
    arrays["fc_mu.weight"] = arrays["fc_mu.weight"][:5]  # 5 latent dims where the config says 20
    record["sha256"] = tensors_digest(arrays)  # a consistent file, just the wrong shape
    save_file(arrays, str(victim), metadata={METADATA_KEY: json.dumps(record)})
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert victim.name in at.error[0].value and "do not match the config" in at.error[0].value


def test_shared_url_restores_the_view_and_the_url_follows_clicks():
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {
        "model": "z20-beta2",
        "method": "spherical",
        "frames": "12",
        "a": "3",
        "b": "7",
        "map": "tsne",
    }.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.warning
    assert status(at, "morph").startswith("12 frames, spherical path from test #3")
    assert "under z20-beta2;" in status(at, "morph")
    assert at.sidebar.radio(key="map_z20").value == "tsne"
    click(at, 11)  # a new pair starts: the URL drops b and names a=11
    assert at.query_params["a"] in ("11", ["11"]) and "b" not in at.query_params


def test_bad_url_values_warn_and_fall_back():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["frames"] = "999"
    at.query_params["a"] = "-4"
    at.query_params["model"] = "z20-beta3"
    at.run()
    assert not at.exception
    message = at.warning[0].value
    # each value is named and quoted as code (explorer/safe_text.plain), never as Markdown
    assert "frames = ` 999 `" in message and "a = ` -4 `" in message and "model = ` z20-beta3 `" in message
    assert at.sidebar.slider(key="frames").value == 10
    assert at.session_state["endpoints"].a is None
    assert at.query_params["frames"] in ("10", ["10"])  # the URL follows the fallback, not the bad value


def test_page_switches_to_the_lesson_and_back(app):
    click(app, 3)
    app.segmented_control(key="page").set_value("lesson").run()
    assert not app.exception and not app.error
    assert app.query_params["page"] in ("lesson", ["lesson"])
    assert status(app, "morph") is None  # the explorer is not drawn under the lesson
    app.segmented_control(key="page").set_value("explore").run()
    assert app.session_state["endpoints"].a.index == 3  # nothing chosen is lost by switching


def test_traversal_and_samples_panels(app):
    assert status(app, "traversal") is None  # closed by default: the first paint needs no torch
    app.toggle(key="inside").set_value(True).run()
    assert status(app, "traversal").startswith("20 rows")
    assert "under z20-beta1" in status(app, "traversal")
    assert status(app, "samples") == "1 rows, seed 0"
    app.number_input(key="traverse_index").set_value(42).run()
    assert "test #42" in status(app, "traversal")
    app.sidebar.toggle(key="compare").set_value(True).run()
    assert status(app, "samples") == f"{len(_shipped_betas(20))} rows, seed 0"
    app.sidebar.radio(key="latent").set_value(2).run()
    assert status(app, "traversal").startswith("2 rows")
    assert not app.exception and not app.error


def test_geodesic_path_reports_its_energy_against_the_line(app):
    click(app, 3)
    click(app, 7)
    app.sidebar.radio(key="method").set_value("geodesic").run()
    assert not app.exception
    assert status(app, "morph").startswith("10 frames, geodesic path from test #3")
    note = next(c.value for c in app.caption if c.value.startswith("Geodesic"))
    assert "curve energy" in note and "straight line" in note


def test_path_analytics_label_every_frame(app):
    click(app, 3)
    click(app, 7)
    reading = status(app, "analytics")
    assert reading.startswith("reads ") and len(reading.split(";")[0].removeprefix("reads ")) == 10


def _tamper_record(path, **changes) -> None:
    """Rewrites a checkpoint's metadata with `changes` (tensors and their checksum untouched)."""
    import json

    from safetensors.numpy import save_file

    from vae.checkpoint import METADATA_KEY, read_checkpoint

    arrays, record = read_checkpoint(path)
    for dotted, value in changes.items():
        *parents, field = dotted.split(".")
        target = record
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(field)
        else:
            target[field] = value
    save_file(arrays, str(path), metadata={METADATA_KEY: json.dumps(record)})


@pytest.mark.parametrize(
    ("victim", "changes", "field"),
    [
        ("vae-z20-beta2.safetensors", {"config.beta": "two"}, "'beta'"),
        ("vae-z20-beta2.safetensors", {"config.beta": None}, "'beta'"),
        ("vae-z2-beta1.safetensors", {"info.metrics": "none"}, "'info.metrics'"),
        ("classifier.safetensors", {"config.channels": "32,64"}, "'channels'"),  # was found only at the first morph
    ],
)
def test_tampered_metadata_is_reported_at_start_naming_file_and_field(tmp_path, monkeypatch, victim, changes, field):
    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    _tamper_record(folder / victim, **changes)
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert victim in at.error[0].value and field in at.error[0].value
    assert "git checkout weights/" in at.error[0].value  # and how to restore it


def test_atlas_without_its_pca_is_reported_at_start(tmp_path, monkeypatch):
    import numpy as np

    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    victim = folder / "atlas-z20-beta1.npz"
    with np.load(victim) as archive:
        arrays = {key: archive[key] for key in archive.files if key != "pca_components"}
    np.savez(victim, **arrays)
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert victim.name in at.error[0].value and "'pca_components'" in at.error[0].value


def test_the_draw_section_keeps_its_input_and_last_upload_across_the_lesson(app):
    import numpy as np

    from vae.drawing import to_mnist

    one = np.zeros((120, 120), np.uint8)
    one[20:100, 55:65] = 255
    app.radio(key="draw_source").set_value("Upload a picture").run()
    app.session_state["upload_kept"] = (to_mnist(one), None)  # what an upload leaves (AppTest cannot upload)
    app.segmented_control(key="page").set_value("lesson").run()
    app.segmented_control(key="page").set_value("explore").run()
    assert not app.exception and not app.error and not app.warning
    assert app.radio(key="draw_source").value == "Upload a picture"
    assert any("Showing your last upload" in c.value for c in app.caption)
    assert status(app, "drawn").startswith("nearest labels [1")
