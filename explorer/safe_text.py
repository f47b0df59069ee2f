"""Untrusted values (a URL's query, an upload's name) made safe to echo inside Streamlit Markdown.

`st.warning`, `st.info`, `st.caption` and `st.markdown` render Markdown plus
Streamlit's extensions: links and images, `:red[...]` colours, `:material/...:`
icons, emoji shortcodes, `$...$` LaTeX and (escaped) HTML. A visitor's string
echoed there as is becomes a working link or makes the browser fetch an image.

`plain(value)` returns the value as one inline code span (CommonMark 6.1): the
span is fenced with one more backtick than the longest backtick run inside it,
so nothing can close it early, and no Markdown construct or Streamlit plugin
is parsed inside a code span. Control and invisible formatting characters
(newlines, bidi overrides, zero-width joiners) are replaced first, so the value
stays on one line and reads in the order it was sent; long values are cut to
`limit` characters with an ellipsis.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"
REPLACEMENT = "\ufffd"  # what a control or invisible formatting character is shown as
EMPTY = "(empty)"
_BACKTICK_RUNS = re.compile(r"`+")


def cut(value: object, limit: int = 40) -> str:
    """`str(value)` on one line, controls replaced, at most `limit` characters (an ellipsis marks a cut)."""
    text = "".join(_visible(char) for char in str(value))
    limit = max(1, int(limit))
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def plain(value: object, limit: int = 40) -> str:
    """Markdown that renders `value` literally (as code), cut to `limit` characters."""
    text = cut(value, limit)
    if not text:
        return EMPTY
    fence = "`" * (max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0) + 1)
    # The spaces inside the fence keep a leading/trailing backtick from touching it; CommonMark strips
    # exactly one space from each side of a span that has both, so the value shows as sent.
    return f"{fence} {text} {fence}"


def prose(value: object, limit: int = 600) -> str:
    """Markdown that renders `value` as the same words in the page's own font (not as code): every ASCII
    punctuation character backslash-escaped (CommonMark 2.4), so no link, image, emphasis, `:icon:`, `$math$`
    or HTML is parsed; controls replaced, cut to `limit` characters. For text from a shipped file a visitor may
    have tampered with (a preset's caption), shown as a sentence."""
    return "".join(f"\\{char}" if char in _PUNCTUATION else char for char in cut(value, limit))


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if char in "\t\n\r\v\f" or category in ("Zl", "Zp"):
        return " "
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):  # controls, bidi/zero-width formats, surrogates, unassigned
        return REPLACEMENT
    return char
