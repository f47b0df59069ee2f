"""How heavy is the page to install and to start? A fresh virtualenv from requirements.txt, timed and
measured, and the page's model runtime loaded in numpy next to the same models in torch.

    python benchmarks/install_size.py                      # requirements.txt, in a temporary folder
    python benchmarks/install_size.py --requirements requirements-train.txt --keep /var/tmp/venv-train
    python benchmarks/install_size.py --skip-install       # only the runtime comparison (needs torch)

Prints the install's wall time, the virtualenv's size on disk (file sizes summed, pip's cache
excluded), its largest packages, and whether torch is importable there. pip uses its local cache
when it has the wheels, so this is the time to install, not to download; on a user's network add
the download of the sizes printed.

Then, side by side in fresh interpreters (median of --repeats): import + load every shipped model +
decode one 16-frame morph, once with the page's numpy runtime (vae.family.load_family) and once
with torch (vae.checkpoint.load_checkpoint, as the page did before), with each one's peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def site_packages(venv: Path) -> Path:
    return next((venv / "lib").glob("python3*/site-packages"))


NUMPY_RUNTIME = """
import resource, sys, time
started = time.perf_counter()
import numpy as np
from vae.family import load_family
from vae.paths import decode
family = load_family()
decode(family.models["z20-beta1"].model, np.zeros((16, 20), np.float32))
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "torch" in sys.modules)
"""

TORCH_RUNTIME = """
import resource, sys, time
started = time.perf_counter()
import torch
from training.checkpoint import load_checkpoint
from vae.family import CLASSIFIER_FILE, DEFAULT_WEIGHTS
modules = {path.stem: load_checkpoint(path)[0].eval() for path in sorted(DEFAULT_WEIGHTS.glob("vae-*.safetensors"))}
load_checkpoint(DEFAULT_WEIGHTS / CLASSIFIER_FILE)
with torch.no_grad():
    modules["vae-z20-beta1"].decode(torch.zeros(16, 20))
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "torch" in sys.modules)
"""


def runtime_start(code: str, repeats: int) -> tuple[float, float]:
    """Median seconds and peak resident MB of `code` in fresh interpreters (it prints both)."""
    runs = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        seconds, megabytes, imported_torch = done.stdout.split()
        assert imported_torch == str("import torch" in code), "the numpy runtime imported torch"
        runs.append((float(seconds), float(megabytes)))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def compare_runtimes(repeats: int) -> None:
    numpy_s, numpy_mb = runtime_start(NUMPY_RUNTIME, repeats)
    torch_s, torch_mb = runtime_start(TORCH_RUNTIME, repeats)
    print(f"import + load every model + decode one morph, median of {repeats} fresh interpreters:")
    print(f"  numpy runtime (the page) {numpy_s:5.2f} s  peak {numpy_mb:4.0f} MB resident")
    print(f"  torch (before)           {torch_s:5.2f} s  peak {torch_mb:4.0f} MB resident")
    print(f"  numpy is {torch_s / numpy_s:.1f}x faster to start and uses {torch_mb - numpy_mb:.0f} MB less")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requirements", default="requirements.txt", help="file to install (default: %(default)s)")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the venv (default: this one)")
    parser.add_argument("--keep", type=Path, help="build the venv here and keep it (default: a temporary folder)")
    parser.add_argument("--top", type=int, default=8, help="largest packages to list (default: %(default)s)")
    parser.add_argument("--skip-install", action="store_true", help="only compare the numpy and torch runtimes")
    parser.add_argument("--repeats", type=int, default=5, help="fresh interpreters per runtime (default: %(default)s)")
    args = parser.parse_args()
    if not args.skip_install:
        install(args)
    compare_runtimes(args.repeats)


def install(args) -> None:

    scratch = None if args.keep else Path(tempfile.mkdtemp(prefix="install-size-"))
    venv = args.keep or scratch / "venv"
    if venv.exists():
        shutil.rmtree(venv)
    try:
        started = time.perf_counter()
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        created = time.perf_counter()
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([*pip, "-r", str(ROOT / args.requirements)], check=True)
        installed = time.perf_counter()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        pip_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime

        packages = site_packages(venv)
        sizes = sorted(((folder_mb(p), p.name) for p in packages.iterdir() if p.is_dir()), reverse=True)
        has_torch = subprocess.run([str(venv / "bin" / "python"), "-c", "import torch"], capture_output=True)
        print(f"requirements:      {args.requirements}  (python {args.python})")
        print(
            f"venv + pip install {installed - started:6.1f} s  (venv {created - started:.1f} s, "
            f"pip {installed - created:.1f} s, of which {pip_cpu:.1f} s CPU: what a busy machine cannot inflate)"
        )
        print(f"venv on disk       {folder_mb(venv):6.0f} MB")
        print(f"torch importable   {'yes' if has_torch.returncode == 0 else 'no'}")
        print("largest packages:  " + ", ".join(f"{name} {mb:.0f} MB" for mb, name in sizes[: args.top]))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
