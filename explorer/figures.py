"""What the browser needs to lay out each model's map (the widget draws it: viewer/explore/map/plot.js).

Comparable maps: PCA maps and the plane take fixed axis ranges shared by every VAE of one latent
size (`shared_extent`), so switching β shows the codes spreading or packing; the prior N(0, I) is
drawn as its 1σ and 2σ circles (`prior_centre`). t-SNE keeps no scale, so it gets neither. A
plain autoencoder (β = 0) has no KL term to fix its scale, so it gets axes of its own.
"""

from __future__ import annotations

import numpy as np

from vae.sampling import manifold_codes, plane_box

from .assets import STORE, PerFamily, loaded_words
from .images import manifold, png
from .planes import TILES, empty_cells

PLOT_CONFIG = {  # the map's Plotly config
    "doubleClickDelay": 100,  # two quick clicks would otherwise read as a double-click (a zoom reset)
    # A double-click (or two clicks within the delay) returns to the shared axes; Plotly's default
    # "reset+autosize" autoranges axes already at their first range, breaking "the same axes for every β".
    "doubleClick": "reset",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
    "responsive": True,
    "scrollZoom": True,
}
Extent = tuple[float, float, float, float]  # x0, x1, y0, y1
# The maps in plain words (issue 24): the toolbar's buttons and a phone's title, then each map's title, which
# names a map as its button does (a reader met two names for the z = 2 map).
MAP_WORDS = {"plane": "2-D plane", "pca": "PCA", "tsne": "t-SNE"}
MAP_TITLES = {
    "plane": f"{MAP_WORDS['plane']} (the codes as they are)",
    "pca": "PCA (the two directions the codes spread most)",
    "tsne": "t-SNE (neighbours kept together)",
}


def shared_extent(maps: list[np.ndarray], pad: float = 0.06, square: bool = False) -> Extent:
    """Axis ranges that hold 99.8% of the digits of every map in `maps` (one per β), padded.

    Percentiles rather than min/max, so a handful of outliers cannot shrink every map;
    `square` gives both axes the same span (the z = 2 plane, drawn with equal units).
    """
    points = np.concatenate([np.asarray(m, dtype=np.float64) for m in maps])
    low, high = np.percentile(points, [0.1, 99.9], axis=0)
    span = high - low
    low, high = low - pad * span, high + pad * span
    if square:
        centre, half = (low + high) / 2, float((high - low).max()) / 2
        low, high = centre - half, centre + half
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def prior_centre(pca_mean: np.ndarray | None, pca_components: np.ndarray | None) -> tuple[float, float]:
    """Where the prior's mean z = 0 lands on a map: the origin of the plane, or -mean @ components.T for a
    PCA map (vae/atlas.py centres it on the mean of mu). The components are orthonormal, so the prior
    N(0, I) projects to N(centre, I_2) and circles of radius 1 and 2 are its exact 1σ and 2σ contours."""
    if pca_mean is None:
        return 0.0, 0.0
    centre = -np.asarray(pca_mean, dtype=np.float64) @ np.asarray(pca_components, dtype=np.float64).T
    return float(centre[0]), float(centre[1])


BACKDROP_TILES = 20  # decoded digits per side behind the z = 2 plane
PHONE_BACKDROP_TILES = 10  # on a phone's map (~300 px): 28 px a digit, one screen pixel per MNIST pixel
_MAP_INFO = PerFamily()


def map_info(family) -> dict:
    """For every model and map: the axes' extent (or None), where N(0, I) is centred (or None), a
    title, and on the plane the URL of the decoded-digit backdrop. Built once per family."""
    built = _MAP_INFO.get(family)
    if "info" in built:
        return built["info"]
    info = {}
    for name, loaded in family.models.items():
        latent, autoencoder = loaded.variant.latent_size, loaded.variant.beta == 0
        info[name] = {}
        for map_name in loaded.atlas.maps:
            extent, prior, backdrop, phone_backdrop, holes = None, None, None, None, None
            if map_name != "tsne":
                alike = [
                    m.atlas.maps[map_name]
                    for m in family.models.values()
                    if m.variant.latent_size == latent
                    and map_name in m.atlas.maps
                    and (m.variant.beta == 0) == autoencoder
                ]
                extent = shared_extent(alike, square=map_name == "plane")
            if map_name == "pca":
                prior = prior_centre(loaded.atlas.pca_mean, loaded.atlas.pca_components)
            if map_name == "plane":
                prior = prior_centre(None, None)
                backdrop, phone_backdrop = (
                    STORE.put(png(np.asarray(manifold(loaded.model.decode(backdrop_codes(extent, t)), t))), "png")
                    for t in (BACKDROP_TILES, PHONE_BACKDROP_TILES)
                )
                holes = hole_grid(loaded.atlas.mu)
            # Short enough for one line over a 1500 px page's map (the rings label themselves: "1σ (39%)").
            note = (
                " · no scale: compare clusters, not distances"
                if map_name == "tsne"
                else " · own axes: its codes spread wider"
                if autoencoder
                else " · the same axes for every β"
            )
            info[name][map_name] = {
                "extent": [round(v, 5) for v in extent] if extent else None,
                "prior": [round(v, 5) for v in prior] if prior else None,
                "title": f"{loaded_words(loaded)}: {MAP_TITLES[map_name]}{note}",
                "backdrop": backdrop,
                "phoneBackdrop": phone_backdrop,  # fewer, larger tiles for a phone's map (viewer/explore/map/plot.js)
                "holes": holes,
            }
    with _MAP_INFO.lock:
        return built.setdefault("info", info)


def hole_grid(mu: np.ndarray) -> dict:
    """The plane's holes as the lesson draws them (explorer/planes.py empty_cells: a TILES x TILES grid over the
    0.5-99.5 percentile box of the test codes, a cell with no code), for viewer/core/holes.js: the box, the side
    and the cells as a string of "1" (empty) and "0", row-major, top row first."""
    box = plane_box(np.asarray(mu, dtype=np.float32))
    empty = empty_cells(mu, box)
    return {"box": [float(v) for v in box], "tiles": TILES, "empty": "".join("1" if c else "0" for c in empty.ravel())}


def backdrop_codes(extent: Extent, tiles: int = BACKDROP_TILES) -> np.ndarray:
    """(tiles^2, 2) codes at the tile centres of the plane's extent, top row first."""
    return manifold_codes(extent, tiles)
