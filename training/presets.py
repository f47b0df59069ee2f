"""The lesson's "Show me" presets and the geodesic's verdict threshold, measured on the shipped models.

    python -m training.presets [--weights weights]   # writes weights/lesson.json (same file on every run)

A preset is a view (a link's query parameters) that makes one point of the lesson,
with a caption that states what was measured there and a line: one plain sentence, written
from the same measurements, that the page shows where the preset lands (the caption sits
behind a "The figures" disclosure there). Each is picked by a rule, not
by hand, so re-running the script on the same weights reproduces the file:

hole     of the autoencoder's holes (the cells the lesson shades: explorer/planes.py
         empty_cells), the centre at the upper quartile of the distance from the nearest test
         code, in typical spacings between neighbouring codes (a deep hole: near the codes a
         hole's picture mostly continues its nearest code's digit, which readers took for
         "carried over"; the caption measures how often, near and deep): what the autoencoder
         draws there, its nearest code's digit, and the lesson's one measure of its holes, the
         legend's (explorer/lesson_assets.py hole_reads: the share of hole pictures read as a
         digit, and elsewhere). A hole is not where a decoder draws nothing: it is where no
         digit was encoded. The page opens it at the last epoch, each plane on its own scale.
crossing 200 random pairs of test digits (seed 0), kept when the two digits differ and both
         z = 2 models draw each end (its decoded code) as its own digit at P >= READABLE,
         so the path changes class under both; of those, the one whose straight path puts
         the most inner frames in the autoencoder's holes (ties: the fewest on the VAE's own
         plane, then the lowest worst frame on the autoencoder). Compare mode shows the same
         pair under the VAE; the caption says how many frames sit in holes on each plane
         and what the autoencoder draws there. Without any pair that crosses a hole, the
         caption says so and the preset is the path that reads worst, titled as such.
alike    on z = 20, the same filter with the two z = 20 models, then the pair at the
         median of the autoencoder's worst-frame confidence: a typical interpolation,
         where β = 0 and β = 1 look alike.

The geodesic verdict: the energy ratio (geodesic / straight line) of random pairs on
every shipped model. Of the pairs where the geodesic saves energy (ratio < 1), a
geodesic is called "a real detour" only below the 10th percentile and "nearly the
straight line" above the 90th; in between, an ordinary bend; at 1 or more, no
better than the line (sections/morph.py says which, quoting the figures).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from explorer.lesson_assets import hole_read_words, hole_reads
from explorer.planes import (
    SPACING,
    figure,
    hole_centres,
    in_holes,
    inside,
    plane_frames,
    spacing_words,
    spacings_away,
)
from explorer.share import View, to_query
from explorer.state import article
from vae.family import AUTOENCODER, LESSON_FILE, VAE, Family, LoadedModel, load_family
from vae.geodesic import geodesic_path
from vae.paths import interpolate
from vae.sampling import READABLE, nearest_code, plane_box, random_pairs
from widgets.contract import PRESET_ROWS

GRID = 41  # candidate points per side of the autoencoder's plane
PAIRS = 200  # random test pairs for the path presets
GEODESIC_PAIRS = 24  # random pairs per model for the verdict's distribution
FRAMES = 10
SEED = 0
DEEP = 0.75  # the hole preset's quantile of the autoencoder's holes by distance from the codes: deeper than 3 in 4
# The map shows one model's strip; compare mode draws every β's under the morph, often below the fold.
ROWS_BELOW = "Every β's strip: in the rows under the morph."
# The frames a caption counts: the strip shows FRAMES decoded frames, A's code and B's among them.
BETWEEN = "frames between the ends"


def reading(family: Family, pictures: np.ndarray) -> np.ndarray:
    """Classifier probabilities (N, 10) of decoded pictures (N, 28, 28)."""
    return family.classifier.probabilities(pictures)


def probe_figures(family: Family, loaded: LoadedModel, point: np.ndarray) -> dict:
    """What the lesson's probe card says about `point` on one plane, its nearest test code's digit included."""
    probabilities = reading(family, loaded.model.decode(point[None].astype(np.float32)))[0]
    index, _ = nearest_code(point, loaded.atlas.mu)
    return {
        "spacings": round(float(spacings_away(loaded, point)[0]), 3),
        "digit": int(probabilities.argmax()),
        "confidence": round(float(probabilities.max()), 3),
        "nearest_digit": int(family.labels[index]),
    }


def hole_neighbours(family: Family, centres: np.ndarray, away: np.ndarray) -> dict:
    """Of the autoencoder's hole pictures read as a digit (one at each hole's centre, as the mosaic draws them), the
    share that reads as the nearest test code's digit, in the nearer half of the holes (by distance from the codes,
    `away`) and in the deeper half: how far a hole's picture is anchored by its neighbours."""
    loaded = family.models[AUTOENCODER]
    mu = np.asarray(loaded.atlas.mu, dtype=np.float64)
    nearest = np.asarray([nearest_code(c, mu)[0] for c in centres])
    probabilities = reading(family, loaded.model.decode(centres.astype(np.float32)))
    read = probabilities.max(axis=1) >= READABLE
    same = probabilities.argmax(axis=1) == np.asarray(family.labels)[nearest]
    deep = away > np.median(away)
    return {"near_same": float(same[read & ~deep].mean()), "deep_same": float(same[read & deep].mean())}


