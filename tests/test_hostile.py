"""What a hostile or unlucky visitor sends cannot hurt the server or show anything the page did not write.

Three kinds of check:
  * the page in AppTest, fed Markdown links, images, `:red[]`, LaTeX, HTML, backtick break-outs, newlines
    and 10 KB values in every query key, and forged map clicks: nothing of it is rendered outside a
    code span, the warning stays short, the URL falls back to valid values;
  * property tests (hypothesis, derandomized so CI sees the same examples every run): the URL parser
    never raises, the upload reader and the preprocessing raise only DrawingError, the checkpoint loader
    only CheckpointError, and `plain()` always yields one code span on one line;
  * an upload is decoded once per distinct file, however often the page reruns.
"""

from __future__ import annotations

import io
import json
import math
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image
from streamlit.testing.v1 import AppTest

from conftest import ROOT, WEIGHTS
from explorer.safe_text import cut, plain
from explorer.share import FRAMES_RANGE, PAGES, SEED_RANGE, parse_query
from vae.checkpoint import METADATA_KEY, CheckpointError, read_checkpoint
from vae.drawing import DrawingError, read_upload, to_mnist

APP = str(ROOT / "page.py")
QUERY_KEYS = ("model", "map", "method", "frames", "compare", "backdrop", "page", "samples", "eps", "probe", "a", "b")
MARK = "evil"  # every payload carries it; it may appear only inside a code span
PAYLOADS = (
    "[Log in again](https://evil.example/login)",
    "![t](https://evil.example/x.png)",
    ":red[evil] :material/warning: :rainbow-background[evil]",
    "$\\evil^{2}$ and $$\\frac{evil}{0}$$",
    "<img src=https://evil.example/x.png onerror=alert(1)>evil<script>alert('evil')</script>",
    "` [evil](https://evil.example) `",  # tries to close the code span early
    "``evil``](https://evil.example)\\`",
    "3\n\n# evil\n[evil](https://evil.example)",  # a newline would start a new Markdown block
    "<https://evil.example/autolink>",
    "evil" + "x" * 10_000,  # 10 KB
)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def outside_code_spans(markdown: str) -> str:
    """The part of `markdown` that CommonMark does not put inside a code span (6.1): a run of n backticks
    opens a span that the next run of exactly n backticks closes; an unmatched run is literal text; a
    backslash escapes the next character outside spans only."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\":
            out.append(markdown[i : i + 2])
            i += 2
            continue
        if markdown[i] != "`":
            out.append(markdown[i])
            i += 1
            continue
        opener_end = i
        while opener_end < len(markdown) and markdown[opener_end] == "`":
            opener_end += 1
        run, search, closer_end = opener_end - i, opener_end, None
        while (start := markdown.find("`" * run, search)) >= 0:
            end = start
            while end < len(markdown) and markdown[end] == "`":
                end += 1
            if end - start == run:
                closer_end = end
                break
            search = end
        if closer_end is None:
            out.append(markdown[i:opener_end])
            i = opener_end
        else:
            out.append(" ")
            i = closer_end
    return "".join(out)


def code_spans(markdown: str) -> list[str]:
    """The contents of the code spans in `markdown` (the same reading as outside_code_spans)."""
    spans, rest, i = [], markdown, 0
    while i < len(rest):
        if rest[i] == "\\":
            i += 2
            continue
        if rest[i] != "`":
            i += 1
            continue
        opener_end = i
        while opener_end < len(rest) and rest[opener_end] == "`":
            opener_end += 1
        run, search = opener_end - i, opener_end
        closed = False
        while (start := rest.find("`" * run, search)) >= 0:
            end = start
            while end < len(rest) and rest[end] == "`":
                end += 1
            if end - start == run:
                spans.append(rest[opener_end:start])
                i, closed = end, True
                break
            search = end
        if not closed:
            i = opener_end
    return spans


def test_the_code_span_reader_itself():
    assert outside_code_spans("a `b` c") == "a   c"
    assert outside_code_spans("a ``b`c`` d") == "a   d"
    assert outside_code_spans("a \\`b` c") == "a \\`b` c"  # escaped opener: no span
    assert outside_code_spans("a ``b` c") == "a ``b` c"  # unmatched run: literal
    assert code_spans("x `` a`b `` y `c`") == [" a`b ", "c"]


def every_text(at: AppTest) -> list[tuple[str, str]]:
    """(element type, its whole protobuf as text) for every element on the page and in the sidebar."""
    return [(type(element).__name__, str(element.proto)) for element in [*at.main, *at.sidebar] if element.proto]


@pytest.fixture(scope="module")
def family():
    from vae.family import load_family

    return load_family(WEIGHTS)


@pytest.mark.slow
def test_markup_in_every_query_key_is_never_rendered():
    for shift in range(len(PAYLOADS)):  # every payload lands in every key once
        sent = {key: PAYLOADS[(shift + j) % len(PAYLOADS)] for j, key in enumerate(QUERY_KEYS)}
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in sent.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception and not at.error, sent
        assert len(at.warning) == 1, [w.value for w in at.warning]
        body = at.warning[0].proto.body
        assert MARK not in outside_code_spans(body), body[:400]
        assert "\n" not in body and len(body) < 2500, len(body)  # one paragraph; 10 KB values are cut
        assert all(f"{key} = `" in body for key in QUERY_KEYS), body  # each bad value is named, as code
        assert all(len(span) <= 42 for span in code_spans(body))  # 40 characters and the fence's spaces
        shown_elsewhere = [kind for kind, text in every_text(at) if MARK in text and kind != "Warning"]
        assert not shown_elsewhere, (sent, shown_elsewhere)
        assert not any(MARK in str(value) for value in at.query_params.values())  # the URL fell back


@pytest.mark.parametrize(
    "event",
    [
        {"type": "pick", "index": 99999},
        {"type": "pick", "index": -5},
        {"type": "pick", "index": "abc"},
        {"type": "pick", "index": "[evil](https://evil.example)"},
        {"type": "pick", "index": 2**80},
        {"type": "pick", "index": 3.5},
        {"type": "point", "map": "pca", "x": math.nan, "y": math.nan},
        {"type": "set", "end": "a", "map": "[evil](https://evil.example)", "x": 0.0, "y": 0.0},
        {"type": "view", "model": "[evil](https://evil.example)", "frames": -1},
    ],
)
def test_forged_widget_events_change_nothing_and_show_no_error(event):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["a"] = "3"
    at.run()
    at.session_state["latent_map"] = {"event": {**event, "serial": 1}}
    at.run()
    assert not at.exception and not at.error
    endpoints = at.session_state["endpoints"]
    assert endpoints.a.index == 3 and endpoints.b is None
    assert at.query_params["a"] in ("3", ["3"]) and at.query_params["model"] in ("z20-beta1", ["z20-beta1"])
    for warning in at.warning:
        assert MARK not in outside_code_spans(warning.proto.body)
        assert "evil.example" not in outside_code_spans(warning.proto.body)


@SETTINGS
@given(st.dictionaries(st.text(max_size=12) | st.sampled_from(QUERY_KEYS), st.text(max_size=200), max_size=14))
def test_parse_query_never_raises_and_always_gives_a_valid_view(family, params):
    view, warnings = parse_query(params, family)
    assert view.model in family.models
    assert view.map_name in family.models[view.model].atlas.map_names
    assert FRAMES_RANGE[0] <= view.frames <= FRAMES_RANGE[1] and view.page in PAGES
    assert SEED_RANGE[0] <= view.samples <= SEED_RANGE[1] and SEED_RANGE[0] <= view.eps <= SEED_RANGE[1]
    for end in (view.a, view.b):
        assert end is None or isinstance(end, tuple) or 0 <= end < len(family.labels)
    assert view.a is not None or view.b is None
    for warning in warnings:
        assert "\n" not in warning and len(warning) < 250
        assert len(outside_code_spans(warning)) < 200  # the visitor's part is all inside the span


@SETTINGS
@given(st.text(max_size=300), st.integers(min_value=1, max_value=80))
def test_plain_is_one_code_span_on_one_line(value, limit):
    shown = plain(value, limit)
    assert "\n" not in shown and "\r" not in shown
    if not cut(value, limit):
        return
    assert outside_code_spans(shown).strip() == ""  # nothing outside the span
    (span,) = code_spans(shown)
    assert span[1:-1] == cut(value, limit)  # CommonMark strips one space each side: the value as sent
    assert len(cut(value, limit)) <= limit


def picture_bytes(array: np.ndarray, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


_ONE = np.pad(np.full((40, 8), 255, np.uint8), 20)  # a '1', white on black
_SEED_PICTURES = {"png": picture_bytes(_ONE, "PNG"), "jpeg": picture_bytes(_ONE, "JPEG")}


@SETTINGS
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_raise_only_drawing_error(data):
    try:
        to_mnist(read_upload(data))
    except DrawingError as error:
        assert str(error)


@SETTINGS
@given(
    st.sampled_from(sorted(_SEED_PICTURES)),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8),
    st.integers(0, 10_000),
)
def test_damaged_png_and_jpeg_raise_only_drawing_error(kind, flips, keep):
    data = bytearray(_SEED_PICTURES[kind])
    for position, value in flips:
        data[position % len(data)] = value
    try:
        to_mnist(read_upload(bytes(data[: max(1, keep)])))
    except DrawingError as error:
        assert str(error)


_DTYPES = st.sampled_from([np.uint8, np.uint16, np.int8, np.int32, np.int64, np.float16, np.float32, np.float64, bool])


@SETTINGS
@given(
    hnp.arrays(
        dtype=_DTYPES,
        shape=st.one_of(
            hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=64),
            st.tuples(st.integers(0, 64), st.integers(0, 64), st.sampled_from([1, 2, 3, 4, 5])),
            hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
        ),
    )
)
def test_arbitrary_arrays_raise_only_drawing_error(array):
    try:
        digit = to_mnist(array)
    except DrawingError as error:
        assert str(error)
        return
    assert digit.image.shape == (28, 28) and np.isfinite(digit.image).all()
    assert digit.image.min() >= 0 and digit.image.max() <= 1


@SETTINGS
@given(
    st.integers(1, 64),
    st.integers(1, 64),
    st.sampled_from([np.float32, np.float64]),
    st.lists(st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 2.0, 1e30]), max_size=4),
    st.booleans(),
)
def test_nan_inf_and_alpha_in_arrays_raise_only_drawing_error(height, width, dtype, specials, with_alpha):
    rng = np.random.default_rng(height * 100 + width)
    array = rng.random((height, width, 4 if with_alpha else 1)).astype(dtype)
    for n, value in enumerate(specials):
        array.flat[(n * 7919) % array.size] = value
    try:
        digit = to_mnist(array)
    except DrawingError:
        return
    assert np.isfinite(digit.image).all()


def safetensors_blob(metadata: object, tensors: dict[str, np.ndarray] | None = None) -> bytes:
    from safetensors.numpy import save

    tensors = tensors or {"w": np.zeros(2, np.float32)}
    return save(tensors, metadata={METADATA_KEY: json.dumps(metadata)})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@SETTINGS
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "format": st.just("latent-explorer/1") | _JSON,
            "kind": st.sampled_from(["vae", "classifier"]) | _JSON,
            "config": st.fixed_dictionaries(
                {}, optional=dict.fromkeys(("input_size", "hidden_size", "latent_size", "beta", "channels"), _JSON)
            )
            | _JSON,
            "info": st.fixed_dictionaries({}, optional={"metrics": _JSON, "lesson": _JSON, "beta": _JSON}) | _JSON,
            "sha256": st.just("0" * 64) | _JSON,
        },
    )
)
def test_tampered_metadata_raises_only_checkpoint_error(tmp_path_factory, record):
    path = tmp_path_factory.mktemp("ckpt") / "vae-z2-beta1.safetensors"
    path.write_bytes(safetensors_blob(record))
    try:
        read_checkpoint(path)
    except CheckpointError as error:
        assert str(path) in str(error)


@SETTINGS
@given(st.binary(max_size=2048), st.integers(0, 1 << 24))
def test_arbitrary_checkpoint_bytes_raise_only_checkpoint_error(tmp_path_factory, data, header_length):
    path = tmp_path_factory.mktemp("ckpt") / "vae-z2-beta1.safetensors"
    for blob in (data, struct.pack("<Q", header_length) + data):
        path.write_bytes(blob)
        with pytest.raises(CheckpointError):
            read_checkpoint(path)


def test_an_upload_is_decoded_once_however_often_the_page_reruns(monkeypatch):
    import hashlib

    import sections.draw as draw

    calls = []

    def counting(data):
        calls.append(len(data))
        return read_upload(data)

    monkeypatch.setattr(draw, "read_upload", counting)
    draw.upload_digit.clear()
    data = _SEED_PICTURES["png"]
    digest = hashlib.sha256(data).hexdigest()
    first = [draw.upload_digit(digest, data) for _ in range(5)]
    assert calls == [len(data)]
    assert all(np.array_equal(digit.image, first[0][0].image) for digit, _ in first)
    bad = b"not a picture"
    answers = [draw.upload_digit(hashlib.sha256(bad).hexdigest(), bad) for _ in range(3)]
    assert len(calls) == 2 and answers[0][0] is None and "only PNG and JPEG" in answers[0][1]


_MEMORY_PROBE = """
import sys, threading
import numpy as np
from vae.drawing import read_upload, to_mnist

