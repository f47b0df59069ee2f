"""Running the viewer's ES modules in node from Python, for the tests that hold the JS to the Python.

bridge = Bridge()                                            # one node process (tests/js/bridge.js)
bridge.call("viewer/core/paths.js", "pathCodes", a, b, 10, "linear")
bridge.batch("viewer/core/share.js", "parseQuery", [[params, catalog], ...])
bridge.close()
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from .browser import ROOT


def require_node() -> str:
    """node's path; skips the module without it locally, fails in CI (.ci/run installs it)."""
    node = shutil.which("node")
    if node is not None:
        return node
    if os.environ.get("CI"):
        raise RuntimeError("node is missing: CI must install it (apt-get install nodejs npm)")
    pytest.skip("node not installed (apt-get install nodejs npm)", allow_module_level=True)


BRIDGE = ROOT / "tests" / "js" / "bridge.js"


class Bridge:
    """One node process running tests/js/bridge.js: a request per line, an answer per line."""

    def __init__(self):
        self.process = subprocess.Popen(
            [require_node(), str(BRIDGE)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def __call__(self, request: dict):
        self.process.stdin.write(json.dumps(request, allow_nan=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"node exited (code {self.process.poll()})"
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"node: {answer['error']} (request: {json.dumps(request)[:300]})")
        return answer["value"]

    def call(self, module: str, name: str, *args):
        return self({"module": module, "call": name, "args": list(args)})

    def batch(self, module: str, name: str, calls: list[list]) -> list:
        return self({"batch": [{"module": module, "call": name, "args": args} for args in calls]})

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
