"""Endpoint rules (explorer/state.Endpoints): A before B, whatever sets them."""

import numpy as np
import pytest

from explorer.state import Endpoint, Endpoints


def digit(name: str) -> Endpoint:
    return Endpoint(label=name, image=np.zeros((28, 28), dtype=np.float32))


def test_use_as_b_first_sets_b_and_the_next_click_fills_a():
    """A slot a visitor names is the slot that is set; a click then fills the empty one."""
    chosen = Endpoints()
    drawing, clicked = digit("your drawing"), digit("test #7")
    chosen.use("b", drawing)
    assert (chosen.a, chosen.b) == (None, drawing)
    assert not chosen.empty  # so Clear is enabled
    chosen.click(clicked)
    assert (chosen.a, chosen.b) == (clicked, drawing)
    chosen.swap()
    assert (chosen.a, chosen.b) == (drawing, clicked)
    chosen.swap()
    assert (chosen.a, chosen.b) == (clicked, drawing)
    chosen.clear()
    assert chosen.empty and not chosen.complete


def test_clicks_cycle_a_b_then_a_new_pair():
    chosen = Endpoints()
    first, second, third = digit("1"), digit("2"), digit("3")
    for endpoint in (first, second):
        chosen.click(endpoint)
    assert chosen.complete and (chosen.a, chosen.b) == (first, second)
    chosen.click(third)
    assert (chosen.a, chosen.b) == (third, None)


def test_swap_moves_a_lone_endpoint_and_use_names_its_end():
    chosen = Endpoints()
    only = digit("1")
    chosen.use("a", only)
    chosen.swap()
    assert (chosen.a, chosen.b) == (None, only)
    with pytest.raises(ValueError):
        chosen.use("c", only)
