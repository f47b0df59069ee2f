"""What shading a z = 2 plane's holes adds to each redraw of the map's overlay (issue 24: shade them only if it
stays fast), measured in Chromium on the static site at the "path through holes" preset (backdrop off).

    python benchmarks/hole_shading.py [--runs 200]

The overlay is redrawn on every frame of a zoom, a pan, a drag of A or B and a scrub. Timed in the page: the
shading exactly as viewer/explore/holes.js shadeHoles does it (the page's own core/holes.js holeCells, one
fillRect per hole cell, through Plotly's own l2p axes) on a canvas the size of the plot area, `runs` times.
A frame at 60 Hz is 16.7 ms. Prints the date and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TIME_SHADING = """async (runs) => {
  const url = performance.getEntriesByType('resource').map((e) => e.name).find((n) => n.includes('/core/holes.js'));
  const { holeCells } = await import(url);  // the very module the widget runs
  const site = await (await fetch('site.json')).json();
  const grid = site.explorer.mapInfo['z2-beta0'].plane.holes;
  const gd = document.querySelector('.le-map'), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const canvas = document.createElement('canvas');
  canvas.width = xa._length; canvas.height = ya._length;
  const context = canvas.getContext('2d');
  const times = [];
  let cells = 0;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    context.fillStyle = 'rgba(194, 24, 91, 0.09)';
    const boxes = holeCells(grid, grid.tiles);
    for (const [x0, x1, y0, y1] of boxes) {
      const left = xa.l2p(x0), top = ya.l2p(y1);
      context.fillRect(left, top, xa.l2p(x1) - left, ya.l2p(y0) - top);
    }
    context.getImageData(0, 0, 1, 1);  // wait for the drawing to be done
    times.push(performance.now() - start);
    cells = boxes.length;
  }
  times.sort((a, b) => a - b);
  return { cells, median: times[times.length >> 1], p90: times[Math.floor(times.length * 0.9)],
           width: canvas.width, height: canvas.height };
}"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="shadings timed (default %(default)s)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from harness.browser import goto_static, launch, static_site

    preset = next(
        p for p in json.loads((ROOT / "weights" / "lesson.json").read_text())["presets"] if "path through" in p["title"]
    )
    query = "/?" + "&".join(f"{k}={v}" for k, v in preset["query"].items())
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load average", os.getloadavg())
    with static_site() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        goto_static(page, url + query)
        found = page.evaluate(TIME_SHADING, args.runs)
        print(
            f"shading {found['cells']} hole cells on a {found['width']} x {found['height']} px overlay: "
            f"median {found['median']:.3f} ms, 90th percentile {found['p90']:.3f} ms ({args.runs} runs)"
        )
        browser.close()


if __name__ == "__main__":
    main()