def drawn_words(digit: int, confidence: float) -> str:
    """ "an 8 (P = 1.00)", or "no clear digit (P = 0.42)" below READABLE."""
    if confidence >= READABLE:
        return f"{article(digit)} {digit} (P = {figure(confidence)})"
    return f"no clear digit (P = {figure(confidence)})"


def hole_preset(family: Family) -> dict:
    """A deep hole of the autoencoder's plane: of the shaded cells the lesson draws (explorer/planes.py
    empty_cells: the TILES x TILES grid, a cell with no test code), the centre at the DEEP quantile of the distance
    from the nearest code. Near the codes a hole's picture mostly continues its nearest code's digit (readers of
    the median hole saw an 8 "carried over" from the 8s beside it); the caption measures how often, near and deep
    (hole_neighbours), and quotes the legend's one measure of its holes (explorer/lesson_assets.py hole_reads:
    hole pictures read as a digit, and elsewhere), so it never suggests that a hole is where a decoder draws
    nothing."""
    ae, vae = family.models[AUTOENCODER], family.models[VAE]
    frame = plane_frames(family, AUTOENCODER)[-1]
    centres = hole_centres(frame)
    away = spacings_away(ae, centres)
    point = centres[int(np.argsort(away, kind="stable")[int(len(away) * DEEP)])].round(2)
    measured = hole_reads(family, AUTOENCODER)
    neighbours = hole_neighbours(family, centres, away)
    on_ae = probe_figures(family, ae, point)
    on_vae = probe_figures(family, vae, point)
    figures = {
        "point": point.tolist(),
        "deeper_than": DEEP,
        AUTOENCODER: {**on_ae, "in_hole": bool(in_holes(frame, point)[0])},
        VAE: {**on_vae, "inside": bool(inside(plane_box(vae.atlas.mu), point))},
        "holes": measured["holes"],
        "hole_read": round(measured["hole_read"], 4),
        "other_read": round(measured["other_read"], 4),
        **{key: round(value, 4) for key, value in neighbours.items()},
    }
    view = View(model=AUTOENCODER, map_name="plane", page="lesson", probe=(float(point[0]), float(point[1])))
    nearest = f"{article(on_ae['nearest_digit'])} {on_ae['nearest_digit']}"
    return {
        "title": "A hole in the autoencoder's plane",
        "query": to_query(view),
        "lesson": {"scale": "own", "epoch": "last"},
        "figures": figures,
        "line": hole_line(figures[AUTOENCODER]),
        "caption": f"({figure(point[0])}, {figure(point[1])}), a deep hole (deeper than {DEEP:.0%} of them): no "
        f"test code within {spacing_words(on_ae['spacings'])} ({SPACING}); the nearest is {nearest}, yet the "
        f"autoencoder draws {drawn_words(on_ae['digit'], on_ae['confidence'])} there. Of the pictures read as a "
        f"digit in the nearer half of its holes, {neighbours['near_same']:.0%} read as their nearest code's digit; "
        f"in the deeper half, {neighbours['deep_same']:.0%}. {hole_read_words(measured).capitalize()}: a hole is "
        "where no digit was encoded, not where nothing is drawn.",
    }


