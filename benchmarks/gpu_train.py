"""Training speed on a GPU machine, in one prepared run: our eager loop, our CUDA-graph loop and
pytorch/examples' loop side by side, then the whole family through train.py and z20-beta1's -ELBO.

    python benchmarks/gpu_train.py --data-root ../shared/data              # on the GPU machine
    python benchmarks/gpu_train.py --data-root ../shared/data --no-family  # the loops only
    python benchmarks/gpu_train.py --data-root ../shared/data --quick      # anywhere, CPU too: checks it runs

Part 1 times epochs of the z20 VAE at batch 128 on the whole training split
(the first epoch of each loop is a warm-up: CUDA context, cuBLAS, graph
capture; the median of the next ones is reported), plus a check that one
epoch of the graph loop gives the eager loop's loss. pytorch/examples'
loop is `vae/main.py` as written: a DataLoader with ToTensor,
num_workers=1 and pin_memory on CUDA, each batch moved to the device, a
`.item()` per batch. Part 2 runs `python train.py` (the shipped recipe:
7 VAEs x 100 epochs, classifier, atlases, metrics) into a temporary folder
and prints its wall time and z20-beta1's test -ELBO (target <= 101.0). The
targets for an H100/H200: <= 0.25 s/epoch, family <= 5 min. Not run yet: no GPU
has been lent to this project's sessions (docs/training.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sync(device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_ours(images, device, fast: bool, epochs: int) -> list[float]:
    """Seconds per epoch of train.py's loop (eager or one CUDA graph per step), the warm-up epoch first."""
    import torch

    from training.loop import make_optimizer, make_trainer
    from training.model import VAE, VAEConfig

    torch.manual_seed(0)
    model = VAE(VAEConfig()).to(device)
    optimizer = make_optimizer(model, 1e-3, device, fast=fast)
    trainer = make_trainer(model, optimizer, 128, 1.0, fast=fast)
    generator = torch.Generator().manual_seed(0)
    times = []
    for _ in range(epochs):
        sync(device)
        started = time.perf_counter()
        trainer.epoch(images, generator)
        sync(device)
        times.append(time.perf_counter() - started)
    return times


def time_examples(data_root: str, device, epochs: int, subset: int) -> list[float]:
    """Seconds per epoch of pytorch/examples' vae/main.py training loop, the warm-up epoch first."""
    import torch
    from torchvision import datasets, transforms

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from train_speed import ExamplesVAE, examples_train

    dataset = datasets.MNIST(data_root, train=True, download=False, transform=transforms.ToTensor())
    if subset:
        dataset = torch.utils.data.Subset(dataset, range(subset))
    extra = {"num_workers": 1, "pin_memory": True} if device.type == "cuda" else {}
    loader = torch.utils.data.DataLoader(dataset, batch_size=128, shuffle=True, **extra)
    torch.manual_seed(0)
    model = ExamplesVAE().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for _ in range(epochs):
        sync(device)
        started = time.perf_counter()
        examples_train(model, optimizer, loader, device)
        sync(device)
        times.append(time.perf_counter() - started)
    return times


def same_loss(images, device) -> tuple[float, float]:
    """Mean loss of one epoch from the same seeds, eager vs CUDA graph (the noise streams differ: close, not equal)."""
    import torch

    from training.loop import make_optimizer, make_trainer
    from training.model import VAE, VAEConfig

    losses = []
    for fast in (False, True):
        torch.manual_seed(0)
        model = VAE(VAEConfig()).to(device)
        trainer = make_trainer(model, make_optimizer(model, 1e-3, device, fast), 128, 1.0, fast)
        losses.append(float(trainer.epoch(images, torch.Generator().manual_seed(0))))
    return losses[0], losses[1]


def line(name: str, times: list[float]) -> float:
    steady = statistics.median(times[1:]) if len(times) > 1 else times[0]
    print(f"  {name:<40} {steady:7.3f} s/epoch   (warm-up {times[0]:.2f} s; {[round(t, 3) for t in times[1:]]})")
    return steady


