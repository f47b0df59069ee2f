"""The lesson's rows under the two planes: decoded N(0, I) samples per model with their measured
readable share, the reparameterization trick (q(z|x) samples z = mu + sigma * eps per model), and
the per-beta table every caption is written from (stored in each checkpoint, vae/lesson_metrics.py).
sections/lesson.py lays them out under the planes; every figure is read from the checkpoints or
computed on the spot.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import images
from explorer.share import View
from vae.family import Family, LoadedModel
from vae.sampling import plane_box, posterior_codes, prior_codes, readable_summary

from . import session
from .runtime import status

AUTOENCODER, VAE = "z2-beta0", "z2-beta1"  # the lesson's z = 2 autoencoder and VAE
SAMPLES = 16  # prior samples per row
POSTERIOR_SAMPLES = 8  # K samples of q(z|x)


def reparameterization(family: Family, view: View, digit, eps_seed: int) -> None:
    st.subheader("The reparameterization trick: a VAE encodes a distribution, not a point")
    st.markdown(
        "The encoder outputs a mean **μ** and a spread **σ** for every digit: the Gaussian "
        "q(z|x) = N(μ, σ²), drawn above in red (1σ solid, 2σ dotted). Training decodes a *sample* of it, "
        "**z = μ + σ·ε** with ε ~ N(0, I), so gradients flow through μ and σ while the randomness sits "
        "in ε. The reconstruction term alone would shrink σ towards zero (a sample far from μ decodes worse); "
        "the KL term, β·KL(q(z|x) ‖ N(0, I)), is smallest at σ = 1 and charges for shrinking it. With β = 0 "
        f"nothing holds σ up: {sigma_sentence(family)}"
    )
    st.button(
        "New ε",
        key="new_eps",
        on_click=session.bump,
        args=(session.EPS,),
        help="Draw new ε: new samples z = μ + σ·ε of the same q(z|x) (the seed is kept in the link).",
    )
    names = row_models(family, view)
    rows, labels = [], []
    for name in names:
        loaded = family.models[name]
        mu, logvar = loaded.model.encode(digit.image[None])
        codes = np.concatenate([mu, posterior_codes(mu[0], logvar[0], POSTERIOR_SAMPLES, eps_seed)])
        decoded = loaded.model.decode(codes)
        rows.append(np.concatenate([digit.image[None], decoded]))
        sigma = np.exp(0.5 * logvar[0])
        typical = np.exp(0.5 * np.median(loaded.atlas.logvar, axis=0))
        change = float(np.linalg.norm((decoded[1:] - decoded[0]).reshape(POSTERIOR_SAMPLES, -1), axis=1).mean())
        labels.append(
            f"**{name}** (β = {loaded.variant.beta:g}): σ of this digit {format_sigma(sigma)}; "
            f"median σ over the test set {format_sigma(typical)}. The samples differ from decoded μ by "
            f"**{change:.2f}** on average"
        )
    for label, row in zip(labels, rows, strict=True):
        st.markdown(label)
        st.image(images.strip(row, scale=2, end_gap=8))
    st.caption(
        f"Each row: the digit | decoded μ | {POSTERIOR_SAMPLES} decoded samples z = μ + σ·ε (ε seed {eps_seed}). "
        "How far the samples move the picture: the L2 distance over the 784 pixel intensities (0 to 1) between "
        "each decoded sample and decoded μ, averaged; 1.0 is one pixel turned from black to white."
    )
    status("posterior", f"{len(rows)} rows; eps seed {eps_seed}; digit {digit.label}")


def sigma_sentence(family: Family) -> str:
    """The median σ over the test set of the shipped z = 2 autoencoder and VAE, measured from their atlases."""
    ae, vae = (float(np.median(np.exp(0.5 * family.models[n].atlas.logvar))) for n in (AUTOENCODER, VAE))
    box = plane_box(family.models[VAE].atlas.mu)
    return (
        f"the z = 2 autoencoder's median σ is {ae:.1g}, so its ellipses are dots. The VAE's is {vae:.2g}: small "
        f"next to the {box[1] - box[0]:.1f} units its codes span, so its samples of one digit decode nearly alike; "
        "the rows below measure how far the samples move the picture, per model."
    )


def format_sigma(sigma: np.ndarray) -> str:
    if len(sigma) <= 2:
        return "(" + ", ".join(f"{s:.3g}" for s in sigma) + ")"
    return f"from {sigma.min():.3g} to {sigma.max():.3g} over its {len(sigma)} dimensions"


def row_models(family: Family, view: View) -> list[str]:
    """The models the lesson's rows show: the z = 2 pair, then z = 20 at β = 0 and 1 (every β in compare mode)."""
    z20 = [m.name for m in sorted_models(family, 20) if view.compare or m.variant.beta in (0.0, 1.0)]
    return [AUTOENCODER, VAE, *z20]


