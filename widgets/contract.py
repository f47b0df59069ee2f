"""What Python and the viewer (viewer/, the browser's code) must agree on, written once, here.

    python -m widgets.contract            # rewrites viewer/core/constants.js from the values below

The constants the browser needs (colours, the frame range, the path methods and their help, the event
queue's bound, the article before a digit's name) reach it in a generated module, so neither language
retypes them; tests/test_contract.py fails when the module is stale and checks the rules that must exist
in both languages (endpoint labels and ids, the path key) on many cases.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

from PIL import Image

from explorer import share, untrusted
from explorer.images import GIF_SCALE
from explorer.safe_text import ELLIPSIS, EMPTY
from explorer.share import FRAMES_RANGE
from explorer.state import LEVELS, POINT_MAPS, article
from vae import drawing
from vae.family import DEFAULT_MODEL
from vae.paths import METHODS
from vae.sampling import READABLE

VIEWER = Path(__file__).resolve().parent.parent / "viewer"
CONSTANTS_JS = VIEWER / "core" / "constants.js"

DIGIT_COLOURS = (  # Plotly's default qualitative colours: the map, the legend, the lesson's planes
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
PATH_HELP = {
    "linear": "a straight line between the two codes",
    "spherical": "turns between the codes' directions, with the norm changing evenly",
    "geodesic": "the path whose decoded images change least (optimised for this pair)",
}
assert tuple(PATH_HELP) == METHODS, "one help text per path method, in vae/paths.py's order"
MAX_PENDING = 64  # events one message may carry; more than a person makes between two reruns
PRIOR_RADII = (1.0, 2.0)  # N(0, I)'s circles drawn on comparable maps, in standard deviations
# N(0, I) in plain words, once for both hosts: the lesson's "?" beside its first sentence, the map's circles.
PRIOR_WORDS = (
    "N(0, I) is the standard normal distribution over codes: each number of a code drawn on its own, centred on 0 "
    "with a spread of 1. A VAE's loss pulls its codes towards it, so that a random draw of it decodes to a digit; "
    "an autoencoder's loss has no such pull."
)
# The summary of a preset's caption, folded under its one-line explanation wherever it lands (both hosts).
PRESET_FIGURES = "The figures"
# Where a preset's line points for the rows it speaks of (training/presets.py writes it; both hosts make it a link to
# the rows' box, id PRESET_ROWS_ID: on a phone they lie below the first screen).
PRESET_ROWS = "rows under the morph"
PRESET_ROWS_ID = "le-compare"

STREAMLIT_CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
# vae/drawing.py's bounds and thresholds, for viewer/core/drawing.js (the same preprocessing in the browser).
# MAX_UPLOAD_BYTES is the Streamlit page's server.maxUploadSize (MB, read here so both bounds stay one);
# BOMB_PIXELS is where Pillow refuses to open a picture at all (DecompressionBombError); SIGNATURES name
# the refused formats by their first bytes (hex), as vae/drawing.py _not_accepted does.
DRAWING = {
    "MAX_UPLOAD_BYTES": int(tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8"))["server"]["maxUploadSize"])
    * 1024
    * 1024,
    "MAX_UPLOAD_PIXELS": drawing.MAX_UPLOAD_PIXELS,
    "ACCEPTED_FORMATS": list(drawing.ACCEPTED_FORMATS),
    "BOMB_PIXELS": 2 * Image.MAX_IMAGE_PIXELS,
    "MIN_SIDE": drawing.MIN_SIDE,
    "MAX_ASPECT": drawing.MAX_ASPECT,
    "WORK_SIDE": drawing.WORK_SIDE,
    "INK_THRESHOLD": drawing.INK_THRESHOLD,
    "MIN_CONTRAST": drawing.MIN_CONTRAST,
    "MIN_EXTENT": drawing.MIN_EXTENT,
    "NOISE_GRID": drawing.NOISE_GRID,
    "NOISE_FRAGMENTS": drawing.NOISE_FRAGMENTS,
    "NOISE_COVERAGE": drawing.NOISE_COVERAGE,
    "BOX": drawing.BOX,
    "FIELD": drawing.FIELD,
    "CENTRE": drawing.CENTRE,
    "SIGNATURES": [[magic.hex(), name] for magic, name in drawing._SIGNATURES],
}

CONSTANTS = {
    "DIGIT_COLOURS": list(DIGIT_COLOURS),
    "DIGIT_ARTICLES": [article(digit) for digit in range(10)],
    "FRAMES_RANGE": list(FRAMES_RANGE),
    "PATH_METHODS": [[method, method, PATH_HELP[method]] for method in METHODS],
    "MAX_PENDING": MAX_PENDING,
    "PRIOR_RADII": list(PRIOR_RADII),
    "PRIOR_WORDS": PRIOR_WORDS,
    "PRESET_FIGURES": PRESET_FIGURES,
    "PRESET_ROWS": PRESET_ROWS,
    "PRESET_ROWS_ID": PRESET_ROWS_ID,
    "READABLE": READABLE,  # a frame "reads as a digit" at this P: the strip greys its label below it
    # The URL's rules (explorer/share.py parse_query), so a link reads the same in every host:
    "URL_RULES": {
        "defaultModel": DEFAULT_MODEL,
        "seedRange": list(share.SEED_RANGE),
        "pages": list(share.PAGES),
        "planeLimit": share.PLANE_LIMIT,
        "drawingLimit": share.DRAWING_LIMIT,
        "drawingBytes": share.DRAWING_BYTES,
        "drawingLevels": LEVELS,
        "maxDigits": untrusted.MAX_DIGITS,
        "numberText": untrusted.NUMBER_TEXT,
        "pointTextLimit": share.POINT_TEXT_LIMIT,
        "endpointLimit": share.ENDPOINT_LIMIT,
        "pointMaps": list(POINT_MAPS),
        "quoteLimit": 40,
        "ellipsis": ELLIPSIS,
        "empty": EMPTY,
        "mrRange": list(share.BETA_RANGE),
        "mrSteps": share.MR_STEPS,
        "mrTextLimit": share.MR_TEXT_LIMIT,
    },
    "DRAWING": DRAWING,
    "GIF_SCALE": GIF_SCALE,
}


def declared_types(types_js: Path) -> dict[str, dict[str, bool]]:
    """A viewer types module's object typedefs (JSDoc, checked by tsc): name -> {property: optional}. The tests
    hold the data Python sends (sections/map.py widget_data, sections/lesson.py screen_data, export.py's
    site.json) to them, so the types the viewer is checked against are the server's. An inline object type (a
    property typed {a: ..., b: ...}) is declared too, as "<Typedef>.<property>"."""
    declared: dict[str, dict[str, bool]] = {}
    for block in types_js.read_text().split("/**")[1:]:
        for chunk in re.split(r"(?=@typedef )", block):
            named = re.search(r"@typedef \{object\} (\w+)", chunk)
            if not named:
                continue
            fields = declared.setdefault(named[1], {})
            for kind, name in re.findall(r"@property \{(.*?)\}\s+(\[?\w+\]?)", chunk):
                fields[name.strip("[]")] = name.startswith("[")
                if kind.startswith("{") and not kind.startswith("{{"):
                    declared[f"{named[1]}.{name.strip('[]')}"] = dict.fromkeys(re.findall(r"(\w+):", kind), False)
    return declared


def constants_module() -> str:
    """The text of viewer/core/constants.js."""
    lines = [
        "// Generated by `python -m widgets.contract` from widgets/contract.py: edit the Python, then regenerate",
        "// (tests/test_contract.py fails while this file is stale).",
        "",
    ]
    for name, value in CONSTANTS.items():
        lines.append(f"export const {name} = {json.dumps(value, ensure_ascii=False)};")
    return "\n".join(lines) + "\n"


def main() -> int:
    CONSTANTS_JS.write_text(constants_module(), encoding="utf-8")
    print(f"wrote {CONSTANTS_JS.relative_to(VIEWER.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
