"""The layering the README promises: the page's packages never import torch or training/, and nothing
below sections/ imports Streamlit. Read from the source, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast

import pytest

from conftest import ROOT

PAGE_PACKAGES = ("vae", "explorer", "sections", "widgets")


def imported_modules(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def sources(*packages):
    return [path for package in packages for path in sorted((ROOT / package).glob("*.py"))]


@pytest.mark.parametrize("path", sources(*PAGE_PACKAGES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_page_never_imports_torch_or_training(path):
    assert not imported_modules(path) & {"torch", "torchvision", "sklearn", "training"}


@pytest.mark.parametrize("path", sources("vae", "explorer"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_below_sections_nothing_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


def test_the_page_entry_points_import_no_torch():
    for name in ("app.py", "page.py"):
        assert not imported_modules(ROOT / name) & {"torch", "training"}
