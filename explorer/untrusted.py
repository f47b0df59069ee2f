"""Numbers a visitor sends (URL values, widget payloads, typed indices), checked in one place.

Every function returns None (or raises ValueError with a message for the page) instead of letting
a bool, NaN, infinity, an exponent or a 10 KB string through; callers then check the value against
what is shipped (an index against the test set, a point against a plane). What a message echoes of
the visitor's value goes through `explorer.safe_text.plain`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from .safe_text import plain

MAX_DIGITS = 9  # a whole number in a URL or a text box: no test index, seed or frame count needs more
# A number in a URL: ASCII decimal digits with an optional sign and point, nothing else (no exponent, no
# spaces, no "inf", no underscores or other scripts' digits, which Python's float() would take). The static
# site's viewer reads URLs with the same pattern (widgets/contract.py hands it over).
NUMBER_TEXT = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
_NUMBER = re.compile(NUMBER_TEXT)


def number(value: object) -> float | None:
    """A finite real number from a JSON payload (int or float, never bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def whole(value: object) -> int | None:
    """A whole number from a JSON payload (3 or 3.0, never 3.5, True or NaN), else None."""
    value = number(value)
    return int(value) if value is not None and value.is_integer() else None


def whole_text(text: object) -> int | None:
    """A non-negative whole number written in ASCII digits only (no sign, exponent or spaces), else None."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
        return None
    return int(text)


def point_text(text: object, limit: float) -> tuple[float, float] | None:
    """ "x,y" as two finite numbers with |x|, |y| <= limit, rounded to 0.01 (their URL form), else None."""
    if not isinstance(text, str) or len(text) > 40:  # explorer/share.py POINT_TEXT_LIMIT
        return None
    parts = text.split(",")
    if len(parts) != 2 or not all(_NUMBER.fullmatch(part) for part in parts):
        return None
    return point(float(parts[0]), float(parts[1]), limit)


def point(x: object, y: object, limit: float) -> tuple[float, float] | None:
    """Two finite numbers with |x|, |y| <= limit, rounded to 0.01, else None."""
    x, y = number(x), number(y)
    if x is None or y is None or abs(x) > limit or abs(y) > limit:
        return None
    return round(x, 2), round(y, 2)


def index(value: object, count: int) -> int:
    """A test index in [0, count) from a number or from text such as "1234" or "#1234";
    ValueError with a message for the page otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"type a test index from 0 to {count - 1} first")
    found = whole_text(value.strip().removeprefix("#").strip()) if isinstance(value, str) else whole(value)
    if found is None:
        raise ValueError(f"{plain(value)} is not a test index: type a whole number from 0 to {count - 1}")
    if not 0 <= found < count:
        raise ValueError(f"there is no test digit {plain(value)}: the test set runs from 0 to {count - 1}")
    return found
