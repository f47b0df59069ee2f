"""The charts under the morph: every digit labelled on the classifier's axis, and a step size whose
stated unit is the number vae.analytics computes."""

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from explorer import charts
from vae.analytics import PathAnalytics, analyse_path


def analytics(frames: int = 8, classified: bool = True) -> PathAnalytics:
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(10), size=frames) if classified else None
    return PathAnalytics(step=rng.random(frames), log_prior=-rng.random(frames), probabilities=probabilities)


def test_classifier_axis_is_categorical_with_every_digit_labelled():
    layout = charts.analytics_figure(analytics(), "t").layout
    axis = layout.yaxis3
    assert axis.type == "category"
    assert list(axis.tickvals) == list(axis.ticktext) == [str(d) for d in range(10)]
    assert list(axis.categoryarray) == [str(d) for d in range(10)]


def test_without_a_classifier_there_is_no_digit_axis():
    figure = charts.analytics_figure(analytics(classified=False), "t")
    assert len(figure.data) == 2 and "yaxis3" not in figure.layout.to_plotly_json()


def test_compare_heatmap_rows_are_categories_one_per_beta():
    betas = [0.0, 0.5, 1.0, 8.0]
    figure = charts.compare_analytics_figure(betas, [analytics() for _ in betas])
    assert figure.layout.yaxis.type == "category"
    assert list(figure.data[0].y) == ["β = 0", "β = 0.5", "β = 1", "β = 8"]


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


def analytics_page():
    """The morph's analytics chart for a real path of the shipped z20-beta1 model, as Streamlit sends it."""
    import streamlit as st

    from explorer import charts
    from sections.runtime import get_family
    from vae.analytics import analyse_path
    from vae.family import weights_folder
    from vae.paths import interpolate

    family = get_family(weights_folder())
    loaded = family.models["z20-beta1"]
    codes = interpolate(loaded.atlas.mu[3], loaded.atlas.mu[7], 10, "linear")
    analytics = analyse_path(codes, loaded.model.decode(codes), family.classifier)
    st.plotly_chart(charts.analytics_figure(analytics, "Along the path"), key="analytics")


def test_the_page_receives_a_categorical_digit_axis_and_the_step_title():
    at = AppTest.from_function(analytics_page, default_timeout=60).run()
    assert not at.exception and not at.error
    (chart,) = at.get("plotly_chart")
    layout = json.loads(chart.proto.spec)["layout"]
    assert layout["yaxis3"]["type"] == "category" and layout["yaxis3"]["tickvals"] == [str(d) for d in range(10)]
    assert charts.STEP_TITLE in [a["text"] for a in layout["annotations"]]


def test_charts_keep_only_the_download_button_so_a_phone_sees_the_title():
    for figure in (
        charts.analytics_figure(analytics(), "t"),
        charts.compare_analytics_figure([0.0, 1.0], [analytics()] * 2),
    ):
        assert {"zoom", "pan", "zoomIn", "zoomOut", "autoScale", "resetScale"} <= set(figure.layout.modebar.remove)
        assert "toImage" not in figure.layout.modebar.remove
