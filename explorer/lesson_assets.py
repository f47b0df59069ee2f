"""What the lesson hands the viewer (viewer/lesson/), the same for both hosts: the planes' manifest (per
model and epoch, URLs of the mosaic and of the test codes, the empty cells inline, the curves' figures), the
models' blobs by URL (decoders, encoders, the classifier), the measured figures and every word. The viewer
computes the rest: the sample rows, the probes, a draw, the reparameterization (viewer/lesson/compute.js,
held to explorer/lesson_draws.py and explorer/planes.py by tests/test_lesson_js.py).

    data = lesson_data(family)      # JSON-able; a host adds its own part: seeds, probe, digit, name, ack

The arrays are served by app.py's /le-assets route (explorer/assets.py STORE: named by their content, cached
by the browser for good) or written beside the static site's index.html (explorer/static_site.py). Built
once per family; app.py's preload calls `prepare_lesson` so no visitor waits for the PNGs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from vae.family import AUTOENCODER, VAE, Family, LoadedModel, load_lesson_file
from vae.sampling import PLANE_PERCENTILES, READABLE, manifold_codes, prior_codes, typical_spacing
from widgets.contract import PRIOR_RADII

from .assets import (
    KINDS,
    STORE,
    PerFamily,
    classifier_url,
    digits_manifest,
    encoder_blob,
    floats,
    kind_words,
    model_manifest,
    model_words,
)
from .planes import (
    SPACING,
    TILES,
    PlaneFrame,
    core_box,
    final_frame,
    hole_centres,
    in_holes,
    inside,
    lesson_record,
    plane_frames,
    share,
    spacing_words,
    spacings_away,
)
from .sprites import png

LESSON_MODELS = (AUTOENCODER, VAE)  # left, right
SAMPLE_COUNT = 12  # decoded draws per row
POSTERIOR_SAMPLES = 8  # K samples of q(z|x) per row
_BUILT = PerFamily()


def frame_entry(frame: PlaneFrame) -> dict:
    return {
        "epoch": frame.epoch,
        "box": [round(v, 5) for v in frame.box],
        "mosaic": STORE.put(png(frame.mosaic), "png"),
        "mu": STORE.put(floats(frame.mu), "f32"),
        "empty": "".join("1" if cell else "0" for cell in frame.empty.ravel()),  # row-major, top row first
        "core": [round(v, 5) for v in core_box(frame.mu)],
        "empty_share": round(frame.empty_share, 4),
        "readable": None if frame.readable_share is None else round(frame.readable_share, 4),
        "covered": frame.digits_covered,
        "empty_text": f"{share(frame.empty_share)} of cells empty",
        "empty_value": share(frame.empty_share),
        "readable_text": "–" if frame.readable_share is None else draws_share(frame.readable_share),
    }


def lesson_planes(family: Family) -> dict:
    """The planes' manifest (JSON-able), built once per family."""
    built = _BUILT.get(family)
    if "planes" in built:
        return built["planes"]
    manifest = {
        "labels": digits_manifest(family)["labels"],
        "count": len(family.labels),
        "tiles": TILES,
        "models": [
            {
                "name": name,
                "beta": family.models[name].variant.beta,
                # The plane's title names its z (issue 24: the rows above say z = 20 and z = 2, the titles said
                # neither); the explorer's name for the model, "Autoencoder (β = 0), z = 2".
                "title": model_words(family.models[name].variant),
                "frames": [frame_entry(frame) for frame in plane_frames(family, name)],
                # the shipped decoder, for the hover tip and the probe (the map's own blob: fetched once)
                "decoder": decoder_source(family, name),
                "spacing": round(typical_spacing(family.models[name].atlas.mu), 6),
            }
            for name in LESSON_MODELS
            if name in family.models
        ],
    }
    with _BUILT.lock:
        return built.setdefault("planes", manifest)


def decoder_source(family: Family, name: str) -> dict:
    return {key: model_manifest(family, name)[key] for key in ("decoder", "latent", "hidden")}


