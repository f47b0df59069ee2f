"""What the viewer's charts under the map read that only the server has: each model's KL per latent
dimension and which dimensions are active (from every test digit's posterior, vae/traversals.py), and
the geodesic's measured energy ratios on random pairs (weights/lesson.json), which grade its verdict.

The viewer draws the charts themselves (viewer/explore/panel/analytics.js and traversals.js) in both
hosts; family_data (explorer/viewer_data.py) hands them this, once per family.
"""

from __future__ import annotations

import numpy as np

from vae.family import Family, load_lesson_file
from vae.traversals import active_dimensions, kl_per_dimension

from .assets import PerFamily

_INSIDE = PerFamily()
GEODESIC_FIGURES = ("p10", "median", "p90", "saving_pairs", "pairs")  # what the verdict's tooltip quotes


def inside_data(family: Family) -> dict:
    """{"models": {name: {"kl": [...], "active": [...]}}, "geodesic": {p10, median, p90, saving_pairs, pairs}}:
    KL(q(z_i|x) || N(0, 1)) averaged over the test digits, in nats, and Cov_x(mu_i) > 0.01 per dimension."""
    built = _INSIDE.get(family)
    if "inside" in built:
        return built["inside"]
    models = {}
    for name, loaded in family.models.items():
        atlas = loaded.atlas
        kl = kl_per_dimension(atlas.mu.astype(np.float64), atlas.logvar.astype(np.float64))
        models[name] = {
            "kl": [round(float(v), 5) for v in kl],
            "active": [bool(v) for v in active_dimensions(atlas.mu)],
        }
        prior = (loaded.record.get("info", {}).get("lesson") or {}).get("prior_samples") or {}
        if {"readable_share", "count"} <= set(prior):  # measured by training/lesson_metrics.py
            models[name]["prior"] = {"readable_share": float(prior["readable_share"]), "count": int(prior["count"])}
    measured = {}
    folder = next((m.path.parent for m in family.models.values() if m.path is not None), None)
    if folder is not None:
        found = load_lesson_file(folder).get("geodesic") or {}
        measured = {k: found[k] for k in GEODESIC_FIGURES if isinstance(found.get(k), int | float)}
    with _INSIDE.lock:
        return built.setdefault("inside", {"models": models, "geodesic": measured})
