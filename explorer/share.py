"""The view as URL query parameters, so a link restores it: model, map, path, frames, endpoints.

    ?model=z20-beta2&map=tsne&method=spherical&frames=16&a=3&b=7&compare=1

`parse_query` validates every value against what is shipped and returns the
settings it could use plus one warning per value it could not; `to_query` is
its inverse. Only test-digit endpoints travel in a URL (a drawing does not).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from vae.family import Family, Variant
from vae.paths import METHODS

FRAMES_RANGE = (4, 32)


@dataclass
class View:
    model: str = "z20-beta1"
    map_name: str = "pca"
    method: str = "linear"
    frames: int = 10
    compare: bool = False
    a: int | None = None
    b: int | None = None
    warnings: list[str] = field(default_factory=list)


def default_view(family: Family) -> View:
    model = "z20-beta1" if "z20-beta1" in family.models else next(iter(family.models))
    return View(model=model, map_name=family.models[model].atlas.map_names[0])


def parse_query(params: dict, family: Family) -> View:
    """The view a URL asks for; invalid values fall back to defaults, each with a warning."""
    view = default_view(family)
    value = {key: (params[key][-1] if isinstance(params[key], list) else params[key]) for key in params}

    if "model" in value:
        try:
            name = Variant.parse(value["model"]).name
        except ValueError:
            name = None
        if name in family.models:
            view.model = name
            view.map_name = family.models[name].atlas.map_names[0]
        else:
            view.warnings.append(f"model={value['model']!r} is not shipped; choose from {sorted(family.models)}")
    maps = family.models[view.model].atlas.map_names
    if "map" in value:
        if value["map"] in maps:
            view.map_name = value["map"]
        else:
            view.warnings.append(f"map={value['map']!r} does not exist for {view.model}; choose from {maps}")
    if "method" in value:
        if value["method"] in METHODS:
            view.method = value["method"]
        else:
            view.warnings.append(f"method={value['method']!r} is not one of {list(METHODS)}")
    if "frames" in value:
        low, high = FRAMES_RANGE
        frames = _integer(value["frames"])
        if frames is not None and low <= frames <= high:
            view.frames = frames
        else:
            view.warnings.append(f"frames={value['frames']!r} must be a whole number from {low} to {high}")
    if "compare" in value:
        if value["compare"] in ("0", "1"):
            view.compare = value["compare"] == "1"
        else:
            view.warnings.append(f"compare={value['compare']!r} must be 0 or 1")
    for end in ("a", "b"):
        if end in value:
            index = _integer(value[end])
            if index is not None and 0 <= index < len(family.labels):
                setattr(view, end, index)
            else:
                view.warnings.append(f"{end}={value[end]!r} must be a test-digit index from 0 to {len(family.labels) - 1}")
    if view.b is not None and view.a is None:
        view.a, view.b = view.b, None
    return view


def to_query(view: View) -> dict[str, str]:
    query = {"model": view.model, "map": view.map_name, "method": view.method, "frames": str(view.frames)}
    if view.compare:
        query["compare"] = "1"
    for end in ("a", "b"):
        if getattr(view, end) is not None:
            query[end] = str(getattr(view, end))
    return query


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
