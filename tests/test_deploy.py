"""Deploy smoke test: the container's start, reproduced as closely as this machine allows.

There is no Docker engine here, so instead of `docker run` this test
  * builds a fresh virtualenv from requirements.txt alone (cached per requirements hash) and
    checks that torch is not importable there: the page runs its models in numpy,
  * copies the files the image would hold (everything .dockerignore lets through) into a
    read-only folder,
  * starts the Dockerfile's exact ENTRYPOINT as UID 1000 (the Space's user),
  * waits for the HEALTHCHECK's endpoint, and in Chromium: the map, a shared geodesic morph
    (decoder, the hand-written gradient, the classifier) and a drawn digit (the encoder).
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from harness.browser import MAP_READY, chromium_path, draw_stroke, launch, wait_for_status

pytestmark = [pytest.mark.slow, pytest.mark.browser]
UID = 1000


def dockerfile() -> dict:
    text = (ROOT / "Dockerfile").read_text()
    lines = [line.strip() for line in text.splitlines()]
    entrypoint = json.loads(next(line for line in lines if line.startswith("ENTRYPOINT")).split(None, 1)[1])
    port = int(next(line for line in lines if line.startswith("EXPOSE")).split()[1])
    return {"entrypoint": entrypoint, "port": port, "text": text}


def image_files(target: Path) -> None:
    """Copies what `COPY . .` would copy: tracked files not excluded by .dockerignore."""
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        if any(name == pattern or name.startswith(pattern + "/") for pattern in ignored):
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)


def system_python() -> str:
    """A Python that UID 1000 can run (pyenv's lives under /root): Debian's, like the image's."""
    for candidate in ("/usr/bin/python3.11", "/usr/local/bin/python3.11"):
        if Path(candidate).exists():
            return candidate
    pytest.fail("no system python3.11 for the deploy venv (apt-get install python3.11-venv)")


def fresh_venv() -> Path:
    """A venv built from requirements.txt alone, cached per requirements hash (pip's local cache helps)."""
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()[:12]
    venv = Path("/var/tmp") / f"latent-explorer-deploy-venv-{digest}"
    if not (venv / "ok").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([system_python(), "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r", str(ROOT / "requirements.txt")], check=True)
        (venv / "ok").write_text("installed from requirements.txt\n")
    return venv


def test_dockerfile_follows_the_space_recipe():
    spec = dockerfile()
    assert spec["port"] == 8501 and "--server.port=8501" in spec["entrypoint"]
    assert "USER user" in spec["text"] and "--uid 1000" in spec["text"]
    assert "/_stcore/health" in spec["text"]
    instructions = "\n".join(line for line in spec["text"].splitlines() if not line.lstrip().startswith("#"))
    assert "torch" not in instructions and "pip install --no-cache-dir -r requirements.txt" in instructions
    front = (ROOT / "README.md").read_text().split("---")[1]
    assert "sdk: docker" in front and "app_port: 8501" in front


def test_page_requirements_hold_no_training_stack():
    names = {
        line.split("==")[0].strip().lower()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    }
    assert names and not names & {"torch", "torchvision", "scikit-learn", "scipy", "tqdm"}
    train = (ROOT / "requirements-train.txt").read_text()
    assert "-r requirements.txt" in train and "torch==" in train
    assert "-r requirements-train.txt" in (ROOT / "requirements-dev.txt").read_text()


def test_requirements_venv_has_no_torch():
    python = str(fresh_venv() / "bin" / "python")
    assert subprocess.run([python, "-c", "import torch"], capture_output=True).returncode != 0
    assert subprocess.run([python, "-c", "import sklearn"], capture_output=True).returncode != 0
    # streamlit_drawable_canvas registers itself with a running Streamlit only: the browser test covers it
    imports = "import streamlit, plotly, numpy, PIL, safetensors, threadpoolctl"
    assert subprocess.run([python, "-c", imports], capture_output=True).returncode == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to start the app as UID 1000")
def test_container_start_smoke():
    if chromium_path() is None and not os.environ.get("CI"):
        pytest.skip("Chromium not installed")
    spec = dockerfile()
    venv = fresh_venv()
    tmp_path = Path(tempfile.mkdtemp(prefix="latent-explorer-deploy-", dir="/var/tmp"))  # UID 1000 can enter it
    tmp_path.chmod(0o755)
    app = tmp_path / "app"
    image_files(app)
    subprocess.run(["chmod", "-R", "a-w", str(app)], check=True)  # the app folder is read-only
    shipped = sorted(app.rglob("*"))
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, UID, UID)

    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "PYTHONUNBUFFERED": "1"}
    with open(tmp_path / "server.log", "wb") as log:  # the server keeps its own handle
        process = subprocess.Popen(
            spec["entrypoint"],
            cwd=app,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            user=UID,
            group=UID,
            extra_groups=[],
        )
    url = f"http://127.0.0.1:{spec['port']}"
    try:
        deadline = time.time() + 90
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200 and response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            assert time.time() < deadline, "health endpoint never answered"
            time.sleep(0.3)

        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/?model=z20-beta1&method=geodesic&frames=8&a=3&b=7")  # a shared geodesic morph
            page.wait_for_function(MAP_READY, timeout=90_000)
            wait_for_status(page, "explorer", timeout=60)
            assert "from test #3 (" in wait_for_status(page, "morph", timeout=60)
            draw_stroke(page, [(150, 40), (160, 140), (150, 240)])  # a tall "1": the encoder runs
            wait_for_status(page, "drawn", timeout=60)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stAlert"]').filter(has_text="weights").count() == 0
            browser.close()
        assert sorted(app.rglob("*")) == shipped, "the app wrote into its own folder"
        assert "Traceback" not in (tmp_path / "server.log").read_text()
    finally:
        process.terminate()
        process.wait(timeout=15)
        subprocess.run(["chmod", "-R", "u+w", str(app)], check=False)
        shutil.rmtree(tmp_path, ignore_errors=True)
