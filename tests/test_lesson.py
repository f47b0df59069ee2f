"""The lesson (sections/lesson.py): AE vs VAE planes, probes, q(z|x) samples, prior samples, the per-β table,
the presets, and the figures behind them recomputed from the shipped weights."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from conftest import ROOT, WEIGHTS
from explorer.share import parse_query
from training import lesson_metrics
from training.checkpoint import load_checkpoint
from vae.checkpoint import read_checkpoint
from vae.family import load_family, load_lesson_file
from vae.sampling import ellipse, manifold_codes, nearest_code, plane_box, posterior_codes, prior_codes

APP = str(ROOT / "page.py")
AE, VAE = "z2-beta0", "z2-beta1"


def status(at: AppTest, name: str) -> str | None:
    for element in at.get("html"):
        if f'data-name="{name}"' in element.proto.body:
            return element.proto.body.split(">", 1)[1].rsplit("<", 1)[0]
    return None


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture(scope="module")
def family():
    return load_family(WEIGHTS)


@pytest.fixture
def lesson() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["page"] = "lesson"
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def plane_click(at: AppTest, key: str, x, y, serial: int) -> AppTest:
    """One click as the map component sends it: index -1 (empty plane) at (x, y)."""
    at.session_state[key] = {"click": {"index": -1, "x": x, "y": y, "serial": serial}}
    return at.run()


# --- the page ---------------------------------------------------------------------------------------------------


def test_the_lesson_shows_both_planes_samples_and_the_table(lesson, family):
    assert status(lesson, "lesson").startswith(f"planes {AE} {VAE}; probe None")
    assert status(lesson, "posterior").startswith("4 rows; eps seed 0")  # z2 AE, z2 VAE, z20 β 0 and β 1
    assert status(lesson, "samples-lesson") == "4 rows, seed 0"
    page = texts(lesson)
    for name in (AE, VAE):  # the measured share is printed beside each model's samples, from its checkpoint
        measured = family.models[name].record["info"]["lesson"]["prior_samples"]
        assert f"**{measured['readable_share']:.0%}** of 1,000 draws read as a digit" in page
        assert f"covering **{measured['digits_covered']} of 10** digits" in page
    table = lesson.dataframe[0].value
    assert set(table["model"]) == set(family.models)


def test_a_click_on_empty_plane_is_decoded_on_both_planes(lesson):
    plane_click(lesson, "plane-ae", 5.123, -20.456, serial=1)
    assert not lesson.exception
    assert lesson.session_state["probe"] == (5.12, -20.46)
    assert status(lesson, "lesson").startswith(f"planes {AE} {VAE}; probe (5.12, -20.46)")
    cards = [m.value for m in lesson.markdown if m.value.startswith("The nearest test code is")]
    assert len(cards) == 2  # one card under each plane
    assert lesson.query_params["probe"] == "5.12,-20.46"
    plane_click(lesson, "plane-vae", -0.5, 0.25, serial=1)  # each map counts its own serials
    assert lesson.session_state["probe"] == (-0.5, 0.25)


@pytest.mark.parametrize("x, y", [("abc", 0.0), (math.nan, 1.0), (1e9, 0.0), (None, None), (True, 1.0)])
def test_forged_plane_clicks_are_ignored(lesson, x, y):
    plane_click(lesson, "plane-ae", x, y, serial=7)
    assert not lesson.exception
    assert lesson.session_state["probe"] is None


def test_new_eps_draws_new_samples_and_goes_in_the_link(lesson):
    before = status(lesson, "posterior")
    lesson.button(key="new_eps").click().run()
    assert status(lesson, "posterior") != before
    assert "eps seed 1" in status(lesson, "posterior")
    assert lesson.query_params["eps"] == "1"
    lesson.button(key="new_samples").click().run()
    assert status(lesson, "samples-lesson") == "4 rows, seed 1"
    assert lesson.query_params["samples"] == "1"


def test_a_link_restores_the_seeds_and_the_probe():
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in {"page": "lesson", "eps": "3", "samples": "5", "probe": "1.50,-2.25"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert "eps seed 3" in status(at, "posterior")
    assert status(at, "samples-lesson") == "4 rows, seed 5"
    assert at.session_state["probe"] == (1.5, -2.25)


def test_every_preset_opens_its_view(family):
    shipped = load_lesson_file(WEIGHTS).get("presets")
    assert shipped, "weights/lesson.json has no presets: run python -m training.presets"
    for number, preset in enumerate(shipped):
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["page"] = "lesson"
        at.run()
        at.button(key=f"preset_{number}").click().run()
        assert not at.exception, (preset["title"], at.exception)
        view, warnings = parse_query(preset["query"], family)
        assert not warnings
        assert at.session_state["page"] == view.page
        assert at.session_state["probe"] == view.probe
        chosen = at.session_state["endpoints"]
        assert (chosen.a.index if chosen.a else None, chosen.b.index if chosen.b else None) == (view.a, view.b)
        if view.page == "explore":
            assert status(at, "morph").startswith(f"{view.frames} frames, {view.method} path")
            assert status(at, "compare") is not None


# --- the figures behind the sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [AE, VAE, "z20-beta0", "z20-beta1"])
def test_stored_lesson_figures_are_recomputed_exactly(name):
    """The per-β table in each checkpoint is what the code computes from the shipped tensors."""
    model, record = load_checkpoint(WEIGHTS / f"vae-{name}.safetensors")
    classifier, _ = load_checkpoint(WEIGHTS / "classifier.safetensors")
    stored = record["info"]["lesson"]
    prior = lesson_metrics.prior_sample_figures(model, classifier, **lesson_metrics.PRIOR_SAMPLES)
    assert prior["readable_per_digit"] == stored["prior_samples"]["readable_per_digit"]
    assert prior["readable_share"] == pytest.approx(stored["prior_samples"]["readable_share"], abs=2e-3)
    atlas = np.load(WEIGHTS / f"atlas-{name}.npz")
    if model.config.latent_size == 2:
        assert lesson_metrics.plane_figures(atlas["mu"]) == stored["plane"]
    else:
        assert stored["plane"] is None


def test_the_autoencoder_and_the_vae_differ_where_the_lesson_says(family):
    """The lesson's claims, as inequalities on the stored table (they fail if retrained models stop showing them)."""
    table = {name: family.models[name].record["info"]["lesson"] for name in (AE, VAE, "z20-beta0", "z20-beta1")}
    for ae, vae in ((AE, VAE), ("z20-beta0", "z20-beta1")):
        assert table[vae]["prior_samples"]["readable_share"] > table[ae]["prior_samples"]["readable_share"]
        assert table[vae]["prior_samples"]["digits_covered"] == 10 > table[ae]["prior_samples"]["digits_covered"]
    z20 = [table[n]["prior_samples"]["readable_share"] for n in ("z20-beta0", "z20-beta1")]
    assert z20[1] > 10 * z20[0]  # the README: at z = 20 the autoencoder's draws almost never read as digits
    assert table[AE]["plane"]["empty_share"] > 2 * table[VAE]["plane"]["empty_share"]
    # ... and where they look alike: between two real codes, the midpoints read about as surely.
    middle = [table[n]["midpoints"]["mean_confidence"] for n in ("z20-beta0", "z20-beta1")]
    assert abs(middle[0] - middle[1]) < 0.1