def encoder_source(family: Family, name: str) -> dict:
    manifest = model_manifest(family, name)
    return {
        "encoder": STORE.put(encoder_blob(family.models[name].model), "f32"),
        "latent": manifest["latent"],
        "hidden": manifest["hidden"],
    }


def draws_share(value: float) -> str:
    """A readable share of N(0, I)'s draws, with one decimal wherever the lesson says one (rows, β row, curves,
    table, tooltips): two measurements, the z = 20 VAE's 48.5% and the β row's 49.0% at β = 1, both read "49%" and
    readers took one for a copy of the other (issue 24). One rule for every such share, so no two that differ read
    alike; a share of 1,000 draws is a whole number of tenths of a percent."""
    return f"{float(value):.1%}"


def kind(beta: float) -> str:
    return KINDS.get(float(beta), "β")


def sample_count(family: Family) -> int:
    return lesson_record(family.models[LESSON_MODELS[0]]).get("prior_samples", {}).get("count", 1000)


PATCH_SHARE = 0.5  # N(0, I)'s 2σ circle holding less than this share of a plane's test codes: "a small patch"
MOSTLY = 0.5  # "mostly 6s": more than this share of the readable draws read as that digit


def prior_patch(family: Family, loaded: LoadedModel) -> dict | None:
    """Where the row's N(0, I) draws land among a z = 2 model's test codes (None for other models, or without the
    checkpoint's measured draws): of the very draws the checkpoint's readable share counts (vae.sampling
    prior_codes, its count and seed), the share inside the box of its test codes and in a hole (the plane's cell
    rule); the share of its test codes within N(0, I)'s 2σ circle, the digit most of them are, and the digit most
    readable draws read as. Why a row's share differs from the plane's caption (issue 24): the caption measures the
    whole box of the codes, N(0, I) covers only its middle."""
    measured = lesson_record(loaded).get("prior_samples")
    if loaded.variant.latent_size != 2 or not measured:
        return None
    frame = final_frame(loaded)
    draws = prior_codes(2, measured["count"], measured["seed"])
    mu = np.asarray(loaded.atlas.mu, dtype=np.float64)
    near = np.hypot(mu[:, 0], mu[:, 1]) <= max(PRIOR_RADII)
    labels = np.asarray(family.labels)[near]
    per_digit = np.asarray(measured["readable_per_digit"])
    x0, x1, y0, y1 = frame.box
    return {
        "inside": float(np.mean([inside(frame.box, z) for z in draws])),
        "hole": float(in_holes(frame, draws).mean()),
        "span": (x1 - x0, y1 - y0),
        "near": float(near.mean()),
        "near_digit": int(np.bincount(labels, minlength=10).argmax()) if near.any() else -1,
        "near_digit_share": float(np.bincount(labels, minlength=10).max() / near.sum()) if near.any() else 0.0,
        "read_digit": int(per_digit.argmax()),
        "read_digit_share": float(per_digit.max() / max(per_digit.sum(), 1)),
    }


def row_label(family: Family, loaded: LoadedModel, latent: int) -> tuple[str, str]:
    """The row's label and its tooltip (the figures behind it). Where N(0, I) covers only a small patch of a
    z = 2 model's codes, the label says so instead of the digits' count, which moves to the tooltip."""
    measured = lesson_record(loaded).get("prior_samples")
    if not measured:
        return f"z = {latent}", ""
    readable = f"z = {latent}: {draws_share(measured['readable_share'])} readable"
    digits = readable_help(
        measured["readable_share"], measured["count"], measured["digits_covered"], measured.get("readable_per_digit")
    )
    patch = prior_patch(family, loaded)
    if patch is None or patch["near"] >= PATCH_SHARE:
        return f"{readable}, {digit_kind_words(measured['digits_covered'])}", digits
    digit = patch["read_digit"]
    mostly = patch["read_digit_share"] > MOSTLY and patch["near_digit"] == digit
    label = f"{readable}; N(0, I) covers a small patch of its codes" + (f", mostly {digit}s" if mostly else "")
    width, height = patch["span"]
    tip = (
        f"{digits} Its test codes spread over {width:.0f} × {height:.0f} units; N(0, I)'s 2σ circle "
        f"holds {share(patch['near'])} of them, {share(patch['near_digit_share'])} of those {patch['near_digit']}s. "
        f"Of the {measured['count']:,} draws, {share(patch['inside'])} land inside the box of its test codes, "
        f"{share(patch['hole'])} in a hole; {share(patch['read_digit_share'])} of the readable ones read {digit}."
    )
    return label, tip


