"""Inside the model: latent traversals with per-dimension KL, and samples from the prior."""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import charts, images
from explorer.share import View
from explorer.state import Endpoints
from vae.family import Family
from vae.sampling import READABLE
from vae.traversals import active_dimensions, kl_per_dimension, prior_samples, traverse
from widgets.morph_map import chart

from .runtime import no_traceback, status
from .session import endpoints


@no_traceback
def inside_the_model(family: Family, view: View) -> None:
    """Traversals with per-dimension KL, and samples from the prior: where β's effect shows."""
    st.subheader("Inside the model")
    if not st.toggle("Show latent traversals and samples from the prior", key="inside"):
        return
    loaded = family.models[view.model]
    traversals, samples = st.tabs(["Latent traversals", "Samples from the prior"])
    with traversals:
        st.caption(
            "Hold one digit's code fixed and sweep one latent dimension from −3σ to +3σ of the prior; "
            "rows are sorted by how much information the dimension carries (its KL). Inactive "
            "dimensions, which the model has switched off, leave the digit unchanged."
        )
        st.session_state.setdefault("traverse_index", chosen_index(endpoints()))
        index = st.number_input("Test digit (index)", 0, len(family.labels) - 1, key="traverse_index")
        kl = kl_per_dimension(loaded.atlas.mu, loaded.atlas.logvar)
        active = active_dimensions(loaded.atlas.mu)
        order = np.argsort(-kl, kind="stable")
        grid = traverse(loaded.model, loaded.atlas.mu[index])[order]
        labels = [f"z{d}  KL {kl[d]:.2f}" + ("" if active[d] else "  off") for d in order]
        picture, bars = st.columns([3, 2], gap="medium")
        picture.image(
            images.labelled_rows(grid, labels),
            caption=f"{loaded.name}: test #{index} (a {int(family.labels[index])}); columns run from −3 to +3",
        )
        with bars:
            chart("kl_bars", charts.kl_figure([f"z{d}" for d in order], kl[order], active[order]), config=charts.CONFIG)
        status("traversal", f"{len(grid)} rows, {int(active.sum())} active, test #{index} under {loaded.name}")
    with samples:
        st.caption(
            "Decoded draws z ~ N(0, I). Beside each row, the share of such draws that a digit classifier reads "
            f"as a digit (P ≥ {READABLE:g}), measured on the shipped model."
        )
        seed = st.number_input("Seed", 0, 10_000, 0, key="sample_seed")
        latent = loaded.variant.latent_size
        betas = family.betas(latent) if view.compare else [loaded.variant.beta]
        rows = np.stack([prior_samples(family.get(latent, b).model, latent, 12, seed=int(seed)) for b in betas])
        # The β labels are page text: Pillow's built-in font has no Greek letters.
        for beta, row in zip(betas, rows, strict=True):
            label, picture = st.columns([2, 11], vertical_alignment="center")
            measured = prior_figures(family.get(latent, beta))
            read = f"  \n{measured['readable_share']:.0%} of {measured['count']:,}" if measured else ""
            label.markdown(f"**β = {beta:g}**{read}")
            picture.image(images.strip(row, scale=2, end_gap=2))
        st.caption(f"12 samples per model, seed {seed}")
        status("samples", f"{len(rows)} rows, seed {seed}")


def prior_figures(loaded) -> dict | None:
    """The stored figures of the model's prior draws (training/lesson_metrics.py): readable_share, count."""
    found = (loaded.record.get("info", {}).get("lesson") or {}).get("prior_samples") or {}
    return found if {"readable_share", "count"} <= set(found) else None


def chosen_index(chosen: Endpoints) -> int:
    return chosen.a.index if chosen.a is not None and chosen.a.index is not None else 0