def test_the_autoencoder_collapses_sigma_and_the_vae_does_not(family):
    ae, vae = (np.exp(0.5 * np.median(family.models[n].atlas.logvar, axis=0)) for n in (AE, VAE))
    assert ae.max() < 0.01 < vae.min()


# --- the numbers' helpers ---------------------------------------------------------------------------------------


def test_samples_are_seeded_and_follow_the_reparameterization():
    assert np.array_equal(prior_codes(2, 8, seed=4), prior_codes(2, 8, seed=4))
    assert not np.array_equal(prior_codes(2, 8, seed=4), prior_codes(2, 8, seed=5))
    mu, logvar = np.array([1.0, -2.0], np.float32), np.log(np.array([0.25, 4.0], np.float32))
    samples = posterior_codes(mu, logvar, 20_000, seed=0)
    assert samples.mean(axis=0) == pytest.approx(mu, abs=0.05)
    assert samples.std(axis=0) == pytest.approx([0.5, 2.0], rel=0.03)
    eps = np.random.default_rng(0).standard_normal((20_000, 2)).astype(np.float32)
    assert np.allclose(samples, mu + np.array([0.5, 2.0], np.float32) * eps, atol=1e-5)


def test_ellipse_is_the_k_sigma_contour():
    ring = ellipse(np.array([1.0, 2.0]), np.array([0.5, 3.0]), radius=2.0)
    scaled = (ring - [1.0, 2.0]) / [0.5, 3.0]
    assert np.allclose(np.linalg.norm(scaled, axis=1), 2.0)


def test_plane_grid_covers_the_box_top_row_first():
    box = plane_box(np.random.default_rng(0).normal(size=(1000, 2)))
    codes = manifold_codes(box, 5)
    assert codes.shape == (25, 2)
    assert codes[0, 1] > codes[-1, 1] and codes[0, 0] < codes[4, 0]
    assert box[0] < codes[:, 0].min() and codes[:, 0].max() < box[1]
    assert nearest_code(codes[0], codes) == (0, 0.0)


def test_lesson_metrics_rewrite_keeps_the_tensors(tmp_path):
    """`python -m training.lesson_metrics` restamps metadata only: tensors and their digest are unchanged."""
    source = WEIGHTS / f"vae-{VAE}.safetensors"
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    arrays, record = read_checkpoint(copy)
    lesson_metrics.rewrite_info(copy, dict(record["info"], lesson={"marker": 1}))
    again, restamped = read_checkpoint(copy)
    assert restamped["sha256"] == record["sha256"] and restamped["info"]["lesson"] == {"marker": 1}
    assert all(torch.equal(torch.from_numpy(arrays[k]), torch.from_numpy(again[k])) for k in arrays)


@pytest.mark.parametrize(
    "ratio, verdict",
    [(0.30, "a real detour"), (0.75, "an ordinary bend"), (0.95, "nearly the straight line"), (1.20, "no better")],
)
def test_the_geodesic_verdict_is_graded_against_measured_ratios(ratio, verdict):
    """The thresholds come from weights/lesson.json (random pairs), not from a hand-set number."""
    measured = load_lesson_file(WEIGHTS)["geodesic"]
    assert measured["p10"] < 0.75 < measured["p90"] < 0.95  # the cases above fall where they say

    def page(ratio):
        from types import SimpleNamespace

        import streamlit as st

        from sections.morph import geodesic_words

        report = SimpleNamespace(energy=10 * ratio, linear_energy=10.0, energy_ratio=ratio, length_ratio=1.0, steps=40)
        st.caption(geodesic_words(report))

    at = AppTest.from_function(page, args=(ratio,), default_timeout=30).run()
    assert not at.exception
    assert verdict in at.caption[0].value