def readable_help(readable: float, count: int, covered: int, per_digit: list[int] | None = None) -> str:
    """A row's tooltip: what its label's figures count, the digits themselves where known."""
    kinds = digit_kinds(per_digit) if per_digit else ""
    return (
        f"Of {count:,} draws of N(0, I), {draws_share(readable)} read as a digit (P ≥ {READABLE:g}); those read as "
        f"{covered} of the 10 digits{kinds}."
    )


def digit_kind_words(covered: int) -> str:
    """ "3 digit kinds": how many of the 10 digits the readable draws cover ("3 of 10 digits" read as "3 of these
    pictures", issue 24)."""
    return f"{covered} digit kind" + ("" if covered == 1 else "s")


def digit_kinds(per_digit: list[int]) -> str:
    """ ": 0, 5, 8", the digits the readable draws read as (for a tooltip), from the per-digit counts."""
    return ": " + ", ".join(str(d) for d, n in enumerate(per_digit) if n)


def sample_rows(family: Family) -> list[dict]:
    """Per model (z = 20, then z = 2) the row the viewer draws, decodes and reads: its decoder and label."""
    rows = []
    for latent in (20, 2):
        for side, name in enumerate(LESSON_MODELS):
            other = f"z{latent}-beta{family.models[name].variant.beta:g}"
            if other in family.models:
                loaded = family.models[other]
                label, tip = row_label(family, loaded, latent)
                rows.append(
                    {
                        "side": side,
                        "latent": latent,
                        "label": label,
                        "title": tip,
                        "decoder": decoder_source(family, other),
                    }
                )
    return rows


BETA_FILE = "lesson-beta.json"  # training/lesson_beta.py: the MR-VAE's readable share on a grid of β
BETA_MODEL = "mrvae-z20.safetensors"


