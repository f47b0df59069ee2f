"""What a user has chosen: the two endpoints of the morph, and how clicks change them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vae.family import Family, LoadedModel


@dataclass(frozen=True)
class Endpoint:
    """One end of a path: a test digit, a drawn digit, or a point on the z=2 plane.

    Every endpoint carries an image, so any model can encode it; test digits use the
    atlas's mu (the same clicks always give the same frames) and plane points keep
    their exact code for the model they were clicked on.
    """

    label: str
    image: np.ndarray = field(repr=False, compare=False)  # (28, 28) float32 in [0, 1]
    index: int | None = None  # test-set index
    source_model: str | None = None  # for plane points: the model whose plane it is
    code: tuple[float, ...] | None = None  # the exact latent code in source_model

    @property
    def ref(self) -> int | tuple[float, float] | None:
        """How this endpoint travels in a URL: its test index, its plane point, or None (a drawing)."""
        if self.index is not None:
            return self.index
        if self.code is not None and len(self.code) == 2:
            return self.code
        return None

    @property
    def kind(self) -> str:
        """'test' (a test digit), 'plane' (a point clicked on a z = 2 plane) or 'drawn'."""
        if self.index is not None:
            return "test"
        return "plane" if self.code is not None else "drawn"

    def latent(self, loaded: LoadedModel) -> np.ndarray:
        """This endpoint's latent code (latent,) under one model."""
        if self.index is not None:
            return loaded.atlas.mu[self.index]
        if self.code is not None and self.source_model == loaded.name:
            return np.asarray(self.code, dtype=np.float32)
        return loaded.model.encode(self.image[None])[0][0]


def test_digit(family: Family, index: int) -> Endpoint:
    return Endpoint(
        label=f"test #{index} (a {int(family.labels[index])})",
        image=family.images[index].astype(np.float32) / 255.0,
        index=int(index),
    )


def plane_point(loaded: LoadedModel, image: np.ndarray, x: float, y: float) -> Endpoint:
    """A point of a z = 2 plane, rounded to the 0.01 its URL form keeps (so a shared link gives the same frames)."""
    x, y = round(float(x), 2), round(float(y), 2)
    return Endpoint(label=f"plane ({x:.2f}, {y:.2f})", image=image, source_model=loaded.name, code=(x, y))


def drawn_digit(image: np.ndarray) -> Endpoint:
    return Endpoint(label="your drawing", image=image.astype(np.float32))


@dataclass
class Endpoints:
    """The pair of endpoints, with every rule about how they change in one place.

    A is always set before B: a click, a "use as" button or a URL that names only B
    fills A first, so a lone B never exists and Clear/Swap always have what they need.
    """

    a: Endpoint | None = None
    b: Endpoint | None = None

    def click(self, endpoint: Endpoint) -> None:
        """First click sets A, second sets B, a third starts the next pair from A."""
        if self.a is None or self.b is not None:
            self.a, self.b = endpoint, None
        else:
            self.b = endpoint

    def use(self, end: str, endpoint: Endpoint) -> None:
        """Puts `endpoint` at end "a" or "b"; B with no A becomes A (as the URL parser does)."""
        if end not in ("a", "b"):
            raise ValueError(f"an endpoint is 'a' or 'b', got {end!r}")
        if end == "b" and self.a is not None:
            self.b = endpoint
        else:
            self.a = endpoint

    def swap(self) -> None:
        if self.complete:
            self.a, self.b = self.b, self.a

    def clear(self) -> None:
        self.a = self.b = None

    @property
    def complete(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def empty(self) -> bool:
        return self.a is None and self.b is None
