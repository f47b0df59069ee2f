"""The static site: the viewer, Plotly, the models' arrays and one site.json, as plain files.

    write_site(family, Path("site"))   # what `python export.py site` does

Every file is named by what it holds where a browser may cache it for good (the arrays under le-assets/ by
their SHA-256, as the Streamlit page serves them). URLs are relative to index.html, so the site works at a
domain's root (a HuggingFace static Space) and under a path (GitHub Pages).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import plotly

from vae.family import Family, load_showcase, weights_folder
from widgets.component import VIEWER_FILES, VIEWER_VERSION

from . import assets
from .lesson_assets import LESSON_MODELS, lede, lesson_data, recipe
from .state import article, random_pair
from .viewer_data import PICK_HINT, TAGLINE, TITLE, family_data, showcase_text

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
HOST_PAGE = "hosts/index.html"  # the static host's page, inside viewer/ (it names the files below)
FILE_LIMIT = 10 * 1024 * 1024  # HuggingFace stores a larger file only through Git LFS or Xet
SPACE_CARD = """---
title: {title}
emoji: 🧭
colorFrom: red
colorTo: gray
sdk: static
pinned: false
---

# {title}

{tagline} The explorer and the lesson run in the browser: nothing here needs a server.
Written by `python export.py` from the models in `weights/`.
"""


def site_data(family: Family, weights: Path) -> dict:
    """What the static host reads at start: the explorer's data, what a URL may name, the first visit's pair."""
    showcase = load_showcase(weights)
    label = lambda index: f"test #{index} ({article(int(family.labels[index]))} {int(family.labels[index])})"  # noqa: E731
    return {
        "title": TITLE,
        "tagline": TAGLINE,
        "explorer": family_data(family),
        "catalog": {
            "models": {name: {"maps": list(loaded.atlas.map_names)} for name, loaded in family.models.items()},
            "count": len(family.labels),
        },
        "showcase": {
            **{key: showcase[key] for key in ("model", "method", "frames", "a", "b")},
            "hint": showcase_text(label(showcase["a"]), label(showcase["b"])),
        }
        if showcase
        else None,
        "pickHint": PICK_HINT,
        # The lesson's data (the viewer computes its draws and probes); None without the two z = 2 models.
        "lesson": {**lesson_data(family), "lede": lede(family), "recipe": recipe(family)}
        if all(name in family.models for name in LESSON_MODELS)
        else None,
        "find": {"randomPairs": assets.STORE.put(_random_pairs(family), "json"), "seeds": RANDOM_SEEDS},
        # What the Streamlit server computes that this host computes in the browser: each model's encoder (a
        # point carried to another β is its picture, encoded) and the classifier reading the strip's frames.
        "inference": {
            "encoders": {name: _put(assets.encoder_blob(loaded.model)) for name, loaded in family.models.items()},
            "classifier": _put(assets.classifier_blob(family.classifier)) if family.classifier is not None else None,
        },
    }


RANDOM_SEEDS = 50  # presses of "Random pair" per pair of digits that give the Streamlit page's pairs


def _random_pairs(family: Family) -> bytes:
    """explorer/state.py random_pair (the page's "Random pair") for every pair of digits and the first
    RANDOM_SEEDS presses: numpy's generator, written down so the site's presses give the page's pairs.
    "a,b" -> [[A, B], ...]."""
    pairs = {
        f"{a},{b}": [list(random_pair(family, a, b, seed)) for seed in range(RANDOM_SEEDS)]
        for a in range(10)
        for b in range(10)
    }
    return json.dumps(pairs, separators=(",", ":")).encode()


def _put(data: bytes) -> str:
    return assets.STORE.put(data, "f32")


def _relative(text: str) -> str:
    """The Streamlit page's absolute asset URLs as URLs relative to index.html."""
    return text.replace(f'"{assets.ROUTE}/', '"le-assets/')


def write_site(family: Family, out: Path, weights: Path | None = None) -> dict[str, int]:
    """Writes the site into `out` (made anew); returns each file's size in bytes, by its path in the site."""
    weights = weights or weights_folder()
    data = _relative(json.dumps(site_data(family, weights), separators=(",", ":")))
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "le-assets").mkdir(parents=True)
    (staging / "viewer").mkdir()
    for name in sorted(set(re.findall(r'"le-assets/([^"/]+)"', data))):  # every array site.json names
        (staging / "le-assets" / name).write_bytes(assets.STORE.get(name).data)
    for path, content in VIEWER_FILES.items():
        target = staging / "viewer" / VIEWER_VERSION / path  # a new viewer is a new path: no stale module mix
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    page = VIEWER_FILES[HOST_PAGE].decode().replace("{{version}}", VIEWER_VERSION).replace("{{title}}", TITLE)
    (staging / "index.html").write_text(page, encoding="utf-8")
    (staging / "site.json").write_text(data, encoding="utf-8")
    shutil.copyfile(PLOTLY_JS, staging / "plotly.min.js")
    (staging / "README.md").write_text(SPACE_CARD.format(title=TITLE, tagline=TAGLINE), encoding="utf-8")
    sizes = {path.relative_to(staging).as_posix(): path.stat().st_size for path in staging.rglob("*") if path.is_file()}
    too_big = [path for path, size in sizes.items() if size > FILE_LIMIT]
    if too_big:
        shutil.rmtree(staging)
        raise ValueError(f"files over {FILE_LIMIT // 2**20} MB (HuggingFace needs LFS for them): {', '.join(too_big)}")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return sizes
