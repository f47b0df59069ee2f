"""What a visitor has chosen: the two endpoints of the morph, and the rules for how they change.

An endpoint is a test digit, a point of a map (the z = 2 plane, or the PCA-inverse point of a
z = 20 PCA map), or a drawing. Each carries an image, so any model can encode it; a test digit
uses the atlas's mu under every model and a point keeps its exact code on the model it was
picked on. `id` names it the way the browser does (viewer/explore/endpoints.js localEnd), so both sides
can tell whether a path they hold is the same path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from vae.family import Family, LoadedModel

POINT_MAPS = ("plane", "pca")  # maps whose points stand for exact codes


@dataclass(frozen=True)
class Endpoint:
    label: str
    image: np.ndarray = field(repr=False, compare=False)  # (28, 28) float32 in [0, 1]
    index: int | None = None  # test-set index
    source_model: str | None = None  # for map points: the model whose map it is
    map_name: str | None = None  # "plane" or "pca" for map points
    point: tuple[float, float] | None = None  # map coordinates, rounded to 0.01 (their URL form)
    code: tuple[float, ...] | None = field(default=None, repr=False)  # the exact code on source_model

    @property
    def kind(self) -> str:
        """'test' (a test digit), 'point' (a point of a map) or 'drawn'."""
        if self.index is not None:
            return "test"
        return "point" if self.point is not None else "drawn"

    @property
    def id(self) -> str:
        if self.kind == "test":
            return f"t{self.index}"
        if self.kind == "point":
            x, y = self.point
            return f"p:{self.map_name}:{x:.2f},{y:.2f}@{self.source_model}"
        return f"d:{hashlib.sha256(drawing_bytes(self.image)).hexdigest()[:12]}"

    def latent(self, loaded: LoadedModel) -> np.ndarray:
        """This endpoint's code (latent,) under one model."""
        if self.index is not None:
            return loaded.atlas.mu[self.index]
        if self.code is not None and self.source_model == loaded.name:
            return np.asarray(self.code, dtype=np.float32)
        return loaded.model.encode(self.image[None])[0][0]


def test_digit(family: Family, index: int) -> Endpoint:
    return Endpoint(
        label=f"test #{index} ({article(int(family.labels[index]))} {int(family.labels[index])})",
        image=family.images[index].astype(np.float32) / 255.0,
        index=int(index),
    )


def article(digit: int) -> str:
    """The article before a digit's name: "an 8", "a 7"."""
    return "an" if digit == 8 else "a"


def map_code(loaded: LoadedModel, map_name: str, x: float, y: float) -> np.ndarray:
    """The code a point of a map stands for: the plane's point itself, or PCA's inverse mean + components^T (x, y)."""
    if map_name == "plane":
        return np.asarray([x, y], dtype=np.float32)
    if map_name == "pca":
        atlas = loaded.atlas
        return (atlas.pca_mean + np.asarray([x, y], dtype=np.float32) @ atlas.pca_components).astype(np.float32)
    raise ValueError(f"a point of the {map_name} map stands for no code")


def map_point(loaded: LoadedModel, map_name: str, x: float, y: float) -> Endpoint:
    """A point of a map, rounded to the 0.01 its URL form keeps (so a shared link gives the same frames)."""
    x, y = round(float(x), 2), round(float(y), 2)
    code = map_code(loaded, map_name, x, y)
    image = loaded.model.decode(code[None])[0]
    what = "plane point" if map_name == "plane" else "map point"  # plain words: no "PCA" to explain
    return Endpoint(
        label=f"{what} ({x:.2f}, {y:.2f})",
        image=image,
        source_model=loaded.name,
        map_name=map_name,
        point=(x, y),
        code=tuple(float(c) for c in code),
    )


LEVELS = 16  # grey levels a drawing keeps, so a link can carry it exactly (two pixels per byte)


def quantised(image: np.ndarray) -> np.ndarray:
    """A picture in [0, 1] rounded to LEVELS grey levels, as a link carries it."""
    steps = np.rint(np.clip(np.asarray(image, dtype=np.float32), 0, 1) * (LEVELS - 1))
    return (steps / (LEVELS - 1)).astype(np.float32)


def drawing_bytes(image: np.ndarray) -> bytes:
    """A (28, 28) picture as 392 bytes: LEVELS grey levels, two pixels per byte."""
    steps = np.rint(np.clip(np.asarray(image, dtype=np.float32), 0, 1) * (LEVELS - 1)).astype(np.uint8).ravel()
    return (steps[0::2] << 4 | steps[1::2]).tobytes()


def drawn_digit(image: np.ndarray, label: str = "your drawing") -> Endpoint:
    """A drawing or an uploaded photo as an endpoint (a link carries only its picture: it reopens as a drawing)."""
    return Endpoint(label=label, image=quantised(image))


@dataclass
class Endpoints:
    """The pair of endpoints, with every rule about how they change in one place.

    A click fills the first empty slot (A, then B); with both set it starts a new pair from A.
    A button or link that names a slot sets exactly that slot, even with the other one empty.
    """

    a: Endpoint | None = None
    b: Endpoint | None = None

    def click(self, endpoint: Endpoint) -> None:
        if self.a is None:
            self.a = endpoint
        elif self.b is None:
            self.b = endpoint
        else:
            self.a, self.b = endpoint, None

    def use(self, end: str, endpoint: Endpoint) -> None:
        """Puts `endpoint` at end "a" or "b"."""
        if end not in ("a", "b"):
            raise ValueError(f"an endpoint is 'a' or 'b', got {end!r}")
        setattr(self, end, endpoint)

    def swap(self) -> None:
        self.a, self.b = self.b, self.a

    def clear(self) -> None:
        self.a = self.b = None

    @property
    def complete(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def empty(self) -> bool:
        return self.a is None and self.b is None


def random_of_class(family: Family, digit: int, rng: np.random.Generator, avoid: int | None = None) -> int:
    """A random test index whose label is `digit` (not `avoid`, so a pair 3 -> 3 has two different 3s)."""
    candidates = np.flatnonzero(family.labels == digit)
    if avoid is not None and len(candidates) > 1:
        candidates = candidates[candidates != avoid]
    return int(rng.choice(candidates))


def random_pair(family: Family, digit_a: int, digit_b: int, seed: int) -> tuple[int, int]:
    """Test indices of a `digit_a` and a `digit_b`, the same for the same (digits, seed) on any machine."""
    rng = np.random.default_rng([seed, digit_a, digit_b])
    a = random_of_class(family, digit_a, rng)
    return a, random_of_class(family, digit_b, rng, avoid=a)