def hole_line(on_ae: dict) -> str:
    """The hole preset's sentence: no digit encoded near the point, what the autoencoder draws there ("crisp" at
    P >= READABLE, the caption's threshold) and its nearest code's digit, when that differs."""
    if on_ae["confidence"] < READABLE:
        return "No digit was encoded near here, and the autoencoder draws no clear digit there."
    drawn, nearest = on_ae["digit"], on_ae["nearest_digit"]
    also = "" if drawn == nearest else f", though its nearest code is {article(nearest)} {nearest}"
    return f"No digit was encoded near here, yet the autoencoder draws a crisp {drawn}{also}."


# Where a line points for the rows it speaks of: under the morph at every size (on a phone, below the map too; both
# hosts make the words a link to them).
ROWS = PRESET_ROWS


def digits_words(frames: list[dict]) -> str:
    """ "a 9, a 4 (unsure) and a 0": each digit once, in path order; "(unsure)" where none of its frames reads at
    P >= READABLE, so the line claims no more than the strip's grey label shows."""
    digits = list(dict.fromkeys(f["digit"] for f in frames))
    sure = {d: max(f["confidence"] for f in frames if f["digit"] == d) >= READABLE for d in digits}
    return joined([f"{article(d)} {d}{'' if sure[d] else ' (unsure)'}" for d in digits])


def vae_row_words(others: list[dict], worst: float, in_holes_count: int) -> str:
    """What the VAE's row of a path shows, in a few words: where it stays (among its codes, when no frame is in a
    hole of its plane) and the digits it passes that are neither end's."""
    stays = "stays among codes, passing" if in_holes_count == 0 else "passes"
    if others:
        return f"{stays} {digits_words(others)}"
    return "blurs in between" if worst < READABLE else "reads as a digit throughout"


def frames_in_holes(family: Family, name: str, pairs: np.ndarray) -> np.ndarray:
    """(pairs, FRAMES - 2) bool: which inner frames of each straight path sit in a shaded cell of the model's
    plane (the lesson's holes at the last epoch: the shipped model)."""
    mu = family.models[name].atlas.mu
    paths = np.stack([interpolate(mu[a], mu[b], FRAMES) for a, b in pairs])[:, 1:-1]  # (P, F - 2, 2)
    frame = plane_frames(family, name)[-1]
    return in_holes(frame, paths.reshape(-1, 2)).reshape(len(pairs), FRAMES - 2)


def worst_frames(family: Family, loaded: LoadedModel, pairs: np.ndarray) -> np.ndarray:
    """(pairs,) the lowest classifier confidence among the inner frames of each straight path."""
    mu = loaded.atlas.mu
    paths = np.stack([interpolate(mu[a], mu[b], FRAMES) for a, b in pairs])  # (P, F, latent)
    inner = loaded.model.decode(paths[:, 1:-1].reshape(-1, mu.shape[1]))
    return reading(family, inner).max(axis=1).reshape(len(pairs), FRAMES - 2).min(axis=1)


