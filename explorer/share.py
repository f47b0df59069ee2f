"""The view: what the controls and the URL hold, as one frozen dataclass, and its URL form.

    ?model=z20-beta2&map=tsne&method=spherical&frames=16&a=3&b=7&compare=1
    ?model=z20-beta1&a=pca:0.50,-1.20&b=d:eNpjYBgFo2AUjIJRMApGwSgYBaNgFIwC...
    ?page=lesson&samples=4&eps=2&probe=0.50,-1.20
    ?model=z2-beta1&map=plane&mr=0.316        (the β slider: the Multi-Rate VAE at beta = 0.316)

`parse_query` validates every value against what is shipped and returns the
view it could use plus one warning per value it could not (each warning quotes
the visitor's value through `explorer.safe_text.plain`, so nothing in a URL is
ever rendered as Markdown); `to_query` is its inverse. An endpoint travels as a
test-digit index (`a=3`), a point of a map (`plane:0.50,-1.20` or
`pca:0.50,-1.20`, on the URL's model unless `@z20-beta2` names another; a bare
`0.50,-1.20` is a point of a z = 2 plane), or a drawing (`d:` and its 28 x 28
picture, 16 grey levels, zlib-compressed, base64url: a few hundred characters,
bounded and checked like any visitor's value).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import zlib
from dataclasses import dataclass, replace

import numpy as np

from vae.family import DEFAULT_MODEL, Family, Variant
from vae.multirate import BETA_RANGE
from vae.paths import METHODS

from .safe_text import plain
from .untrusted import NUMBER_TEXT, point_text, whole_text

_MR_NUMBER = re.compile(NUMBER_TEXT)

FRAMES_RANGE = (4, 32)
SEED_RANGE = (0, 9_999)
PAGES = ("explore", "lesson")
PLANE_LIMIT = 100.0  # |x|, |y| of a map point in a URL; the shipped maps span well inside this
DRAWING_LIMIT = 1200  # characters of a drawing in a URL: 392 bytes compress to far fewer
DRAWING_BYTES = 392  # 28 x 28 pixels, two per byte
POINT_TEXT_LIMIT = 40  # characters of "x,y"
ENDPOINT_LIMIT = 60  # characters of a map point's URL text before its "@model"
MR_STEPS = 100  # the β slider's steps per decade of beta (log scale): a link's beta snaps to one
MR_TEXT_LIMIT = 20  # characters of a link's beta

# A test-digit index; a map point ("plane" or "pca", x, y, its model or None for the URL's model);
# or a drawing ("drawn", its URL text).
EndpointRef = int | tuple[str, float, float, str | None] | tuple[str, str]


@dataclass(frozen=True)
class View:
    """Everything a link restores. page.py builds one per run (sections/session.py current_view); the URL
    serialises it."""

    model: str = DEFAULT_MODEL
    map_name: str = "pca"
    method: str = "linear"
    frames: int = 10
    compare: bool = False
    backdrop: bool = True
    page: str = "explore"
    samples: int = 0  # seed of the prior samples shown in the lesson
    eps: int = 0  # seed of the eps in z = mu + sigma * eps
    probe: tuple[float, float] | None = None  # a point decoded on both lesson planes
    a: EndpointRef | None = None
    b: EndpointRef | None = None
    mr: float | None = None  # the β slider: the Multi-Rate VAE at this beta (None: the separate model shown)

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.model)


def default_view(family: Family) -> View:
    model = DEFAULT_MODEL if DEFAULT_MODEL in family.models else next(iter(family.models))
    return View(model=model, map_name=family.models[model].atlas.map_names[0])


CONTROLS = ("model", "map_name", "method", "frames", "compare", "backdrop", "mr")


def mr_step(beta: float) -> int:
    """The slider's step nearest to beta: round(MR_STEPS * log10(beta)), ties up, within BETA_RANGE."""
    low, high = (round(MR_STEPS * math.log10(end)) for end in BETA_RANGE)
    return min(high, max(low, math.floor(MR_STEPS * math.log10(beta) + 0.5)))


def mr_text(step: int) -> str:
    """A step's beta as a link writes it: 10 ** (step / MR_STEPS) to 3 significant digits, no trailing zeros."""
    decimals = 4 if step < -MR_STEPS else 3 if step < 0 else 2 if step < MR_STEPS else 1
    return f"{10 ** (step / MR_STEPS):.{decimals}f}".rstrip("0").rstrip(".")


