"""A geodesic in the browser's JS (viewer/core/geodesic.js, run in node) against the server's numpy
(vae/geodesic.py geodesic_path), side by side on the same pairs in one run.

    python benchmarks/geodesic_js.py [--pairs 10] [--model z20-beta1]

The pairs are benchmarks/geodesic_speed.py's (random test digits, seed 0), K = 16 points, 10 frames: what the
page computes for a geodesic morph. Each pair runs once in numpy, then once in node (one node process for the
run, the decoder already loaded, the pair timed inside node), so both see the same load on a shared machine.
One pair first warms both up (node compiles the loops on first use), and is not counted. Both wall-clock and
CPU time (the process's, all threads): on a machine shared with other work the CPU time is the steadier
figure. `--plain` runs the JS without its WebAssembly SIMD kernels (what a browser without SIMD runs).
`--browser` runs the JS in headless Chromium instead of node (the repository served by a local static
server, the weights fetched by the page; wall-clock time only: a page has no CPU clock).
Target (issue 23): a geodesic in the browser <= the server's time for the same pair. Prints per pair, then
the medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from vae.family import load_family
from vae.geodesic import geodesic_path

ROOT = Path(__file__).resolve().parent.parent

FRAMES = 10
POINTS = 16


class Node:
    """tests/js/bridge.js in one node process: a JSON request per line, an answer per line."""

    def __init__(self):
        node = shutil.which("node")
        if node is None:
            sys.exit("node is not installed (apt-get install nodejs)")
        bridge = str(ROOT / "tests" / "js" / "bridge.js")
        self.process = subprocess.Popen(
            [node, bridge], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def geodesic(self, file: str, a: np.ndarray, b: np.ndarray, simd: bool) -> dict:
        request = {
            "module": "tests/js/shipped.js",
            "call": "timedGeodesics",
            "args": [file, [[a.tolist(), b.tolist()]], FRAMES, {"points": POINTS, "simd": simd}],
        }
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            sys.exit(f"node: {answer['error']}")
        return answer["value"][0]

    def describe(self) -> str:
        version = subprocess.run([shutil.which("node"), "--version"], capture_output=True, text=True).stdout.strip()
        return f"node {version}"

    def close(self):
        self.process.stdin.close()
        self.process.wait()


# In the page: the decoder's four tensors fetched from the safetensors file (an 8-byte length, a JSON header,
# raw tensors), as tests/js/shipped.js reads them in node, then geodesicPath on each pair, timed.
PAGE_SCRIPT = """async ([file, pairs, frames, options]) => {
  const { makeDecoder } = await import("/viewer/core/decoder.js");
  const { geodesicPath } = await import("/viewer/core/geodesic.js");
  window.decoders ??= {};
  if (!window.decoders[file]) {
    const buffer = await (await fetch("/" + file)).arrayBuffer();
    const length = Number(new DataView(buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length)));
    const parts = ["fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias"].map((name) => header[name].data_offsets);
    const blob = new Uint8Array(parts.reduce((total, [start, end]) => total + end - start, 0));
    let at = 0;
    for (const [start, end] of parts) {
      blob.set(new Uint8Array(buffer, 8 + length + start, end - start), at);
      at += end - start;
    }
    const [hidden, latent] = header["fc3.weight"].shape;
    window.decoders[file] = makeDecoder(blob.buffer, latent, hidden);
  }
  return pairs.map(([a, b]) => {
    const started = performance.now();
    const { report } = geodesicPath(window.decoders[file], a, b, frames, options);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: null, report };
  });
}"""


class Browser:
    """The same calls in headless Chromium, on the repository served by a local static server."""

    def __init__(self):
        from functools import partial
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
        from threading import Thread

        from playwright.sync_api import sync_playwright

        from harness.browser import launch

        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(ROOT)))
        Thread(target=self.server.serve_forever, daemon=True).start()
        self.playwright = sync_playwright().start()
        self.browser = launch(self.playwright)
        self.page = self.browser.new_page()
        self.page.goto(f"http://127.0.0.1:{self.server.server_port}/weights/README.md")

    def geodesic(self, file: str, a: np.ndarray, b: np.ndarray, simd: bool) -> dict:
        options = {"points": POINTS, "simd": simd}
        return self.page.evaluate(PAGE_SCRIPT, [file, [[a.tolist(), b.tolist()]], FRAMES, options])[0]

    def describe(self) -> str:
        fused = self.page.evaluate(
            "async () => WebAssembly.validate((await import('/viewer/core/simd.js')).moduleBytes(true))"
        )
        return f"headless Chromium {self.browser.version} ({'with' if fused else 'without'} relaxed SIMD)"

    def close(self):
        self.browser.close()
        self.playwright.stop()
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--model", default="z20-beta1")
    parser.add_argument("--plain", action="store_true", help="the JS without WebAssembly SIMD")
    parser.add_argument("--browser", action="store_true", help="the JS in headless Chromium instead of node")
    args = parser.parse_args()
    simd = not args.plain
    loaded = load_family().models[args.model]
    file = f"weights/vae-{args.model}.safetensors"
    mu = loaded.atlas.mu
    rng = np.random.default_rng(0)
    pairs = [rng.integers(0, len(mu), 2) for _ in range(args.pairs)]
    node = Browser() if args.browser else Node()
    where = node.describe()
    try:
        geodesic_path(loaded.model, mu[1], mu[2], frames=FRAMES, points=POINTS)  # warm-up, not counted
        warm = node.geodesic(file, mu[1], mu[2], simd)
        print(f"warm-up pair (not counted): JS {warm['seconds']:.2f} s")
        wall, cpu, energy = {"numpy": [], "JS": []}, {"numpy": [], "JS": []}, []
        print("pair          numpy: wall s  cpu s  steps | JS: wall s  cpu s  steps | energy numpy -> JS")
        for i, j in pairs:
            started, started_cpu = time.perf_counter(), time.process_time()
            _, report = geodesic_path(loaded.model, mu[i], mu[j], frames=FRAMES, points=POINTS)
            wall["numpy"].append(time.perf_counter() - started)
            cpu["numpy"].append(time.process_time() - started_cpu)
            js = node.geodesic(file, mu[i], mu[j], simd)
            wall["JS"].append(js["seconds"])
            cpu["JS"].append(js["cpuSeconds"] or float("nan"))
            energy.append(js["report"]["energy"] / report.energy - 1)
            print(
                f"#{i:<5} #{j:<5}        {wall['numpy'][-1]:6.3f} {cpu['numpy'][-1]:6.3f} {report.steps:6d} |"
                f"     {wall['JS'][-1]:6.3f} {cpu['JS'][-1]:6.3f} {js['report']['steps']:6d} |"
                f" {report.energy:.4f} -> {js['report']['energy']:.4f} ({energy[-1]:+.3%})"
            )
    finally:
        node.close()
    kind = "plain JS" if args.plain else "JS + WebAssembly SIMD"
    print(f"{args.model}, K={POINTS}, {args.pairs} pairs, {kind} in {where}:")
    for name, times in (("wall", wall), ("CPU", cpu)) if not args.browser else (("wall", wall),):
        numpy_s, js_s = statistics.median(times["numpy"]), statistics.median(times["JS"])
        print(
            f"  {name:4} median: numpy {numpy_s:.3f} s (max {max(times['numpy']):.3f}), JS {js_s:.3f} s "
            f"(max {max(times['JS']):.3f}); JS / numpy x{js_s / numpy_s:.2f} (target <= x1)"
        )
    print(f"  JS energy vs numpy's on the same pair: worst {max(map(abs, energy)):.3%} (bound 1%)")


if __name__ == "__main__":
    main()