def sorted_models(family: Family, latent: int) -> list[LoadedModel]:
    return [family.get(latent, beta) for beta in family.betas(latent)]


def sampling(family: Family, view: View) -> None:
    st.subheader("Sampling: decode random points of N(0, I)")
    st.markdown(
        "A generative model should turn *any* draw z ~ N(0, I) into a digit, and every kind of digit should "
        "come up. The VAE's KL term trains its codes to fill exactly that cloud; the autoencoder's codes sit "
        "wherever its encoder put them, so its draws land on whatever happens to lie near the origin. "
        "The figures beside each row were measured on 1,000 draws per model (seed 0) by a digit classifier: "
        "a draw *reads as a digit* at P ≥ 0.9."
    )
    seed = int(st.session_state.get(session.SAMPLES, 0))
    st.button(
        "New samples",
        key="new_samples",
        on_click=session.bump,
        args=(session.SAMPLES,),
        help="A new seed for the draws (kept in the link).",
    )
    names = row_models(family, view)
    for name in names:
        loaded = family.models[name]
        shown = loaded.model.decode(prior_codes(loaded.variant.latent_size, SAMPLES, seed))
        text, row = st.columns([2, 5], vertical_alignment="center")
        measured = lesson_record(loaded).get("prior_samples")
        words = f"**{name}** ({'autoencoder' if loaded.variant.beta == 0 else 'VAE'}, β = {loaded.variant.beta:g})"
        if measured:
            words += (
                f": **{measured['readable_share']:.0%}** of {measured['count']:,} draws read as a digit, "
                f"covering **{measured['digits_covered']} of 10** digits{most_often(measured)}"
            )
        if family.classifier is not None:
            readable, covered = readable_summary(family.classifier.probabilities(shown))
            words += f". These {SAMPLES}: {readable} readable, {covered} digits."
        text.markdown(words)
        row.image(images.strip(shown, scale=2, end_gap=2))
    st.caption(f"Draws with seed {seed}.")
    status("samples-lesson", f"{len(names)} rows, seed {seed}")


def most_often(measured: dict) -> str:
    """ ", most often 6, 2, 0" when a few digits dominate the readable draws (over half of them in the top three)."""
    counts = measured.get("readable_per_digit")
    if not isinstance(counts, list) or len(counts) != 10 or sum(counts) == 0:
        return ""
    top = sorted(range(10), key=lambda d: -counts[d])[:3]
    if sum(counts[d] for d in top) <= 0.5 * sum(counts):
        return ""
    return ", most often " + ", ".join(str(d) for d in top if counts[d] > 0)


def lesson_record(loaded: LoadedModel) -> dict:
    lesson_figures = loaded.record.get("info", {}).get("lesson")
    return lesson_figures if isinstance(lesson_figures, dict) else {}


def table(family: Family) -> None:
    st.subheader("The figures behind every sentence here")
    rows = []
    for loaded in sorted(family.models.values(), key=lambda m: (m.variant.latent_size, m.variant.beta)):
        metrics = loaded.record.get("info", {}).get("metrics", {})
        figures = lesson_record(loaded)
        prior, middle, plane = figures.get("prior_samples") or {}, figures.get("midpoints") or {}, figures.get("plane")
        rows.append(
            {
                "model": loaded.name,
                "−ELBO": metrics.get("neg_elbo"),
                "reconstruction": metrics.get("reconstruction"),
                "KL": metrics.get("kl"),
                "active units": metrics.get("active_units"),
                "N(0, I) readable": prior.get("readable_share"),
                "digits covered": prior.get("digits_covered"),
                "midpoint confidence": middle.get("mean_confidence"),
                "midpoints < 0.5": middle.get("share_below_half"),
                "empty plane cells": plane.get("empty_share") if isinstance(plane, dict) else None,
            }
        )
    st.dataframe(
        rows,
        hide_index=True,
        use_container_width=True,
        column_config={
            "N(0, I) readable": st.column_config.NumberColumn(format="percent"),
            "midpoints < 0.5": st.column_config.NumberColumn(format="percent"),
            "empty plane cells": st.column_config.NumberColumn(format="percent"),
            "−ELBO": st.column_config.NumberColumn(format="%.1f"),
            "reconstruction": st.column_config.NumberColumn(format="%.1f"),
            "KL": st.column_config.NumberColumn(format="%.1f"),
            "midpoint confidence": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.caption(
        "Test set, nats per digit. *N(0, I) readable*: share of 1,000 decoded prior draws the classifier reads "
        "at P ≥ 0.9; *digits covered*: how many classes those include. *Midpoint*: the decoded halfway point "
        "between the codes of 300 random pairs of test digits. *Empty plane cells*: of a 25 × 25 grid over the "
        "box that holds the test codes, the share with no code in it. The model card (weights/README.md) "
        "says how each was measured."
    )
