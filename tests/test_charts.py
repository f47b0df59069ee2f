"""The charts under the morph, as plain figure dicts: every digit labelled on the classifier's axis,
a step size whose stated unit is the number vae.analytics computes, and figures Plotly accepts."""

import json

import numpy as np
import plotly.graph_objects as go

from explorer import charts
from vae.analytics import PathAnalytics, analyse_path


def analytics(frames: int = 8, classified: bool = True) -> PathAnalytics:
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10), size=frames) if classified else None
    return PathAnalytics(step=rng.random(frames), log_prior=-rng.random(frames), probabilities=probabilities)


def test_classifier_axis_is_categorical_with_every_digit_labelled():
    axis = charts.analytics_figure(analytics(), "t")["layout"]["yaxis3"]
    assert axis["type"] == "category"
    assert axis["tickvals"] == axis["ticktext"] == [str(d) for d in range(10)]
    assert axis["categoryarray"] == [str(d) for d in range(10)]


def test_without_a_classifier_there_is_no_digit_axis():
    figure = charts.analytics_figure(analytics(classified=False), "t")
    assert len(figure["data"]) == 2 and "yaxis3" not in figure["layout"]


def test_compare_heatmap_rows_are_categories_one_per_beta():
    betas = [0.0, 0.5, 1.0, 8.0]
    figure = charts.compare_analytics_figure(betas, [analytics() for _ in betas])
    assert figure["layout"]["yaxis"]["type"] == "category"
    assert figure["data"][0]["y"] == ["β = 0", "β = 0.5", "β = 1", "β = 8"]


def test_step_size_text_matches_what_analytics_measures():
    """The definition says: L2 over pixel intensities 0-1, so one pixel black -> white is 1.0, and
    four pixels changing by 0.5 are 1.0 too. Check those against analyse_path's numbers."""
    frames = np.zeros((3, 28, 28), dtype=np.float32)
    frames[1, 0, 0] = 1.0  # one pixel black -> white
    frames[2] = frames[1]
    frames[2, 5, 5:9] = 0.5  # four pixels by 0.5
    step = analyse_path(np.zeros((3, 2), dtype=np.float32), frames).step
    assert np.allclose(step, [0.0, 1.0, 1.0])
    for claim in (
        "L2",
        "784 pixels",
        "0 (black) to 1 (white)",
        "1.0 is one pixel going from black to white",
        "four pixels changing by 0.5",
    ):
        assert claim in charts.STEP_DEFINITION
    assert "L2" in charts.STEP_TITLE and "0–1" in charts.STEP_TITLE and len(charts.STEP_TITLE) <= 30  # fits a phone
    assert "pixel change" not in charts.STEP_TITLE  # the old, unitless title


def test_every_chart_is_a_figure_plotly_accepts_as_json():
    """The dicts go to the browser as JSON: plotly.py's own validator (strict, as the browser is lax) must
    accept each one, so a typo in a property name fails here and not silently on the page."""
    for figure in (
        charts.analytics_figure(analytics(), "t"),
        charts.analytics_figure(analytics(classified=False), "t"),
        charts.compare_analytics_figure([0.0, 1.0], [analytics()] * 2),
        charts.kl_figure(["z0", "z1"], np.array([1.5, 0.0]), np.array([True, False])),
    ):
        go.Figure(json.loads(json.dumps(figure)))  # raises on an unknown property or a bad value


def test_the_subplot_rows_stack_without_overlapping():
    layout = charts.analytics_figure(analytics(), "t")["layout"]
    domains = [layout[axis]["domain"] for axis in ("yaxis", "yaxis2", "yaxis3")]
    assert all(0 <= low < high <= 1 for low, high in domains)
    assert domains[0][0] > domains[1][1] and domains[1][0] > domains[2][1]  # top to bottom, with gaps
    assert charts.STEP_TITLE in [a["text"] for a in layout["annotations"]]


def test_the_toolbar_keeps_only_the_download_button_so_a_phone_sees_the_title():
    removed = set(charts.CONFIG["modeBarButtonsToRemove"])
    assert {"zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d"} <= removed and "toImage" not in removed
