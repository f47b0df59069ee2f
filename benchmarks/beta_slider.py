"""How fast the β slider redraws while it is dragged, counted in the page (issue 25's target: >= 20 map
redraws per second on this 2-core machine).

    python benchmarks/beta_slider.py                      # static site, z = 20 and z = 2, 1500 x 1000, 6 s each
    python benchmarks/beta_slider.py --seconds 10 --host streamlit

A drag is played in the page itself: on every animation frame the slider moves one step (1/100 of a decade)
and fires its `input` event, sweeping β from 0.01 to 10 and back, as a hand would, faster than a hand. What is
counted is what the widget itself marks (docs/map.md): data-mr-draws (the map's 10,000 codes restyled at a new
β), data-strip-draws (the morph's strip re-decoded); with a pair of endpoints shown, so the morph is redrawn
too, and on the z = 2 plane the decoded backdrop (which follows when the drag rests or every 0.4 s). A map
redraw that a newer β overtakes before Plotly has drawn it is folded into the next one, so the count is of
pictures that reached the screen, not of inputs. Also the CPU time all Chromium processes used per map redraw
(from /proc), a figure that depends less on what else the machine runs than the rate does. Prints the date and
the load average: other jobs on a shared machine slow the page.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from harness.browser import cpu_seconds, goto_app, goto_static, launch, static_site, streamlit_server  # noqa: E402

SWEEP = """async (seconds) => {
  const root = document.querySelector('.le-root');
  const input = root.querySelector('.le-mr-input');
  const low = Number(input.min), high = Number(input.max);
  const count = () => [Number(root.dataset.mrDraws || 0), Number(root.dataset.stripDraws || 0)];
  let step = Number(input.value), direction = 1, inputs = 0;
  const [maps0, strips0] = count();
  const start = performance.now();
  await new Promise((done) => {
    const frame = () => {
      if (performance.now() - start > seconds * 1000) return done();
      step += direction;
      if (step >= high || step <= low) direction = -direction;
      input.value = String(step);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      inputs += 1;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const elapsed = (performance.now() - start) / 1000;
  const [maps1, strips1] = count();
  return { seconds: elapsed, inputs, maps: maps1 - maps0, strips: strips1 - strips0 };
}"""


def descendants(root: int) -> list[int]:
    """Every process under `root` (Chromium's browser, renderers, GPU and utility processes), from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def chromium_cpu() -> float:
    """CPU seconds used so far by every Chromium process this benchmark started (the server excluded)."""
    total = 0.0
    for pid in descendants(os.getpid()):
        try:
            if "chrom" in Path(f"/proc/{pid}/comm").read_text():
                total += cpu_seconds(pid)
        except OSError:
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each sweep (default 6)")
    parser.add_argument("--host", choices=["static", "streamlit"], default="static", help="default static")
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} load average {os.getloadavg()[0]:.2f}, host {args.host}")
    with ExitStack() as stack, sync_playwright() as playwright:
        if args.host == "static":
            url, goto = stack.enter_context(static_site()), goto_static
        else:
            url, goto = stack.enter_context(streamlit_server()).url, goto_app
        browser = launch(playwright)
        for model, extra in (("z20-beta1", ""), ("z2-beta1", "&map=plane")):
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            goto(page, f"{url}/?model={model}{extra}&a=3&b=7&mr=1")
            page.wait_for_function("() => document.querySelector('.le-root').dataset.mrDrawn === '1'")
            cpu = chromium_cpu()
            found = page.evaluate(SWEEP, args.seconds)
            per_draw = 1000 * (chromium_cpu() - cpu) / max(1, found["maps"])
            print(
                f"{model.split('-')[0]}-mr: {found['maps'] / found['seconds']:.1f} map redraws/s, "
                f"{found['strips'] / found['seconds']:.1f} strip redraws/s, "
                f"{found['inputs'] / found['seconds']:.1f} slider inputs/s over {found['seconds']:.1f} s; "
                f"Chromium's CPU per map redraw {per_draw:.0f} ms (all its processes)"
            )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
