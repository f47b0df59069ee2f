"""The page in AppTest: a first visit opens on a morph, the widget's events change endpoints and the
view, links restore it, bad states get messages.

The widget is a custom component (an UnknownElement in AppTest): events are injected through its
session-state key, shaped as the browser sends them (harness/apptest.py `send`).
"""

import itertools
import shutil

import numpy as np
import pytest

from conftest import WEIGHTS
from harness.apptest import open_page, send, status, widget_data
from vae.family import load_showcase, shared_family, weights_folder


@pytest.fixture
def app():
    at = open_page()
    assert not at.exception, at.exception
    return at


def chosen(at):
    return at.session_state["endpoints"]


def _shipped_betas(latent: int) -> list[float]:
    names = [path.stem.removeprefix("vae-") for path in WEIGHTS.glob("vae-*.safetensors")]
    return sorted(float(name.split("-beta")[1]) for name in names if name.startswith(f"z{latent}-"))


def test_a_first_visit_opens_on_the_showcase_pair_already_morphing(app):
    showcase = load_showcase(WEIGHTS)
    assert not app.error and not app.warning
    assert (chosen(app).a.index, chosen(app).b.index) == (showcase["a"], showcase["b"])
    assert status(app, "morph").startswith(f"10 frames, linear path from test #{showcase['a']}")
    data = widget_data(app)
    assert "Pick two dots for your own pair" in data["hint"] and data["reading"]["digits"]
    assert data["reading"]["digits"] == [int(d) for d in showcase["figures"]["reads"]]  # the rule's reading, again
    send(app, "view", model="z20-beta8")  # the rule measured the default model only: its claim goes with it
    assert widget_data(app)["hint"].startswith("Pick a dot for A")
    send(app, "view", model=showcase["model"])
    assert "Pick two dots for your own pair" in widget_data(app)["hint"]
    send(app, "pick", index=5)  # the visitor's own first click: a new pair, and the showcase hint goes
    assert chosen(app).a.index == 5 and chosen(app).b is None
    assert widget_data(app)["hint"].startswith("Pick a dot for A")


def test_two_picks_make_a_path_of_n_frames(app):
    send(app, "clear")
    send(app, "pick", index=3)
    assert chosen(app).a.index == 3 and chosen(app).b is None and status(app, "morph") is None
    send(app, "pick", index=7)
    assert (chosen(app).a.index, chosen(app).b.index) == (3, 7)
    assert status(app, "morph").startswith("10 frames, linear path from test #3")
    send(app, "view", model="z20-beta1", map="pca", method="linear", frames=17, compare=False, backdrop=True)
    assert status(app, "morph").startswith("17 frames")
    assert app.query_params["frames"] in ("17", ["17"])


def test_a_third_pick_starts_a_new_pair_and_swap_and_clear_work(app):
    for index in (3, 7, 11):
        send(app, "pick", index=index)
    assert chosen(app).a.index == 11 and chosen(app).b is None
    send(app, "pick", index=12)
    send(app, "swap")
    assert (chosen(app).a.index, chosen(app).b.index) == (12, 11)
    send(app, "clear")
    assert chosen(app).empty


def test_a_drag_sets_exactly_the_slot_it_moved(app):
    send(app, "set", end="b", index=42)
    assert chosen(app).b.index == 42
    send(app, "clear")
    send(app, "set", end="b", index=9)  # with A empty, B is still B
    assert chosen(app).a is None and chosen(app).b.index == 9
    send(app, "set", end="a", map="pca", x=0.5, y=-1.25)  # a PCA map's point, anywhere near the map
    end = chosen(app).a
    assert end.kind == "point" and end.point == (0.5, -1.25) and end.label == "map point (0.50, -1.25)"
    assert "from map point (0.50, -1.25) to test #9" in status(app, "morph")


def test_compare_mode_computes_every_beta(app):
    send(app, "view", model="z20-beta1", map="pca", method="linear", frames=10, compare=True, backdrop=True)
    assert not app.exception
    assert status(app, "compare") == f"{len(_shipped_betas(20))} rows"
    readings = widget_data(app)["readings"]  # the viewer's per-β chart reads one per model
    assert len(readings) == len(_shipped_betas(20))
    for name, reading in readings.items():
        assert reading["key"].startswith(f"{name}|linear|10|")
        probabilities = np.array(reading["probabilities"])
        assert probabilities.shape == (10, 10) and np.allclose(probabilities.sum(axis=1), 1, atol=0.006)
        assert reading["digits"] == probabilities.argmax(axis=1).tolist()


