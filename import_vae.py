"""Import a VAE you trained elsewhere and explore it in the page.

    python import_vae.py vae.pth --beta 1                    # -> runs/mine/, then:
    LATENT_EXPLORER_WEIGHTS=runs/mine streamlit run app.py

Reads a state dict saved with `torch.save(model.state_dict(), "vae.pth")` (.pt/.pth, through
torch.load(weights_only=True): never a full unpickle) or a .safetensors file, with pytorch/examples'
and the tutorials' names (fc1, fc21, fc22, fc3, fc4), this repository's (fc_mu, fc_logvar), or keys
under `module.`; any hidden size, any latent size >= 2. Writes a weights folder: the checkpoint with
its record, the atlas (test codes, PCA, t-SNE), the test digits and the digit classifier, and a model
card with what was measured. Several imports into one --out make one family (give each its --name);
--with-shipped puts them beside this repository's models. docs/your-model.md says more.
"""

from __future__ import annotations

import argparse
import sys

from training.importer import DEFAULT_NAME  # no torch: --help answers at once

DEFAULT_OUT = f"runs/{DEFAULT_NAME}"  # runs/ is git-ignored, as train.py's runs are


def beta_value(text: str) -> float | None:
    if text == "unknown":
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--beta takes a number or 'unknown', got {text[:40]!r}") from None


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="the state dict: .pt, .pth (torch.save) or .safetensors")
    parser.add_argument(
        "--beta",
        type=beta_value,
        default=None,
        help="the weight of the KL term it was trained with; pytorch/examples' BCE + KLD is 1 "
        "(default: unknown, shown as 'your model')",
    )
    parser.add_argument(
        "--name", default=DEFAULT_NAME, help="its name in the family: z<latent>-<name> (default %(default)s)"
    )
    parser.add_argument(
        "--out", default=DEFAULT_OUT, help="the weights folder to write or add to (default %(default)s)"
    )
    parser.add_argument("--with-shipped", action="store_true", help="put this repository's models beside it")
    parser.add_argument(
        "--data-root",
        default=None,
        help="read the MNIST test digits from <data-root>/MNIST/raw (default: the copy in weights/, the same digits)",
    )
    parser.add_argument("--replace", action="store_true", help="replace a model of the same name in --out")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    from training.data import MNISTUnavailable
    from training.importer import import_vae
    from vae.foreign import ImportRefused

    try:
        result = import_vae(
            args.path,
            args.out,
            beta=args.beta,
            name=args.name,
            with_shipped=args.with_shipped,
            data_root=args.data_root,
            replace=args.replace,
        )
    except (ImportRefused, MNISTUnavailable) as refusal:
        print(f"import_vae.py: not imported. {refusal}", file=sys.stderr)
        return 2
    split = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in result.seconds.items())
    print(f"wrote {result.name} into {result.folder}/ in {sum(result.seconds.values()):.0f} s ({split})")
    print(f"explore it:  LATENT_EXPLORER_WEIGHTS={result.folder} streamlit run app.py")
    print(f"             then open http://localhost:8501/?model={result.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
