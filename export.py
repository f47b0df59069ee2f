"""Writes the explorer as a static site: the viewer, Plotly and the models' arrays as plain files.

    python export.py site                       # from weights/ (or $LATENT_EXPLORER_WEIGHTS)
    python export.py site --weights runs/<run>  # another family
    python -m http.server -d site               # look at it: http://localhost:8000

Needs only the page's requirements (no torch). The site runs with no server code at all: upload the folder
to a free static HuggingFace Space (its README.md carries the front matter) or to GitHub Pages; docs/deploy.md
says how. Prints every file's size and the total.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explorer.static_site import FILE_LIMIT, write_site
from vae.family import load_family, weights_folder


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write (replaced whole)")
    parser.add_argument("--weights", type=Path, default=None, help="the family to export (default: weights/)")
    args = parser.parse_args(argv)
    weights = args.weights or weights_folder()
    started = time.perf_counter()
    family = load_family(weights)
    sizes = write_site(family, args.out, weights)
    total = sum(sizes.values())
    for path, size in sorted(sizes.items(), key=lambda item: -item[1])[:8]:
        print(f"{size / 2**20:8.2f} MB  {path}")
    print(
        f"{len(sizes)} files, {total / 2**20:.1f} MB in all, the largest {max(sizes.values()) / 2**20:.1f} MB "
        f"(limit {FILE_LIMIT // 2**20} MB a file); written to {args.out} in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