def mr_beta(value: object) -> float | None:
    """A slider's beta (a number from the widget, or a link's plain decimal) snapped to its step, or None when
    it is not a finite number within BETA_RANGE. The snapped beta is its link text read back, so both
    languages hold the very same float."""
    if isinstance(value, str):
        if len(value) > MR_TEXT_LIMIT or not _MR_NUMBER.fullmatch(value):
            return None
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    if not BETA_RANGE[0] <= value <= BETA_RANGE[1]:
        return None
    return float(mr_text(mr_step(value)))


def checked_controls(family: Family, base: View, values: dict) -> tuple[View, list[str]]:
    """The one check of the view's controls, for a link, the session's state and the widget's events alike.

    `values` holds any of CONTROLS, already of Python types (None or a wrong type is unusable); each usable
    value replaces `base`'s, each unusable one keeps it and is named in the list returned. A map that is not
    given, or not usable, stays `base`'s if the model has it, else becomes the model's first map."""
    view, rejected = base, []
    if "model" in values:
        if isinstance(values["model"], str) and values["model"] in family.models:
            view = replace(view, model=values["model"])
        else:
            rejected.append("model")
    maps = family.models[view.model].atlas.map_names
    map_name = values.get("map_name")
    if isinstance(map_name, str) and map_name in maps:
        view = replace(view, map_name=map_name)
    else:
        if "map_name" in values:
            rejected.append("map_name")
        if view.map_name not in maps or view.model != base.model:
            view = replace(view, map_name=maps[0])
    if "method" in values:
        if values["method"] in METHODS:
            view = replace(view, method=values["method"])
        else:
            rejected.append("method")
    if "frames" in values:
        frames = values["frames"]
        if type(frames) is int and FRAMES_RANGE[0] <= frames <= FRAMES_RANGE[1]:
            view = replace(view, frames=frames)
        else:
            rejected.append("frames")
    for key in ("compare", "backdrop"):
        if key in values:
            if isinstance(values[key], bool):
                view = replace(view, **{key: values[key]})
            else:
                rejected.append(key)
    if "mr" in values:
        beta = mr_beta(values["mr"]) if values["mr"] is not None else None
        if values["mr"] is None or beta is not None:
            view = replace(view, mr=beta)
        else:
            rejected.append("mr")
    return view, rejected


def parse_query(params: dict, family: Family) -> tuple[View, list[str]]:
    """The view a URL asks for, and one warning per value that could not be used (it falls back)."""
    view, warnings = default_view(family), []
    value = {str(key): str(params[key][-1] if isinstance(params[key], list) else params[key]) for key in params}

    def warn(key: str, why: str) -> None:
        warnings.append(f"{key} = {plain(value[key])} {why}")

    flags = {"0": False, "1": True}
    typed = {
        "model": value.get("model"),
        "map_name": value.get("map"),
        "method": value.get("method"),
        "frames": whole_text(value["frames"]) if "frames" in value else None,
        "compare": flags.get(value.get("compare", "")),
        "backdrop": flags.get(value.get("backdrop", "")),
        "mr": value.get("mr"),
    }
    url_key = {"map_name": "map"}
    given = {name: typed[name] for name in CONTROLS if url_key.get(name, name) in value}
    view, rejected = checked_controls(family, view, given)
    maps = ", ".join(family.models[view.model].atlas.map_names)
    why = {
        "model": f"is not shipped; choose from {', '.join(sorted(family.models))}",
        "map_name": f"does not exist for {view.model}; choose from {maps}",
        "method": f"is not one of {', '.join(METHODS)}",
        "frames": "must be a whole number from {} to {}".format(*FRAMES_RANGE),
        "compare": "must be 0 or 1",
        "backdrop": "must be 0 or 1",
        "mr": "must be a number from {:g} to {:g} (the β slider's range)".format(*BETA_RANGE),
    }
    for name in CONTROLS:  # warnings in the order the checks ran
        if name in rejected:
            warn(url_key.get(name, name), why[name])
    if "page" in value:
        if value["page"] in PAGES:
            view = replace(view, page=value["page"])
        else:
            warn("page", f"is not one of {', '.join(PAGES)}")
    for key in ("samples", "eps"):
        if key in value:
            seed = whole_text(value[key])
            if seed is not None and SEED_RANGE[0] <= seed <= SEED_RANGE[1]:
                view = replace(view, **{key: seed})
            else:
                warn(key, "must be a whole number from {} to {}".format(*SEED_RANGE))
    if "probe" in value:
        point = point_text(value["probe"], PLANE_LIMIT)
        if point is not None:
            view = replace(view, probe=point)
        else:
            warn("probe", f"must be two numbers x,y with |x|, |y| <= {PLANE_LIMIT:g}")
    for end in ("a", "b"):
        if end not in value:
            continue
        ref = endpoint_ref(value[end], family, view.model)
        if ref is not None:
            view = replace(view, **{end: ref})
        else:
            warn(
                end,
                f"must be a test-digit index from 0 to {len(family.labels) - 1}, a map point such as "
                "pca:0.50,-1.20, or a drawing this page wrote",
            )
    return view, warnings


