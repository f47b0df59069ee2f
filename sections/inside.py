"""Inside the model: samples from the prior, per β.

The latent traversals are the viewer's, in both hosts (viewer/explore/panel/traversals.js).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import images
from explorer.share import View
from vae.family import Family
from vae.sampling import READABLE
from vae.traversals import prior_samples

from .runtime import no_traceback, status


@no_traceback
def inside_the_model(family: Family, view: View) -> None:
    """Samples from the prior, per β: where β's effect shows."""
    st.subheader("Inside the model")
    if not st.toggle("Show samples from the prior", key="inside"):
        return
    loaded = family.models[view.model]
    st.caption(
        "The latent traversals (one dimension of a digit's code swept at a time, sorted by its KL) are drawn "
        "by the map itself, under the path's analytics."
    )
    st.markdown("**Samples from the prior**")
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
