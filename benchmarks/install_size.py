"""How heavy is the page to install? A fresh virtualenv, `pip install -r requirements.txt`, timed and measured.

    python benchmarks/install_size.py                      # requirements.txt, in a temporary folder
    python benchmarks/install_size.py --requirements requirements-train.txt --keep /var/tmp/venv-train

Prints the install's wall time, the virtualenv's size on disk (what `du` counts, pip's cache
excluded), its largest packages, and whether torch is importable there. pip uses its local cache
when it has the wheels, so this is the time to install, not to download; on a user's network add
the download of the sizes printed.
"""

from __future__ import annotations

import argparse
import shutil
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requirements", default="requirements.txt", help="file to install (default: %(default)s)")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the venv (default: this one)")
    parser.add_argument("--keep", type=Path, help="build the venv here and keep it (default: a temporary folder)")
    parser.add_argument("--top", type=int, default=8, help="largest packages to list (default: %(default)s)")
    args = parser.parse_args()

    scratch = None if args.keep else Path(tempfile.mkdtemp(prefix="install-size-"))
    venv = args.keep or scratch / "venv"
    if venv.exists():
        shutil.rmtree(venv)
    try:
        started = time.perf_counter()
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        created = time.perf_counter()
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(ROOT / args.requirements)], check=True)
        installed = time.perf_counter()

        packages = site_packages(venv)
        sizes = sorted(((folder_mb(p), p.name) for p in packages.iterdir() if p.is_dir()), reverse=True)
        has_torch = subprocess.run([str(venv / "bin" / "python"), "-c", "import torch"], capture_output=True)
        print(f"requirements:      {args.requirements}  (python {args.python})")
        print(f"venv + pip install {installed - started:6.1f} s  (venv {created - started:.1f} s, "
              f"pip {installed - created:.1f} s)")
        print(f"venv on disk       {folder_mb(venv):6.0f} MB")
        print(f"torch importable   {'yes' if has_torch.returncode == 0 else 'no'}")
        print("largest packages:  " + ", ".join(f"{name} {mb:.0f} MB" for mb, name in sizes[: args.top]))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