def test_a_link_whose_endpoints_cannot_be_used_still_opens_on_the_showcase_pair():
    """Issue 24: a bad link used to leave A and B empty (a black preview); now it warns and opens as a first visit."""
    showcase = load_showcase(WEIGHTS)
    app = open_page({"a": "-4", "b": "pca:zz"})
    assert (chosen(app).a.index, chosen(app).b.index) == (showcase["a"], showcase["b"])
    assert any("a = " in w.value and "b = " in w.value for w in app.warning)


def test_a_click_on_the_empty_plane_decodes_that_point(app):
    send(app, "view", model="z2-beta1", map="plane", method="linear", frames=10, compare=False, backdrop=True)
    send(app, "clear")
    send(app, "point", map="plane", x=0.5, y=-1.0)
    endpoint = chosen(app).a
    assert endpoint.code == (0.5, -1.0) and endpoint.label == "plane point (0.50, -1.00)"
    assert endpoint.image.shape == (28, 28)
    send(app, "pick", index=5)
    assert "from plane point (0.50, -1.00) to test #5" in status(app, "morph")
    assert app.query_params["a"] in ("plane:0.50,-1.00", ["plane:0.50,-1.00"])


@pytest.mark.slow
def test_every_view_combination_runs(app):
    send(app, "pick", index=3)
    send(app, "pick", index=7)
    for latent, maps in ((20, ["pca", "tsne"]), (2, ["plane"])):
        for beta, map_name, method, frames, flag in itertools.product(
            _shipped_betas(latent), maps, ("linear", "spherical", "geodesic"), (4, 32), (False, True)
        ):
            model = f"z{latent}-beta{beta:g}"
            send(app, "view", model=model, map=map_name, method=method, frames=frames, compare=flag, backdrop=flag)
            assert not app.exception, (model, map_name, method, frames, flag, app.exception)
            assert not app.error
            assert status(app, "morph").startswith(f"{frames} frames, {method} path")
            assert f"under {model};" in status(app, "morph")


def test_view_events_with_unusable_values_keep_the_old_ones(app):
    send(app, "view", model="z20-beta3", map="umap", method="wiggly", frames=999, compare="yes", backdrop=None)
    assert not app.exception and not app.error
    assert "under z20-beta1;" in status(app, "morph") and status(app, "morph").startswith("10 frames, linear")


def test_missing_weights_folder_says_how_to_train(tmp_path, monkeypatch):
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(tmp_path / "nowhere"))
    at = open_page()
    assert not at.exception
    assert "python train.py" in at.error[0].value


def test_damaged_weights_file_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    victim = sorted(folder.glob("vae-*.safetensors"))[0]
    victim.write_bytes(victim.read_bytes()[:1000])
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(folder))
    at = open_page()
    assert not at.exception
    assert victim.name in at.error[0].value and "truncated" in at.error[0].value


def test_same_picks_give_bit_identical_frames_across_reruns_and_sessions():
    fingerprints = []
    for _ in range(2):  # two independent sessions
        at = open_page()
        send(at, "clear")
        send(at, "pick", index=21)
        send(at, "pick", index=742)
        fingerprints.append(status(at, "morph").split("sha256 ")[1])
        send(at, "view", model="z20-beta1", map="pca", method="spherical", frames=10, compare=False, backdrop=True)
        send(at, "view", model="z20-beta1", map="pca", method="linear", frames=10, compare=False, backdrop=True)
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
    at = open_page()
    assert not at.exception
    assert victim.name in at.error[0].value and "do not match the config" in at.error[0].value


def test_a_shared_link_restores_the_view_and_the_link_follows_picks():
    query = {"model": "z20-beta2", "method": "spherical", "frames": "12", "a": "3", "b": "7", "map": "tsne"}
    at = open_page(query)
    assert not at.exception and not at.warning
    assert status(at, "morph").startswith("12 frames, spherical path from test #3")
    assert "under z20-beta2;" in status(at, "morph")
    assert widget_data(at)["view"]["map"] == "tsne"
    send(at, "pick", index=11)  # a new pair starts: the link drops b and names a=11
    assert at.query_params["a"] in ("11", ["11"]) and "b" not in at.query_params


def test_a_link_keeps_b_as_b():
    at = open_page({"b": "7"})
    assert chosen(at).a is None and chosen(at).b.index == 7
    assert at.query_params["b"] in ("7", ["7"]) and "a" not in at.query_params


