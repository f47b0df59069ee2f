"""The map's figures (explorer/figures.py): shared axes, the prior's circles, an overlay above the dots."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go

from explorer import figures


def cloud(scale: float, seed: int, count: int = 2000) -> np.ndarray:
    return (np.random.default_rng(seed).normal(size=(count, 2)) * scale).astype(np.float32)


def test_shared_extent_holds_nearly_every_point_of_every_map():
    narrow, wide = cloud(1.0, 0), cloud(3.0, 1)
    x0, x1, y0, y1 = figures.shared_extent([narrow, wide])
    for points in (narrow, wide):
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
        assert inside.mean() >= 0.995
    assert x1 - x0 < 2 * np.abs(wide).max() + 1  # percentiles: a far outlier cannot stretch the axes


def test_an_outlier_does_not_stretch_the_axes():
    points = cloud(1.0, 2)
    points[0] = (500.0, -500.0)
    x0, x1, y0, y1 = figures.shared_extent([points])
    assert max(abs(x0), abs(x1), abs(y0), abs(y1)) < 10


def test_square_extent_has_equal_spans():
    x0, x1, y0, y1 = figures.shared_extent([cloud(1.0, 3) * np.array([3.0, 1.0], dtype=np.float32)], square=True)
    assert np.isclose(x1 - x0, y1 - y0)


def test_prior_centre_is_where_z_0_lands_on_the_pca_map():
    rng = np.random.default_rng(4)
    mean = rng.normal(size=20)
    components = np.linalg.qr(rng.normal(size=(20, 2)))[0].T  # (2, 20), orthonormal rows
    centre = figures.prior_centre(mean, components)
    np.testing.assert_allclose(centre, (np.zeros(20) - mean) @ components.T)
    assert figures.prior_centre(None, None) == (0.0, 0.0)


def test_fixed_axes_and_circles_for_the_prior():
    figure = figures.map_figure(cloud(1, 5), np.arange(2000) % 10, "t", extent=(-3, 3, -2, 2), prior=(0.5, -0.5))
    assert list(figure.layout.xaxis.range) == [-3, 3] and list(figure.layout.yaxis.range) == [-2, 2]
    circles = [shape for shape in figure.layout.shapes if shape.type == "circle"]
    assert sorted(round(shape.x1 - shape.x0, 6) for shape in circles) == [2.0, 4.0]  # radius 1 and 2
    assert all(np.isclose((shape.x0 + shape.x1) / 2, 0.5) for shape in circles)


def test_no_fixed_axes_without_an_extent():
    figure = figures.map_figure(cloud(1, 6), np.arange(2000) % 10, "t")
    assert figure.layout.xaxis.range is None and not figure.layout.shapes


def test_every_digit_marker_carries_its_global_index():
    labels = np.arange(2000) % 10
    figure = figures.map_figure(cloud(1, 7), labels, "t")
    seen = np.concatenate([np.asarray(trace.customdata) for trace in figure.data])
    assert sorted(seen.tolist()) == list(range(2000))
    for trace in figure.data:
        assert (labels[np.asarray(trace.customdata)] == int(trace.name)).all()


def test_the_overlay_is_webgl_outlined_and_not_clickable():
    traces = json.loads(
        figures.overlay_json(np.array([[0, 0], [1, 1], [2, 2]]), {"A": np.array([0, 0]), "B": np.array([2, 2])})
    )["data"]
    assert [trace["type"] for trace in traces] == ["scattergl"] * 3  # WebGL: painted after (above) the dots
    assert [trace["name"] for trace in traces] == ["path", "A", "B"]
    for trace in traces:
        assert "customdata" not in trace
    for trace in traces[1:]:
        assert trace["marker"]["line"]["width"] >= 2 and trace["marker"]["size"] >= 16


def test_the_plane_grid_covers_the_extent_exactly():
    grid = figures.plane_grid((-4.0, 4.0, -3.0, 5.0), steps=11)
    assert grid.shape == (121, 2)
    assert grid[:, 0].min() == -4 and grid[:, 0].max() == 4 and grid[:, 1].min() == -3 and grid[:, 1].max() == 5
    figure = figures.map_figure(cloud(1, 8), np.arange(2000) % 10, "t", plane_grid=grid)
    assert isinstance(figure.data[0], go.Scattergl) and set(figure.data[0].customdata) == {figures.GRID_INDEX}
