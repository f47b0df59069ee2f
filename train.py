"""Trains the VAE family and the digit classifier: checkpoints, latent atlases, test set, model card.

    python train.py                                   # the whole family, into runs/<UTC date-time>/
    python train.py --variants z20-beta1 --epochs 20  # one model, quicker
    python train.py --data-root ../shared/data --no-download
    python train.py --out weights --overwrite         # replace the shipped models (what the app loads)
    python train.py --variants z2-beta0,z2-beta1 --classifier-epochs 0 --out weights --overwrite
                                                      # the lesson's pair again, read by the shipped classifier
    python train.py --variants z20-mr,z2-mr --classifier-epochs 0 --iwae-samples 0
                                                      # the Multi-Rate VAEs (one model for every beta)

A name ending in -mr is a Multi-Rate VAE (training/multirate.py, docs/multirate.md): the same
architecture, data, optimiser, schedule and epochs, each batch at its own beta drawn log-uniformly
from [--beta-min, --beta-max]; it writes mrvae-z<N>.safetensors and mrvae-codes-z<N>.npz (the test
codes at --codes-betas betas on fixed axes, for the beta slider).

MNIST is read from --data-root (default data/, git-ignored) and downloaded there
by torchvision when missing, unless --no-download. Output goes to a new folder;
an existing folder that already holds files is only written with --overwrite.
Point the app at a run with LATENT_EXPLORER_WEIGHTS=runs/<...> streamlit run app.py.

Runs on CPU or CUDA from the same command; on CUDA each training step is one
CUDA graph (--cuda-graphs off for the eager loop). Each variant is trained from
a fixed seed; what was used is recorded in each checkpoint next to the metrics
it scored, and in the output's README.md.

Snapshots: for each z = 2 model, the weights at each of --snapshot-epochs (epoch 0
= before the first update; the list is capped at --epochs and always ends with
the last epoch) are kept in memory, and after training snapshots-<model>.npz is
written: the test codes, the decoder's mosaic, the empty plane cells and what
N(0, I) decodes to, at each of those epochs (training/snapshots.py). The last two
need the digit classifier: this run's (trained after the VAEs), or, with
--classifier-epochs 0, the one already in --out. With no classifier the snapshot
files are not written, and train.py says so.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from training.data import DEFAULT_DATA_ROOT  # torch-free, like vae.family: --help answers before torch loads
from vae.family import CLASSIFIER_FILE, MULTIRATE, SHIPPED, TEST_SET_FILE, MultiRateVariant, Variant, parse_variant

DEFAULTS = dict(
    epochs=100,  # cosine-decayed Adam; z20-beta1 reaches its target ELBO here
    batch_size=128,
    lr=1e-3,
    warmup_epochs=2,
    seed=0,
    hidden_size=400,
    iwae_samples=1000,  # importance samples for the NLL estimate of beta=1 models
    classifier_epochs=6,  # the digit classifier that annotates paths (>= 99% test accuracy)
    snapshot_epochs="0,1,2,3,5,8,13,21,34,55,100",  # z = 2 models: when to record the plane (Fibonacci-ish)
    beta_min=0.01,  # Multi-Rate VAEs: the autoencoder end of the range (docs/multirate.md says why)
    beta_max=10.0,
    codes_betas=33,  # Multi-Rate VAEs: betas in the slider's code file
)


def default_out() -> str:
    return f"runs/{datetime.now(UTC):%Y%m%d-%H%M%S}"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    shipped = ",".join(v.name for v in SHIPPED)
    add(
        "--variants",
        default=shipped,
        help=f"comma-separated VAEs; '' for none; multi-rate: {','.join(v.name for v in MULTIRATE)} "
        "(default: all shipped, %(default)s)",
    )
    add("--epochs", type=int, default=DEFAULTS["epochs"], help="epochs per variant (default %(default)s)")
    add("--batch-size", type=int, default=DEFAULTS["batch_size"], help="(default %(default)s)")
    add("--lr", type=float, default=DEFAULTS["lr"], help="peak Adam learning rate (default %(default)s)")
    add("--warmup-epochs", type=float, default=DEFAULTS["warmup_epochs"], help="linear warm-up (default %(default)s)")
    add("--seed", type=int, default=DEFAULTS["seed"], help="(default %(default)s)")
    add("--hidden-size", type=int, default=DEFAULTS["hidden_size"], help="(default %(default)s)")
    add(
        "--classifier-epochs",
        type=int,
        default=DEFAULTS["classifier_epochs"],
        help="0 skips it: the lesson figures and snapshots use the classifier already in --out (default %(default)s)",
    )
    add("--iwae-samples", type=int, default=DEFAULTS["iwae_samples"], help="0 skips the IWAE NLL (default %(default)s)")
    add(
        "--snapshot-epochs",
        type=epoch_list,
        default=DEFAULTS["snapshot_epochs"],  # argparse passes a default string through `type` too
        help="z = 2 models: epochs recorded in snapshots-<model>.npz, capped at --epochs, the last always "
        "included; '' for none; needs a classifier, else skipped (default %(default)s)",
    )
    add("--beta-min", type=float, default=DEFAULTS["beta_min"], help="-mr models: lowest beta (default %(default)s)")
    add("--beta-max", type=float, default=DEFAULTS["beta_max"], help="-mr models: highest beta (default %(default)s)")
    add(
        "--codes-betas",
        type=int,
        default=DEFAULTS["codes_betas"],
        help="-mr models: betas in the code file (default %(default)s)",
    )
    add("--data-root", default=DEFAULT_DATA_ROOT, help="folder holding MNIST/raw (default %(default)s)")
    add("--no-download", action="store_true", help="never download MNIST; fail if --data-root lacks it")
    add("--out", default=None, help="output folder (default: a new runs/<UTC date-time>)")
    add("--overwrite", action="store_true", help="allow writing into a folder that already holds files, e.g. weights")
    add("--device", default="auto", help="auto = cuda when present, else cpu; or cpu, cuda, cuda:1... (default auto)")
    add("--cuda-graphs", choices=("auto", "on", "off"), default="auto", help="one CUDA graph per step (default auto)")
    add("--train-subset", type=int, default=0, help="use only the first N training digits (tests; 0 = all)")
    add("--test-subset", type=int, default=0, help="use only the first N test digits (tests; 0 = all)")
    return parser.parse_args(argv)


def epoch_list(text: str) -> tuple[int, ...]:
    """'0,1,2,3,5' -> (0, 1, 2, 3, 5): whole numbers >= 0, sorted, each once; '' -> ()."""
    try:
        epochs = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"epochs look like '0,1,2,5', got {text!r}") from None
    if any(epoch < 0 for epoch in epochs):
        raise argparse.ArgumentTypeError(f"epochs must be >= 0, got {text!r}")
    return tuple(sorted(epochs))


def snapshot_epochs(requested: tuple[int, ...], epochs: int) -> tuple[int, ...]:
    """The epochs a run records: those requested up to `epochs`, and `epochs` itself (the checkpoint)."""
    return tuple(sorted({e for e in requested if e <= epochs} | {epochs})) if requested else ()


def check_out(out: Path, overwrite: bool) -> None:
    """Never replaces a folder's files unasked: the shipped weights/ needs --out weights --overwrite."""
    if out.exists() and not out.is_dir():
        raise SystemExit(f"error: --out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise SystemExit(f"error: {out} already holds files; pass --overwrite to replace them, or another --out")


def train_variant(variant: Variant, args, train_images, test_images, data_checksum: str) -> tuple[dict, dict]:
    """Trains one variant, evaluates it, writes its checkpoint and atlas. Returns its record's info and
    {epoch: weights} at its snapshot epochs (z = 2 only; empty otherwise)."""
    import torch
    from tqdm import tqdm

    from training.atlas import build_atlas, save_atlas
    from training.checkpoint import save_checkpoint
    from training.loop import cosine_schedule, make_optimizer, make_trainer
    from training.metrics import active_units, elbo_metrics, encode_all, iwae_nll
    from training.model import VAE, VAEConfig
    from training.snapshots import weights_now
    from vae.checkpoint import tensors_digest

    torch.manual_seed(args.seed)  # seeds the CPU and every CUDA generator: same weights, same noise stream
    config = VAEConfig(hidden_size=args.hidden_size, latent_size=variant.latent_size, beta=variant.beta)
    model = VAE(config).to(args.device)
    optimizer = make_optimizer(model, args.lr, args.device, fast=args.graphs)
    steps_per_epoch = -(-len(train_images) // args.batch_size)
    total_steps = args.epochs * steps_per_epoch
    schedule = cosine_schedule(optimizer, total_steps, int(args.warmup_epochs * steps_per_epoch), floor=0.0)
    trainer = make_trainer(model, optimizer, args.batch_size, variant.beta, fast=args.graphs)
    generator = torch.Generator().manual_seed(args.seed)  # the shuffling: the same batches on every device
    x_train = train_images.to(args.device)
    keep = snapshot_epochs(args.snapshot_epochs, args.epochs) if variant.latent_size == 2 else ()
    states = {0: weights_now(model)} if 0 in keep else {}  # copies of ~0.6 M floats: cheap beside an epoch

    started = time.perf_counter()
    with tqdm(total=total_steps, desc=variant.name, unit="batch", leave=True) as progress:
        for epoch in range(1, args.epochs + 1):
            loss = trainer.epoch(x_train, generator, schedule, progress)
            progress.set_postfix(epoch=epoch, loss=f"{float(loss):.2f}")  # one host sync per epoch
            if epoch in keep:
                states[epoch] = weights_now(model)
    wall_seconds = time.perf_counter() - started

    model = model.cpu().eval()  # the metrics run on CPU with CPU generators: the figures evaluate.py reproduces
    metrics = elbo_metrics(model, test_images, seed=args.seed)
    mu, logvar = encode_all(model, test_images)
    metrics["active_units"] = active_units(mu)
    metrics["train_neg_elbo_10k"] = elbo_metrics(model, train_images[:10_000], seed=args.seed)["neg_elbo"]
    if variant.beta == 1.0 and args.iwae_samples > 0:
        metrics["iwae_nll"] = iwae_nll(model, test_images, samples=args.iwae_samples, seed=args.seed)
        metrics["iwae_samples"] = args.iwae_samples
    metrics["test_digits"] = len(test_images)
    if len(test_images) > 1000:  # the same call on the first 1000, so a checkpoint is re-checked quickly and exactly
        metrics["neg_elbo_first_1000"] = elbo_metrics(model, test_images[:1000], seed=args.seed)["neg_elbo"]

    info = {
        "beta": variant.beta,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": f"Adam(lr={args.lr:g}, fused), {args.warmup_epochs:g}-epoch warm-up, cosine decay to 0",
        "seed": args.seed,
        "wall_seconds": round(wall_seconds, 1),
        "device": str(args.device),
        "training_step": trainer.name,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "train_digits": len(train_images),
        "train_data_sha256": data_checksum,
        "metrics": metrics,
    }
    if keep:
        info["snapshot_epochs"] = list(keep)
    path = save_checkpoint(variant.checkpoint_path(args.out), model, "vae", info)
    atlas = build_atlas(mu.numpy(), logvar.numpy(), tensors_digest(model.state_dict()), seed=args.seed)
    save_atlas(variant.atlas_path(args.out), atlas)
    summary = ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in metrics.items())
    tqdm.write(f"{variant.name}: {summary}  ({wall_seconds:.0f} s) -> {path}")
    return info, states


def train_multirate(variant: MultiRateVariant, args, train_images, test_images, data_checksum: str) -> dict:
    """Trains one Multi-Rate VAE with the family's recipe (each batch at a log-uniform beta), measures it at
    the family's betas, writes its checkpoint and its per-beta code file. Returns its record's info."""
    import torch
    from tqdm import tqdm

    from training.checkpoint import save_checkpoint
    from training.loop import cosine_schedule, make_optimizer
    from training.metrics import active_units, elbo_metrics, encode_all
    from training.multirate import AtBeta, MultiRateVAE, beta_grid, build_beta_codes, save_beta_codes, train_epoch
    from vae.checkpoint import tensors_digest
    from vae.multirate import MultiRateConfig

    torch.manual_seed(args.seed)
    config = MultiRateConfig(
        hidden_size=args.hidden_size, latent_size=variant.latent_size, beta_min=args.beta_min, beta_max=args.beta_max
    )
    model = MultiRateVAE(config).to(args.device)
    optimizer = make_optimizer(model, args.lr, args.device, fast=False)  # the eager loop: beta changes per batch
    steps_per_epoch = -(-len(train_images) // args.batch_size)
    total_steps = args.epochs * steps_per_epoch
    schedule = cosine_schedule(optimizer, total_steps, int(args.warmup_epochs * steps_per_epoch), floor=0.0)
    order_generator = torch.Generator().manual_seed(args.seed)  # the same batches as the family's
    beta_generator = torch.Generator().manual_seed(args.seed + 1)  # each batch's beta
    x_train = train_images.to(args.device)

    started = time.perf_counter()
    with tqdm(total=total_steps, desc=variant.name, unit="batch", leave=True) as progress:
        for epoch in range(1, args.epochs + 1):
            loss = train_epoch(
                model, optimizer, x_train, args.batch_size, order_generator, beta_generator, schedule, progress
            )
            progress.set_postfix(epoch=epoch, loss=f"{float(loss):.2f}")
    wall_seconds = time.perf_counter() - started

    model = model.cpu().eval()
    metrics = {}
    for beta in sorted({config.beta_min, 0.5, 1.0, 2.0, 4.0, 8.0, config.beta_max}):
        if not config.beta_min <= beta <= config.beta_max:
            continue
        at = AtBeta(model, beta)
        for name, value in elbo_metrics(at, test_images, seed=args.seed).items():
            metrics[f"{name}_beta{beta:g}"] = value
        metrics[f"active_units_beta{beta:g}"] = active_units(encode_all(at, test_images)[0])
    metrics["train_neg_elbo_10k_beta1"] = (
        elbo_metrics(AtBeta(model, 1.0), train_images[:10_000], seed=args.seed)["neg_elbo"]
        if config.beta_min <= 1.0 <= config.beta_max
        else None
    )
    metrics["test_digits"] = len(test_images)
    info = {
        "beta_range": [config.beta_min, config.beta_max],
        "beta_sampling": "one beta per batch, log-uniform on the range",
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": f"Adam(lr={args.lr:g}, fused), {args.warmup_epochs:g}-epoch warm-up, cosine decay to 0",
        "seed": args.seed,
        "wall_seconds": round(wall_seconds, 1),
        "device": str(args.device),
        "torch_threads": torch.get_num_threads(),
        "training_step": "eager",
        "torch": torch.__version__,
        "python": platform.python_version(),
        "train_digits": len(train_images),
        "train_data_sha256": data_checksum,
        "metrics": {k: v for k, v in metrics.items() if v is not None},
    }
    path = save_checkpoint(variant.checkpoint_path(args.out), model, "multirate-vae", info)
    digest = tensors_digest(model.state_dict())
    codes = build_beta_codes(model, test_images, beta_grid(config, args.codes_betas), digest, seed=args.seed)
    codes_path = save_beta_codes(variant.codes_path(args.out), codes)
    shown = ", ".join(f"{k}={v:.2f}" for k, v in info["metrics"].items() if "_beta" in k and "active" not in k)
    tqdm.write(f"{variant.name}: {shown}  ({wall_seconds:.0f} s) -> {path}, {codes_path}")
    return info


def write_snapshots(out: Path, trained: dict[Variant, dict], test_images) -> None:
    """snapshots-<model>.npz for each z = 2 model trained, read by the classifier in `out`, or a reason why not."""
    from tqdm import tqdm

    from training.checkpoint import load_checkpoint
    from training.snapshots import build_snapshots, save_snapshots
    from vae.checkpoint import read_record, vae_config

    if not (out / CLASSIFIER_FILE).exists():
        names = ", ".join(variant.name for variant in trained)
        print(
            f"no {CLASSIFIER_FILE} in {out}: snapshot files of {names} not written (their N(0, I) figures need "
            "the digit classifier; train it with --classifier-epochs > 0, or put one in --out)"
        )
        return
    classifier, _ = load_checkpoint(out / CLASSIFIER_FILE)
    for variant, states in tqdm(trained.items(), desc="snapshots", unit="model"):
        started = time.perf_counter()
        checkpoint = variant.checkpoint_path(out)
        config = vae_config(checkpoint, read_record(checkpoint)["config"])  # the model the last epoch's weights fit
        path = save_snapshots(variant.snapshots_path(out), build_snapshots(states, config, test_images, classifier))
        tqdm.write(
            f"{variant.name}: epochs {sorted(states)} -> {path} ({path.stat().st_size / 1e6:.1f} MB, "
            f"{time.perf_counter() - started:.0f} s)"
        )


def train_classifier(args, train, test) -> dict:
    """The CNN that labels path frames; checkpointed like the VAEs, with its test accuracy."""
    import torch
    from tqdm import tqdm

    from training.checkpoint import save_checkpoint
    from training.classifier import DigitClassifier, accuracy
    from training.loop import cosine_schedule, train_classifier_epoch
    from vae.config import ClassifierConfig

    torch.manual_seed(args.seed)
    model = DigitClassifier(ClassifierConfig()).to(args.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(args.seed)
    images, labels = train.flat_float().to(args.device), train.labels.to(args.device)
    started = time.perf_counter()
    steps = args.classifier_epochs * -(-len(images) // args.batch_size)
    schedule = cosine_schedule(optimizer, steps, warmup_steps=0, floor=0.0)
    with tqdm(total=steps, desc="classifier", unit="batch") as progress:
        for epoch in range(args.classifier_epochs):
            loss = train_classifier_epoch(
                model, optimizer, images, labels, args.batch_size, generator, schedule, progress
            )
            progress.set_postfix(epoch=epoch + 1, loss=f"{loss:.4f}")
    model = model.cpu().eval()
    info = {
        "epochs": args.classifier_epochs,
        "batch_size": args.batch_size,
        "optimizer": "Adam(lr=0.001), cosine decay to 0",
        "seed": args.seed,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "device": str(args.device),
        "torch": torch.__version__,
        "train_digits": len(images),
        "train_data_sha256": train.checksum(),
        "metrics": {"test_accuracy": accuracy(model, test.flat_float(), test.labels), "test_digits": len(test)},
    }
    path = save_checkpoint(Path(args.out) / CLASSIFIER_FILE, model, "classifier", info)
    tqdm.write(f"classifier: test accuracy {info['metrics']['test_accuracy']:.4f} -> {path}")
    return info


def main(argv=None) -> None:
    args = parse_args(argv)
    chosen = [parse_variant(name) for name in args.variants.split(",") if name.strip()]
    variants = [v for v in chosen if isinstance(v, Variant)]
    multirate = [v for v in chosen if isinstance(v, MultiRateVariant)]
    if multirate and not 0 < args.beta_min < args.beta_max:
        raise SystemExit(f"error: need 0 < --beta-min < --beta-max, got {args.beta_min:g} and {args.beta_max:g}")
    args.out = args.out or default_out()
    out = Path(args.out)
    check_out(out, args.overwrite)

    import torch  # after the options: --help and option errors answer at once

    from training.atlas import save_test_set
    from training.card import write_model_card
    from training.data import MNISTUnavailable, load_mnist
    from training.loop import use_cuda_graphs

    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    args.device = torch.device(args.device)
    try:
        args.graphs = use_cuda_graphs(args.device, args.cuda_graphs)
    except ValueError as error:
        raise SystemExit(f"error: --cuda-graphs on: {error} (device {args.device})") from None
    try:
        train = load_mnist(args.data_root, train=True, download=not args.no_download)
        test = load_mnist(args.data_root, train=False, download=not args.no_download)
    except MNISTUnavailable as error:
        raise SystemExit(f"error: {error}") from None
    if args.train_subset:
        train = train.subset(args.train_subset)
    if args.test_subset:
        test = test.subset(args.test_subset)
    out.mkdir(parents=True, exist_ok=True)
    print(f"training on {args.device} ({'one CUDA graph per step' if args.graphs else 'eager'}) -> {out}")
    snapshots = {}  # z = 2 variant -> {epoch: weights}, written once a classifier can read them
    if variants or multirate:  # the atlases and code files index these digits
        save_test_set(out / TEST_SET_FILE, test.images.numpy(), test.labels.numpy())
        train_images, test_images = train.flat_float(), test.flat_float()  # (N, 784) float, once
        checksum = train.checksum()
        for variant in variants:
            _, states = train_variant(variant, args, train_images, test_images, checksum)
            if states:
                snapshots[variant] = states
        for variant in multirate:
            train_multirate(variant, args, train_images, test_images, checksum)
    if args.classifier_epochs > 0:
        train_classifier(args, train, test)
    if snapshots:
        write_snapshots(out, snapshots, test_images)
    if variants and (out / CLASSIFIER_FILE).exists():
        from training.lesson_metrics import restamp_folder

        # the lesson's per-beta table, read by the classifier, into the metadata of each VAE trained here (and
        # of every VAE in `out` when the classifier is new)
        restamped = restamp_folder(out, changed={variant.name for variant in variants})
        print(f"lesson figures -> record['info']['lesson'] of {', '.join(restamped) or 'no VAE'} in {out}")
    elif variants:
        print(f"no {CLASSIFIER_FILE} in {out}: lesson figures left out (python -m training.lesson_metrics adds them)")
    if any(out.glob("vae-*.safetensors")) or any(out.glob("mrvae-*.safetensors")):
        print(f"model card -> {write_model_card(out)}")
    print(f"done: {out}  (view it: LATENT_EXPLORER_WEIGHTS={out} streamlit run app.py)", file=sys.stderr)


if __name__ == "__main__":
    main()
