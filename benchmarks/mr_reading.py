"""What reading the β slider's strip costs in the browser: viewer/core/classifier.js `read` (what
viewer/explore/multirate.js sliderReading runs once a drag rests, 4 frames a task) on the strip's frames of
the z = 20 Multi-Rate VAE (test digits 3 -> 7, a straight path, decoded by numpy at β), in headless Chromium.

    python benchmarks/mr_reading.py                  # 10 frames at β = 0.501, 15 repeats
    python benchmarks/mr_reading.py --frames 30 --beta 4

Prints the date, the load average and the median, min and max milliseconds per read of all the frames.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explorer.assets import classifier_blob  # noqa: E402
from harness.browser import launch, require_chromium, viewer_page  # noqa: E402
from vae.family import shared_family, weights_folder  # noqa: E402
from vae.multirate import load_multirate  # noqa: E402
from vae.paths import interpolate  # noqa: E402

TIMED = """([blob, frames, repeats]) => { const classifier = makeClassifier(Float32Array.from(blob).buffer);
  const pictures = frames.map((f) => Float64Array.from(f)), times = [];
  for (let r = 0; r < repeats; r++) { const s = performance.now(); read(classifier, pictures);
    times.push(performance.now() - s); }
  return times; }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=10, help="frames on the strip (default 10)")
    parser.add_argument("--beta", type=float, default=0.501, help="the slider's β (default 0.501)")
    parser.add_argument("--repeats", type=int, default=15, help="timed reads (default 15)")
    args = parser.parse_args()
    family = shared_family(weights_folder())
    model = load_multirate(Path(weights_folder()) / "mrvae-z20.safetensors")[0]
    mu, _ = model.encode(family.images[[3, 7]].astype(np.float32) / 255, args.beta)
    frames = model.decode(interpolate(mu[0], mu[1], args.frames, "linear"), args.beta).reshape(args.frames, -1)
    blob = np.frombuffer(classifier_blob(family.classifier), dtype="<f4").astype(float).tolist()
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = viewer_page(browser, ["core/classifier.js"])
        times = page.evaluate(TIMED, [blob, frames.tolist(), args.repeats])
        browser.close()
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
    print(
        f"{args.frames} frames at β = {args.beta:g}: median {np.median(times):.1f} ms "
        f"(min {min(times):.1f}, max {max(times):.1f}), {np.median(times) / args.frames:.1f} ms a frame"
    )


if __name__ == "__main__":
    main()
