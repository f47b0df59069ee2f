"""The view: what the sidebar and the URL hold, as one frozen dataclass, and its URL form.

    ?model=z20-beta2&map=tsne&method=spherical&frames=16&a=3&b=7&compare=1
    ?page=lesson&samples=4&eps=2&probe=0.50,-1.20

`parse_query` validates every value against what is shipped and returns the
view it could use plus one warning per value it could not (each warning quotes
the visitor's value through `explorer.safe_text.plain`, so nothing in a URL is
ever rendered as Markdown); `to_query` is its inverse. Endpoints travel as a
test-digit index (`a=3`) or, for a point clicked on a z = 2 plane, as that
plane's coordinates (`a=0.50,-1.20`, on the URL's model); a drawing does not
travel.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vae.family import Family, Variant
from vae.paths import METHODS

from .safe_text import plain
from .untrusted import point_text, whole_text

FRAMES_RANGE = (4, 32)
SEED_RANGE = (0, 9_999)
PAGES = ("explore", "lesson")
PLANE_LIMIT = 100.0  # |x|, |y| of a plane point in a URL; the shipped planes span well inside this

EndpointRef = int | tuple[float, float]  # a test-digit index, or (x, y) on the model's z = 2 plane


@dataclass(frozen=True)
class View:
    """Everything a link restores. The sidebar builds one per run; the URL serialises it."""

    model: str = "z20-beta1"
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

    @property
    def variant(self) -> Variant:
        return Variant.parse(self.model)


def default_view(family: Family) -> View:
    model = "z20-beta1" if "z20-beta1" in family.models else next(iter(family.models))
    return View(model=model, map_name=family.models[model].atlas.map_names[0])


def parse_query(params: dict, family: Family) -> tuple[View, list[str]]:
    """The view a URL asks for, and one warning per value that could not be used (it falls back)."""
    view, warnings = default_view(family), []
    value = {str(key): str(params[key][-1] if isinstance(params[key], list) else params[key]) for key in params}

    def warn(key: str, why: str) -> None:
        warnings.append(f"{key} = {plain(value[key])} {why}")

    if "model" in value:
        try:
            name = Variant.parse(value["model"]).name
        except ValueError:
            name = None
        if name in family.models:
            view = replace(view, model=name, map_name=family.models[name].atlas.map_names[0])
        else:
            warn("model", f"is not shipped; choose from {', '.join(sorted(family.models))}")
    maps = family.models[view.model].atlas.map_names
    plane = family.models[view.model].variant.latent_size == 2
    if "map" in value:
        if value["map"] in maps:
            view = replace(view, map_name=value["map"])
        else:
            warn("map", f"does not exist for {view.model}; choose from {', '.join(maps)}")
    if "method" in value:
        if value["method"] in METHODS:
            view = replace(view, method=value["method"])
        else:
            warn("method", f"is not one of {', '.join(METHODS)}")
    if "frames" in value:
        frames = whole_text(value["frames"])
        if frames is not None and FRAMES_RANGE[0] <= frames <= FRAMES_RANGE[1]:
            view = replace(view, frames=frames)
        else:
            warn("frames", "must be a whole number from {} to {}".format(*FRAMES_RANGE))
    for key in ("compare", "backdrop"):
        if key in value:
            if value[key] in ("0", "1"):
                view = replace(view, **{key: value[key] == "1"})
            else:
                warn(key, "must be 0 or 1")
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
        index, point = whole_text(value[end]), point_text(value[end], PLANE_LIMIT)
        if index is not None and 0 <= index < len(family.labels):
            view = replace(view, **{end: index})
        elif point is not None and plane and "," in value[end]:
            view = replace(view, **{end: point})
        else:
            where = " or x,y on a z = 2 plane" if plane else ""
            warn(end, f"must be a test-digit index from 0 to {len(family.labels) - 1}{where}")
    if view.b is not None and view.a is None:  # the same rule as Endpoints.use: A is always set first
        view = replace(view, a=view.b, b=None)
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
    for end in ("a", "b"):
        ref = getattr(view, end)
        if isinstance(ref, tuple):
            query[end] = _point_text(ref)
        elif ref is not None:
            query[end] = str(ref)
    return query


def _point_text(point: tuple[float, float]) -> str:
    return f"{point[0]:.2f},{point[1]:.2f}"