def kilobytes(field):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field))

to_mnist(np.pad(np.full((60, 10), 255, np.uint8), 30))  # warm-up: imports
data = [open(path, "rb").read() for path in sys.argv[2:]]
before = kilobytes("VmRSS:")
open("/proc/self/clear_refs", "w").write("5")  # Linux: the peak (VmHWM) restarts from the current RSS
workers = [threading.Thread(target=lambda d=d: to_mnist(read_upload(d))) for d in data * int(sys.argv[1])]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print((kilobytes("VmHWM:") - before) / 1024)
"""


def upload_growth_mb(paths, copies: int = 1) -> float:
    """Peak RSS growth (MB) of a fresh process reading `paths` (each `copies` times) all at once, in threads."""
    import subprocess
    import sys

    command = [sys.executable, "-c", _MEMORY_PROBE, str(copies), *map(str, paths)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    return float(out.stdout.split()[-1])


@pytest.mark.slow
def test_big_uploads_stay_within_the_memory_budget_even_three_at_once(tmp_path):
    """One accepted upload grows the server by <= 150 MB; three read at once do not add up (big decodes queue).

    Prints the figures docs/bad-input.md quotes: `python -m pytest tests/test_hostile.py -k memory_budget -s`.
    """
    pictures = {}
    for mode, fmt in (("RGBA", "PNG"), ("L", "PNG"), ("RGB", "JPEG")):
        picture = Image.new(mode, (5000, 5000), "white")
        picture.paste("black", (2300, 500, 2700, 4500))  # a '1' drawn large
        path = tmp_path / f"big-{mode}.{fmt.lower()}"
        picture.save(path, format=fmt)
        del picture
        pictures[f"5000x5000 {mode} {fmt}"] = path
    growth = {name: upload_growth_mb([path]) for name, path in pictures.items()}
    growth["3 x 5000x5000 RGBA PNG at once"] = upload_growth_mb([pictures["5000x5000 RGBA PNG"]], copies=3)
    for name, megabytes in growth.items():
        print(f"{name}: peak RSS +{megabytes:.0f} MB")
    assert all(megabytes <= 150 for megabytes in growth.values()), growth
    assert growth["5000x5000 RGBA PNG"] >= 50, growth  # the decoded picture is 100 MB: the probe does measure


def _peak_mb(pid: int) -> float:
    return next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmHWM:")) / 1024


@pytest.mark.browser
@pytest.mark.slow
def test_a_big_upload_in_the_real_page_stays_within_budget_and_is_read_once(tmp_path):
    """The server, driven by Chromium: a 5000x5000 RGBA PNG (a drawn '1', ~110 KB) grows it by <= 150 MB.
    Prints the figures docs/bad-input.md quotes: `python -m pytest tests/test_hostile.py -k real_page -s`."""
    import re
    import time

    from playwright.sync_api import sync_playwright

    from harness.browser import launch, open_app, require_chromium, resident_mb, settled, streamlit_server
    from harness.browser import status as page_status

    require_chromium()
    files = {}
    for name, side in (("small", 280), ("big", 5000)):
        picture = Image.new("RGBA", (side, side), "white")
        picture.paste("black", (side * 46 // 100, side // 10, side * 54 // 100, side * 9 // 10))
        files[name] = picture_bytes(np.asarray(picture), "PNG")
        del picture

    changed = (
        "(old) => { const el = document.querySelector('.le-status[data-name=\"page\"]');"
        " return el && el.textContent !== old; }"
    )

    def run_ms(page, action) -> float:
        """Server time of the full run that `action` starts (the page's status marker)."""
        before = page_status(page, "page")
        action()
        page.wait_for_function(changed, arg=before, timeout=60_000, polling=20)
        return float(re.search(r"([\d.]+) ms", page_status(page, "page")).group(1))

    def send(page, name):
        upload = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        return lambda: upload.set_input_files(
            files=[{"name": f"{name}.png", "mimeType": "image/png", "buffer": files[name]}]
        )

    def reruns(page) -> list[float]:  # each press of "Use as A" is a rerun that keeps the upload
        return [run_ms(page, page.get_by_role("button", name="Use as A").click) for _ in range(3)]

    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch(playwright)
        page = open_app(browser, server.url)
        settled(page, lambda: page.get_by_text("Upload a picture").click())
        run_ms(page, send(page, "small"))
        page.get_by_role("button", name="Use as A").wait_for(timeout=60_000)
        small_ms = reruns(page)
        time.sleep(1.0)
        pid = server.process.pid
        before = resident_mb(pid)
        with open(f"/proc/{pid}/clear_refs", "w") as refs:
            refs.write("5")  # the server's peak restarts from now
        # The upload may take two runs (the uploader's own, then the one that reads the file): the peak is
        # read after the reruns that follow, so it covers the decode whichever run did it.
        read_ms = run_ms(page, send(page, "big"))
        big_ms = reruns(page)
        growth = _peak_mb(pid) - before
        browser.close()
    print(
        f"server {before:.0f} MB; the runs after the big upload: {[read_ms, *big_ms]} ms, peak +{growth:.0f} MB; "
        f"reruns after a small upload {small_ms} ms"
    )
    assert growth <= 150, growth
    assert growth >= 20, growth  # the decode shows: the probe measures the right process
    # The rerun times are printed, not asserted: on a shared 2-core machine they swing by hundreds of ms.
    # That reruns never decode the upload again is checked exactly by test_an_upload_is_decoded_once_....


def test_a_drawing_is_preprocessed_once_per_distinct_canvas(monkeypatch):
    import sections.draw as draw

    calls = []

    def counting(pixels):
        calls.append(pixels.shape)
        return to_mnist(pixels)

    monkeypatch.setattr(draw, "to_mnist", counting)
    draw.canvas_digit.clear()
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3] = 255
    canvas[40:240, 130:150, :3] = 255
    for _ in range(4):
        digit, problem = draw.canvas_digit(draw.fingerprint(canvas), canvas)
    assert problem is None and digit.image.max() > 0.9 and len(calls) == 1
    canvas[100:120, 60:220, :3] = 255  # one more stroke: a new canvas, preprocessed again
    draw.canvas_digit(draw.fingerprint(canvas), canvas)
    assert len(calls) == 2
    assert draw.fingerprint(canvas) != draw.fingerprint(canvas.astype(np.uint16))  # dtype is part of it