def beta_row(family: Family) -> dict | None:
    """The row of draws that follows β: the z = 20 Multi-Rate VAE's weights (decoded in the browser at the β
    picked) and its measured figures per grid β (the slider snaps to the grid); None unless both are shipped
    and the figures were measured from this very checkpoint and classifier."""
    import json

    from vae.checkpoint import read_record
    from vae.family import CLASSIFIER_FILE
    from vae.multirate import load_multirate

    from .multirate_assets import multirate_blob

    folder = next((Path(m.path).parent for m in family.models.values() if getattr(m, "path", None)), None)
    if folder is None or family.classifier is None:
        return None
    model_path, figures_path = folder / BETA_MODEL, folder / BETA_FILE
    if not model_path.is_file() or not figures_path.is_file():
        return None
    model, record = load_multirate(model_path)
    measured = json.loads(figures_path.read_text())
    curve = measured.get("models", {}).get("z20-mr", {})
    classifier_sha256 = read_record(folder / CLASSIFIER_FILE).get("sha256")
    if curve.get("sha256") != record["sha256"] or measured.get("classifier_sha256") != classifier_sha256:
        return None
    separate = sorted(
        (float(m.variant.beta), lesson_record(m)["prior_samples"]["readable_share"])
        for m in family.models.values()
        if m.variant.latent_size == 20 and m.variant.beta > 0 and lesson_record(m).get("prior_samples")
    )
    marks = [beta for beta, _ in separate]
    why = beta_why(family, folder / RATE_FILE, record["sha256"], model.latent_size, curve, dict(separate))
    return {
        "weights": STORE.put(multirate_blob(model), "f32"),
        "latent": model.latent_size,
        "hidden": model.config.hidden_size,
        "betas": curve["betas"],
        "readable": curve["readable_share"],
        "covered": curve["digits_covered"],
        # Its own heading over a band of its own: under the autoencoder's column, a reader took the row for more
        # of the autoencoder's draws.
        "heading": f"Another network, trained for every β (z = {model.latent_size})",
        "labels": [
            f"at β = {b:.2g}: {draws_share(r)} readable, {digit_kind_words(c)}"
            for b, r, c in zip(curve["betas"], curve["readable_share"], curve["digits_covered"], strict=True)
        ],
        "marks": [b for b in marks if b in curve["betas"]],
        "separate": [{"beta": beta, "readable": round(float(r), 4)} for beta, r in separate if beta in curve["betas"]],
        # Its two marks named where they are seen (a reader asked which of them is "the" share at β = 8).
        "curveHeading": "Readable share: line, this network; dots, each β trained alone",
        "curveTitle": "Share of 1,000 draws read as a digit, over β (log scale): the line, one model trained for "
        "every β; the dots, a VAE trained at that β alone." + (f" {why['detail']}" if why else ""),
        "curveWhy": why["line"] if why else "",
        "start": 1.0 if 1.0 in curve["betas"] else curve["betas"][len(curve["betas"]) // 2],
    }


RATE_FILE = (
    "rate-distortion.json"  # training/rate_distortion.py: the MR-VAE beside the separate models (docs/multirate.md)
)


def beta_why(
    family: Family, path: Path, sha256: str, latent: int, curve: dict, separate: dict[float, float]
) -> dict | None:
    """Why the β chart's line (one network for every β) and its dots (a VAE per β) differ, measured: at the largest
    separately trained β on the grid, the one network's loss (reconstruction + β·KL) above that VAE's and both
    readable shares; at its lowest β, its KL against the β = 0 autoencoder's (even a small β pulls the codes
    towards N(0, I)) and both readable shares. A short line for the page, the figures for the chart's tooltip;
    None unless training/rate_distortion.py measured this very checkpoint."""
    import json

    if not path.is_file():
        return None
    measured = json.loads(path.read_text()).get("models", {}).get(f"z{latent}-mr", {})
    if measured.get("sha256") != sha256:
        return None
    betas, readable = curve["betas"], curve["readable_share"]
    sides = {float(entry["beta"]): entry for entry in measured.get("side_by_side", [])}
    high = max((b for b in separate if b in betas and b in sides), default=None)
    end = measured.get("autoencoder_end") or {}
    autoencoder = next(
        (m for m in family.models.values() if m.variant.latent_size == latent and m.variant.beta == 0), None
    )
    prior = lesson_record(autoencoder).get("prior_samples") if autoencoder else None
    if high is None or end.get("beta") != betas[0] or not prior:
        return None
    at = betas.index(high)
    detail = (
        f"They are different networks. At β = {high:g} the line's loss (reconstruction + β·KL) is "
        f"{sides[high]['gap_beta_loss']:.1f} nats above that of the VAE trained at β = {high:g} alone, and it reads "
        f"{draws_share(readable[at])} where that VAE reads {draws_share(separate[high])}: one set of weights for every "
        f"β fits the high β worse. Its left end is no autoencoder either: at β = {betas[0]:g} its KL is "
        f"{end['multirate']['kl']:.0f} nats, the β = 0 autoencoder's {end['separate_beta0']['kl']:.0f} (even a small "
        f"β pulls the codes towards N(0, I)), and it reads {draws_share(readable[0])} where the autoencoder reads "
        f"{draws_share(prior['readable_share'])}."
    )
    # The two ends readers asked about (the line flat near 49% at β = 0.01 beside the autoencoder's 2.4%).
    nearer = end["multirate"]["kl"] < end["separate_beta0"]["kl"]
    line = f"Even β = {betas[0]:g} keeps its codes near N(0, I); " if nearer else "One network for all β: "
    # What the chart plots (a reader took "fits" for a claim about it), and against what: readers saw the dots rise
    # with β beside "high β reads worse" and took the words for a contradiction.
    line += "high β reads worse than trained alone." if readable[at] < separate[high] else "high β reads worse."
    return {"line": line, "detail": detail, "high": high}


def row_models(family: Family) -> list[str]:
    """The reparameterization's rows: the z = 2 pair, then z = 20 at the same two β where shipped."""
    names = list(LESSON_MODELS)
    for name in LESSON_MODELS:
        z20 = f"z20-beta{family.models[name].variant.beta:g}"
        if z20 in family.models:
            names.append(z20)
    return names


def sigma_note(loaded: LoadedModel) -> str:
    """What a model's σ is, in a few words: the autoencoder here is the VAE's architecture trained with β = 0,
    so its encoder still outputs a σ, and with no KL term to keep it open, that σ collapses."""
    return ""  # the intro says it once, above the rows: "With β = 0, the autoencoder's σ collapses"


def posterior_data(family: Family) -> dict:
    digits = digits_manifest(family)
    models = []
    for name in row_models(family):
        loaded = family.models[name]
        models.append(
            {
                "name": name,
                "title": f"{kind(loaded.variant.beta)}, z = {loaded.variant.latent_size}",
                "note": sigma_note(loaded),
                "latent": loaded.variant.latent_size,
                "encoder": encoder_source(family, name),
                "decoder": decoder_source(family, name),
            }
        )
    return {
        "digits": {key: digits[key] for key in ("sprite", "columns", "count")},
        "samples": POSTERIOR_SAMPLES,
        "models": models,
        "text": {
            "heading": "One digit, encoded: z = μ + σ·ε",
            "intro": "Each trained encoder gives a digit a mean μ and a spread σ; ε ~ N(0, I). With β = 0, the "
            "autoencoder's σ collapses.",
            "digit": "Test digit #",
            "new_eps": "New ε",
            "new_eps_help": "New samples of the same q(z|x), the same ε under every model (the link keeps the seed).",
            # z = μ + σ·ε: the heading and the intro say it; σ is this digit's: each row's tooltip (posterior.js)
            "caption": f"Each row: the digit, decoded μ, then {POSTERIOR_SAMPLES} decoded samples.",
        },
    }


def table_columns(family: Family) -> tuple[list[str], list[str]]:
    count = sample_count(family)
    pairs = lesson_record(family.models[AUTOENCODER]).get("midpoints", {}).get("pairs", 300)
    columns = ["model", "N(0, I) readable", "digits of 10", "empty cells", "midpoint P", "−ELBO", "KL"]
    notes = [
        "",
        f"Of {count:,} decoded draws of N(0, I), the share the classifier reads as a digit (P ≥ {READABLE:g}: "
        "it gives that digit a probability of at least that much).",
        "How many of the 10 digits those readable draws cover.",
        f"z = 2 only: of a {TILES} × {TILES} grid over the box holding 99% of the test codes, the share of cells "
        "with no test code in them (holes).",
        f"The classifier's mean P on the decoded halfway point between the codes of two test digits ({pairs} random "
        "pairs).",
        "Test set, nats per digit (a nat is the unit of information with natural logarithms: 1 nat ≈ 1.44 bits). "
        "−ELBO: a VAE's loss, reconstruction + KL; lower is better. The β = 0 rows never had KL in their loss "
        "(their σ collapsed), so their KL and −ELBO are large.",
        "Test set, nats per digit: how far each digit's code, its μ and spread σ, sits from N(0, I). 0 for a model "
        "that ignores its input.",
    ]
    return columns, notes


def table_rows(family: Family) -> list[list[str]]:
    """One row per shipped model, every cell formatted (a dash where a model has no such figure)."""
    rows = []
    for loaded in sorted(family.models.values(), key=lambda m: (m.variant.latent_size, m.variant.beta)):
        metrics = loaded.record.get("info", {}).get("metrics", {})
        figures = lesson_record(loaded)
        prior, middle, plane = figures.get("prior_samples") or {}, figures.get("midpoints") or {}, figures.get("plane")
        rows.append(
            [
                f"z = {loaded.variant.latent_size}, β = {loaded.variant.beta:g}",
                cell(prior.get("readable_share"), draws_share),
                cell(prior.get("digits_covered"), str),
                cell(plane.get("empty_share") if isinstance(plane, dict) else None, share),
                cell(middle.get("mean_confidence"), lambda v: f"{v:.2f}"),
                cell(metrics.get("neg_elbo"), lambda v: f"{v:.1f}"),
                cell(metrics.get("kl"), lambda v: f"{v:.1f}"),
            ]
        )
    return rows


def cell(value, form) -> str:
    """A table cell: the formatted figure, or a dash where the model has none."""
    return "–" if value is None else form(value)


def hole_reads(family: Family, name: str) -> dict:
    """Measured on the shipped model: of the mosaic's pictures (one at each cell's centre), the share read as a
    digit at P >= READABLE in the empty cells (holes) and in the others, and the median distance from a hole's
    centre to the nearest test code, in typical spacings. The lesson's one measure of what a decoder draws in a
    hole: the legend and the hole preset (training/presets.py) both quote it."""
    loaded = family.models[name]
    frame = plane_frames(family, name)[-1]
    codes = manifold_codes(frame.box, TILES)
    empty = frame.empty.ravel()
    found = {"holes": int(empty.sum())}
    if family.classifier is not None and empty.any() and (~empty).any():
        read = family.classifier.probabilities(loaded.model.decode(codes)).max(axis=1) >= READABLE
        found.update(hole_read=float(read[empty].mean()), other_read=float(read[~empty].mean()))
    if empty.any():
        found["hole_spacings"] = float(np.median(spacings_away(loaded, hole_centres(frame))))
    return found


def hole_read_words(found: dict) -> str:
    """The measure in words, the same wherever it is quoted: `found` is hole_reads of the autoencoder."""
    return (
        f"{share(found['hole_read'])} of the autoencoder's hole pictures read as a digit, "
        f"{share(found['other_read'])} elsewhere"
    )


def box_share() -> str:
    """ "99%": the share of a plane's test codes its grid's box holds (vae.sampling.plane_box), said wherever the
    box is named, since the few codes beyond it visibly lie outside the grid (issue 24)."""
    low, high = PLANE_PERCENTILES
    return f"{high - low:g}%"


def circle_share(radius: float) -> float:
    """The share of N(0, I)'s draws in 2-D within `radius` of 0: 1 - exp(-r²/2) (the squared distance of a 2-D
    standard normal draw is chi-squared with 2 degrees of freedom, an exponential of mean 2)."""
    return 1.0 - math.exp(-(radius**2) / 2)


def circle_words() -> str:
    """ "circles (1σ, 2σ) holding 39% and 86% of N(0, I)'s draws": the yellow circles in plain words first, the
    radii the planes' badge names them by in brackets (PRIOR_RADII; issue 24: "1σ/2σ" met with no words)."""
    names = ", ".join(f"{radius:g}σ" for radius in PRIOR_RADII)
    shares = " and ".join(share(circle_share(radius)) for radius in PRIOR_RADII)
    return f"circles ({names}) holding {shares} of N(0, I)'s draws"


def legend_help(family: Family | None = None) -> str:
    """The legend's tooltip: the grid's size and the box it covers, the circles' radii, the unit of distance and,
    measured, what the autoencoder's decoder draws in its holes against elsewhere (the legend itself says it in
    fewer words)."""
    low, high = PLANE_PERCENTILES  # the grid's box (vae.sampling.plane_box): the few codes beyond it are not in it
    radii = " and ".join(f"{radius:g}" for radius in PRIOR_RADII)
    text = (
        f"The grid: {TILES} × {TILES} cells over the box holding the middle {high - low:g}% of a plane's test codes; "
        f"a hole is a cell with no test code in it. The yellow circles: radius {radii} around 0 (1σ, 2σ). "
        f"{SPACING[0].upper()}{SPACING[1:]}."
    )
    ae = hole_reads(family, AUTOENCODER) if family is not None else {}
    if "hole_read" in ae:
        text += f" After training, {hole_read_words(ae)}."
    return text


def legend(family: Family) -> str:
    """The planes' caption: what is drawn, what a hole is, and what the decoder draws in one (measured: the figures
    in its tooltip, legend_help)."""
    text = (
        f"Each plane decodes a grid over {box_share()} of test codes; dark grey: not decoded. "
        f"Shaded: holes, cells with no test code. Yellow: {circle_words()}. "
    )
    ae = hole_reads(family, AUTOENCODER)
    if "hole_read" in ae:  # "the usual spacing between neighbouring codes": the unit in place; SPACING in the tip
        text += (
            "After training a hole's picture can look crisp, though no test code lies near it "
            f"(a median {spacing_words(ae['hole_spacings'])} between neighbouring codes). "
        )
    return text + "Click to probe."


def presets(family: Family) -> list[dict]:
    """The "Show me" presets of weights/lesson.json (training/presets.py) that have what a button needs: a
    title, a caption (its figures, behind a disclosure where the preset lands) and a query (the view, in the
    link's format); `line`, its one sentence shown where it lands (the caption in a file without one); `lesson`,
    what the lesson's viewer sets that a link does not carry (the scale; "last": the trained models' epoch)."""
    found = load_lesson_file(family.models[LESSON_MODELS[0]].path.parent).get("presets")
    kept = []
    for preset in found if isinstance(found, list) else []:
        if not (isinstance(preset, dict) and isinstance(preset.get("query"), dict)):
            continue
        if not (isinstance(preset.get("title"), str) and isinstance(preset.get("caption"), str)):
            continue
        settings = preset.get("lesson") if isinstance(preset.get("lesson"), dict) else {}
        query = {str(k): str(v) for k, v in preset["query"].items()}
        kept.append(
            {
                "title": preset["title"],
                "line": preset["line"] if isinstance(preset.get("line"), str) else preset["caption"],
                "caption": preset["caption"],
                "query": query,
                "scale": settings.get("scale") if settings.get("scale") in ("same", "own") else None,
                "lastEpoch": settings.get("epoch") == "last",
            }
        )
    return kept


def wider_words(family: Family) -> dict:
    """Own scale's note on the wider plane (viewer/lesson/scale.js fills in the ratio of the two plots' scales and
    their spans, measured on the drawing): the planes look the same size though the autoencoder's axes span about
    ten times the VAE's, so its N(0, I) circles are a small ring (issue 24). `other`, per side, the other plane."""
    names = [kind(family.models[name].variant.beta) for name in LESSON_MODELS]
    names = [name if name.isupper() else name.lower() for name in names]  # "VAE", "autoencoder"
    return {
        "note": "axes {ratio}× the {other}'s, circles {ratio}× smaller",
        "help": "Own scale fits each plane to its own codes, so both look the same size: this plot spans {span} "
        "units across, the {other}'s {other_span}, so N(0, I)'s circles are drawn {ratio}× smaller here.",
        "other": [names[1], names[0]],
    }


def same_start(family: Family) -> str:
    """What the player's first epoch shows, measured: when both planes' first snapshots are of the untrained
    networks (epoch 0) and hold the very same codes and mosaic (the same seed, so the same initial weights),
    it says so; "" otherwise (their planes differ, and the reader sees how)."""
    first = [plane_frames(family, name)[0] for name in LESSON_MODELS]
    if any(frame.epoch != 0 for frame in first):
        return ""
    # A reader took the untrained decoder's even grey for "not decoded": say so when no pixel of the mosaic is near
    # black or white (the shipped snapshots: every pixel within 92..164 of 255).
    blur = all(np.ptp(frame.mosaic) < 128 for frame in first)
    grey = "; every cell decodes to grey blur" if blur else ""
    if np.array_equal(first[0].mu, first[1].mu) and np.array_equal(first[0].mosaic, first[1].mosaic):
        return "both untrained, the same starting network" + grey
    return "both untrained, from different starting networks" + grey


# β in plain words, once: the lede says it where β first appears (issue 24: a newcomer met β with no words).
BETA_WORDS = "β sets how hard training pulls those codes towards N(0, I)"


def lede(family: Family) -> str:
    """The lesson's first sentence: the Streamlit page writes it above the viewer, the static site too."""
    ae, vae = (family.models[name].variant.beta for name in LESSON_MODELS)
    return (
        f"An autoencoder (β = {ae:g}) and a VAE (β = {vae:g}), {trained_alike(family)}, squeeze a digit into "
        f"a code z of 20 or 2 numbers (rows say which) and draw it back; {BETA_WORDS}. Decoded draws of "
        "N(0, I):"
    )


def trained_alike(family: Family) -> str:
    """ "trained alike" when the pair's records say so, else how they differ (epochs)."""
    epochs = [family.models[name].record.get("info", {}).get("epochs") for name in LESSON_MODELS]
    if epochs[0] == epochs[1]:
        return "trained alike"  # their epochs: in the lede's tooltip (recipe)
    return f"trained alike except for the epochs ({epochs[0]} and {epochs[1]})"


def recipe(family: Family) -> str:
    info = family.models[LESSON_MODELS[1]].record.get("info", {})
    optimizer = info.get("optimizer", {})
    lr = optimizer.get("lr") if isinstance(optimizer, dict) else None
    parts = [f"{info.get('epochs')} epochs", f"batch {info.get('batch_size')}", f"seed {info.get('seed')}"]
    if lr is not None:
        parts.insert(1, f"Adam at {lr:g}")
    return "The same recipe for both: " + ", ".join(parts) + "; the loss is reconstruction + β·KL."


def lesson_data(family: Family) -> dict:
    """Everything the lesson's viewer needs but the host's own state (JSON-able), built once per family."""
    built = _BUILT.get(family)
    if "data" in built:
        return built["data"]
    betas = [family.models[name].variant.beta for name in LESSON_MODELS]
    columns, notes = table_columns(family)
    data = {
        "role": "lesson",
        "planes": lesson_planes(family),
        "headers": [kind_words(beta) for beta in betas],
        "short": [kind(beta) for beta in betas],
        "rows": sample_rows(family),
        "betaRow": beta_row(family),
        "sampleCount": SAMPLE_COUNT,
        "classifier": classifier_url(family),
        "readable": READABLE,
        "posterior": posterior_data(family),
        "presets": presets(family),
        "table": {
            "heading": "Figures after training, per model",  # not the slider's epoch
            "help": "What the columns mean",
            "columns": columns,
            "notes": notes,
            "rows": table_rows(family),
        },
        "text": {
            # The count said in place: readers took a row's share for a share of its 12 pictures (issue 24).
            "samples": f"Each z's rows decode the same draws (shares count {sample_count(family):,}); under each, the "
            f"digit a classifier reads (≥ {READABLE:.0%} sure).",  # P ≥ 0.9 in the tooltip
            "samples_help": f"The shares in the rows' labels count {sample_count(family):,} draws each; P ≥ "
            f"{READABLE:g}: the classifier is {READABLE:.0%} sure.",
            "new_samples": "New draws",
            "scale": {"same": "Same scale", "own": "Own scale"},
            "codes": "Test codes",
            "draw": "Decode one draw of N(0, I)",
            "show_me": "Show me:",
            "after_training": "after training",
            "start": same_start(family),
            "rings_off": "beyond this view",
            # at epoch 0 the untrained codes span about ±0.3: "beyond" read as "the draws land elsewhere"
            "rings_around": "around this whole view",
            "wider": wider_words(family),
            "epoch": "epoch",
            "legend": legend(family),
            "legend_help": legend_help(family),
            "curves": ["z = 2: readable draws", "z = 2: empty cells"],
            "waiting": "The planes' pictures have not arrived yet; the page keeps asking. Check the connection.",
            "where": {
                "hole": "in a hole: no test code in this cell",
                "codes": "among its test codes",
                "outside": f"outside the box of {box_share()} of its test codes",
                "offview": "off this view: the arrow on its edge points towards this z",
            },
        },
    }
    with _BUILT.lock:
        return built.setdefault("data", data)


def prepare_lesson(family: Family) -> None:
    """Builds the lesson's blobs now (the server calls it at start, after the map's)."""
    if all(name in family.models for name in LESSON_MODELS):
        lesson_data(family)
