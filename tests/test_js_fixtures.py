"""The JS unit tests' fixtures (tests/js/fixtures/*.json) are what numpy computes today.

    python -m pytest tests/test_js_fixtures.py -q

tests/js/make_fixtures.py writes them; here they are rebuilt in memory and compared with the committed
files, so a change to the numpy side (vae/inference.py, vae/paths.py, vae/atlas.py, the shipped weights)
fails here until the fixtures are regenerated and the JS tests (`npm run unit`) re-run against them.

Numbers are compared to 1e-6 (relative, or absolute below 1), not bit for bit: BLAS picks its float32
kernels by CPU, so another machine may round a product's last bit differently; any real change is far
larger. Grey levels may move by one where such a bit tips a pixel over a half; everything else is exact.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

FOLDER = Path(__file__).resolve().parent / "js"
LIMIT_BYTES = 200_000  # all fixtures together: they are committed
TOLERANCE = 1e-6
PACKED = {"means": "<f4", "codes": "<f4", "mu": "<f4", "coords": "<f4", "grey": "u1", "i8": "i1"}  # base64 fields


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", FOLDER / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILT = _make_fixtures().build()


def differences(old, new, where: str = "") -> list[str]:
    """Where two fixtures differ beyond rounding, as JSON paths."""
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() != new.keys():
            return [f"{where}: keys {sorted(old)} -> {sorted(new)}"]
        return [found for key in old for found in differences(old[key], new[key], f"{where}.{key}")]
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} items -> {len(new)}"]
        return [
            found for i, (a, b) in enumerate(zip(old, new, strict=True)) for found in differences(a, b, f"{where}[{i}]")
        ]
    key = where.rsplit(".", 1)[-1]
    if isinstance(old, str) and isinstance(new, str) and key in PACKED:
        a, b = (np.frombuffer(base64.b64decode(text), dtype=PACKED[key]).astype(np.float64) for text in (old, new))
        allowed = 1.0 if key == "grey" else 0.0 if key == "i8" else TOLERANCE * np.maximum(1.0, np.abs(a))
        return [] if a.shape == b.shape and np.all(np.abs(a - b) <= allowed) else [f"{where}: array changed"]
    both_numbers = all(isinstance(value, float | int) and not isinstance(value, bool) for value in (old, new))
    if both_numbers and abs(old - new) <= TOLERANCE * max(1.0, abs(old)):
        return []
    return [] if old == new else [f"{where}: {str(old)[:40]} -> {str(new)[:40]}"]


@pytest.mark.parametrize("name", sorted(BUILT))
def test_committed_fixture_is_what_numpy_computes(name):
    path = FOLDER / "fixtures" / name
    assert path.exists(), f"{path} is missing: run python tests/js/make_fixtures.py"
    found = differences(json.loads(path.read_text(encoding="utf-8")), json.loads(BUILT[name]))
    assert not found, f"{name} is stale ({found[:5]}): run python tests/js/make_fixtures.py, then npm run unit"


def test_the_comparison_sees_a_change_and_forgives_rounding():
    fixture = json.loads(BUILT["paths.json"])
    changed = json.loads(BUILT["paths.json"])
    changed["points"][0]["spherical"][1] += 1e-4
    changed["points"][0]["spherical"][0] += 1e-9
    changed["interpolate"][0]["codes"] = base64.b64encode(np.ones(10, dtype="<f4").tobytes()).decode()
    found = differences(fixture, changed)
    assert [where.split(":")[0] for where in found] == [".interpolate[0].codes", ".points[0].spherical[1]"]


def test_fixtures_stay_small():
    total = sum(len(text.encode()) for text in BUILT.values())
    assert total < LIMIT_BYTES, f"the fixtures hold {total} bytes"
    assert sorted(path.name for path in (FOLDER / "fixtures").glob("*.json")) == sorted(BUILT), "a stray fixture"