def test_a_drawing_travels_in_the_link_and_gives_the_same_frames():
    import numpy as np

    from explorer.share import drawing_text
    from explorer.state import drawing_bytes, drawn_digit

    picture = np.zeros((28, 28), np.float32)
    picture[5:23, 12:16] = 0.93  # a tall stroke: a 1 (0.93 is not one of the 16 levels a link keeps)
    text = drawing_text(drawing_bytes(drawn_digit(picture).image))
    assert len(text) < 600
    at = open_page({"a": text, "b": "7"})
    assert not at.warning and chosen(at).a.kind == "drawn" and chosen(at).a.label == "your drawing"
    first = status(at, "morph")
    assert at.query_params["a"] in (text, [text])  # the link the page keeps is the one it was opened with
    again = open_page({"a": text, "b": "7"})
    assert status(again, "morph") == first  # frame for frame
    assert np.array_equal(chosen(at).a.image, drawn_digit(picture).image)  # the same 16 levels in the session


def test_bad_url_values_warn_and_fall_back():
    at = open_page({"frames": "999", "a": "-4", "model": "z20-beta3"})
    assert not at.exception
    message = at.warning[0].value
    # each value is named and quoted as code (explorer/safe_text.plain), never as Markdown
    assert "frames = ` 999 `" in message and "a = ` -4 `" in message and "model = ` z20-beta3 `" in message
    assert widget_data(at)["view"]["frames"] == 10
    showcase = load_showcase(WEIGHTS)  # no usable endpoint: the first visit's pair, not an empty preview
    assert at.session_state["endpoints"].a.index == showcase["a"]
    assert at.query_params["frames"] in ("10", ["10"])  # the URL follows the fallback, not the bad value


def test_page_switches_to_the_lesson_and_back(app):
    send(app, "pick", index=3)
    app.segmented_control(key="page").set_value("lesson").run()
    assert not app.exception and not app.error
    assert app.query_params["page"] in ("lesson", ["lesson"])
    assert status(app, "morph") is None  # the explorer is not drawn under the lesson
    app.segmented_control(key="page").set_value("explore").run()
    assert chosen(app).a.index == 3  # nothing chosen is lost by switching


def test_the_traversals_and_prior_samples_data_the_viewer_draws_from(app):
    """The traversals and the samples from the prior are the viewer's (panel/traversals.js, prior.js), fed each
    model's KL per dimension (explorer/charts.py inside_data), which sums to the model's mean KL over the test
    digits, and its measured readable share (tests/test_prior_js.py holds what the viewer draws)."""
    assert status(app, "samples") is None  # no Python section draws them any more
    send(app, "view", model="z20-beta1", map="pca", method="linear", frames=10, compare=True, backdrop=True)
    inside = widget_data(app)["inside"]
    family = shared_family(weights_folder())
    for name, loaded in family.models.items():
        kl = np.array(inside["models"][name]["kl"])
        assert len(kl) == loaded.variant.latent_size == len(inside["models"][name]["active"])
        mu, logvar = loaded.atlas.mu.astype(np.float64), loaded.atlas.logvar.astype(np.float64)
        mean_kl = (-0.5 * (1 + logvar - mu**2 - np.exp(logvar))).sum(axis=1).mean()
        assert kl.sum() == pytest.approx(mean_kl, rel=1e-4)
    assert not app.exception and not app.error


def test_a_geodesic_path_reports_its_energy_and_reaches_the_widget(app):
    send(app, "view", model="z20-beta1", map="pca", method="geodesic", frames=10, compare=False, backdrop=True)
    assert not app.exception
    assert status(app, "morph").startswith("10 frames, geodesic path from test #")
    assert not any(c.value.startswith("Geodesic") for c in app.caption)  # the verdict is the viewer's now
    data = widget_data(app)
    path = data["paths"]["z20-beta1"]
    assert len(path["codes"]) == 10 and path["key"].startswith("z20-beta1|geodesic|10|t")
    report = path["report"]  # what the viewer's plain verdict and its tooltip quote
    assert set(report) == {"energy", "length", "linearEnergy", "linearLength", "steps"}
    assert report["energy"] > 0 and report["linearEnergy"] > 0 and report["steps"] >= 1
    assert set(data["inside"]["geodesic"]) >= {"p10", "median", "p90", "saving_pairs"}


def test_path_analytics_label_every_frame(app):
    reading = status(app, "analytics")
    assert reading.startswith("reads ") and len(reading.removeprefix("reads ")) == 10


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
        ("classifier.safetensors", {"config.channels": "32,64"}, "'channels'"),
    ],
)
def test_tampered_metadata_is_reported_at_start_naming_file_and_field(tmp_path, monkeypatch, victim, changes, field):
    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS, folder)
    _tamper_record(folder / victim, **changes)
    monkeypatch.setenv("LATENT_EXPLORER_WEIGHTS", str(folder))
    at = open_page()
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
    at = open_page()
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
