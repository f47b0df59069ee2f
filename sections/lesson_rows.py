"""The lesson under its first screen and its presets: the
reparameterization rows (one digit's q(z|x) sampled per model, z = mu + sigma * eps, decoded) and the
per-beta table every figure of the lesson comes from (stored in each checkpoint, training/lesson_metrics.py).
sections/lesson.py lays them out; every figure is read from the shipped files or computed on the spot.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import images
from explorer.planes import TILES, lesson_record, share, small
from explorer.share import View
from explorer.state import test_digit
from vae.family import AUTOENCODER, VAE, Family, LoadedModel
from vae.sampling import READABLE, posterior_codes

from . import session
from .runtime import status

POSTERIOR_SAMPLES = 8  # K samples of q(z|x) per row
DIGIT = "lesson_digit"  # the test digit whose q(z|x) the rows sample


def row_models(family: Family) -> list[str]:
    """The z = 2 pair, then z = 20 at the same two β where shipped."""
    names = [AUTOENCODER, VAE]
    for name in names[:2]:
        z20 = f"z20-beta{family.models[name].variant.beta:g}"
        if z20 in family.models:
            names.append(z20)
    return names


def model_title(loaded: LoadedModel) -> str:
    kind = "Autoencoder" if loaded.variant.beta == 0 else "VAE"
    return f"{kind}, z = {loaded.variant.latent_size}"


# --- the reparameterization ---------------------------------------------------------------------------------------


def posterior_digit(family: Family):
    """Whose q(z|x) the rows sample: endpoint A when one is chosen, else a test index."""
    chosen = session.endpoints()
    if chosen.a is not None:
        st.caption(f"For endpoint A: {chosen.a.label}")
        return chosen.a
    st.session_state.setdefault(DIGIT, 0)
    index = st.number_input("Test digit", 0, len(family.labels) - 1, key=DIGIT, width=160)
    return test_digit(family, int(index))


def reparameterization(family: Family, view: View) -> None:
    st.subheader("One digit, encoded: z = μ + σ·ε")
    ae, vae = (float(np.median(np.exp(0.5 * family.models[n].atlas.logvar))) for n in (AUTOENCODER, VAE))
    st.markdown(
        f"Each encoder gives a digit a mean μ and a spread σ; training decodes z = μ + σ·ε with ε ~ N(0, I). "
        f"Median σ over the test digits: {small(ae)} for the autoencoder, {small(vae)} for the VAE."
    )
    controls = st.columns([1, 1, 3], vertical_alignment="bottom")
    with controls[0]:
        digit = posterior_digit(family)
    controls[1].button(
        "New ε",
        key="new_eps",
        on_click=session.bump,
        args=(session.EPS,),
        help="New ε: new samples of the same q(z|x), the same ε under every model (the seed is kept in the link).",
    )
    eps_seed = int(st.session_state.get(session.EPS, 0))
    names = row_models(family)
    for name in names:
        loaded = family.models[name]
        mu, logvar = loaded.model.encode(digit.image[None])
        codes = np.concatenate([mu, posterior_codes(mu[0], logvar[0], POSTERIOR_SAMPLES, eps_seed)])
        decoded = loaded.model.decode(codes)
        change = float(np.linalg.norm((decoded[1:] - decoded[0]).reshape(POSTERIOR_SAMPLES, -1), axis=1).mean())
        sigma = float(np.median(np.exp(0.5 * logvar[0])))
        text, row = st.columns([2, 5], vertical_alignment="center")
        text.markdown(
            f"**{model_title(loaded)}**: σ {small(sigma)}; the samples differ from decoded μ by {change:.2f}",
            help="How far the samples move the picture: the L2 distance over the 784 pixel intensities (0 to 1) "
            "between each decoded sample and decoded μ, averaged; 1.00 is one pixel turned from black to white. "
            "σ: the median of its spreads, one per dimension of z.",
        )
        row.image(images.strip(np.concatenate([digit.image[None], decoded]), scale=2, end_gap=8))
    st.caption(f"Each row: the digit, decoded μ, then {POSTERIOR_SAMPLES} decoded samples.")
    status("posterior", f"{len(names)} rows; eps seed {eps_seed}; digit {digit.label}")


# --- the table ----------------------------------------------------------------------------------------------------


def table_rows(family: Family) -> list[dict[str, str]]:
    """One row per shipped model, the lesson's columns first, every cell formatted (a dash where a model has
    no such figure)."""
    rows = []
    for loaded in sorted(family.models.values(), key=lambda m: (m.variant.latent_size, m.variant.beta)):
        metrics = loaded.record.get("info", {}).get("metrics", {})
        figures = lesson_record(loaded)
        prior, middle, plane = figures.get("prior_samples") or {}, figures.get("midpoints") or {}, figures.get("plane")
        rows.append(
            {
                "model": loaded.name,
                "N(0, I) readable": text(prior.get("readable_share"), share),
                "digits": text(prior.get("digits_covered"), lambda n: f"{n} / 10"),
                "empty cells": text(plane.get("empty_share") if isinstance(plane, dict) else None, share),
                "midpoint P": text(middle.get("mean_confidence"), lambda v: f"{v:.2f}"),
                "−ELBO": text(metrics.get("neg_elbo"), lambda v: f"{v:.1f}"),
                "KL": text(metrics.get("kl"), lambda v: f"{v:.1f}"),
            }
        )
    return rows


def table(family: Family) -> None:
    """The per-model figures as a plain Markdown table: it needs none of the data grid's code, so the lesson
    draws sooner, and a phone shows its first columns (the lesson's) first."""
    count = lesson_record(family.models[AUTOENCODER]).get("prior_samples", {}).get("count", 1000)
    pairs = lesson_record(family.models[AUTOENCODER]).get("midpoints", {}).get("pairs", 300)
    st.subheader(
        "The figures, per model",
        help=f"N(0, I) readable: of {count:,} decoded draws of N(0, I) (seed 0), the share a classifier reads at "
        f"P ≥ {READABLE:g}; digits: how many of the 10 digits those are. Empty cells (z = 2): of a {TILES} × {TILES} "
        f"grid over the box holding 99% of the test codes, the share with no code. Midpoint P: the classifier's mean "
        f"P on the decoded halfway point between the codes of two test digits ({pairs} pairs). −ELBO and KL: test "
        "set, nats per digit.",
    )
    rows = table_rows(family)
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row[key] for key in header) + " |" for row in rows]
    st.markdown("\n".join(lines))


def text(value, form) -> str:
    """A table cell: the formatted figure, or a dash where the model has none."""
    return "–" if value is None else form(value)
