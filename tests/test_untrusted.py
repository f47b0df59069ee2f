"""The one checker for numbers a visitor sends (explorer/untrusted.py): examples and property-based tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import untrusted

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def test_index_bounds_and_quotes_what_a_visitor_typed():
    assert untrusted.index("#17", 100) == 17 and untrusted.index(17.0, 100) == 17
    assert untrusted.index(np.int64(99), 100) == 99
    for bad in ("1e3", "17.5", 17.5, float("nan"), float("inf"), True, "![x](http://e.vil/x.png)", "٣"):
        with pytest.raises(ValueError, match="is not a test index"):
            untrusted.index(bad, 100)
    with pytest.raises(ValueError) as error:
        untrusted.index("[click](http://e.vil)", 100)
    assert "` [click](http://e.vil) `" in str(error.value)  # a code span: shown literally, never a link
    with pytest.raises(ValueError, match="runs from 0 to 99"):
        untrusted.index(100, 100)
    with pytest.raises(ValueError, match="first"):
        untrusted.index("  ", 100)


def test_numbers_refuse_bools_nan_and_text():
    assert untrusted.number(3) == 3.0 and untrusted.number(np.float32(0.5)) == 0.5
    for bad in (True, math.nan, math.inf, "3", None, [3]):
        assert untrusted.number(bad) is None
    assert untrusted.whole(4.0) == 4 and untrusted.whole(4.5) is None and untrusted.whole(True) is None
    assert untrusted.whole_text("0042") == 42
    for bad in ("-1", "+1", "1e3", " 1", "١", "1" * 10, 7):
        assert untrusted.whole_text(bad) is None


def test_points_are_finite_bounded_and_rounded_like_their_url_form():
    assert untrusted.point_text("0.504,-1.2", 100) == (0.5, -1.2)
    assert untrusted.point(1.234, 5.678, 10) == (1.23, 5.68)
    for bad in ("1,2,3", "nan,1", "inf,0", "1e9,0", "a,b", "1;2", "1," + "0" * 50):
        assert untrusted.point_text(bad, 100) is None
    assert untrusted.point(True, 1.0, 10) is None and untrusted.point(11.0, 0.0, 10) is None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(value=ANYTHING)
def test_every_checker_answers_or_says_why_and_never_raises_anything_else(value):
    number = untrusted.number(value)
    assert number is None or math.isfinite(number)
    whole = untrusted.whole(value)
    assert whole is None or isinstance(whole, int)
    assert untrusted.whole_text(value) is None or untrusted.whole_text(value) >= 0
    found = untrusted.point_text(value, 100.0)
    assert found is None or all(math.isfinite(c) and abs(c) <= 100 for c in found)
    try:
        assert 0 <= untrusted.index(value, 10_000) < 10_000
    except ValueError as error:
        assert "\n" not in str(error)
