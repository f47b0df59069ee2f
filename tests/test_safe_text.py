"""explorer/safe_text: a visitor's value, echoed in Streamlit Markdown, shows as literal code on one line."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.safe_text import ELLIPSIS, EMPTY, REPLACEMENT, cut, plain, prose


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("tsne", "` tsne `"),
        ("[Log in](https://evil.example)", "` [Log in](https://evil.example) `"),
        ("a`b", "`` a`b ``"),  # the fence is one backtick longer than any run inside
        ("``x```", "```` ``x``` ````"),
        ("`", "`` ` ``"),
        (999, "` 999 `"),
        ("", EMPTY),
    ],
)
def test_plain_fences_the_value_as_one_code_span(value, shown):
    assert plain(value) == shown


def test_controls_newlines_and_bidi_overrides_are_replaced():
    assert cut("a\nb\r\nc\td") == "a b  c d"
    assert cut("x\u202eevil\u200by\x00") == f"x{REPLACEMENT}evil{REPLACEMENT}y{REPLACEMENT}"
    assert "\n" not in plain("# title\n\n[x](y)")


def test_long_values_are_cut_with_an_ellipsis():
    shown = cut("x" * 10_000, 40)
    assert len(shown) == 40 and shown.endswith(ELLIPSIS)
    assert len(plain("y" * 10_000)) == 40 + 4  # value, two spaces, two backticks
    assert cut("short", 40) == "short"
    assert cut("abc", 0) == ELLIPSIS  # a limit below one still shows that something was there


@given(st.text(max_size=300))
def test_prose_escapes_every_markdown_character_and_keeps_the_words(value):
    """A preset's caption (from a file a visitor may have tampered with) shown as words: every ASCII
    punctuation character escaped, so no link, image, :icon:, $math$ or HTML can form; unescaping gives the
    value back (controls replaced, cut as `cut` cuts)."""
    shown = prose(value)
    assert "\n" not in shown
    unescaped, escaped_next = [], False
    for char in shown:
        if escaped_next:
            unescaped.append(char)
            escaped_next = False
        elif char == "\\":
            escaped_next = True
        else:
            assert not (char.isascii() and char in string.punctuation), (char, shown)
            unescaped.append(char)
    assert not escaped_next and "".join(unescaped) == cut(value, 600)


def test_prose_reads_a_caption_as_words():
    assert prose("Test digits #6708 (a 7): [x](http://e) :red[hi]") == (
        "Test digits \\#6708 \\(a 7\\)\\: \\[x\\]\\(http\\:\\/\\/e\\) \\:red\\[hi\\]"
    )