def ends_read_as_labelled(family: Family, loaded: LoadedModel, pairs: np.ndarray) -> np.ndarray:
    """(pairs,) bool: both ends of each path, decoded from their codes, read as their own label at P >= READABLE."""
    ends = np.unique(pairs)
    probabilities = reading(family, loaded.model.decode(loaded.atlas.mu[ends]))
    good = (probabilities.argmax(axis=1) == family.labels[ends]) & (probabilities.max(axis=1) >= READABLE)
    ok = dict(zip(ends.tolist(), good.tolist(), strict=True))
    return np.array([ok[int(a)] and ok[int(b)] for a, b in pairs])


def fair_pairs(family: Family, names: tuple[str, str], pairs: np.ndarray) -> np.ndarray:
    """The pairs of two different digits whose two ends both models draw as those digits: a path between
    them changes class under each model, so what happens in between can be compared."""
    keep = family.labels[pairs[:, 0]] != family.labels[pairs[:, 1]]
    for name in names:
        keep &= ends_read_as_labelled(family, family.models[name], pairs)
    return pairs[keep]


def other_frames(family: Family, loaded: LoadedModel, a: int, b: int) -> list[dict]:
    """The inner frames of the straight path from test digit a to b that the classifier reads as neither end's
    digit (a detour through another digit), in path order: path_index (0 is A's code), digit, confidence."""
    mu = loaded.atlas.mu
    read = reading(family, loaded.model.decode(interpolate(mu[a], mu[b], FRAMES)[1:-1]))  # (FRAMES - 2, 10)
    ends = {int(family.labels[a]), int(family.labels[b])}
    return [
        {"path_index": i + 1, "digit": int(p.argmax()), "confidence": round(float(p.max()), 3)}
        for i, p in enumerate(read)
        if int(p.argmax()) not in ends
    ]


def other_words(frames: list[dict]) -> str:
    """ "a frame read as a 9", "2 frames read as a 9 and a frame read as a 0" (digits in path order)."""
    digits = list(dict.fromkeys(f["digit"] for f in frames))
    counts = [sum(f["digit"] == d for f in frames) for d in digits]
    return joined(
        [
            f"{'a frame' if n == 1 else f'{n} frames'} read as {article(d)} {d}"
            for d, n in zip(digits, counts, strict=True)
        ]
    )


def neither(frames: list[dict]) -> str:
    """ ", neither end's digit" after other_words, plural when the frames read as several digits."""
    return ", neither end's digit" if len({f["digit"] for f in frames}) == 1 else ", neither end's digits"


def digit_words(family: Family, index: int) -> str:
    label = int(family.labels[index])
    return f"#{index} ({article(label)} {label})"