def to_query(view: View) -> dict[str, str]:
    """The URL form of a view: defaults for seeds and flags are left out, so links stay short."""
    query = {"model": view.model, "map": view.map_name, "method": view.method, "frames": str(view.frames)}
    if view.compare:
        query["compare"] = "1"
    if not view.backdrop:
        query["backdrop"] = "0"
    if view.page != "explore":
        query["page"] = view.page
    for key in ("samples", "eps"):
        if getattr(view, key):
            query[key] = str(getattr(view, key))
    if view.probe is not None:
        query["probe"] = _point_text(view.probe)
    if view.mr is not None:
        query["mr"] = mr_text(mr_step(view.mr))
    for end in ("a", "b"):
        ref = getattr(view, end)
        if ref is not None:
            query[end] = ref_text(ref, view.model)
    return query


def endpoint_ref(text: str, family: Family, model: str) -> EndpointRef | None:
    """An endpoint's URL text, checked against what is shipped, or None when it cannot be used."""
    index = whole_text(text)
    if index is not None:
        return index if 0 <= index < len(family.labels) else None
    if text.startswith("d:"):
        return ("drawn", text) if drawing_from_text(text) is not None else None
    body, _, source = text.partition("@")
    source = source or model
    if source not in family.models or len(body) > ENDPOINT_LIMIT:
        return None
    map_name, colon, numbers = body.rpartition(":")
    if not colon:
        map_name = "plane"
    point = point_text(numbers, PLANE_LIMIT)
    if point is None or map_name not in ("plane", "pca") or map_name not in family.models[source].atlas.maps:
        return None
    return (map_name, point[0], point[1], None if source == model else source)


def ref_text(ref: EndpointRef, model: str) -> str:
    if isinstance(ref, int):
        return str(ref)
    if ref[0] == "drawn":
        return ref[1]
    map_name, x, y, source = ref
    return f"{map_name}:{x:.2f},{y:.2f}" + (f"@{source}" if source and source != model else "")


def drawing_text(packed: bytes) -> str:
    """A drawing's 392 bytes (explorer.state.drawing_bytes) as URL text."""
    return "d:" + base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode("ascii").rstrip("=")


def drawing_from_text(text: str) -> np.ndarray | None:
    """The (28, 28) picture in [0, 1] a drawing's URL text holds, or None for anything else. Bounded:
    at most DRAWING_LIMIT characters in, DRAWING_BYTES out (a zip bomb stops there)."""
    if not isinstance(text, str) or not text.startswith("d:") or len(text) > DRAWING_LIMIT or not text.isascii():
        return None
    payload = text[2:]
    try:
        compressed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        inflater = zlib.decompressobj()
        packed = inflater.decompress(compressed, DRAWING_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        return None
    if len(packed) != DRAWING_BYTES or inflater.unconsumed_tail or not inflater.eof:
        return None
    pairs = np.frombuffer(packed, dtype=np.uint8)
    steps = np.empty(DRAWING_BYTES * 2, dtype=np.float32)
    steps[0::2], steps[1::2] = pairs >> 4, pairs & 15
    return (steps / 15.0).reshape(28, 28)


def _point_text(point: tuple[float, float]) -> str:
    return f"{point[0]:.2f},{point[1]:.2f}"