def loops(args, device) -> None:
    import torch

    from training.data import load_mnist

    split = load_mnist(args.data_root, train=True)
    if args.quick:
        split = split.subset(2000)
    images = split.flat_float().to(device)  # (N, 784) on the device, once, as train.py does
    epochs = 2 if args.quick else args.epochs
    print(f"1) one epoch of z20 (784-400-20), batch 128, {len(images)} digits on {device}")
    ours_eager = line("train.py, eager", time_ours(images, device, False, epochs))
    ours_graph = None
    if device.type == "cuda":
        ours_graph = line("train.py, one CUDA graph per step", time_ours(images, device, True, epochs))
    else:
        print(f"  {'train.py, one CUDA graph per step':<40} n/a (no CUDA on this machine)")
    examples_epochs = 2 if args.quick else args.examples_epochs
    theirs = line(
        "pytorch/examples vae/main.py loop",
        time_examples(args.data_root, device, examples_epochs, 2000 if args.quick else 0),
    )
    print(f"  eager vs examples: {theirs / ours_eager:.2f}x faster")
    if ours_graph is not None:
        print(f"  CUDA graph vs eager: {ours_eager / ours_graph:.2f}x;  vs examples: {theirs / ours_graph:.2f}x")
        eager_loss, graph_loss = same_loss(images, device)
        print(f"  first-epoch mean loss from the same seeds: eager {eager_loss:.2f}, CUDA graph {graph_loss:.2f}")
    print(
        f"  torch {torch.__version__}, "
        + (torch.cuda.get_device_name(device) if device.type == "cuda" else f"{torch.get_num_threads()} CPU threads")
    )


def family(args, device) -> None:
    from vae.checkpoint import read_record
    from vae.family import Variant

    out = Path(tempfile.mkdtemp(prefix="gpu-train-")) / "run"
    command = [
        sys.executable,
        str(ROOT / "train.py"),
        "--data-root",
        args.data_root,
        "--no-download",
        "--out",
        str(out),
        "--device",
        str(device),
    ]
    if args.quick:
        command += [
            "--variants",
            "z20-beta1,z2-beta1",
            "--epochs",
            "1",
            "--train-subset",
            "2000",
            "--test-subset",
            "500",
            "--iwae-samples",
            "10",
            "--classifier-epochs",
            "1",
        ]
    print(f"2) {'a quick slice of ' if args.quick else ''}the family: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stderr=subprocess.DEVNULL if args.quiet else None)
    wall = time.perf_counter() - started
    records = {p.stem.removeprefix("vae-"): read_record(p)["info"] for p in sorted(out.glob("vae-*.safetensors"))}
    training = sum(info["wall_seconds"] for info in records.values())
    print(
        f"  whole run: {wall:.1f} s wall ({wall / 60:.2f} min); VAE training loops {training:.1f} s in all,"
        " the rest is data, metrics (IWAE on CPU), atlases (t-SNE), classifier, snapshots"
    )
    for name, info in records.items():
        print(
            f"  {name:<12} {info['training_step']:<10} {info['wall_seconds']:7.1f} s  "
            f"-ELBO {info['metrics']['neg_elbo']:.2f}"
        )
    z20 = records.get(Variant(20, 1.0).name)
    if z20:
        print(
            f"  z20-beta1 test -ELBO after {z20['epochs']} epochs: {z20['metrics']['neg_elbo']:.2f}"
            + ("" if args.quick else "  (target <= 101.0)")
        )
    shutil.rmtree(out.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", default="data", help="folder holding MNIST/raw (default %(default)s)")
    parser.add_argument("--device", default="auto", help="auto = cuda when present (default auto)")
    parser.add_argument("--epochs", type=int, default=6, help="epochs timed per loop of ours, + 1 warm-up")
    parser.add_argument("--examples-epochs", type=int, default=3, help="epochs of pytorch/examples' loop, + 1")
    parser.add_argument("--no-family", action="store_true", help="skip part 2 (train.py's whole recipe)")
    parser.add_argument("--quick", action="store_true", help="2,000 digits, 2 epochs, a 1-epoch family slice")
    parser.add_argument("--quiet", action="store_true", help="hide train.py's progress bars")
    args = parser.parse_args()
    args.epochs, args.examples_epochs = args.epochs + 1, args.examples_epochs + 1

    import torch

    sys.path.insert(0, str(ROOT))
    device = torch.device(
        "cuda"
        if args.device == "auto" and torch.cuda.is_available()
        else "cpu"
        if args.device == "auto"
        else args.device
    )
    started = time.perf_counter()
    loops(args, device)
    if not args.no_family:
        family(args, device)
    print(f"benchmark done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