def joined(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def holes_crossed(in_hole: np.ndarray) -> int:
    """The holes a path crosses at its frames' resolution: the runs of consecutive frames in a hole."""
    return int(in_hole[0]) + int((in_hole[1:] & ~in_hole[:-1]).sum())


def hole_path_preset(family: Family, pairs: np.ndarray) -> dict:
    """Of the fair z = 2 pairs, the one whose straight path puts the most inner frames in the autoencoder's holes
    (the cells the lesson shades); ties go to the fewest such frames on the VAE's own plane, then to the lowest
    worst frame on the autoencoder. The caption says how many of its inner frames sit in holes on each plane and
    what the autoencoder draws at those in its holes. If no fair pair puts a frame in a hole, it says so, and the
    preset is the path that reads least like a digit on the autoencoder, titled for what it is."""
    names = (AUTOENCODER, VAE)
    z2_pairs = fair_pairs(family, names, pairs)
    inner = FRAMES - 2
    holes = {name: frames_in_holes(family, name, z2_pairs) for name in names}  # (P, inner) each
    counts = {name: holes[name].sum(axis=1) for name in names}
    worst = {name: worst_frames(family, family.models[name], z2_pairs) for name in names}
    crossing = int((counts[AUTOENCODER] > 0).sum())
    pick = int(np.lexsort((worst[AUTOENCODER], counts[VAE], -counts[AUTOENCODER]))[0])
    a, b = (int(i) for i in z2_pairs[pick])
    # No decoded digits behind the plane: the empty space the path crosses is seen as white, not drawn over.
    view = View(model=AUTOENCODER, map_name="plane", compare=True, backdrop=False, a=a, b=b)
    fair = (
        f"Test digits {digit_words(family, a)} to {digit_words(family, b)}: of the {len(z2_pairs)} pairs of {PAIRS} "
        "random ones whose ends both z = 2 models draw as their digits,"
    )
    figures = {
        "pair": [a, b],
        "fair_pairs": len(z2_pairs),
        "crossing_pairs": crossing,
        "inner_frames": inner,
        "frames_in_holes": {name: int(counts[name][pick]) for name in names},
        "worst_frame": {name: round(float(worst[name][pick]), 3) for name in names},
    }
    if crossing == 0:
        others = other_frames(family, family.models[VAE], a, b)
        return {
            "title": "A straight path on the autoencoder's plane",
            "query": to_query(view),
            "figures": figures,
            "line": f"No path between two digits here crosses the autoencoder's holes; this one reads least like a "
            f"digit on its plane; the VAE's {vae_row_words(others, float(worst[VAE][pick]), int(counts[VAE][pick]))} "
            f"({ROWS}).",
            "caption": f"{fair} none has a straight path with a frame in the autoencoder's holes; this one reads "
            f"least like a digit there, its worst frame at P = {figure(worst[AUTOENCODER][pick])}; on the VAE's "
            f"plane, P = {figure(worst[VAE][pick])}.",
        }
    mu = family.models[AUTOENCODER].atlas.mu
    path = interpolate(mu[a], mu[b], FRAMES)[1:-1][holes[AUTOENCODER][pick]]  # the inner frames in a hole
    read = reading(family, family.models[AUTOENCODER].model.decode(path))
    drawn = [(int(p.argmax()), round(float(p.max()), 3)) for p in read]
    figures["hole_frames"] = [  # path_index: 0 is A's code, FRAMES - 1 is B's
        {"path_index": int(i) + 1, "digit": d, "confidence": c}
        for i, (d, c) in zip(np.flatnonzero(holes[AUTOENCODER][pick]), drawn, strict=True)
    ]
    crossed = holes_crossed(holes[AUTOENCODER][pick])
    figures["holes_crossed"] = crossed
    all_read = all(c >= READABLE for _, c in drawn)
    verb = "has" if crossing == 1 else "have"
    caption = (
        f"{fair} {crossing} {verb} a straight path with a frame in the autoencoder's holes; this one the "
        f"most, {counts[AUTOENCODER][pick]} of the {inner} {BETWEEN} (ringed on the map), drawn as "
        f"{joined([drawn_words(d, c) for d, c in drawn])}{', crisp where no digit was encoded' if all_read else ''}. "
        f"{vae_path_words(family, counts[VAE][pick], worst, pick, figures)} {ROWS_BELOW}"
    )
    return {
        "title": f"A path through {'a hole' if crossed == 1 else 'holes'} in the autoencoder's plane",
        "query": to_query(view),
        "figures": figures,
        "line": hole_path_line(family, figures),
        "caption": caption,
    }


def hole_path_line(family: Family, figures: dict) -> str:
    """The hole path's sentence, from its figures: the ends' digits, the holes the autoencoder's path crosses, what
    it draws there (clear digits at P >= READABLE, as the caption's "crisp"), and the VAE's row."""
    a, b = (int(family.labels[i]) for i in figures["pair"])
    crossed = figures["holes_crossed"]
    read = [f["confidence"] >= READABLE for f in figures["hole_frames"]]
    holes = "a hole" if crossed == 1 else f"{crossed} holes"
    if all(read):
        what = f"draws {'a clear digit' if len(read) == 1 else 'clear digits'} even in {holes}"
    elif not any(read):
        what = f"crosses {holes}, drawing no clear digit there"
    else:
        what = f"crosses {holes}, drawing a clear digit in only some"
    vae = vae_row_words(figures["other_frames"][VAE], figures["worst_frame"][VAE], figures["frames_in_holes"][VAE])
    return f"The autoencoder's {a} → {b} path {what}; the VAE's {vae} ({ROWS})."


def vae_path_words(family: Family, in_holes_count: int, worst: dict, pick: int, figures: dict) -> str:
    """What the VAE's row of the hole path shows: its frames in holes of its own plane, the digits it passes that
    are neither end's, and its worst frame beside the autoencoder's (recorded in `figures`)."""
    a, b = figures["pair"]
    others = other_frames(family, family.models[VAE], a, b)
    figures["other_frames"] = {VAE: others}
    holes = "crosses no hole of its plane" if in_holes_count == 0 else f"has {in_holes_count} frames in its holes"
    if others:
        how = f"but passes {other_words(others)}{neither(others)}"
    elif worst[VAE][pick] < READABLE:
        how = "but blurs in between"
    else:
        how = "and reads as a digit throughout"
    p_vae, p_ae = figure(worst[VAE][pick]), figure(worst[AUTOENCODER][pick])
    return f"The VAE's path {holes} {how} (worst frame P = {p_vae}; the autoencoder's {p_ae})."


def path_presets(family: Family) -> list[dict]:
    pairs = random_pairs(len(family.labels), PAIRS, SEED)
    presets = [hole_path_preset(family, pairs)]
    if {"z20-beta0", "z20-beta1"} <= set(family.models):
        names = ("z20-beta0", "z20-beta1")
        z20_pairs = fair_pairs(family, names, pairs)
        z20 = {name: worst_frames(family, family.models[name], z20_pairs) for name in names}
        pick = int(np.argsort(z20["z20-beta0"])[len(z20_pairs) // 2])
        a, b = (int(i) for i in z20_pairs[pick])
        below = {name: round(float((v < 0.5).mean()), 3) for name, v in z20.items()}
        worst = {n: round(float(v[pick]), 3) for n, v in z20.items()}
        view = View(model="z20-beta0", map_name="pca", compare=True, a=a, b=b)
        others = {name: other_frames(family, family.models[name], a, b) for name in names}
        detours = [
            f"the β = {beta} path passes {other_words(others[name])}"
            if others[name]
            else f"the β = {beta} path reads only as {article(int(family.labels[a]))} {family.labels[a]} or "
            f"{article(int(family.labels[b]))} {family.labels[b]}"
            for beta, name in zip((0, 1), names, strict=True)
        ]
        passed = others[names[0]] + others[names[1]]
        suffix = neither(passed) if passed else ""
        presets.append(
            {
                "title": "Where β = 0 and β = 1 look alike",
                "query": to_query(view),
                "figures": {
                    "pair": [a, b],
                    "fair_pairs": len(z20_pairs),
                    "worst_frame": worst,
                    "share_below_half": below,
                    "other_frames": others,
                },
                "line": alike_line(family, (a, b), others, below, len(z20_pairs)),
                "caption": f"Test digits {digit_words(family, a)} and {digit_words(family, b)}, the median of the "
                f"{len(z20_pairs)} pairs (of {PAIRS} random ones) whose ends both z = 20 models draw as their "
                f"digits: between two real codes the worst frame reads at P = {figure(worst['z20-beta0'])} "
                f"under β = 0 and {figure(worst['z20-beta1'])} under β = 1; on the way, {joined(detours)}{suffix}. "
                "Over those pairs, a frame drops "
                f"below P = 0.5 on {below['z20-beta0']:.0%} of paths at β = 0 and {below['z20-beta1']:.0%} at β = 1. "
                f"{ROWS_BELOW}",
            }
        )
    return presets


ALIKE = 0.05  # two shares of paths with an unreadable frame this close (5 points) are "as often"


def alike_line(family: Family, pair: tuple[int, int], others: dict, below: dict, count: int) -> str:
    """The β = 0 / β = 1 preset's sentence: the ends' digits, the other digits each path passes, and how often
    each model's paths blur (a frame below P = 0.5) over all the fair pairs, compared."""
    a, b = (int(family.labels[i]) for i in pair)
    beta0, beta1 = ("z20-beta0", "z20-beta1")
    passed = {name: digits_words(others[name]) if others[name] else "" for name in others}
    if passed[beta0] == passed[beta1]:
        what = f"β = 0 and β = 1 both pass {passed[beta0] or 'no other digit'}"
    else:
        what = f"β = 0 passes {passed[beta0] or 'no other digit'}, β = 1 {passed[beta1] or 'no other digit'}"
    # Plain words (readers asked what "over 156 such pairs", "blur" and "lose the digit" meant): an unreadable
    # frame reads below P = 0.5; the caption gives both shares and the pairs' count.
    gap = below[beta1] - below[beta0]
    more = f"β = {1 if gap > 0 else 0} passes an unreadable frame more often"
    how = "both pass an unreadable frame as often" if abs(gap) <= ALIKE else more
    return f"From {article(a)} {a} to {article(b)} {b}, {what} ({ROWS}); over many pairs, {how}."


def geodesic_threshold(family: Family) -> dict:
    """The distribution of geodesic / straight-line energy ratios over random pairs on every model.

    Ratios >= 1 (the prior term pulled the curve off the line and it saves nothing; mostly on the
    autoencoders, whose codes lie far from N(0, I)) are counted apart; the percentiles that grade a
    geodesic are those of the ratios below 1."""
    rng = np.random.default_rng(SEED)
    ratios, per_model = [], {}
    for name, loaded in family.models.items():
        mu = loaded.atlas.mu
        mine = []
        for _ in range(GEODESIC_PAIRS):
            a, b = rng.choice(len(mu), 2, replace=False)
            _, report = geodesic_path(loaded.model, mu[a], mu[b], FRAMES, points=16)
            mine.append(report.energy_ratio)
        per_model[name] = {
            "median": round(float(np.median(mine)), 3),
            "at_least_1": round(float(np.mean(np.asarray(mine) >= 1)), 3),
        }
        ratios += mine
    ratios = np.asarray(ratios)
    saving = ratios[ratios < 1]
    p10, p50, p90 = np.percentile(saving, [10, 50, 90])
    return {
        "pairs": len(ratios),
        "saving_pairs": len(saving),
        "models": len(family.models),
        "points": 16,
        "frames": FRAMES,
        "p10": round(float(p10), 3),
        "median": round(float(p50), 3),
        "p90": round(float(p90), 3),
        "min": round(float(ratios.min()), 3),
        "max": round(float(ratios.max()), 3),
        "per_model": per_model,
    }


def build(family: Family) -> dict:
    presets = [hole_preset(family), *path_presets(family)]
    return {
        "about": "Written by `python -m training.presets`; every figure is measured on the shipped weights.",
        "presets": presets,
        "geodesic": geodesic_threshold(family),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default="weights", help="folder of the shipped models (default %(default)s)")
    args = parser.parse_args(argv)
    family = load_family(args.weights)
    missing = {AUTOENCODER, VAE} - set(family.models)
    if missing or family.classifier is None:
        raise SystemExit(f"needs {sorted(missing) or 'the classifier'} in {args.weights}")
    table = build(family)
    path = Path(args.weights) / LESSON_FILE
    path.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n")
    for preset in table["presets"]:
        print(f"{preset['title']}: {preset['line']}\n  {preset['caption']}")
    print("geodesic energy ratios:", table["geodesic"])
    print(f"-> {path}")


if __name__ == "__main__":
    main()
